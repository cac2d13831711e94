/// Why embed-sql could not write its file; the build shows the message and stops.
struct EmbeddingError: Error, CustomStringConvertible {
    /// What went wrong, with the path it concerns.
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

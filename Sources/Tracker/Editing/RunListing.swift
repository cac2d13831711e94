/// A run as `rm` names it: its id, name, status and step count.
public struct RunListing: Sendable, Equatable {
    /// The run's id.
    public let id: Int64
    /// Its name ("" when it has none).
    public let name: String
    /// Its status.
    public let status: String
    /// How many steps it logged.
    public let steps: Int64

    /// Creates a listing.
    public init(id: Int64, name: String, status: String, steps: Int64) {
        (self.id, self.name, self.status, self.steps) = (id, name, status, steps)
    }
}

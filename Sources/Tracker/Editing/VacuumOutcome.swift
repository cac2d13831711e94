/// What `RunEditor.vacuum` did to the file.
public struct VacuumOutcome: Sendable, Equatable {
    /// The database's size before, in bytes.
    public let bytesBefore: Int64
    /// The database's size after, in bytes: what the file holds once the write-ahead log is folded in.
    public let bytesAfter: Int64
    /// False when another connection was reading an older snapshot (or writing), so that the
    /// rebuilt database still waits in the write-ahead log: the file shrinks when it lets go and a
    /// later gradlog command (or the last connection to close) folds the log in.
    public let logFolded: Bool
}

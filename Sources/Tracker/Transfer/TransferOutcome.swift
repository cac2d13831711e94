import SQLiteDB

/// What push, pull or merge did with one run.
public enum TransferAction: String, Sendable, CaseIterable {
    /// push: new in the store.
    case pushed
    /// push: the store had an earlier part of it; the rest was appended.
    case appended
    /// push: only its row or tags differed (a note, a name, a tag).
    case updated
    /// push, pull: the other side already had it as it is.
    case unchanged
    /// push, pull, merge: still training somewhere, or the other side has more of it.
    case skipped
    /// pull: new in this file.
    case pulled
    /// pull: this file's shorter, unfinished copy was completed.
    case replaced
    /// merge: new in this file.
    case copied
    /// merge: this file's shorter, unfinished copy was completed.
    case completed
    /// merge, pull: this file holds another run of the same uuid; neither side was changed.
    case refused
}

/// One run a transfer acted on: what it did, to which run, and how much it copied.
public struct TransferOutcome: Sendable, Equatable {
    /// What was done.
    public let action: TransferAction
    /// The run's uuid, the same on both sides.
    public let uuid: String
    /// The run's id where it came from (this file for push, the store for pull, the other file for merge).
    public let sourceID: Int64
    /// The run's id where it went, nil where it did not go.
    public let targetID: Int64?
    /// The run's name.
    public let name: String
    /// The run's status where it came from; for pull, `stale` for a run `running` in the store
    /// whose pushes stopped (`StaleRun`), derived and never written.
    public let status: String
    /// Its steps where it came from.
    public let steps: Int64
    /// How many rows were copied (push and pull), nil for merge.
    public let rows: Int?

    /// Creates an outcome.
    public init(action: TransferAction, uuid: String, sourceID: Int64, targetID: Int64?, name: String, status: String,
                steps: Int64, rows: Int?) {
        (self.action, self.uuid, self.sourceID, self.targetID) = (action, uuid, sourceID, targetID)
        (self.name, self.status, self.steps, self.rows) = (name, status, steps, rows)
    }
}

extension [TransferOutcome] {
    /// How many outcomes have each of `actions`, as "2 pushed, 0 appended, …".
    public func counts(_ actions: [TransferAction]) -> String {
        actions.map { action in "\(filter { $0.action == action }.count) \(action.rawValue)" }.joined(separator: ", ")
    }

    /// The uuids of the runs that were refused.
    public var refusedUUIDs: [String] { filter { $0.action == .refused }.map(\.uuid) }
}

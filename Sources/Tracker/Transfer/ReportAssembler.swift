import SQLiteDB

/// Builds a report's rows from a run's rows streamed in step order.
protocol ReportAssembler {
    /// Takes one streamed row, and hands `emit` the report rows it completes.
    mutating func add(_ row: [SQLiteValue], emit: ([SQLiteValue]) throws -> Void) throws
    /// Hands `emit` the report rows still held: the stream has ended.
    mutating func finish(emit: ([SQLiteValue]) throws -> Void) throws
}

import CLibPQ

/// One connection to a PostgreSQL server through libpq: queries with text parameters, scripts,
/// transactions and COPY in both directions. Not for use from two threads at once.
public final class PostgresConnection {
    private let handle: OpaquePointer

    /// Connects with a libpq connection URI (`postgresql://user@host/db`) or keyword string
    /// (`host=/run/postgresql dbname=gradlog`); libpq's environment variables and ~/.pgpass fill in
    /// the rest. Gives up after `timeoutSeconds` unless the string sets its own `connect_timeout`.
    public init(_ connectionString: String, applicationName: String, timeoutSeconds: Int = 10) throws(PostgresError) {
        // Later keywords override earlier ones, and `dbname` is expanded into the string's own
        // settings, so these two are defaults the string can override.
        let keywords = ["connect_timeout", "fallback_application_name", "dbname"]
        let values = ["\(timeoutSeconds)", applicationName, connectionString]
        let connection = CStrings.with(keywords) { keys in
            CStrings.with(values) { PQconnectdbParams(keys, $0, 1) }
        }
        guard let connection else { throw PostgresError(sqlState: nil, message: "libpq could not allocate a connection") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.trimmed(PQerrorMessage(connection))
            PQfinish(connection)
            throw PostgresError(sqlState: nil, message: message)
        }
        handle = connection
        // Notices ("relation already exists, skipping") are the server talking to a person at psql.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit { PQfinish(handle) }

    /// Whether a connection string sets a password itself (libpq's `password` keyword or a
    /// `user:password@` URI); nil when libpq cannot parse it, with its message.
    public static func setsPassword(_ connectionString: String) -> Result<Bool, PostgresError> {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &errorMessage) else {
            let message = errorMessage.map { trimmed($0) } ?? "libpq could not parse it"
            if let errorMessage { PQfreemem(errorMessage) }
            return .failure(PostgresError(sqlState: nil, message: message))
        }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "password", let value = option.pointee.val, value.pointee != 0 { return .success(true) }
            option += 1
        }
        return .success(false)
    }

    /// Runs one statement with text parameters ($1, $2, …; nil is NULL) and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) -> PostgresResult {
        let result = CStrings.withOptional(parameters) { values in
            PQexecParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        return try checked(result, sql: sql) { PostgresResult($0, sql: sql) }
    }

    /// Runs a script of several statements (a migration), without parameters.
    public func execute(_ sql: String) throws(PostgresError) {
        try checked(PQexec(handle, sql), sql: sql) { _ in () }
    }

    /// Whether a transaction is open on this connection: begun and neither committed nor rolled back.
    public var isInTransaction: Bool {
        PQtransactionStatus(handle) != PQTRANS_IDLE
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ begin: String = "BEGIN", _ body: () throws -> T) throws -> T {
        try execute(begin)
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `COPY … FROM STDIN` (text format) with the rows `body` writes, sent in chunks as they fill.
    public func copyIn(_ sql: String, _ body: (CopyInWriter) throws -> Void) throws {
        try checkedCopy(PQexec(handle, sql), sql: sql, expecting: PGRES_COPY_IN)
        let writer = CopyInWriter(handle: handle)
        do {
            try body(writer)
            try writer.flush()
        } catch {
            PQputCopyEnd(handle, "gradlog stopped sending")
            drainResults()
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else { throw lastError(sql: sql) }
        try finishCommand(sql: sql)
    }

    /// Runs `COPY … TO STDOUT` (text format) and hands `row` each row's bytes, newline included.
    public func copyOut(_ sql: String, _ row: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        try checkedCopy(PQexec(handle, sql), sql: sql, expecting: PGRES_COPY_OUT)
        var failure: (any Error)?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(handle, &buffer, 0)
            if length == -1 { break }
            guard length >= 0, let buffer else { throw lastError(sql: sql) }
            defer { PQfreemem(buffer) }
            // After a failure the rest is read and dropped, so that the connection stays usable.
            if failure == nil {
                do {
                    try buffer.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
                        try row(UnsafeBufferPointer(start: $0, count: Int(length)))
                    }
                } catch { failure = error }
            }
        }
        try finishCommand(sql: sql)
        if let failure { throw failure }
    }

    private func checked<T>(_ result: OpaquePointer?, sql: String, _ read: (OpaquePointer) -> T) throws(PostgresError) -> T {
        guard let result else { throw lastError(sql: sql) }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else { throw Self.error(of: result, sql: sql) }
        return read(result)
    }

    private func checkedCopy(_ result: OpaquePointer?, sql: String, expecting expected: ExecStatusType) throws(PostgresError) {
        guard let result else { throw lastError(sql: sql) }
        defer { PQclear(result) }
        guard PQresultStatus(result) == expected else { throw Self.error(of: result, sql: sql) }
    }

    /// Reads the results that end a command; the first failure among them is thrown.
    private func finishCommand(sql: String) throws(PostgresError) {
        var failure: PostgresError?
        while let result = PQgetResult(handle) {
            if PQresultStatus(result) != PGRES_COMMAND_OK, failure == nil { failure = Self.error(of: result, sql: sql) }
            PQclear(result)
        }
        if let failure { throw failure }
    }

    private func drainResults() {
        while let result = PQgetResult(handle) { PQclear(result) }
    }

    private func lastError(sql: String?) -> PostgresError {
        PostgresError(sqlState: nil, message: Self.trimmed(PQerrorMessage(handle)), sql: sql)
    }

    /// The server's message with its detail and hint, without the position marker meant for psql.
    private static func error(of result: OpaquePointer, sql: String) -> PostgresError {
        func field(_ code: Character) -> String? {
            PQresultErrorField(result, Int32(code.asciiValue ?? 0)).map { String(cString: $0) }
        }
        var message = field("M") ?? trimmed(PQresultErrorMessage(result))
        if let detail = field("D") { message += " (\(detail))" }
        if let hint = field("H") { message += "; \(hint)" }
        return PostgresError(sqlState: field("C"), message: message, sql: sql)
    }

    static func trimmed(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "" }
        var message = String(cString: text)
        while message.last?.isNewline == true || message.last == " " { message.removeLast() }
        if message.hasPrefix("ERROR:  ") { message.removeFirst(8) }
        return message
    }
}

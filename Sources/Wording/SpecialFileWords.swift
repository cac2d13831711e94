import Tracker

extension SpecialFile.Kind {
    /// The type of file in words: "a block device".
    public var words: String {
        switch self {
        case .directory: "a directory"
        case .blockDevice: "a block device"
        case .characterDevice: "a character device"
        case .fifo: "a FIFO (named pipe)"
        case .socket: "a socket"
        case .other: "a special file"
        }
    }
}

extension SpecialFile.Place {
    /// What to do instead, in the command line's words.
    var advice: String {
        switch self {
        case .database: "a database is a regular file, or a path where one can be created: check --db"
        case .companion(let suffix): "SQLite keeps the database's \(suffix) file there: remove it, or use another database"
        case .output: "output goes to a regular file, a FIFO, a terminal or /dev/null"
        }
    }
}

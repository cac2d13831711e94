import SQLiteDB
import Training

/// A problem a gradlog command reports to its user, with what to do about it.
public enum TrackerError: Error, Equatable, CustomStringConvertible {
    /// No run has this id (or the database has no runs for `latest`).
    case runNotFound(String)
    /// A run reference that is neither a positive id nor `latest`.
    case badRunReference(String)
    /// The dataset argument names neither a built-in dataset nor a readable file.
    case datasetNotFound(String)
    /// The data file exists but could not be read.
    case unreadableFile(path: String, reason: String)
    /// The data file's contents are not a valid dataset.
    case badData(CSVError)
    /// Option values that are not allowed.
    case badConfig([ConfigProblem])
    /// The database file could not be opened, read or written.
    case database(path: String, SQLiteError)
    /// The database's schema cannot be used by this version of gradlog.
    case schema(path: String, MigrationError)

    public var description: String {
        switch self {
        case .runNotFound(let reference):
            reference == "latest"
                ? "the database has no runs yet; start one with `gradlog run`"
                : "no run with id \(reference); `gradlog runs` lists the runs in this database"
        case .badRunReference(let reference):
            "'\(reference)' is not a run: give a run id (a whole number such as 3) or `latest`"
        case .datasetNotFound(let name):
            "--dataset \(name): no built-in dataset has that name and no file exists at that path; "
                + "built-ins are \(Dataset.builtIns.map(\.name).joined(separator: ", ")), "
                + "or give a CSV file with a header row"
        case let .unreadableFile(path, reason):
            "\(path): cannot read the file: \(reason)"
        case .badData(let error):
            error.description
        case .badConfig(let problems):
            problems.map(\.description).joined(separator: "\n")
        case let .database(path, error):
            "\(path): \(error)"
        case let .schema(path, error):
            "\(path): \(error)"
        }
    }
}

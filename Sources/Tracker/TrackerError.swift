import SQLiteDB
import Training

/// A problem a gradlog command reports to its user, with what to do about it.
public enum TrackerError: Error, Equatable, CustomStringConvertible {
    /// No run has this id (or the database has no runs for `latest`).
    case runNotFound(String)
    /// A run reference that cannot name a run (`0`, `latest~x`, an empty text).
    case badRunReference(String)
    /// A reference that names several runs (a shared name or uuid prefix); the candidates described.
    case ambiguousRunReference(String, candidates: [String])
    /// The dataset argument names neither a built-in dataset nor a readable file.
    case datasetNotFound(String)
    /// The data file exists but could not be read.
    case unreadableFile(path: String, reason: String)
    /// The data file's contents are not a valid dataset.
    case badData(CSVError)
    /// Option values that are not allowed.
    case badConfig([ConfigProblem])
    /// A stored run's settings are ones gradlog never accepts: the file was changed outside gradlog.
    case storedConfig(path: String, runID: Int64, [ConfigProblem])
    /// The database file could not be opened, read or written.
    case database(path: String, SQLiteError)
    /// The database's schema cannot be used by this version of gradlog.
    case schema(path: String, MigrationError)
    /// A command that only reads was given a database file that does not exist.
    case noDatabase(path: String)
    /// The file's tables, views, indexes or triggers are not the ones gradlog makes.
    case untrustedSchema(path: String, version: Int, problem: String)
    /// The file has an older schema and cannot be written to upgrade it.
    case cannotUpgrade(path: String, version: Int, reason: String)
    /// A stored parameter name is not one gradlog writes, so the file was changed by something else.
    case badParameterName(path: String, runID: Int64, name: String)
    /// The file's rows of a run do not fit together (missing steps or gradient rows, odd names).
    case inconsistentRun(path: String, runID: Int64, problem: String)
    /// The run is still training in another process.
    case runIsLive(runID: Int64, process: String)
    /// A report would need more columns than SQLite can return.
    case reportTooWide(runID: Int64, parameters: Int, limit: Int)

    /// SQLITE_IOERR_SHMSIZE: SQLite could not grow the `-shm` file, in practice because the disk is full.
    static let sharedMemorySizeError: Int32 = 4874

    public var description: String {
        switch self {
        case .runNotFound(let reference) where reference == "latest":
            "the database has no runs yet; start one with `gradlog run`"
        case .runNotFound(let reference) where Int64(reference) != nil:
            "no run with id \(reference); `gradlog runs` lists the runs in this database"
        case .runNotFound(let reference):
            "no run is \(MessageText.quoted(reference)) (by id, latest~N, uuid or name); `gradlog runs` lists the runs"
        case .badRunReference(let reference):
            "\(MessageText.quoted(reference)) is not a run: give a run id (such as 3), latest, latest~1, a uuid "
                + "(or its first 4 or more characters) or a run's name"
        case let .ambiguousRunReference(reference, candidates):
            "\(MessageText.quoted(reference)) names more than one run: \(candidates.joined(separator: ", ")); "
                + "give an id or a longer uuid prefix"
        case .datasetNotFound(let name):
            "--dataset \(MessageText.shown(name)): no built-in dataset has that name and no file exists at that path; "
                + "built-ins are \(Dataset.builtIns.map(\.name).joined(separator: ", ")), "
                + "or give a CSV file with a header row"
        case let .unreadableFile(path, reason):
            "\(path): cannot read the file: \(reason)"
        case .badData(let error):
            error.description
        case .badConfig(let problems):
            problems.map(\.description).joined(separator: "\n")
        case let .database(path, error) where error.isFull || error.code == Self.sharedMemorySizeError:
            "\(path): \(error); the disk (or the database's size limit) is full: free some space and try again"
        case let .database(path, error):
            "\(path): \(error)"
        case let .schema(path, error):
            "\(path): \(error)"
        case .noDatabase(let path):
            "there is no database at \(path); check --db (or $GRADLOG_DB), or create one with `gradlog run`"
        case let .untrustedSchema(path, version, problem):
            "\(path): refused: this is not the schema gradlog makes (version \(version)): \(problem); "
                + "nothing was read from or written to the file"
        case let .cannotUpgrade(path, version, reason):
            "\(path): the database has schema version \(version) and must be upgraded once before it can be "
                + "read, but \(reason); copy it to a writable place and run the command there"
        case let .badParameterName(path, runID, name):
            "\(path): run \(runID) has a parameter named \(MessageText.quoted(name)), which gradlog never "
                + "writes (it writes w, w1, w2, ..., b); the file was changed outside gradlog, so it was not used"
        case let .storedConfig(path, runID, problems):
            "\(path): run \(runID) is inconsistent: its configuration is not one gradlog accepts ("
                + problems.map(\.description).joined(separator: "; ") + "); the file was changed outside gradlog"
        case let .inconsistentRun(path, runID, problem):
            "\(path): run \(runID) is inconsistent: \(problem); the file was changed outside gradlog"
        case let .runIsLive(runID, process):
            "run \(runID) is still training (\(process)); wait for it to end, stop it, "
                + "or give --force to stop it cleanly and then remove it"
        case let .reportTooWide(runID, parameters, limit):
            "run \(runID) has \(parameters) parameters, but this report can show at most \(limit) "
                + "(SQLite returns at most 2,000 columns); query the steps and gradients tables directly"
        }
    }
}

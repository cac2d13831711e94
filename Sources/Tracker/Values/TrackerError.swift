import SQLiteDB
import Training

/// What went wrong, with the facts the command line needs to tell its user what to do about it
/// (the wording lives there, in `TrackerError.message`).
public enum TrackerError: Error, Equatable {
    /// No run has this id (or the database has no runs for `latest`).
    case runNotFound(String)
    /// A run reference that cannot name a run (`0`, `latest~x`, an empty text).
    case badRunReference(String)
    /// A reference that names several runs (a shared name or uuid prefix): the first ten, and
    /// whether there are more.
    case ambiguousRunReference(String, candidates: [RunCandidate], more: Bool)
    /// The dataset argument names neither a built-in dataset nor a readable file.
    case datasetNotFound(String)
    /// The data file exists but could not be read.
    case unreadableFile(path: String, reason: FileProblem)
    /// The data file's contents are not a valid dataset.
    case badData(CSVError)
    /// Option values that are not allowed.
    case badConfig([ConfigProblem])
    /// The `--init` file's contents do not give the model's parameters.
    case badInitialValues(path: String, InitialValuesFile.Problem)
    /// A stored run's settings are ones gradlog never accepts: the file was changed outside gradlog.
    case storedConfig(path: String, runID: Int64, [ConfigProblem])
    /// The database file could not be opened, read or written.
    case database(path: String, SQLiteError)
    /// The database's schema cannot be used by this version of gradlog.
    case schema(path: String, MigrationError)
    /// A path to open or write is a directory, device, FIFO or socket (`kind`), where gradlog writes
    /// only regular files; `advice` says what to give instead. Nothing was opened or written.
    case specialFile(path: String, kind: SpecialFile.Kind, place: SpecialFile.Place)
    /// Runs of `source` share a uuid with runs here that they may not replace (finished here, or
    /// not the same run cut shorter); both sides were left as they are.
    case sameUUIDDifferentRun(uuids: [String], source: String)
    /// A command that only reads was given a database file that does not exist.
    case noDatabase(path: String)
    /// The file's tables, views, indexes or triggers are not the ones gradlog makes.
    case untrustedSchema(path: String, version: Int, problem: SchemaDifference)
    /// The file has an older schema and cannot be written to upgrade it.
    case cannotUpgrade(path: String, version: Int)
    /// A stored parameter name is not one gradlog writes, so the file was changed by something else.
    case badParameterName(path: String, runID: Int64, name: String)
    /// The file's rows of a run do not fit together (missing steps or gradient rows, odd names).
    case inconsistentRun(path: String, runID: Int64, problem: RunInconsistency)
    /// The run is still training in another process.
    case runIsLive(runID: Int64, process: LiveProcess)
    /// `--param` matched none of the run's parameters.
    case noParameterMatches(runID: Int64, pattern: String)
    /// A step (or the setup) of a run logged from outside breaks the rules of `ExternalStep`.
    case externalStep(ExternalStepProblem)
    /// The run was logged from outside gradlog's trainer, so it cannot be trained again to verify it.
    case externalRun(runID: Int64)
    /// No run of this file has all of these tags (`push --tag`).
    case noRunWithTags([String])
    /// No run of this file belongs to the sweep (`sweep show`, `sweep --resume`).
    case sweepNotFound(String)
    /// `sweep --resume` was given other options than the sweep was started with.
    case sweepGridDiffers(sweep: String)
    /// The PostgreSQL team store at `url` cannot be used (push, pull).
    case teamStore(url: String, problem: TeamStoreProblem)
    /// `push`: the run holds text that PostgreSQL cannot store as it is, so nothing of the run was sent.
    case textNotStorable(runID: Int64, column: String, problem: UnstorableText)
    /// A report would need more columns than SQLite can return.
    case reportTooWide(runID: Int64, parameters: Int, limit: Int)
    /// The run logged no such step (`check --step`).
    case stepNotFound(runID: Int64, step: Int64)
    /// The run was logged from outside, so gradlog has no model to evaluate its steps with (`check --eps-sweep`).
    case noModel(runID: Int64)


    /// Why PostgreSQL's text type cannot hold a text that SQLite keeps.
    public enum UnstorableText: Equatable, Sendable {
        /// A NUL byte, at this byte offset (0 is the first).
        case nulByte(offset: Int)
        /// Bytes that are not UTF-8.
        case notUTF8
    }

    /// Why a file could not be read.
    public enum FileProblem: Equatable, Sendable {
        /// The operating system's error (errno).
        case system(errno: Int32)
        /// The path names nothing.
        case noSuchFile
        /// Reading stopped short.
        case readError
        /// Larger than the most gradlog reads, in MiB.
        case tooLarge(limitMiB: Int)
        /// A directory, where a file of `expected` was wanted.
        case directory(expected: FileKind)
        /// A pipe or a device, where a file of `expected` was wanted.
        case notRegular(expected: FileKind)
        /// An empty file another gradlog is about to make a database.
        case emptyDatabase
        /// An SQLite file of another program (no runs table).
        case notGradlog
        /// A write-ahead log holds changes that cannot be read here: SQLite cannot create its
        /// shared-memory file (its message given).
        case logUnreadableHere(sqliteMessage: String)
    }

    /// What kind of file a path was given for.
    public enum FileKind: Equatable, Sendable {
        /// A database (`--db`, a merge source).
        case database
        /// A CSV data file (`--dataset`).
        case csv
        /// A JSON file (`--init`).
        case json
    }

    /// The process still training a run, and why `rm` did not stop it.
    public enum LiveProcess: Equatable, Sendable {
        /// This host's process `pid` trains it (`--force` stops it).
        case here(pid: Int32)
        /// A process on another host, which this command cannot stop.
        case elsewhere(pid: Int32, host: String)
        /// The pid names a program that is not gradlog: it was not signalled.
        case notGradlog(pid: Int32)
        /// The pid names a gradlog process that does not have this database open as the run's
        /// writer (a crafted row): it was not signalled.
        case notTheWriter(pid: Int32)
        /// The process did not stop within `seconds` of SIGTERM.
        case didNotStop(pid: Int32, seconds: Int)
    }

    /// One of the runs an ambiguous reference could mean.
    public struct RunCandidate: Equatable, Sendable {
        /// The run's id.
        public let id: Int64
        /// Its name.
        public let name: String
        /// Its uuid.
        public let uuid: String
    }

    /// True when the error is a full disk (or a full database size limit).
    public var isDiskFull: Bool {
        if case let .database(_, error) = self { return error.isDiskFull }
        return false
    }

    /// True when another connection held the file's lock for longer than the busy timeout.
    public var isBusy: Bool {
        if case let .database(_, error) = self { return error.isBusy }
        return false
    }
}

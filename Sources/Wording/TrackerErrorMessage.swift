#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tracker
import Training

extension TrackerError {
    /// The error in words for the person at the terminal, with what to do about it.
    public var message: String {
        switch self {
        case .runNotFound(let reference) where reference == "latest":
            "the database has no runs yet; start one with `\(Hint.command("run"))`"
        case .runNotFound(let reference) where Int64(reference) != nil:
            "no run with id \(reference); `\(Hint.command("runs"))` lists the runs in this database"
        case .runNotFound(let reference):
            "no run is \(MessageText.quoted(reference)) (by id, latest~N, uuid or name); `\(Hint.command("runs"))` lists the runs"
        case .badRunReference(let reference):
            "\(MessageText.quoted(reference)) is not a run: give a run id (such as 3), latest, latest~1, a uuid "
                + "(or its first 4 or more characters) or a run's name"
        case let .ambiguousRunReference(reference, candidates, more):
            "\(MessageText.quoted(reference)) names more than one run: "
                + (candidates.map { "\($0.id) (\(MessageText.shown($0.name, limit: 30)), \($0.uuid.prefix(8))…)" }
                    + (more ? ["…"] : [])).joined(separator: ", ")
                + "; give an id or a longer uuid prefix"
        case .datasetNotFound(let name):
            "--dataset \(MessageText.shown(name)): no built-in dataset has that name and no file exists at that path; "
                + "built-ins are \(Dataset.builtIns.map(\.name).joined(separator: ", ")), "
                + "or give a CSV file with a header row"
        case let .unreadableFile(path, reason):
            "\(path): cannot read the file: \(reason.words(path: path))"
        case .badData(let error):
            error.description
        case let .badInitialValues(path, .notAnObjectOfNumbers):
            "--init \(path): expected one JSON object mapping each parameter name to a number, e.g. "
                + "{\"l1.n1.w1\": 0.3, \"l1.n1.b\": 0}"
        case let .badInitialValues(path, .missing(names)):
            "--init \(path): no value for \(MessageText.shown(names.joined(separator: ", "))); give every parameter of "
                + "the model (`gradlog run --help` explains the names)"
        case let .badInitialValues(path, .duplicate(name)):
            "--init \(path): \(MessageText.quoted(name)) is given more than once; give each parameter once"
        case let .badInitialValues(path, .unknown(names)):
            "--init \(path): \(MessageText.shown(names.joined(separator: ", "))) is no parameter of this model"
        case .badConfig(let problems):
            problems.map(\.message).joined(separator: "\n")
        case let .database(path, error) where isDiskFull:
            "\(path): \(error); the disk (or the database's size limit) is full: free some space and try again"
        case let .database(path, error) where isBusy:
            "\(path): \(error); another program held the file's lock for over \(Store.busyTimeoutMilliseconds / 1000) s "
                + "(a long write or vacuum, or a sqlite3 shell in an open transaction): let it finish, then try again"
        case let .database(path, error):
            "\(path): \(error)"
        case let .schema(path, error):
            "\(path): \(error)"
        case let .specialFile(path, kind, place):
            "\(path): refused: it is \(kind.words), not a regular file; \(place.advice) (nothing was written)"
        case let .sameUUIDDifferentRun(uuids, source):
            "\(uuids.count == 1 ? "a run" : "\(uuids.count) runs") of \(source) (uuid \(uuids.map { MessageText.shown($0) }.joined(separator: ", "))) "
                + "\(uuids.count == 1 ? "has" : "have") the uuid of a run here but \(uuids.count == 1 ? "is" : "are") not the same run "
                + "(the one here is finished, or its settings or steps differ): nothing of \(uuids.count == 1 ? "it" : "them") "
                + "was copied and the run here is unchanged; to keep both, give the other copy a new uuid first, e.g. "
                + "sqlite3 COPY.db \"UPDATE runs SET uuid = lower(hex(randomblob(16))) WHERE uuid = '…'\", and merge that"
        case .noDatabase(let path):
            "there is no database at \(path); check --db (or $GRADLOG_DB), or create one with `gradlog run`"
        case let .untrustedSchema(path, version, problem):
            "\(path): refused: this is not the schema gradlog makes (version \(version)): \(problem.words); "
                + "nothing was read from or written to the file"
        case let .cannotUpgrade(path, version):
            "\(path): the database has schema version \(version) and must be upgraded once before it can be "
                + "read, but the file or its directory cannot be written; copy it to a writable place and run the command there"
        case let .badParameterName(path, runID, name):
            "\(path): run \(runID) has a parameter named \(MessageText.quoted(name)), which gradlog never "
                + "writes (it writes w, w1, w2, ..., b, and l1.n1.w1, ..., l1.n1.b for networks, and takes letters, digits, "
                + "_ . [ ] from outside); the file was changed outside gradlog, so it was not used"
        case let .storedConfig(path, runID, problems):
            "\(path): run \(runID) is inconsistent: its configuration is not one gradlog accepts ("
                + problems.map(\.message).joined(separator: "; ") + "); the file was changed outside gradlog"
        case let .inconsistentRun(path, runID, problem):
            "\(path): run \(runID) is inconsistent: \(problem.words); the file was changed outside gradlog"
        case let .runIsLive(runID, process):
            "run \(runID) is still training (\(process.words)); wait for it to end, stop it, "
                + "or give --force to stop it cleanly and then remove it"
        case let .noParameterMatches(runID, pattern):
            "--param \(MessageText.quoted(pattern)) matches no parameter of run \(runID); `\(Hint.command("show \(runID)"))` lists them "
                + "(* matches any text, ? one character, e.g. 'l1.*'; write [ as [[] to match it as itself)"
        case .externalStep(let problem):
            problem.message
        case .externalRun(let runID):
            "run \(runID) was logged from outside gradlog (gradlog log or GradlogKit): gradlog cannot train it again, "
                + "so it cannot verify it; its rows are kept as they were logged"
        case .noRunWithTags(let tags):
            "no run of this database has " + tagList(tags) + " (`\(Hint.command("runs --tag KEY=VALUE"))` lists runs by tag)"
        case .sweepNotFound(let sweep):
            "no run of this database belongs to sweep \(MessageText.quoted(sweep)) (a sweep's runs have the tag "
                + "sweep=ID; `\(Hint.command("runs --tag sweep=ID"))` lists them)"
        case .sweepGridDiffers(let sweep):
            "sweep \(sweep) was started with other options; to resume it, give its options as they were (the swept "
                + "options in the same order, with the same values; the others in any order)"
        case let .teamStore(url, problem):
            "PostgreSQL store \(url == TeamStore.notShown ? url : MessageText.quoted(url)): " + problem.message
        case let .textNotStorable(runID, column, problem):
            "run \(runID) cannot be pushed: its \(column) holds \(problem.words), which PostgreSQL text cannot "
                + "hold, and gradlog never changes text to push it; nothing of run \(runID) was written to the store; "
                + "push the other runs, or first change that text here (gradlog note and gradlog tag replace a note or a tag)"
        case let .reportTooWide(runID, parameters, limit):
            "run \(runID) has \(parameters) parameters, but this report can show at most \(limit) "
                + "(SQLite returns at most 2,000 columns); choose some with --param (e.g. 'l1.*'), or query the "
                + "steps and gradients tables directly"
        case let .stepNotFound(runID, step):
            "run \(runID) has no step \(step) (`\(Hint.command("show \(runID)"))` gives its step count)"
        case .noModel(let runID):
            "run \(runID) was logged from outside gradlog (gradlog log or GradlogKit): gradlog has no model of it to "
                + "evaluate a step with; sweep ε with your own framework's gradient check at that step"
        }
    }
}

extension TrackerError.UnstorableText {
    /// "a NUL byte (byte 4)" or "bytes that are not UTF-8".
    var words: String {
        switch self {
        case .nulByte(let offset): "a NUL byte (byte \(offset + 1))"
        case .notUTF8: "bytes that are not UTF-8"
        }
    }
}

extension ExternalStepProblem {
    /// The problem in words, for a line of `gradlog log`'s input or a GradlogKit caller.
    public var message: String {
        switch self {
        case let .stepNotIncreasing(previous, step) where previous == 0:
            "the first step is \(step); a step number is a positive integer"
        case let .stepNotIncreasing(previous, step):
            "\"step\" is \(step) after step \(previous); step numbers increase (gaps are fine: 10, 20, 30, ...)"
        case let .epochDecreasing(previous, epoch, given):
            (given ? "\"epoch\" is \(epoch)" : "the step has no \"epoch\", so its epoch is its step number, \(epoch)")
                + (previous == 0 ? "; an epoch is at least 1"
                    : ", after epoch \(previous); a step is in the previous step's epoch or a later one")
        case .noScalar:
            "the step logs nothing: give a \"loss\", \"metrics\" or \"params\", e.g. {\"step\": 10, \"loss\": 0.25}"
        case .noParameters:
            "\"params\" names no parameter; give at least one, e.g. {\"w\": 0.5}, or leave \"params\" out"
        case .gradientsWithoutValues(let what):
            "\"\(what)\" without \"params\": a gradient is logged beside the values it was taken at"
        case .gradientsMismatch(let what):
            "\"\(what)\" names other parameters than \"params\"; give a gradient of each parameter in \"params\", or none"
        case let .parameterCount(expected, got, what):
            "\(what) gives \(got) value\(got == 1 ? "" : "s") where \(expected) belong: the values of every parameter of "
                + "the run in order (or name the ones a step gives, or give as many values as positions)"
        case .badPositions:
            "the step's positions name a parameter twice, or one the run does not have"
        case .newParameterWithoutValue(let name):
            "the step adds parameter \(MessageText.quoted(name)) without giving its value"
        case .finalWithoutSteps(let name):
            "a final value for parameter \(MessageText.quoted(name)), which no step gave a value of; log it at a step "
                + "first, or leave it out (NaN)"
        case .tooManyParameters(let limit):
            "more than \(limit) parameters, the most a run logged from outside may have; log a sample of them"
        case .badParameterName(let name):
            "the parameter name \(MessageText.quoted(name)) is not allowed: a name starts with an ASCII letter or _, "
                + "holds only ASCII letters, digits, _ . [ ] (at most \(ParameterName.maxExternalLength)), is given once, "
                + "is not one of gradlog's report columns (\(ExternalRun.reservedNames.sorted().joined(separator: ", "))), "
                + "and is not another parameter's name followed by _analytic, _numeric, _abs_error, _rel_error or _passed"
        case .firstValueNotFinite(let name):
            "parameter \(MessageText.quoted(name)) is not finite (null, NaN or ±Infinity) at the first step that gives it; "
                + "a parameter starts from a finite value"
        case .badBatchSize(let size):
            "\"batch_size\" is \(size); give a count of at least 1, or leave it out"
        case .badMetricName(let name):
            "the metric name \(MessageText.quoted(name)) is not allowed: a name starts with an ASCII letter or _, holds "
                + "only ASCII letters, digits, _ . [ ] (at most \(ParameterName.maxExternalLength); e.g. val_loss, not "
                + "val/loss), and is none of gradlog's report columns (\(ExternalRun.reservedNames.sorted().joined(separator: ", ")), "
                + "nor a parameter's P, P_analytic, P_numeric, P_abs_error, P_rel_error, P_passed)"
        case .duplicateMetric(let name):
            "\"metrics\" gives \(MessageText.quoted(name)) twice"
        case .tooManyMetrics(let limit):
            "the run would have more than \(limit) metric names, more than its reports can show beside its "
                + "parameters (the per-epoch report has two columns for each, and SQLite returns at most 2,000)"
        case .badConfig:
            "the config is not a JSON object that SQLite can read (NaN and Infinity are not JSON: write null or a string)"
        }
    }
}

extension TeamStoreProblem {
    /// The problem in words, after the store's connection string.
    public var message: String {
        switch self {
        case .badURL(let reason):
            "not a libpq connection string (\(reason)); give a URI such as postgresql://user@host:5432/gradlog "
                + "or keywords such as 'host=/run/postgresql dbname=gradlog'"
        case .passwordInURL:
            "the connection string holds a password, which other users can read from the process list and the "
                + "shell history; remove it and set PGPASSWORD or a line in ~/.pgpass instead"
        case .cannotConnect(let reason):
            "cannot connect: \(reason)"
        case .foreignDatabase(let schema):
            "schema \(MessageText.quoted(schema)) has tables but none of gradlog's bookkeeping (schema_migrations): it "
                + "belongs to another program; give gradlog a schema of its own (--schema NAME) or a database of its own"
        case .noGradlogSchema(let schema):
            "schema \(MessageText.quoted(schema)) of the database holds no gradlog runs yet (push to it first, or name "
                + "the schema that holds them with --schema NAME)"
        case let .badSchemaName(name, reason):
            "\(MessageText.quoted(name)) cannot be the store's schema: \(reason.words); give --schema a name of 1 to "
                + "\(StoreSchema.maxNameBytes) bytes that does not start with pg_ (any characters: gradlog quotes it)"
        case .olderSchema(let version):
            "the store has gradlog's PostgreSQL schema version \(version), older than this gradlog's; "
                + "a push upgrades it"
        case let .newerSchema(found, supported):
            "the store has gradlog's PostgreSQL schema version \(found), but this gradlog knows versions up to "
                + "\(supported); use a newer gradlog (nothing was changed)"
        case .foreignObjects(let objects):
            ForeignObjectList.message(objects)
        case let .cannotPush(role, missing):
            PushPrivilegeList.message(role: role, missing: missing)
        case .permissionDenied(let message):
            "the server refused it: \(MessageText.escapingControls(message)); your role may read the store but not "
                + "change it (pull works), or not this part of it; push as a role that owns gradlog's tables, or ask "
                + "the store's owner for the grant (nothing was written)"
        case .server(let error):
            "\(error)"
        case .runNotFound(let reference):
            "no run in the store has the uuid \(MessageText.quoted(reference)) (give a full uuid or its first 4+ characters)"
        case .noRunWithTags(let tags):
            "no run in the store has " + tagList(tags)
        case let .ambiguousRun(reference, count):
            "\(MessageText.quoted(reference)) is the start of \(count == 2 ? "at least 2" : "\(count)") runs' uuids in "
                + "the store; give more characters"
        case let .unreadableValue(table, column, type, text):
            "the store's \(table).\(column) holds \(MessageText.quoted(text)), not a \(type.lowercased()); nothing was pulled"
        case let .epochsOutOfStepOrder(runID):
            "the store's epochs of run \(runID) do not follow the order of their steps, so its report cannot be read in place: "
                + "pull the run (gradlog pull) and check it with gradlog verify"
        }
    }
}

extension TeamStoreProblem.SchemaNameProblem {
    /// Why the name cannot be used, in words.
    var words: String {
        switch self {
        case .empty: "it is empty"
        case .nulByte: "it holds a NUL byte, which no PostgreSQL name can"
        case .tooLong: "it is longer than \(StoreSchema.maxNameBytes) bytes, and PostgreSQL would cut it to another name"
        case .system: "PostgreSQL reserves names starting with pg_, and information_schema, for itself"
        case .roleOwnSchema: "a search_path reads it as the role's own schema, not a schema of that name"
        }
    }
}

/// "the tag 'a=1'" or "the tags 'a=1' and 'b=2'", for messages about `--tag` filters.
func tagList(_ tags: [String]) -> String {
    "the tag\(tags.count == 1 ? "" : "s") " + tags.map { MessageText.quoted($0) }.joined(separator: " and ")
}

extension TrackerError.LiveProcess {
    /// The process and what became of it, in words.
    var words: String {
        switch self {
        case .here(let pid): "process \(pid)"
        case let .elsewhere(pid, host): "process \(pid) on \(host), which this command cannot stop"
        case .notGradlog(let pid): "process \(pid), which is not a gradlog program, so it was not signalled"
        case .notTheWriter(let pid): "process \(pid), which does not have this database open as the run's writer, so it was not signalled"
        case let .didNotStop(pid, seconds): "process \(pid) did not stop within \(seconds) seconds of SIGTERM"
        }
    }
}

extension TrackerError.FileProblem {
    /// Why the file at `path` could not be read, in words, with what to give instead.
    func words(path: String) -> String {
        switch self {
        case .system(let number): String(cString: strerror(number))
        case .noSuchFile: "no such file"
        case .readError: "read error"
        case .tooLarge(let limit): "it is larger than \(limit) MiB, the most gradlog reads"
        case .directory(let expected): "it is a directory; \(expected.instead)"
        case .notRegular(let expected): "it is not a regular file (a pipe or a device?); \(expected.instead)"
        case .emptyDatabase: "it is empty, not a gradlog database yet"
        case .notGradlog: "it is not a gradlog database (it has no runs table)"
        case .logUnreadableHere(let message):
            "its write-ahead log (\(path)-wal) holds changes, but SQLite cannot create the shared-memory file it "
                + "needs to read them here (\(message)); free some space, or copy the database with its -wal file "
                + "to a writable directory"
        }
    }
}

extension TrackerError.FileKind {
    /// What to give instead of a path that is no such file.
    var instead: String {
        switch self {
        case .database: "give a database file"
        case .csv: "give a CSV file"
        case .json: "give a JSON file"
        }
    }
}

import SQLiteDB
import Training

extension RunRecorder {
    static func insertRun(_ db: Database, request: RunRequest, trainer: Trainer) throws -> Int64 {
        try insertRow(db, [("name", .text(request.name))] + RunSettings.all.map { ($0.column, $0.write(trainer)) } + [
            ("config", .text(RunSettings.json(trainer))),
            ("samples_sha256", .text(Provenance.samplesDigest(request.dataset))),
        ], provenance: request.provenance)
    }

    /// A run logged from outside: no training settings but its tolerances, `source` 'external'.
    static func insertExternalRun(_ db: Database, setup: ExternalRunSetup) throws -> Int64 {
        try insertRow(db, [
            ("name", .text(setup.name)), ("source", .text("external")), ("atol", .real(setup.check.atol)),
            ("rtol", .real(setup.check.rtol)), ("config", .text(setup.configJSON)),
        ] + ["hidden", "activation", "check_every"].map { ($0, .null) }, provenance: setup.provenance)
    }

    /// Inserts a `running` row of `runs` with `values`, the process's identity and provenance.
    private static func insertRow(_ db: Database, _ values: [(String, SQLiteValue)], provenance: Provenance) throws -> Int64 {
        let system = Provenance.system()
        let identity = ProcessIdentity.current
        let values = values + [
            ("uuid", .text(RandomUUID.make())), ("status", .text(RunStatus.running.rawValue)),
            ("started_at", .text(Timestamp.now())), ("gradlog_version", .text(GradlogVersion.current)),
            ("host", .text(identity.host)), ("pid", .integer(Int64(identity.pid))),
            ("process_token", identity.token.map { .text($0) } ?? .null), ("heartbeat_at", .text(Timestamp.now())),
            ("swift_version", .text(Provenance.swiftVersion)), ("os", .text(system.os)), ("arch", .text(system.arch)),
            ("command_line", .text(JSONValue.array(provenance.commandLine.map(JSONValue.string)).text)),
            ("working_directory", .text(provenance.workingDirectory)),
            ("run_by", .text(provenance.user ?? RunUser.current())),
        ]
        let columns = values.map(\.0).joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: values.count).joined(separator: ", ")
        try db.run("INSERT INTO runs(\(columns)) VALUES (\(placeholders))", values.map(\.1))
        return db.lastInsertRowID
    }

    static func insertTags(_ db: Database, runID: Int64, tags: [(key: String, value: String)]) throws {
        for tag in tags {
            try db.run("INSERT OR REPLACE INTO tags(run_id, key, value) VALUES (?, ?, ?)",
                       [.integer(runID), .text(tag.key), .text(tag.value)])
        }
    }

    static func insertParams(_ db: Database, runID: Int64, trainer: Trainer) throws {
        let insert = try db.prepare(
            "INSERT INTO params(run_id, param, position, layer, unit, input, feature, initial) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        let features = trainer.dataset.featureNames
        for (position, (name, place)) in zip(trainer.parameterNames, trainer.model.parameterPlaces).enumerated() {
            // A first-layer weight multiplies a data column: that column's name is its feature.
            let feature = place.layer == 1 ? place.input.map { features[$0 - 1] } : nil
            try insert.bind([
                .integer(runID), .text(name), .integer(Int64(position)), .integer(Int64(place.layer)),
                .integer(Int64(place.unit)), place.input.map { .integer(Int64($0)) } ?? .null,
                feature.map { .text($0) } ?? .null, Measured.value(trainer.initialParameters[position]),
            ])
            try insert.run()
        }
    }

    static func insertSamples(_ db: Database, runID: Int64, dataset: Dataset) throws {
        let sample = try db.prepare("INSERT INTO samples(run_id, sample, y) VALUES (?, ?, ?)")
        let input = try db.prepare("INSERT INTO sample_inputs(run_id, sample, input, x) VALUES (?, ?, ?, ?)")
        for index in 0..<dataset.sampleCount {
            try sample.bind([.integer(runID), .integer(Int64(index + 1)), .integer(Int64(dataset.labels[index]))])
            try sample.run()
            for (j, x) in dataset.inputs(ofSample: index).enumerated() {
                try input.bind([.integer(runID), .integer(Int64(index + 1)), .integer(Int64(j + 1)), .real(x)])
                try input.run()
            }
        }
    }
}

import SQLiteDB
import Training

extension RunRecorder {
    static func insertRun(_ db: Database, request: RunRequest, trainer: Trainer) throws -> Int64 {
        let config = trainer.config
        let dataset = request.dataset
        let system = Provenance.system()
        try db.run(
            """
            INSERT INTO runs(uuid, name, status, started_at, gradlog_version, dataset, inputs, sample_count,
                loss, lr, epochs, batch_size, seed, eps, atol, rtol, init, config,
                host, pid, process_token, heartbeat_at,
                swift_version, os, arch, command_line, working_directory, samples_sha256)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(RandomUUID.make()), .text(request.name), .text(RunStatus.running.rawValue),
             .text(Timestamp.now()), .text(GradlogVersion.current), .text(dataset.name),
             .integer(Int64(dataset.inputCount)), .integer(Int64(dataset.sampleCount)),
             .text(config.loss.rawValue), .real(config.learningRate), .integer(Int64(config.epochs)),
             .integer(Int64(config.effectiveBatchSize(for: dataset))), .integer(Int64(config.seed)),
             .real(config.eps), .real(config.check.atol), .real(config.check.rtol),
             .text(trainer.initialSource.rawValue), .text(request.configJSON(trainer: trainer)),
             .text(ProcessIdentity.current.host), .integer(Int64(ProcessIdentity.current.pid)),
             ProcessIdentity.current.token.map { .text($0) } ?? .null, .text(Timestamp.now()),
             .text(Provenance.swiftVersion), .text(system.os), .text(system.arch),
             .text(JSONText.array(request.provenance.commandLine.map(JSONText.string))),
             .text(request.provenance.workingDirectory), .text(Provenance.samplesDigest(dataset))])
        return db.lastInsertRowID
    }

    static func insertParams(_ db: Database, runID: Int64, trainer: Trainer) throws {
        let insert = try db.prepare(
            "INSERT INTO params(run_id, param, position, input, feature, initial) VALUES (?, ?, ?, ?, ?, ?)")
        let features = trainer.dataset.featureNames
        for (position, name) in trainer.parameterNames.enumerated() {
            let isWeight = position < features.count
            try insert.bind([
                .integer(runID), .text(name), .integer(Int64(position)),
                isWeight ? .integer(Int64(position + 1)) : .null,
                isWeight ? .text(features[position]) : .null,
                SQLiteValue(lossless: trainer.initialParameters[position]),
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

import SQLiteDB

extension Comparison {
    /// A logged step's columns as stored.
    struct StepValues {
        let step, epoch, batchSize, loss: SQLiteValue
    }

    /// A logged gradient row's columns as stored, its parameter's name decoded.
    struct GradientValues {
        let param: String
        let value, analytic, numeric, passed, autodiff: SQLiteValue
    }

    /// The steps query's columns, resolved by name once.
    struct StepColumns {
        private let step, epoch, batchSize, loss: Int32

        init(_ s: Statement) throws {
            (step, epoch, batchSize, loss) = try (s.column(named: "step"), s.column(named: "epoch"),
                                                  s.column(named: "batch_size"), s.column(named: "loss"))
        }

        /// The current row's values.
        func read(_ s: Statement) -> StepValues {
            StepValues(step: s.value(at: step), epoch: s.value(at: epoch), batchSize: s.value(at: batchSize), loss: s.value(at: loss))
        }
    }

    /// The gradients query's columns, resolved by name once.
    struct GradientColumns {
        private let param, value, analytic, numeric, passed, autodiff: Int32

        init(_ s: Statement) throws {
            (param, value, analytic) = try (s.column(named: "param"), s.column(named: "value"), s.column(named: "analytic"))
            (numeric, passed, autodiff) = try (s.column(named: "numeric"), s.column(named: "passed"), s.column(named: "autodiff"))
        }

        /// The current row's values.
        func read(_ s: Statement) throws -> GradientValues {
            GradientValues(param: try s.decode(String.self, at: param), value: s.value(at: value), analytic: s.value(at: analytic),
                           numeric: s.value(at: numeric), passed: s.value(at: passed), autodiff: s.value(at: autodiff))
        }
    }
}

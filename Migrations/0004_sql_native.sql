-- gradlog schema, version 4: SQL-native numbers, per-epoch rows written at train time, and
-- networks with hidden layers.
-- Never edit once released.
--
-- Every measured value is a REAL (STRICT tables refuse text and blobs there) and a NaN is SQL NULL,
-- so avg(), max(), pandas and sqlite-utils work without knowing gradlog; count NaN losses with
-- `loss IS NULL`. +-infinity are SQLite's own infinities. A REAL column cannot keep the sign of
-- -0.0: it reads back as 0.0, and `gradlog verify` compares values by IEEE equality (NaN equal to
-- NaN). Older files had NaN as an 8-byte BLOB in ANY columns: those become NULL, every other
-- value is copied unchanged. gradlog computes the `epochs` rows of existing runs in code, right
-- after this script, in the same transaction.

DROP VIEW epochs;
DROP VIEW epoch_params;
DROP VIEW param_updates;

-- One row per training run: identity, status, every hyperparameter as a column (including the
-- residual form of the gradient, 'exact' or the older 'difference', and the architecture: `hidden`
-- lists the units of each hidden layer, '4,2', or '' for the single neuron; `check_every` K means
-- the numeric gradient and the check were computed at steps 1, 1 + K, 1 + 2K, ...), the full
-- config as JSON, provenance, and a summary kept up to date while the run trains.
CREATE TABLE runs_v4 (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    gradlog_version TEXT NOT NULL,
    dataset TEXT NOT NULL,
    inputs INTEGER NOT NULL,
    sample_count INTEGER NOT NULL,
    loss TEXT NOT NULL,
    lr REAL NOT NULL,
    epochs INTEGER NOT NULL,
    batch_size INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    eps REAL NOT NULL,
    atol REAL NOT NULL,
    rtol REAL NOT NULL,
    init TEXT NOT NULL,
    residual TEXT NOT NULL CHECK (residual IN ('exact', 'difference')),
    hidden TEXT NOT NULL DEFAULT '',
    activation TEXT NOT NULL DEFAULT 'sigmoid' CHECK (activation IN ('sigmoid', 'tanh')),
    check_every INTEGER NOT NULL DEFAULT 1 CHECK (check_every >= 1),
    config TEXT NOT NULL,
    step_count INTEGER NOT NULL DEFAULT 0,
    epoch_count INTEGER NOT NULL DEFAULT 0,
    final_loss REAL,
    final_accuracy REAL,
    worst_abs_error REAL,
    worst_rel_error REAL,
    failed_checks INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    host TEXT NOT NULL DEFAULT '',
    pid INTEGER,
    process_token TEXT,
    heartbeat_at TEXT,
    build_commit TEXT,
    swift_version TEXT,
    os TEXT,
    arch TEXT,
    command_line TEXT,
    working_directory TEXT,
    samples_sha256 TEXT,
    duration_seconds REAL,
    note TEXT NOT NULL DEFAULT ''
) STRICT;

INSERT INTO runs_v4
SELECT id, uuid, name, status, started_at, ended_at, gradlog_version, dataset, inputs, sample_count, loss,
       lr, epochs, batch_size, seed, eps, atol, rtol, init,
       CASE WHEN json_valid(config) AND json_extract(config, '$.residual') = 'exact' THEN 'exact'
            ELSE 'difference' END,
       '', 'sigmoid', 1,
       config, step_count, epoch_count,
       CASE WHEN typeof(final_loss) = 'blob' THEN NULL ELSE final_loss END,
       CASE WHEN typeof(final_accuracy) = 'blob' THEN NULL ELSE final_accuracy END,
       CASE WHEN typeof(worst_abs_error) = 'blob' THEN NULL ELSE worst_abs_error END,
       CASE WHEN typeof(worst_rel_error) = 'blob' THEN NULL ELSE worst_rel_error END,
       failed_checks, error, host, pid, process_token, heartbeat_at, build_commit, swift_version, os, arch,
       command_line, working_directory, samples_sha256, duration_seconds, note
FROM runs;
DROP TABLE runs;
ALTER TABLE runs_v4 RENAME TO runs;
CREATE INDEX runs_by_start ON runs(started_at);
CREATE INDEX runs_by_status ON runs(status);

-- The parameters of a run, in order: for the single neuron the weights (w, or w1..wn), then the
-- bias b; for a network l{layer}.n{unit}.w{input} and l{layer}.n{unit}.b, layer by layer, unit by
-- unit. `layer` and `unit` count from 1 (the single neuron is layer 1, unit 1); `input` is the
-- input a weight multiplies (NULL for a bias), `feature` the data column of a first-layer weight;
-- `final` is NULL while the run trains (or when the parameter ended as NaN).
CREATE TABLE params_v4 (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    param TEXT NOT NULL,
    position INTEGER NOT NULL,
    layer INTEGER NOT NULL DEFAULT 1,
    unit INTEGER NOT NULL DEFAULT 1,
    input INTEGER,
    feature TEXT,
    initial REAL NOT NULL,
    final REAL,
    PRIMARY KEY (run_id, param)
) STRICT, WITHOUT ROWID;
INSERT INTO params_v4
SELECT run_id, param, position, 1, 1, input, feature, initial,
       CASE WHEN typeof(final) = 'blob' THEN NULL ELSE final END
FROM params;
DROP TABLE params;
ALTER TABLE params_v4 RENAME TO params;

-- One row per input value of each sample.
CREATE TABLE sample_inputs_v4 (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    sample INTEGER NOT NULL,
    input INTEGER NOT NULL,
    x REAL NOT NULL,
    PRIMARY KEY (run_id, sample, input)
) STRICT, WITHOUT ROWID;
INSERT INTO sample_inputs_v4 SELECT run_id, sample, input, x FROM sample_inputs;
DROP TABLE sample_inputs;
ALTER TABLE sample_inputs_v4 RENAME TO sample_inputs;

-- One row per optimisation step; `loss` is the mean loss of the step's batch before its update.
CREATE TABLE steps_v4 (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    epoch INTEGER NOT NULL,
    batch_size INTEGER NOT NULL,
    loss REAL,
    PRIMARY KEY (run_id, step)
) STRICT, WITHOUT ROWID;
INSERT INTO steps_v4
SELECT run_id, step, epoch, batch_size, CASE WHEN typeof(loss) = 'blob' THEN NULL ELSE loss END FROM steps;
DROP TABLE steps;
ALTER TABLE steps_v4 RENAME TO steps;

-- One row per parameter per step: the value at which loss and gradients were evaluated (before
-- the step's update), the chain-rule and central-difference gradients, and the check's verdict
-- (`numeric` and `passed` are NULL at a step without a check, see runs.check_every).
-- The two errors are computed from the stored gradients when read, so they take no space. Their
-- expressions always give a REAL or NULL; they are declared ANY because SQLite hands a REAL-typed
-- generated 0.0 that went through a sort (ORDER BY) back as the integer 0.
CREATE TABLE gradients_v4 (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    param TEXT NOT NULL,
    value REAL,
    analytic REAL,
    numeric REAL,
    passed INTEGER CHECK (passed IN (0, 1)),
    abs_error ANY GENERATED ALWAYS AS (abs(analytic - numeric) + 0.0) VIRTUAL,
    rel_error ANY GENERATED ALWAYS AS (
        CASE WHEN analytic = 0 AND numeric = 0 THEN 0.0
             ELSE abs(analytic - numeric) / max(abs(analytic), abs(numeric)) END) VIRTUAL,
    PRIMARY KEY (run_id, step, param)
) STRICT, WITHOUT ROWID;
INSERT INTO gradients_v4 (run_id, step, param, value, analytic, numeric, passed)
SELECT run_id, step, param,
       CASE WHEN typeof(value) = 'blob' THEN NULL ELSE value END,
       CASE WHEN typeof(analytic) = 'blob' THEN NULL ELSE analytic END,
       CASE WHEN typeof(numeric) = 'blob' THEN NULL ELSE numeric END,
       passed
FROM gradients;
DROP TABLE gradients;
ALTER TABLE gradients_v4 RENAME TO gradients;

-- One row per run per epoch, written by the run as each epoch ends (see the README's schema
-- section for the summation order): its steps, mean loss, the accuracy of the end-of-epoch
-- parameters on all of the run's samples, and the worst gradient check (NULL when one was NaN).
CREATE TABLE epochs (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL,
    steps INTEGER NOT NULL,
    first_step INTEGER GENERATED ALWAYS AS (last_step - steps + 1) VIRTUAL,
    last_step INTEGER NOT NULL,
    mean_loss REAL,
    accuracy REAL,
    worst_abs_error REAL,
    worst_rel_error REAL,
    failed_checks INTEGER NOT NULL,
    PRIMARY KEY (run_id, epoch)
) STRICT, WITHOUT ROWID;

-- Every parameter before and after each step's update, after = before - lr * analytic: exactly
-- the trainer's arithmetic, so the values agree bit for bit (NULL where a value is NaN).
CREATE VIEW param_updates AS
SELECT g.run_id, g.step, g.param, g.value AS before, g.value - r.lr * g.analytic AS after
FROM gradients AS g
JOIN runs AS r ON r.id = g.run_id;

-- Each parameter at the end of each epoch: the value the next step started from, or for the last
-- logged epoch the run's final value (NULL while the run trains).
CREATE VIEW epoch_params AS
SELECT e.run_id, e.epoch, p.position, p.param,
       CASE WHEN g.step IS NULL THEN p.final ELSE g.value END AS value
FROM epochs AS e
JOIN params AS p ON p.run_id = e.run_id
LEFT JOIN gradients AS g ON g.run_id = e.run_id AND g.step = e.last_step + 1 AND g.param = p.param;

-- The worst gradient check of each layer in each epoch, so that a fault confined to one layer
-- stands out: `checks` counts the checks made, the worst errors are NULL when one was NaN (or none
-- was made), `failed_checks` counts the failed ones.
CREATE VIEW layer_checks AS
SELECT s.run_id, s.epoch, p.layer, count(g.passed) AS checks,
       CASE WHEN count(g.abs_error) = count(g.passed) THEN max(g.abs_error) END AS worst_abs_error,
       CASE WHEN count(g.rel_error) = count(g.passed) THEN max(g.rel_error) END AS worst_rel_error,
       count(CASE WHEN g.passed = 0 THEN 1 END) AS failed_checks
FROM steps AS s
JOIN gradients AS g ON g.run_id = s.run_id AND g.step = s.step
JOIN params AS p ON p.run_id = g.run_id AND p.param = g.param
GROUP BY s.run_id, s.epoch, p.layer;

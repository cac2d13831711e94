-- gradlog schema, version 6: runs logged from outside gradlog's trainer, and extra metrics.
-- Never edit once released.
--
-- `gradlog log` (JSON Lines) and the GradlogKit library log steps computed by other code. Such a
-- run has `source` 'external' (gradlog's own runs: 'gradlog'); the training settings it does not
-- have (dataset, samples, learning rate, loss, seed, ...) are NULL, and a CHECK keeps them
-- required for gradlog's own runs. A step may leave its batch size unknown (NULL). Extra named
-- scalars of a step (a validation loss, a learning-rate schedule) go to `step_metrics`.
-- Every existing row is copied unchanged.

DROP VIEW param_updates;
DROP VIEW epoch_params;
DROP VIEW layer_checks;

CREATE TABLE runs_v6 (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    gradlog_version TEXT NOT NULL,
    dataset TEXT,
    inputs INTEGER,
    sample_count INTEGER,
    loss TEXT,
    lr REAL,
    epochs INTEGER,
    batch_size INTEGER,
    seed INTEGER,
    eps REAL,
    atol REAL NOT NULL,
    rtol REAL NOT NULL,
    init TEXT,
    residual TEXT CHECK (residual IN ('exact', 'difference')),
    hidden TEXT,
    activation TEXT CHECK (activation IN ('sigmoid', 'tanh')),
    check_every INTEGER CHECK (check_every >= 1),
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
    note TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT 'gradlog' CHECK (source IN ('gradlog', 'external')),
    CHECK (source = 'external' OR (dataset IS NOT NULL AND inputs IS NOT NULL AND sample_count IS NOT NULL
        AND loss IS NOT NULL AND lr IS NOT NULL AND epochs IS NOT NULL AND batch_size IS NOT NULL
        AND seed IS NOT NULL AND eps IS NOT NULL AND init IS NOT NULL AND residual IS NOT NULL
        AND hidden IS NOT NULL AND activation IS NOT NULL AND check_every IS NOT NULL))
) STRICT;
INSERT INTO runs_v6 SELECT *, 'gradlog' FROM runs;
DROP TABLE runs;
ALTER TABLE runs_v6 RENAME TO runs;
CREATE INDEX runs_by_start ON runs(started_at);
CREATE INDEX runs_by_status ON runs(status);

-- One row per optimisation step; `batch_size` is NULL where an external run did not give it.
CREATE TABLE steps_v6 (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    epoch INTEGER NOT NULL,
    batch_size INTEGER,
    loss REAL,
    PRIMARY KEY (run_id, step)
) STRICT, WITHOUT ROWID;
INSERT INTO steps_v6 SELECT run_id, step, epoch, batch_size, loss FROM steps;
DROP TABLE steps;
ALTER TABLE steps_v6 RENAME TO steps;

-- Named scalars logged with a step besides its loss (NULL: the value was NaN).
CREATE TABLE step_metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    name TEXT NOT NULL,
    value REAL,
    PRIMARY KEY (run_id, step, name)
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

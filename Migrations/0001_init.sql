-- gradlog schema, version 1. Never edit this file once released: add a new numbered file instead.
--
-- Measured values (losses, parameters, gradients, inputs) are stored in columns of type ANY in
-- STRICT tables. A REAL column would store an integral double as an integer and turn -0.0 into 0;
-- ANY keeps every bound double exactly as it was written. SQLite cannot store NaN as a real (it
-- would become NULL), so gradlog writes a NaN as an 8-byte BLOB holding its IEEE-754 bits,
-- big-endian: hex(x) shows them, e.g. 7FF8000000000000. The views below treat such a value, and
-- any arithmetic that comes out NaN, the same way: the result is the NaN x'7FF8000000000000'.

-- One row per training run: its identity, status, every hyperparameter as a column, the full
-- config as JSON, and a summary kept up to date while the run trains (so listing runs never
-- scans the steps).
CREATE TABLE runs (
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
    lr ANY NOT NULL,
    epochs INTEGER NOT NULL,
    batch_size INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    eps ANY NOT NULL,
    atol ANY NOT NULL,
    rtol ANY NOT NULL,
    init TEXT NOT NULL,
    config TEXT NOT NULL,
    step_count INTEGER NOT NULL DEFAULT 0,
    epoch_count INTEGER NOT NULL DEFAULT 0,
    final_loss ANY,
    final_accuracy ANY,
    worst_abs_error ANY,
    worst_rel_error ANY,
    failed_checks INTEGER NOT NULL DEFAULT 0,
    error TEXT
) STRICT;

CREATE INDEX runs_by_start ON runs(started_at);

-- Free-form key=value labels of a run.
CREATE TABLE tags (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
) STRICT, WITHOUT ROWID;

-- The parameters of a run's neuron, in order: the weights (w, or w1..wn), then the bias b.
-- `input` is the input a weight multiplies (1..n; NULL for b) and `feature` its column name.
CREATE TABLE params (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    param TEXT NOT NULL,
    position INTEGER NOT NULL,
    input INTEGER,
    feature TEXT,
    initial ANY NOT NULL,
    final ANY,
    PRIMARY KEY (run_id, param)
) STRICT, WITHOUT ROWID;

-- The samples a run trained on, so that it can be re-executed from the database alone.
CREATE TABLE samples (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    sample INTEGER NOT NULL,
    y INTEGER NOT NULL CHECK (y IN (0, 1)),
    PRIMARY KEY (run_id, sample)
) STRICT, WITHOUT ROWID;

-- One row per input value of each sample.
CREATE TABLE sample_inputs (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    sample INTEGER NOT NULL,
    input INTEGER NOT NULL,
    x ANY NOT NULL,
    PRIMARY KEY (run_id, sample, input)
) STRICT, WITHOUT ROWID;

-- One row per optimisation step; `loss` is the mean loss of the step's batch before its update.
CREATE TABLE steps (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    epoch INTEGER NOT NULL,
    batch_size INTEGER NOT NULL,
    loss ANY,
    PRIMARY KEY (run_id, step)
) STRICT, WITHOUT ROWID;

-- One row per parameter per step: the value at which loss and gradients were evaluated (before
-- the step's update), the chain-rule gradient, the central-difference gradient, and the check.
-- The two errors are computed from the stored gradients, so they take no space on disk.
CREATE TABLE gradients (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    param TEXT NOT NULL,
    value ANY,
    analytic ANY,
    numeric ANY,
    passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
    -- "+ 0.0" turns SQLite's abs(-0.0) = -0.0 into 0.0, as |a - n| is everywhere else.
    abs_error ANY GENERATED ALWAYS AS (coalesce(
        CASE WHEN typeof(analytic) = 'real' AND typeof(numeric) = 'real'
             THEN abs(analytic - numeric) + 0.0 END,
        x'7FF8000000000000')) VIRTUAL,
    rel_error ANY GENERATED ALWAYS AS (coalesce(
        CASE WHEN typeof(analytic) <> 'real' OR typeof(numeric) <> 'real' THEN NULL
             WHEN analytic = 0 AND numeric = 0 THEN 0.0
             ELSE (abs(analytic - numeric) + 0.0) / max(abs(analytic), abs(numeric)) END,
        x'7FF8000000000000')) VIRTUAL,
    PRIMARY KEY (run_id, step, param)
) STRICT, WITHOUT ROWID;

-- Every parameter before and after each step's update, after = before - lr * analytic: exactly
-- the trainer's arithmetic, so the values agree bit for bit. `after` is NULL when it is NaN.
CREATE VIEW param_updates AS
SELECT g.run_id, g.step, g.param, g.value AS before,
       CASE WHEN typeof(g.value) = 'real' AND typeof(g.analytic) = 'real'
            THEN g.value - r.lr * g.analytic END AS after
FROM gradients AS g
JOIN runs AS r ON r.id = g.run_id;

-- The parameters at the end of each epoch: the values after the epoch's last step.
CREATE VIEW epoch_params AS
SELECT last.run_id, last.epoch, p.position, p.param, coalesce(u.after, x'7FF8000000000000') AS value
FROM (SELECT run_id, epoch, max(step) AS last_step FROM steps GROUP BY run_id, epoch) AS last
JOIN params AS p ON p.run_id = last.run_id
JOIN param_updates AS u ON u.run_id = last.run_id AND u.step = last.last_step AND u.param = p.param;

-- One row per run per epoch: its steps, mean loss, worst gradient check, and the accuracy of the
-- end-of-epoch parameters on all of the run's samples. A sample is predicted 1 when its logit
-- t = w·x + b is >= 0 (the sigmoid is >= 0.5), else 0, also when t is NaN, as in the trainer.
-- A NaN sorts above every number, so max() of the errors is NaN when any check was NaN.
CREATE VIEW epochs AS
WITH spans AS (
    SELECT run_id, epoch, count(*) AS steps, min(step) AS first_step, max(step) AS last_step,
           coalesce(CASE WHEN count(*) = sum(typeof(loss) = 'real') THEN avg(loss) END,
                    x'7FF8000000000000') AS mean_loss
    FROM steps
    GROUP BY run_id, epoch
)
SELECT s.run_id, s.epoch, s.steps, s.first_step, s.last_step, s.mean_loss,
    (SELECT max(g.abs_error) FROM gradients AS g
      WHERE g.run_id = s.run_id AND g.step BETWEEN s.first_step AND s.last_step) AS worst_abs_error,
    (SELECT max(g.rel_error) FROM gradients AS g
      WHERE g.run_id = s.run_id AND g.step BETWEEN s.first_step AND s.last_step) AS worst_rel_error,
    (SELECT count(*) FROM gradients AS g
      WHERE g.run_id = s.run_id AND g.step BETWEEN s.first_step AND s.last_step AND g.passed = 0) AS failed_checks,
    (SELECT avg(CASE WHEN (CASE WHEN logit.t >= 0 THEN 1 ELSE 0 END) = logit.y THEN 1.0 ELSE 0.0 END)
       FROM (SELECT sm.y,
                (SELECT u.after FROM param_updates AS u
                  WHERE u.run_id = s.run_id AND u.step = s.last_step AND u.param = 'b')
              + (SELECT CASE WHEN count(*) = count(term.product) THEN total(term.product) END
                   FROM (SELECT si.x * u.after AS product
                           FROM sample_inputs AS si
                           JOIN params AS p ON p.run_id = si.run_id AND p.input = si.input
                           JOIN param_updates AS u
                             ON u.run_id = si.run_id AND u.step = s.last_step AND u.param = p.param
                          WHERE si.run_id = sm.run_id AND si.sample = sm.sample) AS term) AS t
             FROM samples AS sm WHERE sm.run_id = s.run_id) AS logit) AS accuracy
FROM spans AS s;

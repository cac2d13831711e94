-- gradlog's PostgreSQL team store, version 1: the SQLite schema (version 6) under the same table,
-- view and column names, for `gradlog push` and `gradlog pull`. Never edit once released.
--
-- Values are the SQLite file's, unchanged: INTEGER is bigint, REAL is double precision (±Infinity
-- as themselves), TEXT is text, and a NaN, which SQLite stores as NULL, is NULL here too, so one
-- query gives the same answer on both stores and the README's table of what NULL means holds for
-- both. Timestamps stay the ISO 8601 text gradlog writes. A run's `id` is this server's own;
-- `uuid` is what push and pull match runs by.

CREATE TABLE schema_migrations (
    version bigint PRIMARY KEY,
    name text NOT NULL,
    applied_at text NOT NULL
);

CREATE TABLE runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid text NOT NULL UNIQUE,
    name text NOT NULL DEFAULT '',
    status text NOT NULL,
    started_at text NOT NULL,
    ended_at text,
    gradlog_version text NOT NULL,
    dataset text,
    inputs bigint,
    sample_count bigint,
    loss text,
    lr double precision,
    epochs bigint,
    batch_size bigint,
    seed bigint,
    eps double precision,
    atol double precision NOT NULL,
    rtol double precision NOT NULL,
    init text,
    residual text CHECK (residual IN ('exact', 'difference')),
    hidden text,
    activation text CHECK (activation IN ('sigmoid', 'tanh')),
    check_every bigint CHECK (check_every >= 1),
    config text NOT NULL,
    step_count bigint NOT NULL DEFAULT 0,
    epoch_count bigint NOT NULL DEFAULT 0,
    final_loss double precision,
    final_accuracy double precision,
    worst_abs_error double precision,
    worst_rel_error double precision,
    failed_checks bigint NOT NULL DEFAULT 0,
    error text,
    host text NOT NULL DEFAULT '',
    pid bigint,
    process_token text,
    heartbeat_at text,
    build_commit text,
    swift_version text,
    os text,
    arch text,
    command_line text,
    working_directory text,
    samples_sha256 text,
    duration_seconds double precision,
    note text NOT NULL DEFAULT '',
    source text NOT NULL DEFAULT 'gradlog' CHECK (source IN ('gradlog', 'external')),
    CHECK (source = 'external' OR (dataset IS NOT NULL AND inputs IS NOT NULL AND sample_count IS NOT NULL
        AND loss IS NOT NULL AND lr IS NOT NULL AND epochs IS NOT NULL AND batch_size IS NOT NULL
        AND seed IS NOT NULL AND eps IS NOT NULL AND init IS NOT NULL AND residual IS NOT NULL
        AND hidden IS NOT NULL AND activation IS NOT NULL AND check_every IS NOT NULL))
);
CREATE INDEX runs_by_start ON runs(started_at);
CREATE INDEX runs_by_status ON runs(status);

CREATE TABLE tags (
    run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    key text NOT NULL,
    value text NOT NULL,
    PRIMARY KEY (run_id, key)
);
-- Finding a sweep's trials (`tags.key = 'sweep'`) or a team's runs by tag, as `pull --tag` does.
CREATE INDEX tags_by_key_value ON tags(key, value);

CREATE TABLE params (
    run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    param text NOT NULL,
    position bigint NOT NULL,
    layer bigint NOT NULL DEFAULT 1,
    unit bigint NOT NULL DEFAULT 1,
    input bigint,
    feature text,
    initial double precision NOT NULL,
    final double precision,
    PRIMARY KEY (run_id, param)
);

CREATE TABLE samples (
    run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    sample bigint NOT NULL,
    y bigint NOT NULL CHECK (y IN (0, 1)),
    PRIMARY KEY (run_id, sample)
);

CREATE TABLE sample_inputs (
    run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    sample bigint NOT NULL,
    input bigint NOT NULL,
    x double precision NOT NULL,
    PRIMARY KEY (run_id, sample, input)
);

CREATE TABLE steps (
    run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step bigint NOT NULL,
    epoch bigint NOT NULL,
    batch_size bigint,
    loss double precision,
    PRIMARY KEY (run_id, step)
);

-- abs_error and rel_error are computed as SQLite computes them; where float arithmetic makes a
-- NaN (Infinity - Infinity), SQLite gives NULL, and so does NULLIF here.
CREATE TABLE gradients (
    run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step bigint NOT NULL,
    param text NOT NULL,
    value double precision,
    analytic double precision,
    numeric double precision,
    passed bigint CHECK (passed IN (0, 1)),
    abs_error double precision GENERATED ALWAYS AS (NULLIF(abs(analytic - numeric), 'NaN')) STORED,
    rel_error double precision GENERATED ALWAYS AS (
        CASE WHEN analytic = 0 AND numeric = 0 THEN 0.0
             WHEN analytic IS NULL OR numeric IS NULL THEN NULL
             ELSE NULLIF(abs(analytic - numeric) / greatest(abs(analytic), abs(numeric)), 'NaN') END) STORED,
    PRIMARY KEY (run_id, step, param)
);

CREATE TABLE epochs (
    run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    epoch bigint NOT NULL,
    steps bigint NOT NULL,
    first_step bigint GENERATED ALWAYS AS (last_step - steps + 1) STORED,
    last_step bigint NOT NULL,
    mean_loss double precision,
    accuracy double precision,
    worst_abs_error double precision,
    worst_rel_error double precision,
    failed_checks bigint NOT NULL,
    PRIMARY KEY (run_id, epoch)
);

CREATE TABLE step_metrics (
    run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step bigint NOT NULL,
    name text NOT NULL,
    value double precision,
    PRIMARY KEY (run_id, step, name)
);

CREATE TABLE gradient_blocks (
    run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    block bigint NOT NULL,
    param text NOT NULL,
    first_step bigint NOT NULL,
    last_step bigint NOT NULL,
    value_low double precision,
    value_high double precision,
    value_nan bigint NOT NULL,
    value_plus_inf bigint NOT NULL,
    value_minus_inf bigint NOT NULL,
    checks bigint NOT NULL,
    rel_error_low double precision,
    rel_error_high double precision,
    rel_error_nan bigint NOT NULL,
    rel_error_plus_inf bigint NOT NULL,
    rel_error_minus_inf bigint NOT NULL,
    PRIMARY KEY (run_id, block, param)
);

CREATE VIEW param_updates AS
SELECT g.run_id, g.step, g.param, g.value AS before, NULLIF(g.value - r.lr * g.analytic, 'NaN') AS after
FROM gradients AS g
JOIN runs AS r ON r.id = g.run_id;

CREATE VIEW epoch_params AS
SELECT e.run_id, e.epoch, p.position, p.param,
       CASE WHEN g.step IS NULL THEN p.final ELSE g.value END AS value
FROM epochs AS e
JOIN params AS p ON p.run_id = e.run_id
LEFT JOIN gradients AS g ON g.run_id = e.run_id AND g.step = e.last_step + 1 AND g.param = p.param;

CREATE VIEW layer_checks AS
SELECT s.run_id, s.epoch, p.layer, count(g.passed) AS checks,
       CASE WHEN count(g.abs_error) = count(g.passed) THEN max(g.abs_error) END AS worst_abs_error,
       CASE WHEN count(g.rel_error) = count(g.passed) THEN max(g.rel_error) END AS worst_rel_error,
       count(CASE WHEN g.passed = 0 THEN 1 END) AS failed_checks
FROM steps AS s
JOIN gradients AS g ON g.run_id = s.run_id AND g.step = s.step
JOIN params AS p ON p.run_id = g.run_id AND p.param = g.param
GROUP BY s.run_id, s.epoch, p.layer;

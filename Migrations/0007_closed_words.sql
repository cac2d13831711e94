-- gradlog schema, version 7: a run's status and loss are one of gradlog's words.
-- Never edit once released.
--
-- `runs.status` is one of running, finished, diverged, failed, interrupted, crashed, and `runs.loss`
-- (NULL for a run logged from outside) stable or textbook: SQLite itself now refuses any other value,
-- so a hand-edited status can no longer travel through merge, pull or push. The table is rebuilt
-- (SQLite cannot add a CHECK to a table) and every row copied unchanged; a file already holding
-- another status is refused by this upgrade, unchanged, with SQLite's CHECK message.

DROP VIEW param_updates;

CREATE TABLE runs_v7 (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'diverged', 'failed', 'interrupted', 'crashed')),
    started_at TEXT NOT NULL,
    ended_at TEXT,
    gradlog_version TEXT NOT NULL,
    dataset TEXT,
    inputs INTEGER,
    sample_count INTEGER,
    loss TEXT CHECK (loss IN ('stable', 'textbook')),
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
INSERT INTO runs_v7 SELECT * FROM runs;
DROP TABLE runs;
ALTER TABLE runs_v7 RENAME TO runs;
CREATE INDEX runs_by_start ON runs(started_at);
CREATE INDEX runs_by_status ON runs(status);

-- Every parameter before and after each step's update, after = before - lr * analytic: exactly
-- the trainer's arithmetic, so the values agree bit for bit (NULL where a value is NaN).
CREATE VIEW param_updates AS
SELECT g.run_id, g.step, g.param, g.value AS before, g.value - r.lr * g.analytic AS after
FROM gradients AS g
JOIN runs AS r ON r.id = g.run_id;

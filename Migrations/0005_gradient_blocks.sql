-- gradlog schema, version 5: a summary of every 256 steps of each parameter, for charts.
-- Never edit once released.
--
-- A chart of a run of millions of steps is drawn from at most a few thousand of these rows per
-- parameter instead of every gradient row. Step s belongs to block (s - 1) / 256. For each run,
-- block and parameter: the steps it holds, then the smallest and largest finite value of the
-- parameter and how many of its values were NaN (NULL), +Inf and -Inf; then how many steps were
-- checked, and the same five figures for the relative error of those checks. gradlog writes a
-- block when the run moves past it and the last one when the run ends; it computes the blocks of
-- existing runs right after this script, in the same transaction.
CREATE TABLE gradient_blocks (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    block INTEGER NOT NULL,
    param TEXT NOT NULL,
    first_step INTEGER NOT NULL,
    last_step INTEGER NOT NULL,
    value_low REAL,
    value_high REAL,
    value_nan INTEGER NOT NULL,
    value_plus_inf INTEGER NOT NULL,
    value_minus_inf INTEGER NOT NULL,
    checks INTEGER NOT NULL,
    rel_error_low REAL,
    rel_error_high REAL,
    rel_error_nan INTEGER NOT NULL,
    rel_error_plus_inf INTEGER NOT NULL,
    rel_error_minus_inf INTEGER NOT NULL,
    PRIMARY KEY (run_id, block, param)
) STRICT, WITHOUT ROWID;

-- gradlog schema, version 11: a summary of every 256 epochs of each run, for charts. Never edit
-- once released.
--
-- A per-epoch chart of a run of millions of epochs (the lesson trains one step an epoch) is drawn
-- from a few thousand of these rows instead of every `epochs` row, as `gradient_blocks` does for
-- the steps. Epoch e belongs to block (e - 1) / 256. For each run and block: its first and last
-- epoch and how many epochs it holds, then for each figure the per-epoch charts draw (mean_loss,
-- accuracy, worst_rel_error) the smallest and largest finite value and how many of its values were
-- NULL (NaN, or an accuracy a run logged from outside did not give), +Inf and -Inf. gradlog writes
-- a block when the run moves past it and the last one when the run ends; it computes the blocks of
-- existing runs right after this script, in the same transaction.
CREATE TABLE epoch_blocks (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    block INTEGER NOT NULL,
    first_epoch INTEGER NOT NULL,
    last_epoch INTEGER NOT NULL,
    epochs INTEGER NOT NULL,
    mean_loss_low REAL,
    mean_loss_high REAL,
    mean_loss_nan INTEGER NOT NULL,
    mean_loss_plus_inf INTEGER NOT NULL,
    mean_loss_minus_inf INTEGER NOT NULL,
    accuracy_low REAL,
    accuracy_high REAL,
    accuracy_nan INTEGER NOT NULL,
    accuracy_plus_inf INTEGER NOT NULL,
    accuracy_minus_inf INTEGER NOT NULL,
    worst_rel_error_low REAL,
    worst_rel_error_high REAL,
    worst_rel_error_nan INTEGER NOT NULL,
    worst_rel_error_plus_inf INTEGER NOT NULL,
    worst_rel_error_minus_inf INTEGER NOT NULL,
    PRIMARY KEY (run_id, block)
) STRICT, WITHOUT ROWID;

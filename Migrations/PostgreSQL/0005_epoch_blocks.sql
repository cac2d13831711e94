-- gradlog team store, version 5: the summary of every 256 epochs of each run (`epoch_blocks`), as
-- the SQLite file's version 11 adds it. Pushed with the run's other rows (a run pushed before this
-- version gets its blocks at its next push); pull computes them from the epochs rows it copies.
-- Never edit once released.

CREATE TABLE epoch_blocks (
    run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    block bigint NOT NULL,
    first_epoch bigint NOT NULL,
    last_epoch bigint NOT NULL,
    epochs bigint NOT NULL,
    mean_loss_low double precision,
    mean_loss_high double precision,
    mean_loss_nan bigint NOT NULL,
    mean_loss_plus_inf bigint NOT NULL,
    mean_loss_minus_inf bigint NOT NULL,
    accuracy_low double precision,
    accuracy_high double precision,
    accuracy_nan bigint NOT NULL,
    accuracy_plus_inf bigint NOT NULL,
    accuracy_minus_inf bigint NOT NULL,
    worst_rel_error_low double precision,
    worst_rel_error_high double precision,
    worst_rel_error_nan bigint NOT NULL,
    worst_rel_error_plus_inf bigint NOT NULL,
    worst_rel_error_minus_inf bigint NOT NULL,
    PRIMARY KEY (run_id, block)
);

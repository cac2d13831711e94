-- gradlog team store, version 6: each run's epochs indexed by their last step, so that a per-epoch
-- report read in place (`--store`) gets a run's epochs and gradients from the server as one stream
-- in step order (a merge of two indexes), without the server sorting the run's epochs first.
-- Never edit once released.

CREATE INDEX epochs_by_last_step ON epochs (run_id, last_step);

-- gradlog's per-layer report of one run: for each epoch and layer, how many gradient checks were
-- made, the worst absolute and relative errors (NULL when one was NaN) and how many failed, so that
-- a gradient that is wrong in one layer only stands out. Layers count from 1 (the first hidden
-- layer) to the output; a single-neuron run has one layer. `gradlog report RUN --layers --sql`
-- prints this query for the run, ready for the sqlite3 shell.
SELECT epoch, layer, checks, worst_abs_error, worst_rel_error, failed_checks
FROM layer_checks
WHERE run_id = :run
ORDER BY epoch, layer;

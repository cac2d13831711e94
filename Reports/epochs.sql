-- gradlog's per-epoch report of one run: one row per epoch, with each parameter's value at the end
-- of the epoch, the worst relative gradient-check error and the accuracy at the end of the epoch.
--
-- This is a template. The lines between "-- for each parameter" and "-- end" are repeated once per
-- parameter of the run, with {param} replaced by its name (w, or w1..wn, then b) and {n} by its
-- position. `gradlog report RUN --sql` prints the filled-in query, ready for the sqlite3 shell.
-- The end-of-epoch value is the parameter after the epoch's last update (NaN stored as a BLOB).
SELECT e.epoch, e.steps, e.mean_loss
-- for each parameter
     , (SELECT coalesce(u.after, x'7FF8000000000000') FROM param_updates AS u
         WHERE u.run_id = e.run_id AND u.step = e.last_step AND u.param = '{param}') AS "{param}"
-- end
     , e.worst_rel_error, e.accuracy
FROM epochs AS e
WHERE e.run_id = :run
ORDER BY e.epoch;

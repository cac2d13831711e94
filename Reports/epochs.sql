-- gradlog's per-epoch report of one run: one row per epoch, with each parameter's value at the end
-- of the epoch, the worst relative gradient-check error and the accuracy at the end of the epoch.
--
-- This is a template. The lines between "-- for each parameter" and "-- end" are repeated once per
-- parameter of the run, with {param} replaced by its name (w, or w1..wn, then b) and {n} by its
-- position. `gradlog report RUN --sql` prints the filled-in query, ready for the sqlite3 shell.
-- The epochs table holds each epoch's figures, written as the epoch ended. A parameter's value at
-- the end of an epoch is the value the next step started from, or the run's final value after its
-- last epoch. SQLite joins at most 64 tables: runs with more than 63 parameters use
-- epochs_wide.sql, which gives the same rows.
SELECT e.epoch, e.steps, e.mean_loss
-- for each parameter
     , CASE WHEN g{n}.step IS NOT NULL THEN g{n}.value
            ELSE (SELECT p.final FROM params AS p WHERE p.run_id = e.run_id AND p.param = '{param}') END AS "{param}"
-- end
     , e.worst_rel_error, e.accuracy
FROM epochs AS e
-- for each parameter
LEFT JOIN gradients AS g{n} ON g{n}.run_id = e.run_id AND g{n}.step = e.last_step + 1 AND g{n}.param = '{param}'
-- end
WHERE e.run_id = :run
ORDER BY e.epoch;

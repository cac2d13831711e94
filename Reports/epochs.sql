-- gradlog's per-epoch report of one run: one row per epoch, with each parameter's value at the end
-- of the epoch, the worst relative gradient-check error and the accuracy at the end of the epoch.
--
-- This is a template. The lines between "-- for each parameter" and "-- end" are repeated once per
-- parameter of the run, with {param} replaced by its name (w, or w1..wn, then b) and {n} by its
-- position; those between "-- for each metric" and "-- end" once per name in step_metrics for the
-- run, with {metric} replaced by the name: its last value in the epoch and the mean of its values
-- there ({metric}_mean), from the steps after the previous epoch's last step (found by the key, not
-- by scanning every earlier epoch) up to this one's.
-- `gradlog report RUN --sql` prints the filled-in query, ready for the sqlite3 shell.
-- The epochs table holds each epoch's figures, written as the epoch ended. A parameter's value at
-- the end of an epoch is the value the next step started from, or the run's final value after its
-- last epoch (NULL when the next step logged no values: a run logged with gaps). SQLite joins at
-- most 64 tables: runs with more than 63 parameters use epochs_wide.sql, which gives the same rows.
SELECT e.epoch, e.steps, e.mean_loss
-- for each parameter
     , CASE WHEN g{n}.step IS NOT NULL THEN g{n}.value
            WHEN NOT EXISTS (SELECT 1 FROM steps AS s WHERE s.run_id = e.run_id AND s.step > e.last_step)
            THEN (SELECT p.final FROM params AS p WHERE p.run_id = e.run_id AND p.param = '{param}') END AS "{param}"
-- end
     , e.worst_rel_error, e.accuracy
-- for each metric
     , (SELECT m.value FROM step_metrics AS m WHERE m.run_id = e.run_id AND m.name = '{metric}'
          AND m.step > coalesce((SELECT o.last_step FROM epochs AS o WHERE o.run_id = e.run_id AND o.epoch < e.epoch
                                ORDER BY o.epoch DESC LIMIT 1), 0)
          AND m.step <= e.last_step ORDER BY m.step DESC LIMIT 1) AS "{metric}"
     , (SELECT avg(m.value) FROM step_metrics AS m WHERE m.run_id = e.run_id AND m.name = '{metric}'
          AND m.step > coalesce((SELECT o.last_step FROM epochs AS o WHERE o.run_id = e.run_id AND o.epoch < e.epoch
                                ORDER BY o.epoch DESC LIMIT 1), 0)
          AND m.step <= e.last_step) AS "{metric}_mean"
-- end
FROM epochs AS e
-- for each parameter
LEFT JOIN gradients AS g{n} ON g{n}.run_id = e.run_id AND g{n}.step = e.last_step + 1 AND g{n}.param = '{param}'
-- end
WHERE e.run_id = :run
ORDER BY e.epoch;

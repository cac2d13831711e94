-- gradlog's per-epoch report of one run with more than 63 parameters: the same rows as epochs.sql.
--
-- This is a template. The lines between "-- for each parameter" and "-- end" are repeated once per
-- parameter of the run, with {param} replaced by its name (w, or w1..wn, then b) and {n} by its
-- position; those between "-- for each metric" and "-- end" once per metric name, as in
-- epochs.sql. `gradlog report RUN --sql` prints the filled-in query, ready for the sqlite3 shell.
-- The next step's gradient rows are turned into columns by grouping (one join, whatever the number
-- of parameters); max() picks the one row of the parameter.
SELECT e.epoch, e.steps, e.mean_loss
-- for each parameter
     , CASE WHEN count(g.step) > 0 THEN max(CASE g.param WHEN '{param}' THEN g.value END)
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
LEFT JOIN gradients AS g ON g.run_id = e.run_id AND g.step = e.last_step + 1
WHERE e.run_id = :run
GROUP BY e.epoch
ORDER BY e.epoch;

-- gradlog's per-epoch report of one run with more than 63 parameters: the same rows as epochs.sql.
--
-- This is a template. The lines between "-- for each parameter" and "-- end" are repeated once per
-- parameter of the run, with {param} replaced by its name (w, or w1..wn, then b) and {n} by its
-- position. `gradlog report RUN --sql` prints the filled-in query, ready for the sqlite3 shell.
-- The next step's gradient rows are turned into columns by grouping (one join, whatever the number
-- of parameters); max() picks the one row of the parameter.
SELECT e.epoch, e.steps, e.mean_loss
-- for each parameter
     , CASE WHEN count(g.step) > 0 THEN max(CASE g.param WHEN '{param}' THEN g.value END)
            ELSE (SELECT p.final FROM params AS p WHERE p.run_id = e.run_id AND p.param = '{param}') END AS "{param}"
-- end
     , e.worst_rel_error, e.accuracy
FROM epochs AS e
LEFT JOIN gradients AS g ON g.run_id = e.run_id AND g.step = e.last_step + 1
WHERE e.run_id = :run
GROUP BY e.epoch
ORDER BY e.epoch;

-- gradlog's per-step report of one run with more than 63 parameters: the same rows as steps.sql.
--
-- This is a template. The lines between "-- for each parameter" and "-- end" are repeated once per
-- parameter of the run, with {param} replaced by its name (w, or w1..wn, then b) and {n} by its
-- position; those between "-- for each metric" and "-- end" once per name in step_metrics for the
-- run (a run logged with extra scalars, such as val_loss), with {metric} replaced by the name.
-- A line starting with "--autodiff" is kept, without those letters, only for runs with autodiff.
-- `gradlog report RUN --steps --sql` prints the filled-in query, ready for the sqlite3 shell.
-- Each step's gradient rows are turned into columns by grouping (one join, whatever the number of
-- parameters); max() picks the one row of the parameter. About 1.5 times slower than steps.sql.
SELECT s.step, s.epoch, s.batch_size, s.loss
-- for each parameter
     , max(CASE g.param WHEN '{param}' THEN g.value END) AS "{param}"
     , max(CASE g.param WHEN '{param}' THEN g.analytic END) AS "{param}_analytic"
     , max(CASE g.param WHEN '{param}' THEN g.numeric END) AS "{param}_numeric"
     , max(CASE g.param WHEN '{param}' THEN g.abs_error END) AS "{param}_abs_error"
     , max(CASE g.param WHEN '{param}' THEN g.rel_error END) AS "{param}_rel_error"
     , max(CASE g.param WHEN '{param}' THEN g.passed END) AS "{param}_passed"
--autodiff     , max(CASE g.param WHEN '{param}' THEN g.autodiff END) AS "{param}_autodiff"
-- end
-- for each metric
     , (SELECT m.value FROM step_metrics AS m WHERE m.run_id = s.run_id AND m.step = s.step AND m.name = '{metric}') AS "{metric}"
-- end
FROM steps AS s
LEFT JOIN gradients AS g ON g.run_id = s.run_id AND g.step = s.step
WHERE s.run_id = :run
GROUP BY s.step
ORDER BY s.step;

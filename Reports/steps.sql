-- gradlog's per-step report of one run: one row per step with every logged column, and for each
-- parameter its value before the update, both gradients, both errors and the check's verdict,
-- and for a run that logged it (runs.autodiff = 1) the gradient from automatic differentiation.
--
-- This is a template. The lines between "-- for each parameter" and "-- end" are repeated once per
-- parameter of the run, with {param} replaced by its name (w, or w1..wn, then b) and {n} by its
-- position; those between "-- for each metric" and "-- end" once per name in step_metrics for the
-- run (a run logged with extra scalars, such as val_loss), with {metric} replaced by the name.
-- A line starting with "--autodiff" is kept, without those letters, only for runs with autodiff.
-- `gradlog report RUN --steps --sql` prints the filled-in query, ready for the sqlite3 shell.
-- One join per parameter is the fastest form, but SQLite allows at most 64 tables in a join: runs
-- with more than 63 parameters use steps_wide.sql, which gives the same rows.
SELECT s.step, s.epoch, s.batch_size, s.loss
-- for each parameter
     , g{n}.value AS "{param}", g{n}.analytic AS "{param}_analytic", g{n}.numeric AS "{param}_numeric"
     , g{n}.abs_error AS "{param}_abs_error", g{n}.rel_error AS "{param}_rel_error"
     , g{n}.passed AS "{param}_passed"
--autodiff     , g{n}.autodiff AS "{param}_autodiff"
-- end
-- for each metric
     , (SELECT m.value FROM step_metrics AS m WHERE m.run_id = s.run_id AND m.step = s.step AND m.name = '{metric}') AS "{metric}"
-- end
FROM steps AS s
-- for each parameter
LEFT JOIN gradients AS g{n} ON g{n}.run_id = s.run_id AND g{n}.step = s.step AND g{n}.param = '{param}'
-- end
WHERE s.run_id = :run
ORDER BY s.step;

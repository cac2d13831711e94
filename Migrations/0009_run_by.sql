-- gradlog schema, version 9: who ran each run. Never edit once released.
--
-- `runs.run_by` is the user who ran it: `--user NAME` (`gradlog run`, `gradlog log`, GradlogKit's
-- `user:`), else the environment's USER, else LOGNAME, else the system's name of the process's
-- user; empty when there is none. NULL for every run logged before this version. The column is
-- named `run_by`, not `user`, because USER is a reserved word in PostgreSQL, where `SELECT user
-- FROM runs` silently gives the session's role on every row: the same query must mean the same on
-- the SQLite file and the team store. It is added at the end of `runs`; no row changes.

ALTER TABLE runs ADD COLUMN run_by TEXT;

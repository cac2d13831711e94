-- gradlog team store, version 4: each run's fingerprint (`runs.fingerprint`), as the SQLite file's
-- version 10 adds it. NULL for runs pushed before it, until their next push sends it; a pull
-- computes it for such a run from its rows. Never edit once released.

ALTER TABLE runs ADD COLUMN fingerprint text;

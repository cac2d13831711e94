-- gradlog schema, version 10: each run's fingerprint. Never edit once released.
--
-- `runs.fingerprint` is the SHA-256, as 64 lowercase hex digits, of the run's configuration,
-- samples and every step's rows (steps, gradients, metrics) in the canonical byte form of
-- docs/database.md ("A run's fingerprint"). The recorder keeps it up to date at each commit; this
-- migration's backfill (MigrationCatalog, Tracker's RunFingerprint) computes it for every run
-- already in the file. Added at the end of `runs`.

ALTER TABLE runs ADD COLUMN fingerprint TEXT;

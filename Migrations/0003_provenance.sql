-- gradlog schema, version 3: where and how each run was made, and a free-form note.
-- Never edit once released.
--
-- build_commit is the commit gradlog was built from, when the build knows it (else NULL);
-- command_line is a JSON array of the arguments, program name first; samples_sha256 fingerprints
-- the samples (each input, then the label, as the 8 big-endian bytes of the double, sample by
-- sample); duration_seconds is the wall time from start to end.
ALTER TABLE runs ADD COLUMN build_commit TEXT;
ALTER TABLE runs ADD COLUMN swift_version TEXT;
ALTER TABLE runs ADD COLUMN os TEXT;
ALTER TABLE runs ADD COLUMN arch TEXT;
ALTER TABLE runs ADD COLUMN command_line TEXT;
ALTER TABLE runs ADD COLUMN working_directory TEXT;
ALTER TABLE runs ADD COLUMN samples_sha256 TEXT;
ALTER TABLE runs ADD COLUMN duration_seconds ANY;
ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT '';

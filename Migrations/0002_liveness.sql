-- gradlog schema, version 2: who is running each run, so that a run whose process died (kill -9,
-- power loss) can be told from one that is still training. Never edit once released.
--
-- host and pid name the process; process_token identifies that very process instance on its host
-- (the kernel's boot id and the process's start time), so a reused pid is not mistaken for it.
-- heartbeat_at is updated at every commit, at least once a second while the run trains.
ALTER TABLE runs ADD COLUMN host TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN pid INTEGER;
ALTER TABLE runs ADD COLUMN process_token TEXT;
ALTER TABLE runs ADD COLUMN heartbeat_at TEXT;

CREATE INDEX runs_by_status ON runs(status);

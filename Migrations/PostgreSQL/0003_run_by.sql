-- gradlog team store, version 3: who ran each run (`runs.run_by`), as the SQLite file's version 9
-- adds it; NULL for runs pushed from files before it. Not `user`, a reserved word here (`SELECT user`
-- is the session's role). Never edit once released.

ALTER TABLE runs ADD COLUMN run_by text;

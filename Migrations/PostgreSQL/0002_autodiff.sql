-- gradlog team store, version 2: the third gradient, from automatic differentiation, and the
-- teaching fault, as the SQLite file's version 8 adds them. Never edit once released.

ALTER TABLE runs ADD COLUMN autodiff bigint CHECK (autodiff = 1);
ALTER TABLE runs ADD COLUMN fault text;
ALTER TABLE gradients ADD COLUMN autodiff double precision;

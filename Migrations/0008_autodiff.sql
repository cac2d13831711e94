-- gradlog schema, version 8: a third gradient, from Swift's automatic differentiation, and the
-- teaching fault.
-- Never edit once released.
--
-- `runs.autodiff` is 1 for a run that logged it (`gradlog run --autodiff`), NULL for every other.
-- `gradients.autodiff` holds it at each checked step of such a run, and is NULL everywhere else
-- (and where it was NaN). `runs.fault` names the unit whose chain-rule gradient a run made wrong on
-- purpose (`gradlog run --fault l1.n2`, a teaching aid), NULL for none. The columns are added at the
-- end of their tables; no row changes.

ALTER TABLE runs ADD COLUMN autodiff INTEGER CHECK (autodiff = 1);
ALTER TABLE runs ADD COLUMN fault TEXT;
ALTER TABLE gradients ADD COLUMN autodiff REAL;

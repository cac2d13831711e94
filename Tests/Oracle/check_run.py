#!/usr/bin/env python3
"""An independent re-implementation of gradlog's training math, used as a test oracle.

Usage: check_run.py DATABASE RUN_ID [STEPS_CSV]

A run that did not end on its own (crashed, interrupted, failed) is checked over the steps it
logged; a finished or diverged run must have logged exactly the steps the oracle computes.

Reads one run's config, samples and starting parameters from the database with Python's own
sqlite3 module, trains again from scratch in plain Python, and checks that every logged value
(steps and gradients) is exactly the same double. With STEPS_CSV (the output of
`gradlog report RUN --steps --csv`), it also reads that file with the csv module and checks
every number in it. Prints `ok: N steps, M values` and exits 0, or prints the first
difference and exits 1.
"""
import csv
import itertools
import math
import sqlite3
import sys

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def unit(self):
        return (self.next() >> 11) * 2.0 ** -53

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = (self.next() * (i + 1)) >> 64
            items[i], items[j] = items[j], items[i]


def exp(x):
    """math.exp with IEEE overflow to infinity instead of an exception, as in C."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def log(x):
    """math.log with IEEE results for 0 and negatives instead of an exception, as in C."""
    if x == 0:
        return -math.inf
    return math.log(x) if x > 0 else math.nan


def logit(theta, x):
    dot = theta[0] * x[0]
    for j in range(1, len(x)):
        dot += theta[j] * x[j]
    return dot + theta[-1]


def sample_loss(kind, t, y):
    if kind == "stable":
        return max(t, 0.0) - t * y + math.log1p(exp(-abs(t)))
    a = 1 / (1 + exp(-t))
    return -(y * log(a) + (1 - y) * log(1 - a))


def mean_loss(kind, theta, xs, ys, batch):
    total = 0.0
    for i in batch:
        total += sample_loss(kind, logit(theta, xs[i]), ys[i])
    return total / len(batch)


def train(run, xs, ys, theta):
    """Yields (step, epoch, batch_size, loss, [(value, analytic, numeric, passed)]) for every step."""
    n = len(ys)
    size = run["batch_size"]
    rng = SplitMix64(run["seed"])
    for _ in range(run["inputs"]):
        rng.unit()  # the initial-weight draws, made whether or not they are used
    order = list(range(n))
    step = 0
    for epoch in range(1, run["epochs"] + 1):
        if size < n:
            rng.shuffle(order)
        for start in range(0, n, size):
            batch = order[start:start + size]
            step += 1
            loss = mean_loss(run["loss"], theta, xs, ys, batch)
            analytic = [0.0] * len(theta)
            for i in batch:
                t = logit(theta, xs[i])
                if run["residual"] == "exact" and ys[i] == 1:
                    r = -(1 / (1 + exp(t)))  # -σ(-t): σ(t) - 1 without cancellation
                else:
                    r = 1 / (1 + exp(-t)) - ys[i]
                for j in range(len(xs[i])):
                    analytic[j] += r * xs[i][j]
                analytic[-1] += r
            analytic = [g / len(batch) for g in analytic]
            rows = []
            for k in range(len(theta)):
                above = theta[:k] + [theta[k] + run["eps"]] + theta[k + 1:]
                below = theta[:k] + [theta[k] - run["eps"]] + theta[k + 1:]
                numeric = (mean_loss(run["loss"], above, xs, ys, batch)
                           - mean_loss(run["loss"], below, xs, ys, batch)) / (2 * run["eps"])
                passed = abs(analytic[k] - numeric) <= run["atol"] + run["rtol"] * abs(numeric)
                rows.append((theta[k], analytic[k], numeric, passed))
            yield step, epoch, len(batch), loss, rows
            theta = [theta[k] - run["lr"] * analytic[k] for k in range(len(theta))]
            if not math.isfinite(loss) or not all(math.isfinite(v) for v in theta):
                return


def same(expected, actual):
    """Exact equality of doubles as gradlog stores them: a NaN as NULL, -0.0 as 0.0 (a REAL column
    keeps no sign of zero), every other value to the last bit."""
    if actual is None:
        return isinstance(expected, float) and math.isnan(expected)
    if isinstance(expected, bool):
        return actual == int(expected)
    if isinstance(expected, int):
        return actual == expected
    expected = expected + 0.0
    return expected == actual and math.copysign(1, expected) == math.copysign(1, actual) or (
        math.isnan(expected) and math.isnan(actual))


def divide(a, b):
    """IEEE division: x / 0 is an infinity or NaN instead of an exception, as in C."""
    if b != 0:
        return a / b
    if a == 0 or math.isnan(a):
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1, b)


def decode(value):
    """A stored double: a real, or NULL for a NaN."""
    return math.nan if value is None else float(value)


def errors(a, n):
    rel = 0.0 if a == 0 and n == 0 else divide(abs(a - n), max(abs(a), abs(n)))
    return abs(a - n), rel


def main():
    path, run_id = sys.argv[1], int(sys.argv[2])
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    run = dict(db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone())
    ys = [r[0] for r in db.execute("SELECT y FROM samples WHERE run_id = ? ORDER BY sample", (run_id,))]
    xs = [[] for _ in ys]
    for sample, x in db.execute("SELECT sample, x FROM sample_inputs WHERE run_id = ? ORDER BY sample, input", (run_id,)):
        xs[sample - 1].append(float(x))
    ys = [float(y) for y in ys]
    params = [r[0] for r in db.execute("SELECT param FROM params WHERE run_id = ? ORDER BY position", (run_id,))]
    theta = [decode(r[0]) for r in db.execute("SELECT initial FROM params WHERE run_id = ? ORDER BY position", (run_id,))]
    logged_steps = db.execute(
        "SELECT step, epoch, batch_size, loss FROM steps WHERE run_id = ? ORDER BY step", (run_id,)).fetchall()
    logged_grads = db.execute(
        """SELECT g.step, g.param, g.value, g.analytic, g.numeric, g.passed, g.abs_error, g.rel_error
           FROM gradients g JOIN params p ON p.run_id = g.run_id AND p.param = g.param
           WHERE g.run_id = ? ORDER BY g.step, p.position""", (run_id,)).fetchall()
    csv_rows = None
    if len(sys.argv) > 3:
        with open(sys.argv[3], newline="") as f:
            csv_rows = list(csv.reader(f))
        expected_header = ["step", "epoch", "batch_size", "loss"] + [
            f"{p}{suffix}" for p in params
            for suffix in ("", "_analytic", "_numeric", "_abs_error", "_rel_error", "_passed")]
        if csv_rows[0] != expected_header:
            return fail(f"CSV header {csv_rows[0]} != {expected_header}")
        csv_rows = csv_rows[1:]
    values = 0
    steps = train(run, xs, ys, theta)
    if run["status"] in ("crashed", "interrupted", "failed", "running"):
        steps = itertools.islice(steps, len(logged_steps))  # the run stopped early: its prefix
    computed = list(steps)
    if len(computed) != len(logged_steps):
        return fail(f"{len(logged_steps)} steps logged, {len(computed)} recomputed")
    for index, (step, epoch, size, loss, rows) in enumerate(computed):
        expected_step = (step, epoch, size, loss)
        for column, e, a in zip(("step", "epoch", "batch_size", "loss"), expected_step, tuple(logged_steps[index])):
            if not same(e, a):
                return fail(f"step {step} column {column}: logged {a!r}, recomputed {e!r}")
            values += 1
        csv_cells = []
        for k, (value, analytic, numeric, passed) in enumerate(rows):
            logged = logged_grads[index * len(params) + k]
            abs_error, rel_error = errors(analytic, numeric)
            expected = (value, analytic, numeric, passed, abs_error, rel_error)
            names = ("value", "analytic", "numeric", "passed", "abs_error", "rel_error")
            for column, e, a in zip(names, expected, tuple(logged)[2:]):
                if not same(e, a):
                    return fail(f"step {step} param {params[k]} column {column}: logged {a!r}, recomputed {e!r}")
                values += 1
            csv_cells += [value, analytic, numeric, abs_error, rel_error, int(passed)]
        if csv_rows is not None:
            for e, cell in zip([step, epoch, size, loss] + csv_cells, csv_rows[index]):
                parsed = float(cell) if cell != "" else None
                if not same(float(e), parsed):
                    return fail(f"CSV row {index + 1}: cell {cell!r} does not read back as {e!r}")
    print(f"ok: {len(computed)} steps, {values} values")
    return 0


def fail(message):
    print(f"mismatch: {message}")
    return 1


if __name__ == "__main__":
    sys.exit(main())

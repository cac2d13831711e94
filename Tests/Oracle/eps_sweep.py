#!/usr/bin/python3
"""Recomputes an ε sweep of `gradlog check RUN --step N --eps-sweep --csv` in float64, apart from gradlog.

Usage: eps_sweep.py DATABASE RUN STEP SWEEP.csv

For a run of the single neuron (any batch size), reads the step's stored parameters, finds the
step's batch with the trainer's generator (check_run.py's SplitMix64), and for every row of the CSV
computes the central difference (L(θ + ε) − L(θ − ε)) / 2ε at the row's ε, the chain-rule gradient,
and the two errors, then compares them with the CSV's cells to the last bit. Prints `ok: N rows`, or
the first mismatch and exits 1.
"""
import csv
import sqlite3
import sys

from check_run import SplitMix64, decode, errors, exp, logit, mean_loss, same


def batch_of(run, count, step):
    """The samples of `step`: the trainer's shuffles replayed up to the step's epoch."""
    size = run["batch_size"]
    rng = SplitMix64(run["seed"])
    for _ in range(run["inputs"]):
        rng.unit()  # the initial-weight draws, made whether or not they are used
    order = list(range(count))
    per_epoch = (count + size - 1) // size
    for _ in range((step - 1) // per_epoch + 1):
        if size < count:
            rng.shuffle(order)
    start = ((step - 1) % per_epoch) * size
    return order[start:start + size]


def analytic_gradient(run, theta, xs, ys, batch):
    """The chain rule: mean of (a − y)·x per weight and of (a − y) for the bias, with the run's residual."""
    gradient = [0.0] * len(theta)
    for i in batch:
        t = logit(theta, xs[i])
        r = -(1 / (1 + exp(t))) if run["residual"] == "exact" and ys[i] == 1 else 1 / (1 + exp(-t)) - ys[i]
        for j in range(len(xs[i])):
            gradient[j] += r * xs[i][j]
        gradient[-1] += r
    return [g / len(batch) for g in gradient]


def main():
    path, run_id, step, sweep = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    run = dict(db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone())
    ys = [float(r[0]) for r in db.execute("SELECT y FROM samples WHERE run_id = ? ORDER BY sample", (run_id,))]
    xs = [[] for _ in ys]
    for sample, x in db.execute("SELECT sample, x FROM sample_inputs WHERE run_id = ? ORDER BY sample, input", (run_id,)):
        xs[sample - 1].append(float(x))
    params = [r[0] for r in db.execute("SELECT param FROM params WHERE run_id = ? ORDER BY position", (run_id,))]
    theta = [decode(r[0]) for r in db.execute(
        """SELECT g.value FROM gradients g JOIN params p ON p.run_id = g.run_id AND p.param = g.param
           WHERE g.run_id = ? AND g.step = ? ORDER BY p.position""", (run_id, step))]
    batch = batch_of(run, len(ys), step)
    analytic = analytic_gradient(run, theta, xs, ys, batch)
    with open(sweep, newline="") as f:
        rows = list(csv.DictReader(f))
    for number, row in enumerate(rows, start=1):
        k, eps = params.index(row["param"]), float(row["eps"])
        above = theta[:k] + [theta[k] + eps] + theta[k + 1:]
        below = theta[:k] + [theta[k] - eps] + theta[k + 1:]
        numeric = (mean_loss(run["loss"], above, xs, ys, batch) - mean_loss(run["loss"], below, xs, ys, batch)) / (2 * eps)
        abs_error, rel_error = errors(analytic[k], numeric)
        expected = {"numeric": numeric, "analytic": analytic[k], "abs_error": abs_error, "rel_error": rel_error}
        if row["autodiff"] != "":
            expected["autodiff_error"] = abs(float(row["autodiff"]) - numeric)
        for column, value in expected.items():
            logged = float(row[column]) if row[column] != "" else None
            if not same(value, logged):
                print(f"mismatch: row {number} ({row['param']}, eps {row['eps']}) {column}: gradlog {row[column]!r}, float64 {value!r}")
                return 1
    print(f"ok: {len(rows)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())

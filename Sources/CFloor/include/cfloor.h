#ifndef CFLOOR_H
#define CFLOOR_H

/* The benchmark's C floor: the lesson's neuron (x = 2, y = 1, w = 0.5, b = -1, lr = 0.1, the stable
   loss) trained in C, each step logged through reused prepared INSERTs into `steps`, `gradients`
   and `epochs`, committed every `commit_every` steps.

   layout 0 (gradlog): the tables of the file at `path`, made by gradlog beforehand (schema v4),
   for run 1 whose row gradlog inserted, with the connection set up as gradlog sets up its own.
   layout 1 (keyless): the same columns in heap tables without keys, constraints or types, made here
   in a new file. Returns the seconds spent in the loop, or a negative number on an error. */
double cfloor_lesson(const char *path, long steps, int layout, long commit_every, int foreign_keys);

/* The rows `gradlog log` writes for steps 1 ... `steps` of a loss and `metric_count` metrics (at most
   64, named `names`) without parameters, into run 1 of the file at `path`, made by gradlog beforehand
   (its steps, metrics and epochs emptied): a `steps` row (no batch size), a `step_metrics` row per
   metric and an `epochs` row per step (every step its own epoch), through reused prepared INSERTs (one
   per metric name), with the run's summary updated and committed every `commit_seconds`, as gradlog
   commits. Returns the seconds from opening the file to closing it, or a negative number on an error. */
double cfloor_metrics(const char *path, long steps, int metric_count, const char *const *names, double commit_seconds);

/* The loss (k = 0) or metric k (from 1) of step `step` in `cfloor_metrics`. */
double cfloor_metric_value(long step, int k);

#endif

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

#endif

#include "cfloor.h"
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <time.h>

static double seconds_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The stable binary cross-entropy of label 1 at logit t: log(1 + e^(-t)). */
static double loss_at(double w, double b) {
    double t = w * 2.0 + b;
    return t > 0 ? log1p(exp(-t)) : -t + log1p(exp(t));
}

static const char *KEYLESS =
    "CREATE TABLE steps(run_id, step, epoch, batch_size, loss);"
    "CREATE TABLE gradients(run_id, step, param, value, analytic, numeric, passed);"
    "CREATE TABLE epochs(run_id, epoch, steps, last_step, mean_loss, accuracy, worst_abs_error,"
    " worst_rel_error, failed_checks);";

static double worst(double a, double b) { return isnan(a) || isnan(b) ? NAN : (a > b ? a : b); }

static int ok(sqlite3 *db, int rc) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE) { fprintf(stderr, "cfloor: %s\n", sqlite3_errmsg(db)); return 0; }
    return 1;
}

double cfloor_lesson(const char *path, long steps, int layout, long commit_every, int foreign_keys) {
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK) return -1;
    if (layout == 1 && !ok(db, sqlite3_exec(db, KEYLESS, 0, 0, 0))) return -1;
    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", 0, 0, 0);
    sqlite3_exec(db, foreign_keys ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF", 0, 0, 0);
    sqlite3_stmt *step, *gradient, *epoch;
    sqlite3_prepare_v2(db, "INSERT INTO steps(run_id, step, epoch, batch_size, loss) VALUES (1, ?1, ?1, 1, ?2)", -1, &step, 0);
    sqlite3_prepare_v2(db, "INSERT INTO gradients(run_id, step, param, value, analytic, numeric, passed)"
                           " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)", -1, &gradient, 0);
    sqlite3_prepare_v2(db, "INSERT INTO epochs(run_id, epoch, steps, last_step, mean_loss, accuracy,"
                           " worst_abs_error, worst_rel_error, failed_checks) VALUES (1, ?1, 1, ?1, ?2, ?3, ?4, ?5, ?6)",
                       -1, &epoch, 0);
    if (!step || !gradient || !epoch) { fprintf(stderr, "cfloor: %s\n", sqlite3_errmsg(db)); return -1; }
    const char *names[2] = {"w", "b"};
    double theta[2] = {0.5, -1.0}, eps = 1e-6;
    double start = seconds_now();
    sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0);
    for (long i = 1; i <= steps; i++) {
        double t = theta[0] * 2.0 + theta[1], loss = loss_at(theta[0], theta[1]);
        double residual = -1.0 / (1.0 + exp(t));  /* sigmoid(t) - 1, in its exact form */
        double analytic[2] = {residual * 2.0, residual}, numeric[2], value[2] = {theta[0], theta[1]};
        numeric[0] = (loss_at(theta[0] + eps, theta[1]) - loss_at(theta[0] - eps, theta[1])) / (2 * eps);
        numeric[1] = (loss_at(theta[0], theta[1] + eps) - loss_at(theta[0], theta[1] - eps)) / (2 * eps);
        sqlite3_bind_int64(step, 1, i);
        sqlite3_bind_double(step, 2, loss);
        if (!ok(db, sqlite3_step(step))) return -1;
        sqlite3_reset(step);
        double worst_abs = -INFINITY, worst_rel = -INFINITY;
        int failed = 0;
        for (int k = 0; k < 2; k++) {
            double a = analytic[k], n = numeric[k], abs_error = fabs(a - n);
            double rel_error = a == 0 && n == 0 ? 0 : abs_error / fmax(fabs(a), fabs(n));
            int passed = abs_error <= 1e-5 + 1e-3 * fabs(n);
            worst_abs = worst(worst_abs, abs_error);
            worst_rel = worst(worst_rel, rel_error);
            failed += !passed;
            sqlite3_bind_int64(gradient, 1, i);
            sqlite3_bind_text(gradient, 2, names[k], 1, SQLITE_STATIC);
            sqlite3_bind_double(gradient, 3, value[k]);
            sqlite3_bind_double(gradient, 4, a);
            sqlite3_bind_double(gradient, 5, n);
            sqlite3_bind_int(gradient, 6, passed);
            if (!ok(db, sqlite3_step(gradient))) return -1;
            sqlite3_reset(gradient);
            theta[k] -= 0.1 * a;
        }
        sqlite3_bind_int64(epoch, 1, i);
        sqlite3_bind_double(epoch, 2, loss);
        sqlite3_bind_double(epoch, 3, theta[0] * 2.0 + theta[1] >= 0 ? 1.0 : 0.0);
        sqlite3_bind_double(epoch, 4, worst_abs);
        sqlite3_bind_double(epoch, 5, worst_rel);
        sqlite3_bind_int(epoch, 6, failed);
        if (!ok(db, sqlite3_step(epoch))) return -1;
        sqlite3_reset(epoch);
        if (i % commit_every == 0) sqlite3_exec(db, "COMMIT; BEGIN IMMEDIATE", 0, 0, 0);
    }
    sqlite3_exec(db, "COMMIT", 0, 0, 0);
    double elapsed = seconds_now() - start;
    sqlite3_finalize(step);
    sqlite3_finalize(gradient);
    sqlite3_finalize(epoch);
    sqlite3_close(db);
    return elapsed;
}

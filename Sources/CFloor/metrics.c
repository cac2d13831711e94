#include "cfloor.h"
#include <sqlite3.h>
#include <stdio.h>
#include <time.h>

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

double cfloor_metric_value(long step, int k) {
    /* Full-length doubles, as a training loop prints them; the loss (k = 0) falls as 1/step. */
    return (1.0 + 0.25 * k) / (double)step + 0.001 * k;
}

static int done(sqlite3 *db, int rc) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE) { fprintf(stderr, "cfloor: %s\n", sqlite3_errmsg(db)); return 0; }
    return 1;
}

static int summary(sqlite3 *db, sqlite3_stmt *update, long steps) {
    sqlite3_bind_int64(update, 1, steps);
    int rc = sqlite3_step(update);
    sqlite3_reset(update);
    return done(db, rc);
}

double cfloor_metrics(const char *path, long steps, int metric_count, const char *const *names, double commit_seconds) {
    double start = now_seconds();
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK) return -1;
    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF", 0, 0, 0);
    sqlite3_stmt *step = 0, *epoch = 0, *update = 0, *metric[64] = {0};
    if (metric_count > 64) return -1;
    /* As gradlog writes a step without parameters: no batch size, every step its own epoch. */
    sqlite3_prepare_v2(db, "INSERT INTO steps(run_id, step, epoch, batch_size, loss) VALUES (1, ?1, ?1, NULL, ?2)", -1, &step, 0);
    sqlite3_prepare_v2(db, "INSERT INTO epochs(run_id, epoch, steps, last_step, mean_loss, accuracy, worst_abs_error,"
                           " worst_rel_error, failed_checks) VALUES (1, ?1, 1, ?1, ?2, NULL, NULL, NULL, 0)", -1, &epoch, 0);
    sqlite3_prepare_v2(db, "UPDATE runs SET step_count = ?1, epoch_count = ?1, worst_abs_error = NULL,"
                           " worst_rel_error = NULL, failed_checks = 0, error = NULL,"
                           " heartbeat_at = strftime('%Y-%m-%dT%H:%M:%fZ') WHERE id = 1", -1, &update, 0);
    /* One statement per metric name, the name bound once. */
    for (int k = 0; k < metric_count; k++) {
        sqlite3_prepare_v2(db, "INSERT INTO step_metrics(run_id, step, name, value) VALUES (1, ?1, ?2, ?3)", -1, &metric[k], 0);
        if (metric[k]) sqlite3_bind_text(metric[k], 2, names[k], -1, SQLITE_STATIC);
    }
    int prepared = step && epoch && update;
    for (int k = 0; k < metric_count; k++) prepared = prepared && metric[k];
    if (!prepared) { fprintf(stderr, "cfloor: %s\n", sqlite3_errmsg(db)); return -1; }
    double last_commit = now_seconds();
    int ok = done(db, sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0));
    for (long i = 1; ok && i <= steps; i++) {
        double loss = cfloor_metric_value(i, 0);
        sqlite3_bind_int64(step, 1, i);
        sqlite3_bind_double(step, 2, loss);
        ok = done(db, sqlite3_step(step));
        sqlite3_reset(step);
        for (int k = 0; ok && k < metric_count; k++) {
            sqlite3_bind_int64(metric[k], 1, i);
            sqlite3_bind_double(metric[k], 3, cfloor_metric_value(i, k + 1));
            ok = done(db, sqlite3_step(metric[k]));
            sqlite3_reset(metric[k]);
        }
        /* The epoch that step i ended, written when the next one starts, as gradlog does. */
        sqlite3_bind_int64(epoch, 1, i);
        sqlite3_bind_double(epoch, 2, loss);
        ok = ok && done(db, sqlite3_step(epoch));
        sqlite3_reset(epoch);
        if (ok && now_seconds() - last_commit >= commit_seconds) {
            ok = summary(db, update, i) && done(db, sqlite3_exec(db, "COMMIT; BEGIN IMMEDIATE", 0, 0, 0));
            last_commit = now_seconds();
        }
    }
    ok = ok && summary(db, update, steps) && done(db, sqlite3_exec(db, "COMMIT", 0, 0, 0));
    sqlite3_finalize(step);
    sqlite3_finalize(epoch);
    sqlite3_finalize(update);
    for (int k = 0; k < metric_count; k++) sqlite3_finalize(metric[k]);
    sqlite3_close(db);
    return ok ? now_seconds() - start : -1;
}

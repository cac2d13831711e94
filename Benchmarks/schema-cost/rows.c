/* rows.c - the lesson's rows written from C into a schema read from a file, to price each feature
   of gradlog's schema against the keyed floor (`c_schema` mode 5 of the shared benchmarks).

   usage: rows N DB SCHEMA.sql PARAM BLOCKS AUTOVACUUM
     N           steps (one epoch each, as the lesson's full batch)
     DB          a new file (removed first, with its -wal and -shm)
     SCHEMA.sql  the DDL of tables steps, gradients, epochs (and gradient_blocks when BLOCKS is 1)
     PARAM       text: the parameter as 'w'/'b' (gradlog); int: as 1/2 (c_schema mode 5)
     BLOCKS      1: a gradient_blocks row per parameter every 256 steps, as gradlog's recorder
     AUTOVACUUM  1: PRAGMA auto_vacuum = INCREMENTAL before the schema, as gradlog's new files

   Each step: one steps row, one gradients row per parameter, one epochs row, through statements
   prepared once; WAL, synchronous=NORMAL, foreign keys off, a commit every 50,000 steps (about
   gradlog's half second). Prints the seconds of the loop and the bytes per step. */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static sqlite3 *db;
static void check(int rc, int ok, const char *what) {
    if (rc != ok) { fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db)); exit(1); }
}
static void exec(const char *sql) { check(sqlite3_exec(db, sql, 0, 0, 0), SQLITE_OK, sql); }
static sqlite3_stmt *prepare(const char *sql) {
    sqlite3_stmt *st;
    check(sqlite3_prepare_v2(db, sql, -1, &st, 0), SQLITE_OK, sql);
    return st;
}
static void run(sqlite3_stmt *st) { check(sqlite3_step(st), SQLITE_DONE, "insert"); sqlite3_reset(st); }
static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}
/* The lesson's textbook loss at x = 2, y = 1 (as c_schema's neuron.h). */
static double loss_at(double w, double b) { return -log(1.0 / (1.0 + exp(-(w * 2.0 + b)))); }

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END); long n = ftell(f); rewind(f);
    char *text = malloc(n + 1);
    if (fread(text, 1, n, f) != (size_t)n) { perror(path); exit(1); }
    text[n] = 0; fclose(f);
    return text;
}

/* One parameter's figures over the current block of 256 steps. */
typedef struct { double vlo, vhi, rlo, rhi; } block_t;
static void widen(block_t *k, double v, double r, int first) {
    if (first) { k->vlo = k->vhi = v; k->rlo = k->rhi = r; return; }
    k->vlo = fmin(k->vlo, v); k->vhi = fmax(k->vhi, v); k->rlo = fmin(k->rlo, r); k->rhi = fmax(k->rhi, r);
}
static void write_block(sqlite3_stmt *st, long block, long first, long last, block_t k[2]) {
    for (int p = 0; p < 2; p++) {
        sqlite3_bind_int64(st, 1, block); sqlite3_bind_text(st, 2, p ? "b" : "w", 1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, first); sqlite3_bind_int64(st, 4, last); sqlite3_bind_int64(st, 9, last - first + 1);
        sqlite3_bind_double(st, 5, k[p].vlo); sqlite3_bind_double(st, 6, k[p].vhi);
        sqlite3_bind_double(st, 10, k[p].rlo); sqlite3_bind_double(st, 11, k[p].rhi);
        run(st);
    }
}

int main(int argc, char **argv) {
    if (argc != 7) { fprintf(stderr, "usage: rows N DB SCHEMA.sql text|int BLOCKS AUTOVACUUM\n"); return 2; }
    long n = atol(argv[1]), every = 50000;
    const char *path = argv[2];
    int text = strcmp(argv[4], "text") == 0, blocks = atoi(argv[5]), autovacuum = atoi(argv[6]);
    char side[4096];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path); unlink(side);
    snprintf(side, sizeof side, "%s-shm", path); unlink(side);
    check(sqlite3_open(path, &db), SQLITE_OK, path);
    if (autovacuum) exec("PRAGMA auto_vacuum = INCREMENTAL");
    exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF");
    exec(read_file(argv[3]));
    sqlite3_stmt *ins = prepare("INSERT INTO steps(run_id, step, epoch, batch_size, loss) VALUES (1, ?1, ?1, 1, ?2)");
    sqlite3_stmt *par = prepare("INSERT INTO gradients(run_id, step, param, value, analytic, numeric, passed)"
                                " VALUES (1, ?1, ?2, ?3, ?4, ?5, 1)");
    sqlite3_stmt *ep = prepare("INSERT INTO epochs(run_id, epoch, steps, last_step, mean_loss, accuracy,"
                               " worst_abs_error, worst_rel_error, failed_checks) VALUES (1, ?1, 1, ?1, ?2, 1.0, ?3, ?4, 0)");
    sqlite3_stmt *blk = blocks ? prepare("INSERT OR REPLACE INTO gradient_blocks VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6,"
                                         " 0, 0, 0, ?9, ?10, ?11, 0, 0, 0)") : 0;
    double w = 0.5, b = -1.0, eps = 1e-6, t0 = now_s();
    block_t k[2];
    long block_first = 1;
    exec("BEGIN IMMEDIATE");
    for (long i = 1; i <= n; i++) {
        double a = 1.0 / (1.0 + exp(-(w * 2.0 + b))), loss = -log(a);
        double g[2] = {(a - 1.0) * 2.0, a - 1.0};
        double num[2] = {(loss_at(w + eps, b) - loss_at(w - eps, b)) / (2 * eps),
                         (loss_at(w, b + eps) - loss_at(w, b - eps)) / (2 * eps)};
        double v[2] = {w, b}, worst_abs = 0, worst_rel = 0;
        sqlite3_bind_int64(ins, 1, i); sqlite3_bind_double(ins, 2, loss); run(ins);
        if (blk && (i - 1) % 256 == 0 && i > 1) { write_block(blk, (i - 2) / 256, block_first, i - 1, k); block_first = i; }
        for (int p = 0; p < 2; p++) {
            double abs_error = fabs(g[p] - num[p]), rel_error = abs_error / fmax(fabs(g[p]), fabs(num[p]));
            worst_abs = fmax(worst_abs, abs_error); worst_rel = fmax(worst_rel, rel_error);
            widen(&k[p], v[p], rel_error, i == block_first);
            sqlite3_bind_int64(par, 1, i);
            if (text) sqlite3_bind_text(par, 2, p ? "b" : "w", 1, SQLITE_STATIC); else sqlite3_bind_int(par, 2, p + 1);
            sqlite3_bind_double(par, 3, v[p]); sqlite3_bind_double(par, 4, g[p]); sqlite3_bind_double(par, 5, num[p]);
            run(par);
        }
        sqlite3_bind_int64(ep, 1, i); sqlite3_bind_double(ep, 2, loss);
        sqlite3_bind_double(ep, 3, worst_abs); sqlite3_bind_double(ep, 4, worst_rel); run(ep);
        w -= 0.1 * g[0]; b -= 0.1 * g[1];
        if (i % every == 0) exec("COMMIT; BEGIN IMMEDIATE");
    }
    if (blk) write_block(blk, (n - 1) / 256, block_first, n, k);
    exec("COMMIT");
    sqlite3_finalize(ins); sqlite3_finalize(par); sqlite3_finalize(ep); if (blk) sqlite3_finalize(blk);
    check(sqlite3_close(db), SQLITE_OK, "close");
    double t1 = now_s();
    FILE *f = fopen(path, "rb"); fseek(f, 0, SEEK_END); long size = ftell(f); fclose(f);
    printf("%.3f s, %.1f B/step\n", t1 - t0, (double)size / n);
    return 0;
}

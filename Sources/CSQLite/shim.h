#ifndef GRADLOG_CSQLITE_SHIM_H
#define GRADLOG_CSQLITE_SHIM_H
#include <sqlite3.h>

/* sqlite3_db_config is variadic, which Swift cannot call: this sets one on/off option. */
static inline int gradlog_db_config_flag(sqlite3 *db, int option, int on) {
    int now = -1;
    return sqlite3_db_config(db, option, on, &now);
}
#endif

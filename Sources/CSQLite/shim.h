#ifndef GRADLOG_CSQLITE_SHIM_H
#define GRADLOG_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif

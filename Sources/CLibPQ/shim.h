#ifndef GRADLOG_CLIBPQ_SHIM_H
#define GRADLOG_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif

#ifndef RENDEZVOUS_CPOSTGRES_SHIM_H
#define RENDEZVOUS_CPOSTGRES_SHIM_H
#include <libpq-fe.h>
#include <postgres_ext.h>
#include <sys/eventfd.h>

// The PG_DIAG_* field codes are character-literal macros, which Swift does not import.
static const int RZ_PG_DIAG_SQLSTATE = PG_DIAG_SQLSTATE;
static const int RZ_PG_DIAG_MESSAGE_PRIMARY = PG_DIAG_MESSAGE_PRIMARY;
static const int RZ_PG_DIAG_MESSAGE_DETAIL = PG_DIAG_MESSAGE_DETAIL;
static const int RZ_PG_DIAG_CONSTRAINT_NAME = PG_DIAG_CONSTRAINT_NAME;
static const int RZ_PG_DIAG_TABLE_NAME = PG_DIAG_TABLE_NAME;

/// A non-blocking eventfd that wakes a listener thread sleeping in `poll` (the `EFD_*` flags are
/// not visible to Swift through Glibc).
static inline int rz_pg_wake_descriptor(void) {
    return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}
#endif

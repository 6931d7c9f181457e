#ifndef TUTOR_CSQLITECONFIG_SHIM_H
#define TUTOR_CSQLITECONFIG_SHIM_H
/* sqlite3_config is variadic, which Swift cannot call. Declared here rather than through
   sqlite3.h, which GRDB's module already brings in. */
int sqlite3_config(int option, ...);

/* SQLite's memory statistics off (SQLITE_CONFIG_MEMSTATUS, 9): every allocation then skips a
   mutex and two counters, which nothing in the tutor reads. Only before SQLite starts: later
   it returns SQLITE_MISUSE (21) and changes nothing. */
static inline int tutor_sqlite_without_memory_statistics(void) { return sqlite3_config(9, 0); }
#endif

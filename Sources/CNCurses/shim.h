#ifndef TUTOR_CNCURSES_SHIM_H
#define TUTOR_CNCURSES_SHIM_H
/* The wide-character API (wget_wch, cchar_t, setcchar, wadd_wch): asked for here rather than
   through pkg-config's cflags, which SwiftPM refuses with a warning. */
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/curses.h>
#include <signal.h>
#include <unistd.h>

// Globals and macros that Swift 6 cannot import or calls unsafe under strict concurrency.
static inline WINDOW *tutor_stdscr(void) { return stdscr; }
static inline int tutor_lines(void) { return LINES; }
static inline int tutor_cols(void) { return COLS; }
static inline int tutor_colors(void) { return COLORS; }
static inline attr_t tutor_a_normal(void) { return A_NORMAL; }
static inline attr_t tutor_a_bold(void) { return A_BOLD; }
static inline attr_t tutor_a_reverse(void) { return A_REVERSE; }
static inline attr_t tutor_a_underline(void) { return A_UNDERLINE; }
static inline attr_t tutor_a_dim(void) { return A_DIM; }
static inline attr_t tutor_a_italic(void) { return A_ITALIC; }
static inline attr_t tutor_color_pair(int n) { return COLOR_PAIR(n); }
static inline int tutor_key_resize(void) { return KEY_RESIZE; }
/* The process's own terminal, for newterm (stdin/stdout are unsafe globals in Swift 6). */
static inline SCREEN *tutor_newterm(void) { return newterm(NULL, stdout, stdin); }

/* A crash must not leave the terminal in raw mode: restore it, then die as before. */
static void tutor_restore_and_reraise(int sig) {
  endwin();
  signal(sig, SIG_DFL);
  raise(sig);
}
static inline void tutor_install_crash_handlers(void) {
  signal(SIGILL, tutor_restore_and_reraise);
  signal(SIGTRAP, tutor_restore_and_reraise);
  signal(SIGABRT, tutor_restore_and_reraise);
  signal(SIGSEGV, tutor_restore_and_reraise);
  signal(SIGBUS, tutor_restore_and_reraise);
  signal(SIGFPE, tutor_restore_and_reraise);
}

/* A pseudo-terminal's master side, unlocked, and its terminal's name in `name` (-1 on failure):
   for tutor-bench's first paints. Swift's Glibc module leaves these out (they need _XOPEN_SOURCE). */
int posix_openpt(int flags);
int grantpt(int fd);
int unlockpt(int fd);
int ptsname_r(int fd, char *name, size_t size);
static inline int tutor_open_pseudo_terminal(int flags, char *name, size_t size) {
  int master = posix_openpt(flags);
  if (master < 0) return -1;
  if (grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, name, size) != 0) {
    close(master);
    return -1;
  }
  return master;
}
#endif

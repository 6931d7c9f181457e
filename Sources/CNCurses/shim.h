#ifndef TUTOR_CNCURSES_SHIM_H
#define TUTOR_CNCURSES_SHIM_H
/* The wide-character API (wget_wch, cchar_t, setcchar, wadd_wch): asked for here rather than
   through pkg-config's cflags, which SwiftPM refuses with a warning. */
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/curses.h>
#include <signal.h>

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
#endif

/*
 * Private to user/libc: what its parts share. Everything outside os/ is
 * pure (no system calls) and is also built for the host unit tests, which
 * provide their own libc_lock, libc_unlock and libc_log_write.
 */
#ifndef USER_LIBC_INTERNAL_H
#define USER_LIBC_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>

#include "common/fmt.h"

/* A lock word: libc_lock spins a little, then sleeps (os/lock.c). Not
 * recursive. A zeroed lock is unlocked. */
/* libc_lock_t, libc_lock, libc_unlock: in aelibc.h (programs use them too). */
#include "aelibc.h"

/* The printf engine's options for every printf-family function: C-style
 * %p, %n refused, floating point (stdio/format.c). */
extern const struct ae_fmt_opts libc_fmt_opts;
/* %f %F %e %E %g %G of spec s, the value already fetched (stdio/float.c). */
struct libc_fp {
    int kind;                   /* LIBC_FP_* */
    int neg;
    unsigned long long mant;    /* value = mant * 2^exp2 */
    int exp2;
};
enum { LIBC_FP_FINITE, LIBC_FP_INF, LIBC_FP_NAN };
void libc_format_fp(struct ae_fmt_out *out, const struct ae_fmt_spec *s,
                    const struct libc_fp *v);

/* Writes a message straight to stderr's sink, bypassing its buffer and
 * lock (the caller may be stopping the program with either in a bad
 * state). */
void libc_stderr_raw(const char *s, size_t len);
/* Prints "libc: <message>" that way and aborts. */
__attribute__((noreturn, format(printf, 1, 2))) void libc_fatal(const char *fmt, ...);

/* Resets for libc_reset_after_spawn (aelibc.h). */
void libc_streams_reset(void);
void libc_heap_reset(void);
void libc_atexit_reset(void);

#endif

/* Ending the process: exit and its atexit handlers, _Exit, abort, and
 * the fatal-message path abort shares with assert and the heap. */
#include <aelibc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aether.h"

#include "../internal.h"

#define ATEXIT_MAX 32               /* what C guarantees */

static void (*handlers[ATEXIT_MAX])(void);
static int nhandlers;
static libc_lock_t handlers_lock;

int atexit(void (*fn)(void))
{
    int r = -1;

    libc_lock(&handlers_lock);
    if (nhandlers < ATEXIT_MAX) {
        handlers[nhandlers++] = fn;
        r = 0;
    }
    libc_unlock(&handlers_lock);
    return r;
}

void libc_atexit_reset(void)
{
    nhandlers = 0;
    handlers_lock = (libc_lock_t){0};
}

/* Each handler is taken off the list before it runs, so one that calls
 * exit does not run again. */
void exit(int status)
{
    libc_exit_status(status);
}

void libc_exit_status(long status)
{
    for (;;) {
        void (*fn)(void) = NULL;
        libc_lock(&handlers_lock);
        if (nhandlers > 0)
            fn = handlers[--nhandlers];
        libc_unlock(&handlers_lock);
        if (!fn)
            break;
        fn();
    }
    fflush(NULL);
    ae_process_exit(status);
}

void _Exit(int status)
{
    ae_process_exit(status);
}

/* An invalid-opcode fault: the supervisor reports it with abort's
 * address, and nothing (no handler, no flush) runs after a failure. */
void abort(void)
{
    static const char msg[] = "libc: abort\n";

    libc_stderr_raw(msg, sizeof(msg) - 1);
    __builtin_trap();
}

void libc_fatal(const char *fmt, ...)
{
    static const char prefix[] = "libc: ";
    char buf[256];
    size_t n = sizeof(prefix) - 1;
    va_list ap;
    int m;

    memcpy(buf, prefix, n);
    va_start(ap, fmt);
    m = vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
    va_end(ap);
    if (m > 0)
        n += (size_t)m < sizeof(buf) - n - 1 ? (size_t)m : sizeof(buf) - n - 2;
    buf[n++] = '\n';
    libc_stderr_raw(buf, n);        /* one write: one log line */
    __builtin_trap();
}

void __libc_assert_fail(const char *expr, const char *file, int line, const char *func)
{
    libc_fatal("%s:%d: %s: assertion `%s' failed", file, line, func, expr);
}

void libc_reset_after_spawn(void)
{
    libc_heap_reset();
    libc_streams_reset();
    libc_atexit_reset();
}

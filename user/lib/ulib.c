/*
 * libaether runtime: process start, formatted logging, thread spawning.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "aether.h"
#include "common/fmt.h"
#include "common/string.h"

extern char ae_thread_trampoline[];

const struct ae_bootinfo *ae_bootinfo;

void ae_start(const struct ae_bootinfo *bi);
void ae_thread_entry(void **fn_arg);

void ae_start(const struct ae_bootinfo *bi)
{
    ae_bootinfo = bi;
    exit(main(bi));             /* atexit handlers, then the streams flushed */
}

int ae_printf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = ae_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0)
        return n;
    ae_log_write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
    return n;
}

void ae_thread_entry(void **fn_arg)
{
    void (*fn)(void *) = (void (*)(void *))fn_arg[0];
    fn(fn_arg[1]);
    ae_thread_exit(0);
}

int64_t ae_thread_spawn(ae_handle_t p, void (*fn)(void *), void *arg,
                        uint64_t stack_va, uint64_t stack_size)
{
    int64_t vmo = ae_vmo_create(stack_size, 0), t, err;
    void **top;

    if (vmo < 0)
        return vmo;
    err = ae_vmo_map((ae_handle_t)vmo, 0, stack_va, 0, stack_size,
                     AE_PROT_READ | AE_PROT_WRITE);
    ae_handle_close((ae_handle_t)vmo);          /* the mapping keeps it */
    if (err)
        return err;
    top = (void **)(stack_va + stack_size) - 2;
    top[0] = (void *)fn;
    top[1] = arg;
    t = ae_thread_create(p, (uint64_t)ae_thread_trampoline, (uint64_t)top,
                             (uint64_t)top);
    if (t < 0)
        return t;
    err = ae_thread_start((ae_handle_t)t);
    return err ? err : t;
}

/*
 * The kernel log on the terminal. The console takes the job over from the
 * kernel (log_read with AE_LOG_CURSOR_CONSOLE: the kernel then prints only
 * errors itself, until this process dies) and copies every new line to
 * the terminal between the programs' writes, whole lines only, so a kernel
 * line never cuts into a prompt or a command's output. The log has no
 * blocking read: the thread looks every KLOG_POLL_NS.
 */
#include "console.h"
#include "svc.h"
#include "common/string.h"

#define KLOG_POLL_NS (20ull * 1000 * 1000)
#define KLOG_BUF 2048

static ae_handle_t log_handle;
static uint64_t start_cursor;       /* where the kernel stopped printing */

/* Debug lines stay in the log (`log` shows them), off the terminal, as the
 * kernel does: "[    1.234567] cpu1 D ...". */
static int is_debug(const char *line, size_t len)
{
    size_t i = 0;

    while (i < len && line[i] != ']')
        i++;
    if (i + 5 >= len || line[i + 1] != ' ' || line[i + 2] != 'c' || line[i + 3] != 'p' ||
        line[i + 4] != 'u')
        return 0;
    for (i += 5; i < len && line[i] >= '0' && line[i] <= '9'; i++)
        ;
    return i + 2 < len && line[i] == ' ' && line[i + 1] == 'D' && line[i + 2] == ' ';
}

/* Sends the whole lines of buf[0..len) but debug ones; 0 if they do not
 * all fit now (nothing sent then). */
static int show(const char *buf, size_t len)
{
    static char out[KLOG_BUF];
    size_t n = 0, start = 0;

    for (size_t i = 0; i < len; i++) {
        if (buf[i] != '\n' && i + 1 < len)
            continue;
        if (!is_debug(buf + start, i + 1 - start)) {
            memcpy(out + n, buf + start, i + 1 - start);
            n += i + 1 - start;
        }
        start = i + 1;
    }
    return !n || console_output_whole((const uint8_t *)out, n);
}

static void klog_thread(void *arg)
{
    static char buf[KLOG_BUF];
    uint64_t cursor = start_cursor;
    size_t have = 0;

    for (;;) {
        int64_t n = ae_log_read(log_handle, &cursor, buf + have, KLOG_BUF - have);
        size_t end = 0;
        if (n < 0) {
            ae_printf("console: reading the kernel log failed: %s", ae_strerror(n));
            return;
        }
        have += (size_t)n;
        /* Whole lines out; a partial one waits for its end (or is sent as
         * is if it fills the buffer). */
        for (size_t i = 0; i < have; i++)
            if (buf[i] == '\n')
                end = i + 1;
        if (!end && have == KLOG_BUF)
            end = have;
        if (end && show(buf, end)) {
            memmove(buf, buf + end, have - end);
            have -= end;
            continue;               /* maybe more waiting */
        }
        if (n == 0 || end)
            ae_sleep_until((uint64_t)ae_clock_get() + KLOG_POLL_NS);
    }
}

int64_t klog_start(ae_handle_t self, uint64_t stack_va, uint64_t stack_size)
{
    uint64_t unused;
    char none;
    int64_t r = ae_ns_lookup_word("log", &log_handle, &unused);

    if (r)
        return r;
    /* Take the terminal over now, before the console writes anything, so
     * the kernel prints nothing of its own in between. */
    start_cursor = AE_LOG_CURSOR_CONSOLE;
    r = ae_log_read(log_handle, &start_cursor, &none, 0);
    if (r < 0)
        return r;
    return ae_thread_spawn(self, klog_thread, NULL, stack_va, stack_size);
}

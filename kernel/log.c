/*
 * Each message is formatted into a stack buffer first and written under the
 * lock in one go, so the lock is held only for the UART time of one line.
 * Interrupts are off while it is held: a timer handler that logs on the same
 * CPU would otherwise deadlock.
 *
 * Every line, of every level (debug lines too, which the console shows only
 * with `debug`), also goes into an in-memory ring that user space reads
 * with log_read; the same lock guards it.
 */
#include <stdarg.h>
#include <stdbool.h>

#include "log.h"
#include "arch/x86_64/clock.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/serial.h"
#include "lib/fmt.h"
#include "lib/log_ring.h"
#include "lib/spinlock.h"
#include "lib/string.h"
#include "obj/kobj.h"

#define LINE_MAX 512
#define RING_SIZE (64 * 1024)

static spinlock_t log_lock = SPINLOCK_INIT;
static char ring_buf[RING_SIZE];
static struct log_ring ring = {ring_buf, RING_SIZE, 0};
/* The log as a kernel object, for handles: static, and the reference it
 * starts with is the kernel's, never dropped. */
static struct kobj log_obj = {.type = AE_OBJ_LOG, .refs = 1};
static enum log_level max_level = LOG_INFO;
static volatile bool panic_mode;
static bool cpu_ready;          /* GS points at a struct cpu */
/* A user process that shows the log on the terminal itself (the console
 * V-Node): while it lives the kernel prints only errors to the UART, so
 * the two never cut into each other's lines. */
static const void *console_owner;
static uint64_t handover;       /* the first byte the kernel left to it */
static uint64_t shown;          /* bytes it has read: taken as shown */

static const char level_char[] = {'E', 'W', 'I', 'D'};

void log_init(void)
{
    serial_init();
    cpu_ready = true;
}

void log_set_level(enum log_level max)
{
    max_level = max;
}

void log_enter_panic(void)
{
    panic_mode = true;
}

static void emit_line(const char *buf, size_t len, bool console, bool urgent)
{
    uint64_t flags = 0;

    if (panic_mode) {
        log_ring_write(&ring, buf, len);
        if (console)
            serial_write(buf, len);
        return;
    }
    flags = spin_lock_irqsave(&log_lock);
    log_ring_write(&ring, buf, len);
    if (console && (!console_owner || urgent))
        serial_write(buf, len);
    spin_unlock_irqrestore(&log_lock, flags);
}

uint64_t log_console_take(const void *owner)
{
    uint64_t flags = spin_lock_irqsave(&log_lock);
    uint64_t at;

    if (console_owner != owner) {
        console_owner = owner;
        handover = shown = ring.head;
    }
    at = handover;
    spin_unlock_irqrestore(&log_lock, flags);
    return at;
}

void log_console_seen(const void *owner, uint64_t cursor)
{
    uint64_t flags = spin_lock_irqsave(&log_lock);

    if (console_owner == owner && cursor > shown)
        shown = cursor;
    spin_unlock_irqrestore(&log_lock, flags);
}

/* Lock held. The kernel takes the terminal back: what its owner never read
 * goes out now, so no line is lost at the handover. */
static void take_back(void)
{
    char chunk[256];
    uint64_t at = shown;
    int64_t n;

    console_owner = NULL;
    while ((n = log_ring_read(&ring, &at, chunk, sizeof(chunk))) > 0)
        serial_write(chunk, (size_t)n);
}

void log_console_release(const void *owner)
{
    uint64_t flags = spin_lock_irqsave(&log_lock);

    if (console_owner == owner)
        take_back();
    spin_unlock_irqrestore(&log_lock, flags);
}

void log_console_reclaim(void)
{
    uint64_t flags = spin_lock_irqsave(&log_lock);

    if (console_owner)
        take_back();
    spin_unlock_irqrestore(&log_lock, flags);
}

struct kobj *log_object(void)
{
    return &log_obj;
}

int64_t klog_read(uint64_t *cursor, char *out, size_t len)
{
    uint64_t flags = spin_lock_irqsave(&log_lock);
    int64_t n = log_ring_read(&ring, cursor, out, len);

    spin_unlock_irqrestore(&log_lock, flags);
    return n;
}

static size_t clamp_len(int n, size_t cap)
{
    if (n < 0)
        return 0;
    return (size_t)n < cap ? (size_t)n : cap - 1;
}

void klog(enum log_level level, const char *fmt, ...)
{
    char buf[LINE_MAX];
    uint64_t ns = clock_ns();
    unsigned cpu = cpu_ready ? this_cpu_id() : 0;
    size_t len;
    va_list ap;

    len = clamp_len(ae_snprintf(buf, sizeof(buf), "[%5lu.%06lu] cpu%u %c ",
                                (unsigned long)(ns / 1000000000),
                                (unsigned long)(ns / 1000 % 1000000), cpu,
                                level_char[level]),
                    sizeof(buf));
    va_start(ap, fmt);
    len += clamp_len(ae_vsnprintf(buf + len, sizeof(buf) - len - 1, fmt, ap),
                     sizeof(buf) - len - 1);
    va_end(ap);
    buf[len++] = '\n';
    emit_line(buf, len, level <= max_level, level == LOG_ERR);
}

void kprintf(const char *fmt, ...)
{
    char buf[LINE_MAX];
    va_list ap;
    size_t len;

    va_start(ap, fmt);
    len = clamp_len(ae_vsnprintf(buf, sizeof(buf), fmt, ap), sizeof(buf));
    va_end(ap);
    emit_line(buf, len, true, false);
}

/*
 * Kernel log on the serial console: one line per call, prefixed with the
 * monotonic time, the CPU and the level:
 *     [    1.234567] cpu1 I mm: 1987 MiB usable
 * Lines from several CPUs never interleave (one lock per line). After
 * log_enter_panic() only the panicking CPU writes and takes no lock, so a
 * fault while the lock is held still gets its report out.
 * Every line, whatever its level and the console's, is also kept in a
 * 64 KiB ring (lib/log_ring.h) that klog_read reads.
 *
 * A user process may take over showing the log (log_console_take: the
 * console V-Node, through log_read): from then until it releases it (its
 * death) the kernel writes only errors to the UART itself.
 */
#ifndef KERNEL_LOG_H
#define KERNEL_LOG_H

#include <stddef.h>
#include <stdint.h>

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_init(void);
void klog(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Unprefixed output (continuation lines of a report). */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_set_level(enum log_level max);
/* log_ring_read on the kernel's ring, under the log lock. */
int64_t klog_read(uint64_t *cursor, char *out, size_t len);
/* The log's kernel object (AE_OBJ_LOG), which handles to it name. */
struct kobj;
struct kobj *log_object(void);
void log_enter_panic(void);
/* owner (a process) shows the log from now on; returns the number of the
 * first byte left to it. Taking it again returns the same point. */
uint64_t log_console_take(const void *owner);
/* owner has read the log up to cursor (it shows what it reads). */
void log_console_seen(const void *owner, uint64_t cursor);
/* The kernel prints again if owner had taken the log, starting with what
 * owner had not read. */
void log_console_release(const void *owner);
/* The same whoever the owner is (the system is about to stop). */
void log_console_reclaim(void);

#define log_err(...) klog(LOG_ERR, __VA_ARGS__)
#define log_warn(...) klog(LOG_WARN, __VA_ARGS__)
#define log_info(...) klog(LOG_INFO, __VA_ARGS__)
#define log_debug(...) klog(LOG_DEBUG, __VA_ARGS__)

#endif

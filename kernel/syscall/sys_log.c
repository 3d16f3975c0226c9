/*
 * The kernel log from user space.
 *
 *   log_write(buf, len)              a line in the log with the caller's name
 *                                    and pid; len <= 512; FAULT, INVAL
 *   log_read(log [READ], cursor *, buf, len)
 *                                    bytes copied from the ring (see below)
 *
 * The log is one kernel object (AE_OBJ_LOG) that is never destroyed: the
 * kernel holds a reference to it for ever; init gets the root handle to it
 * in its boot info and may pass READ on.
 *
 * log_read: *cursor is a byte number in everything the kernel ever logged
 * (lib/log_ring.h). The call copies up to len bytes from there into buf,
 * sets *cursor past them and returns how many; the bytes are always
 * [*cursor - n, *cursor), so a reader that fell behind the 64 KiB ring
 * learns how much it lost from how far the cursor jumped. Every user
 * address is checked before the ring is looked at; the ring is copied out
 * in chunks under the log lock and then to the user outside it, and a chunk
 * that would not continue the previous one (the ring overran the reader
 * between two chunks) ends the call early, so the result is contiguous.
 *
 * *cursor == AE_LOG_CURSOR_CONSOLE: the caller takes over showing the log
 * on the terminal (the console V-Node): the kernel stops writing all but
 * errors to the UART until the caller's process dies, and the read starts
 * at the first byte the kernel did not print.
 */
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "proc/process.h"
#include "aether/errors.h"
#include "log.h"

#define LOG_WRITE_MAX 512
#define LOG_READ_CHUNK 1024

int64_t sys_log_write(struct trap_frame *f, struct cap *c)
{
    char buf[LOG_WRITE_MAX + 1];
    uint64_t len = f->rsi;
    struct process *p = process_current();
    int err;

    if (len > LOG_WRITE_MAX)
        return AE_ERR_INVAL;
    err = copy_from_user(buf, f->rdi, len);
    if (err)
        return err;
    while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        len--;
    for (uint64_t i = 0; i < len; i++)
        if ((unsigned char)buf[i] < 0x20 || (unsigned char)buf[i] > 0x7e)
            buf[i] = '?';       /* no terminal control from user space */
    buf[len] = '\0';
    log_info("[%s:%lu] %s", p->name, (unsigned long)p->pid, buf);
    return AE_OK;
}

int64_t sys_log_read(struct trap_frame *f, struct cap *c)
{
    char chunk[LOG_READ_CHUNK];
    uint64_t ucursor = f->rsi, ubuf = f->rdx, len = f->r10;
    uint64_t cursor, done = 0;
    int err;

    if (!user_range_ok(ucursor, sizeof cursor) || !user_range_ok(ubuf, len))
        return AE_ERR_FAULT;
    err = copy_from_user(&cursor, ucursor, sizeof cursor);
    if (err)
        return err;
    if (cursor == AE_LOG_CURSOR_CONSOLE)
        cursor = log_console_take(process_current());
    while (done < len) {
        uint64_t before = cursor;
        size_t want = len - done < LOG_READ_CHUNK ? len - done : LOG_READ_CHUNK;
        int64_t n = klog_read(&cursor, chunk, want);

        if (n < 0)                  /* a cursor past everything written */
            return n;
        if (done && cursor - (uint64_t)n != before) {
            cursor = before;        /* overrun between chunks: stop here */
            break;
        }
        if (n == 0)
            break;
        err = copy_to_user(ubuf + done, chunk, (uint64_t)n);
        if (err)
            return err;
        done += (uint64_t)n;
    }
    err = copy_to_user(ucursor, &cursor, sizeof cursor);
    if (err)
        return err;
    log_console_seen(process_current(), cursor);
    return (int64_t)done;
}

/*
 * AetherOS extensions of the C library: where the standard streams go,
 * the heap's address range and its checks, and the reset a child process
 * made from a copy of this one needs (ae_spawn does it).
 */
#ifndef _AELIBC_H
#define _AELIBC_H

#include <stddef.h>
#include <sys/types.h>

/* Stream hooks. A write hook returns the bytes it took (> 0) or a negative
 * value for an error (the stream's error flag is set); a read hook returns
 * the bytes it read, 0 at end of file, negative on error. NULL restores the
 * default. The console service installs its own once it runs. */
typedef ssize_t (*libc_write_fn)(const void *buf, size_t len);
typedef ssize_t (*libc_read_fn)(void *buf, size_t len);
void libc_set_stdout(libc_write_fn write);
void libc_set_stderr(libc_write_fn write);
void libc_set_stdin(libc_read_fn read);

/* The default stdout and stderr sink: the kernel log, one log_write per
 * line (the kernel prefixes each with the process name; a line longer than
 * 512 bytes is split). */
ssize_t libc_log_write(const void *buf, size_t len);

/* The heap lives in [LIBC_HEAP_VA, +LIBC_HEAP_SIZE): nothing else may be
 * mapped there. */
#define LIBC_HEAP_VA   0x0000600000000000ull
#define LIBC_HEAP_SIZE 0x0000010000000000ull        /* 1 TiB */

struct libc_heap_stats {
    size_t mapped;          /* bytes of memory objects mapped for the heap */
    size_t mappings;        /* how many */
    size_t in_use;          /* bytes of allocated blocks (headers included) */
    size_t free;            /* bytes of free blocks */
    size_t allocations;     /* live allocations */
};
void libc_heap_stats(struct libc_heap_stats *out);
/* Walks every block and free list; a broken invariant aborts with a
 * message. Returns the number of blocks. */
size_t libc_heap_check(void);
/* Gives free memory at the top of the heap back to the system, keeping
 * pad bytes; returns 1 if anything was released (glibc's malloc_trim). */
int malloc_trim(size_t pad);
/* The bytes usable at ptr (at least what was asked for). */
size_t malloc_usable_size(void *ptr);

/* exit() with a whole 64-bit status (a process's status is an int64_t):
 * atexit handlers, streams flushed, process_exit. */
__attribute__((noreturn)) void libc_exit_status(long status);

/* For a process that starts on a copy of another's data (ae_spawn): forget
 * the parent's heap (not mapped here), pending output and atexit handlers. */
void libc_reset_after_spawn(void);

/* A lock between the threads of one program: spins briefly, then yields,
 * then sleeps in short steps, so a waiter of higher priority cannot starve
 * the holder (user/libc/os/lock.c). Zero-initialised means unlocked. */
typedef struct {
    int held;
} libc_lock_t;
void libc_lock(libc_lock_t *l);
void libc_unlock(libc_lock_t *l);

#endif

/*
 * Client of the console service (include/aether/proto/console.h):
 *
 *     con_open(CON_BUF_VA);
 *     con_write("hello\n", 6);
 *     n = con_read(buf, sizeof(buf));     // blocks until input
 *
 * One console session per program. The transfer buffer is one page mapped
 * at the address given. If the console restarts, the calls reconnect and
 * set the session up again by themselves (bytes in flight may be lost,
 * never repeated).
 */
#ifndef USER_LIB_CON_H
#define USER_LIB_CON_H

#include <stddef.h>
#include <stdint.h>

#define CON_BUF_SIZE 4096

int64_t con_open(uint64_t buf_va);
int64_t con_write(const void *data, size_t n);
/* Waits for input; returns 1.. bytes (at most max), or an error. */
int64_t con_read(void *dst, size_t max);
/* The same, giving up after timeout_ns without input: returns 0 then. A
 * timeout restarts when a wake-up brings nothing (so it is a lower bound). */
int64_t con_read_wait(void *dst, size_t max, uint64_t timeout_ns);
int64_t con_set_raw(int raw);

#endif

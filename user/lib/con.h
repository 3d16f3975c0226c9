/*
 * Client of the console service (include/aether/proto/console.h):
 *
 *     struct con c;
 *     con_open(&c, CON_BUF_VA);
 *     con_write(&c, "hello\n", 6);
 *     n = con_read(&c, buf, sizeof(buf));     // blocks until input
 *
 * The transfer buffer is one page mapped at the address given. If the
 * console restarts, the calls reconnect and set the session up again by
 * themselves (the bytes in flight may be lost, never repeated).
 */
#ifndef USER_LIB_CON_H
#define USER_LIB_CON_H

#include "svc.h"

#define CON_BUF_SIZE 4096

struct con {
    struct ae_svc svc;
    uint64_t buf_va;
    ae_handle_t buf_vmo;        /* ours, mapped at buf_va */
    ae_handle_t input;          /* notification the console signals */
    int raw;
};

int64_t con_open(struct con *c, uint64_t buf_va);
int64_t con_write(struct con *c, const void *data, size_t n);
/* Waits for input; returns 1.. bytes (at most max), or an error. */
int64_t con_read(struct con *c, void *dst, size_t max);
int64_t con_set_raw(struct con *c, int raw);

#endif

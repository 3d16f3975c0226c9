/*
 * A connection to a service that takes a transfer buffer (the console,
 * init, vfs protocols: a SETBUF operation with a shared memory object).
 * The buffer is mapped at va in the caller; the connection is made on first
 * use and made again, buffer included, when the service restarts, the call
 * then repeated once.
 *
 *     static struct ae_bufsvc vfs = AE_BUFSVC("vfs", AE_VFS_SETBUF, 0x120000000000, 65536);
 *     struct ae_msg m = {AE_MSG_INFO(AE_VFS_STAT, 0), ...};
 *     strcpy(ae_bufsvc_buf(&vfs), "/boot");
 *     r = ae_bufsvc_call(&vfs, &m);     // transport error or the reply's status
 */
#ifndef USER_LIB_BUFSVC_H
#define USER_LIB_BUFSVC_H

#include "svc.h"

struct ae_bufsvc {
    const char *name;
    uint32_t setbuf_op;
    uint64_t va;
    uint64_t size;
    /* Optional: more session set-up, run after every SETBUF (e.g. the
     * console's notification and mode); returns AE_OK or an error. */
    int64_t (*setup)(struct ae_bufsvc *s);
    struct ae_svc svc;
    ae_handle_t vmo;
    int ready;
};

#define AE_BUFSVC(name, op, va, size) {(name), (op), (va), (size), NULL, {{0}, 0, 0}, 0, 0}

void *ae_bufsvc_buf(struct ae_bufsvc *s);
/* Connects now (the first call does it otherwise). */
int64_t ae_bufsvc_connect(struct ae_bufsvc *s);
/* Returns the transport error, or the reply's status (the label). */
int64_t ae_bufsvc_call(struct ae_bufsvc *s, struct ae_msg *m);

#endif

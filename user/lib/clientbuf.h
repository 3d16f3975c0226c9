/*
 * A server's table of clients and their transfer buffers (the SETBUF
 * operation of the console, vfs and init protocols). Clients are known by
 * the badge on their handle (their V-Node id); each slot maps its client's
 * shared memory object at base_va + slot * AE_CLIENT_BUF_MAX.
 */
#ifndef USER_LIB_CLIENTBUF_H
#define USER_LIB_CLIENTBUF_H

#include <stdint.h>

#include "aether.h"

#define AE_CLIENTS_MAX 32
#define AE_CLIENT_BUF_MAX (64 * 1024ull)

struct ae_client {
    int used;
    uint64_t badge;
    uint8_t *buf;               /* NULL until SETBUF */
    uint64_t size;
};

struct ae_clients {
    uint64_t base_va;           /* AE_CLIENTS_MAX * AE_CLIENT_BUF_MAX reserved there */
    struct ae_client c[AE_CLIENTS_MAX];
};

/* The client with this badge, given a slot the first time; NULL when every
 * slot is taken (the caller answers AE_ERR_QUOTA). */
struct ae_client *ae_client_of(struct ae_clients *t, uint64_t badge);
/* The slot's index (for per-client data a server keeps beside the table). */
unsigned ae_client_index(const struct ae_clients *t, const struct ae_client *c);
/* SETBUF from the client with this badge (given a slot the first time):
 * h[0] a memory object [READ WRITE MAP], w[0] its size (4096 ..
 * AE_CLIENT_BUF_MAX, whole pages) becomes its buffer, replacing any
 * earlier one. AE_OK, AE_ERR_QUOTA (every slot taken), AE_ERR_INVAL, or
 * the mapping's error. The handle stays in the message (the mapping
 * holds the object). */
int64_t ae_client_setbuf(struct ae_clients *t, uint64_t badge, const struct ae_msg *m);

#endif

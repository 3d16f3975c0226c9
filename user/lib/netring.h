/*
 * The netdev rings (include/aether/proto/netdev.h): single producer,
 * single consumer, in memory both sides map. The other side's index is
 * trusted only as far as it can be right: a consumer never takes more
 * than a ring's worth, whatever head says.
 *
 *     if (netring_push(&shm->tx_send, AE_NETDEV_ENTRY(slot, len))) ... kick the peer
 *     while ((r = netring_pop(&shm->rx_ready, &e)) > 0) ... use AE_NETDEV_SLOT(e)
 */
#ifndef USER_LIB_NETRING_H
#define USER_LIB_NETRING_H

#include <stdbool.h>
#include <stdint.h>

#include "aether/proto/netdev.h"

static inline bool netring_push(struct ae_netdev_ring *r, uint32_t e)
{
    uint32_t h = r->head;

    if (h - __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE) >= AE_NETDEV_SLOTS)
        return false;
    r->ring[h % AE_NETDEV_SLOTS] = e;
    __atomic_store_n(&r->head, h + 1, __ATOMIC_RELEASE);
    return true;
}

/* 1: *e taken; 0: empty; -1: the producer's index ran more than a ring
 * ahead (nonsense): everything up to it is skipped. */
static inline int netring_pop(struct ae_netdev_ring *r, uint32_t *e)
{
    uint32_t t = r->tail, h = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);

    if (h == t)
        return 0;
    if (h - t > AE_NETDEV_SLOTS) {
        __atomic_store_n(&r->tail, h, __ATOMIC_RELEASE);
        return -1;
    }
    *e = r->ring[t % AE_NETDEV_SLOTS];
    __atomic_store_n(&r->tail, t + 1, __ATOMIC_RELEASE);
    return 1;
}

#endif

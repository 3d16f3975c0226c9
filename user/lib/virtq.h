/*
 * A virtio split virtqueue, driver side (virtio 1.2, 2.7): the descriptor
 * table, the available ring the driver fills and the used ring the device
 * fills, in one physically contiguous memory block. One descriptor per
 * buffer (no chains); each buffer carries a caller's token (a pool slot)
 * that comes back with it. Pure: the memory is the caller's, so a host test
 * plays the device.
 *
 *     size_t bytes = virtq_bytes(n);                  // memory to allocate
 *     virtq_init(&q, mem, phys, n);                   // then tell the device
 *     virtq_post(&q, buf_phys, 2048, VIRTQ_WRITE, slot); // device writes it (rx)
 *     ... notify the device; later, on its interrupt:
 *     while ((r = virtq_reap(&q, &slot, &len)) == AE_OK) ...
 *
 * Nothing the device writes is trusted: a used entry naming a descriptor
 * that is not out, or a used index that ran ahead of what was posted, is
 * AE_ERR_CORRUPT (and reaping stops; the device is broken).
 */
#ifndef USER_LIB_VIRTQ_H
#define USER_LIB_VIRTQ_H

#include <stddef.h>
#include <stdint.h>

#define VIRTQ_MAX 256u              /* descriptors at most (a power of two) */
#define VIRTQ_WRITE 2u              /* descriptor flag: the device writes the buffer */

struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct virtq {
    uint16_t n;                     /* descriptors: a power of two <= VIRTQ_MAX */
    uint16_t avail_idx;             /* our copy of avail->idx */
    uint16_t used_seen;             /* used entries reaped so far */
    uint16_t nfree;
    uint16_t free[VIRTQ_MAX];       /* descriptors not out (a stack) */
    uint32_t token[VIRTQ_MAX];      /* the caller's token of each descriptor out */
    uint8_t out[VIRTQ_MAX];         /* 1: the device holds it */
    volatile struct virtq_desc *desc;
    volatile uint16_t *avail;       /* flags, idx, ring[n], used_event */
    volatile uint32_t *used;        /* flags|idx, then {id, len}[n], avail_event */
    uint64_t desc_phys, avail_phys, used_phys;
};

/* Bytes of memory a queue of n descriptors takes (offsets aligned as the
 * specification asks: table 16, available ring 2, used ring 4). */
size_t virtq_bytes(unsigned n);
/* Lays the queue out in mem (zeroed, virtq_bytes(n) long) whose physical
 * address is phys. AE_ERR_INVAL: n not a power of two in 1..VIRTQ_MAX. */
int virtq_init(struct virtq *q, void *mem, uint64_t phys, unsigned n);
/* Gives the device one buffer. AE_ERR_AGAIN: every descriptor is out. */
int virtq_post(struct virtq *q, uint64_t phys, uint32_t len, uint16_t flags, uint32_t token);
/* Takes one buffer the device has finished with: its token, and the bytes
 * the device wrote into it. AE_ERR_AGAIN: none; AE_ERR_CORRUPT: the device
 * wrote nonsense. */
int virtq_reap(struct virtq *q, uint32_t *token, uint32_t *len);
/* Descriptors the device holds now. */
unsigned virtq_outstanding(const struct virtq *q);

#endif

/*
 * The "netdev" service: a network interface driver (net-bridge, over
 * virtio-net) and the one client that owns its traffic (net-stack);
 * docs/NETWORK.md.
 *
 * Frames never pass through IPC. The driver owns two packet pools, memory
 * objects of AE_NETDEV_SLOTS slots of AE_NETDEV_SLOT_SIZE bytes that the
 * device reads and writes directly (DMA); a slot changes hands by its
 * index going through one of four single-producer, single-consumer rings
 * in a shared control page, and whoever holds a slot's index owns its
 * bytes:
 *
 *   rx_ready  driver -> client   a received frame: slot | len << 16
 *   rx_free   client -> driver   an rx slot given back (to post again)
 *   tx_send   client -> driver   a frame to send: slot | len << 16
 *   tx_done   driver -> client   a tx slot the device has finished with
 *
 * The frame is at offset AE_NETDEV_FRAME_OFF of its slot (the device's own
 * header comes first); len counts frame bytes only. At ATTACH the client
 * owns every tx slot and no rx slot. After pushing, a side signals the
 * other's notification (the client: AE_NETDEV_KICK on the driver's; the
 * driver: AE_NETDEV_EVENT on the client's), so neither polls. The driver
 * checks every index and length the client writes: a bad one is dropped
 * and counted (bad_ring), never followed.
 *
 *   NETDEV_ATTACH  h[0] a notification [SIGNAL] of the client's ->
 *                  AE_OK, h[0] the control pages' VMO (struct ae_netdev_shm), h[1] the rx pool,
 *                  h[2] the tx pool (each [READ WRITE MAP]), h[3] the
 *                  driver's notification [SIGNAL]. A second ATTACH
 *                  detaches the first client: its rings start over.
 *   NETDEV_INFO    -> AE_OK, w[0] MAC (6 bytes, first in the low byte),
 *                  w[1] link up (1) or down (0) | MTU << 32
 *   NETDEV_STATS   -> AE_OK, w[0] rx frames, w[1] rx bytes, w[2] tx
 *                  frames, w[3] tx bytes
 *   NETDEV_ERRORS  -> AE_OK, w[0] rx dropped (no slot, bad length), w[1]
 *                  tx dropped, w[2] bad ring entries from the client,
 *                  w[3] interrupts taken
 */
#ifndef AETHER_PROTO_NETDEV_H
#define AETHER_PROTO_NETDEV_H

#include <stdint.h>

enum ae_netdev_op {
    AE_NETDEV_ATTACH = 1,
    AE_NETDEV_INFO = 2,
    AE_NETDEV_STATS = 3,
    AE_NETDEV_ERRORS = 4,
};

#define AE_NETDEV_SLOTS 256u            /* per pool; a power of two */
#define AE_NETDEV_SLOT_SIZE 4096u          /* a page: one buffer can be handed on alone (vmo_slice) */
#define AE_NETDEV_FRAME_OFF 12u         /* virtio-net's header comes first */
#define AE_NETDEV_FRAME_MAX 1514u       /* Ethernet without FCS, MTU 1500 */
#define AE_NETDEV_MTU 1500u

/* notification bits */
#define AE_NETDEV_KICK 1ull             /* client -> driver: rings have news */
#define AE_NETDEV_EVENT 1ull            /* driver -> client: rings have news */

#define AE_NETDEV_ENTRY(slot, len) ((uint32_t)(slot) | (uint32_t)(len) << 16)
#define AE_NETDEV_SLOT(e) ((e) & 0xffffu)
#define AE_NETDEV_LEN(e) ((e) >> 16)

/* head: the producer's count of entries pushed; tail: the consumer's of
 * entries taken; both free-running, entry i at ring[i % AE_NETDEV_SLOTS].
 * On separate cache lines, each written by one side only. */
struct ae_netdev_ring {
    volatile uint32_t head;
    uint32_t pad0[15];
    volatile uint32_t tail;
    uint32_t pad1[15];
    volatile uint32_t ring[AE_NETDEV_SLOTS];
};
_Static_assert(sizeof(struct ae_netdev_ring) == 128 + 4 * AE_NETDEV_SLOTS, "ABI");

struct ae_netdev_shm {
    struct ae_netdev_ring rx_ready, rx_free, tx_send, tx_done;
};
#define AE_NETDEV_SHM_BYTES 8192u
_Static_assert(sizeof(struct ae_netdev_shm) <= AE_NETDEV_SHM_BYTES, "two pages");

#endif

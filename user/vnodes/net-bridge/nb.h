/*
 * net-bridge's state: the virtio-net device (virtio_net.c), the data path
 * between its queues and the client's rings (datapath.c) and the netdev
 * service (main.c). The service thread and the data-path thread share it;
 * the data path alone touches the queues and rings, and the service thread
 * reaches them only through nb_attach (under the data path's lock).
 */
#ifndef NET_BRIDGE_NB_H
#define NET_BRIDGE_NB_H

#include <stdbool.h>
#include <stdint.h>

#include "aether.h"
#include "virtq.h"
#include "aether/proto/netdev.h"
#include "aether/proto/pci.h"

#define NB_RXQ 0
#define NB_TXQ 1

/* notification bits of the driver's own notification */
#define NB_BIT_KICK AE_NETDEV_KICK      /* the client pushed to a ring */
#define NB_BIT_RX (1ull << 1)           /* MSI: the rx queue */
#define NB_BIT_TX (1ull << 2)           /* MSI: the tx queue */
#define NB_BIT_CONFIG (1ull << 3)       /* MSI: configuration (link) changed */
#define NB_BIT_INTX (1ull << 4)         /* the INTx line: read the ISR to know why */

struct nb_counters {
    uint64_t rx_frames, rx_bytes, tx_frames, tx_bytes;
    uint64_t rx_dropped, tx_dropped, bad_ring, irqs;
};

struct nb {
    struct ae_pci_grant gr;
    volatile uint8_t *common, *isr, *devcfg;    /* virtio structures (mapped BARs) */
    volatile uint8_t *notify;
    uint32_t notify_mult;
    uint16_t notify_off[2];
    uint8_t mac[6];
    bool has_status;
    bool intx;                                  /* no MSI-X: the legacy pin instead */
    struct virtq q[2];
    ae_handle_t notif;                          /* ours: IRQs and kicks */
    ae_handle_t pool_vmo[2], shm_vmo;
    uint8_t *pool[2];                           /* rx, tx slots */
    uint64_t pool_phys[2];
    struct ae_netdev_shm *shm;
    ae_handle_t client;                         /* the client's notification, 0: none */
    uint8_t rx_owner[AE_NETDEV_SLOTS];          /* SLOT_*: who holds each slot */
    uint8_t tx_owner[AE_NETDEV_SLOTS];
    volatile uint32_t lock;
    struct nb_counters n;
};

enum { SLOT_DRIVER, SLOT_DEVICE, SLOT_CLIENT };

extern struct nb nb;

/* virtio_net.c: brings the device up (features, queues, MSI-X, DRIVER_OK).
 * AE_OK, or an error with a log line saying what failed. */
int vnet_init(void);
bool vnet_link_up(void);
void vnet_notify(unsigned q);

/* datapath.c */
int dp_init(void);
void dp_thread(void *arg);
/* A new client: its notification; every slot it held comes back. */
void dp_attach(ae_handle_t client);

#endif

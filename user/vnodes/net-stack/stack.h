/*
 * net-stack's state. Two threads share it under one lock: the packet
 * thread (link.c: frames from net-bridge, timers) and the service thread
 * (main.c: the "net" service). Neither blocks while holding the lock.
 */
#ifndef NET_STACK_STACK_H
#define NET_STACK_STACK_H

#include <stdbool.h>
#include <stdint.h>

#include "aether.h"
#include "net/arp_cache.h"
#include "net/dhcp.h"
#include "net/eth.h"
#include "net/ip_reasm.h"
#include "net/ipv4.h"
#include "net/tcp.h"
#include "aether/proto/netdev.h"

#define PENDING_MAX 16              /* frames waiting for ARP */
#define PINGS_MAX 16                /* echo requests remembered */
#define STATIC_IP NET_IP4(10, 0, 2, 15)     /* fallback: QEMU user networking's */
#define STATIC_MASK NET_IP4(255, 255, 255, 0)
#define STATIC_GW NET_IP4(10, 0, 2, 2)

struct pending {
    bool used;
    uint32_t hop;                   /* the address ARP must resolve */
    uint32_t slot, len;             /* a tx slot holding the frame, dst MAC unset */
};

struct ping {
    bool used, answered;
    uint64_t client;                /* badge: its echo identifier */
    uint16_t seq;
    uint32_t dst, from;
    uint8_t ttl;
    uint64_t sent_ns, rtt_ns;
};

struct counters {
    uint64_t rx_frames, rx_bytes, tx_frames, tx_bytes;
    uint64_t malformed, bad_csum, unroutable;
    uint64_t zc_lost;               /* pool pages clients never handed back */
};

struct stack {
    volatile uint32_t lock;
    /* the link */
    ae_handle_t bridge_notif, notif;
    struct ae_netdev_shm *shm;
    uint8_t *rx_pool, *tx_pool;
    ae_handle_t pool_vmo[2];        /* rx, tx: for vmo_slice */
    uint64_t pool_phys[2];
    uint32_t rx_slot;               /* the slot of the frame being handled */
    bool rx_keep;                   /* ...which a socket has queued: not given back yet */
    bool kick;                      /* a ring has news for net-bridge: signalled once,
                                     * as the lock is let go (st_unlock) */
    uint32_t tx_free[AE_NETDEV_SLOTS];
    unsigned ntx_free;
    unsigned rx_held;               /* rx slots taken and not yet given back */
    uint8_t mac[ETH_ALEN];
    bool link_up;
    /* the interface */
    uint32_t ip, mask, gw, dns;
    uint32_t if_flags;              /* AE_NET_IF_* */
    uint16_t ip_id;
    struct arp_cache arp;
    struct dhcp_client dhcp;
    struct ip_reasm reasm;          /* storage: ip.c */
    struct pending pending[PENDING_MAX];
    struct ping pings[PINGS_MAX];
    struct counters n;
};

extern struct stack st;

void st_lock(void);
/* Also tells net-bridge, once, of everything pushed to its rings while
 * the lock was held. */
void st_unlock(void);
uint64_t now_ns(void);

/* link.c: the netdev rings */
int link_attach(void);
void link_thread(void *arg);
/* A tx slot's frame buffer (AE_NETDEV_FRAME_MAX bytes), or NULL when none
 * is free; link_send sends len bytes of it, link_drop gives it back. */
uint8_t *link_tx_buf(uint32_t *slot);
void link_send(uint32_t slot, uint32_t len);
void link_drop(uint32_t slot);
/* An rx slot a socket held goes back to net-bridge. */
void link_rx_release(uint32_t slot);

/* ip.c: frames in, datagrams out */
void eth_input(const uint8_t *frame, uint32_t len);
/* Sends an IPv4 datagram whose payload (len bytes) the caller writes at
 * the returned pointer before calling ip_send_commit; NULL when no tx
 * slot is free. */
uint8_t *ip_send_begin(uint32_t *slot);
int ip_send_commit(uint32_t slot, uint32_t src, uint32_t dst, uint8_t proto, uint32_t len);
/* An IPv4 payload bigger than one frame takes, sent as fragments of one
 * datagram (RFC 791); AE_ERR_AGAIN when the card's tx slots ran out
 * part-way (the peer discards the part it got when it times out). */
int ip_send_fragments(uint32_t src, uint32_t dst, uint8_t proto, const uint8_t *payload,
                      uint32_t len);
/* Timers: ARP retries, DHCP. Returns the next deadline. */
uint64_t ip_timers(uint64_t now);
void dhcp_begin(void);

/* stream.c: TCP (user/lib/net/tcp) inside net-stack */
extern struct tcp_stack tcps;
int stream_init(void);
void stream_input(const struct ipv4_hdr *h);
uint64_t stream_timers(uint64_t now);
/* Wakes the clients whose TCP sockets may have changed. */
void stream_events(void);

/* sock.c: UDP sockets and the "net" socket operations */
/* A UDP datagram for us (h: its IPv4 header, u: parsed) lying in the
 * current rx slot: true when a socket took it (it may keep the slot). */
struct udp_dgram;
bool sock_udp_input(const struct ipv4_hdr *h, const struct udp_dgram *u, bool in_slot);
/* tx buffers are free again after running out: wake clients waiting. */
void sock_tx_ready(void);
int64_t sock_op(struct ae_msg *m);

/* ping.c */
void ping_input(uint32_t from, uint8_t ttl, uint16_t id, uint16_t seq);
int64_t ping_send(uint64_t client, uint32_t dst, uint16_t seq, uint32_t len);
int64_t ping_poll(uint64_t client, uint16_t seq, uint64_t w[3]);

#endif

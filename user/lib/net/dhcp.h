/*
 * A DHCP client (RFC 2131) as a pure state machine: the caller owns the
 * struct, passes the time in, sends what dhcp_poll builds (UDP 68 -> 67)
 * and feeds it the payloads of UDP datagrams to port 68.
 *
 *   INIT -> SELECTING       DISCOVER broadcast, waiting for an OFFER
 *        -> REQUESTING      REQUEST broadcast for the first usable offer
 *        -> BOUND           ACK: the lease (NAK or no answer: back to INIT)
 *        -> RENEWING        at T1: REQUEST unicast to the server
 *        -> REBINDING       at T2: REQUEST broadcast to any server
 *        -> INIT            at expiry (DHCP_EV_EXPIRED: stop using it)
 *
 * Timing: DISCOVER and REQUEST (while selecting) are retransmitted after
 * 4, 8, 16, 32, 64, 64... s, each +-1 s of jitter (RFC 2131 4.1). After
 * fallback_after DISCOVERs went unanswered, dhcp_poll reports
 * DHCP_EV_FALLBACK once (use a static configuration) and keeps trying.
 * After request_tries unanswered REQUESTs the client starts over. While
 * renewing or rebinding it retransmits after half the time left to T2 or
 * to expiry, at least 60 s (RFC 2131 4.4.5). T1 and T2 default to 0.5 and
 * 0.875 of the lease, counted from when the REQUEST was first sent.
 * Leases shorter than DHCP_MIN_LEASE_S are taken as that long, so a
 * hostile server cannot make the client spin.
 *
 * Randomness (transaction IDs, jitter) comes from the seed given to
 * dhcp_start, stretched by a PRNG kept in the struct: pass a good one.
 * The offered address is not ARP-probed and no DECLINE is sent.
 *
 *     struct dhcp_client c;
 *     dhcp_start(&c, NULL, my_mac, random64, now);
 *     for (;;) {
 *         struct dhcp_poll_out po;
 *         int ev = dhcp_poll(&c, now, buf, sizeof(buf), &po);
 *         if (po.len) send_udp(po.src_ip, 68, po.dst_ip, 67, buf, po.len);
 *         if (ev == DHCP_EV_FALLBACK) use the static configuration;
 *         if (ev == DHCP_EV_EXPIRED) unconfigure;
 *         wait for a datagram to port 68 or po.next_ns;
 *         ev = dhcp_input(&c, payload, len, now);   // then poll again
 *         if (ev == DHCP_EV_BOUND) configure from dhcp_lease(&c);
 *         if (ev == DHCP_EV_NAK) unconfigure;
 *     }
 */
#ifndef USER_LIB_NET_DHCP_H
#define USER_LIB_NET_DHCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/dhcp_msg.h"

#define DHCP_FALLBACK_AFTER     3       /* DISCOVERs: 4 + 8 + 16 s, about 28 s */
#define DHCP_REQUEST_TRIES      4
#define DHCP_MAX_MSG_SIZE       1500    /* option 57: one Ethernet MTU */
#define DHCP_BACKOFF_FIRST_NS   (4ull * 1000000000ull)
#define DHCP_BACKOFF_MAX_NS     (64ull * 1000000000ull)
#define DHCP_JITTER_NS          1000000000ull
#define DHCP_RENEW_MIN_NS       (60ull * 1000000000ull)
#define DHCP_MIN_LEASE_S        60
#define DHCP_INFINITE           0xffffffffu

enum dhcp_state {
    DHCP_STOPPED = 0,           /* a zeroed struct: polls do nothing */
    DHCP_INIT, DHCP_SELECTING, DHCP_REQUESTING, DHCP_BOUND, DHCP_RENEWING, DHCP_REBINDING,
};

enum dhcp_event {
    DHCP_EV_NONE = 0,
    DHCP_EV_OFFERED,            /* an offer was taken: poll now to send the REQUEST */
    DHCP_EV_BOUND,              /* a new lease, or a new address on renewal: configure */
    DHCP_EV_RENEWED,            /* same address, later deadlines */
    DHCP_EV_NAK,                /* refused: any lease is gone, starting over */
    DHCP_EV_EXPIRED,            /* the lease ran out: unconfigure, starting over */
    DHCP_EV_FALLBACK,           /* no offer after fallback_after DISCOVERs */
};

struct dhcp_config {
    unsigned fallback_after;    /* 0: DHCP_FALLBACK_AFTER */
    unsigned request_tries;     /* 0: DHCP_REQUEST_TRIES */
    uint16_t max_msg_size;      /* 0: DHCP_MAX_MSG_SIZE */
    bool omit_client_id;        /* do not send option 61 */
};

struct dhcp_lease {
    uint32_t addr, mask, router;    /* router 0: none given */
    uint32_t dns[DHCP_MAX_DNS];
    uint8_t dns_count;
    uint32_t server_id;
    uint32_t lease_s;               /* DHCP_INFINITE: no deadlines */
    uint64_t start_ns;              /* when the REQUEST that got it was first sent */
    uint64_t t1_ns, t2_ns, expiry_ns;   /* absolute; UINT64_MAX when infinite */
};

struct dhcp_stats {
    uint32_t sent;
    uint32_t offers, acks, naks;
    uint32_t bad;               /* malformed or not ours (dhcp_input errors) */
    uint32_t ignored;           /* well formed but not expected in this state */
};

struct dhcp_client {
    struct dhcp_config cfg;
    uint8_t mac[ETH_ALEN];
    uint64_t rng;               /* PRNG state, seeded by dhcp_start */
    enum dhcp_state state;
    uint32_t xid;
    unsigned tries;             /* messages sent in this exchange */
    unsigned discovers;         /* DISCOVERs since last bound */
    bool fallback_told;
    uint64_t next_ns;           /* next (re)transmission */
    uint64_t xchg_start_ns;     /* for the secs field */
    uint64_t req_sent_ns;       /* first REQUEST of this exchange: the lease's start */
    uint32_t offer_addr, offer_server;
    uint32_t last_addr;         /* asked for again in DISCOVER (option 50) */
    struct dhcp_lease lease;
    struct dhcp_stats stats;
};

/* Starts (or restarts) in INIT: the next dhcp_poll sends a DISCOVER.
 * cfg NULL or zero fields: the defaults. */
void dhcp_start(struct dhcp_client *c, const struct dhcp_config *cfg,
                const uint8_t mac[ETH_ALEN], uint64_t seed, uint64_t now_ns);

struct dhcp_poll_out {
    size_t len;                 /* > 0: send out[0..len) now, UDP 68 -> 67 */
    uint32_t src_ip;            /* 0.0.0.0, or the leased address when renewing/rebinding */
    uint32_t dst_ip;            /* 255.255.255.255, or the server when renewing */
    uint64_t next_ns;           /* poll again at this time at the latest */
};
/* Acts on the time: sends, retransmits, moves to RENEWING, REBINDING or
 * INIT. Returns a dhcp_event (NONE, EXPIRED or FALLBACK) or
 * AE_ERR_TRUNCATED when cap < DHCP_MSG_LEN (nothing changes). */
int dhcp_poll(struct dhcp_client *c, uint64_t now_ns, uint8_t *out, size_t cap,
              struct dhcp_poll_out *po);
/* A UDP payload received on port 68. Returns a dhcp_event (NONE when
 * ignored), or a dhcp_parse error (malformed, or AE_ERR_NOTFOUND: another
 * exchange), or AE_ERR_INVAL for an ACK unfit for a lease (no lease time,
 * bad address); errors change nothing. */
int dhcp_input(struct dhcp_client *c, const uint8_t *p, size_t len, uint64_t now_ns);
/* The lease while BOUND, RENEWING or REBINDING; NULL otherwise. */
const struct dhcp_lease *dhcp_lease(const struct dhcp_client *c);
/* Retransmission delay after the attempt-th transmission (0 first):
 * 4 s << attempt, at most 64 s, plus rnd % 2001 ms - 1 s of jitter. */
uint64_t dhcp_backoff_ns(unsigned attempt, uint32_t rnd);

#endif

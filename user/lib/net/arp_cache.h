/*
 * The ARP cache: IPv4 address -> MAC for the local link, in a fixed table
 * inside a caller-owned struct. Time is passed in (monotonic ns); the
 * cache sends nothing itself but says when the caller must send a request
 * or a reply, and when the packets waiting for an address must be sent or
 * dropped.
 *
 *   - A resolved entry lives ttl_ns (default 60 s) from when it was last
 *     confirmed; at exactly that instant it is gone.
 *   - Resolving: the first arp_lookup for an address creates an incomplete
 *     entry and answers ARP_SEND_REQUEST (request 1); arp_tick answers
 *     ARP_TICK_RESEND every retry_ns (default 1 s) until max_tries requests
 *     (default 3) went out, then, retry_ns after the last, ARP_TICK_FAILED:
 *     drop what waited for it.
 *   - Learning follows RFC 826's merge rule: a packet updates the entry of
 *     its sender if there is one, and adds it only when the packet is aimed
 *     at my_ip. A request for my_ip is answered.
 *   - When the table is full a new address replaces the resolved entry
 *     confirmed longest ago. Incomplete entries are never replaced (their
 *     waiting packets would be stranded): with all 32 incomplete,
 *     arp_lookup answers AE_ERR_BUSY.
 *
 *     struct arp_cache c;
 *     arp_cache_init(&c, 0, 0, 0);                          // defaults
 *     switch (arp_lookup(&c, hop, now, mac)) {
 *     case ARP_FOUND: send to mac; break;
 *     case ARP_SEND_REQUEST: send an ARP request for hop; // fall through
 *     case ARP_WAITING: queue the packet for hop; break;
 *     default: drop;                                      // AE_ERR_*
 *     }
 *     struct arp_input_result r;
 *     if (arp_input(&c, my_ip, my_mac, pl, pl_len, now, reply, sizeof(reply), &r) == AE_OK) {
 *         if (r.reply) send reply (ARP_PKT_LEN bytes) to r.reply_dst;
 *         if (r.resolved) send what is queued for r.resolved_ip to r.resolved_mac;
 *     }
 *     struct arp_tick_event ev;
 *     while (arp_tick(&c, now, &ev))
 *         ev.kind == ARP_TICK_RESEND ? send a request for ev.ip : drop the queue of ev.ip;
 *     sleep until arp_next_deadline(&c);
 */
#ifndef USER_LIB_NET_ARP_CACHE_H
#define USER_LIB_NET_ARP_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/arp.h"

#define ARP_CACHE_SIZE  32
#define ARP_TTL_NS      (60ull * 1000000000ull)
#define ARP_RETRY_NS    1000000000ull
#define ARP_MAX_TRIES   3

enum arp_entry_state { ARP_ENTRY_FREE = 0, ARP_ENTRY_INCOMPLETE, ARP_ENTRY_RESOLVED };

struct arp_entry {
    uint32_t ip;
    uint8_t mac[ETH_ALEN];
    uint8_t state;              /* enum arp_entry_state */
    uint8_t tries;              /* requests sent while incomplete */
    uint64_t deadline_ns;       /* incomplete: next retry (or failure); resolved: expiry */
    uint64_t stamp_ns;          /* created or last confirmed: the oldest is replaced first */
};

struct arp_stats {
    uint32_t learned;           /* entries added from received packets */
    uint32_t resolved;          /* incomplete entries answered */
    uint32_t failed;            /* incomplete entries given up */
    uint32_t expired;
    uint32_t replaced;          /* resolved entries pushed out by a full table */
    uint32_t table_full;        /* lookups or learning refused: all incomplete */
    uint32_t conflicts;         /* someone else claims my_ip */
};

struct arp_cache {
    struct arp_entry e[ARP_CACHE_SIZE];
    uint64_t ttl_ns, retry_ns;
    unsigned max_tries;
    struct arp_stats stats;
};

/* Zero for any parameter picks its default (ARP_TTL_NS, ARP_RETRY_NS,
 * ARP_MAX_TRIES); max_tries is capped at 255. */
void arp_cache_init(struct arp_cache *c, uint64_t ttl_ns, uint64_t retry_ns, unsigned max_tries);

enum arp_lookup_result {
    ARP_FOUND = 0,              /* mac filled in */
    ARP_SEND_REQUEST = 1,       /* now incomplete: send the first request, queue the packet */
    ARP_WAITING = 2,            /* a request is out already: queue the packet */
};
/* An arp_lookup_result, AE_ERR_INVAL for an address that is not one host
 * (0, loopback, broadcast, multicast, class E), AE_ERR_BUSY when the table
 * is full of incomplete entries. Never sends more than one request per address:
 * retries come from arp_tick. */
int arp_lookup(struct arp_cache *c, uint32_t ip, uint64_t now_ns, uint8_t mac[ETH_ALEN]);

struct arp_input_result {
    bool reply;                 /* reply holds ARP_PKT_LEN bytes for reply_dst */
    uint8_t reply_dst[ETH_ALEN];
    bool resolved;              /* an incomplete entry got its MAC: flush its queue */
    uint32_t resolved_ip;
    uint8_t resolved_mac[ETH_ALEN];
    bool conflict;              /* a packet from another MAC with my_ip as sender */
    uint8_t conflict_mac[ETH_ALEN];
};
/* Handles one received ARP packet (the Ethernet payload). my_ip 0 means
 * not configured: nothing is aimed at us, nothing is answered. Returns
 * AE_OK with *res filled, an arp_parse error, or AE_ERR_TRUNCATED when
 * a reply is due and reply_cap < ARP_PKT_LEN (the cache is left as it
 * was). Senders 0.0.0.0 (probes) and non-unicast addresses are never
 * learned. */
int arp_input(struct arp_cache *c, uint32_t my_ip, const uint8_t my_mac[ETH_ALEN],
              const uint8_t *pkt, size_t len, uint64_t now_ns,
              uint8_t *reply, size_t reply_cap, struct arp_input_result *res);

enum arp_tick_kind { ARP_TICK_RESEND = 1, ARP_TICK_FAILED = 2 };
struct arp_tick_event {
    int kind;                   /* enum arp_tick_kind */
    uint32_t ip;
};
/* Frees expired entries, then reports one due incomplete entry per call:
 * call it until it returns false. */
bool arp_tick(struct arp_cache *c, uint64_t now_ns, struct arp_tick_event *ev);
/* The earliest retry or expiry; UINT64_MAX when the table is empty. */
uint64_t arp_next_deadline(const struct arp_cache *c);
/* The entry for ip (any state but free), or NULL: for tests and status. */
const struct arp_entry *arp_cache_find(const struct arp_cache *c, uint32_t ip);

#endif

/*
 * IPv4 fragment reassembly (RFC 791, RFC 815's ideas) in bounded,
 * caller-provided memory. A datagram in progress is keyed by (source,
 * destination, protocol, ID) and owns one slot: a buffer of slot_cap bytes
 * from the caller's storage plus the list of fragments received.
 *
 * Policy, strict because fragments are a favourite attack surface:
 *   - An exact duplicate (same offset, same length, same bytes) is ignored.
 *     Any other overlap drops the whole datagram (RFC 5722's rule, applied
 *     to IPv4): overlaps only come from broken or hostile senders.
 *   - A fragment ending past IP_REASM_MAX_PAYLOAD (65515: a 16-bit total
 *     length minus the smallest header) or past slot_cap is refused and
 *     drops its datagram (the "ping of death").
 *   - A fragment with MF set must carry a non-zero multiple of 8 bytes; an
 *     empty fragment is refused. These refuse the fragment only.
 *   - A second last fragment (MF clear) with a different end, or any
 *     fragment reaching past the end a last fragment set, drops it.
 *   - More than IP_REASM_MAX_FRAGS fragments drops it.
 *   - IP_REASM_TIMEOUT_NS (30 s, configurable) after its first fragment a
 *     datagram is dropped; at exactly that instant it is gone.
 *   - All slots busy: the incomplete datagram started longest ago is
 *     evicted for the new one. Completed datagrams are never evicted: when
 *     all slots hold completed datagrams not yet released, the fragment is
 *     refused (AE_ERR_BUSY).
 * A completed datagram stays in its slot until ip_reasm_release; fragments
 * that match it meanwhile are ignored as duplicates.
 *
 *     static uint8_t storage[IP_REASM_SLOTS * IP_REASM_SLOT_SIZE];
 *     struct ip_reasm r;
 *     ip_reasm_init(&r, storage, IP_REASM_SLOT_SIZE, 0);
 *
 *     struct ip_reasm_result done;
 *     if (ipv4_is_fragment(&h) && ip_reasm_input(&r, &h, now, &done) == IP_REASM_COMPLETE) {
 *         deliver(done.proto, done.payload, done.len);
 *         ip_reasm_release(&r, done.slot);
 *     }
 *     struct ip_reasm_expired x;
 *     while (ip_reasm_tick(&r, now, &x))
 *         if (x.quote_len) ... ICMP time exceeded, code 1, quoting x.quote ...
 */
#ifndef USER_LIB_NET_IP_REASM_H
#define USER_LIB_NET_IP_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/ipv4.h"

#define IP_REASM_SLOTS          4
#define IP_REASM_SLOT_SIZE      65536   /* storage per slot that fits any datagram */
#define IP_REASM_MAX_PAYLOAD    (IPV4_MAX_TOTAL - IPV4_HDR_MIN)     /* 65515 */
#define IP_REASM_MAX_FRAGS      64      /* a 64 KiB datagram over a 1500 MTU needs 45 */
#define IP_REASM_TIMEOUT_NS     (30ull * 1000000000ull)
#define IP_REASM_QUOTE_MAX      (IPV4_HDR_MAX + 8)

enum ip_reasm_slot_state { IP_REASM_FREE = 0, IP_REASM_BUSY, IP_REASM_DONE };

struct ip_reasm_slot {
    uint8_t state;              /* enum ip_reasm_slot_state */
    uint8_t proto;
    uint16_t id;
    uint32_t src, dst;
    uint64_t start_ns;          /* first fragment: the timeout runs from here */
    uint32_t total;             /* payload length, known once the last fragment came; else 0 */
    uint32_t have;              /* payload bytes stored (fragments never overlap) */
    uint16_t nfrags;
    uint16_t fstart[IP_REASM_MAX_FRAGS];
    uint16_t fend[IP_REASM_MAX_FRAGS];
    uint8_t hdr_len;            /* header of the first fragment; 0 until it came */
    uint8_t hdr[IPV4_HDR_MAX];
};

/* Why fragments or datagrams were dropped. */
struct ip_reasm_stats {
    uint32_t fragments;         /* fragments given to ip_reasm_input */
    uint32_t completed;
    uint32_t duplicates;        /* exact duplicates ignored */
    uint32_t malformed;         /* not a fragment, empty, or MF with a length not a multiple of 8 */
    uint32_t overlaps;          /* datagrams dropped: overlap */
    uint32_t oversize;          /* datagrams dropped: past 65515 or the slot */
    uint32_t bad_end;           /* datagrams dropped: inconsistent last fragment */
    uint32_t too_many;          /* datagrams dropped: more than IP_REASM_MAX_FRAGS */
    uint32_t timeouts;          /* datagrams dropped: timeout */
    uint32_t evicted;           /* datagrams dropped: slot taken for a newer one */
    uint32_t no_slot;           /* fragments refused: all slots hold completed datagrams */
};

struct ip_reasm {
    struct ip_reasm_slot slot[IP_REASM_SLOTS];
    uint8_t *storage;           /* IP_REASM_SLOTS * slot_cap bytes, the caller's */
    size_t slot_cap;
    uint64_t timeout_ns;
    struct ip_reasm_stats stats;
};

/* storage holds IP_REASM_SLOTS * slot_cap bytes; slot_cap above
 * IP_REASM_MAX_PAYLOAD is not used past it. timeout_ns 0 means
 * IP_REASM_TIMEOUT_NS. */
void ip_reasm_init(struct ip_reasm *r, uint8_t *storage, size_t slot_cap, uint64_t timeout_ns);

struct ip_reasm_result {
    unsigned slot;              /* for ip_reasm_release */
    uint32_t src, dst;
    uint8_t proto;
    uint16_t id;
    const uint8_t *payload;     /* in the slot's buffer, valid until released */
    size_t len;
    const uint8_t *hdr;         /* the first fragment's header as received */
    size_t hdr_len;
};

enum ip_reasm_status {
    IP_REASM_HELD = 0,          /* stored (or ignored as a duplicate): more to come */
    IP_REASM_COMPLETE = 1,      /* *out describes the whole datagram */
};
/* h is a parsed fragment (ipv4_is_fragment). Returns an ip_reasm_status or
 * a refusal: AE_ERR_INVAL (not a fragment, empty, misaligned, overlap,
 * inconsistent end), AE_ERR_RANGE (too big), AE_ERR_NOMEM (too many
 * fragments), AE_ERR_BUSY (no slot). */
int ip_reasm_input(struct ip_reasm *r, const struct ipv4_hdr *h, uint64_t now_ns,
                   struct ip_reasm_result *out);
/* Frees a completed datagram's slot (any other slot state: no effect). */
void ip_reasm_release(struct ip_reasm *r, unsigned slot);

struct ip_reasm_expired {
    uint32_t src, dst;
    uint8_t proto;
    uint16_t id;
    /* When fragment zero had come: its header and first 8 payload bytes,
     * what an ICMP time exceeded (code 1) quotes (RFC 792, RFC 1122
     * 3.2.2.4 sends it only then). Otherwise quote_len is 0. */
    uint8_t quote[IP_REASM_QUOTE_MAX];
    size_t quote_len;
};
/* Drops one timed-out datagram per call and describes it: call it until
 * it returns false. */
bool ip_reasm_tick(struct ip_reasm *r, uint64_t now_ns, struct ip_reasm_expired *ev);
/* When the oldest datagram in progress times out; UINT64_MAX if none. */
uint64_t ip_reasm_next_deadline(const struct ip_reasm *r);

#endif

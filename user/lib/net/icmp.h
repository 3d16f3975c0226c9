/*
 * ICMP for IPv4 (RFC 792, host rules of RFC 1122 3.2.2): parse with the
 * checksum over the whole message, answer echo requests, send echo
 * requests, and build errors quoting the offending datagram (its header
 * and first 8 payload bytes) only when RFC 1122 allows one.
 *
 *     struct icmp_msg m;
 *     if (icmp_parse(h.payload, h.payload_len, &m) < 0)
 *         return;
 *     if (m.type == ICMP_ECHO_REQUEST) {
 *         int n = icmp_echo_reply(h.payload, h.payload_len, out, cap);   // out may be h.payload
 *         ... send n bytes in IPv4 to h.src ...
 *     }
 *
 *     // no socket on that UDP port:
 *     int n = icmp_build_unreach(out, cap, ICMP_UNREACH_PORT, &h, my_ip, mask, link_bcast);
 *     if (n > 0) ... send to h.src ...          // AE_ERR_ACCESS: must stay silent
 */
#ifndef USER_LIB_NET_ICMP_H
#define USER_LIB_NET_ICMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/ipv4.h"

#define ICMP_HDR_LEN            8

#define ICMP_ECHO_REPLY         0
#define ICMP_DEST_UNREACH       3
#define ICMP_SOURCE_QUENCH      4
#define ICMP_REDIRECT           5
#define ICMP_ECHO_REQUEST       8
#define ICMP_TIME_EXCEEDED      11
#define ICMP_PARAM_PROBLEM      12

#define ICMP_UNREACH_NET        0
#define ICMP_UNREACH_HOST       1
#define ICMP_UNREACH_PROTO      2
#define ICMP_UNREACH_PORT       3
#define ICMP_UNREACH_FRAG       4
#define ICMP_EXC_TTL            0
#define ICMP_EXC_REASM          1

struct icmp_msg {
    uint8_t type, code;
    uint32_t rest;              /* bytes 4..7: id and sequence, MTU, pointer... */
    uint16_t id, seq;           /* rest's two halves, for echo */
    const uint8_t *data;        /* after the 8-byte header, in the caller's buffer */
    size_t data_len;
};

/* AE_ERR_INVAL below 8 bytes, AE_ERR_CORRUPT for a wrong checksum. */
int icmp_parse(const uint8_t *p, size_t len, struct icmp_msg *out);
/* True for the types that report errors (3, 4, 5, 11, 12). */
bool icmp_is_error(uint8_t type);

/* Copies an echo request (req, len: the whole ICMP message) to out as the
 * reply: same id, sequence and data, checksum recomputed. out may equal
 * req (in place). Returns len, an icmp_parse error, AE_ERR_INVAL when it
 * is not an echo request, AE_ERR_TRUNCATED when cap < len. */
int icmp_echo_reply(const uint8_t *req, size_t len, uint8_t *out, size_t cap);
/* An echo request or reply (type) with data; data may already sit at
 * buf + 8 or anywhere else. Returns 8 + len, AE_ERR_TRUNCATED, or
 * AE_ERR_RANGE when it could not fit an IPv4 datagram. */
int icmp_build_echo(uint8_t *buf, size_t cap, uint8_t type, uint16_t id, uint16_t seq,
                    const uint8_t *data, size_t len);

/* RFC 1122 3.2.2: may an error be sent about this received datagram? Not
 * about an ICMP error (or an ICMP message too short to tell), a datagram
 * to a broadcast or multicast address, one that came as a link-layer
 * broadcast or multicast (link_bcast), a fragment other than the first, or
 * one whose source is not one host (0, loopback, broadcast, multicast,
 * class E, my subnet's broadcast). mask 0 skips the subnet test. */
bool icmp_error_allowed(const struct ipv4_hdr *orig, uint32_t my_ip, uint32_t mask,
                        bool link_bcast);
/* An error message of type/code with rest in bytes 4..7, quoting orig (a
 * datagram from its IPv4 header on): the header and up to 8 bytes after
 * it. The caller decides whether it may be sent (icmp_error_allowed).
 * Returns the length, AE_ERR_INVAL when orig does not start with a
 * plausible header (version 4, IHL >= 5, within orig_len), or
 * AE_ERR_TRUNCATED. */
int icmp_build_error(uint8_t *buf, size_t cap, uint8_t type, uint8_t code, uint32_t rest,
                     const uint8_t *orig, size_t orig_len);
/* Destination unreachable (type 3) about orig, after icmp_error_allowed:
 * AE_ERR_ACCESS when an error must not be sent. */
int icmp_build_unreach(uint8_t *buf, size_t cap, uint8_t code, const struct ipv4_hdr *orig,
                       uint32_t my_ip, uint32_t mask, bool link_bcast);

/* What a received error message quotes: the datagram we sent. */
struct icmp_quote {
    uint32_t src, dst;
    uint8_t proto;
    const uint8_t *l4;          /* its first bytes (ports), at least 8 */
    size_t l4_len;
};
/* AE_ERR_INVAL when m is not an error or its quote is not an IPv4 header
 * followed by at least 8 bytes. */
int icmp_parse_quote(const struct icmp_msg *m, struct icmp_quote *q);

#endif

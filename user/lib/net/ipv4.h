/*
 * IPv4 headers (RFC 791, with RFC 1122's host rules) and address helpers.
 * ipv4_parse checks everything a header can get wrong before anything is
 * used: version, IHL, total length against the bytes received, the
 * option list, the header checksum, the source address. The payload it
 * returns is trimmed to the total length, so Ethernet padding is gone.
 * Fragments parse like any datagram; hand them to ip_reasm.h.
 *
 *     struct ipv4_hdr h;
 *     int err = ipv4_parse(f.payload, f.payload_len, &h);
 *     if (err < 0 || !ipv4_for_us(h.dst, my_ip, mask))
 *         return;
 *     if (ipv4_is_fragment(&h)) ... ip_reasm_input(&reasm, &h, now, &done) ...
 *
 *     struct ipv4_tx tx = {.src = my_ip, .dst = dst, .proto = IPV4_PROTO_UDP,
 *                          .id = next_id++, .df = true};
 *     int n = ipv4_build(buf, cap, &tx, udp_len);      // 20, payload follows
 *
 *     uint32_t hop = ipv4_next_hop(dst, my_ip, mask, gateway);  // ARP for this
 */
#ifndef USER_LIB_NET_IPV4_H
#define USER_LIB_NET_IPV4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IPV4_HDR_MIN        20
#define IPV4_HDR_MAX        60
#define IPV4_MAX_TOTAL      65535
#define IPV4_DEFAULT_TTL    64
#define IPV4_PROTO_ICMP     1
#define IPV4_PROTO_TCP      6
#define IPV4_PROTO_UDP      17
#define IPV4_BROADCAST      0xffffffffu
#define IPV4_ADDR_STR_LEN   16      /* "255.255.255.255" and its NUL */

struct ipv4_hdr {
    const uint8_t *hdr;         /* the header as received (for ICMP quotes) */
    size_t hdr_len;             /* IHL * 4, options included */
    const uint8_t *payload;     /* hdr + hdr_len */
    size_t payload_len;         /* total length - hdr_len */
    uint16_t total_len;
    uint16_t id;
    uint16_t frag_off;          /* in bytes (the field times 8) */
    bool df, mf;
    uint8_t tos, ttl, proto;
    uint32_t src, dst;          /* host order */
};

/* AE_ERR_INVAL for a short packet, version other than 4, IHL < 5 or past
 * the data, total length below the header or beyond the data, a malformed
 * option, or a source that is not one host (broadcast, multicast, class E);
 * AE_ERR_CORRUPT for a wrong header checksum. A source of 0.0.0.0 is
 * accepted (DHCP clients use it), and so is 127/8: refusing loopback
 * sources arriving on the wire is the caller's job. */
int ipv4_parse(const uint8_t *pkt, size_t len, struct ipv4_hdr *out);

static inline bool ipv4_is_fragment(const struct ipv4_hdr *h)
{
    return h->mf || h->frag_off != 0;
}

struct ipv4_tx {
    uint32_t src, dst;
    uint8_t proto;
    uint8_t ttl;                /* 0 means IPV4_DEFAULT_TTL: 0 is never sent */
    uint8_t tos;
    uint16_t id;
    bool df, mf;
    uint16_t frag_off;          /* bytes, a multiple of 8 */
};

/* Writes a 20-byte header (no options) with its checksum for a payload of
 * payload_len bytes that the caller places right after it. Returns
 * IPV4_HDR_MIN, AE_ERR_TRUNCATED when cap < 20, AE_ERR_RANGE when the
 * datagram would exceed 65535 bytes or frag_off is not a multiple of 8 or
 * is too large. */
int ipv4_build(uint8_t *buf, size_t cap, const struct ipv4_tx *tx, size_t payload_len);

/* Address classes (host order). */
bool ipv4_is_multicast(uint32_t a);         /* 224.0.0.0/4 */
bool ipv4_is_reserved(uint32_t a);          /* 240.0.0.0/4, limited broadcast included */
bool ipv4_is_loopback(uint32_t a);          /* 127.0.0.0/8 */
/* One host: not 0, loopback, multicast or class E (so not broadcast). */
bool ipv4_is_unicast(uint32_t a);
/* A contiguous mask of 1 to 32 bits. */
bool ipv4_mask_valid(uint32_t mask);
/* The directed broadcast of my subnet; false for /31 and /32 (RFC 3021)
 * or when unconfigured (my_ip or mask 0). */
bool ipv4_is_subnet_bcast(uint32_t a, uint32_t my_ip, uint32_t mask);
/* Should a datagram to dst be accepted: my address, the limited broadcast
 * or my subnet's broadcast. With my_ip 0 (not configured yet) only the
 * limited broadcast. Multicast is not accepted (no groups joined). */
bool ipv4_for_us(uint32_t dst, uint32_t my_ip, uint32_t mask);
bool ipv4_same_subnet(uint32_t a, uint32_t b, uint32_t mask);
/* The address to resolve with ARP for dst: dst itself on my subnet, for
 * the limited or my subnet broadcast, and for multicast; otherwise the
 * gateway. 0 when there is no route (off-subnet with no gateway, or not
 * configured). */
uint32_t ipv4_next_hop(uint32_t dst, uint32_t my_ip, uint32_t mask, uint32_t gateway);
/* Dotted quad and a NUL; returns its length or AE_ERR_TRUNCATED when cap
 * is too small for this address (buf untouched). */
int ipv4_format(uint32_t a, char *buf, size_t cap);

#endif

/*
 * TCP segments on the wire (RFC 9293 3.1): parsing a received segment and
 * building one to send. Pure: no state, no allocation.
 *
 * A segment is the IPv4 payload; its checksum covers a pseudo-header made
 * of the two addresses (host order, as everywhere in user/lib/net), the
 * protocol and the length, so both calls take the addresses:
 *
 *     struct tcp_seg s;
 *     if (tcp_seg_parse(&s, src, dst, pkt, len) < 0)
 *         drop();                      // truncated, malformed or bad checksum
 *     ... s.seq, s.flags, s.data / s.len, s.opts & TCP_HAS_MSS ? s.mss ...
 *
 *     uint8_t hdr[TCP_HDR_MAX];
 *     struct tcp_seg o = {.sport = 80, .dport = 4000, .seq = x, .ack = y,
 *                         .flags = TCP_ACK, .wnd = 8192};
 *     size_t hlen = tcp_seg_build(hdr, src, dst, &o, p1, n1, p2, n2);
 *     // hdr[0..hlen) then p1[0..n1) then p2[0..n2) is the segment
 *
 * The payload is given in two pieces because it usually comes straight
 * from a ring buffer that wraps; either piece may have any length.
 *
 * Sequence numbers are compared modulo 2^32 with tcp_seq_lt and friends.
 */
#ifndef USER_LIB_NET_TCP_SEG_H
#define USER_LIB_NET_TCP_SEG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TCP_PROTO   6       /* IPv4 protocol number */
#define TCP_HDR_MIN 20
#define TCP_HDR_MAX 60      /* data offset is 4 bits of 32-bit words */

/* Control bits (the low byte of the flags word). */
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20
#define TCP_ECE 0x40
#define TCP_CWR 0x80

/* Option kinds. */
#define TCP_OPT_EOL    0
#define TCP_OPT_NOP    1
#define TCP_OPT_MSS    2
#define TCP_OPT_WS     3
#define TCP_OPT_SACKOK 4
#define TCP_OPT_TS     8

/* Bits of tcp_seg.opts: which options the segment carries. */
#define TCP_HAS_MSS    0x01
#define TCP_HAS_WS     0x02
#define TCP_HAS_SACKOK 0x04
#define TCP_HAS_TS     0x08

struct tcp_seg {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;          /* TCP_FIN ... TCP_CWR */
    uint8_t hlen;           /* header bytes, options included (parse only) */
    uint16_t wnd;           /* as on the wire, not scaled */
    uint16_t urp;           /* urgent pointer, unchecked: may point anywhere */
    uint8_t opts;           /* TCP_HAS_* */
    uint8_t wscale;         /* raw shift from the option; the user clamps it */
    uint16_t mss;
    uint32_t ts_val, ts_ecr;
    const uint8_t *data;    /* payload inside the parsed buffer (parse only) */
    size_t len;
};

/*
 * Parses the segment at p (len bytes) sent from src to dst. Returns AE_OK,
 * AE_ERR_TRUNCATED (shorter than 20 bytes), AE_ERR_RANGE (longer than the
 * 16-bit pseudo-header length can describe), AE_ERR_INVAL (data offset
 * below 5 or past the segment, an option of length 0 or 1 other than EOL
 * and NOP, an option running past the header) or AE_ERR_CORRUPT (bad
 * checksum). A known option with the wrong length (an MSS option of 3
 * bytes, say) is skipped as if unknown: its length field still says where
 * the next one starts. Never reads outside p[0..len).
 */
int tcp_seg_parse(struct tcp_seg *s, uint32_t src, uint32_t dst, const uint8_t *p, size_t len);

/*
 * Writes the header of s (ports, seq, ack, flags, wnd, urp and the options
 * named in s->opts: MSS, window scale, SACK-permitted, timestamps) to hdr,
 * with the checksum over the pseudo-header, the header and the payload
 * pieces. Returns the header length (20 + options padded to 4 bytes). The
 * caller keeps hlen + n1 + n2 within 65535.
 */
size_t tcp_seg_build(uint8_t hdr[TCP_HDR_MAX], uint32_t src, uint32_t dst,
                     const struct tcp_seg *s, const uint8_t *p1, size_t n1,
                     const uint8_t *p2, size_t n2);

/* The segment's length in sequence space: payload, plus one each for SYN
 * and FIN (both occupy a sequence number). */
static inline uint32_t tcp_seg_seqlen(const struct tcp_seg *s)
{
    return (uint32_t)s->len + !!(s->flags & TCP_SYN) + !!(s->flags & TCP_FIN);
}

/* a < b modulo 2^32 (RFC 9293 3.4): b is ahead of a by less than 2^31. */
static inline bool tcp_seq_lt(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

static inline bool tcp_seq_leq(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) <= 0;
}

static inline bool tcp_seq_gt(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) > 0;
}

static inline bool tcp_seq_geq(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) >= 0;
}

/* lo <= x < lo + n, modulo 2^32 (n below 2^31). */
static inline bool tcp_seq_in(uint32_t x, uint32_t lo, uint32_t n)
{
    return x - lo < n;
}

static inline uint32_t tcp_seq_max(uint32_t a, uint32_t b)
{
    return tcp_seq_gt(a, b) ? a : b;
}

#endif

/*
 * UDP over IPv4 (RFC 768, RFC 1122 4.1.3.4). The checksum covers a
 * pseudo-header of the IPv4 addresses, so parse and build take them. A
 * received checksum of 0 means the sender computed none (accepted, as
 * IPv4 allows); a computed 0 is sent as 0xffff.
 *
 *     struct udp_dgram u;
 *     if (udp_parse(h.payload, h.payload_len, h.src, h.dst, &u) < 0)
 *         return;
 *     deliver(u.dst_port, u.payload, u.payload_len);
 *
 *     // the payload already at buf + UDP_HDR_LEN (or anywhere: it is moved)
 *     int n = udp_build(buf, cap, my_ip, dst, 68, 67, buf + UDP_HDR_LEN, len);
 */
#ifndef USER_LIB_NET_UDP_H
#define USER_LIB_NET_UDP_H

#include <stddef.h>
#include <stdint.h>

#define UDP_HDR_LEN 8
/* The most an IPv4 datagram can carry: 65535 less the IPv4 and UDP headers. */
#define UDP_PAYLOAD_MAX 65507

struct udp_dgram {
    uint16_t src_port, dst_port;
    uint16_t len;               /* the length field: header and payload */
    uint16_t csum;              /* as received; 0: none */
    const uint8_t *payload;     /* in the caller's buffer */
    size_t payload_len;         /* len - 8 */
};

/* p, len: the IPv4 payload. AE_ERR_INVAL below 8 bytes or when the length
 * field is below 8 or beyond len (bytes past it are ignored);
 * AE_ERR_CORRUPT when a non-zero checksum is wrong. */
int udp_parse(const uint8_t *p, size_t len, uint32_t src_ip, uint32_t dst_ip,
              struct udp_dgram *out);
/* Header and checksum for len payload bytes taken from payload (moved to
 * buf + 8; it may already be there). Returns 8 + len, AE_ERR_TRUNCATED, or
 * AE_ERR_RANGE when 8 + len exceeds the 16-bit length field. */
int udp_build(uint8_t *buf, size_t cap, uint32_t src_ip, uint32_t dst_ip,
              uint16_t src_port, uint16_t dst_port, const uint8_t *payload, size_t len);

#endif

/*
 * The Internet checksum (RFC 1071): the ones' complement of the ones'
 * complement sum of 16-bit big-endian words. Partial sums combine, so a
 * header, a pseudo-header and a payload in separate buffers are summed
 * piece by piece:
 *
 *     uint32_t s = inet_sum_pseudo4(src, dst, IP_PROTO_UDP, len);
 *     s = inet_sum(s, udp, len);
 *     if (inet_fold(s) != 0) ...          // bad checksum on receive
 *     net_put16(udp + 6, inet_fold(s));   // on send, with the field zeroed first
 *
 * A piece of odd length must be the last one (its final byte is padded
 * with a zero byte, as the RFC says).
 */
#ifndef USER_LIB_NET_INET_CSUM_H
#define USER_LIB_NET_INET_CSUM_H

#include <stddef.h>
#include <stdint.h>

/* Adds len bytes at p to the running sum. */
uint32_t inet_sum(uint32_t sum, const void *p, size_t len);
/* The IPv4 pseudo-header of TCP and UDP (RFC 9293 3.1, RFC 768):
 * addresses in host order, len the TCP or UDP length. */
uint32_t inet_sum_pseudo4(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);
/* Folds the sum to 16 bits and complements it: the checksum field's
 * value, or 0 when a received packet's sum (field included) verifies. */
uint16_t inet_fold(uint32_t sum);
/* inet_fold(inet_sum(0, p, len)). */
uint16_t inet_csum(const void *p, size_t len);

#endif

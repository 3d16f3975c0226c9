/*
 * Initial sequence numbers (RFC 6528): ISN = M + F(local address and
 * port, remote address and port, secret), M a clock ticking every 4
 * microseconds and F a keyed hash, here SipHash-2-4 (Aumasson and
 * Bernstein, "SipHash: a fast short-input PRF", 2012). Each connection's
 * numbers advance with time like RFC 793's clock, so a new incarnation of
 * the same four-tuple starts past the old one's, while an off-path
 * attacker who does not know the secret cannot guess another tuple's.
 *
 *     uint8_t secret[16];                 // random, from the caller, once
 *     uint32_t iss = tcp_isn(secret, lip, lport, rip, rport, now_ns);
 */
#ifndef USER_LIB_NET_TCP_ISN_H
#define USER_LIB_NET_TCP_ISN_H

#include <stddef.h>
#include <stdint.h>

#define TCP_SECRET_LEN 16

/* SipHash-2-4 of msg[0..len) under a 16-byte key. */
uint64_t tcp_siphash24(const uint8_t key[TCP_SECRET_LEN], const void *msg, size_t len);

/* Addresses in host order; now_ns any monotonic clock. */
uint32_t tcp_isn(const uint8_t secret[TCP_SECRET_LEN], uint32_t lip, uint16_t lport,
                 uint32_t rip, uint16_t rport, uint64_t now_ns);

#endif

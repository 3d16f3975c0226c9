/*
 * The retransmission timeout of RFC 6298, in nanoseconds. Pure.
 *
 *     struct tcp_rtt r;
 *     tcp_rtt_init(&r, 1000000000, 200000000, 60000000000);  // 1 s, min, max
 *     tcp_rtt_sample(&r, measured);   // a valid sample (Karn: never from
 *                                     // a retransmitted segment)
 *     deadline = now + tcp_rtt_timeout(&r);
 *     ... timer fires: tcp_rtt_backoff(&r); retransmit ...
 *
 * Before the first sample RTO is the initial value. The first sample R
 * sets SRTT = R and RTTVAR = R/2; later ones set RTTVAR = 3/4 RTTVAR +
 * 1/4 |SRTT - R| and then SRTT = 7/8 SRTT + 1/8 R. RTO = SRTT + max(G,
 * 4 RTTVAR) with G = TCP_RTT_G_NS, raised to the minimum and cut to the
 * maximum. Integer division rounds down at each step.
 *
 * Backoff doubles the timeout (up to the maximum) and stays until the next
 * valid sample: by Karn's algorithm an RTT is not measured across a
 * retransmission, so only fresh data can bring the timeout back down.
 */
#ifndef USER_LIB_NET_TCP_RTT_H
#define USER_LIB_NET_TCP_RTT_H

#include <stdbool.h>
#include <stdint.h>

/* Clock granularity G: now_ns is fine-grained, but the caller's timer
 * wakes are not, so a timeout is never closer to SRTT than this. */
#define TCP_RTT_G_NS 1000000ull

struct tcp_rtt {
    uint64_t srtt, rttvar;  /* valid once `valid` */
    uint64_t rto;           /* before backoff */
    uint64_t min, max;
    uint8_t shift;          /* backoff exponent */
    bool valid;
};

void tcp_rtt_init(struct tcp_rtt *r, uint64_t init_ns, uint64_t min_ns, uint64_t max_ns);
/* Adds a measurement and ends any backoff. */
void tcp_rtt_sample(struct tcp_rtt *r, uint64_t rtt_ns);
/* The timeout to arm now: RTO doubled per backoff, at most the maximum. */
uint64_t tcp_rtt_timeout(const struct tcp_rtt *r);
void tcp_rtt_backoff(struct tcp_rtt *r);

#endif

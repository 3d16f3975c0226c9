/*
 * Congestion control: RFC 5681 slow start, congestion avoidance, fast
 * retransmit and fast recovery, with the NewReno change to recovery
 * (RFC 6582). Pure bookkeeping of cwnd and ssthresh; the connection
 * code does the sending the returned actions ask for.
 *
 *     tcp_cc_init(&cc, smss, iss);
 *     new data acknowledged:  act = tcp_cc_ack(&cc, acked, ack, flight_after);
 *     duplicate ACK:          act = tcp_cc_dupack(&cc, snd_una, snd_max, flight);
 *     retransmission timeout: tcp_cc_timeout(&cc, flight, snd_max, first);
 *     TCP_CC_RETRANSMIT: resend the segment at SND.UNA; TCP_CC_SEND: cwnd
 *     grew, try to send.
 *
 * Values, with SMSS the sender's MSS and FlightSize the bytes sent and
 * not yet acknowledged:
 *   initial cwnd   RFC 5681 3.1: 2, 3 or 4 SMSS for SMSS > 2190,
 *                  > 1095, else; initial ssthresh "arbitrarily high"
 *   slow start     cwnd < ssthresh: cwnd += min(acked, SMSS) per ACK
 *   avoidance      cwnd += max(1, SMSS * SMSS / cwnd) per ACK
 *   3rd dup ACK    ssthresh = max(FlightSize / 2, 2 SMSS),
 *                  cwnd = ssthresh + 3 SMSS, retransmit, recover = SND.MAX
 *                  (only if SND.UNA has reached recover: RFC 6582 3.2 1)
 *   more dup ACKs  cwnd += SMSS
 *   partial ACK    (below recover) cwnd -= acked, += SMSS if acked >= SMSS,
 *                  retransmit the next hole
 *   full ACK       cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS),
 *                  recovery ends
 *   timeout        ssthresh = max(FlightSize / 2, 2 SMSS) unless the same
 *                  data already timed out (RFC 5681 3.1, eq. 4), cwnd = SMSS
 */
#ifndef USER_LIB_NET_TCP_CC_H
#define USER_LIB_NET_TCP_CC_H

#include <stdbool.h>
#include <stdint.h>

/* cwnd never grows past this: well beyond any window a 1 GiB ring allows,
 * and far from overflow. */
#define TCP_CC_CWND_MAX (1u << 30)
#define TCP_CC_SSTHRESH_INIT 0x7fffffffu

enum tcp_cc_action { TCP_CC_NONE, TCP_CC_SEND, TCP_CC_RETRANSMIT };

struct tcp_cc {
    uint32_t cwnd, ssthresh;
    uint32_t smss;
    uint32_t recover;       /* SND.MAX when recovery began (NewReno) */
    uint32_t dupacks;
    bool recovering;
};

/* RFC 5681 3.1 equation 1. */
uint32_t tcp_cc_initial_window(uint32_t smss);
/* recover starts at the ISS: any later loss may start a recovery. */
void tcp_cc_init(struct tcp_cc *cc, uint32_t smss, uint32_t iss);
/* acked bytes of new data were acknowledged up to ack; flight is what
 * remains outstanding after it. Ends the duplicate ACK run. */
enum tcp_cc_action tcp_cc_ack(struct tcp_cc *cc, uint32_t acked, uint32_t ack, uint32_t flight);
/* A duplicate ACK (RFC 5681 2: no data, no SYN/FIN, same ACK and window,
 * data outstanding) while flight bytes are outstanding. */
enum tcp_cc_action tcp_cc_dupack(struct tcp_cc *cc, uint32_t snd_una, uint32_t snd_max,
                                 uint32_t flight);
/* The retransmission timer fired with flight bytes outstanding; first is
 * false when this data had already been retransmitted by a timeout. */
void tcp_cc_timeout(struct tcp_cc *cc, uint32_t flight, uint32_t snd_max, bool first);
/* Restart after idle (RFC 5681 4.1): cwnd = min(cwnd, initial window). */
void tcp_cc_idle_restart(struct tcp_cc *cc);

#endif

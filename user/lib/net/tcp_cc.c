/*
 * See tcp_cc.h. Arithmetic is done in 64 bits where a sum could pass
 * 2^32 (ssthresh starts near 2^31).
 */
#include "net/tcp_cc.h"

#include "net/tcp_seg.h"

static uint32_t cap(uint64_t v)
{
    return v > TCP_CC_CWND_MAX ? TCP_CC_CWND_MAX : (uint32_t)v;
}

static uint32_t half_flight(const struct tcp_cc *cc, uint32_t flight)
{
    uint32_t h = flight / 2;

    return h > 2 * cc->smss ? h : 2 * cc->smss;
}

uint32_t tcp_cc_initial_window(uint32_t smss)
{
    if (smss > 2190)
        return 2 * smss;
    if (smss > 1095)
        return 3 * smss;
    return 4 * smss;
}

void tcp_cc_init(struct tcp_cc *cc, uint32_t smss, uint32_t iss)
{
    cc->smss = smss;
    cc->cwnd = tcp_cc_initial_window(smss);
    cc->ssthresh = TCP_CC_SSTHRESH_INIT;
    cc->recover = iss;
    cc->dupacks = 0;
    cc->recovering = false;
}

enum tcp_cc_action tcp_cc_ack(struct tcp_cc *cc, uint32_t acked, uint32_t ack, uint32_t flight)
{
    cc->dupacks = 0;
    if (cc->recovering) {
        if (tcp_seq_geq(ack, cc->recover)) {
            /* Full ACK: RFC 6582 3.2 step 3, option 1. */
            uint32_t f = flight > cc->smss ? flight : cc->smss;
            uint64_t w = (uint64_t)f + cc->smss;

            cc->cwnd = w < cc->ssthresh ? (uint32_t)w : cc->ssthresh;
            cc->recovering = false;
            return TCP_CC_SEND;
        }
        /* Partial ACK: the next hole is lost too. Deflate by what left
         * the network, add back one segment for the retransmission. */
        cc->cwnd = acked < cc->cwnd ? cc->cwnd - acked : 0;
        if (acked >= cc->smss)
            cc->cwnd = cap((uint64_t)cc->cwnd + cc->smss);
        if (cc->cwnd < cc->smss)
            cc->cwnd = cc->smss;
        return TCP_CC_RETRANSMIT;
    }
    if (cc->cwnd < cc->ssthresh) {
        cc->cwnd = cap((uint64_t)cc->cwnd + (acked < cc->smss ? acked : cc->smss));
    } else {
        uint32_t inc = (uint32_t)((uint64_t)cc->smss * cc->smss / cc->cwnd);

        cc->cwnd = cap((uint64_t)cc->cwnd + (inc ? inc : 1));
    }
    return TCP_CC_SEND;
}

enum tcp_cc_action tcp_cc_dupack(struct tcp_cc *cc, uint32_t snd_una, uint32_t snd_max,
                                 uint32_t flight)
{
    cc->dupacks++;
    if (cc->recovering) {
        /* Each further duplicate means a segment left the network. */
        cc->cwnd = cap((uint64_t)cc->cwnd + cc->smss);
        return TCP_CC_SEND;
    }
    if (cc->dupacks != 3)
        return TCP_CC_NONE;
    /* RFC 6582 3.2 step 1: duplicates for data sent before the last
     * recovery (or timeout) began do not start another one. recover is
     * kept one past the RFC's "highest sequence number transmitted", so
     * "covers more than recover" reads as reaching it. */
    if (tcp_seq_lt(snd_una, cc->recover))
        return TCP_CC_NONE;
    cc->ssthresh = half_flight(cc, flight);
    cc->cwnd = cap((uint64_t)cc->ssthresh + 3 * cc->smss);
    cc->recover = snd_max;
    cc->recovering = true;
    return TCP_CC_RETRANSMIT;
}

void tcp_cc_timeout(struct tcp_cc *cc, uint32_t flight, uint32_t snd_max, bool first)
{
    if (first)
        cc->ssthresh = half_flight(cc, flight);
    cc->cwnd = cc->smss;
    cc->dupacks = 0;
    cc->recovering = false;
    cc->recover = snd_max;
}

void tcp_cc_idle_restart(struct tcp_cc *cc)
{
    uint32_t iw = tcp_cc_initial_window(cc->smss);

    if (cc->cwnd > iw)
        cc->cwnd = iw;
}

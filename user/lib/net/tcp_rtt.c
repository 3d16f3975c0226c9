/*
 * See tcp_rtt.h. Samples are cut to a day before use, so the sums below
 * (at most 8 * SRTT) cannot overflow 64 bits whatever the clock says.
 */
#include "net/tcp_rtt.h"

#define RTT_SAMPLE_MAX (86400ull * 1000000000ull)

static uint64_t clamp(const struct tcp_rtt *r, uint64_t v)
{
    if (v < r->min)
        v = r->min;
    if (v > r->max)
        v = r->max;
    return v;
}

void tcp_rtt_init(struct tcp_rtt *r, uint64_t init_ns, uint64_t min_ns, uint64_t max_ns)
{
    r->srtt = 0;
    r->rttvar = 0;
    r->min = min_ns;
    r->max = max_ns < min_ns ? min_ns : max_ns;
    r->rto = clamp(r, init_ns);
    r->shift = 0;
    r->valid = false;
}

void tcp_rtt_sample(struct tcp_rtt *r, uint64_t rtt)
{
    uint64_t var;

    if (rtt > RTT_SAMPLE_MAX)
        rtt = RTT_SAMPLE_MAX;
    if (!r->valid) {
        r->srtt = rtt;
        r->rttvar = rtt / 2;
        r->valid = true;
    } else {
        /* RTTVAR first: RFC 6298 2.3 uses the SRTT from before this sample. */
        uint64_t diff = r->srtt > rtt ? r->srtt - rtt : rtt - r->srtt;

        r->rttvar = (3 * r->rttvar + diff) / 4;
        r->srtt = (7 * r->srtt + rtt) / 8;
    }
    var = 4 * r->rttvar;
    r->rto = clamp(r, r->srtt + (var > TCP_RTT_G_NS ? var : TCP_RTT_G_NS));
    r->shift = 0;
}

uint64_t tcp_rtt_timeout(const struct tcp_rtt *r)
{
    uint64_t t = r->rto;

    for (uint8_t i = 0; i < r->shift && t < r->max; i++)
        t *= 2;
    return t > r->max ? r->max : t;
}

void tcp_rtt_backoff(struct tcp_rtt *r)
{
    /* Past 2^20 times any sane RTO, the maximum has long been reached. */
    if (r->shift < 20)
        r->shift++;
}

/*
 * TCP inside net-stack: the pure library (user/lib/net/tcp.h) fed with
 * the segments IPv4 hands up and the time, its segments sent through
 * ip_send_*, and its events turned into wake-ups of the clients whose
 * sockets they concern (sock_tcp.c keeps which socket holds which
 * connection).
 */
#include <string.h>

#include "sock.h"

#define RING_BYTES (16 * 1024u)

struct tcp_stack tcps;
static struct tcp_conn conns[TCP_CONNS];
static uint8_t ring_mem[TCP_CONNS * 2 * RING_BYTES];

/* The ISN secret (RFC 6528): RDRAND when the CPU has it, else the TSC
 * mixed; either way unknown outside this boot. */
static void secret_fill(uint8_t out[TCP_SECRET_LEN])
{
    uint32_t a, b, c, d;
    bool rdrand;

    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    rdrand = c & (1u << 30);
    for (unsigned i = 0; i < TCP_SECRET_LEN; i += 8) {
        uint64_t v = 0;
        unsigned char ok = 0;
        for (int tries = 0; rdrand && !ok && tries < 16; tries++)
            __asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
        if (!ok) {
            uint32_t lo, hi;
            __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
            v = ((uint64_t)hi << 32 | lo) * 0x9e3779b97f4a7c15ull ^ (uint64_t)ae_clock_get();
        }
        memcpy(out + i, &v, 8);
    }
}

/* A segment out: IPv4 around the library's header and payload. */
static void emit(void *ctx, uint32_t src, uint32_t dst, const uint8_t *hdr, size_t hdr_len,
                 const uint8_t *p1, size_t n1, const uint8_t *p2, size_t n2)
{
    uint32_t slot;
    uint8_t *p = ip_send_begin(&slot);

    if (!p || hdr_len + n1 + n2 > ETH_MTU - IPV4_HDR_MIN) {
        if (p)
            link_drop(slot);
        return;                     /* lost: TCP sends it again */
    }
    memcpy(p, hdr, hdr_len);
    memcpy(p + hdr_len, p1, n1);
    memcpy(p + hdr_len + n1, p2, n2);
    ip_send_commit(slot, src, dst, IPV4_PROTO_TCP, (uint32_t)(hdr_len + n1 + n2));
}

int stream_init(void)
{
    struct tcp_params p;
    uint8_t secret[TCP_SECRET_LEN];

    tcp_params_default(&p);
    p.sndbuf = p.rcvbuf = RING_BYTES;
    secret_fill(secret);
    return tcp_stack_init(&tcps, conns, TCP_CONNS, ring_mem, sizeof(ring_mem), secret, &p, emit,
                          NULL);
}

void stream_input(const struct ipv4_hdr *h)
{
    int r = tcp_input(&tcps, h->src, h->dst, h->payload, h->payload_len, now_ns());

    if (r == AE_ERR_CORRUPT)
        st.n.bad_csum++;
    else if (r < 0)
        st.n.malformed++;
    stream_events();
}

uint64_t stream_timers(uint64_t now)
{
    uint64_t next = tcp_timer(&tcps, now);

    stream_events();
    return next;
}

void stream_events(void)
{
    for (int c; (c = tcp_changed(&tcps)) >= 0;)
        if (c < TCP_CONNS && conn_owner[c])
            sock_wake(conn_owner[c]->client);
}

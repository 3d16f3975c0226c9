/*
 * ICMP echo for the "net" service's NET_PING: each client's requests
 * carry its own identifier (from its badge), so a reply is matched to the
 * client and sequence that asked, and replies nobody asked for are
 * ignored.
 */
#include <string.h>

#include "stack.h"
#include "net/icmp.h"
#include "aether/proto/net.h"

static uint16_t ident(uint64_t client)
{
    return (uint16_t)(0xae00u ^ (uint16_t)client);
}

void ping_input(uint32_t from, uint8_t ttl, uint16_t id, uint16_t seq)
{
    for (unsigned i = 0; i < PINGS_MAX; i++) {
        struct ping *p = &st.pings[i];
        if (p->used && !p->answered && ident(p->client) == id && p->seq == seq) {
            p->answered = true;
            p->rtt_ns = now_ns() - p->sent_ns;
            p->from = from;
            p->ttl = ttl;
            return;
        }
    }
}

int64_t ping_send(uint64_t client, uint32_t dst, uint16_t seq, uint32_t len)
{
    struct ping *slot = NULL;
    uint32_t tx;
    uint8_t *p;
    int r;

    if (len > AE_NET_PING_DATA_MAX)
        return AE_ERR_RANGE;
    if (!ipv4_is_unicast(dst))
        return AE_ERR_INVAL;
    if (!st.ip)
        return AE_ERR_UNSUPPORTED;
    /* A free entry, else this client's oldest, else anyone's oldest. */
    for (unsigned i = 0; i < PINGS_MAX; i++) {
        struct ping *q = &st.pings[i];
        if (!q->used) {
            slot = q;
            break;
        }
        if (!slot || q->sent_ns < slot->sent_ns)
            slot = q;
    }
    p = ip_send_begin(&tx);
    if (!p)
        return AE_ERR_AGAIN;
    for (uint32_t i = 0; i < len; i++)
        p[ICMP_HDR_LEN + i] = (uint8_t)('a' + i % 26);
    r = icmp_build_echo(p, ETH_MTU - IPV4_HDR_MIN, ICMP_ECHO_REQUEST, ident(client), seq,
                        p + ICMP_HDR_LEN, len);
    if (r < 0) {
        link_drop(tx);
        return r;
    }
    *slot = (struct ping){true, false, client, seq, dst, 0, 0, now_ns(), 0};
    return ip_send_commit(tx, st.ip, dst, IPV4_PROTO_ICMP, (uint32_t)r);
}

int64_t ping_poll(uint64_t client, uint16_t seq, uint64_t w[3])
{
    for (unsigned i = 0; i < PINGS_MAX; i++) {
        struct ping *p = &st.pings[i];
        if (!p->used || p->client != client || p->seq != seq)
            continue;
        if (!p->answered)
            return AE_ERR_AGAIN;
        w[0] = p->rtt_ns;
        w[1] = p->from;
        w[2] = p->ttl;
        p->used = false;
        return AE_OK;
    }
    return AE_ERR_NOTFOUND;
}

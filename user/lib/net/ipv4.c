/*
 * See ipv4.h. Every length comes from the packet, so each is checked
 * against what was actually received before the bytes it covers are read.
 */
#include <string.h>

#include "aether/errors.h"
#include "net/inet_csum.h"
#include "net/ipv4.h"
#include "net/net_bytes.h"

/* Options are not acted on, but a malformed list marks a corrupt or
 * hostile header, and walking it proves each length stays inside. */
static int check_options(const uint8_t *opt, size_t len)
{
    size_t i = 0;

    while (i < len) {
        uint8_t type = opt[i];

        if (type == 0)              /* end of option list */
            break;
        if (type == 1) {            /* no operation */
            i++;
            continue;
        }
        if (len - i < 2 || opt[i + 1] < 2 || opt[i + 1] > len - i)
            return AE_ERR_INVAL;
        i += opt[i + 1];
    }
    return AE_OK;
}

int ipv4_parse(const uint8_t *pkt, size_t len, struct ipv4_hdr *out)
{
    size_t hlen;
    uint16_t total, frag;
    uint32_t src;

    if (len < IPV4_HDR_MIN)
        return AE_ERR_INVAL;
    if (pkt[0] >> 4 != 4)
        return AE_ERR_INVAL;
    hlen = (size_t)(pkt[0] & 15) * 4;
    if (hlen < IPV4_HDR_MIN || hlen > len)
        return AE_ERR_INVAL;
    total = net_get16(pkt + 2);
    if (total < hlen || total > len)
        return AE_ERR_INVAL;
    if (inet_csum(pkt, hlen) != 0)
        return AE_ERR_CORRUPT;
    if (check_options(pkt + IPV4_HDR_MIN, hlen - IPV4_HDR_MIN) < 0)
        return AE_ERR_INVAL;
    src = net_get32(pkt + 12);
    /* RFC 1122 3.2.1.3: a source that names no single host is discarded. */
    if (ipv4_is_multicast(src) || ipv4_is_reserved(src))
        return AE_ERR_INVAL;
    frag = net_get16(pkt + 6);
    out->hdr = pkt;
    out->hdr_len = hlen;
    out->payload = pkt + hlen;
    out->payload_len = total - hlen;
    out->total_len = total;
    out->id = net_get16(pkt + 4);
    out->df = frag & 0x4000;
    out->mf = frag & 0x2000;
    out->frag_off = (uint16_t)((frag & 0x1fff) * 8);
    out->tos = pkt[1];
    out->ttl = pkt[8];
    out->proto = pkt[9];
    out->src = src;
    out->dst = net_get32(pkt + 16);
    return AE_OK;
}

int ipv4_build(uint8_t *buf, size_t cap, const struct ipv4_tx *tx, size_t payload_len)
{
    uint16_t frag;

    if (payload_len > IPV4_MAX_TOTAL - IPV4_HDR_MIN)
        return AE_ERR_RANGE;
    if (tx->frag_off % 8 != 0 || tx->frag_off / 8 > 0x1fff)
        return AE_ERR_RANGE;
    if (cap < IPV4_HDR_MIN)
        return AE_ERR_TRUNCATED;
    frag = (uint16_t)(tx->frag_off / 8 | (tx->df ? 0x4000 : 0) | (tx->mf ? 0x2000 : 0));
    buf[0] = 0x45;
    buf[1] = tx->tos;
    net_put16(buf + 2, (uint16_t)(IPV4_HDR_MIN + payload_len));
    net_put16(buf + 4, tx->id);
    net_put16(buf + 6, frag);
    buf[8] = tx->ttl ? tx->ttl : IPV4_DEFAULT_TTL;
    buf[9] = tx->proto;
    net_put16(buf + 10, 0);
    net_put32(buf + 12, tx->src);
    net_put32(buf + 16, tx->dst);
    net_put16(buf + 10, inet_csum(buf, IPV4_HDR_MIN));
    return IPV4_HDR_MIN;
}

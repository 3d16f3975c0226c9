/*
 * See arp.h. The layout is fixed once the lengths are known to be 6 and 4,
 * so fields are read at constant offsets after one length check.
 */
#include <string.h>

#include "aether/errors.h"
#include "net/arp.h"
#include "net/net_bytes.h"

int arp_parse(const uint8_t *p, size_t len, struct arp_pkt *out)
{
    uint16_t op;

    if (len < ARP_PKT_LEN)
        return AE_ERR_INVAL;
    if (net_get16(p) != ARP_HTYPE_ETH || net_get16(p + 2) != ETH_TYPE_IPV4)
        return AE_ERR_UNSUPPORTED;
    if (p[4] != ETH_ALEN || p[5] != 4)
        return AE_ERR_INVAL;
    op = net_get16(p + 6);
    if (op != ARP_OP_REQUEST && op != ARP_OP_REPLY)
        return AE_ERR_UNSUPPORTED;     /* RARP, InARP... */
    if (eth_mac_is_multicast(p + 8) || eth_mac_is_zero(p + 8))
        return AE_ERR_INVAL;
    out->op = op;
    memcpy(out->sha, p + 8, ETH_ALEN);
    out->spa = net_get32(p + 14);
    memcpy(out->tha, p + 18, ETH_ALEN);
    out->tpa = net_get32(p + 24);
    return AE_OK;
}

int arp_build(uint8_t *buf, size_t cap, const struct arp_pkt *a)
{
    if (a->op != ARP_OP_REQUEST && a->op != ARP_OP_REPLY)
        return AE_ERR_INVAL;
    if (cap < ARP_PKT_LEN)
        return AE_ERR_TRUNCATED;
    net_put16(buf, ARP_HTYPE_ETH);
    net_put16(buf + 2, ETH_TYPE_IPV4);
    buf[4] = ETH_ALEN;
    buf[5] = 4;
    net_put16(buf + 6, a->op);
    memcpy(buf + 8, a->sha, ETH_ALEN);
    net_put32(buf + 14, a->spa);
    memcpy(buf + 18, a->tha, ETH_ALEN);
    net_put32(buf + 24, a->tpa);
    return ARP_PKT_LEN;
}

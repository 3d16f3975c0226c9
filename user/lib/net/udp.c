/*
 * See udp.h. The length field, not the IP payload length, bounds the
 * datagram: anything after it is not UDP's and is neither summed nor
 * delivered.
 */
#include <string.h>

#include "aether/errors.h"
#include "net/inet_csum.h"
#include "net/ipv4.h"
#include "net/net_bytes.h"
#include "net/udp.h"

int udp_parse(const uint8_t *p, size_t len, uint32_t src_ip, uint32_t dst_ip,
              struct udp_dgram *out)
{
    uint16_t ulen, csum;

    if (len < UDP_HDR_LEN)
        return AE_ERR_INVAL;
    ulen = net_get16(p + 4);
    if (ulen < UDP_HDR_LEN || ulen > len)
        return AE_ERR_INVAL;
    csum = net_get16(p + 6);
    if (csum != 0 && inet_fold(inet_sum(inet_sum_pseudo4(src_ip, dst_ip, IPV4_PROTO_UDP, ulen),
                                        p, ulen)) != 0)
        return AE_ERR_CORRUPT;
    out->src_port = net_get16(p);
    out->dst_port = net_get16(p + 2);
    out->len = ulen;
    out->csum = csum;
    out->payload = p + UDP_HDR_LEN;
    out->payload_len = ulen - UDP_HDR_LEN;
    return AE_OK;
}

int udp_build(uint8_t *buf, size_t cap, uint32_t src_ip, uint32_t dst_ip,
              uint16_t src_port, uint16_t dst_port, const uint8_t *payload, size_t len)
{
    uint16_t ulen, csum;

    if (len > 0xffff - UDP_HDR_LEN)
        return AE_ERR_RANGE;
    if (cap < UDP_HDR_LEN + len)
        return AE_ERR_TRUNCATED;
    ulen = (uint16_t)(UDP_HDR_LEN + len);
    if (len && payload != buf + UDP_HDR_LEN)    /* in place already: nothing to move */
        memmove(buf + UDP_HDR_LEN, payload, len);
    net_put16(buf, src_port);
    net_put16(buf + 2, dst_port);
    net_put16(buf + 4, ulen);
    net_put16(buf + 6, 0);
    csum = inet_fold(inet_sum(inet_sum_pseudo4(src_ip, dst_ip, IPV4_PROTO_UDP, ulen), buf, ulen));
    net_put16(buf + 6, csum ? csum : 0xffff);
    return ulen;
}

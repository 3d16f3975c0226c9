/*
 * See icmp.h. Errors quote only the header and 8 bytes (RFC 792): enough
 * for the sender to find its socket from the ports, and it keeps every
 * error far below the 576 bytes any host must accept.
 */
#include <string.h>

#include "aether/errors.h"
#include "net/icmp.h"
#include "net/inet_csum.h"
#include "net/net_bytes.h"

#define ICMP_MAX_LEN (IPV4_MAX_TOTAL - IPV4_HDR_MIN)

int icmp_parse(const uint8_t *p, size_t len, struct icmp_msg *out)
{
    if (len < ICMP_HDR_LEN)
        return AE_ERR_INVAL;
    if (inet_csum(p, len) != 0)
        return AE_ERR_CORRUPT;
    out->type = p[0];
    out->code = p[1];
    out->rest = net_get32(p + 4);
    out->id = net_get16(p + 4);
    out->seq = net_get16(p + 6);
    out->data = p + ICMP_HDR_LEN;
    out->data_len = len - ICMP_HDR_LEN;
    return AE_OK;
}

bool icmp_is_error(uint8_t type)
{
    return type == ICMP_DEST_UNREACH || type == ICMP_SOURCE_QUENCH || type == ICMP_REDIRECT ||
           type == ICMP_TIME_EXCEEDED || type == ICMP_PARAM_PROBLEM;
}

static void set_csum(uint8_t *msg, size_t len)
{
    net_put16(msg + 2, 0);
    net_put16(msg + 2, inet_csum(msg, len));
}

int icmp_echo_reply(const uint8_t *req, size_t len, uint8_t *out, size_t cap)
{
    struct icmp_msg m;
    int err = icmp_parse(req, len, &m);

    if (err < 0)
        return err;
    if (m.type != ICMP_ECHO_REQUEST)
        return AE_ERR_INVAL;
    if (cap < len)
        return AE_ERR_TRUNCATED;
    memmove(out, req, len);
    out[0] = ICMP_ECHO_REPLY;
    out[1] = 0;
    set_csum(out, len);
    return (int)len;
}

int icmp_build_echo(uint8_t *buf, size_t cap, uint8_t type, uint16_t id, uint16_t seq,
                    const uint8_t *data, size_t len)
{
    if (len > ICMP_MAX_LEN - ICMP_HDR_LEN)
        return AE_ERR_RANGE;
    if (cap < ICMP_HDR_LEN + len)
        return AE_ERR_TRUNCATED;
    if (len)
        memmove(buf + ICMP_HDR_LEN, data, len);
    buf[0] = type;
    buf[1] = 0;
    net_put16(buf + 4, id);
    net_put16(buf + 6, seq);
    set_csum(buf, ICMP_HDR_LEN + len);
    return (int)(ICMP_HDR_LEN + len);
}

/* Source addresses that name no single host: an error sent there would
 * go to many hosts or nowhere. */
static bool one_host(uint32_t a, uint32_t my_ip, uint32_t mask)
{
    return ipv4_is_unicast(a) && !ipv4_is_subnet_bcast(a, my_ip, mask);
}

bool icmp_error_allowed(const struct ipv4_hdr *orig, uint32_t my_ip, uint32_t mask,
                        bool link_bcast)
{
    if (link_bcast || orig->frag_off != 0)
        return false;
    if (orig->dst == IPV4_BROADCAST || ipv4_is_multicast(orig->dst) ||
        ipv4_is_reserved(orig->dst) || ipv4_is_subnet_bcast(orig->dst, my_ip, mask))
        return false;
    if (!one_host(orig->src, my_ip, mask))
        return false;
    if (orig->proto == IPV4_PROTO_ICMP) {
        /* Only queries (echo, router discovery, timestamp, information,
         * address mask) may draw an error; unknown types count as errors,
         * so no error storm can start from one. */
        uint8_t t;

        if (orig->payload_len < 1)
            return false;
        t = orig->payload[0];
        return t == 0 || (t >= 8 && t <= 10) || (t >= 13 && t <= 18);
    }
    return true;
}

int icmp_build_error(uint8_t *buf, size_t cap, uint8_t type, uint8_t code, uint32_t rest,
                     const uint8_t *orig, size_t orig_len)
{
    size_t hlen, quote;

    if (orig_len < IPV4_HDR_MIN || orig[0] >> 4 != 4)
        return AE_ERR_INVAL;
    hlen = (size_t)(orig[0] & 15) * 4;
    if (hlen < IPV4_HDR_MIN || hlen > orig_len)
        return AE_ERR_INVAL;
    quote = orig_len - hlen < 8 ? orig_len : hlen + 8;
    if (cap < ICMP_HDR_LEN + quote)
        return AE_ERR_TRUNCATED;
    memmove(buf + ICMP_HDR_LEN, orig, quote);
    buf[0] = type;
    buf[1] = code;
    net_put32(buf + 4, rest);
    set_csum(buf, ICMP_HDR_LEN + quote);
    return (int)(ICMP_HDR_LEN + quote);
}

int icmp_build_unreach(uint8_t *buf, size_t cap, uint8_t code, const struct ipv4_hdr *orig,
                       uint32_t my_ip, uint32_t mask, bool link_bcast)
{
    if (!icmp_error_allowed(orig, my_ip, mask, link_bcast))
        return AE_ERR_ACCESS;
    return icmp_build_error(buf, cap, ICMP_DEST_UNREACH, code, 0, orig->hdr,
                            orig->hdr_len + orig->payload_len);
}

int icmp_parse_quote(const struct icmp_msg *m, struct icmp_quote *q)
{
    const uint8_t *ip = m->data;
    size_t hlen;

    if (!icmp_is_error(m->type) || m->data_len < IPV4_HDR_MIN || ip[0] >> 4 != 4)
        return AE_ERR_INVAL;
    hlen = (size_t)(ip[0] & 15) * 4;
    if (hlen < IPV4_HDR_MIN || m->data_len < hlen + 8)
        return AE_ERR_INVAL;
    q->src = net_get32(ip + 12);
    q->dst = net_get32(ip + 16);
    q->proto = ip[9];
    q->l4 = ip + hlen;
    q->l4_len = m->data_len - hlen;
    return AE_OK;
}

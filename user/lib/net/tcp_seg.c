/*
 * See tcp_seg.h. Every offset is checked against the header length before
 * the byte is read; the header length itself was checked against the
 * segment length first.
 */
#include "net/tcp_seg.h"

#include <string.h>

#include "aether/errors.h"
#include "net/inet_csum.h"
#include "net/net_bytes.h"

/*
 * inet_sum pads an odd-length piece as if it were the last one. A payload
 * split by a ring wrap can put an odd piece first, so the sum is carried
 * along with the parity of the bytes summed so far: a piece that starts at
 * an odd offset contributes its first byte as the low half of a word.
 */
struct csum_run {
    uint32_t sum;
    bool odd;
};

static void csum_add(struct csum_run *r, const uint8_t *p, size_t n)
{
    if (n == 0)
        return;
    if (r->odd) {
        r->sum += p[0];
        p++;
        n--;
        r->odd = false;
        if (n == 0)
            return;
    }
    r->sum = inet_sum(r->sum, p, n);
    r->odd = n & 1;
}

static int parse_options(struct tcp_seg *s, const uint8_t *o, size_t n)
{
    size_t i = 0;

    while (i < n) {
        uint8_t kind = o[i];
        uint8_t olen;

        if (kind == TCP_OPT_EOL)
            break;
        if (kind == TCP_OPT_NOP) {
            i++;
            continue;
        }
        if (i + 1 >= n)
            return AE_ERR_INVAL;
        olen = o[i + 1];
        if (olen < 2 || olen > n - i)
            return AE_ERR_INVAL;
        switch (kind) {
        case TCP_OPT_MSS:
            if (olen == 4) {
                s->opts |= TCP_HAS_MSS;
                s->mss = net_get16(o + i + 2);
            }
            break;
        case TCP_OPT_WS:
            if (olen == 3) {
                s->opts |= TCP_HAS_WS;
                s->wscale = o[i + 2];
            }
            break;
        case TCP_OPT_SACKOK:
            if (olen == 2)
                s->opts |= TCP_HAS_SACKOK;
            break;
        case TCP_OPT_TS:
            if (olen == 10) {
                s->opts |= TCP_HAS_TS;
                s->ts_val = net_get32(o + i + 2);
                s->ts_ecr = net_get32(o + i + 6);
            }
            break;
        default:
            break;
        }
        i += olen;
    }
    return AE_OK;
}

int tcp_seg_parse(struct tcp_seg *s, uint32_t src, uint32_t dst, const uint8_t *p, size_t len)
{
    struct csum_run r;
    size_t hlen;

    memset(s, 0, sizeof(*s));
    if (len < TCP_HDR_MIN)
        return AE_ERR_TRUNCATED;
    if (len > 0xffff)
        return AE_ERR_RANGE;
    hlen = (size_t)(p[12] >> 4) * 4;
    if (hlen < TCP_HDR_MIN || hlen > len)
        return AE_ERR_INVAL;
    r.sum = inet_sum_pseudo4(src, dst, TCP_PROTO, (uint16_t)len);
    r.odd = false;
    csum_add(&r, p, len);
    if (inet_fold(r.sum) != 0)
        return AE_ERR_CORRUPT;

    s->sport = net_get16(p);
    s->dport = net_get16(p + 2);
    s->seq = net_get32(p + 4);
    s->ack = net_get32(p + 8);
    s->hlen = (uint8_t)hlen;
    s->flags = p[13];
    s->wnd = net_get16(p + 14);
    s->urp = net_get16(p + 18);
    s->data = p + hlen;
    s->len = len - hlen;
    return parse_options(s, p + TCP_HDR_MIN, hlen - TCP_HDR_MIN);
}

size_t tcp_seg_build(uint8_t hdr[TCP_HDR_MAX], uint32_t src, uint32_t dst,
                     const struct tcp_seg *s, const uint8_t *p1, size_t n1,
                     const uint8_t *p2, size_t n2)
{
    struct csum_run r;
    size_t h = TCP_HDR_MIN;

    /* Options first, so the data offset is known. Each is aligned the
     * usual way (NOPs before the odd-sized ones), which also keeps the
     * total within the 40 bytes allowed. */
    if (s->opts & TCP_HAS_MSS) {
        hdr[h] = TCP_OPT_MSS;
        hdr[h + 1] = 4;
        net_put16(hdr + h + 2, s->mss);
        h += 4;
    }
    if (s->opts & TCP_HAS_WS) {
        hdr[h] = TCP_OPT_NOP;
        hdr[h + 1] = TCP_OPT_WS;
        hdr[h + 2] = 3;
        hdr[h + 3] = s->wscale;
        h += 4;
    }
    if (s->opts & TCP_HAS_SACKOK) {
        hdr[h] = TCP_OPT_NOP;
        hdr[h + 1] = TCP_OPT_NOP;
        hdr[h + 2] = TCP_OPT_SACKOK;
        hdr[h + 3] = 2;
        h += 4;
    }
    if (s->opts & TCP_HAS_TS) {
        hdr[h] = TCP_OPT_NOP;
        hdr[h + 1] = TCP_OPT_NOP;
        hdr[h + 2] = TCP_OPT_TS;
        hdr[h + 3] = 10;
        net_put32(hdr + h + 4, s->ts_val);
        net_put32(hdr + h + 8, s->ts_ecr);
        h += 12;
    }

    net_put16(hdr, s->sport);
    net_put16(hdr + 2, s->dport);
    net_put32(hdr + 4, s->seq);
    net_put32(hdr + 8, s->ack);
    hdr[12] = (uint8_t)(h / 4 << 4);
    hdr[13] = s->flags;
    net_put16(hdr + 14, s->wnd);
    net_put16(hdr + 16, 0);
    net_put16(hdr + 18, s->urp);

    r.sum = inet_sum_pseudo4(src, dst, TCP_PROTO, (uint16_t)(h + n1 + n2));
    r.odd = false;
    csum_add(&r, hdr, h);
    csum_add(&r, p1, n1);
    csum_add(&r, p2, n2);
    net_put16(hdr + 16, inet_fold(r.sum));
    return h;
}

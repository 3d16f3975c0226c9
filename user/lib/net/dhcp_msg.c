/*
 * See dhcp_msg.h. Options are walked with the remaining length in hand:
 * the code byte, the length byte and the value are each checked against
 * the end of the data before being read.
 */
#include <string.h>

#include "aether/errors.h"
#include "net/dhcp_msg.h"
#include "net/ipv4.h"
#include "net/net_bytes.h"

/* What a client asks for: what net-stack needs to configure itself. */
static const uint8_t params[] = {
    DHCP_OPT_MASK, DHCP_OPT_ROUTER, DHCP_OPT_DNS, DHCP_OPT_LEASE, DHCP_OPT_T1, DHCP_OPT_T2,
};

static uint8_t *put_opt32(uint8_t *q, uint8_t code, uint32_t v)
{
    q[0] = code;
    q[1] = 4;
    net_put32(q + 2, v);
    return q + 6;
}

int dhcp_build(uint8_t *buf, size_t cap, const struct dhcp_tx *tx)
{
    uint8_t *q;

    if (tx->type != DHCP_DISCOVER && tx->type != DHCP_REQUEST && tx->type != DHCP_DECLINE &&
        tx->type != DHCP_RELEASE && tx->type != DHCP_INFORM)
        return AE_ERR_INVAL;
    if (cap < DHCP_MSG_LEN)
        return AE_ERR_TRUNCATED;
    memset(buf, 0, DHCP_MSG_LEN);
    buf[0] = 1;                 /* BOOTREQUEST */
    buf[1] = 1;                 /* Ethernet */
    buf[2] = ETH_ALEN;
    net_put32(buf + 4, tx->xid);
    net_put16(buf + 8, tx->secs);
    net_put16(buf + 10, tx->broadcast ? DHCP_FLAG_BROADCAST : 0);
    net_put32(buf + 12, tx->ciaddr);
    memcpy(buf + 28, tx->mac, ETH_ALEN);
    net_put32(buf + DHCP_FIXED_LEN, DHCP_MAGIC);

    /* At most 3 + 9 + 6 + 6 + 4 + 8 + 1 = 37 option bytes: 277 < 300. */
    q = buf + DHCP_OPTIONS_OFF;
    *q++ = DHCP_OPT_MSG_TYPE;
    *q++ = 1;
    *q++ = tx->type;
    if (tx->client_id) {
        *q++ = DHCP_OPT_CLIENT_ID;
        *q++ = 1 + ETH_ALEN;
        *q++ = 1;               /* hardware type: Ethernet */
        memcpy(q, tx->mac, ETH_ALEN);
        q += ETH_ALEN;
    }
    if (tx->requested_ip)
        q = put_opt32(q, DHCP_OPT_REQ_IP, tx->requested_ip);
    if (tx->server_id)
        q = put_opt32(q, DHCP_OPT_SERVER_ID, tx->server_id);
    if (tx->type == DHCP_DISCOVER || tx->type == DHCP_REQUEST || tx->type == DHCP_INFORM) {
        if (tx->max_size) {
            *q++ = DHCP_OPT_MAX_SIZE;
            *q++ = 2;
            net_put16(q, tx->max_size);
            q += 2;
        }
        *q++ = DHCP_OPT_PARAMS;
        *q++ = sizeof(params);
        memcpy(q, params, sizeof(params));
        q += sizeof(params);
    }
    *q = DHCP_OPT_END;
    return DHCP_MSG_LEN;
}

/* One option's value, known to lie inside the message. */
static int take_option(struct dhcp_reply *r, uint8_t code, const uint8_t *v, uint8_t len)
{
    static const struct {
        uint8_t code;
        uint32_t bit;
    } fixed[] = {
        {DHCP_OPT_SERVER_ID, DHCP_HAVE_SERVER_ID}, {DHCP_OPT_MASK, DHCP_HAVE_MASK},
        {DHCP_OPT_LEASE, DHCP_HAVE_LEASE},         {DHCP_OPT_T1, DHCP_HAVE_T1},
        {DHCP_OPT_T2, DHCP_HAVE_T2},
    };

    if (code == DHCP_OPT_MSG_TYPE) {
        if (len != 1 || r->type != 0)
            return AE_ERR_INVAL;
        if (v[0] != DHCP_OFFER && v[0] != DHCP_ACK && v[0] != DHCP_NAK)
            return AE_ERR_UNSUPPORTED;
        r->type = v[0];
        return AE_OK;
    }
    if (code == DHCP_OPT_ROUTER || code == DHCP_OPT_DNS) {
        uint32_t bit = code == DHCP_OPT_ROUTER ? DHCP_HAVE_ROUTER : DHCP_HAVE_DNS;

        if (len == 0 || len % 4 || (r->have & bit))
            return AE_ERR_INVAL;
        r->have |= bit;
        if (code == DHCP_OPT_ROUTER) {
            r->router = net_get32(v);
            return AE_OK;
        }
        for (uint8_t i = 0; i < len / 4 && i < DHCP_MAX_DNS; i++)
            r->dns[r->dns_count++] = net_get32(v + 4 * i);
        return AE_OK;
    }
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        uint32_t val;

        if (fixed[i].code != code)
            continue;
        if (len != 4 || (r->have & fixed[i].bit))
            return AE_ERR_INVAL;
        r->have |= fixed[i].bit;
        val = net_get32(v);
        switch (code) {
        case DHCP_OPT_SERVER_ID: r->server_id = val; break;
        case DHCP_OPT_MASK:
            if (!ipv4_mask_valid(val))
                return AE_ERR_INVAL;
            r->mask = val;
            break;
        case DHCP_OPT_LEASE: r->lease_s = val; break;
        case DHCP_OPT_T1: r->t1_s = val; break;
        default: r->t2_s = val; break;
        }
        return AE_OK;
    }
    return AE_OK;               /* not ours to read */
}

int dhcp_parse(const uint8_t *p, size_t len, uint32_t xid, const uint8_t mac[ETH_ALEN],
               struct dhcp_reply *out)
{
    size_t i = DHCP_OPTIONS_OFF;

    if (len < DHCP_OPTIONS_OFF)
        return AE_ERR_INVAL;
    if (p[0] != 2 || p[1] != 1 || p[2] != ETH_ALEN)
        return AE_ERR_INVAL;
    if (net_get32(p + DHCP_FIXED_LEN) != DHCP_MAGIC)
        return AE_ERR_INVAL;
    if (net_get32(p + 4) != xid || memcmp(p + 28, mac, ETH_ALEN) != 0)
        return AE_ERR_NOTFOUND;
    memset(out, 0, sizeof(*out));
    out->xid = xid;
    out->yiaddr = net_get32(p + 16);
    out->siaddr = net_get32(p + 20);
    for (;;) {
        uint8_t code, olen;
        int err;

        if (i >= len)
            return AE_ERR_INVAL;        /* no end option */
        code = p[i];
        if (code == DHCP_OPT_END)
            break;
        if (code == DHCP_OPT_PAD) {
            i++;
            continue;
        }
        if (len - i < 2)
            return AE_ERR_INVAL;        /* length byte missing */
        olen = p[i + 1];
        if (len - i - 2 < olen)
            return AE_ERR_INVAL;        /* value runs past the end */
        err = take_option(out, code, p + i + 2, olen);
        if (err < 0)
            return err;
        i += 2u + olen;
    }
    if (out->type == 0)
        return AE_ERR_INVAL;            /* plain BOOTP, not DHCP */
    return AE_OK;
}

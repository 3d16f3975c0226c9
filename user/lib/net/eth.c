/*
 * See eth.h. EtherType values below 0x0600 are 802.3 length fields (LLC
 * frames, which IPv4 over Ethernet never uses), so they are refused rather
 * than mistaken for a protocol number.
 */
#include <string.h>

#include "aether/errors.h"
#include "net/eth.h"
#include "net/net_bytes.h"

const uint8_t eth_broadcast_mac[ETH_ALEN] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

int eth_parse(const uint8_t *frame, size_t len, struct eth_frame *out)
{
    uint16_t type;

    if (len < ETH_HDR_LEN)
        return AE_ERR_INVAL;
    type = net_get16(frame + 12);
    if (type < 0x0600 || type == ETH_TYPE_VLAN || type == ETH_TYPE_QINQ)
        return AE_ERR_UNSUPPORTED;
    /* A group or zero source is never a real station: learning it (ARP)
     * or answering it would be wrong. */
    if (eth_mac_is_multicast(frame + 6) || eth_mac_is_zero(frame + 6))
        return AE_ERR_INVAL;
    memcpy(out->dst, frame, ETH_ALEN);
    memcpy(out->src, frame + 6, ETH_ALEN);
    out->type = type;
    out->payload = frame + ETH_HDR_LEN;
    out->payload_len = len - ETH_HDR_LEN;
    return AE_OK;
}

int eth_build(uint8_t *buf, size_t cap, const uint8_t dst[ETH_ALEN],
              const uint8_t src[ETH_ALEN], uint16_t type)
{
    if (cap < ETH_HDR_LEN)
        return AE_ERR_TRUNCATED;
    memcpy(buf, dst, ETH_ALEN);
    memcpy(buf + 6, src, ETH_ALEN);
    net_put16(buf + 12, type);
    return ETH_HDR_LEN;
}

size_t eth_pad(uint8_t *buf, size_t len, size_t cap)
{
    size_t want = cap < ETH_MIN_FRAME ? cap : ETH_MIN_FRAME;

    if (len >= want)
        return len;
    memset(buf + len, 0, want - len);
    return want;
}

bool eth_mac_is_broadcast(const uint8_t mac[ETH_ALEN])
{
    return memcmp(mac, eth_broadcast_mac, ETH_ALEN) == 0;
}

bool eth_mac_is_multicast(const uint8_t mac[ETH_ALEN])
{
    return mac[0] & 1;
}

bool eth_mac_is_zero(const uint8_t mac[ETH_ALEN])
{
    static const uint8_t zero[ETH_ALEN];

    return memcmp(mac, zero, ETH_ALEN) == 0;
}

bool eth_mac_equal(const uint8_t a[ETH_ALEN], const uint8_t b[ETH_ALEN])
{
    return memcmp(a, b, ETH_ALEN) == 0;
}

int eth_mac_format(const uint8_t mac[ETH_ALEN], char *buf, size_t cap)
{
    static const char hex[] = "0123456789abcdef";

    if (cap < ETH_MAC_STR_LEN)
        return AE_ERR_TRUNCATED;
    for (int i = 0; i < ETH_ALEN; i++) {
        buf[i * 3] = hex[mac[i] >> 4];
        buf[i * 3 + 1] = hex[mac[i] & 15];
        buf[i * 3 + 2] = i == ETH_ALEN - 1 ? '\0' : ':';
    }
    return ETH_MAC_STR_LEN - 1;
}

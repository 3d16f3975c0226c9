/*
 * Ethernet II framing (RFC 894: destination, source, EtherType, payload)
 * and MAC address helpers. Frames are as the NIC hands them over: no
 * preamble and no FCS. The payload may end with the padding that brings
 * a frame to 60 bytes; the layer above trims it with its own length (the
 * IPv4 total length, ARP's fixed size).
 *
 *     struct eth_frame f;
 *     if (eth_parse(frame, len, &f) < 0)
 *         return;                              // runt, 802.3/LLC, VLAN tag
 *     if (f.type == ETH_TYPE_ARP)
 *         ... arp_input(..., f.payload, f.payload_len, ...);
 *
 *     int n = eth_build(buf, cap, dst_mac, my_mac, ETH_TYPE_IPV4);  // 14
 *     ... write the payload at buf + n, len = n + payload length ...
 *     len = eth_pad(buf, len, cap);            // zero-fill up to 60 bytes
 */
#ifndef USER_LIB_NET_ETH_H
#define USER_LIB_NET_ETH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ETH_ALEN        6
#define ETH_HDR_LEN     14
#define ETH_MIN_FRAME   60      /* without FCS: 64 on the wire */
#define ETH_MTU         1500
#define ETH_MAX_FRAME   (ETH_HDR_LEN + ETH_MTU)
#define ETH_MAC_STR_LEN 18      /* "02:00:00:00:00:01" and its NUL */

#define ETH_TYPE_IPV4   0x0800
#define ETH_TYPE_ARP    0x0806
#define ETH_TYPE_VLAN   0x8100  /* 802.1Q */
#define ETH_TYPE_QINQ   0x88a8  /* 802.1ad */

struct eth_frame {
    uint8_t dst[ETH_ALEN];
    uint8_t src[ETH_ALEN];
    uint16_t type;
    const uint8_t *payload;     /* into the caller's frame */
    size_t payload_len;         /* everything after the header, padding included */
};

/* AE_ERR_INVAL for a frame shorter than the header or a multicast or
 * all-zero source; AE_ERR_UNSUPPORTED for 802.3 length/LLC frames and
 * 802.1Q/802.1ad tagged ones. */
int eth_parse(const uint8_t *frame, size_t len, struct eth_frame *out);
/* Writes the 14-byte header; returns ETH_HDR_LEN or AE_ERR_TRUNCATED. */
int eth_build(uint8_t *buf, size_t cap, const uint8_t dst[ETH_ALEN],
              const uint8_t src[ETH_ALEN], uint16_t type);
/* Zero-fills buf[len..ETH_MIN_FRAME) and returns the new length (len when
 * already long enough, or cap when cap is smaller than the minimum). */
size_t eth_pad(uint8_t *buf, size_t len, size_t cap);

extern const uint8_t eth_broadcast_mac[ETH_ALEN];

bool eth_mac_is_broadcast(const uint8_t mac[ETH_ALEN]);
/* Group bit set (broadcast included). */
bool eth_mac_is_multicast(const uint8_t mac[ETH_ALEN]);
bool eth_mac_is_zero(const uint8_t mac[ETH_ALEN]);
bool eth_mac_equal(const uint8_t a[ETH_ALEN], const uint8_t b[ETH_ALEN]);
/* "02:00:00:00:00:01" (lower case) and a NUL; returns 17, or
 * AE_ERR_TRUNCATED when cap < ETH_MAC_STR_LEN (buf untouched). */
int eth_mac_format(const uint8_t mac[ETH_ALEN], char *buf, size_t cap);

#endif

/*
 * ARP packets (RFC 826) for IPv4 over Ethernet only: hardware type 1,
 * protocol 0x0800, address lengths 6 and 4, operation request or reply.
 * Anything else is refused. The cache that uses them is arp_cache.h.
 *
 *     struct arp_pkt a;
 *     if (arp_parse(f.payload, f.payload_len, &a) < 0)
 *         return;
 *
 *     struct arp_pkt req = {.op = ARP_OP_REQUEST, .spa = my_ip, .tpa = ip};
 *     memcpy(req.sha, my_mac, 6);              // tha stays zero
 *     int n = arp_build(buf + ETH_HDR_LEN, cap - ETH_HDR_LEN, &req);  // 28
 */
#ifndef USER_LIB_NET_ARP_H
#define USER_LIB_NET_ARP_H

#include <stddef.h>
#include <stdint.h>

#include "net/eth.h"

#define ARP_PKT_LEN     28
#define ARP_HTYPE_ETH   1
#define ARP_OP_REQUEST  1
#define ARP_OP_REPLY    2

struct arp_pkt {
    uint16_t op;
    uint8_t sha[ETH_ALEN];      /* sender hardware address */
    uint32_t spa;               /* sender protocol address, host order */
    uint8_t tha[ETH_ALEN];
    uint32_t tpa;
};

/* Bytes after the 28 (Ethernet padding) are ignored. AE_ERR_INVAL when
 * short, when the address lengths are not 6 and 4, or when the sender MAC
 * is multicast or zero; AE_ERR_UNSUPPORTED for another hardware or
 * protocol type or an operation other than request and reply. */
int arp_parse(const uint8_t *p, size_t len, struct arp_pkt *out);
/* Returns ARP_PKT_LEN, AE_ERR_TRUNCATED, or AE_ERR_INVAL for an op other
 * than request and reply. */
int arp_build(uint8_t *buf, size_t cap, const struct arp_pkt *a);

#endif

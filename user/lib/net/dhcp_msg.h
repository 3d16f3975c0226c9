/*
 * DHCP messages (RFC 2131, options RFC 2132) as a client sends and reads
 * them: the UDP payload between ports 68 and 67. dhcp_build writes a
 * DISCOVER or REQUEST (BOOTP fixed part, magic cookie, options, padded to
 * BOOTP's 300-byte minimum); dhcp_parse reads an OFFER, ACK or NAK
 * strictly. The client state machine on top is dhcp.h.
 *
 * Parsing rules (anything else is refused, never read out of bounds):
 *   - op 2, htype 1, hlen 6, the magic cookie; the xid and chaddr must be
 *     ours (AE_ERR_NOTFOUND otherwise: someone else's exchange).
 *   - Options: pad (0) skipped, end (255) required, every length checked
 *     against the data; a length byte or value running past the end, or a
 *     missing end, is AE_ERR_INVAL.
 *   - Options read: 53 message type (length 1, must be OFFER, ACK or NAK:
 *     AE_ERR_UNSUPPORTED otherwise), 54 server id, 1 subnet mask (a
 *     contiguous mask), 51 lease, 58 T1, 59 T2 (length 4 each), 3 router
 *     and 6 DNS (a non-zero multiple of 4; the first, and the first
 *     DHCP_MAX_DNS servers, are kept). A wrong length or a second copy of
 *     any of these is AE_ERR_INVAL (RFC 3396 concatenation is not
 *     supported); unknown options, zero-length ones included, are skipped.
 *   - Option overload (52) is ignored: options in sname and file are not
 *     read.
 *
 *     struct dhcp_tx tx = {.type = DHCP_DISCOVER, .xid = xid, .broadcast = true};
 *     memcpy(tx.mac, my_mac, 6);
 *     int n = dhcp_build(buf, sizeof(buf), &tx);       // DHCP_MSG_LEN
 *
 *     struct dhcp_reply r;
 *     if (dhcp_parse(udp_payload, len, xid, my_mac, &r) == AE_OK && r.type == DHCP_OFFER) ...
 */
#ifndef USER_LIB_NET_DHCP_MSG_H
#define USER_LIB_NET_DHCP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/eth.h"

#define DHCP_SERVER_PORT    67
#define DHCP_CLIENT_PORT    68
#define DHCP_FIXED_LEN      236     /* BOOTP's fixed part */
#define DHCP_OPTIONS_OFF    240     /* after the magic cookie */
#define DHCP_MAGIC          0x63825363u
#define DHCP_MSG_LEN        300     /* what dhcp_build writes: BOOTP's minimum (RFC 1542 3.3) */
#define DHCP_MAX_DNS        3
#define DHCP_FLAG_BROADCAST 0x8000

enum dhcp_msg_type {
    DHCP_DISCOVER = 1, DHCP_OFFER, DHCP_REQUEST, DHCP_DECLINE,
    DHCP_ACK, DHCP_NAK, DHCP_RELEASE, DHCP_INFORM,
};

#define DHCP_OPT_PAD        0
#define DHCP_OPT_MASK       1
#define DHCP_OPT_ROUTER     3
#define DHCP_OPT_DNS        6
#define DHCP_OPT_REQ_IP     50
#define DHCP_OPT_LEASE      51
#define DHCP_OPT_OVERLOAD   52
#define DHCP_OPT_MSG_TYPE   53
#define DHCP_OPT_SERVER_ID  54
#define DHCP_OPT_PARAMS     55
#define DHCP_OPT_MAX_SIZE   57
#define DHCP_OPT_T1         58
#define DHCP_OPT_T2         59
#define DHCP_OPT_CLIENT_ID  61
#define DHCP_OPT_END        255

struct dhcp_tx {
    uint8_t type;               /* DISCOVER, REQUEST, DECLINE, RELEASE or INFORM */
    uint32_t xid;
    uint16_t secs;              /* since the client began acquiring */
    bool broadcast;             /* ask for broadcast replies: no address yet */
    uint8_t mac[ETH_ALEN];
    uint32_t ciaddr;            /* our address when renewing or rebinding */
    uint32_t requested_ip;      /* option 50 when non-zero */
    uint32_t server_id;         /* option 54 when non-zero */
    bool client_id;             /* option 61: type 1 and the MAC */
    uint16_t max_size;          /* option 57 when non-zero */
};

/* Returns DHCP_MSG_LEN, AE_ERR_TRUNCATED when cap is smaller, AE_ERR_INVAL
 * for a type a client does not send. DISCOVER, REQUEST and INFORM carry
 * the parameter request list (mask, router, DNS, lease, T1, T2). */
int dhcp_build(uint8_t *buf, size_t cap, const struct dhcp_tx *tx);

#define DHCP_HAVE_MASK      0x01u
#define DHCP_HAVE_ROUTER    0x02u
#define DHCP_HAVE_DNS       0x04u
#define DHCP_HAVE_LEASE     0x08u
#define DHCP_HAVE_SERVER_ID 0x10u
#define DHCP_HAVE_T1        0x20u
#define DHCP_HAVE_T2        0x40u

struct dhcp_reply {
    uint8_t type;               /* DHCP_OFFER, DHCP_ACK or DHCP_NAK */
    uint32_t xid;
    uint32_t yiaddr, siaddr;
    uint32_t have;              /* DHCP_HAVE_*: which of the below came */
    uint32_t server_id;
    uint32_t mask;
    uint32_t router;            /* the first one listed */
    uint32_t dns[DHCP_MAX_DNS];
    uint8_t dns_count;
    uint32_t lease_s, t1_s, t2_s;   /* seconds; 0xffffffff: infinite */
};

/* See the rules above. */
int dhcp_parse(const uint8_t *p, size_t len, uint32_t xid, const uint8_t mac[ETH_ALEN],
               struct dhcp_reply *out);

#endif

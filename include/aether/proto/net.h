/*
 * The "net" service of net-stack (docs/NETWORK.md). Addresses are IPv4 in
 * host order (10.0.2.15 is 0x0a00020f).
 *
 *   NET_IFCONFIG  -> w[0] address | mask << 32, w[1] gateway | DNS server
 *                 << 32, w[2] MAC (first byte lowest), w[3] AE_NET_IF_*
 *   NET_IFSTATS   -> w[0] frames received, w[1] bytes received, w[2]
 *                 frames sent, w[3] bytes sent (by net-stack)
 *   NET_IFERRORS  -> w[0] frames dropped as malformed (every layer), w[1]
 *                 bad checksums, w[2] sent nowhere (no route or ARP
 *                 failed), w[3] rx slots held now (back to 0 when idle)
 *   NET_PING      w[0] address, w[1] sequence, w[2] payload bytes (0..1400)
 *                 -> AE_OK once the echo request is out (or waiting for
 *                 ARP); RANGE, INVAL (not one host), UNSUPPORTED (not
 *                 configured)
 *   NET_PING_POLL w[0] sequence -> AE_OK, w[0] round trip in ns, w[1] the
 *                 replier's address, w[2] TTL; AGAIN: no reply yet;
 *                 NOTFOUND: not a sequence of the caller's
 *
 * Each client (badge) has its own echo identifier, so replies to another
 * client's pings are not seen.
 */
#ifndef AETHER_PROTO_NET_H
#define AETHER_PROTO_NET_H

#include <stdint.h>

enum ae_net_op {
    AE_NET_IFCONFIG = 1,
    AE_NET_IFSTATS,
    AE_NET_IFERRORS,
    AE_NET_PING,
    AE_NET_PING_POLL,
};

/* NET_IFCONFIG w[3] */
#define AE_NET_IF_LINK 1u           /* the driver is attached and its link is up */
#define AE_NET_IF_DHCP 2u           /* the address is a DHCP lease */
#define AE_NET_IF_STATIC 4u         /* the address is the static fallback */

#define AE_NET_PING_DATA_MAX 1400u

#endif

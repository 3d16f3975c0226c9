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
 *                 failed), w[3] rx slots held now (back to 0 when idle) |
 *                 pool pages written off (see zero copy) << 32
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
 *
 * Sockets. A client first shares a transfer buffer (NET_SETBUF, which also
 * ends any sockets an earlier run of the same client left) and gives a
 * notification (NET_NOTIFY) that net-stack signals (AE_NET_WAKE) whenever
 * one of its sockets may have changed state; nothing blocks in net-stack:
 * an operation that cannot finish now answers AGAIN and the client waits
 * on its notification. Sockets are small numbers, the client's own.
 * Endpoints are packed as address | port << 32.
 *
 *   NET_SETBUF    h[0] VMO [READ WRITE MAP], w[0] size (4096..65536)
 *   NET_NOTIFY    h[0] notification [SIGNAL]
 *   NET_SOCKET    w[0] AE_NET_UDP or AE_NET_TCP -> w[0] socket
 *   NET_BIND      w[0] socket, w[1] endpoint (address 0: any; port 0: one
 *                 is picked) -> w[0] the endpoint bound. EXISTS: in use
 *   NET_CONNECT   w[0] socket, w[1] endpoint: UDP: the default
 *                 destination, and only its datagrams are received; TCP:
 *                 the handshake starts (watch NET_STATUS or POLLOUT)
 *   NET_SENDTO    w[0] socket, w[1] bytes at the buffer's start, w[2]
 *                 endpoint (0: the connected one) -> w[0] bytes sent.
 *                 AGAIN: no transmit buffer free now
 *   NET_RECVFROM  w[0] socket -> w[0] bytes put at the buffer's start
 *                 (a datagram longer than the buffer is cut), w[1] the
 *                 sender's endpoint, w[2] the datagram's whole length.
 *                 AGAIN: nothing queued
 *   NET_POLL      w[0] n: n struct ae_net_pollfd in the buffer (events
 *                 in, revents out) -> w[0] how many have revents
 *   NET_CLOSE     w[0] socket (TCP: the close finishes in the background;
 *                 unread data makes it a reset)
 *
 * TCP only (NET_SENDTO and NET_RECVFROM carry the byte stream: SENDTO
 * takes what fits in the connection's send ring, w[0] says how much;
 * RECVFROM takes w[1] the most bytes wanted (0: a buffer's worth), and
 * w[0] 0 means the peer's end of stream):
 *
 *   NET_LISTEN    w[0] socket (bound), w[1] backlog
 *   NET_ACCEPT    w[0] listening socket -> w[0] the new socket, w[1] the
 *                 peer's endpoint. AGAIN
 *   NET_SHUTDOWN  w[0] socket: no more sending (FIN after what is queued)
 *   NET_STATUS    w[0] socket -> w[0] AE_NET_ST_* bits, w[1] the TCP
 *                 state (RFC 9293 order, CLOSED 0 .. TIME_WAIT 10), w[2]
 *                 why it ended (AE_ERR_PEER_CLOSED refused or reset,
 *                 AE_ERR_TIMEOUT, or 0)
 *   NET_SETOPT    w[0] socket, w[1] AE_NET_OPT_*, w[2] value
 *   NET_SOCKETS   -> w[0] n: n struct ae_net_sockinfo in the buffer (every
 *                 client's sockets: netstat)
 *
 * Zero copy (UDP): a datagram stays in the page the network card wrote it
 * to, and that page alone goes to the client; a page to send is the
 * client's until it hands it back with the datagram in it.
 *
 *   NET_ZC_RECV   w[0] socket -> h[0] a one-page VMO [READ MAP GRANT]: the
 *                 received frame's page; w[0] the payload's offset in it,
 *                 w[1] its length, w[2] the sender's endpoint. Moved to
 *                 the client: net-stack keeps no mapping of it. AGAIN;
 *                 RANGE: the next datagram came in fragments and is in
 *                 net-stack's own buffer, not a page: NET_RECVFROM takes it
 *   NET_ZC_RELEASE h[0] that VMO, w[0] socket: the page goes back to the
 *                 network card. INVAL: not a page this socket was given
 *   NET_ZC_TXBUF  w[0] socket -> h[0] a one-page VMO [READ WRITE MAP GRANT]
 *                 to fill from offset w[0] (headers go before it), w[1]
 *                 the most payload it takes. AGAIN
 *   NET_ZC_SEND   h[0] that VMO, w[0] socket, w[1] payload bytes, w[2]
 *                 endpoint (0: the connected one): sent from that page
 *
 * A socket holds at most AE_NET_ZC_HELD pages at a time. A page a client
 * still holds when its socket closes is never reused (written off:
 * NET_IFERRORS w[3] counts them), so nobody else's data can reach it.
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
    AE_NET_SETBUF = 0x10,
    AE_NET_NOTIFY,
    AE_NET_SOCKET,
    AE_NET_BIND,
    AE_NET_CONNECT,
    AE_NET_SENDTO,
    AE_NET_RECVFROM,
    AE_NET_POLL,
    AE_NET_CLOSE,
    AE_NET_SOCKETS,
    AE_NET_LISTEN,
    AE_NET_ACCEPT,
    AE_NET_SHUTDOWN,
    AE_NET_STATUS,
    AE_NET_SETOPT,
    AE_NET_ZC_RECV = 0x20,
    AE_NET_ZC_RELEASE,
    AE_NET_ZC_TXBUF,
    AE_NET_ZC_SEND,
};

#define AE_NET_TCP 1u
#define AE_NET_UDP 2u

/* NET_STATUS w[0] */
#define AE_NET_ST_READABLE 0x01     /* data, end of stream, or an error to read */
#define AE_NET_ST_WRITABLE 0x02
#define AE_NET_ST_ACCEPT 0x04       /* a listener has a connection waiting */
#define AE_NET_ST_CONNECTED 0x08    /* the handshake completed */
#define AE_NET_ST_EOF 0x10          /* the peer's FIN came */
#define AE_NET_ST_CLOSED 0x20
#define AE_NET_ST_ERROR 0x40        /* ended by a reset, refusal or timeout */

/* NET_SETOPT */
#define AE_NET_OPT_NODELAY 1u       /* value 0 or 1 */
#define AE_NET_OPT_KEEPALIVE 2u     /* value 0 or 1 (the stack's timings) */
#define AE_NET_WAKE 1ull                /* notification bit */
#define AE_NET_ZC_HELD 16u
#define AE_NET_EP(addr, port) ((uint64_t)(uint32_t)(addr) | (uint64_t)(uint16_t)(port) << 32)
#define AE_NET_EP_ADDR(ep) ((uint32_t)(ep))
#define AE_NET_EP_PORT(ep) ((uint16_t)((ep) >> 32))

/* NET_POLL */
#define AE_NET_POLLIN 1u
#define AE_NET_POLLOUT 4u
#define AE_NET_POLLERR 8u
#define AE_NET_POLLNVAL 32u

struct ae_net_pollfd {
    uint32_t sock;
    uint16_t events, revents;
};
_Static_assert(sizeof(struct ae_net_pollfd) == 8, "ABI");

/* NET_SOCKETS: one socket */
struct ae_net_sockinfo {
    uint32_t client;            /* its V-Node id; 0: a TCP connection no
                                 * client holds any more (closing) */
    uint32_t sock;
    uint32_t type;              /* AE_NET_UDP or AE_NET_TCP */
    uint32_t state;             /* TCP: its state (NET_STATUS w[1]); UDP 0 */
    uint64_t local, remote;     /* endpoints; remote 0: not connected */
    uint32_t rx_queued;         /* datagrams waiting (TCP: bytes) */
    uint32_t zc_held;           /* pages the client holds now (TCP: bytes unsent) */
    uint64_t rx_datagrams, tx_datagrams, rx_dropped; /* TCP: bytes in, out, retransmits */
    uint64_t copied;            /* payload bytes copied for it (the copying path) */
    uint32_t reserved[2];
};
_Static_assert(sizeof(struct ae_net_sockinfo) == 80, "ABI");

/* NET_IFCONFIG w[3] */
#define AE_NET_IF_LINK 1u           /* the driver is attached and its link is up */
#define AE_NET_IF_DHCP 2u           /* the address is a DHCP lease */
#define AE_NET_IF_STATIC 4u         /* the address is the static fallback */

#define AE_NET_PING_DATA_MAX 1400u

#endif

/*
 * net-stack's sockets, shared by sock.c (the service's common and UDP
 * operations, zero copy) and sock_tcp.c (TCP through user/lib/net/tcp).
 * Everything here runs under the stack's lock.
 */
#ifndef NET_STACK_SOCK_H
#define NET_STACK_SOCK_H

#include "clientbuf.h"
#include "stack.h"
#include "net/udp.h"
#include "aether/proto/net.h"

#define SOCKS_MAX 512             /* httpd alone may hold 200 connections */
#define RXQ_MAX 32                  /* datagrams queued per socket */
#define RX_HELD_MAX 128             /* rx slots all sockets may hold (of 256) */
/* A datagram that came in fragments was reassembled in net-stack's own
 * buffer, not a card slot: it is queued in one of BIG_MAX buffers of its
 * own, at most BIG_PER_SOCK per socket (so one socket that never reads
 * cannot keep them all). dgram.slot has DGRAM_BIG set for these. */
#define BIG_MAX 8
#define BIG_PER_SOCK 2
#define BIG_SIZE 65536
#define DGRAM_BIG 0x8000u
#define EPHEMERAL_FIRST 49152
#define CLIENT_BUF_VA 0x0000600000000000ull
#define PAGE 4096u
#define ZC_TX_OFF (AE_NETDEV_FRAME_OFF + ETH_HDR_LEN + IPV4_HDR_MIN + UDP_HDR_LEN)

struct dgram {
    uint16_t slot, off, len;
    uint16_t sport;
    uint32_t src;
};

struct sock {
    bool used;
    uint32_t type;                  /* AE_NET_UDP or AE_NET_TCP */
    int conn;                       /* TCP: the library's connection, -1 none */
    uint64_t client;                /* badge */
    uint32_t id;
    uint32_t lip, rip;              /* local, remote (0: any / not connected) */
    uint16_t lport, rport;
    struct dgram q[RXQ_MAX];
    unsigned qhead, qn, nbig;
    uint16_t zc_rx[AE_NET_ZC_HELD], zc_tx[AE_NET_ZC_HELD];
    unsigned nzc_rx, nzc_tx;
    uint64_t rx_datagrams, tx_datagrams, rx_dropped, copied;
};

#define TCP_CONNS 512             /* TCP connections (stream.c) */

extern struct sock socks[SOCKS_MAX];
/* Which socket holds each TCP connection (NULL: none, e.g. closing in the
 * background): events find their client without a search. */
extern struct sock *conn_owner[TCP_CONNS];
extern struct ae_clients clients;

struct sock *sock_of(uint64_t client, uint64_t id);
/* A free entry for client, with its new id; NULL when all are taken. */
struct sock *sock_new(uint64_t client, uint32_t type);
void sock_wake(uint64_t client);
/* Picks a free port of this type; EXISTS when the given one is taken. */
int sock_bind_to(struct sock *s, uint32_t ip, uint16_t port);
/* The client's transfer buffer, or NULL. */
struct ae_client *sock_client(uint64_t client);

/* sock_tcp.c: the operations on a TCP socket (sock.c's table) */
int64_t tcp_sock_connect(struct ae_msg *m, struct sock *s);
int64_t tcp_sock_listen(struct ae_msg *m, struct sock *s);
int64_t tcp_sock_accept(struct ae_msg *m, struct sock *s);
int64_t tcp_sock_send(struct ae_msg *m, struct sock *s);
int64_t tcp_sock_recv(struct ae_msg *m, struct sock *s);
int64_t tcp_sock_shutdown(struct ae_msg *m, struct sock *s);
int64_t tcp_sock_status(struct ae_msg *m, struct sock *s);
int64_t tcp_sock_setopt(struct ae_msg *m, struct sock *s);
void tcp_sock_close(struct sock *s);
/* s holds connection c from now on. */
void tcp_sock_hold(struct sock *s, int c);
uint16_t tcp_sock_poll(const struct sock *s);
uint32_t tcp_sock_info(const struct sock *s, struct ae_net_sockinfo *out);
/* Connections no client holds any more (finishing their close), for
 * netstat: appended after the sockets. */
uint64_t tcp_orphans_info(struct ae_net_sockinfo *out, uint64_t max);

#endif

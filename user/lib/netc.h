/*
 * Client of net-stack's sockets (include/aether/proto/net.h): a buffered
 * connection plus a notification to sleep on, so a call that would block
 * waits here, never inside net-stack. After AE_ERR_PEER_RESTARTED (net-stack
 * started over) every socket is gone: make them again.
 *
 *     netc_init(0x170000000000);
 *     int64_t s = netc_socket(AE_NET_UDP);
 *     netc_bind(s, AE_NET_EP(0, 7));
 *     n = netc_recvfrom(s, buf, sizeof(buf), &from, AE_WAIT_FOREVER);
 *     netc_sendto(s, buf, n, from);
 *
 * Zero copy: netc_zc_recv maps the page the frame arrived in (read-only)
 * and netc_zc_release gives it back; netc_zc_txbuf maps a page to fill and
 * netc_zc_send sends from it. Pages are mapped at the va the caller gives.
 */
#ifndef USER_LIB_NETC_H
#define USER_LIB_NETC_H

#include <stddef.h>
#include <stdint.h>

#include "aether.h"
#include "aether/proto/net.h"

/* Where the transfer buffer (64 KiB) is mapped; call first. The process
 * has one connection: later calls (the C library's sockets, say) keep the
 * first address. */
void netc_init(uint64_t buf_va);
/* One call of the "net" service with the connection set up: the transport
 * error, else the reply's status. */
int64_t netc_call(struct ae_msg *m);
void *netc_buf(void);
/* netc_call, repeated while the answer is AGAIN, sleeping on the
 * notification between tries, up to timeout_ns (then AE_ERR_TIMEOUT). */
int64_t netc_call_wait(struct ae_msg *m, uint64_t timeout_ns);
/* Sleeps until net-stack signals or timeout_ns passes. */
int64_t netc_wait(uint64_t timeout_ns);

int64_t netc_socket(uint32_t type);
/* The endpoint bound, or an error. */
int64_t netc_bind(int64_t s, uint64_t ep);
int64_t netc_connect(int64_t s, uint64_t ep);
/* Bytes sent (len) or an error; waits up to timeout_ns for a free buffer. */
int64_t netc_sendto(int64_t s, const void *data, size_t len, uint64_t ep);
/* Bytes received (a datagram, cut to max) or an error (TIMEOUT after
 * timeout_ns; AE_WAIT_FOREVER waits for ever); *from: the sender. */
int64_t netc_recvfrom(int64_t s, void *data, size_t max, uint64_t *from, uint64_t timeout_ns);
int64_t netc_close(int64_t s);
/* n struct ae_net_pollfd at netc_buf(): waits until one has revents or
 * timeout_ns passes; how many have them (0 on timeout). */
int64_t netc_poll(uint64_t n, uint64_t timeout_ns);

struct netc_page {
    ae_handle_t vmo;
    uint8_t *va;                /* where it is mapped */
    uint32_t off, len;          /* the payload: received, or room for it */
    uint64_t ep;                /* received: the sender */
};
int64_t netc_zc_recv(int64_t s, uint64_t va, struct netc_page *p, uint64_t timeout_ns);
int64_t netc_zc_release(int64_t s, struct netc_page *p);
int64_t netc_zc_txbuf(int64_t s, uint64_t va, struct netc_page *p);
/* Sends len bytes written at p->va + p->off; the page is gone either way. */
int64_t netc_zc_send(int64_t s, struct netc_page *p, uint32_t len, uint64_t ep);

#endif

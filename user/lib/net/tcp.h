/*
 * TCP (RFC 9293) as a pure library: no system calls, no allocation, no
 * global state. The caller (net-stack) owns a struct tcp_stack, an array
 * of connection blocks and the memory of their rings; it feeds received
 * segments and the time in, and gets segments out through a callback.
 *
 * Set up:
 *
 *     static struct tcp_conn conns[TCP_MAX_CONN];
 *     static uint8_t mem[TCP_MAX_CONN * (64 << 10) * 2];
 *     static struct tcp_stack st;
 *     struct tcp_params p;
 *     tcp_params_default(&p);             // 1460 MSS, 64 KiB rings, ...
 *     tcp_stack_init(&st, conns, TCP_MAX_CONN, mem, sizeof(mem), secret16,
 *                    &p, emit, ctx);
 *
 * Segments in: the IPv4 payload of every TCP packet, with the addresses
 * (host order) from the IP header, and the monotonic time in ns:
 *
 *     tcp_input(&st, ip_src, ip_dst, payload, payload_len, now);
 *
 * Segments out: emit(ctx, src, dst, hdr, hlen, p1, n1, p2, n2) is called
 * synchronously from inside the library calls. hdr is a complete TCP header
 * with its checksum, p1/p2 the payload in two pieces (either may be empty);
 * the caller prepends IPv4 (protocol TCP_PROTO, src -> dst) and sends. The
 * pointers are valid only during the call: copy them. emit must not call
 * back into the stack. Any call that takes `now` may emit (tcp_recv does,
 * to reopen a window).
 *
 * Time: after any call, tcp_next_deadline() says when tcp_timer() must run
 * next (UINT64_MAX: no timer pending); tcp_timer() runs what is due and
 * returns the same. Calling it early or late is harmless.
 *
 * Connections are small integers (indexes into the array). A connection
 * from tcp_connect or tcp_accept, and a listener from tcp_listen, belong to
 * the caller until tcp_close or tcp_abort; after that the id is no longer
 * the caller's (the library finishes the close and reuses the slot).
 *
 *     int l = tcp_listen(&st, 0, 80, 16);          // 0: any local address
 *     int c = tcp_accept(&st, l);                  // AE_ERR_AGAIN: none yet
 *     int c = tcp_connect(&st, lip, 0, rip, 80, now);  // 0: ephemeral port
 *     long n = tcp_send(&st, c, buf, len, now);    // bytes queued
 *     long n = tcp_recv(&st, c, buf, len, now);    // 0: end of stream
 *     tcp_close(&st, c, now);
 *
 * Events are level-triggered and polled: tcp_events(&st, c) gives the
 * TCP_EV_* bits that hold now. To find which connections to look at,
 * tcp_changed(&st) returns, one at a time, each connection (or listener)
 * whose events may have changed since it was last returned, then -1
 * (only ids the caller holds; a listener when a connection is ready):
 *
 *     for (int c; (c = tcp_changed(&st)) >= 0; )
 *         wake_waiters(c, tcp_events(&st, c));
 *
 * Errors: functions return AE_OK or a byte count, or a negative AE_ERR_*:
 * AE_ERR_INVAL (bad id or argument, or the call does not fit the state),
 * AE_ERR_AGAIN (nothing now: no data, no room, no connection to accept),
 * AE_ERR_NOMEM (no free connection slot), AE_ERR_EXISTS (address in use),
 * AE_ERR_BUSY (no ephemeral port left).
 * A connection that ended abnormally reports, from tcp_send and tcp_recv,
 * AE_ERR_PEER_CLOSED when refused or reset by the peer and AE_ERR_TIMEOUT
 * when the peer stopped answering (tcp_info.reason tells which exactly).
 *
 * Memory: sizeof(struct tcp_conn) (448 bytes on x86_64) per slot, plus
 * sndbuf + rcvbuf bytes of ring per slot (tcp_stack_mem); listeners use a
 * slot (and leave its rings unused). Nothing else.
 *
 * Not implemented: SACK and timestamps (the options are parsed and
 * ignored, so peers do not use them), urgent data (URG is ignored and the
 * bytes are ordinary data), text carried on a SYN (left unacknowledged for
 * the peer to resend), SYN cookies (a full SYN queue drops SYNs).
 */
#ifndef USER_LIB_NET_TCP_H
#define USER_LIB_NET_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/tcp_buf.h"
#include "net/tcp_cc.h"
#include "net/tcp_isn.h"
#include "net/tcp_rtt.h"
#include "net/tcp_seg.h"

/* A suggested slot count for net-stack; the library takes any. */
#define TCP_MAX_CONN 64

#define TCP_NEVER UINT64_MAX

enum tcp_state {
    TCP_CLOSED,
    TCP_LISTEN,
    TCP_SYN_SENT,
    TCP_SYN_RECEIVED,
    TCP_ESTABLISHED,
    TCP_FIN_WAIT_1,
    TCP_FIN_WAIT_2,
    TCP_CLOSE_WAIT,
    TCP_CLOSING,
    TCP_LAST_ACK,
    TCP_TIME_WAIT,
};

/* Why a connection reached CLOSED other than by an orderly close. */
enum tcp_reason {
    TCP_REASON_NONE,
    TCP_REASON_REFUSED,     /* RST in answer to our SYN */
    TCP_REASON_RESET,       /* RST on a synchronized connection */
    TCP_REASON_TIMEOUT,     /* retransmissions, SYNs or keepalives unanswered */
    TCP_REASON_ABORTED,     /* tcp_abort, or its listener closed */
};

/* tcp_events bits. */
#define TCP_EV_READABLE  0x01 /* tcp_recv would not say AGAIN: data, end or error */
#define TCP_EV_WRITABLE  0x02 /* tcp_send would not say AGAIN: room, or an error */
#define TCP_EV_ACCEPT    0x04 /* listener: tcp_accept has a connection */
#define TCP_EV_CONNECTED 0x08 /* the handshake completed (until CLOSED) */
#define TCP_EV_EOF       0x10 /* the peer's FIN arrived */
#define TCP_EV_CLOSED    0x20 /* CLOSED: reset, timed out or finished */
#define TCP_EV_ERROR     0x40 /* closed with a reason (tcp_info.reason) */

typedef void (*tcp_emit_fn)(void *ctx, uint32_t src, uint32_t dst, const uint8_t *hdr,
                            size_t hdr_len, const uint8_t *p1, size_t n1, const uint8_t *p2,
                            size_t n2);

struct tcp_params {
    uint16_t mss;           /* ours: advertised, and the most we send */
    uint32_t sndbuf, rcvbuf; /* ring bytes per connection, 1..TCP_RING_MAX */
    uint64_t msl_ns;        /* TIME_WAIT lasts 2 * msl_ns */
    uint64_t rto_init_ns, rto_min_ns, rto_max_ns;
    uint64_t delack_ns;     /* longest an ACK is held back */
    uint32_t max_retries;   /* RTO expiries without progress before giving up */
    uint32_t syn_retries;   /* SYN (or SYN-ACK) retransmissions before giving up */
    uint64_t persist_min_ns, persist_max_ns;
    uint64_t fin_wait2_ns;  /* FIN_WAIT_2 limit once the caller closed */
    uint64_t keep_idle_ns, keep_intvl_ns;   /* keepalive defaults, */
    uint32_t keep_cnt;                      /* used when one is enabled */
};

struct tcp_stats {
    uint64_t segs_in, segs_out;
    uint64_t bad_csum, malformed;   /* dropped by the parser */
    uint64_t bad_flags;             /* SYN with FIN or RST: dropped */
    uint64_t no_conn;               /* for no connection or listener */
    uint64_t rst_in, rst_out;
    uint64_t active_opens, passive_opens, established;
    uint64_t syn_drops;             /* listener's queues or slots full */
    uint64_t out_of_window, challenge_acks, dup_data, ooo_segs;
    uint64_t retrans_segs, rto_expiries, fast_retrans, persist_probes;
    uint64_t keep_probes, timeouts; /* connections dropped for silence */
    uint64_t resets;                /* connections reset by the peer */
    uint64_t tw_recycled;           /* TIME_WAITs given up for a new connection */
};

/* Snapshot of a connection for netstat. */
struct tcp_info {
    enum tcp_state state;
    enum tcp_reason reason;
    uint32_t lip, rip;
    uint16_t lport, rport;
    int listener;           /* parent listener while not yet accepted, else -1 */
    uint32_t iss, irs, snd_una, snd_nxt, snd_wnd, rcv_nxt, rcv_wnd;
    uint32_t cwnd, ssthresh, mss;
    uint8_t snd_wscale, rcv_wscale;
    uint64_t srtt_ns, rttvar_ns, rto_ns;  /* rto_ns: backoff included */
    uint32_t snd_queued, rcv_queued;    /* bytes in the rings */
    uint64_t bytes_in, bytes_out, segs_in, segs_out, retransmits;
};

/* Internal per-connection flags (struct tcp_conn.flags). */
#define TCP_CF_NODELAY   0x0001
#define TCP_CF_KEEPALIVE 0x0002
#define TCP_CF_FIN_QUEUED 0x0004 /* no more user data: send FIN after it */
#define TCP_CF_FIN_RCVD  0x0008  /* the peer's FIN is in sequence */
#define TCP_CF_FIN_OOO   0x0010  /* the peer's FIN arrived past a gap */
#define TCP_CF_ACK_NOW   0x0020
#define TCP_CF_TIMING    0x0040  /* an RTT measurement is running */
#define TCP_CF_WSCALE    0x0080  /* window scaling on (both SYNs had it) */
#define TCP_CF_PASSIVE   0x0100  /* born from a listener */
#define TCP_CF_SYN_RETX  0x0200  /* our SYN timed out at least once */
#define TCP_CF_CHANGED   0x0400  /* for tcp_changed */
#define TCP_CF_FORCE     0x0800  /* persist timer: send despite the window */

/* One connection block. The caller only provides the array; every field
 * is the library's. */
struct tcp_conn {
    uint8_t state, reason;
    bool in_use, owned;     /* slot taken; the caller holds the id */
    uint16_t flags;         /* TCP_CF_* */
    int32_t parent;         /* listener of an unaccepted child, else -1 */
    uint32_t lip, rip;
    uint16_t lport, rport;
    uint32_t backlog;       /* listener */
    uint64_t order;         /* children: when established, for FIFO accept */

    /* RFC 9293 3.3.1 send variables; snd_max is the highest SND.NXT ever
     * sent (SND.NXT goes back to SND.UNA on a timeout). */
    uint32_t iss, snd_una, snd_nxt, snd_max, snd_wnd, snd_wl1, snd_wl2;
    uint32_t max_sndwnd;    /* largest window the peer offered */
    uint32_t snd_seq;       /* sequence number of the send ring's first byte */
    uint16_t mss;           /* we send at most this: min(peer's, ours) */
    uint8_t snd_ws, rcv_ws;
    /* receive variables; rcv_adv is the right edge last advertised,
     * rcv_fin where the peer's FIN sits when it came past a gap */
    uint32_t irs, rcv_nxt, rcv_adv, rcv_fin;
    struct tcp_ring snd, rcv;
    struct tcp_ooo ooo;

    struct tcp_rtt rtt;
    struct tcp_cc cc;
    uint32_t rtt_seq;       /* sample when an ACK passes this */
    uint64_t rtt_start;
    uint32_t retries;       /* RTO expiries (or unanswered probes) in a row */
    uint8_t persist_shift, delack_segs;
    uint32_t keep_probes, keep_cnt;
    uint64_t keep_idle, keep_intvl;
    uint64_t last_rcv, last_snd;
    uint64_t challenge_start;
    uint32_t challenge_cnt;

    /* timers: absolute deadlines, TCP_NEVER when off */
    uint64_t t_rexmit, t_persist, t_delack, t_keep, t_close;

    uint64_t bytes_in, bytes_out, segs_in, segs_out, retransmits;
};

struct tcp_stack {
    struct tcp_conn *conns;
    uint32_t nconn;
    struct tcp_params p;
    uint8_t secret[TCP_SECRET_LEN];
    tcp_emit_fn emit;
    void *ctx;
    uint16_t next_port;     /* ephemeral ports: 49152..65535, from here */
    uint64_t order;
    struct tcp_stats stats;
};

/* Defaults: MSS 1460, 64 KiB rings, MSL 30 s, RTO 1 s initial, 200 ms
 * minimum, 60 s maximum, delayed ACK 200 ms, 12 retries, 6 SYN retries,
 * persist 1 s..60 s, FIN_WAIT_2 60 s, keepalive 2 h / 75 s / 9. */
void tcp_params_default(struct tcp_params *p);
/* Ring memory tcp_stack_init needs for nconn slots. */
size_t tcp_stack_mem(uint32_t nconn, const struct tcp_params *p);
/* AE_ERR_INVAL for bad parameters, AE_ERR_NOMEM if memlen is short. */
int tcp_stack_init(struct tcp_stack *st, struct tcp_conn *conns, uint32_t nconn, uint8_t *mem,
                   size_t memlen, const uint8_t secret[TCP_SECRET_LEN],
                   const struct tcp_params *p, tcp_emit_fn emit, void *ctx);

/* A received segment. Returns AE_OK when it was processed (which may mean
 * ignored by the rules), or the parser's error when it was dropped as
 * malformed (also counted). */
int tcp_input(struct tcp_stack *st, uint32_t src, uint32_t dst, const uint8_t *seg,
              size_t len, uint64_t now);
uint64_t tcp_timer(struct tcp_stack *st, uint64_t now);
uint64_t tcp_next_deadline(const struct tcp_stack *st);

int tcp_listen(struct tcp_stack *st, uint32_t ip, uint16_t port, uint32_t backlog);
int tcp_accept(struct tcp_stack *st, int listener);
int tcp_connect(struct tcp_stack *st, uint32_t lip, uint16_t lport, uint32_t rip,
                uint16_t rport, uint64_t now);

/* Queues up to len bytes (what the send ring has room for); sent as the
 * windows allow. Allowed before the handshake completes. AE_ERR_AGAIN
 * when the ring is full, AE_ERR_INVAL after tcp_shutdown. */
long tcp_send(struct tcp_stack *st, int c, const void *data, size_t len, uint64_t now);
/* Copies out up to len bytes; 0 once the peer's FIN has been reached. */
long tcp_recv(struct tcp_stack *st, int c, void *buf, size_t len, uint64_t now);
/* Zero-copy receive: the readable bytes as two pieces (valid until the
 * next call that changes the stack); returns their total. Then consume. */
size_t tcp_recv_peek(const struct tcp_stack *st, int c, const uint8_t **p1, size_t *n1,
                     const uint8_t **p2, size_t *n2);
int tcp_recv_consume(struct tcp_stack *st, int c, size_t n, uint64_t now);

/* No more data from us: FIN after what is queued. Receiving goes on. */
int tcp_shutdown(struct tcp_stack *st, int c, uint64_t now);
/* Gives the id back. A connection is shut down and finishes its close in
 * the background; unread received data makes it an abort instead (RFC
 * 2525 2.17), as does data arriving afterwards. A listener's unaccepted
 * connections are reset. */
int tcp_close(struct tcp_stack *st, int c, uint64_t now);
/* Resets (RST) and gives the id back. */
int tcp_abort(struct tcp_stack *st, int c, uint64_t now);

int tcp_set_nodelay(struct tcp_stack *st, int c, bool on, uint64_t now);
/* Keepalive (RFC 1122 4.2.3.6, off by default): after idle_ns without a
 * segment from the peer, a probe every intvl_ns; cnt unanswered probes
 * drop the connection. Zeros take the stack's defaults. */
int tcp_set_keepalive(struct tcp_stack *st, int c, bool on, uint64_t idle_ns,
                      uint64_t intvl_ns, uint32_t cnt, uint64_t now);

/* TCP_CLOSED for ids out of range or free slots. */
enum tcp_state tcp_state(const struct tcp_stack *st, int c);
unsigned tcp_events(const struct tcp_stack *st, int c);
int tcp_changed(struct tcp_stack *st);
/* Works on any slot in use, the caller's or not (netstat). */
int tcp_info(const struct tcp_stack *st, int c, struct tcp_info *out);
/* The next slot in use after prev (-1 to start); -1 at the end. */
int tcp_next_conn(const struct tcp_stack *st, int prev);
const char *tcp_state_name(enum tcp_state s);

#endif

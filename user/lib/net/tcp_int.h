/*
 * Shared between the files of the TCP implementation only (tcp.c: the
 * API and connection slots; tcp_in.c: segment arrival; tcp_out.c: segment
 * sending; tcp_timer.c: timers). Not for callers: use tcp.h.
 */
#ifndef USER_LIB_NET_TCP_INT_H
#define USER_LIB_NET_TCP_INT_H

#include "net/tcp.h"

/* RFC 9293 3.7.1: the MSS to assume when the peer's SYN names none. */
#define TCP_DEFAULT_MSS 536
/* A peer's MSS option is honoured down to this; below, a hostile peer
 * could make us send its data one byte per segment. */
#define TCP_MIN_MSS 64
/* RFC 7323 2.3: shifts above 14 are taken as 14. */
#define TCP_MAX_WSCALE 14
/* RFC 5961 7: challenge ACKs per connection per second. */
#define TCP_CHALLENGE_MAX 10
#define TCP_SEC 1000000000ull

static inline uint32_t tcp_min32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

static inline int tcp_id(const struct tcp_stack *st, const struct tcp_conn *c)
{
    return (int)(c - st->conns);
}

/* Our FIN's sequence number once tcp_shutdown has fixed the data. */
static inline uint32_t tcp_fin_seq(const struct tcp_conn *c)
{
    return c->snd_seq + c->snd.len;
}

static inline bool tcp_fin_sent(const struct tcp_conn *c)
{
    return (c->flags & TCP_CF_FIN_QUEUED) && tcp_seq_gt(c->snd_max, tcp_fin_seq(c));
}

/* Given up by the caller (not merely not yet accepted): nobody will
 * ever read what arrives. */
static inline bool tcp_orphan(const struct tcp_conn *c)
{
    return !c->owned && c->parent < 0;
}

/*
 * The sequence number of a segment that carries no data, SYN or FIN.
 * After a timeout SND.NXT falls back to SND.UNA while the peer may have
 * received up to SND.MAX: an ACK numbered SND.NXT would then lie left of
 * the peer's window, be found unacceptable, and have its ACK field
 * ignored; two ends in that state would trade such ACKs forever. So
 * SND.MAX, except while probing a zero window, where the peer accepts
 * only SEG.SEQ = RCV.NXT (our SND.NXT; the probe's byte lies past it).
 */
static inline uint32_t tcp_ack_seq(const struct tcp_conn *c)
{
    return c->t_persist != TCP_NEVER ? c->snd_nxt : c->snd_max;
}

/* States where both SYNs have been exchanged and acknowledged. */
static inline bool tcp_synced(const struct tcp_conn *c)
{
    return c->state >= TCP_ESTABLISHED;
}

/* tcp.c */
struct tcp_conn *tcp_slot_alloc(struct tcp_stack *st);
void tcp_slot_free(struct tcp_stack *st, struct tcp_conn *c);
uint8_t tcp_our_wscale(const struct tcp_stack *st);
/* Fills the send variables for a new connection (ISS, timers, RTO). */
void tcp_conn_start(struct tcp_stack *st, struct tcp_conn *c, uint64_t now);
void tcp_conn_set_iss(struct tcp_conn *c, uint32_t iss);
/* The peer's SYN: its sequence number, MSS and window scale. */
void tcp_take_syn(struct tcp_stack *st, struct tcp_conn *c, const struct tcp_seg *s);
void tcp_mark(struct tcp_stack *st, struct tcp_conn *c);

/* tcp_out.c */
void tcp_output(struct tcp_stack *st, struct tcp_conn *c, uint64_t now);
void tcp_xmit(struct tcp_stack *st, struct tcp_conn *c, uint32_t seq, uint32_t len,
              uint8_t flags, uint64_t now);
void tcp_retransmit_head(struct tcp_stack *st, struct tcp_conn *c, uint64_t now);
void tcp_challenge_ack(struct tcp_stack *st, struct tcp_conn *c, uint64_t now);
/* RST in answer to a segment that has no connection (RFC 9293 3.10.7.1). */
void tcp_reset_reply(struct tcp_stack *st, uint32_t src, uint32_t dst, const struct tcp_seg *s);
/* The receive window field to put in a non-SYN segment; commit records
 * the right edge it advertises. */
uint32_t tcp_rcv_wnd_field(const struct tcp_conn *c);
void tcp_rcv_wnd_commit(struct tcp_conn *c, uint32_t field);
/* After the reader freed space: a window update if it is worth one. */
void tcp_window_update(struct tcp_stack *st, struct tcp_conn *c, uint64_t now);
/* To CLOSED with a reason; the slot is freed if the caller gave it up. */
void tcp_enter_closed(struct tcp_stack *st, struct tcp_conn *c, enum tcp_reason why);
/* Abnormal end: RST to the peer (if rst and we are synchronized), then
 * CLOSED with the rings emptied. */
void tcp_drop(struct tcp_stack *st, struct tcp_conn *c, enum tcp_reason why, bool rst,
              uint64_t now);
void tcp_enter_time_wait(struct tcp_stack *st, struct tcp_conn *c, uint64_t now);

/* tcp_in.c */
void tcp_conn_input(struct tcp_stack *st, struct tcp_conn *c, const struct tcp_seg *s,
                    uint64_t now);
/* iss_floor: when the SYN reopens a TIME-WAIT connection, the ISS must
 * not be below it; NULL otherwise. */
void tcp_listen_input(struct tcp_stack *st, struct tcp_conn *l, uint32_t src, uint32_t dst,
                      const struct tcp_seg *s, const uint32_t *iss_floor, uint64_t now);

/* tcp_timer.c */
uint64_t tcp_persist_interval(const struct tcp_stack *st, const struct tcp_conn *c);

#endif

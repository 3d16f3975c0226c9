/*
 * Sending: which segment goes out next (tcp_output), how one is built
 * from the connection (tcp_xmit), the receive window we advertise, and
 * the RSTs and endings.
 */
#include <string.h>

#include "net/tcp_int.h"

static uint32_t syn_window(const struct tcp_conn *c)
{
    /* RFC 7323 2.2: a SYN's window is never scaled. */
    return tcp_min32(tcp_ring_free(&c->rcv), 0xffff);
}

/*
 * The window is the free receive space, but (RFC 1122 4.2.3.3, receiver
 * side silly window avoidance) the right edge only moves forward by at
 * least min(half the buffer, one MSS) at a time, and it never moves back
 * (RFC 9293 3.8.6.2.2): a field rounded up to the scale unit covers what
 * was promised before, one rounded down covers only space we have.
 */
uint32_t tcp_rcv_wnd_field(const struct tcp_conn *c)
{
    uint32_t unit = 1u << c->rcv_ws;
    uint32_t promised = tcp_seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
    uint32_t f_old = (uint32_t)(((uint64_t)promised + unit - 1) >> c->rcv_ws);
    uint32_t f_new = tcp_ring_free(&c->rcv) >> c->rcv_ws;
    uint32_t sws = tcp_min32(c->rcv.size / 2, c->mss);
    uint32_t f = f_old;

    if (f_new > f_old && (f_new - f_old) << c->rcv_ws >= sws)
        f = f_new;
    return f > 0xffff ? 0xffff : f;
}

void tcp_rcv_wnd_commit(struct tcp_conn *c, uint32_t field)
{
    uint32_t edge = c->rcv_nxt + (field << c->rcv_ws);

    if (tcp_seq_gt(edge, c->rcv_adv))
        c->rcv_adv = edge;
}

void tcp_xmit(struct tcp_stack *st, struct tcp_conn *c, uint32_t seq, uint32_t len,
              uint8_t flags, uint64_t now)
{
    uint8_t hdr[TCP_HDR_MAX];
    struct tcp_seg o;
    const uint8_t *p1 = NULL, *p2 = NULL;
    uint32_t n1 = 0, n2 = 0;
    size_t h;

    memset(&o, 0, sizeof(o));
    o.sport = c->lport;
    o.dport = c->rport;
    o.seq = seq;
    o.flags = flags;
    if (flags & TCP_ACK)
        o.ack = c->rcv_nxt;
    if (flags & TCP_SYN) {
        o.opts = TCP_HAS_MSS;
        o.mss = st->p.mss;
        /* An active open offers scaling; an answer only echoes an offer. */
        if (c->state == TCP_SYN_SENT || (c->flags & TCP_CF_WSCALE)) {
            o.opts |= TCP_HAS_WS;
            o.wscale = c->rcv_ws;
        }
        o.wnd = (uint16_t)syn_window(c);
        if (flags & TCP_ACK)
            c->rcv_adv = c->rcv_nxt + o.wnd;
    } else if (flags & TCP_ACK) {
        uint32_t f = tcp_rcv_wnd_field(c);

        o.wnd = (uint16_t)f;
        tcp_rcv_wnd_commit(c, f);
    }
    if (len)
        tcp_ring_span(&c->snd, seq - c->snd_seq, len, &p1, &n1, &p2, &n2);
    h = tcp_seg_build(hdr, c->lip, c->rip, &o, p1, n1, p2, n2);
    st->emit(st->ctx, c->lip, c->rip, hdr, h, p1, n1, p2, n2);

    st->stats.segs_out++;
    c->segs_out++;
    c->bytes_out += len;
    if (flags & TCP_RST)
        st->stats.rst_out++;
    if (flags & TCP_ACK) {
        /* Any ACK we send carries everything a delayed one would. */
        c->flags &= (uint16_t)~TCP_CF_ACK_NOW;
        c->delack_segs = 0;
        c->t_delack = TCP_NEVER;
    }
    if (len)
        c->last_snd = now;
}

/* Sender silly window avoidance (RFC 1122 4.2.3.4) with Nagle (RFC 896):
 * a full segment goes; a short one goes when it is all there is and
 * nothing is unacknowledged (or Nagle is off, or the FIN follows it), or
 * when it is at least half the largest window the peer ever offered. */
static bool worth_sending(const struct tcp_conn *c, uint32_t len, uint32_t avail,
                          uint32_t flight, bool retx)
{
    if (len == 0)
        return false;
    if (len >= c->mss || retx || (c->flags & TCP_CF_FORCE))
        return true;
    if (len == avail &&
        (flight == 0 || (c->flags & (TCP_CF_NODELAY | TCP_CF_FIN_QUEUED))))
        return true;
    return c->max_sndwnd && len >= c->max_sndwnd / 2;
}

void tcp_output(struct tcp_stack *st, struct tcp_conn *c, uint64_t now)
{
    uint32_t avail = 0;

    if (c->state == TCP_CLOSED || c->state == TCP_LISTEN)
        return;
    if (c->state == TCP_SYN_SENT || c->state == TCP_SYN_RECEIVED) {
        if (c->snd_nxt == c->iss) {
            uint8_t fl = c->state == TCP_SYN_SENT ? TCP_SYN : TCP_SYN | TCP_ACK;

            /* Karn: only the first SYN is timed. */
            if (c->snd_max == c->iss && !(c->flags & TCP_CF_TIMING)) {
                c->flags |= TCP_CF_TIMING;
                c->rtt_seq = c->iss;
                c->rtt_start = now;
            }
            tcp_xmit(st, c, c->iss, 0, fl, now);
            c->snd_nxt = c->iss + 1;
            c->snd_max = tcp_seq_max(c->snd_max, c->snd_nxt);
            if (c->t_rexmit == TCP_NEVER)
                c->t_rexmit = now + tcp_rtt_timeout(&c->rtt);
        } else if ((c->flags & TCP_CF_ACK_NOW) && c->state == TCP_SYN_RECEIVED) {
            tcp_xmit(st, c, tcp_ack_seq(c), 0, TCP_ACK, now);
        }
        c->flags &= (uint16_t)~TCP_CF_ACK_NOW;
        return;
    }

    /* RFC 5681 4.1: after an idle period longer than the RTO the ACK
     * clock is gone; start again from the initial window. */
    if (c->snd_una == c->snd_max && c->snd.len > c->snd_nxt - c->snd_seq && c->last_snd &&
        now - c->last_snd > tcp_rtt_timeout(&c->rtt))
        tcp_cc_idle_restart(&c->cc);

    for (;;) {
        uint32_t off = c->snd_nxt - c->snd_seq;
        uint32_t flight = c->snd_nxt - c->snd_una;
        uint32_t win = tcp_min32(c->snd_wnd, c->cc.cwnd);
        uint32_t usable = win > flight ? win - flight : 0;
        uint32_t fin_seq = tcp_fin_seq(c);
        bool fin_pending = (c->flags & TCP_CF_FIN_QUEUED) && tcp_seq_leq(c->snd_nxt, fin_seq);
        bool retx = tcp_seq_lt(c->snd_nxt, c->snd_max);
        uint32_t len;
        bool fin, send;
        uint8_t fl;

        avail = off < c->snd.len ? c->snd.len - off : 0;
        len = tcp_min32(tcp_min32(avail, usable), c->mss);
        fin = fin_pending && c->snd_nxt + len == fin_seq;
        /* A FIN (alone, or after the last bytes) always goes: it needs
         * no window, and is retransmitted until taken. */
        send = fin || worth_sending(c, len, avail, flight, retx);
        if (!send) {
            if (c->flags & TCP_CF_ACK_NOW)
                tcp_xmit(st, c, tcp_ack_seq(c), 0, TCP_ACK, now);
            break;
        }
        fl = TCP_ACK;
        if (fin)
            fl |= TCP_FIN;
        if (len && len == avail)
            fl |= TCP_PSH;
        tcp_xmit(st, c, c->snd_nxt, len, fl, now);
        if (retx) {
            /* Karn: an ACK for data sent twice says nothing of the RTT. */
            c->flags &= (uint16_t)~TCP_CF_TIMING;
            c->retransmits++;
            st->stats.retrans_segs++;
        } else if (!(c->flags & TCP_CF_TIMING)) {
            c->flags |= TCP_CF_TIMING;
            c->rtt_seq = c->snd_nxt;
            c->rtt_start = now;
        }
        c->snd_nxt += len + (fin ? 1 : 0);
        c->snd_max = tcp_seq_max(c->snd_max, c->snd_nxt);
        c->flags &= (uint16_t)~TCP_CF_FORCE;
        c->t_persist = TCP_NEVER;
        if (c->t_rexmit == TCP_NEVER)
            c->t_rexmit = now + tcp_rtt_timeout(&c->rtt);
    }
    c->flags &= (uint16_t)~TCP_CF_FORCE;

    /* Data waits, nothing is in flight to bring an ACK that would open the
     * window: only the persist timer can find out when it opens. */
    if (avail > 0 && c->snd_nxt == c->snd_una && c->t_rexmit == TCP_NEVER &&
        c->t_persist == TCP_NEVER)
        c->t_persist = now + tcp_persist_interval(st, c);
}

void tcp_retransmit_head(struct tcp_stack *st, struct tcp_conn *c, uint64_t now)
{
    uint32_t off = c->snd_una - c->snd_seq;
    uint32_t len = off < c->snd.len ? tcp_min32(c->snd.len - off, c->mss) : 0;
    bool fin = tcp_fin_sent(c) && c->snd_una + len == tcp_fin_seq(c);

    if (len == 0 && !fin)
        return;
    tcp_xmit(st, c, c->snd_una, len, (uint8_t)(TCP_ACK | (fin ? TCP_FIN : 0)), now);
    c->flags &= (uint16_t)~TCP_CF_TIMING;
    c->retransmits++;
    st->stats.retrans_segs++;
    c->t_rexmit = now + tcp_rtt_timeout(&c->rtt);
}

void tcp_challenge_ack(struct tcp_stack *st, struct tcp_conn *c, uint64_t now)
{
    if (now - c->challenge_start >= TCP_SEC || c->challenge_start > now) {
        c->challenge_start = now;
        c->challenge_cnt = 0;
    }
    if (c->challenge_cnt >= TCP_CHALLENGE_MAX)
        return;
    c->challenge_cnt++;
    st->stats.challenge_acks++;
    tcp_xmit(st, c, tcp_ack_seq(c), 0, TCP_ACK, now);
}

void tcp_reset_reply(struct tcp_stack *st, uint32_t src, uint32_t dst, const struct tcp_seg *s)
{
    uint8_t hdr[TCP_HDR_MAX];
    struct tcp_seg o;
    size_t h;

    if (s->flags & TCP_RST)
        return;
    memset(&o, 0, sizeof(o));
    o.sport = s->dport;
    o.dport = s->sport;
    if (s->flags & TCP_ACK) {
        o.seq = s->ack;
        o.flags = TCP_RST;
    } else {
        o.seq = 0;
        o.ack = s->seq + tcp_seg_seqlen(s);
        o.flags = TCP_RST | TCP_ACK;
    }
    h = tcp_seg_build(hdr, dst, src, &o, NULL, 0, NULL, 0);
    st->emit(st->ctx, dst, src, hdr, h, NULL, 0, NULL, 0);
    st->stats.segs_out++;
    st->stats.rst_out++;
}

void tcp_window_update(struct tcp_stack *st, struct tcp_conn *c, uint64_t now)
{
    uint32_t promised, opened, f;

    /* Only where the peer may still send. */
    if (c->state != TCP_ESTABLISHED && c->state != TCP_FIN_WAIT_1 &&
        c->state != TCP_FIN_WAIT_2)
        return;
    promised = tcp_seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
    f = tcp_rcv_wnd_field(c);
    opened = f << c->rcv_ws > promised ? (f << c->rcv_ws) - promised : 0;
    /* Two segments' worth, or half the buffer, is news worth a segment;
     * so is any usable opening when the peer cannot send a full one. */
    if (opened == 0)
        return;
    if (opened >= 2u * c->mss || opened >= c->rcv.size / 2 || promised < c->mss) {
        c->flags |= TCP_CF_ACK_NOW;
        tcp_output(st, c, now);
    }
}

void tcp_enter_closed(struct tcp_stack *st, struct tcp_conn *c, enum tcp_reason why)
{
    c->state = TCP_CLOSED;
    c->reason = (uint8_t)why;
    c->t_rexmit = c->t_persist = c->t_delack = c->t_keep = c->t_close = TCP_NEVER;
    tcp_mark(st, c);
    if (!c->owned)
        tcp_slot_free(st, c);
}

void tcp_drop(struct tcp_stack *st, struct tcp_conn *c, enum tcp_reason why, bool rst,
              uint64_t now)
{
    /* (In TIME-WAIT the peer has closed: nobody to tell.) */
    if (rst && c->state >= TCP_SYN_RECEIVED && c->state != TCP_TIME_WAIT)
        tcp_xmit(st, c, tcp_ack_seq(c), 0, TCP_RST, now);
    /* RFC 9293 3.10.7.4: on a reset the queues are flushed. */
    tcp_ring_consume(&c->snd, c->snd.len);
    tcp_ring_consume(&c->rcv, c->rcv.len);
    c->ooo.n = 0;
    tcp_enter_closed(st, c, why);
}

void tcp_enter_time_wait(struct tcp_stack *st, struct tcp_conn *c, uint64_t now)
{
    c->state = TCP_TIME_WAIT;
    c->t_rexmit = c->t_persist = c->t_keep = TCP_NEVER;
    c->t_close = now + 2 * st->p.msl_ns;
    tcp_mark(st, c);
}

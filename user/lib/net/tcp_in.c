/*
 * Segment arrival, in the order of RFC 9293 3.10.7: LISTEN, SYN-SENT,
 * then the other states (sequence check, RST, SYN, ACK, text, FIN), with
 * RFC 5961's stricter RST, SYN and ACK checks.
 */
#include <string.h>

#include "net/tcp_int.h"

static void established(struct tcp_stack *st, struct tcp_conn *c, uint64_t now)
{
    c->state = TCP_ESTABLISHED;
    c->retries = 0;
    c->order = ++st->order;
    st->stats.established++;
    /* RFC 6298 5.7: a SYN that timed out leaves no RTT sample (Karn);
     * start the data phase from 3 s rather than a smaller initial RTO. */
    if ((c->flags & TCP_CF_SYN_RETX) && !c->rtt.valid && c->rtt.rto < 3 * TCP_SEC)
        c->rtt.rto = 3 * TCP_SEC;
    c->rtt.shift = 0;
    if (c->flags & TCP_CF_KEEPALIVE)
        c->t_keep = now + c->keep_idle;
    if (c->flags & TCP_CF_FIN_QUEUED)
        c->state = TCP_FIN_WAIT_1;
    tcp_mark(st, c);
    if (c->parent >= 0)
        tcp_mark(st, &st->conns[c->parent]);
}

static void reset_received(struct tcp_stack *st, struct tcp_conn *c, uint64_t now)
{
    switch (c->state) {
    case TCP_SYN_RECEIVED:
        /* A passive child just goes away (the listener stays); an active
         * one (simultaneous open) was refused. */
        tcp_drop(st, c, (c->flags & TCP_CF_PASSIVE) ? TCP_REASON_RESET : TCP_REASON_REFUSED,
                 false, now);
        break;
    case TCP_TIME_WAIT:
        /* RFC 1337: a RST must not cut TIME-WAIT short. */
        break;
    default:
        st->stats.resets++;
        tcp_drop(st, c, TCP_REASON_RESET, false, now);
        break;
    }
}

/* RFC 9293 3.10.7.3. */
static void syn_sent_input(struct tcp_stack *st, struct tcp_conn *c, const struct tcp_seg *s,
                           uint64_t now)
{
    bool ack_ok = false;

    if (s->flags & TCP_ACK) {
        if (tcp_seq_leq(s->ack, c->iss) || tcp_seq_gt(s->ack, c->snd_max)) {
            tcp_reset_reply(st, c->rip, c->lip, s);
            return;
        }
        ack_ok = true;
    }
    if (s->flags & TCP_RST) {
        /* RFC 5961 3.2: only a RST acknowledging our SYN counts. */
        if (ack_ok) {
            st->stats.resets++;
            tcp_drop(st, c, TCP_REASON_REFUSED, false, now);
        }
        return;
    }
    if (!(s->flags & TCP_SYN))
        return;
    tcp_take_syn(st, c, s);
    if (ack_ok) {
        /* Text in a SYN-ACK is left unacknowledged: the peer sends it again. */
        c->snd_una = s->ack;
        if (tcp_seq_lt(c->snd_nxt, c->snd_una))
            c->snd_nxt = c->snd_una;
        if ((c->flags & TCP_CF_TIMING) && tcp_seq_gt(s->ack, c->rtt_seq)) {
            tcp_rtt_sample(&c->rtt, now - c->rtt_start);
            c->flags &= (uint16_t)~TCP_CF_TIMING;
        }
        c->snd_wnd = s->wnd;
        c->max_sndwnd = s->wnd;
        c->snd_wl1 = s->seq;
        c->snd_wl2 = s->ack;
        c->t_rexmit = TCP_NEVER;
        c->rcv_adv = c->rcv_nxt;
        established(st, c, now);
        c->flags |= TCP_CF_ACK_NOW;
        tcp_output(st, c, now);
        return;
    }
    /* Simultaneous open: both SYNs crossed. Answer with SYN-ACK. */
    c->state = TCP_SYN_RECEIVED;
    c->snd_wnd = s->wnd;
    c->max_sndwnd = s->wnd;
    c->snd_wl1 = s->seq;
    c->snd_wl2 = c->iss;
    c->snd_nxt = c->iss;
    c->t_rexmit = TCP_NEVER;
    tcp_output(st, c, now);
}

/* RFC 9293 3.10.7.2; the SYN queue and the accept queue are each bounded
 * by the backlog, and a SYN finding either full is dropped unanswered
 * (the peer retries after its RTO). */
void tcp_listen_input(struct tcp_stack *st, struct tcp_conn *l, uint32_t src, uint32_t dst,
                      const struct tcp_seg *s, const uint32_t *iss_floor, uint64_t now)
{
    uint32_t nsyn = 0, nready = 0;
    struct tcp_conn *c;

    if (s->flags & TCP_RST)
        return;
    if (s->flags & TCP_ACK) {
        tcp_reset_reply(st, src, dst, s);
        return;
    }
    if (!(s->flags & TCP_SYN))
        return;
    for (uint32_t i = 0; i < st->nconn; i++) {
        const struct tcp_conn *k = &st->conns[i];

        if (k->in_use && k->parent == tcp_id(st, l)) {
            if (k->state == TCP_SYN_RECEIVED)
                nsyn++;
            else
                nready++;
        }
    }
    if (nsyn >= l->backlog || nready >= l->backlog || !(c = tcp_slot_alloc(st))) {
        st->stats.syn_drops++;
        return;
    }
    c->lip = dst;
    c->rip = src;
    c->lport = s->dport;
    c->rport = s->sport;
    c->parent = tcp_id(st, l);
    c->owned = false;
    c->flags = TCP_CF_PASSIVE;
    tcp_conn_start(st, c, now);
    if (iss_floor && tcp_seq_lt(c->iss, *iss_floor))
        tcp_conn_set_iss(c, *iss_floor);
    tcp_take_syn(st, c, s);
    c->state = TCP_SYN_RECEIVED;
    c->snd_wnd = s->wnd;
    c->max_sndwnd = s->wnd;
    c->snd_wl1 = s->seq;
    c->snd_wl2 = c->iss;
    c->segs_in++;
    c->last_rcv = now;
    st->stats.passive_opens++;
    tcp_output(st, c, now);
}

static void process_fin(struct tcp_stack *st, struct tcp_conn *c, uint64_t now)
{
    c->rcv_nxt++;
    c->flags = (uint16_t)((c->flags | TCP_CF_FIN_RCVD | TCP_CF_ACK_NOW) & ~TCP_CF_FIN_OOO);
    tcp_mark(st, c);
    switch (c->state) {
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
        c->state = TCP_CLOSE_WAIT;
        break;
    case TCP_FIN_WAIT_1:
        c->state = TCP_CLOSING;
        break;
    case TCP_FIN_WAIT_2:
        tcp_enter_time_wait(st, c, now);
        break;
    default:
        break;
    }
}

/* Data (already trimmed to seq >= RCV.NXT and to the ring) into the
 * receive ring; out of order data is held at its offset. */
static void take_data(struct tcp_stack *st, struct tcp_conn *c, uint32_t seq,
                      const uint8_t *data, uint32_t dlen, bool *fin, uint64_t now)
{
    uint32_t off = seq - c->rcv_nxt;

    tcp_ring_put(&c->rcv, off, data, dlen);
    c->bytes_in += dlen;
    if (off) {
        /* Out of order: hold it, and ACK at once so the peer sees the
         * duplicate ACKs that drive fast retransmit. */
        tcp_ooo_add(&c->ooo, seq, seq + dlen);
        st->stats.ooo_segs++;
        c->flags |= TCP_CF_ACK_NOW;
        if (*fin) {
            c->flags |= TCP_CF_FIN_OOO;
            c->rcv_fin = seq + dlen;
            *fin = false;
        }
        return;
    }
    {
        bool gap_filled = c->ooo.n > 0;
        uint32_t nxt = tcp_ooo_take(&c->ooo, c->rcv_nxt + dlen);

        tcp_ring_commit(&c->rcv, nxt - c->rcv_nxt);
        /* A FIN in this segment is only in sequence if held data did not
         * run past it (which only a confused peer can cause). */
        if (*fin && nxt != c->rcv_nxt + dlen)
            *fin = false;
        c->rcv_nxt = nxt;
        tcp_mark(st, c);
        if (gap_filled) {
            /* RFC 5681 4.2: ACK a segment that fills a gap at once. */
            c->flags |= TCP_CF_ACK_NOW;
        } else if (++c->delack_segs >= 2) {
            /* RFC 1122 4.2.3.2: at least every second segment. */
            c->flags |= TCP_CF_ACK_NOW;
        } else if (c->t_delack == TCP_NEVER) {
            c->t_delack = now + st->p.delack_ns;
        }
    }
}

/* SND.UNA moved to ack: free the acknowledged bytes, take an RTT sample,
 * tell congestion control, and move the states waiting for our FIN. */
static bool new_ack(struct tcp_stack *st, struct tcp_conn *c, uint32_t ack, uint64_t now)
{
    uint32_t fin_seq = tcp_fin_seq(c);
    bool fin_acked = tcp_fin_sent(c) && tcp_seq_gt(ack, fin_seq);
    uint32_t data_acked = 0;
    enum tcp_cc_action act;

    if ((c->flags & TCP_CF_TIMING) && tcp_seq_gt(ack, c->rtt_seq)) {
        tcp_rtt_sample(&c->rtt, now - c->rtt_start);
        c->flags &= (uint16_t)~TCP_CF_TIMING;
    }
    if (tcp_seq_gt(ack, c->snd_seq)) {
        data_acked = tcp_min32(ack - c->snd_seq, c->snd.len);
        tcp_ring_consume(&c->snd, data_acked);
        c->snd_seq += data_acked;
    }
    c->snd_una = ack;
    if (tcp_seq_lt(c->snd_nxt, c->snd_una))
        c->snd_nxt = c->snd_una;
    c->retries = 0;
    /* Only data counts for the window: a SYN or FIN is not a segment's
     * worth of delivered bytes. */
    act = data_acked ? tcp_cc_ack(&c->cc, data_acked, ack, c->snd_max - c->snd_una)
                     : TCP_CC_NONE;
    if (c->snd_una == c->snd_max)
        c->t_rexmit = TCP_NEVER;
    else if (c->t_persist == TCP_NEVER)
        c->t_rexmit = now + tcp_rtt_timeout(&c->rtt);
    if (act == TCP_CC_RETRANSMIT) {
        st->stats.fast_retrans++;
        tcp_retransmit_head(st, c, now);
    }
    if (data_acked)
        tcp_mark(st, c);
    if (!fin_acked)
        return true;
    switch (c->state) {
    case TCP_FIN_WAIT_1:
        c->state = TCP_FIN_WAIT_2;
        if (tcp_orphan(c))
            c->t_close = now + st->p.fin_wait2_ns;
        tcp_mark(st, c);
        break;
    case TCP_CLOSING:
        tcp_enter_time_wait(st, c, now);
        break;
    case TCP_LAST_ACK:
        tcp_enter_closed(st, c, TCP_REASON_NONE);
        return false;
    default:
        break;
    }
    return true;
}

/* Everything past SYN-SENT. Returns having sent what the segment calls
 * for (through tcp_output), or nothing when it is dropped silently. */
void tcp_conn_input(struct tcp_stack *st, struct tcp_conn *c, const struct tcp_seg *s,
                    uint64_t now)
{
    uint32_t seq = s->seq;
    const uint8_t *data = s->data;
    uint32_t dlen = (uint32_t)s->len;
    bool fin = s->flags & TCP_FIN;
    uint32_t wnd, slen;
    bool ok;

    c->segs_in++;
    if (c->state == TCP_SYN_SENT) {
        syn_sent_input(st, c, s, now);
        return;
    }
    c->last_rcv = now;
    c->keep_probes = 0;
    if (c->flags & TCP_CF_KEEPALIVE)
        c->t_keep = now + c->keep_idle;

    wnd = tcp_seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;

    /* RFC 5961 3.2: a RST resets only at exactly RCV.NXT; elsewhere in
     * the window it earns a challenge ACK (a genuine sender answers that
     * with an exact RST), outside it nothing. */
    if (s->flags & TCP_RST) {
        st->stats.rst_in++;
        if (seq == c->rcv_nxt)
            reset_received(st, c, now);
        else if (tcp_seq_in(seq, c->rcv_nxt, wnd ? wnd : 1) && c->state != TCP_TIME_WAIT)
            tcp_challenge_ack(st, c, now);
        return;
    }

    if (s->flags & TCP_SYN) {
        if (c->state != TCP_SYN_RECEIVED) {
            /* RFC 5961 4.2: a SYN on a synchronized connection. */
            tcp_challenge_ack(st, c, now);
            return;
        }
        if (seq != c->irs)
            return;
        if (!(s->flags & TCP_ACK)) {
            /* Our SYN-ACK was lost and the peer sent its SYN again. */
            c->snd_nxt = c->iss;
            tcp_output(st, c, now);
            return;
        }
        /* Simultaneous open (RFC 9293 figure 8): the peer's SYN-ACK
         * repeats the SYN we have; its ACK (and any text) is new. */
        seq++;
    }
    slen = dlen + (fin ? 1 : 0);

    /* RFC 9293 3.10.7.4, first: the acceptability table. */
    if (slen == 0)
        ok = wnd == 0 ? seq == c->rcv_nxt : tcp_seq_in(seq, c->rcv_nxt, wnd);
    else
        ok = wnd != 0 && (tcp_seq_in(seq, c->rcv_nxt, wnd) ||
                          tcp_seq_in(seq + slen - 1, c->rcv_nxt, wnd));
    if (!ok) {
        if (wnd == 0 && seq == c->rcv_nxt) {
            /* A zero window takes no data, but the ACK and window fields
             * are still good: this is how a persist probe is answered. */
            dlen = 0;
            fin = false;
            c->flags |= TCP_CF_ACK_NOW;
        } else {
            st->stats.out_of_window++;
            if (c->state == TCP_TIME_WAIT && fin)
                c->t_close = now + 2 * st->p.msl_ns;
            if (tcp_seq_lt(seq, c->rcv_nxt) && dlen)
                st->stats.dup_data++;
            c->flags |= TCP_CF_ACK_NOW;
            tcp_output(st, c, now);
            return;
        }
    }

    /* Trim what was already received... */
    if (tcp_seq_lt(seq, c->rcv_nxt)) {
        uint32_t d = c->rcv_nxt - seq;

        if (d >= dlen) {
            if (d > dlen)
                fin = false;
            data += dlen;
            dlen = 0;
        } else {
            data += d;
            dlen -= d;
        }
        seq = c->rcv_nxt;
        st->stats.dup_data++;
        c->flags |= TCP_CF_ACK_NOW;
    }
    /* ...and what does not fit in the ring (the window may promise a
     * little more than the ring holds, by the rounding of its scale). */
    {
        uint32_t space = tcp_ring_free(&c->rcv);
        uint32_t off = seq - c->rcv_nxt;

        if (off + (uint64_t)dlen > space) {
            dlen = off >= space ? 0 : space - off;
            fin = false;
            c->flags |= TCP_CF_ACK_NOW;
        }
    }

    if (!(s->flags & TCP_ACK))
        return;

    if (c->state == TCP_SYN_RECEIVED) {
        if (!tcp_seq_gt(s->ack, c->snd_una) || tcp_seq_gt(s->ack, c->snd_max)) {
            tcp_reset_reply(st, c->rip, c->lip, s);
            return;
        }
        if (c->parent >= 0) {
            uint32_t nready = 0;

            for (uint32_t i = 0; i < st->nconn; i++) {
                const struct tcp_conn *k = &st->conns[i];

                if (k->in_use && k->parent == c->parent && k->state != TCP_SYN_RECEIVED)
                    nready++;
            }
            /* Accept queue full: ignore the ACK; it or our SYN-ACK
             * retransmission completes the handshake once there is room. */
            if (nready >= st->conns[c->parent].backlog) {
                st->stats.syn_drops++;
                return;
            }
        }
        c->snd_wnd = (uint32_t)s->wnd << c->snd_ws;
        c->max_sndwnd = c->snd_wnd;
        c->snd_wl1 = s->seq;
        c->snd_wl2 = s->ack;
        established(st, c, now);
    }

    /* RFC 5961 5.2: an ACK for data never sent, or older than the
     * largest window ago, is answered and otherwise ignored. */
    if (tcp_seq_gt(s->ack, c->snd_max)) {
        c->flags |= TCP_CF_ACK_NOW;
        tcp_output(st, c, now);
        return;
    }
    if (tcp_seq_lt(s->ack, c->snd_una - c->max_sndwnd)) {
        tcp_challenge_ack(st, c, now);
        return;
    }

    if (tcp_seq_leq(s->ack, c->snd_una)) {
        /* RFC 5681 2: a duplicate ACK carries no data, no SYN or FIN, the
         * same ACK and window, while data is outstanding. Probes of a
         * zero window are not counted. */
        if (s->ack == c->snd_una && s->len == 0 && !(s->flags & TCP_FIN) &&
            ((uint32_t)s->wnd << c->snd_ws) == c->snd_wnd && c->snd_max != c->snd_una &&
            c->snd_wnd != 0 && c->t_persist == TCP_NEVER) {
            if (tcp_cc_dupack(&c->cc, c->snd_una, c->snd_max, c->snd_max - c->snd_una) ==
                TCP_CC_RETRANSMIT) {
                st->stats.fast_retrans++;
                tcp_retransmit_head(st, c, now);
            }
        } else {
            c->cc.dupacks = 0;
        }
    } else if (!new_ack(st, c, s->ack, now)) {
        return;         /* LAST-ACK done: the connection is gone */
    }
    /* RFC 1122 4.2.2.17: a peer that answers our window probes is alive,
     * however long its window stays shut. */
    if (c->t_persist != TCP_NEVER)
        c->retries = 0;

    /* Window update (RFC 9293 3.10.7.4, fifth, SND.WL1/WL2 rule). */
    if (tcp_seq_geq(s->ack, c->snd_una) &&
        (tcp_seq_lt(c->snd_wl1, s->seq) ||
         (c->snd_wl1 == s->seq && tcp_seq_leq(c->snd_wl2, s->ack)))) {
        uint32_t w = (uint32_t)s->wnd << c->snd_ws;

        if (w > c->snd_wnd)
            tcp_mark(st, c);
        c->snd_wnd = w;
        c->snd_wl1 = s->seq;
        c->snd_wl2 = s->ack;
        if (w > c->max_sndwnd)
            c->max_sndwnd = w;
        if (w > 0 && c->t_persist != TCP_NEVER) {
            c->t_persist = TCP_NEVER;
            c->persist_shift = 0;
            c->retries = 0;
        }
    }

    /* Text. After our close, nobody will read it: reset (RFC 9293
     * 3.10.7.4 leaves this open; a peer that keeps sending to a closed
     * socket learns at once instead of filling a dead ring). */
    if (dlen && (c->state == TCP_ESTABLISHED || c->state == TCP_FIN_WAIT_1 ||
                 c->state == TCP_FIN_WAIT_2)) {
        if (tcp_orphan(c)) {
            tcp_drop(st, c, TCP_REASON_ABORTED, true, now);
            return;
        }
        take_data(st, c, seq, data, dlen, &fin, now);
    } else if (fin && seq != c->rcv_nxt && !(c->flags & TCP_CF_FIN_RCVD)) {
        /* A FIN alone past a gap. */
        c->flags |= TCP_CF_FIN_OOO | TCP_CF_ACK_NOW;
        c->rcv_fin = seq;
        fin = false;
    }
    if ((c->flags & TCP_CF_FIN_OOO) && c->rcv_fin == c->rcv_nxt)
        fin = true;

    /* FIN, once everything before it is here (and only the first: the
     * states after it, TIME-WAIT included, have it already). */
    if (fin && !(c->flags & TCP_CF_FIN_RCVD))
        process_fin(st, c, now);
    tcp_output(st, c, now);
}

/*
 * The per-connection timers: retransmission (RFC 6298), persist (RFC 9293
 * 3.8.6.1), delayed ACK, keepalive (RFC 1122 4.2.3.6), and the close
 * timer (TIME-WAIT's 2 MSL, or FIN-WAIT-2 after the caller closed).
 * Deadlines are absolute; TCP_NEVER means off.
 */
#include "net/tcp_int.h"

uint64_t tcp_persist_interval(const struct tcp_stack *st, const struct tcp_conn *c)
{
    uint64_t t = c->rtt.rto;

    for (uint8_t i = 0; i < c->persist_shift && t < st->p.persist_max_ns; i++)
        t *= 2;
    if (t < st->p.persist_min_ns)
        t = st->p.persist_min_ns;
    if (t > st->p.persist_max_ns)
        t = st->p.persist_max_ns;
    return t;
}

static void rexmit_fire(struct tcp_stack *st, struct tcp_conn *c, uint64_t now)
{
    c->t_rexmit = TCP_NEVER;
    if (c->state == TCP_SYN_SENT || c->state == TCP_SYN_RECEIVED) {
        if (c->retries >= st->p.syn_retries) {
            st->stats.timeouts++;
            tcp_drop(st, c, TCP_REASON_TIMEOUT, false, now);
            return;
        }
        c->retries++;
        c->flags = (uint16_t)((c->flags | TCP_CF_SYN_RETX) & ~TCP_CF_TIMING);
        tcp_rtt_backoff(&c->rtt);
        st->stats.rto_expiries++;
        st->stats.retrans_segs++;
        c->retransmits++;
        c->snd_nxt = c->iss;
        tcp_output(st, c, now);
        return;
    }
    if (c->snd_una == c->snd_max)
        return;
    if (c->retries >= st->p.max_retries) {
        st->stats.timeouts++;
        tcp_drop(st, c, TCP_REASON_TIMEOUT, true, now);
        return;
    }
    st->stats.rto_expiries++;
    /* ssthresh only falls on the first timeout of this data (RFC 5681 3.1). */
    tcp_cc_timeout(&c->cc, c->snd_max - c->snd_una, c->snd_max, c->retries == 0);
    c->retries++;
    tcp_rtt_backoff(&c->rtt);
    c->flags &= (uint16_t)~TCP_CF_TIMING;
    /* Go back: resend from the oldest unacknowledged byte, as slow start
     * allows. */
    c->snd_nxt = c->snd_una;
    tcp_output(st, c, now);
}

static void persist_fire(struct tcp_stack *st, struct tcp_conn *c, uint64_t now)
{
    uint32_t off = c->snd_nxt - c->snd_seq;

    c->t_persist = TCP_NEVER;
    if (!tcp_synced(c) || off >= c->snd.len)
        return;
    if (c->snd_wnd == 0) {
        /* RFC 1122 4.2.2.17: probe a zero window with one byte of new
         * data, kept beyond SND.NXT so it is not "in flight": the persist
         * timer, not the retransmission timer, repeats it. The probes go
         * on as long as the peer answers; unanswered ones count as
         * retries. */
        if (c->retries >= st->p.max_retries) {
            /* At SND.NXT, where the shut window is (see tcp_ack_seq). */
            st->stats.timeouts++;
            tcp_xmit(st, c, c->snd_nxt, 0, TCP_RST, now);
            tcp_drop(st, c, TCP_REASON_TIMEOUT, false, now);
            return;
        }
        tcp_xmit(st, c, c->snd_nxt, 1, TCP_ACK, now);
        c->snd_max = tcp_seq_max(c->snd_max, c->snd_nxt + 1);
        st->stats.persist_probes++;
        c->retries++;
        if (c->persist_shift < 20)
            c->persist_shift++;
        c->t_persist = now + tcp_persist_interval(st, c);
        return;
    }
    /* A window too small for silly window avoidance to use: send what it
     * takes (RFC 1122 4.2.3.4's override timeout). */
    c->flags |= TCP_CF_FORCE;
    tcp_output(st, c, now);
}

static void keep_fire(struct tcp_stack *st, struct tcp_conn *c, uint64_t now)
{
    c->t_keep = TCP_NEVER;
    if (!(c->flags & TCP_CF_KEEPALIVE) ||
        (c->state != TCP_ESTABLISHED && c->state != TCP_CLOSE_WAIT &&
         c->state != TCP_FIN_WAIT_2))
        return;
    if (c->snd_max != c->snd_una) {
        /* Data in flight: the retransmission timer watches the peer. */
        c->t_keep = now + c->keep_idle;
        return;
    }
    if (c->keep_probes >= c->keep_cnt) {
        st->stats.timeouts++;
        tcp_drop(st, c, TCP_REASON_TIMEOUT, true, now);
        return;
    }
    /* SEG.SEQ = SND.NXT - 1 and no data: outside the peer's window, so it
     * must answer with an ACK (RFC 1122 4.2.3.6). */
    tcp_xmit(st, c, c->snd_nxt - 1, 0, TCP_ACK, now);
    c->keep_probes++;
    st->stats.keep_probes++;
    c->t_keep = now + c->keep_intvl;
}

static void close_fire(struct tcp_stack *st, struct tcp_conn *c)
{
    c->t_close = TCP_NEVER;
    if (c->state == TCP_TIME_WAIT || (c->state == TCP_FIN_WAIT_2 && tcp_orphan(c)))
        tcp_enter_closed(st, c, TCP_REASON_NONE);
}

static uint64_t conn_deadline(const struct tcp_conn *c)
{
    uint64_t t = c->t_rexmit;

    if (c->t_persist < t)
        t = c->t_persist;
    if (c->t_delack < t)
        t = c->t_delack;
    if (c->t_keep < t)
        t = c->t_keep;
    if (c->t_close < t)
        t = c->t_close;
    return t;
}

uint64_t tcp_next_deadline(const struct tcp_stack *st)
{
    uint64_t t = TCP_NEVER;

    for (uint32_t i = 0; i < st->nconn; i++) {
        const struct tcp_conn *c = &st->conns[i];

        if (c->in_use && conn_deadline(c) < t)
            t = conn_deadline(c);
    }
    return t;
}

uint64_t tcp_timer(struct tcp_stack *st, uint64_t now)
{
    for (uint32_t i = 0; i < st->nconn; i++) {
        struct tcp_conn *c = &st->conns[i];

        /* Each handler may end the connection; check before the next. */
        if (c->in_use && c->t_close <= now)
            close_fire(st, c);
        if (c->in_use && c->t_rexmit <= now)
            rexmit_fire(st, c, now);
        if (c->in_use && c->t_persist <= now)
            persist_fire(st, c, now);
        if (c->in_use && c->t_keep <= now)
            keep_fire(st, c, now);
        if (c->in_use && c->t_delack <= now) {
            c->t_delack = TCP_NEVER;
            c->flags |= TCP_CF_ACK_NOW;
            tcp_output(st, c, now);
        }
    }
    return tcp_next_deadline(st);
}

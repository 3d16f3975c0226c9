/*
 * Endpoint rendezvous. Invariants: a thread is in at most one of senders /
 * receivers (its wait_link); t->reply_to and c->reply_from point at each
 * other exactly while c waits for t's reply; a thread blocked on an
 * endpoint holds a reference on it (blocked_obj), so the endpoint outlives
 * every thread queued on it.
 */
#include "ipc/endpoint.h"
#include "cap/cap.h"
#include "cap/handles.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "arch/x86_64/percpu.h"
#include "mm/kheap.h"
#include "proc/process.h"
#include "vm/vmo.h"
#include "aether/errors.h"
#include "aether/ipc.h"
#include "aether/rights.h"
#include "mm/kcharge.h"
#include "trace/trace_points.h"
#include "panic.h"

struct fault_msg {
    struct list_node link;
    uint64_t badge;
    uint64_t words[4];
};

int endpoint_create(struct quota *payer, struct endpoint **out)
{
    struct endpoint *ep;
    int err = kcharge_zalloc(payer, sizeof(*ep), (void **)&ep);

    if (err)
        return err;
    kobj_init(&ep->obj, AE_OBJ_ENDPOINT);
    kobj_set_payer(&ep->obj, payer, sizeof(*ep));
    list_init(&ep->senders);
    list_init(&ep->receivers);
    list_init(&ep->faults);
    *out = ep;
    return AE_OK;
}

void endpoint_destroy(struct endpoint *ep)
{
    KASSERT(list_empty(&ep->senders) && list_empty(&ep->receivers));
    while (!list_empty(&ep->faults)) {
        struct list_node *n = list_first(&ep->faults);
        list_del(n);
        kfree(container_of(n, struct fault_msg, link));
    }
    kfree(ep);
}

static struct thread *first_waiter(struct list_node *q)
{
    struct list_node *n = list_first(q);
    return n ? container_of(n, struct thread, wait_link) : NULL;
}

/* Takes t off the queue it waits on and drops its endpoint reference. */
static void unqueue(struct thread *t)
{
    if (t->waiting_on) {
        list_del(&t->wait_link);
        t->waiting_on = NULL;
    }
    if (t->blocked_obj) {
        struct kobj *o = t->blocked_obj;
        t->blocked_obj = NULL;
        kobj_unref(o);
    }
}

void endpoint_cap_gained(struct endpoint *ep, uint32_t rights)
{
    if (rights & AE_RIGHT_RECV)
        ep->recv_caps++;
}

void endpoint_cap_lost(struct endpoint *ep, uint32_t rights)
{
    if (!(rights & AE_RIGHT_RECV))
        return;
    KASSERT(ep->recv_caps > 0);
    if (--ep->recv_caps)
        return;
    /* No one can ever receive again: every blocked sender fails. */
    while (!list_empty(&ep->senders)) {
        struct thread *s = first_waiter(&ep->senders);
        unqueue(s);
        thread_wake(s, AE_ERR_PEER_CLOSED);
    }
}

static int check_message(const struct trap_frame *f)
{
    return AE_MSG_NHANDLES(f->rsi) > AE_MSG_HANDLES ? AE_ERR_INVAL : AE_OK;
}

/* Copies the message in from's frame to to's and moves its handles;
 * counts it for process_info. Not traced: its callers write the record
 * (trace_ipc) once they know whether the receiver runs next here. */
static __attribute__((noinline)) int transfer(struct thread *from, struct thread *to,
                                              uint64_t badge)
{
    struct trap_frame *s = thread_frame(from), *d = thread_frame(to);
    unsigned nh = AE_MSG_NHANDLES(s->rsi);
    ae_handle_t hs[4] = {(uint32_t)s->r12, (uint32_t)(s->r12 >> 32),
                         (uint32_t)s->r13, (uint32_t)(s->r13 >> 32)};
    ae_handle_t out[4] = {0, 0, 0, 0};

    /* Counted first, while from and to are at hand; a refused transfer
     * takes it back. */
    from->ipc_sent++;
    to->ipc_received++;
    if (nh) {
        struct cap *caps[4];
        bool move = !(s->rsi & AE_MSG_SHARE);
        int err = AE_OK;
        for (unsigned i = 0; i < nh && !err; i++)
            err = handle_get(from->proc, hs[i], AE_OBJ_ANY, AE_RIGHT_GRANT, &caps[i]);
        if (!err && move)
            err = vmo_move_prepare(from->proc, to->proc, caps, nh);
        if (!err) {
            err = handle_transfer(from->proc, hs, nh, to->proc, out);
            if (err && move)
                vmo_move_abort(from->proc, to->proc, caps, nh);
        }
        if (err) {
            from->ipc_sent--;
            to->ipc_received--;
            return err;
        }
        /* The sender's mappings go before the receiver runs (it cannot run
         * before this returns: the kernel lock is held). */
        if (move)
            vmo_move_commit(from->proc, to->proc, caps, nh);
    }
    d->rdi = badge;
    d->rsi = AE_MSG_INFO(AE_MSG_LABEL(s->rsi), nh);
    d->rdx = s->rdx;
    d->r10 = s->r10;
    d->r8 = s->r8;
    d->r9 = s->r9;
    d->r12 = out[0] | ((uint64_t)out[1] << 32);
    d->r13 = out[2] | ((uint64_t)out[3] << 32);
    return AE_OK;
}

static void deliver_fault(struct fault_msg *m, struct thread *to, bool waited)
{
    struct trap_frame *d = thread_frame(to);

    d->rdi = m->badge;
    d->rsi = AE_MSG_INFO(AE_MSG_FAULT, 0);
    d->rdx = m->words[0];
    d->r10 = m->words[1];
    d->r8 = m->words[2];
    d->r9 = m->words[3];
    d->r12 = d->r13 = 0;
    to->ipc_received++;
    trace_fault_msg(to, m->badge, waited);
}

static void block_on(struct endpoint *ep, struct list_node *q, struct thread *t)
{
    t->state = THREAD_BLOCKED;
    t->wait_result = 0;
    list_add_tail(q, &t->wait_link);
    t->waiting_on = q;
    kobj_ref(&ep->obj);
    t->blocked_obj = &ep->obj;
}

/* Runs `next` now if it lives on this CPU, else readies it there. The
 * current thread must already be blocked or queued. how: the trace record
 * of the message that causes this (TRACE_HOW: written here, where it is
 * known whether the switch is a hand-off), or 0 when that message is
 * recorded already: the switch then gets a SWITCH record of its own. */
static inline __attribute__((always_inline)) void hand_off(struct thread *next, uint64_t how)
{
    struct cpu *c = this_cpu();
    struct thread *cur = c->current;

    if (next->cpu == c->id && !next->killed) {
        if (how)
            trace_ipc(cur, next, how | AE_TRACE_IPC_HANDOFF);
        else
            trace_switch(c, cur, next);
        sched_switch_to(next);
    } else {
        if (how)
            trace_ipc(cur, next, how);
        sched_ready(next);
        schedule();
    }
}

static void pair_reply(struct thread *server, struct thread *caller)
{
    server->reply_to = caller;
    server->reply_lost = false;
    caller->reply_from = server;
    caller->state = THREAD_BLOCKED;
    caller->wait_result = 0;
}

int64_t ipc_send(struct endpoint *ep, uint64_t badge, bool call)
{
    struct thread *t = this_cpu()->current, *r;
    int err = check_message(thread_frame(t));

    if (err)
        return err;
    if (ep->recv_caps == 0)
        return AE_ERR_PEER_CLOSED;
    r = first_waiter(&ep->receivers);
    if (!r) {
        t->ipc_badge = badge;
        t->ipc_call = call;
        block_on(ep, &ep->senders, t);
        schedule();
        return t->wait_result;
    }
    err = transfer(t, r, badge);
    if (err)
        return err;
    unqueue(r);
    r->wait_result = AE_OK;
    if (!call) {
        trace_ipc(t, r, TRACE_HOW(AE_TRACE_IPC_SEND, AE_TRACE_IPC_RECEIVER_WAITED));
        sched_ready(r);
        return AE_OK;
    }
    pair_reply(r, t);
    hand_off(r, TRACE_HOW(AE_TRACE_IPC_CALL, AE_TRACE_IPC_RECEIVER_WAITED));
    return t->wait_result;
}

static bool has_pending(const struct endpoint *ep)
{
    return !list_empty(&ep->faults) || !list_empty(&ep->senders);
}

/* Takes the first deliverable message queued on ep for t; false if none. */
static bool take_pending(struct endpoint *ep, struct thread *t)
{
    struct list_node *n = list_first(&ep->faults);

    if (n) {
        list_del(n);
        deliver_fault(container_of(n, struct fault_msg, link), t, false);
        kfree(container_of(n, struct fault_msg, link));
        return true;
    }
    for (struct thread *s; (s = first_waiter(&ep->senders));) {
        int err = transfer(s, t, s->ipc_badge);
        unqueue(s);
        if (err) {
            thread_wake(s, err);        /* its handles went bad meanwhile */
            continue;
        }
        trace_ipc(s, t, TRACE_HOW(s->ipc_call ? AE_TRACE_IPC_CALL : AE_TRACE_IPC_SEND,
                                  AE_TRACE_IPC_SENDER_WAITED));
        if (s->ipc_call) {
            pair_reply(t, s);
        } else {
            s->state = THREAD_BLOCKED;  /* thread_wake wants it blocked */
            thread_wake(s, AE_OK);
        }
        return true;
    }
    return false;
}

static void drop_reply(struct thread *t)
{
    struct thread *c = t->reply_to;

    if (!c)
        return;
    t->reply_to = NULL;
    c->reply_from = NULL;
    thread_wake(c, AE_ERR_PEER_CLOSED);
}

int64_t ipc_recv(struct endpoint *ep)
{
    struct thread *t = this_cpu()->current;

    drop_reply(t);      /* a pending reply is abandoned, as in seL4 */
    if (take_pending(ep, t))
        return AE_OK;
    block_on(ep, &ep->receivers, t);
    schedule();
    return t->wait_result;
}

int64_t ipc_reply(struct endpoint *then_recv)
{
    struct thread *t = this_cpu()->current, *c = t->reply_to;
    int err = check_message(thread_frame(t));

    if (err)
        return err;
    if (!c) {
        if (!then_recv) {
            err = t->reply_lost ? AE_ERR_PEER_CLOSED : AE_ERR_NOTFOUND;
            t->reply_lost = false;
            return err;
        }
        t->reply_lost = false;
        return ipc_recv(then_recv);
    }
    err = transfer(t, c, 0);
    if (err)
        return err;
    t->reply_to = NULL;
    c->reply_from = NULL;
    c->wait_result = AE_OK;
    if (!then_recv) {
        trace_ipc(t, c, TRACE_REPLY);
        sched_ready(c);
        return AE_OK;
    }
    if (!has_pending(then_recv)) {
        /* The usual server loop: wait for the next message, run the caller. */
        block_on(then_recv, &then_recv->receivers, t);
        hand_off(c, TRACE_REPLY);
        return t->wait_result;
    }
    trace_ipc(t, c, TRACE_REPLY);       /* before the next message's record */
    if (take_pending(then_recv, t)) {
        sched_ready(c);
        return AE_OK;
    }
    block_on(then_recv, &then_recv->receivers, t);  /* every queued sender failed */
    hand_off(c, 0);
    return t->wait_result;
}

void ipc_thread_dying(struct thread *t)
{
    drop_reply(t);
    if (t->reply_from) {
        t->reply_from->reply_to = NULL;
        t->reply_from->reply_lost = true;
        t->reply_from = NULL;
    }
    unqueue(t);
}

int ipc_post_fault(struct endpoint *ep, uint64_t badge, const uint64_t words[4])
{
    struct fault_msg *m = kzalloc(sizeof(*m));
    struct thread *r;

    if (!m)
        return AE_ERR_NOMEM;
    m->badge = badge;
    for (int i = 0; i < 4; i++)
        m->words[i] = words[i];
    r = first_waiter(&ep->receivers);
    if (r) {
        deliver_fault(m, r, true);
        kfree(m);
        unqueue(r);
        r->state = THREAD_BLOCKED;
        thread_wake(r, AE_OK);
        return AE_OK;
    }
    list_add_tail(&ep->faults, &m->link);
    return AE_OK;
}

/*
 * The IPC and switch records, inline: a traced round trip pays for these,
 * so each caller's cold path writes them itself (endpoint.c's
 * deliver_traced, trace_points.c's reply and switch writers) instead of
 * calling through another layer. Waits: a thread switched out blocked is
 * stamped (trace_wait_ns, with the epoch it was stamped in); the delivery
 * that ends the wait reports ts - stamp, once. A stamp from before tracing
 * was last switched on is not used.
 *
 * Kernel lock held (interrupts off).
 */
#ifndef KERNEL_TRACE_TRACE_IPC_H
#define KERNEL_TRACE_TRACE_IPC_H

#include <stdbool.h>
#include <stdint.h>

#include "trace/trace.h"
#include "trace/trace_points.h"
#include "trace/trace_ring.h"
#include "sched/thread.h"
#include "aether/ipc.h"
#include "aether/trace.h"

static inline uint64_t trace_waited_ns(struct thread *t, uint64_t now)
{
    if (t->trace_wait_epoch != trace_epoch)
        return 0;
    t->trace_wait_epoch = 0;
    return now - t->trace_wait_ns;
}

static inline void trace_stamp_wait(struct thread *t, uint64_t now)
{
    t->trace_wait_ns = now;
    t->trace_wait_epoch = trace_epoch;
}

/* arg1 of an IPC record: 4 words and the number of handles moved. */
static inline uint64_t trace_msg_words(uint64_t info)
{
    return AE_MSG_WORDS | (info >> 24 & 0x700);
}
_Static_assert(AE_MSG_NHANDLES(7ull << 32) == 7, "handles at bits 32-34 of info");

/* The hand-off (ipc/endpoint.c, hand_off): `to` runs next, on this CPU.
 * Its SWITCH goes into the delivery's batch, and switch_to is told. */
static inline void trace_put_handoff(struct trace_batch *b, struct thread *from,
                                     struct thread *to, uint64_t from_to)
{
    if (to->cpu != b->c->id || to->killed)
        return;
    trace_put(b, TRACE_W1(AE_TRACE_SWITCH, from->trace_pid_hi), from_to, to->id, 1, 0, 0);
    b->c->trace_switch_noted = to;
    trace_stamp_wait(from, b->ts);
}

/* A send or call delivered (after the transfer): the sender's record and
 * the receiver's RECV; how: trace_points.h's TRACE_* flags and the type. */
static inline __attribute__((always_inline)) void
trace_ipc_delivered(struct thread *from, struct thread *to, uint64_t badge, unsigned how)
{
    uint64_t info = thread_frame(from)->rsi, from_to, words;
    struct trace_batch b;

    if (!trace_begin(&b))
        return;
    words = trace_msg_words(info);
    from_to = TRACE_W2(from->id, to->trace_pid_hi);
    trace_put(&b, TRACE_W1(how & TRACE_TYPE_MASK, from->trace_pid_hi), from_to, badge, words,
              how & TRACE_WAITED_SENDER ? trace_waited_ns(from, b.ts) : 0, (uint32_t)info);
    trace_put(&b, TRACE_W1(AE_TRACE_IPC_RECV, to->trace_pid_hi),
              TRACE_W2(to->id, from->trace_pid_hi), badge, words,
              how & TRACE_WAITED_RECEIVER ? trace_waited_ns(to, b.ts) : 0, (uint32_t)info);
    if (how & TRACE_HANDOFF)
        trace_put_handoff(&b, from, to, from_to);
    trace_end(&b);
}

#endif

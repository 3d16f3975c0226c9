/*
 * The writers behind the trace points (trace_points.h), run only while
 * tracing is on. The IPC and switch writers are the ones a traced round
 * trip pays for, so they are written for few instructions: a message is
 * one record, which also stands for its receipt and for the hand-off
 * switch that follows it; words are built from per-thread pieces.
 *
 * Waits: a thread switched out blocked is stamped (trace_wait_tsc); the
 * delivery that ends the wait records the stamp, and readers subtract it
 * from the record's time (user/lib/trace_read.c). A stamp from before
 * tracing was last switched on (trace_since) is recorded as 0, unknown:
 * the thread may have blocked since without one. While tracing is on
 * every block is followed by a switch that stamps it, so a stamp needs no
 * clearing.
 */
#include "trace/trace_points.h"
#include "trace/trace_ring.h"
#include "arch/x86_64/vectors.h"
#include "proc/process.h"
#include "sched/thread.h"
#include "aether/ipc.h"
#include "aether/trace.h"

/* The stamp of t's wait, 0 if it is unknown. */
static inline uint64_t wait_stamp(const struct thread *t)
{
    uint64_t stamp = t->trace_wait_tsc;

    return stamp >= trace_since ? stamp : 0;
}

/* Written out rather than with trace_begin/trace_put, for few
 * instructions: a traced round trip pays for two of these. Exactly one
 * side had been waiting: the receiver (in recv, or for its reply) or the
 * sender (queued while the receiver was busy). The sender's wait stamp is
 * set whether or not it blocks now: if it does not, it is stamped again
 * when it next blocks, before anything reads the stamp. */
void trace_ipc_rec(struct thread *from, struct thread *to, uint64_t how)
{
    struct cpu *c = this_cpu();
    volatile uint64_t *published = c->trace_published, *w;
    const struct trap_frame *d = thread_frame(to);
    uint64_t seq, ts;

    seq = *published + 1;
    w = (volatile uint64_t *)c->trace_recs + (seq & (AE_TRACE_RING_RECORDS - 1)) * 8;
    w[0] = 0;                           /* the protocol of trace_ring.h */
    ts = trace_now();
    w[1] = ts;
    w[2] = TRACE_W1(how >> 8, from->trace_pid_hi);
    w[3] = TRACE_W2(from->id, to->trace_pid_hi);
    w[4] = d->rdi;                      /* the badge, as delivered */
    w[5] = d->rsi;                      /* the info word, as delivered */
    w[6] = wait_stamp(how & AE_TRACE_IPC_SENDER_WAITED ? from : to);
    w[7] = (how & TRACE_HOW_FLAGS) | (uint64_t)to->id << 32;
    w[0] = seq;
    *published = seq;
    from->trace_wait_tsc = ts;
}

void trace_fault_msg_rec(struct thread *to, uint64_t badge, bool waited)
{
    struct trace_batch b;
    uint64_t flags;

    trace_begin_irqsave(&b, &flags);
    trace_put(&b, TRACE_W1(AE_TRACE_IPC_RECV, to->trace_pid_hi), TRACE_W2(to->id, 0), badge,
              AE_MSG_INFO(AE_MSG_FAULT, 0), waited ? wait_stamp(to) : 0, 0);
    trace_end_irqrestore(&b, flags);
}

void trace_switch_rec(struct cpu *c, struct thread *prev, struct thread *next)
{
    struct trace_batch b;
    uint64_t how;

    trace_begin(&b);
    how = prev->state == THREAD_BLOCKED ? 1 : prev->state == THREAD_DEAD ? 2 : 0;
    trace_put(&b, TRACE_W1(AE_TRACE_SWITCH, prev->trace_pid_hi),
              TRACE_W2(prev->id, next->trace_pid_hi), next->id, how, 0, 0);
    trace_end(&b);
    if (how == 1)
        prev->trace_wait_tsc = b.ts;
}

/* ---- the rarer trace points: one record each, by the current thread --- */

/* The current thread's id and process, 0 when none: at boot, before the
 * scheduler runs (init is created then, with `trace` on), there is no
 * current thread yet. */
static uint64_t current_tid(void)
{
    struct thread *t = this_cpu()->current;

    return t ? t->id : 0;
}

static uint64_t current_pid(void)
{
    struct thread *t = this_cpu()->current;

    return t ? t->trace_pid_hi >> 32 : 0;
}

static uint64_t pid_hi(uint64_t pid)
{
    return pid << 32;
}

static void put(uint16_t type, uint64_t pid, uint32_t peer, uint64_t a0, uint64_t a1,
                uint64_t a2, uint64_t a3)
{
    struct trace_batch b;
    uint64_t flags;

    trace_begin_irqsave(&b, &flags);
    trace_put(&b, TRACE_W1(type, pid_hi((uint32_t)pid)), TRACE_W2(current_tid(), pid_hi(peer)),
              a0, a1, a2, a3);
    trace_end_irqrestore(&b, flags);
}

void trace_page_fault_rec(struct process *p, uint64_t addr, uint64_t rip, uint64_t error,
                          bool fatal)
{
    put(AE_TRACE_PAGE_FAULT, p ? p->pid : 0, 0, addr, rip, error, fatal);
}

void trace_proc_fault_rec(struct process *p, uint64_t reason, uint64_t addr, uint64_t rip)
{
    put(AE_TRACE_PROC_FAULT, p->pid, 0, reason, addr, rip, 0);
}

void trace_quota_rec(const struct quota *q, enum quota_kind kind, uint64_t asked)
{
    static const uint8_t resource[QUOTA_KINDS] = {
        [QUOTA_PAGES] = AE_TRACE_RES_PAGES, [QUOTA_HANDLES] = AE_TRACE_RES_HANDLES,
        [QUOTA_THREADS] = AE_TRACE_RES_THREADS, [QUOTA_CPU] = AE_TRACE_RES_CPU,
    };

    put(AE_TRACE_QUOTA_DENY, current_pid(), 0, resource[kind], asked,
        quota_available(q, kind), 0);
}

void trace_kbytes_rec(const struct quota *q, uint64_t asked)
{
    /* Whole pages left, plus what is left of the last page bytes use. */
    uint64_t left = quota_available(q, QUOTA_PAGES) * QUOTA_PAGE_BYTES +
                    (quota_kbyte_pages(q) * QUOTA_PAGE_BYTES - q->kbytes);

    put(AE_TRACE_QUOTA_DENY, current_pid(), 0, AE_TRACE_RES_KBYTES, asked, left, 0);
}

/* Every charge quota.c refuses (quota.h): the kernel's definition of its
 * hook. */
void quota_refused(const struct quota *q, enum quota_kind kind, uint64_t asked)
{
    trace_quota_deny(q, kind, asked);
}

void trace_irq_rec(uint64_t vector)
{
    uint64_t gsi = vector >= VEC_IRQ_BASE && vector < VEC_TIMER ? vector - VEC_IRQ_BASE
                                                                : ~0ull;

    put(AE_TRACE_IRQ, current_pid(), 0, vector, gsi, 0, 0);
}

void trace_spawn_rec(const struct process *parent, const struct process *child)
{
    uint64_t name[3] = {0, 0, 0};

    _Static_assert(sizeof(name) <= sizeof(child->name), "24 bytes of the name");
    __builtin_memcpy(name, child->name, sizeof(name));
    put(AE_TRACE_PROC_SPAWN, parent ? parent->pid : 0, (uint32_t)child->pid,
        name[0], name[1], name[2], 0);
}

void trace_exit_rec(const struct process *p)
{
    put(AE_TRACE_PROC_EXIT, p->pid, 0, (uint64_t)p->exit_status,
        p->killing && !p->exit_requested, 0, 0);
}

bool trace_user_rec(uint16_t type, uint32_t peer, uint64_t a0, uint64_t a1)
{
    if (!trace_on())
        return false;
    put(type, current_pid(), peer, a0, a1, 0, 0);
    return true;
}

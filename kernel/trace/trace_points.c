/*
 * The writers behind the trace points (trace_points.h), run only while
 * tracing is on. Each takes this CPU's ring, turns interrupts off (they
 * are off already on every path that gets here), takes the timestamp and
 * writes its record(s).
 */
#include "trace/trace_points.h"
#include "trace/trace_ring.h"
#include "arch/x86_64/vectors.h"
#include "proc/process.h"
#include "sched/thread.h"
#include "aether/ipc.h"
#include "aether/trace.h"

static inline uint32_t pid_of(const struct thread *t)
{
    return t->proc ? (uint32_t)t->proc->pid : 0;
}

static struct thread *current_thread(void)
{
    return this_cpu()->current;
}

/* One record about process `pid`, by the current thread. */
static void put(uint16_t type, uint32_t pid, uint32_t peer, uint64_t a0, uint64_t a1,
                uint64_t a2, uint64_t a3)
{
    struct trace_ring *r = trace_ring_here();
    uint64_t flags;

    if (!r)
        return;
    flags = trace_irq_save();
    trace_ring_put(r, trace_now(), type, pid, (uint32_t)current_thread()->id, peer,
                   a0, a1, a2, a3);
    trace_irq_restore(flags);
}

/* How long t waited, if it was stamped while tracing was on; each stamp is
 * used once. */
static uint64_t waited_ns(struct thread *t, uint64_t now, bool waited)
{
    if (!waited || t->trace_wait_epoch != trace_epoch)
        return 0;
    t->trace_wait_epoch = 0;
    return now > t->trace_wait_ns ? now - t->trace_wait_ns : 0;
}

void trace_wait_rec(struct thread *t)
{
    t->trace_wait_ns = trace_now();
    t->trace_wait_epoch = trace_epoch;
}

void trace_ipc_rec(uint16_t type, struct thread *from, struct thread *to, uint64_t badge,
                   unsigned waited)
{
    struct trace_ring *r = trace_ring_here();
    uint64_t info = thread_frame(from)->rsi, flags, now;
    uint64_t words = AE_MSG_WORDS | (uint64_t)AE_MSG_NHANDLES(info) << 8;
    uint32_t fpid = pid_of(from), tpid = pid_of(to);

    if (!r)
        return;
    flags = trace_irq_save();
    now = trace_now();
    trace_ring_put(r, now, type, fpid, (uint32_t)from->id, tpid, badge, words,
                   waited_ns(from, now, waited & TRACE_WAITED_SENDER), AE_MSG_LABEL(info));
    if (type != AE_TRACE_IPC_REPLY)
        trace_ring_put(r, now, AE_TRACE_IPC_RECV, tpid, (uint32_t)to->id, fpid, badge, words,
                       waited_ns(to, now, waited & TRACE_WAITED_RECEIVER),
                       AE_MSG_LABEL(info));
    trace_irq_restore(flags);
}

void trace_fault_msg_rec(struct thread *to, uint64_t badge, bool waited)
{
    struct trace_ring *r = trace_ring_here();
    uint64_t flags, now;

    if (!r)
        return;
    flags = trace_irq_save();
    now = trace_now();
    trace_ring_put(r, now, AE_TRACE_IPC_RECV, pid_of(to), (uint32_t)to->id, 0, badge,
                   AE_MSG_WORDS, waited_ns(to, now, waited), AE_MSG_FAULT);
    trace_irq_restore(flags);
}

void trace_switch_rec(struct thread *prev, struct thread *next)
{
    struct trace_ring *r = trace_ring_here();
    uint64_t flags, how = prev->state == THREAD_BLOCKED ? 1 : prev->state == THREAD_DEAD ? 2 : 0;

    if (!r)
        return;
    flags = trace_irq_save();
    trace_ring_put(r, trace_now(), AE_TRACE_SWITCH, pid_of(prev), (uint32_t)prev->id,
                   pid_of(next), next->id, how, 0, 0);
    trace_irq_restore(flags);
}

void trace_page_fault_rec(struct process *p, uint64_t addr, uint64_t rip, uint64_t error,
                          bool fatal)
{
    put(AE_TRACE_PAGE_FAULT, p ? (uint32_t)p->pid : 0, 0, addr, rip, error, fatal);
}

void trace_proc_fault_rec(struct process *p, uint64_t reason, uint64_t addr, uint64_t rip)
{
    put(AE_TRACE_PROC_FAULT, (uint32_t)p->pid, 0, reason, addr, rip, 0);
}

static uint32_t current_pid(void)
{
    return pid_of(current_thread());
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

void trace_carve_rec(const struct quota *q, const uint64_t limits[QUOTA_KINDS])
{
    for (int k = 0; k < QUOTA_KINDS; k++) {
        if (limits[k] > quota_available(q, (enum quota_kind)k)) {
            trace_quota_rec(q, (enum quota_kind)k, limits[k]);
            return;
        }
    }
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

    __builtin_memcpy(name, child->name, sizeof(name) < sizeof(child->name)
                                            ? sizeof(name) : sizeof(child->name));
    put(AE_TRACE_PROC_SPAWN, parent ? (uint32_t)parent->pid : 0, (uint32_t)child->pid,
        name[0], name[1], name[2], 0);
}

void trace_exit_rec(const struct process *p)
{
    put(AE_TRACE_PROC_EXIT, (uint32_t)p->pid, 0, (uint64_t)p->exit_status,
        p->killing && !p->exit_requested, 0, 0);
}

bool trace_user_rec(uint16_t type, uint32_t peer, uint64_t a0, uint64_t a1)
{
    if (!trace_on())
        return false;
    put(type, current_pid(), peer, a0, a1, 0, 0);
    return true;
}

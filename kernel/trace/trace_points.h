/*
 * The trace points. Each inline wrapper tests trace_on() and calls the
 * out-of-line writer only when tracing is on, so the code that stays on
 * the hot path is one load and one branch. Records go to the ring of the
 * CPU that runs the trace point; `pid` is the process the event is about
 * (include/aether/trace.h lists each type's fields).
 */
#ifndef KERNEL_TRACE_TRACE_POINTS_H
#define KERNEL_TRACE_TRACE_POINTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace/trace.h"
#include "quota/quota.h"
#include "arch/x86_64/percpu.h"
#include "aether/trace.h"

struct process;
struct thread;

/* trace_ipc's `how`: the type (AE_TRACE_IPC_SEND, _CALL or _REPLY) and
 * the record's flags (AE_TRACE_IPC_*: include/aether/trace.h): who had
 * been waiting (its wait is measured from when it was switched out
 * blocked), and AE_TRACE_IPC_HANDOFF when the receiver runs next on this
 * CPU, the sender blocked (the switch then has no SWITCH record). */
#define TRACE_HOW(type, flags) ((uint64_t)(type) << 8 | (flags))
#define TRACE_HOW_FLAGS 0xffu
/* A reply: the caller had been waiting since its call. */
#define TRACE_REPLY TRACE_HOW(AE_TRACE_IPC_REPLY, AE_TRACE_IPC_RECEIVER_WAITED)

/* One message delivered from `from` to `to` (after the transfer: the
 * badge and info are read from to's frame). Kernel lock held. */
void trace_ipc_rec(struct thread *from, struct thread *to, uint64_t how);
void trace_fault_msg_rec(struct thread *to, uint64_t badge, bool waited);
void trace_switch_rec(struct cpu *c, struct thread *prev, struct thread *next);
void trace_page_fault_rec(struct process *p, uint64_t addr, uint64_t rip, uint64_t error,
                          bool fatal);
void trace_proc_fault_rec(struct process *p, uint64_t reason, uint64_t addr, uint64_t rip);
void trace_quota_rec(const struct quota *q, enum quota_kind kind, uint64_t asked);
void trace_kbytes_rec(const struct quota *q, uint64_t asked);
void trace_irq_rec(uint64_t vector);
void trace_spawn_rec(const struct process *parent, const struct process *child);
void trace_exit_rec(const struct process *p);
/* trace_emit: a user-emitted record from the current process; false when
 * tracing is off (nothing written). */
bool trace_user_rec(uint16_t type, uint32_t peer, uint64_t a0, uint64_t a1);

static inline void trace_ipc(struct thread *from, struct thread *to, uint64_t how)
{
    if (trace_on())
        trace_ipc_rec(from, to, how);
}

/* A kernel fault report delivered to `to`: its RECV record, peer 0. */
static inline void trace_fault_msg(struct thread *to, uint64_t badge, bool waited)
{
    if (trace_on())
        trace_fault_msg_rec(to, badge, waited);
}

/* c switches from prev to next (not called for an IPC hand-off, which
 * its IPC record describes). */
static inline void trace_switch(struct cpu *c, struct thread *prev, struct thread *next)
{
    if (trace_on())
        trace_switch_rec(c, prev, next);
}

static inline void trace_page_fault(struct process *p, uint64_t addr, uint64_t rip,
                                    uint64_t error, bool fatal)
{
    if (trace_on())
        trace_page_fault_rec(p, addr, rip, error, fatal);
}

static inline void trace_proc_fault(struct process *p, uint64_t reason, uint64_t addr,
                                    uint64_t rip)
{
    if (trace_on())
        trace_proc_fault_rec(p, reason, addr, rip);
}

/* A charge of `asked` of kind was refused on q. */
static inline void trace_quota_deny(const struct quota *q, enum quota_kind kind, uint64_t asked)
{
    if (trace_on())
        trace_quota_rec(q, kind, asked);
}

/* A charge of `asked` bytes of kernel memory was refused on q. */
static inline void trace_kbytes_deny(const struct quota *q, uint64_t asked)
{
    if (trace_on())
        trace_kbytes_rec(q, asked);
}

static inline void trace_irq(uint64_t vector)
{
    if (trace_on())
        trace_irq_rec(vector);
}

static inline void trace_spawn(const struct process *parent, const struct process *child)
{
    if (trace_on())
        trace_spawn_rec(parent, child);
}

static inline void trace_exit(const struct process *p)
{
    if (trace_on())
        trace_exit_rec(p);
}

#endif

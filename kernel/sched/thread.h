/*
 * Threads. Each has its own guarded kernel stack; its user registers live in
 * the struct trap_frame at the top of that stack whenever it is in the
 * kernel or switched out, and its x87/SSE state in `fpu` while switched out.
 * Fields are guarded by the kernel lock unless noted.
 */
#ifndef KERNEL_SCHED_THREAD_H
#define KERNEL_SCHED_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/trap.h"
#include "lib/list.h"
#include "obj/kobj.h"

struct process;

enum thread_state {
    THREAD_NEW,         /* created, not started */
    THREAD_READY,       /* in a run queue */
    THREAD_RUNNING,     /* on a CPU */
    THREAD_BLOCKED,     /* waiting (IPC, join, sleep, notification) */
    THREAD_DEAD,        /* exited; freed when the last reference goes */
};

#define THREAD_PRIO_MIN 0
#define THREAD_PRIO_MAX 31
#define THREAD_PRIO_DEFAULT 16

struct thread {
    struct kobj obj;
    struct process *proc;       /* holds a reference; NULL for idle threads */
    enum thread_state state;
    uint8_t priority;
    uint16_t cpu;               /* the CPU whose run queue it joins */
    bool pinned;                /* never moved off `cpu` */
    bool killed;                /* exit at the next return to user */
    bool parked;                /* READY but held back: its process is throttled */
    uint64_t id;
    uint64_t kstack_top;
    uint64_t ksp;               /* saved kernel RSP while switched out */
    struct list_node run_link;  /* run queue */
    struct list_node proc_link; /* process's thread list */
    struct list_node wait_link; /* the wait queue it blocks on */
    struct list_node *waiting_on; /* that queue, NULL when none */
    struct list_node sleep_link;/* per-CPU timeout list */
    uint64_t deadline_ns;       /* timeout of the current block, 0 = none */
    int64_t wait_result;        /* result handed to the blocked syscall */
    int64_t exit_code;
    struct list_node joiners;   /* threads in thread_wait on this one */
    uint64_t cpu_ns;            /* CPU time used */
    uint64_t ipc_badge;         /* IPC: badge of the cap it is sending on */
    bool ipc_call;              /* IPC: blocked sending a call */
    bool reply_lost;            /* IPC: its caller died before the reply */
    struct thread *reply_to;    /* IPC: caller awaiting this thread's reply */
    struct thread *reply_from;  /* IPC: server holding this thread's reply */
    struct kobj *blocked_obj;   /* object it is blocked on (holds a ref) */
    uint64_t ipc_sent;          /* messages delivered from it (process_info sums them) */
    uint64_t ipc_received;      /* messages delivered to it */
    uint64_t trace_pid_hi;      /* tracing: its process's pid << 32 (trace_ring.h) */
    uint64_t trace_wait_tsc;    /* tracing: when it was last switched out blocked */
    uint8_t fpu[512] __attribute__((aligned(16)));
};

static inline struct trap_frame *thread_frame(struct thread *t)
{
    return (struct trap_frame *)(t->kstack_top - sizeof(struct trap_frame));
}

/* A user thread of p that will start at entry with the given stack and
 * first argument (rdi). Charged to p's quota (thread + stack pages).
 * AE_ERR_QUOTA, AE_ERR_NOMEM. The thread starts in THREAD_NEW. */
int thread_create_user(struct process *p, uint64_t entry, uint64_t stack,
                       uint64_t arg, struct thread **out);
/* Makes a NEW thread runnable. AE_ERR_BUSY if already started. */
int thread_start(struct thread *t);
/* Ends t (the current thread or another): wakes joiners, leaves every
 * queue. The current thread does not return from thread_exit_current. */
void thread_kill(struct thread *t, int64_t code);
__attribute__((noreturn)) void thread_exit_current(int64_t code);
void thread_destroy(struct thread *t);      /* kobj destroy hook */

/* Blocks the current thread on queue q (may be NULL) until woken or the
 * deadline (ns, 0 = none) passes; returns wait_result (AE_ERR_TIMEOUT on
 * timeout). */
int64_t thread_block_on(struct list_node *q, uint64_t deadline_ns);
/* Like thread_block_on, holding a reference on o (the object waited for)
 * in t->blocked_obj: if the thread dies while blocked, its death releases
 * the reference; otherwise the caller releases it with
 * thread_release_blocked() once done with o. */
int64_t thread_block_holding(struct kobj *o, struct list_node *q, uint64_t deadline_ns);
void thread_release_blocked(void);
/* Wakes a blocked thread with the given result. */
void thread_wake(struct thread *t, int64_t result);

#endif

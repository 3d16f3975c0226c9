/*
 * Thread lifetime. References: the creator's (handed to a handle), one held
 * by the scheduler from start until the thread is off its stack for good.
 * A thread's process reference is dropped when the thread object goes.
 *
 * Charges to the process's account: one QUOTA_THREADS and the kernel
 * stack's frames while the thread lives (until mark_dead: from then on the
 * stack is the kernel's, about to be recycled), and the thread object's
 * bytes until the object goes.
 */
#include "sched/thread.h"
#include "sched/bkl.h"
#include "sched/sched.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/vectors.h"
#include "ipc/endpoint.h"
#include "mm/kcharge.h"
#include "mm/kheap.h"
#include "mm/kstack.h"
#include "mm/uframe.h"
#include "proc/process.h"
#include "trace/trace_points.h"
#include "lib/string.h"
#include "aether/errors.h"
#include "panic.h"

#define RFLAGS_USER 0x202       /* IF set, reserved bit 1 */

static uint64_t next_tid = 1;

extern char thread_first_run[];

static void prepare_stack(struct thread *t, uint64_t entry, uint64_t stack, uint64_t arg)
{
    struct trap_frame *f = thread_frame(t);
    uint64_t *sw;

    memset(f, 0, sizeof(*f));
    f->rip = entry;
    f->cs = GDT_UCODE | 3;
    f->rflags = RFLAGS_USER;
    f->rsp = stack;
    f->ss = GDT_UDATA | 3;
    f->rdi = arg;
    /* What context_switch pops: r15 r14 r13 r12 rbx rbp, then returns. */
    sw = (uint64_t *)f - 7;
    memset(sw, 0, 6 * sizeof(uint64_t));
    sw[6] = (uint64_t)thread_first_run;
    t->ksp = (uint64_t)sw;
}

int thread_create_user(struct process *p, uint64_t entry, uint64_t stack,
                       uint64_t arg, struct thread **out)
{
    struct thread *t;
    int err;

    if (p->state != PROCESS_ALIVE)
        return AE_ERR_PEER_CLOSED;
    err = quota_charge(&p->acct->q, QUOTA_THREADS, 1);
    if (err)
        return err;
    err = uframe_charge_held(&p->acct->q, KSTACK_PAGES);
    if (err)
        goto no_stack;
    err = kcharge_zalloc(&p->acct->q, sizeof(*t), (void **)&t);
    if (err)
        goto no_object;
    t->kstack_top = kstack_alloc();
    if (!t->kstack_top) {
        err = AE_ERR_NOMEM;
        kcharge_free(&p->acct->q, t, sizeof(*t));
        goto no_object;
    }
    kobj_init(&t->obj, AE_OBJ_THREAD);
    kobj_set_payer(&t->obj, &p->acct->q, sizeof(*t));
    t->proc = p;
    kobj_ref(&p->obj);
    t->id = next_tid++;
    t->trace_pid_hi = p->pid << 32;
    t->state = THREAD_NEW;
    t->priority = THREAD_PRIO_DEFAULT;
    t->cpu = sched_pick_cpu();
    list_init(&t->run_link);
    list_init(&t->wait_link);
    list_init(&t->sleep_link);
    list_init(&t->joiners);
    fpu_init_state(t->fpu);
    prepare_stack(t, entry, stack, arg);
    list_add_tail(&p->threads, &t->proc_link);
    p->nthreads++;
    *out = t;
    return AE_OK;

no_object:
    uframe_uncharge_held(&p->acct->q, KSTACK_PAGES);
no_stack:
    quota_uncharge(&p->acct->q, QUOTA_THREADS, 1);
    return err;
}

int thread_start(struct thread *t)
{
    if (t->state != THREAD_NEW)
        return AE_ERR_BUSY;
    if (sched_budget_ns(t->proc) == 0) {
        trace_quota_deny(&t->proc->acct->q, QUOTA_CPU, 1);
        return AE_ERR_QUOTA;            /* no CPU share: it could never run */
    }
    kobj_ref(&t->obj);          /* the scheduler's, until it is off its stack */
    sched_ready(t);
    return AE_OK;
}

/* Everything but freeing the stack: the thread may still be running on it. */
static void mark_dead(struct thread *t, int64_t code)
{
    struct list_node *n, *tmp;
    struct process *p = t->proc;

    ipc_thread_dying(t);
    if (t->waiting_on) {
        list_del(&t->wait_link);
        t->waiting_on = NULL;
    }
    if (t->blocked_obj) {
        struct kobj *o = t->blocked_obj;
        t->blocked_obj = NULL;
        kobj_unref(o);
    }
    sched_timeout_del(t);
    t->state = THREAD_DEAD;
    t->exit_code = code;
    list_for_each_safe(n, tmp, &t->joiners) {
        struct thread *j = container_of(n, struct thread, wait_link);
        thread_wake(j, code);
    }
    list_del(&t->proc_link);
    p->ipc_sent += t->ipc_sent;         /* the process keeps its dead threads' counts */
    p->ipc_received += t->ipc_received;
    uframe_uncharge_held(&p->acct->q, KSTACK_PAGES);
    quota_uncharge(&p->acct->q, QUOTA_THREADS, 1);
    process_thread_gone(p);
}

void thread_kill(struct thread *t, int64_t code)
{
    struct cpu *me = this_cpu();

    if (t->state == THREAD_DEAD)
        return;
    if (t->state == THREAD_RUNNING) {
        /* Here: exits on its way out of the kernel. Elsewhere: the IPI
         * brings it into the kernel, where it exits. */
        t->killed = true;
        t->exit_code = code;
        if (t != me->current)
            lapic_send_ipi(cpu_get(t->cpu)->apic_id, VEC_IPI_WAKE);
        return;
    }
    bool started = t->state != THREAD_NEW;
    if (t->state == THREAD_READY)
        sched_dequeue(t);
    mark_dead(t, code);
    kstack_free(t->kstack_top);
    t->kstack_top = 0;
    if (started)
        kobj_unref(&t->obj);
}

void thread_exit_current(int64_t code)
{
    struct thread *t = this_cpu()->current;

    mark_dead(t, code);
    schedule();
    panic("thread %lu ran after exit", (unsigned long)t->id);
}

void thread_destroy(struct thread *t)
{
    KASSERT(t->state == THREAD_DEAD || t->state == THREAD_NEW);
    if (t->state == THREAD_NEW) {
        /* Never started and no handle left: it can never run. */
        mark_dead(t, 0);
        kstack_free(t->kstack_top);
    }
    kobj_unref(&t->proc->obj);
    kfree(t);
}

int64_t thread_block_on(struct list_node *q, uint64_t deadline_ns)
{
    struct thread *t = this_cpu()->current;

    t->state = THREAD_BLOCKED;
    t->wait_result = 0;
    if (q) {
        list_add_tail(q, &t->wait_link);
        t->waiting_on = q;
    }
    t->deadline_ns = deadline_ns;
    if (deadline_ns)
        sched_timeout_add(t);
    schedule();
    return t->wait_result;
}

int64_t thread_block_holding(struct kobj *o, struct list_node *q, uint64_t deadline_ns)
{
    struct thread *t = this_cpu()->current;

    kobj_ref(o);
    t->blocked_obj = o;
    return thread_block_on(q, deadline_ns);
}

void thread_release_blocked(void)
{
    struct thread *t = this_cpu()->current;
    struct kobj *o = t->blocked_obj;

    t->blocked_obj = NULL;
    if (o)
        kobj_unref(o);
}

void thread_wake(struct thread *t, int64_t result)
{
    if (t->state != THREAD_BLOCKED)
        return;
    if (t->waiting_on) {
        list_del(&t->wait_link);
        t->waiting_on = NULL;
    }
    sched_timeout_del(t);
    t->deadline_ns = 0;
    t->wait_result = result;
    sched_ready(t);
}

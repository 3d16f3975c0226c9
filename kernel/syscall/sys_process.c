/*
 *   process_create(parent[MANAGE], name, const struct ae_quota_limits *) -> handle
 *   process_kill(p[MANAGE], status)
 *   process_wait(p[WAIT], timeout_ns) -> exit status
 *   process_set_fault(p[MANAGE], endpoint[SEND], badge)
 *   process_info(p[READ], struct ae_process_info *out)
 *   process_exit(status)
 *   thread_create(p[MANAGE], entry, stack, arg) -> handle
 *   thread_start(t[MANAGE]); thread_exit(code)
 *   thread_wait(t[WAIT], timeout_ns) -> exit code
 *   thread_set_priority(t[MANAGE], prio): prio <= the caller's own
 *   thread_set_affinity(t[MANAGE], cpu): pins the thread to an online CPU
 */
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "arch/x86_64/clock.h"
#include "arch/x86_64/percpu.h"
#include "cap/cap.h"
#include "mm/layout.h"
#include "cap/handles.h"
#include "proc/process.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "aether/errors.h"
#include "aether/rights.h"
#include "aether/types.h"

_Static_assert(sizeof(struct ae_quota_limits) == QUOTA_KINDS * sizeof(uint64_t),
               "limits mirror the quota kinds");

static uint64_t deadline_from(uint64_t timeout_ns)
{
    uint64_t d;
    if (timeout_ns == AE_WAIT_FOREVER || __builtin_add_overflow(clock_ns(), timeout_ns, &d))
        return 0;
    return d ? d : 1;
}

int64_t sys_process_create(struct trap_frame *f, struct cap *c)
{
    struct process *parent = c->obj, *child;
    uint64_t limits[QUOTA_KINDS];
    char name[PROCESS_NAME_MAX] = {0};
    ae_handle_t h;
    int err;

    err = copy_from_user(limits, f->rdx, sizeof(limits));
    if (!err && f->rsi) {
        int n = copy_string_from_user(name, f->rsi, sizeof(name));
        err = n == AE_ERR_TRUNCATED ? AE_OK : (n < 0 ? n : AE_OK);    /* long names are cut */
    }
    if (err)
        return err;
    if (parent->state != PROCESS_ALIVE)
        return AE_ERR_PEER_CLOSED;
    err = process_create(parent, limits, name, &child);
    if (err)
        return err;
    err = handle_install(process_current(), &child->obj, AE_RIGHTS_ALL, 0, &h);
    kobj_unref(&child->obj);        /* the handle holds it now, or nothing */
    return err ? err : (int64_t)h;
}

int64_t sys_process_kill(struct trap_frame *f, struct cap *c)
{
    process_kill(c->obj, (int64_t)f->rsi);
    return AE_OK;
}

int64_t sys_process_wait(struct trap_frame *f, struct cap *c)
{
    struct process *p = c->obj;
    int64_t r;

    if (p->state == PROCESS_DEAD)
        return p->exit_status;
    if (f->rsi == 0)
        return AE_ERR_TIMEOUT;
    r = thread_block_holding(&p->obj, &p->waiters, deadline_from(f->rsi));
    if (r != AE_ERR_TIMEOUT)
        r = p->exit_status;
    thread_release_blocked();
    return r;
}

int64_t sys_process_set_fault(struct trap_frame *f, struct cap *c)
{
    struct process *p = c->obj;
    struct cap *ep, *copy;
    int err;

    if (p->state != PROCESS_ALIVE)
        return AE_ERR_PEER_CLOSED;
    if (f->rsi > UINT32_MAX)
        return AE_ERR_BAD_HANDLE;
    err = handle_get(process_current(), (ae_handle_t)f->rsi, AE_OBJ_ENDPOINT,
                     AE_RIGHT_SEND, &ep);
    if (err)
        return err;
    err = cap_derive_kernel(ep, AE_RIGHT_SEND, &p->acct->q, &copy);
    if (err)
        return err;
    if (p->fault_cap)
        cap_release_kernel(p->fault_cap, &p->acct->q);
    p->fault_cap = copy;
    p->fault_badge = f->rdx;
    return AE_OK;
}

int64_t sys_process_info(struct trap_frame *f, struct cap *c)
{
    struct process *p = c->obj;
    struct ae_process_info info = {
        .pid = p->pid,
        .state = p->state == PROCESS_DEAD,
        .nthreads = p->nthreads,
        .exit_status = p->exit_status,
        .cpu_ns = p->cpu_ns,
        .ipc_sent = p->ipc_sent,
        .ipc_received = p->ipc_received,
    };
    struct list_node *n, *tmp;

    if (p->acct) {
        __builtin_memcpy(&info.limit, p->acct->q.limit, sizeof(info.limit));
        __builtin_memcpy(&info.used, p->acct->q.used, sizeof(info.used));
        __builtin_memcpy(&info.carved, p->acct->q.carved, sizeof(info.carved));
        info.kernel_bytes = p->acct->q.kbytes;
    }
    list_for_each_safe(n, tmp, &p->threads) {
        const struct thread *t = container_of(n, struct thread, proc_link);
        info.ipc_sent += t->ipc_sent;
        info.ipc_received += t->ipc_received;
    }
    return copy_to_user(f->rsi, &info, sizeof(info));
}

int64_t sys_process_exit(struct trap_frame *f, struct cap *c)
{
    struct process *p = process_current();

    if (!p->killing)
        p->exit_requested = true;   /* an exit, not a kill (trace records tell) */
    process_kill(p, (int64_t)f->rdi);
    return AE_OK;       /* the caller is marked killed and exits on return */
}

int64_t sys_thread_create(struct trap_frame *f, struct cap *c)
{
    struct thread *t;
    ae_handle_t h;
    int err;

    if (f->rsi >= USER_TOP || f->rdx >= USER_TOP + 1)
        return AE_ERR_INVAL;
    err = thread_create_user(c->obj, f->rsi, f->rdx, f->r10, &t);
    if (err)
        return err;
    err = handle_install(process_current(), &t->obj, AE_RIGHTS_ALL, 0, &h);
    kobj_unref(&t->obj);
    return err ? err : (int64_t)h;
}

int64_t sys_thread_start(struct trap_frame *f, struct cap *c)
{
    struct thread *t = c->obj;

    if (t->proc->state != PROCESS_ALIVE)
        return AE_ERR_PEER_CLOSED;
    return thread_start(t);
}

int64_t sys_thread_exit(struct trap_frame *f, struct cap *c)
{
    thread_exit_current((int64_t)f->rdi);
}

int64_t sys_thread_wait(struct trap_frame *f, struct cap *c)
{
    struct thread *t = c->obj;
    int64_t r;

    if (t == this_cpu()->current)
        return AE_ERR_INVAL;            /* would wait forever */
    if (t->state == THREAD_DEAD)
        return t->exit_code;
    if (f->rsi == 0)
        return AE_ERR_TIMEOUT;
    r = thread_block_holding(&t->obj, &t->joiners, deadline_from(f->rsi));
    if (r != AE_ERR_TIMEOUT)
        r = t->exit_code;
    thread_release_blocked();
    return r;
}

int64_t sys_thread_set_priority(struct trap_frame *f, struct cap *c)
{
    struct thread *t = c->obj, *me = this_cpu()->current;
    uint64_t prio = f->rsi;

    if (prio > THREAD_PRIO_MAX)
        return AE_ERR_INVAL;
    if (prio > me->priority)
        return AE_ERR_ACCESS;           /* no one raises a thread above itself */
    if (t->state == THREAD_READY) {
        sched_dequeue(t);
        t->priority = (uint8_t)prio;
        sched_ready(t);
    } else {
        t->priority = (uint8_t)prio;
    }
    if (t == me)
        this_cpu()->need_resched = true;
    return AE_OK;
}

int64_t sys_thread_set_affinity(struct trap_frame *f, struct cap *c)
{
    struct thread *t = c->obj;
    uint64_t cpu = f->rsi;

    if (cpu >= cpu_count() || !cpu_get((unsigned)cpu)->online)
        return AE_ERR_INVAL;
    if (t->state == THREAD_READY) {
        sched_dequeue(t);
        t->cpu = (uint16_t)cpu;
        sched_ready(t);
    } else {
        t->cpu = (uint16_t)cpu;         /* RUNNING: moves at its next switch */
    }
    t->pinned = true;
    if (t == this_cpu()->current && cpu != this_cpu()->id)
        this_cpu()->need_resched = true;
    return AE_OK;
}

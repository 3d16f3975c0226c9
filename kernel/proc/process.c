/*
 * Process lifetime. Accounts: a dead process's account stays while it still
 * has charges or children (memory objects it created that live on, child
 * processes); it is released, and its limits returned up the tree, as soon
 * as it is empty (account_try_release cascades upwards). A child's process
 * object and account node are kernel memory its parent pays for.
 */
#include "proc/process.h"
#include "proc/init_loader.h"
#include "cap/cap.h"
#include "cap/handles.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "mm/kcharge.h"
#include "mm/kheap.h"
#include "vm/vmo.h"
#include "hw/hw.h"
#include "trace/trace_points.h"
#include "lib/string.h"
#include "aether/errors.h"
#include "panic.h"
#include "log.h"

static uint64_t next_pid = 1;
static struct account *root_account;

struct process *process_current(void)
{
    return this_cpu()->current->proc;
}

const struct quota *process_root_quota(void)
{
    return root_account ? &root_account->q : NULL;
}

static bool account_empty(const struct account *a)
{
    for (int k = 0; k < QUOTA_KINDS; k++)
        if (a->q.used[k] || a->q.carved[k])
            return false;
    return !a->q.first_child;
}

/* Frees orphaned, empty accounts from a upwards. */
static void account_try_release(struct account *a)
{
    while (a && a->orphaned && account_empty(a) && a->q.parent) {
        struct account *parent = container_of(a->q.parent, struct account, q);
        quota_release(&a->q);
        kcharge_free(&parent->q, a, sizeof(*a));
        a = parent;
    }
}

void account_changed(struct quota *q)
{
    account_try_release(container_of(q, struct account, q));
}

static int process_alloc(struct account *acct, struct quota *payer, const char *name,
                         struct process **out)
{
    struct process *p;
    int err = kcharge_zalloc(payer, sizeof(*p), (void **)&p);

    if (err)
        return err;
    kobj_init(&p->obj, AE_OBJ_PROCESS);
    kobj_set_payer(&p->obj, payer, sizeof(*p));
    p->pid = next_pid++;
    for (size_t i = 0; name && name[i] && i < PROCESS_NAME_MAX - 1; i++)
        p->name[i] = name[i];
    p->state = PROCESS_ALIVE;
    p->acct = acct;
    list_init(&p->threads);
    list_init(&p->waiters);
    list_init(&p->parked);
    list_init(&p->throttle_link);
    vm_init_process(p);
    handles_init(p);
    err = aspace_init(&p->as, &acct->q);
    if (err) {
        kcharge_free(payer, p, sizeof(*p));
        return err;
    }
    *out = p;
    return AE_OK;
}

int process_create_root(const uint64_t limits[QUOTA_KINDS], const char *name,
                        struct process **out)
{
    struct account *a = kzalloc(sizeof(*a));
    int err;

    if (!a)
        return AE_ERR_NOMEM;
    quota_init_root(&a->q, limits);
    err = process_alloc(a, &a->q, name, out);
    if (err) {
        kfree(a);
        return err;
    }
    root_account = a;
    trace_spawn(NULL, *out);
    return AE_OK;
}

int process_create(struct process *parent, const uint64_t limits[QUOTA_KINDS],
                   const char *name, struct process **out)
{
    struct quota *pq = &parent->acct->q;
    struct account *a;
    int err = kcharge_zalloc(pq, sizeof(*a), (void **)&a);

    if (err)
        return err;
    err = quota_carve(pq, &a->q, limits);
    if (err) {
        kcharge_free(pq, a, sizeof(*a));
        return err;
    }
    err = process_alloc(a, pq, name, out);
    if (err) {
        quota_release(&a->q);
        kcharge_free(pq, a, sizeof(*a));
        return err;
    }
    trace_spawn(parent, *out);
    return AE_OK;
}

static void process_die(struct process *p)
{
    struct list_node *n, *tmp;

    p->state = PROCESS_DEAD;
    /* Off this address space before it goes (the last thread may be the
     * caller, still on its kernel stack: the kernel half is everywhere). */
    if (read_cr3() == p->as.pml4_phys)
        write_cr3(paging_kernel_cr3());
    handles_close_all(p);
    vm_unmap_all(p);
    if (p->fault_cap) {
        cap_release_kernel(p->fault_cap, &p->acct->q);
        p->fault_cap = NULL;
    }
    ioports_release(p);
    log_console_release(p);
    sched_forget_process(p);
    aspace_destroy(&p->as);
    quota_uncharge(&p->acct->q, QUOTA_CPU, p->acct->q.used[QUOTA_CPU]);
    /* Its quota goes back to its parent now, but for what objects others
     * still hold are charged (an endpoint its clients keep, say): a service
     * restarted while clients hold its old endpoint must fit again. */
    if (p->acct->q.parent)
        quota_shrink(&p->acct->q);
    p->acct->orphaned = true;
    account_try_release(p->acct);
    p->acct = NULL;
    list_for_each_safe(n, tmp, &p->waiters) {
        struct thread *t = container_of(n, struct thread, wait_link);
        thread_wake(t, p->exit_status);
    }
    trace_exit(p);
    log_debug("process %lu (%s) exited with status %ld", (unsigned long)p->pid,
              p->name, (long)p->exit_status);
    if (p->pid == 1)
        init_exited((long)p->exit_status);
}

void process_thread_gone(struct process *p)
{
    KASSERT(p->nthreads > 0);
    if (--p->nthreads == 0 && p->state == PROCESS_ALIVE)
        process_die(p);
}

void process_kill(struct process *p, int64_t status)
{
    struct list_node *n, *tmp;

    if (p->state != PROCESS_ALIVE || p->killing)
        return;                 /* the first kill's status stands */
    p->killing = true;
    p->exit_status = status;
    if (p->nthreads == 0) {
        process_die(p);
        return;
    }
    list_for_each_safe(n, tmp, &p->threads) {
        struct thread *t = container_of(n, struct thread, proc_link);
        thread_kill(t, status);
    }
}

void process_destroy(struct process *p)
{
    KASSERT(p->state == PROCESS_DEAD || p->nthreads == 0);
    if (p->state == PROCESS_ALIVE)
        process_kill(p, AE_ERR_PEER_CLOSED);
    kfree(p);
}

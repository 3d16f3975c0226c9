/*
 * Processes: an address space, a handle table and a quota account, and the
 * threads running in them. A process dies when its last thread exits or it
 * is killed; everything it holds is released then, while the struct itself
 * lives on (for process_wait) until the last reference goes. Kernel lock.
 */
#ifndef KERNEL_PROC_PROCESS_H
#define KERNEL_PROC_PROCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "cap/handle_table.h"
#include "lib/list.h"
#include "obj/kobj.h"
#include "quota/quota.h"
#include "vm/aspace.h"

struct cap;

#define PROCESS_NAME_MAX 32

enum process_state { PROCESS_ALIVE, PROCESS_DEAD };

/* A quota account outlives its process while children or charges remain. */
struct account {
    struct quota q;
    bool orphaned;              /* its process is dead */
};

struct process {
    struct kobj obj;
    uint64_t pid;
    char name[PROCESS_NAME_MAX];
    enum process_state state;
    bool killing;               /* process_kill ran: its status is final */
    bool exit_requested;        /* ... by process_exit, not by another's kill */
    int64_t exit_status;
    struct account *acct;
    struct aspace as;
    struct handle_table handles;
    struct list_node threads;   /* its threads that are not dead */
    unsigned nthreads;
    struct list_node waiters;   /* threads in process_wait */
    struct list_node mappings;  /* struct vm_mapping.proc_link */
    unsigned nmappings;
    uint64_t iobitmap[2];       /* frames of its I/O permission bitmap, 0 = none */
    uint64_t iobitmap_gen;      /* bumped on every change (hw/hw.c) */
    /* CPU budget (sched.c): per BUDGET_PERIOD_NS, its share of one CPU. */
    uint64_t cpu_ns;            /* CPU time used, ever (tick-sampled) */
    uint64_t cpu_period;        /* the period cpu_period_ns counts in */
    uint64_t cpu_period_ns;     /* used in that period */
    bool throttled;             /* over budget: threads parked until the next period */
    struct list_node parked;    /* its READY threads held back while throttled */
    struct list_node throttle_link;
    /* IPC messages of its threads that are gone (live threads count their
     * own: thread.ipc_sent, ipc_received). */
    uint64_t ipc_sent;
    uint64_t ipc_received;
    struct cap *fault_cap;      /* kernel-held endpoint cap for fault reports */
    uint64_t fault_badge;
};

/* The root process (init): its account is the root of the quota tree. */
int process_create_root(const uint64_t limits[QUOTA_KINDS], const char *name,
                        struct process **out);
/* A child whose account is carved from parent's. AE_ERR_QUOTA when the
 * limits do not fit, AE_ERR_NOMEM. */
int process_create(struct process *parent, const uint64_t limits[QUOTA_KINDS],
                   const char *name, struct process **out);
/* Kills every thread; the process dies when the last one is gone. */
void process_kill(struct process *p, int64_t status);
/* Called by thread.c when one of p's threads has exited. */
void process_thread_gone(struct process *p);
void process_destroy(struct process *p);        /* kobj destroy hook */
struct process *process_current(void);
/* After an uncharge on q: frees it if its process is dead and it is empty. */
void account_changed(struct quota *q);
/* The root of the quota tree (for the charge invariant). */
const struct quota *process_root_quota(void);

#endif

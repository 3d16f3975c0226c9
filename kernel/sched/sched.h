/*
 * The scheduler: preemptive fixed priorities (0-31, higher runs first) with
 * round robin inside a priority, one run queue per CPU. A thread runs on its
 * home CPU (`thread->cpu`); new threads go to the least loaded CPU unless
 * pinned. Idle CPUs halt; a wake-up for another CPU sends it an IPI.
 * Everything here runs under the kernel lock with interrupts off.
 */
#ifndef KERNEL_SCHED_SCHED_H
#define KERNEL_SCHED_SCHED_H

#include <stdint.h>

struct process;
struct thread;

#define SCHED_SLICE_TICKS 10        /* round-robin quantum, in timer ticks */

/* Boot CPU, once, before any thread is created. */
void sched_init_queues(void);
/* Each CPU, once, before it schedules: its idle thread is the context it
 * runs in now (kernel stack kstack_top). */
void sched_init_cpu(uint64_t kstack_top);
/* Each CPU ends here, holding the kernel lock. */
__attribute__((noreturn)) void sched_idle_loop(void);
/* Sets up FPU, syscall MSRs and the idle thread on this CPU, takes the
 * kernel lock and runs the idle loop. */
__attribute__((noreturn)) void sched_enter_cpu(void);
/* Lets the APs leave their boot idle loop for sched_idle_loop. */
void sched_start_aps(void);
int sched_started(void);

/* Adds a READY thread to its CPU's queue; preempts or IPIs as needed. */
void sched_ready(struct thread *t);
/* Picks the best runnable thread and switches to it. The current thread is
 * requeued if it is still RUNNING (round robin), else left as its caller set
 * it (BLOCKED, DEAD). */
void schedule(void);
/* Switches straight to next (not in any run queue), as IPC call/reply do;
 * the current thread must already be BLOCKED or requeued by the caller,
 * who also traces the switch (an IPC record says it, or trace_switch). */
void sched_switch_to(struct thread *next);
/* CPU budgets: each process may use (its CPU share - what it carved for its
 * children) per-mille of one CPU in every BUDGET_PERIOD_NS, sampled on the
 * timer tick; over that, its threads wait for the next period. */
#define BUDGET_PERIOD_NS 100000000ull
/* Budget of p in ns per period (0: it may not run). */
uint64_t sched_budget_ns(const struct process *p);
/* A dying process leaves the throttled list. */
void sched_forget_process(struct process *p);
/* Takes a READY thread off its run queue (no-op if not queued). */
void sched_dequeue(struct thread *t);
/* Timer interrupt: time slices, timeouts. */
void sched_tick(void);
/* The CPU with the fewest runnable threads (placement of new threads). */
uint16_t sched_pick_cpu(void);
/* Adds/removes a blocked thread with a deadline to its CPU's timeout list. */
void sched_timeout_add(struct thread *t);
void sched_timeout_del(struct thread *t);
/* Called on the new thread's stack right after every switch. */
void sched_first_run(void);

#endif

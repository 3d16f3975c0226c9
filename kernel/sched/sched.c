/*
 * Run queues: per CPU, a list per priority and a bitmap of non-empty lists,
 * so picking the next thread is a bit scan. Timeouts: a per-CPU list of
 * blocked threads with a deadline, scanned on each tick (the lists are
 * short; a timer wheel can replace it when they are not).
 */
#include "sched/sched.h"
#include "sched/bkl.h"
#include "sched/thread.h"
#include "arch/x86_64/clock.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/timer.h"
#include "arch/x86_64/vectors.h"
#include "mm/kstack.h"
#include "proc/process.h"
#include "hw/hw.h"
#include "vm/aspace.h"
#include "aether/errors.h"
#include "syscall/syscall.h"
#include "trace/trace_points.h"
#include "panic.h"

struct runqueue {
    struct list_node q[THREAD_PRIO_MAX + 1];
    uint32_t bitmap;
    unsigned nready;
    struct list_node timeouts;
    unsigned slice_left;
    uint64_t switch_tsc;        /* when the current thread was switched in */
};

static struct runqueue rqs[MAX_CPUS];
static struct list_node throttled = {&throttled, &throttled};
static struct thread idle_threads[MAX_CPUS];
static volatile int started;

extern void context_switch(uint64_t *save_ksp, uint64_t load_ksp);

void sched_init_queues(void)
{
    /* Once, on the boot CPU, before any thread starts: a thread may be
     * queued for a CPU that has not entered the scheduler yet (it waits
     * there; the wake-up IPI brings that CPU in). */
    for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++) {
        for (int p = 0; p <= THREAD_PRIO_MAX; p++)
            list_init(&rqs[cpu].q[p]);
        list_init(&rqs[cpu].timeouts);
    }
}

void sched_init_cpu(uint64_t kstack_top)
{
    struct cpu *c = this_cpu();
    struct thread *idle = &idle_threads[c->id];

    kobj_init(&idle->obj, AE_OBJ_THREAD);
    idle->state = THREAD_RUNNING;
    idle->cpu = (uint16_t)c->id;
    idle->pinned = true;
    idle->kstack_top = kstack_top;
    list_init(&idle->run_link);
    list_init(&idle->wait_link);
    list_init(&idle->sleep_link);
    list_init(&idle->joiners);
    c->idle = idle;
    c->current = idle;
    c->kstack = kstack_top;
}

void sched_start_aps(void)
{
    __atomic_store_n(&started, 1, __ATOMIC_RELEASE);
}

int sched_started(void)
{
    return __atomic_load_n(&started, __ATOMIC_ACQUIRE);
}

static void enqueue(struct runqueue *rq, struct thread *t)
{
    list_add_tail(&rq->q[t->priority], &t->run_link);
    rq->bitmap |= 1u << t->priority;
    rq->nready++;
}

static struct thread *dequeue_one(struct runqueue *rq)
{
    if (!rq->bitmap)
        return NULL;
    int prio = 31 - __builtin_clz(rq->bitmap);
    struct list_node *n = list_first(&rq->q[prio]);
    list_del(n);
    if (list_empty(&rq->q[prio]))
        rq->bitmap &= ~(1u << prio);
    rq->nready--;
    return container_of(n, struct thread, run_link);
}

/* The best runnable thread whose process is within its budget; threads of
 * throttled processes met on the way are parked with their process. */
static struct thread *dequeue_best(struct runqueue *rq)
{
    struct thread *t;

    while ((t = dequeue_one(rq)) && t->proc && t->proc->throttled) {
        t->parked = true;
        list_add_tail(&t->proc->parked, &t->run_link);
    }
    return t;
}

void sched_dequeue(struct thread *t)
{
    struct runqueue *rq = &rqs[t->cpu];

    if (!list_linked(&t->run_link))
        return;
    if (t->parked) {
        list_del(&t->run_link);
        t->parked = false;
        return;
    }
    list_del(&t->run_link);
    if (list_empty(&rq->q[t->priority]))
        rq->bitmap &= ~(1u << t->priority);
    rq->nready--;
}

static unsigned current_priority(struct cpu *c)
{
    return c->current == c->idle ? 0 : c->current->priority;
}

void sched_ready(struct thread *t)
{
    struct cpu *target = cpu_get(t->cpu);
    struct cpu *me = this_cpu();

    KASSERT(bkl_held() && t->state != THREAD_DEAD);
    t->state = THREAD_READY;
    enqueue(&rqs[t->cpu], t);
    if (target == me) {
        if (me->current == me->idle || t->priority > current_priority(me))
            me->need_resched = true;
    } else if (target->current == target->idle ||
               t->priority > current_priority(target)) {
        lapic_send_ipi(target->apic_id, VEC_IPI_WAKE);
    }
}

uint16_t sched_pick_cpu(void)
{
    unsigned best = 0, best_load = ~0u;

    for (unsigned i = 0; i < cpu_count(); i++) {
        struct cpu *c = cpu_get(i);
        if (!c->online)
            continue;
        unsigned load = rqs[i].nready + (c->current != c->idle);
        if (load < best_load) {
            best = i;
            best_load = load;
        }
    }
    return (uint16_t)best;
}

static void account(struct cpu *c, struct thread *prev)
{
    struct runqueue *rq = &rqs[c->id];
    uint64_t now = rdtsc();

    if (rq->switch_tsc && prev != c->idle) {
        uint64_t hz = clock_tsc_hz();
        if (hz)
            prev->cpu_ns += (now - rq->switch_tsc) * 1000000000ull / hz;
    }
    rq->switch_tsc = now;
}

/* Frees what a dead thread kept until it was off its own stack. */
static void finish_prev(struct thread *prev)
{
    if (prev && prev->state == THREAD_DEAD && prev->kstack_top) {
        kstack_free(prev->kstack_top);
        prev->kstack_top = 0;
        kobj_unref(&prev->obj);         /* the scheduler's reference */
    }
}

static struct thread *switch_prev[MAX_CPUS];

void sched_first_run(void)
{
    finish_prev(switch_prev[this_cpu()->id]);
    switch_prev[this_cpu()->id] = NULL;
}

static void switch_to(struct cpu *c, struct thread *prev, struct thread *next)
{
    account(c, prev);
    rqs[c->id].slice_left = SCHED_SLICE_TICKS;
    next->state = THREAD_RUNNING;
    if (prev->proc)
        fpu_save(prev->fpu);
    if (next->proc) {
        aspace_activate(&next->proc->as);
        fpu_restore(next->fpu);
    } else if (read_cr3() != paging_kernel_cr3()) {
        /* Idle never keeps a user space loaded: the CPU could otherwise
         * cache its translations while no longer in its shootdown mask. */
        write_cr3(paging_kernel_cr3());
    }
    ioports_load(c, next->proc);
    c->current = next;
    c->kstack = next->kstack_top;
    c->gdt.tss.rsp[0] = next->kstack_top;
    switch_prev[c->id] = prev;
    context_switch(&prev->ksp, next->ksp);
    /* Back on prev's stack, possibly much later. */
    sched_first_run();
}

void schedule(void)
{
    struct cpu *c = this_cpu();
    struct thread *cur = c->current, *next;

    KASSERT(bkl_held());
    c->need_resched = false;
    if (cur->state == THREAD_RUNNING && cur != c->idle) {
        if (cur->cpu != c->id) {
            sched_ready(cur);           /* its affinity moved it */
        } else {
            cur->state = THREAD_READY;
            enqueue(&rqs[c->id], cur);
        }
    }
    next = dequeue_best(&rqs[c->id]);
    if (!next)
        next = c->idle;
    if (next == cur) {
        cur->state = THREAD_RUNNING;
        return;
    }
    trace_switch(c, cur, next);
    switch_to(c, cur, next);
}

void sched_switch_to(struct thread *next)
{
    struct cpu *c = this_cpu();

    KASSERT(bkl_held() && next != c->current);
    sched_dequeue(next);
    switch_to(c, c->current, next);
}

void sched_timeout_add(struct thread *t)
{
    list_add_tail(&rqs[t->cpu].timeouts, &t->sleep_link);
}

void sched_timeout_del(struct thread *t)
{
    if (list_linked(&t->sleep_link))
        list_del(&t->sleep_link);
}

uint64_t sched_budget_ns(const struct process *p)
{
    const struct quota *q = &p->acct->q;
    uint64_t share = q->limit[QUOTA_CPU] - q->carved[QUOTA_CPU];

    return share * (BUDGET_PERIOD_NS / 1000);
}

void sched_forget_process(struct process *p)
{
    if (list_linked(&p->throttle_link))
        list_del(&p->throttle_link);
    p->throttled = false;
}

/* Charges one tick to the running thread's process; throttles it when its
 * budget for this period is spent. */
static void charge_tick(struct cpu *c, uint64_t period)
{
    struct process *p = c->current->proc;

    if (c->current == c->idle || !p || !p->acct)
        return;
    if (p->cpu_period != period) {
        p->cpu_period = period;
        p->cpu_period_ns = 0;
    }
    p->cpu_ns += 1000000000ull / TIMER_HZ;
    p->cpu_period_ns += 1000000000ull / TIMER_HZ;
    if (!p->throttled && p->cpu_period_ns >= sched_budget_ns(p)) {
        p->throttled = true;
        list_add_tail(&throttled, &p->throttle_link);
        c->need_resched = true;
    }
}

/* A new period: every throttled process runs again. */
static void refill(uint64_t period)
{
    struct list_node *n, *tmp;

    list_for_each_safe(n, tmp, &throttled) {
        struct process *p = container_of(n, struct process, throttle_link);
        if (p->cpu_period == period)
            continue;
        list_del(&p->throttle_link);
        p->throttled = false;
        while (!list_empty(&p->parked)) {
            struct thread *t = container_of(list_first(&p->parked), struct thread, run_link);
            list_del(&t->run_link);
            t->parked = false;
            sched_ready(t);
        }
    }
}

void sched_tick(void)
{
    struct cpu *c = this_cpu();
    struct runqueue *rq = &rqs[c->id];
    struct list_node *n, *tmp;
    uint64_t now = clock_ns(), period = now / BUDGET_PERIOD_NS;

    charge_tick(c, period);
    refill(period);

    list_for_each_safe(n, tmp, &rq->timeouts) {
        struct thread *t = container_of(n, struct thread, sleep_link);
        if (t->deadline_ns && t->deadline_ns <= now)
            thread_wake(t, AE_ERR_TIMEOUT);
    }
    if (c->current != c->idle && rq->slice_left && --rq->slice_left == 0)
        c->need_resched = true;
    if (c->current == c->idle && rq->nready)
        c->need_resched = true;
}

void sched_enter_cpu(void)
{
    fpu_init_cpu();
    syscall_init_cpu();
    sched_init_cpu(this_cpu()->kstack_top);
    bkl_lock();
    sched_idle_loop();
}

void sched_idle_loop(void)
{
    struct cpu *c = this_cpu();

    KASSERT(bkl_held());
    for (;;) {
        if (rqs[c->id].nready) {
            schedule();
            continue;
        }
        bkl_unlock();
        __asm__ volatile("sti; hlt; cli" ::: "memory");
        bkl_lock();
    }
}

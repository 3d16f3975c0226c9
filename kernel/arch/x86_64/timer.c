/* The tick counts, and drives time slices and timeouts once the scheduler
 * runs on the CPU. */
#include "arch/x86_64/timer.h"
#include "arch/x86_64/clock.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/vectors.h"
#include "sched/sched.h"
#include "panic.h"

static void tick(struct trap_frame *f)
{
    struct cpu *c = this_cpu();

    c->ticks++;
    if (c->idle)                /* the scheduler runs on this CPU */
        sched_tick();
}

void timer_init(void)
{
    if (trap_register(VEC_TIMER, tick))
        panic("timer: vector %d taken", VEC_TIMER);
}

void timer_start_cpu(void)
{
    lapic_timer_periodic(clock_lapic_timer_hz(), TIMER_HZ);
}

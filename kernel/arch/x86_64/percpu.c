/*
 * The CPU table. Entries are handed out in start order by the boot CPU (the
 * only writer of ncpus, before the AP it is for runs), so no lock is needed.
 */
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/cpu.h"
#include "lib/string.h"

static struct cpu cpus[MAX_CPUS];
static unsigned ncpus;

void percpu_init_bsp(void)
{
    memset(&cpus[0], 0, sizeof(cpus[0]));
    cpus[0].self = &cpus[0];
    cpus[0].id = 0;
    ncpus = 1;
    percpu_install(&cpus[0]);
}

struct cpu *percpu_alloc(uint32_t apic_id)
{
    struct cpu *c;

    if (ncpus >= MAX_CPUS)
        return NULL;
    c = &cpus[ncpus];
    memset(c, 0, sizeof(*c));
    c->self = c;
    c->id = ncpus;
    c->apic_id = apic_id;
    ncpus++;
    return c;
}

void percpu_install(struct cpu *c)
{
    wrmsr(MSR_GS_BASE, (uint64_t)c);
}

unsigned cpu_count(void)
{
    return ncpus;
}

unsigned cpu_online_count(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < ncpus; i++)
        n += cpus[i].online;
    return n;
}

struct cpu *cpu_get(unsigned id)
{
    return id < ncpus ? &cpus[id] : NULL;
}

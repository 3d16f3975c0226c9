/*
 * AP start-up (INIT-SIPI-SIPI, one CPU at a time) and a minimal cross-CPU
 * call: the caller publishes a function and a generation number and sends a
 * wake-up IPI; each CPU runs the function from its idle loop. One call at a
 * time (call_lock); the scheduler of issue 3 replaces the idle loop.
 */
#include "arch/x86_64/smp.h"
#include "arch/x86_64/clock.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/timer.h"
#include "sched/sched.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/vectors.h"
#include "acpi/acpi_tables.h"
#include "mm/frame.h"
#include "mm/kstack.h"
#include "mm/layout.h"
#include "lib/spinlock.h"
#include "lib/string.h"
#include "aether/errors.h"
#include "panic.h"
#include "log.h"

#define TRAMPOLINE_BASE 0x8000ull
#define AP_START_TIMEOUT_US 5000000ull    /* emulated CPUs on a busy host are slow */
#define CALL_TIMEOUT_US 30000000ull

struct tramp_params {
    uint64_t cr3, stack, entry, cpu, efer_extra;
};

extern const char ap_trampoline_start[], ap_trampoline_end[];
extern const struct tramp_params ap_tramp_params;

static int ap_nmi_lint = -1;
static spinlock_t call_lock = SPINLOCK_INIT;
static void (*volatile call_fn)(void *);
static void *volatile call_arg;
static volatile uint64_t call_gen;
static volatile uint32_t call_done;

static void run_pending_call(uint64_t *seen)
{
    uint64_t gen = __atomic_load_n(&call_gen, __ATOMIC_ACQUIRE);
    if (gen == *seen)
        return;
    *seen = gen;
    call_fn(call_arg);
    __atomic_add_fetch(&call_done, 1, __ATOMIC_RELEASE);
}

void smp_idle(void)
{
    uint64_t seen = 0;

    for (;;) {
        irq_disable();
        if (sched_started())
            sched_enter_cpu();
        run_pending_call(&seen);
        /* sti; hlt is atomic: a wake-up IPI cannot slip in between. */
        __asm__ volatile("sti; hlt" ::: "memory");
    }
}

static void wake_handler(struct trap_frame *f)
{
    struct cpu *c = this_cpu();

    /* Before the scheduler: just ends a hlt (cross-CPU calls). After: a
     * thread was made ready here, or this CPU's thread was killed. */
    if (c->idle)
        c->need_resched = true;
}

static __attribute__((noreturn)) void ap_entry(struct cpu *c)
{
    write_cr3(paging_kernel_cr3());
    percpu_install(c);
    if (gdt_init_cpu(c))
        panic("smp: cpu%u: no memory for its IST stacks", c->id);
    idt_load();
    cpu_features_enable();
    lapic_init_cpu(ap_nmi_lint);
    timer_start_cpu();
    __atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
    log_info("smp: cpu%u (APIC %u) online", c->id, c->apic_id);
    smp_idle();
}

static int build_trampoline_tables(uint64_t *pml4_phys)
{
    uint64_t pdpt, pd;
    const uint64_t *kpml4 = phys_to_virt(paging_kernel_cr3());

    if (frame_alloc_zeroed(pml4_phys) || frame_alloc_zeroed(&pdpt) ||
        frame_alloc_zeroed(&pd))
        return AE_ERR_NOMEM;
    uint64_t *pml4 = phys_to_virt(*pml4_phys);
    memcpy(pml4 + 256, kpml4 + 256, 256 * sizeof(uint64_t));
    pml4[0] = pdpt | PTE_P | PTE_W;
    ((uint64_t *)phys_to_virt(pdpt))[0] = pd | PTE_P | PTE_W;
    ((uint64_t *)phys_to_virt(pd))[0] = PTE_P | PTE_W | PTE_PS;   /* 0-2 MiB */
    return AE_OK;
}

static void free_trampoline_tables(uint64_t pml4_phys)
{
    uint64_t *pml4 = phys_to_virt(pml4_phys);
    uint64_t pdpt = pml4[0] & PTE_ADDR_MASK;
    uint64_t pd = ((uint64_t *)phys_to_virt(pdpt))[0] & PTE_ADDR_MASK;

    frame_free(pd);
    frame_free(pdpt);
    frame_free(pml4_phys);
}

static bool start_one(const struct madt_cpu *mc, uint64_t pml4_phys)
{
    struct cpu *c = percpu_alloc(mc->apic_id);
    struct tramp_params *p;
    uint64_t t0;

    if (!c) {
        log_warn("smp: more than %d CPUs; APIC %u not started", MAX_CPUS, mc->apic_id);
        return false;
    }
    c->kstack_top = kstack_alloc();
    if (!c->kstack_top)
        panic("smp: no memory for cpu%u's stack", c->id);
    p = phys_to_virt(TRAMPOLINE_BASE + ((const char *)&ap_tramp_params - ap_trampoline_start));
    p->cr3 = pml4_phys;
    p->stack = c->kstack_top;
    p->entry = (uint64_t)ap_entry;
    p->cpu = (uint64_t)c;
    p->efer_extra = paging_nx_supported() ? EFER_NXE : 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    lapic_start_ap(mc->apic_id, TRAMPOLINE_BASE >> 12);
    t0 = clock_ns();
    while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE)) {
        if (clock_ns() - t0 > AP_START_TIMEOUT_US * 1000) {
            log_err("smp: CPU with APIC %u did not come online", mc->apic_id);
            return false;       /* its struct cpu stays allocated but offline */
        }
        cpu_relax();
    }
    return true;
}

int smp_nmi_lint(const struct madt_info *m)
{
    for (unsigned i = 0; i < m->nnmis; i++) {
        if (m->nmis[i].acpi_uid == 0xff || m->nmis[i].acpi_uid == 0xffffffff)
            return m->nmis[i].lint <= 1 ? m->nmis[i].lint : -1;
    }
    return -1;
}

unsigned smp_boot_aps(const struct madt_info *m)
{
    uint32_t self = lapic_id();
    unsigned started = 0;
    uint64_t pml4;

    this_cpu()->apic_id = self;
    ap_nmi_lint = smp_nmi_lint(m);
    if (trap_register(VEC_IPI_WAKE, wake_handler))
        panic("smp: wake-up vector taken");
    if (build_trampoline_tables(&pml4))
        panic("smp: no memory for the trampoline page tables");
    memcpy(phys_to_virt(TRAMPOLINE_BASE), ap_trampoline_start,
           (size_t)(ap_trampoline_end - ap_trampoline_start));
    for (unsigned i = 0; i < m->ncpus; i++) {
        if (!m->cpus[i].enabled || m->cpus[i].apic_id == self)
            continue;
        started += start_one(&m->cpus[i], pml4);
    }
    free_trampoline_tables(pml4);
    return started;
}

int smp_run_on_all(void (*fn)(void *), void *arg)
{
    unsigned others = 0;
    uint64_t seen, t0;
    int err = AE_OK;

    spin_lock(&call_lock);
    call_fn = fn;
    call_arg = arg;
    __atomic_store_n(&call_done, 0, __ATOMIC_RELAXED);
    seen = __atomic_add_fetch(&call_gen, 1, __ATOMIC_RELEASE);
    for (unsigned i = 0; i < cpu_count(); i++) {
        struct cpu *c = cpu_get(i);
        if (c != this_cpu() && c->online) {
            lapic_send_ipi(c->apic_id, VEC_IPI_WAKE);
            others++;
        }
    }
    (void)seen;
    fn(arg);
    t0 = clock_ns();
    while (__atomic_load_n(&call_done, __ATOMIC_ACQUIRE) < others) {
        if (clock_ns() - t0 > CALL_TIMEOUT_US * 1000) {
            err = AE_ERR_TIMEOUT;
            break;
        }
        cpu_relax();
    }
    spin_unlock(&call_lock);
    return err;
}

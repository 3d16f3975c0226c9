/*
 * The first CPU to panic owns the console from then on: log.c stops taking
 * its lock, and every other CPU is stopped by NMI (nmi handler: halt when a
 * panic is in progress) before the report is printed, so the report is never
 * interleaved and a lock held by a stopped CPU cannot block it.
 */
#include <stdarg.h>

#include "panic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/qemu_exit.h"
#include "ksyms.h"
#include "lib/fmt.h"
#include "log.h"

#define NO_CPU 0xffffffffu
#define BACKTRACE_MAX 24

static volatile uint32_t panic_cpu = NO_CPU;
static volatile uint32_t cpus_stopped;   /* others that took the panic NMI */
static uint32_t cpus_expected;

/* Bounded wait for the other CPUs to acknowledge the NMI: ~2 s at 4 GHz,
 * counted in TSC ticks since the clock may not be calibrated yet. */
#define STOP_WAIT_TSC 8000000000ull

extern char boot_stack_bottom[];

bool panic_in_progress(void)
{
    return __atomic_load_n(&panic_cpu, __ATOMIC_ACQUIRE) != NO_CPU;
}

bool panic_on_this_cpu(void)
{
    return __atomic_load_n(&panic_cpu, __ATOMIC_ACQUIRE) == this_cpu_id();
}

void panic_begin(void)
{
    uint32_t me, expected = NO_CPU;

    irq_disable();
    me = this_cpu_id();
    if (!__atomic_compare_exchange_n(&panic_cpu, &expected, me, false,
                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        if (expected == me) {
            /* A fault while reporting: the report itself is broken. */
            log_enter_panic();
            kprintf("\n*** nested fault during panic on cpu%u; halting\n", me);
            qemu_exit(QEMU_EXIT_PANIC);
        }
        cpu_halt_forever();     /* the other CPU's report goes out alone */
    }
    log_enter_panic();
    cpus_expected = cpu_online_count() - (this_cpu()->online ? 1 : 0);
    if (cpus_expected && lapic_ready()) {
        uint64_t t0 = rdtsc();
        lapic_send_nmi_all_others();
        while (__atomic_load_n(&cpus_stopped, __ATOMIC_ACQUIRE) < cpus_expected &&
               rdtsc() - t0 < STOP_WAIT_TSC)
            __asm__ volatile("pause");
    }
}

void panic_stop_this_cpu(void)
{
    __atomic_add_fetch(&cpus_stopped, 1, __ATOMIC_RELEASE);
    cpu_halt_forever();
}

void panic_print_symbol(uint64_t addr)
{
    const char *name;
    uint64_t off;

    if (ksym_resolve(addr, &name, &off))
        kprintf("%#018lx <%s+%#lx>", (unsigned long)addr, name, (unsigned long)off);
    else
        kprintf("%#018lx <?>", (unsigned long)addr);
}

static bool frame_readable(uint64_t rbp)
{
    uint64_t lo = (uint64_t)boot_stack_bottom, hi = lo + 16384;

    if (rbp & 7)
        return false;
    if (rbp >= lo && rbp + 16 <= hi)
        return true;
    return paging_translate(rbp, 0, 0) && paging_translate(rbp + 8, 0, 0);
}

void panic_backtrace(uint64_t rbp)
{
    uint64_t last = 0, repeats = 0;

    kprintf("backtrace:\n");
    for (int i = 0; i < BACKTRACE_MAX && rbp; i++) {
        if (!frame_readable(rbp)) {
            kprintf("  (frame pointer %#lx not readable; stopping)\n",
                    (unsigned long)rbp);
            break;
        }
        const uint64_t *frame = (const uint64_t *)rbp;
        if (frame[1] == 0)
            break;
        if (frame[1] == last) {
            repeats++;          /* deep recursion: one line, not dozens */
        } else {
            if (repeats)
                kprintf("  ... same frame %lu more times\n", (unsigned long)repeats);
            repeats = 0;
            kprintf("  #%-2d ", i);
            panic_print_symbol(frame[1]);
            kprintf("\n");
            last = frame[1];
        }
        if (frame[0] <= rbp)    /* stacks grow down: callers are above */
            break;
        rbp = frame[0];
    }
    if (repeats)
        kprintf("  ... same frame %lu more times\n", (unsigned long)repeats);
}

void panic_backtrace_trap(uint64_t rsp, uint64_t rbp)
{
    const char *name;
    uint64_t off;

    /* A leaf function may run without a frame of its own: its caller's
     * return address is then the word at RSP, and the RBP chain skips it. */
    if (frame_readable(rsp) && ksym_resolve(*(const uint64_t *)rsp, &name, &off) &&
        (!frame_readable(rbp) || ((const uint64_t *)rbp)[1] != *(const uint64_t *)rsp)) {
        kprintf("return address at RSP (if the faulting function is a leaf):\n  ?   ");
        panic_print_symbol(*(const uint64_t *)rsp);
        kprintf("\n");
    }
    panic_backtrace(rbp);
}

void panic_end(void)
{
    uint32_t stopped = __atomic_load_n(&cpus_stopped, __ATOMIC_ACQUIRE);
    if (stopped < cpus_expected)
        kprintf("warning: only %u of %u other CPUs acknowledged the stop NMI\n",
                stopped, cpus_expected);
    kprintf("halting all CPUs (%u other CPUs stopped)\n", stopped);
    qemu_exit(QEMU_EXIT_PANIC);
    cpu_halt_forever();
}

void panic(const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    panic_begin();
    va_start(ap, fmt);
    ae_vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    kprintf("\n*** KERNEL PANIC on cpu%u: %s\n", this_cpu_id(), msg);
    kprintf("RIP: ");
    panic_print_symbol((uint64_t)__builtin_return_address(0));
    kprintf(" (caller of panic)\n");
    panic_backtrace(read_rbp());
    panic_end();
}

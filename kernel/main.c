/*
 * Kernel entry and boot sequence. boot.S calls kmain on the boot CPU; each
 * step below depends only on the ones before it. The end of boot is the
 * ready line, which the system tests and the boot benchmark wait for.
 */
#include "acpi/acpi.h"
#include "arch/x86_64/clock.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/pic.h"
#include "arch/x86_64/qemu_exit.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/timer.h"
#include "arch/x86_64/trap.h"
#include "boot/multiboot2.h"
#include "lib/cmdline.h"
#include "lib/stack_protector.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/kstack.h"
#include "mm/layout.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/vectors.h"
#include "proc/init_loader.h"
#include "sched/bkl.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "trace/trace.h"
#include "crashtest.h"
#include "selftest.h"
#include "ksyms.h"
#include "panic.h"
#include "log.h"

static struct boot_info boot_info;

void kmain(uint32_t magic, uint32_t mbi_phys, uint64_t entry_tsc);
static __attribute__((noreturn)) void kmain_late(void);

static void parse_boot_info(uint32_t magic, uint32_t mbi_phys)
{
    const uint32_t *total;
    int err;

    if (magic != MB2_BOOTLOADER_MAGIC)
        panic("boot: not started by a multiboot2 loader (magic %#x)", magic);
    if (mbi_phys == 0 || mbi_phys + 16ull > EARLY_DIRECT_MAP_LIMIT)
        panic("boot: boot information at unusable address %#x", mbi_phys);
    total = phys_to_virt(mbi_phys);
    if (mbi_phys + (uint64_t)*total > EARLY_DIRECT_MAP_LIMIT)
        panic("boot: boot information (%u bytes at %#x) crosses 4 GiB", *total, mbi_phys);
    err = mb2_parse(total, *total, &boot_info);
    if (err)
        panic("boot: malformed multiboot2 information (error %d)", err);
    if (boot_info.mmap_truncated)
        log_warn("boot: memory map truncated to %d entries", MB2_MAX_MMAP);
}

static void apply_cmdline(void)
{
    if (cmdline_has(boot_info.cmdline, "debug_exit"))
        qemu_exit_enable(true);
    if (cmdline_has(boot_info.cmdline, "debug"))
        log_set_level(LOG_DEBUG);
    if (cmdline_has(boot_info.cmdline, "quiet"))
        log_set_level(LOG_WARN);
}

static void log_memory_map(void)
{
    for (size_t i = 0; i < boot_info.nmmap; i++) {
        const struct mem_range *r = &boot_info.mmap[i];
        log_debug("mmap: %#014lx-%#014lx %s", (unsigned long)r->base,
                  (unsigned long)(r->base + r->len), memmap_type_name(r->type));
    }
}

static __attribute__((noreturn)) void switch_stack(uint64_t top, void (*fn)(void))
{
    __asm__ volatile("mov %0, %%rsp\n\t"
                     "xor %%ebp, %%ebp\n\t"
                     "call *%1\n\t"
                     "ud2"
                     : : "r"(top), "r"(fn) : "memory");
    __builtin_unreachable();
}

__attribute__((no_stack_protector, noreturn))
void kmain(uint32_t magic, uint32_t mbi_phys, uint64_t entry_tsc)
{
    uint64_t top;

    stack_protector_init(entry_tsc ^ rdtsc());
    percpu_init_bsp();
    clock_early_init(entry_tsc);
    log_init();
    idt_init();
    idt_load();                 /* from here on, every fault is reported */
    log_info("AetherOS %s (Nexus Core) starting", AETHER_VERSION);
    parse_boot_info(magic, mbi_phys);
    apply_cmdline();
    log_info("boot: loader \"%s\", command line \"%s\"", boot_info.loader,
             boot_info.cmdline);
    log_memory_map();
    frame_init(&boot_info, mbi_phys);
    paging_init(&boot_info);
    kheap_init();
    top = kstack_alloc();
    if (!top)
        panic("boot: no memory for the boot CPU's kernel stack");
    this_cpu()->kstack_top = top;
    switch_stack(top, kmain_late);
}

static void start_interrupts(void)
{
    const struct madt_info *m;

    acpi_init(&boot_info);
    m = acpi_madt();
    if (lapic_map(m->lapic_phys))
        panic("boot: cannot map the local APIC");
    if (m->flags & 1)
        pic_disable();
    lapic_init_cpu(smp_nmi_lint(m));
    if (ioapic_init(m))
        panic("boot: cannot map the I/O APICs");
    clock_calibrate();
    timer_init();
    timer_start_cpu();
    this_cpu()->online = true;
    irq_enable();
}

static void print_ready(void)
{
    uint64_t now = rdtsc(), ticks = now - clock_entry_tsc();
    uint64_t us = clock_ns() / 1000;

    /* The absolute TSC counts from CPU reset (firmware and GRUB included),
     * comparable with a Linux guest's TSC at /init in bench/boot. */
    log_info("boot: entry to ready %lu TSC ticks (%lu.%03lu ms); TSC at ready %lu",
             (unsigned long)ticks, (unsigned long)(us / 1000),
             (unsigned long)(us % 1000), (unsigned long)now);
    log_info("AetherOS %s ready: %u CPUs, %lu MiB free", AETHER_VERSION,
             cpu_online_count(), (unsigned long)(frame_free_count() * 4096 >> 20));
}

/* Loads init and turns every CPU into a scheduler. */
static __attribute__((noreturn)) void start_user_space(void)
{
    struct thread *init;

    uaccess_init(cpu_features()->smap);
    fpu_init_cpu();
    sched_init_queues();
    /* Before init's quota is set: the rings are the kernel's memory. */
    trace_init(cmdline_has(boot_info.cmdline, "trace"));
    irq_disable();              /* the kernel lock is only taken with IF off */
    bkl_lock();
    if (init_load(&boot_info, &init)) {
        bkl_unlock();
        qemu_exit(QEMU_EXIT_FAILURE);
        smp_idle();
    }
    bkl_unlock();
    irq_enable();
    sched_start_aps();
    for (unsigned i = 0; i < cpu_count(); i++)
        if (cpu_get(i) != this_cpu() && cpu_get(i)->online)
            lapic_send_ipi(cpu_get(i)->apic_id, VEC_IPI_WAKE);
    irq_disable();
    fpu_init_cpu();
    syscall_init_cpu();
    sched_init_cpu(this_cpu()->kstack_top);
    bkl_lock();
    thread_start(init);
    kobj_unref(&init->obj);     /* the scheduler's reference keeps it */
    sched_idle_loop();
}

static __attribute__((noreturn)) void kmain_late(void)
{
    char crash[32];
    unsigned aps;

    if (gdt_init_cpu(this_cpu()))
        panic("boot: no memory for the IST stacks");
    cpu_features_detect();
    cpu_features_enable();
    log_info("ksyms: %lu symbols", (unsigned long)ksym_count());
    start_interrupts();
    if (cmdline_has(boot_info.cmdline, "acpidump"))
        acpi_dump();
    aps = smp_boot_aps(acpi_madt());
    log_info("smp: %u of %u enabled CPUs online", aps + 1,
             acpi_madt()->ncpus ? acpi_madt()->ncpus : 1);
    print_ready();
    if (cmdline_get(boot_info.cmdline, "crash", crash, sizeof(crash)) >= 0)
        crashtest_run(crash);
    if (cmdline_has(boot_info.cmdline, "selftest")) {
        int failed = selftest_run();
        qemu_exit(failed ? QEMU_EXIT_FAILURE : QEMU_EXIT_SUCCESS);
    }
    if (boot_info.nmodules == 0) {
        log_info("boot: no init module; the kernel idles");
        qemu_exit(QEMU_EXIT_SUCCESS);
        smp_idle();
    }
    start_user_space();
    smp_idle();
}

/*
 * Trap dispatch. Every CPU exception in the kernel is fatal at this stage
 * and produces a full report; issue 3 routes user-mode faults to the
 * faulting process's fault endpoint instead. NMIs halt the CPU while a panic
 * is in progress (that is how panic stops the other CPUs).
 */
#include <stddef.h>

#include "arch/x86_64/trap.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/vectors.h"
#include "mm/kstack.h"
#include "cap/cap.h"
#include "ipc/endpoint.h"
#include "proc/process.h"
#include "sched/bkl.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "vm/aspace.h"
#include "vm/tlb.h"
#include "trace/trace_points.h"
#include "aether/ipc.h"
#include "aether/errors.h"
#include "panic.h"
#include "log.h"

#define IDT_INTERRUPT_GATE 0x8e

struct idt_gate {
    uint16_t off_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t off_mid;
    uint32_t off_hi;
    uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate is 16 bytes");

extern const uint64_t isr_stub_table[256];

static struct idt_gate idt[256] __attribute__((aligned(16)));
static trap_handler_t handlers[256];
static volatile uint64_t spurious_count;

static const char *const exception_names[32] = {
    "#DE Divide Error", "#DB Debug", "NMI Non-Maskable Interrupt",
    "#BP Breakpoint", "#OF Overflow", "#BR Bound Range Exceeded",
    "#UD Invalid Opcode", "#NM Device Not Available", "#DF Double Fault",
    "Coprocessor Segment Overrun", "#TS Invalid TSS",
    "#NP Segment Not Present", "#SS Stack-Segment Fault",
    "#GP General Protection Fault", "#PF Page Fault", "Reserved (15)",
    "#MF x87 Floating-Point Error", "#AC Alignment Check",
    "#MC Machine Check", "#XM SIMD Floating-Point Exception",
    "#VE Virtualization Exception", "#CP Control Protection Exception",
    "Reserved (22)", "Reserved (23)", "Reserved (24)", "Reserved (25)",
    "Reserved (26)", "Reserved (27)", "#HV Hypervisor Injection",
    "#VC VMM Communication", "#SX Security Exception", "Reserved (31)",
};

const char *trap_exception_name(uint64_t vector)
{
    return vector < 32 ? exception_names[vector] : "interrupt";
}

static void set_gate(int vec, uint64_t handler, uint8_t ist)
{
    idt[vec] = (struct idt_gate){
        .off_lo = handler & 0xffff,
        .selector = GDT_KCODE,
        .ist = ist,
        .type_attr = IDT_INTERRUPT_GATE,
        .off_mid = (handler >> 16) & 0xffff,
        .off_hi = handler >> 32,
    };
}

void idt_init(void)
{
    for (int v = 0; v < 256; v++)
        set_gate(v, isr_stub_table[v], 0);
    /* Faults that may hit with a broken stack get stacks of their own. */
    idt[8].ist = IST_DOUBLE_FAULT;
    idt[2].ist = IST_NMI;
    idt[18].ist = IST_MACHINE_CHECK;
}

void idt_load(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) r = {sizeof(idt) - 1, (uint64_t)idt};
    __asm__ volatile("lidt %0" : : "m"(r));
}

int trap_register(uint8_t vector, trap_handler_t h)
{
    if (vector < 32 || !h)
        return AE_ERR_INVAL;
    if (!__sync_bool_compare_and_swap(&handlers[vector], NULL, h))
        return AE_ERR_BUSY;
    return AE_OK;
}

static void describe_error(const struct trap_frame *f)
{
    kprintf("error code: %#lx", (unsigned long)f->error);
    if (f->vector == 14) {
        kprintf(" (%s, %s, %s mode%s%s)",
                f->error & 2 ? "write" : "read",
                f->error & 1 ? "protection violation" : "page not present",
                f->error & 4 ? "user" : "kernel",
                f->error & 8 ? ", reserved bit set" : "",
                f->error & 16 ? ", instruction fetch" : "");
    } else if ((f->vector == 13 || f->vector == 10 || f->vector == 11 ||
                f->vector == 12) && f->error) {
        kprintf(" (%s selector index %lu)",
                (f->error >> 1 & 3) == 1 ? "IDT" : (f->error & 4 ? "LDT" : "GDT"),
                (unsigned long)(f->error >> 3));
    }
    kprintf("\n");
}

static void dump_registers(const struct trap_frame *f)
{
    kprintf("RAX=%016lx RBX=%016lx RCX=%016lx RDX=%016lx\n",
            f->rax, f->rbx, f->rcx, f->rdx);
    kprintf("RSI=%016lx RDI=%016lx RBP=%016lx RSP=%016lx\n",
            f->rsi, f->rdi, f->rbp, f->rsp);
    kprintf("R8 =%016lx R9 =%016lx R10=%016lx R11=%016lx\n",
            f->r8, f->r9, f->r10, f->r11);
    kprintf("R12=%016lx R13=%016lx R14=%016lx R15=%016lx\n",
            f->r12, f->r13, f->r14, f->r15);
    kprintf("RFLAGS=%016lx CS=%04lx SS=%04lx\n", f->rflags, f->cs, f->ss);
    kprintf("CR0=%016lx CR3=%016lx CR4=%016lx\n",
            read_cr0(), read_cr3(), read_cr4());
}

static __attribute__((noreturn)) void exception_report(struct trap_frame *f)
{
    uint64_t cr2 = read_cr2();

    panic_begin();
    kprintf("\n*** KERNEL PANIC on cpu%u: exception %s (vector %lu)\n",
            this_cpu_id(), exception_names[f->vector], (unsigned long)f->vector);
    describe_error(f);
    kprintf("RIP: ");
    panic_print_symbol(f->rip);
    kprintf("\nCR2: %#018lx%s\n", cr2,
            f->vector == 14 ? " (faulting address)" : "");
    if (f->vector == 14 && kstack_is_guard(cr2))
        kprintf("note: the faulting address is a kernel stack guard page: "
                "kernel stack overflow\n");
    if (f->vector == 8 && kstack_is_guard(f->rsp))
        kprintf("note: RSP is in a kernel stack guard page: kernel stack overflow\n");
    dump_registers(f);
    panic_backtrace_trap(f->rsp, f->rbp);
    panic_end();
}

/* A stack overflow runs off the bottom of mapped memory near the stack
 * pointer (a push, a call, a large frame whose stores land above the new
 * RSP): the fault is within 64 KiB of RSP and mapped memory (the stack)
 * starts within 64 KiB above it. A stray access past the top of the stack
 * has nothing mapped above it, so it is a plain page fault. */
static bool looks_like_stack_overflow(struct process *p, uint64_t cr2, uint64_t rsp)
{
    if (cr2 + 65536 < rsp || cr2 >= rsp + 65536)
        return false;
    for (uint64_t up = 4096; up <= 65536; up += 4096)
        if (aspace_lookup(&p->as, (cr2 & ~4095ull) + up, NULL, NULL))
            return true;
    return false;
}

/* A fault in user mode: reported to the process's fault endpoint, and the
 * process (only it) is killed. Nothing here can panic the kernel. */
static void user_fault(struct trap_frame *f)
{
    struct process *p = process_current();
    uint64_t cr2 = read_cr2(), reason, addr = cr2;

    switch (f->vector) {
    case 14:
        reason = looks_like_stack_overflow(p, cr2, f->rsp) ? AE_FAULT_STACK
                                                           : AE_FAULT_PAGE;
        break;
    case 13: reason = AE_FAULT_GP; addr = f->error; break;
    case 6: reason = AE_FAULT_UD; addr = f->rip; break;
    case 0: reason = AE_FAULT_DE; addr = f->rip; break;
    default: reason = AE_FAULT_OTHER; addr = f->vector; break;
    }
    uint64_t words[4] = {reason, addr, f->rip, p->pid};
    if (f->vector == 14)
        trace_page_fault(p, cr2, f->rip, f->error, true);
    trace_proc_fault(p, reason, addr, f->rip);
    log_warn("fault: process %lu (%s) %s at rip %#lx, address %#lx: killed",
             (unsigned long)p->pid, p->name, exception_names[f->vector],
             (unsigned long)f->rip, (unsigned long)addr);
    if (p->fault_cap && !p->fault_cap->revoked)
        ipc_post_fault(p->fault_cap->obj, p->fault_badge, words);
    process_kill(p, AE_ERR_FAULT);
}

_Static_assert(SYSCALL_VECTOR == TRAP_VECTOR_SYSCALL, "one vector marks system calls");

/* Neither sysretq nor iretq may leave for a non-canonical RIP: both fault
 * in ring 0 after swapgs (sysretq on Intel; iretq everywhere). What the
 * process would see on a CPU that faults in ring 3, and what it sees for a
 * jump there, is a #GP at that RIP: report that and kill it. */
void trap_syscall_bad_return(struct trap_frame *f)
{
    bkl_lock();
    f->vector = 13;
    f->error = 0;
    user_fault(f);
    kernel_exit_to_user();      /* the kill takes this thread */
    panic("syscall return to non-canonical rip %#lx", (unsigned long)f->rip);
}

void trap_dispatch(struct trap_frame *f)
{
    bool from_user = (f->cs & 3) == 3, took;
    struct cpu *c;
    uint64_t resume;

    if (f->vector == 2 && panic_in_progress() && !panic_on_this_cpu())
        panic_stop_this_cpu();  /* stopped by the panicking CPU */
    if (f->vector == VEC_IPI_TLB) {
        trace_irq(f->vector);
        tlb_service_requests(); /* never takes the kernel lock */
        lapic_eoi();
        return;
    }
    if (f->vector < 32 && !from_user) {
        if (f->vector == 14 && uaccess_fixup(f->rip, &resume)) {
            trace_page_fault(process_current(), read_cr2(), f->rip, f->error, false);
            f->rip = resume;    /* a bad user pointer: the copy fails */
            return;
        }
        exception_report(f);
    }
    took = !bkl_held();
    if (took)
        bkl_lock();
    if (f->vector < 32) {
        user_fault(f);
    } else if (f->vector == VEC_SPURIOUS) {
        spurious_count++;       /* spurious interrupts take no EOI */
    } else {
        if (f->vector != VEC_TIMER)
            trace_irq(f->vector);   /* not the 1 kHz tick: it would flood the rings */
        if (handlers[f->vector])
            handlers[f->vector](f);
        else
            log_warn("trap: unexpected interrupt vector %lu", (unsigned long)f->vector);
        lapic_eoi();
    }
    if (from_user) {
        kernel_exit_to_user();
        return;
    }
    c = this_cpu();
    if (c->idle && c->current == c->idle && c->need_resched)
        schedule();
    if (took)
        bkl_unlock();
}

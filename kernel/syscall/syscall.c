/*
 * Entry from `syscall` (syscall_entry.S): take the kernel lock, decode the
 * first handle against the table, run the call, leave through
 * kernel_exit_to_user. MSRs: STAR holds the kernel and user selectors,
 * LSTAR the entry point, FMASK clears IF, DF, TF, AC and NT on entry.
 */
#include "syscall/syscall.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/percpu.h"
#include "cap/handles.h"
#include "proc/process.h"
#include "sched/bkl.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "aether/errors.h"

#define RFLAGS_TF (1ull << 8)
#define RFLAGS_DF (1ull << 10)
#define RFLAGS_NT (1ull << 14)
#define RFLAGS_AC (1ull << 18)

extern char syscall_entry[];

static const struct {
    int64_t (*fn)(struct trap_frame *, struct cap *);
    uint32_t type;
    uint32_t rights;
    const char *name;
} table[AE_SYS_COUNT] = {
#define AE_X_ENTRY(num, name, type, rights, stub, params, args) [num] = {sys_##name, type, rights, #name},
    AE_SYSCALL_LIST(AE_X_ENTRY)
#undef AE_X_ENTRY
};

void syscall_init_cpu(void)
{
    /* syscall loads CS/SS from STAR[47:32], sysretq from STAR[63:48]
     * (gdt.h checks the layout). */
    wrmsr(MSR_STAR, ((uint64_t)GDT_SYSRET_BASE << 48) | ((uint64_t)GDT_KCODE << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    /* NT too: iretq with NT set is a #GP in long mode, and the user may
     * set NT with popfq. */
    wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_DF | RFLAGS_TF | RFLAGS_AC | RFLAGS_NT);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

const char *syscall_name(uint64_t nr)
{
    return nr < AE_SYS_COUNT && table[nr].name ? table[nr].name : "?";
}

void kernel_exit_to_user(void)
{
    for (;;) {
        struct cpu *c = this_cpu();
        if (c->current->killed)
            thread_exit_current(c->current->exit_code);
        if (!c->need_resched)
            break;
        schedule();
    }
    bkl_unlock();
}

void syscall_dispatch(struct trap_frame *f)
{
    uint64_t nr = f->rax;
    struct cap *c = NULL;
    int64_t ret;

    bkl_lock();
    /* Killed while in user mode, before the IPI arrived: exit now, before
     * the call could block and never see the kill. */
    if (this_cpu()->current->killed) {
        kernel_exit_to_user();
        return;
    }
    if (nr >= AE_SYS_COUNT || !table[nr].fn) {
        ret = AE_ERR_UNSUPPORTED;
    } else {
        ret = AE_OK;
        if (table[nr].type != AE_OBJ_NONE && f->rdi > UINT32_MAX)
            ret = AE_ERR_BAD_HANDLE;
        else if (table[nr].type != AE_OBJ_NONE)
            ret = handle_get(process_current(), (ae_handle_t)f->rdi, table[nr].type,
                             table[nr].rights, &c);
        if (ret == AE_OK)
            ret = table[nr].fn(f, c);
    }
    f->rax = (uint64_t)ret;
    kernel_exit_to_user();
}

/*
 * System call dispatch. The table is built from AE_SYSCALL_LIST: for each
 * call the implementation sys_NAME, the type of its first handle and the
 * rights it needs, checked here before the implementation runs.
 */
#ifndef KERNEL_SYSCALL_SYSCALL_H
#define KERNEL_SYSCALL_SYSCALL_H

#include <stdint.h>

#include "aether/syscalls.h"
#include "arch/x86_64/trap.h"

struct cap;

#define SYSCALL_VECTOR 0x100    /* trap_frame.vector of a system call */

#define AE_X_DECL(num, name, type, rights, stub, params, args) \
    int64_t sys_##name(struct trap_frame *f, struct cap *c);
AE_SYSCALL_LIST(AE_X_DECL)
#undef AE_X_DECL

void syscall_init_cpu(void);
void syscall_dispatch(struct trap_frame *f);
/* Common exit to user mode: pending kills, reschedule, release the lock. */
void kernel_exit_to_user(void);
const char *syscall_name(uint64_t nr);

#endif

/*
 * /true of the IPC benchmark image: the tiny static program linuxbench.c
 * fork+execs. No libc, no start-up code: exit_group(0) at the entry point,
 * so fork_exec_wait measures the kernel's work, not glibc's initialisation.
 * Built with: gcc -static -nostdlib -O2 (see build.sh).
 */
void _start(void) __attribute__((noreturn));

void _start(void)
{
    __asm__ volatile("syscall" : : "a"(231), "D"(0) : "rcx", "r11", "memory");
    __builtin_unreachable();
}

/*
 * /tsc of the IPC benchmark image: what linuxbench.c's fork_exec_to_main
 * fork+execs. No libc, no start-up code: its first act at the entry point is
 * rdtsc; it writes the 8-byte value to fd TSC_FD (a pipe the parent set up)
 * and calls exit_group(0). Built with: gcc -static -nostdlib -O2 (build.sh).
 */
#define TSC_FD 10     /* linuxbench.c's SPAWN_TSC_FD */

void _start(void) __attribute__((noreturn));

void _start(void)
{
    unsigned int lo, hi;
    unsigned long long tsc;
    long r;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    tsc = ((unsigned long long)hi << 32) | lo;
    __asm__ volatile("syscall" : "=a"(r) : "a"(1), "D"(TSC_FD), "S"(&tsc), "d"(8)
                     : "rcx", "r11", "memory");
    __asm__ volatile("syscall" : : "a"(231), "D"(r == 8 ? 0 : 1) : "rcx", "r11", "memory");
    __builtin_unreachable();
}

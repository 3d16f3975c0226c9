/*
 * /init of the reference Linux guest's IPC benchmark image
 * (build/linux-ref/ipcbench.cpio.gz, booted by bench/ipc/run.sh): the Linux
 * counterpart of user/ipcbench. The boot benchmark's /init (init.c) and its
 * initramfs are not touched.
 *
 * Each figure is a TSC delta read with rdtsc around ONE iteration; for each
 * measurement it prints
 *
 *     linuxbench: <name> median=<cycles> min=<cycles> n=<iterations> mean=<> p99=<> max=<>
 *
 * (median = element n/2 of the sorted deltas, p99 element n*99/100, mean
 * truncated: as in user/ipcbench/stats.c),
 * then "linuxbench: done", and powers the machine off.
 *
 * With one CPU (the -icount run):
 *   rdtsc_overhead     two back-to-back rdtsc
 *   getppid            the null system call (glibc's wrapper: a real syscall,
 *                      not cached)
 *   pipe_pingpong      fork; two pipes; the parent writes 1 byte to the
 *                      child, which writes it back: the round trip
 *   futex_pingpong     two threads (one process) waking each other through
 *                      two futex words: the counterpart of notify_pingpong
 *   mmap_munmap_4k     mmap(4 KiB, MAP_POPULATE) + munmap: map_unmap_4k's
 *                      counterpart (AetherOS maps eagerly too)
 *   memcpy_1m          glibc memcpy of 1 MiB between two touched buffers
 *   fork_exec_wait     fork + execve("/true") + waitpid, where /true
 *                      (true.c) is static, without libc: exit(0) at _start
 *   fork_exec_to_main  fork + execve("/tsc") to the first instruction of
 *                      /tsc (tsc.c: static, no libc, rdtsc at _start, written
 *                      to a pipe); ipcbench's elf_spawn_to_main
 * With two or more CPUs (the -smp 2 run, indicative): pipe_pingpong with
 * both processes pinned to CPU 0 (smp_pipe_pingpong_same_cpu) and to CPUs 0
 * and 1 (smp_pipe_pingpong_cross_cpu).
 *
 * Built with: gcc -static -O2 -pthread (see build.sh). Uses only libc.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "console.h"

#define N_CHEAP 100000u
#define N_MEMCPY 200u
#define N_SPAWN 200u
#define N_ELF_SPAWN 1000u
#define N_SMP 10000u
#define WARMUP 100u
#define MIB (1024 * 1024ul)

static uint64_t *samples;
static int con = 1;

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

static void say(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (n > (int)sizeof(line) - 2)
        n = (int)sizeof(line) - 2;
    line[n++] = '\n';
    for (const char *p = line; n > 0;) {
        ssize_t w = write(con, p, (size_t)n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        p += w;
        n -= (int)w;
    }
}

static void power_off(void)
{
    sync();
    reboot(RB_POWER_OFF);
    for (;;)
        pause();        /* init must never exit: the kernel would panic */
}

static void fail(const char *what)
{
    say("linuxbench: error: %s: %s", what, strerror(errno));
    power_off();
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *name, unsigned n)
{
    uint64_t sum = 0;

    for (unsigned i = 0; i < n; i++)
        sum += samples[i];
    qsort(samples, n, sizeof(*samples), cmp_u64);
    say("linuxbench: %s median=%llu min=%llu n=%u mean=%llu p99=%llu max=%llu", name,
        (unsigned long long)samples[n / 2], (unsigned long long)samples[0], n,
        (unsigned long long)(sum / n), (unsigned long long)samples[(uint64_t)n * 99 / 100],
        (unsigned long long)samples[n - 1]);
}

static void pin(pid_t pid, int cpu)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(pid, sizeof(set), &set) < 0)
        fail("sched_setaffinity");
}

/* ---- measurements ---- */

static void bench_rdtsc(void)
{
    for (unsigned i = 0; i < N_CHEAP; i++) {
        uint64_t t0 = rdtsc(), t1 = rdtsc();
        samples[i] = t1 - t0;
    }
    report("rdtsc_overhead", N_CHEAP);
}

static void bench_getppid(void)
{
    for (unsigned i = 0; i < N_CHEAP; i++) {
        uint64_t t0 = rdtsc();
        getppid();
        samples[i] = rdtsc() - t0;
    }
    report("getppid", N_CHEAP);
}

/* Pipe round trips with a forked echo child; cpus < 0: not pinned. */
static void bench_pipe(const char *name, unsigned n, int parent_cpu, int child_cpu)
{
    int to_child[2], to_parent[2], status;
    char c = 'x';
    pid_t pid;

    if (pipe(to_child) < 0 || pipe(to_parent) < 0)
        fail("pipe");
    if (parent_cpu >= 0)
        pin(0, parent_cpu);
    pid = fork();
    if (pid < 0)
        fail("fork");
    if (pid == 0) {
        if (child_cpu >= 0)
            pin(0, child_cpu);
        while (read(to_child[0], &c, 1) == 1 && c != 'q')
            if (write(to_parent[1], &c, 1) != 1)
                _exit(2);
        _exit(c == 'q' ? 0 : 1);
    }
    for (unsigned i = 0; i < WARMUP + n; i++) {
        uint64_t t0 = rdtsc();
        if (write(to_child[1], &c, 1) != 1 || read(to_parent[0], &c, 1) != 1)
            fail("pipe round trip");
        uint64_t t1 = rdtsc();
        if (i >= WARMUP)
            samples[i - WARMUP] = t1 - t0;
    }
    c = 'q';
    if (write(to_child[1], &c, 1) != 1 || waitpid(pid, &status, 0) != pid ||
        !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail("pipe child");
    close(to_child[0]);
    close(to_child[1]);
    close(to_parent[0]);
    close(to_parent[1]);
    report(name, n);
}

static int fut[2];

static void futex_wait(int *w)
{
    while (__atomic_load_n(w, __ATOMIC_ACQUIRE) == 0)
        syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}

static void futex_post(int *w, int v)
{
    __atomic_store_n(w, v, __ATOMIC_RELEASE);
    syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *futex_partner(void *arg __attribute__((unused)))
{
    for (;;) {
        futex_wait(&fut[0]);
        int v = __atomic_exchange_n(&fut[0], 0, __ATOMIC_ACQ_REL);
        if (v == 2)
            return NULL;
        futex_post(&fut[1], 1);
    }
}

static void bench_futex(void)
{
    pthread_t t;

    if (pthread_create(&t, NULL, futex_partner, NULL) != 0)
        fail("pthread_create");
    for (unsigned i = 0; i < WARMUP + N_CHEAP; i++) {
        uint64_t t0 = rdtsc();
        futex_post(&fut[0], 1);
        futex_wait(&fut[1]);
        __atomic_store_n(&fut[1], 0, __ATOMIC_RELEASE);
        uint64_t t1 = rdtsc();
        if (i >= WARMUP)
            samples[i - WARMUP] = t1 - t0;
    }
    futex_post(&fut[0], 2);
    pthread_join(t, NULL);
    report("futex_pingpong", N_CHEAP);
}

static void bench_mmap(void)
{
    for (unsigned i = 0; i < WARMUP + N_CHEAP; i++) {
        uint64_t t0 = rdtsc();
        void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
        if (p == MAP_FAILED || munmap(p, 4096) < 0)
            fail("mmap/munmap");
        uint64_t t1 = rdtsc();
        if (i >= WARMUP)
            samples[i - WARMUP] = t1 - t0;
    }
    report("mmap_munmap_4k", N_CHEAP);
}

static void bench_memcpy(void)
{
    char *src = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *dst = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (src == MAP_FAILED || dst == MAP_FAILED)
        fail("mmap");
    for (size_t i = 0; i < MIB; i++)
        src[i] = (char)(i * 7);
    memset(dst, 0, MIB);
    for (unsigned i = 0; i < N_MEMCPY; i++) {
        uint64_t t0 = rdtsc();
        memcpy(dst, src, MIB);
        __asm__ volatile("" : : "r"(dst) : "memory");
        uint64_t t1 = rdtsc();
        samples[i] = t1 - t0;
    }
    if (memcmp(dst, src, MIB) != 0) {
        errno = EIO;
        fail("memcpy result");
    }
    report("memcpy_1m", N_MEMCPY);
    munmap(src, MIB);
    munmap(dst, MIB);
}

/* fork + execve(path) with no arguments and no environment: the child's pid. */
static inline pid_t fork_exec(char *path)
{
    char *const argv[] = {path, NULL};
    static char *const envp[] = {NULL};
    pid_t pid = fork();

    if (pid < 0)
        fail("fork");
    if (pid == 0) {
        execve(path, argv, envp);
        _exit(127);
    }
    return pid;
}

/* waitpid(pid); fails unless the child exited with status 0. */
static inline void reap(pid_t pid, const char *what)
{
    int status;

    if (waitpid(pid, &status, 0) != pid)
        fail("waitpid");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        errno = ECHILD;
        fail(what);
    }
}

static void bench_spawn(void)
{
    for (unsigned i = 0; i < 1 + N_SPAWN; i++) {
        uint64_t t0 = rdtsc();
        reap(fork_exec("/true"), "/true's status");
        uint64_t t1 = rdtsc();
        if (i >= 1)
            samples[i - 1] = t1 - t0;
    }
    report("fork_exec_wait", N_SPAWN);
}

/* fork + execve("/tsc") to the first instruction of the new program: /tsc
 * (tsc.c) reads the TSC at its entry point and writes it to SPAWN_TSC_FD. */
#define SPAWN_TSC_FD 10

static void bench_spawn_to_main(void)
{
    int p[2];

    if (pipe2(p, O_CLOEXEC) || dup2(p[1], SPAWN_TSC_FD) != SPAWN_TSC_FD)
        fail("pipe for /tsc");
    close(p[1]);
    for (unsigned i = 0; i < WARMUP + N_ELF_SPAWN; i++) {
        uint64_t at_main;
        uint64_t t0 = rdtsc();
        pid_t pid = fork_exec("/tsc");
        if (read(p[0], &at_main, sizeof(at_main)) != sizeof(at_main))
            fail("read /tsc's TSC");
        reap(pid, "/tsc's status");
        if (i >= WARMUP)
            samples[i - WARMUP] = at_main - t0;
    }
    report("fork_exec_to_main", N_ELF_SPAWN);
    close(p[0]);
    close(SPAWN_TSC_FD);
}

int main(void)
{
    long ncpus = sysconf(_SC_NPROCESSORS_ONLN);

    con = open_console();
    say("linuxbench: start: %ld CPUs", ncpus);
    samples = mmap(NULL, N_CHEAP * sizeof(uint64_t), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (samples == MAP_FAILED)
        fail("mmap samples");
    if (ncpus >= 2) {
        bench_pipe("smp_pipe_pingpong_same_cpu", N_SMP, 0, 0);
        bench_pipe("smp_pipe_pingpong_cross_cpu", N_SMP, 0, 1);
    } else {
        bench_rdtsc();
        bench_getppid();
        bench_pipe("pipe_pingpong", N_CHEAP, -1, -1);
        bench_futex();
        bench_mmap();
        bench_memcpy();
        bench_spawn();
        bench_spawn_to_main();
    }
    say("linuxbench: done");
    power_off();
    return 0;
}

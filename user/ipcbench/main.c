/*
 * ipcbench: micro-benchmarks of the Nexus Core's primitives, run as init of
 * the "ipcbench" test image (bench/ipc/run.sh boots it; bench/README.md).
 *
 * Every figure is a TSC delta read with rdtsc around ONE iteration (no
 * batching: under QEMU's -icount the TSC advances one tick per instruction,
 * so even a single system call is timed exactly). For each measurement it
 * prints
 *
 *     ipcbench: <name> median=<cycles> min=<cycles> n=<iterations> mean=.. p99=.. max=..
 *
 * then "ipcbench: done", and returns 0 (init's exit ends QEMU in a test
 * image). On a failure it prints "ipcbench: error: ..." and exits with 1.
 *
 * With one CPU it runs the main suite; with two or more (the -smp 2 run) only
 * the call round trip between processes pinned to the same CPU and to
 * different CPUs (smp_* names).
 *
 *   rdtsc_overhead     two back-to-back rdtsc: included in every figure below
 *   null_syscall       a system call with an unknown number (0x7fff): the
 *                      cheapest full kernel entry and exit (lock, dispatch
 *                      refuses it with AE_ERR_UNSUPPORTED, unlock, iretq)
 *   yield              ae_yield() with no other thread ready
 *   ipc_call_xproc     ae_call -> server in another process (ae_reply_recv
 *                      loop) -> reply: the round trip, 0 handles
 *   ipc_call_xproc_traced  the same with kernel tracing on (trace_ctl on the
 *                      boot info's TraceBuf handle): every round trip writes its
 *                      CALL, RECV, REPLY and context-switch records
 *   ipc_call_xthread   the same with the server a thread of this process
 *   notify_pingpong    signal notification A, wait on B; a second thread
 *                      waits on A and signals B (two threads, one process)
 *   vmo_move_4k/1m     ae_call carrying a mapped 4 KiB / 1 MiB VMO without
 *                      AE_MSG_SHARE (MOVE: unmapped from this process, charge
 *                      moved) to the server, which replies with it (MOVE
 *                      back). The client maps it again before the next
 *                      iteration, outside the timed window. The buffer sits
 *                      next to a page that stays mapped (IB_MOVE_VA), so its
 *                      page tables stay: a buffer in a used region.
 *   vmo_move_4k_lone   the same, the 4 KiB buffer alone in its 512 GiB slot:
 *                      each MOVE also frees its PT, PD and PDPT (the kernel
 *                      checks each for emptiness by scanning 512 entries) and
 *                      each re-map (untimed) allocates them again
 *   vmo_move_1m_map    the whole hand-over of a mapped 1 MiB buffer and back:
 *                      map here + call (MOVE, unmap here) + the server maps it
 *                      (next to a page of its own) + reply (MOVE back, unmap
 *                      there), all timed
 *   memcpy_1m          memcpy (common/string.c: rep movsb) of 1 MiB between
 *                      two mapped buffers. Under -icount every iteration of
 *                      rep movsb counts as one instruction (1 per byte), so
 *                      this figure says little about real hardware, where
 *                      rep movsb copies tens of bytes per cycle; hence also
 *   memcpy_1m_sse2     the same copy as a loop of 16-byte SSE2 moves, 64
 *                      bytes per iteration (AVX is not available: the kernel
 *                      does not enable XSAVE state)
 *   map_unmap_4k       ae_vmo_map + ae_vmo_unmap of one page (next to a page
 *                      that stays mapped, so no page table is freed)
 *   process_spawn      ae_spawn (process_create, shared text, data snapshot,
 *                      stack, thread_create/start) + the child's exit +
 *                      ae_spawn_wait (process_wait, handle_close)
 *   elf_spawn_to_main  a V-Node's start, as init's vnode_start does it:
 *                      process_create + ae_elf_load (a tiny ELF, user/spawnee,
 *                      with a one-page info object) + thread_create +
 *                      thread_start, from the request to the first
 *                      instruction of the child's main (its rdtsc, sent back
 *                      as its exit status)
 *   elf_spawn_wait     the same from the request to the child's exit +
 *                      process_wait + handle_close
 */
#include "ipcbench.h"
#include "elf_load.h"
#include "spawn.h"
#include "user/spawnee/spawnee.h"

#define N_CHEAP 100000u
#define N_MOVE_1M 10000u
#define N_MEMCPY 200u
#define N_SPAWN 200u
#define N_ELF_SPAWN 1000u
#define N_SMP 10000u
#define WARMUP 100u

#define NULL_SYSCALL_NR 0x7fffu
#define MIB (1024 * 1024ull)
#define THREAD_STACK 65536ull

enum { L_ECHO = 1, L_MOVE, L_MOVE_MAP, L_EXIT };

static ae_handle_t self, trace;
/* The server's CPU share is set in main to half of init's: the kernel holds
 * a process back for the rest of a 100 ms period once it has used its share
 * (shares cannot be oversubscribed, and a ping-pong keeps both processes
 * about equally busy). */
static struct ae_quota_limits server_limits = {1024, 64, 8, 500};

/* ---- the server: same code as a thread here or as a child process ---- */

static int64_t serve(ae_handle_t ep)
{
    struct ae_msg m = {0};
    int64_t r = ae_ipc_recv(ep, &m);

    for (; r == AE_OK; r = ae_ipc_reply_recv(ep, &m)) {
        switch (AE_MSG_LABEL(m.info)) {
        case L_MOVE:            /* send the VMO straight back (MOVE) */
            m.info = AE_MSG_INFO(L_MOVE, 1);
            break;
        case L_MOVE_MAP:        /* map it here, then send it back (MOVE unmaps it) */
            m.w[1] = (uint64_t)ae_vmo_map(m.h[0], 0, IB_MOVE_BUF_VA, 0, m.w[0],
                                          AE_PROT_READ | AE_PROT_WRITE);
            m.info = AE_MSG_INFO(L_MOVE_MAP, 1);
            break;
        case L_EXIT:
            m.info = AE_MSG_INFO(L_EXIT, 0);
            return ae_ipc_reply(&m);
        default:
            m.info = AE_MSG_INFO(L_ECHO, 0);
            break;
        }
    }
    return r;
}

static int64_t server_process(uint64_t arg)
{
    /* A page that stays mapped next to where L_MOVE_MAP maps the buffer. */
    int64_t keep = ae_vmo_create(4096, 0);

    if (keep < 0 || ae_vmo_map((ae_handle_t)keep, 0, IB_MOVE_VA, 0, 4096, AE_PROT_READ))
        return 90;
    ae_handle_close((ae_handle_t)keep);
    return serve(ae_spawn_handle(0));
}

static void server_thread(void *ep)
{
    serve((ae_handle_t)(uintptr_t)ep);
}

/* A child process serving a copy of ep (RECV); cpu < 0: not pinned. */
static ae_handle_t start_server_process(ae_handle_t ep, int cpu)
{
    struct ae_spawn_opts o = {.name = "ipcserver", .limits = &server_limits, .ngive = 1};
    int64_t recv = ae_handle_derive(ep, AE_RIGHT_RECV | AE_RIGHT_GRANT, 0, 0), p;
    ae_handle_t give;

    if (recv < 0)
        ib_fail("handle_derive", recv);
    give = (ae_handle_t)recv;
    o.give = &give;
    if (cpu >= 0) {
        o.flags = AE_SPAWN_PIN_CPU;
        o.cpu = (unsigned)cpu;
    }
    p = ae_spawn(self, server_process, 0, &o, NULL);
    if (p < 0)
        ib_fail("ae_spawn(server)", p);
    return (ae_handle_t)p;
}

static void stop_server(ae_handle_t ep)
{
    struct ae_msg m = {.info = AE_MSG_INFO(L_EXIT, 0)};
    int64_t r = ae_ipc_call(ep, &m);

    if (r != AE_OK)
        ib_fail("call(exit)", r);
}

static void wait_process(ae_handle_t p, const char *what)
{
    int64_t r = ae_spawn_wait(p, AE_WAIT_FOREVER);

    if (r != 0)
        ib_fail(what, r);
}

/* A thread of this process running fn(arg) on stack slot `slot`. */
static ae_handle_t start_thread(void (*fn)(void *), void *arg, unsigned slot)
{
    int64_t t = ae_thread_spawn(self, fn, arg, IB_STACKS_VA + slot * MIB, THREAD_STACK);

    if (t < 0)
        ib_fail("thread_spawn", t);
    return (ae_handle_t)t;
}

static void join_thread(ae_handle_t t, unsigned slot)
{
    int64_t r = ae_thread_wait(t, AE_WAIT_FOREVER);

    if (r < 0)
        ib_fail("thread_wait", r);
    ae_handle_close(t);
    ae_vmo_unmap(0, IB_STACKS_VA + slot * MIB, THREAD_STACK);
}

/* ---- measurements ---- */

static void bench_rdtsc(void)
{
    for (unsigned i = 0; i < N_CHEAP; i++) {
        uint64_t t0 = ib_rdtsc(), t1 = ib_rdtsc();
        ib_samples[i] = t1 - t0;
    }
    ib_report("rdtsc_overhead", N_CHEAP);
}

static void bench_null_syscall(void)
{
    int64_t r = ae_sys0(NULL_SYSCALL_NR);

    if (r != AE_ERR_UNSUPPORTED)
        ib_fail("unknown system call not refused", r);
    for (unsigned i = 0; i < N_CHEAP; i++) {
        uint64_t t0 = ib_rdtsc();
        ae_sys0(NULL_SYSCALL_NR);
        ib_samples[i] = ib_rdtsc() - t0;
    }
    ib_report("null_syscall", N_CHEAP);
    for (unsigned i = 0; i < N_CHEAP; i++) {
        uint64_t t0 = ib_rdtsc();
        ae_yield();
        ib_samples[i] = ib_rdtsc() - t0;
    }
    ib_report("yield", N_CHEAP);
}

static void time_calls(ae_handle_t ep, unsigned n)
{
    struct ae_msg m = {0};

    for (unsigned i = 0; i < WARMUP + n; i++) {
        m.info = AE_MSG_INFO(L_ECHO, 0);
        m.w[0] = i;
        uint64_t t0 = ib_rdtsc();
        int64_t r = ae_ipc_call(ep, &m);
        uint64_t t1 = ib_rdtsc();
        if (r != AE_OK)
            ib_fail("call", r);
        if (i >= WARMUP)
            ib_samples[i - WARMUP] = t1 - t0;
    }
    if (m.w[0] != WARMUP + n - 1)
        ib_fail("echo payload", (int64_t)m.w[0]);
}

static void bench_ipc_thread(void)
{
    int64_t ep = ae_endpoint_create();
    ae_handle_t t;

    if (ep < 0)
        ib_fail("endpoint_create", ep);
    t = start_thread(server_thread, (void *)(uintptr_t)ep, 0);
    time_calls((ae_handle_t)ep, N_CHEAP);
    ib_report("ipc_call_xthread", N_CHEAP);
    stop_server((ae_handle_t)ep);
    join_thread(t, 0);
    ae_handle_close((ae_handle_t)ep);
}

/* One MOVE round trip series; the server is a process serving ep. */
static void bench_move(ae_handle_t ep, const char *name, uint64_t va, uint64_t size,
                       unsigned n, int server_maps)
{
    int64_t v = ae_vmo_create(size, 0);
    struct ae_msg m = {0};

    if (v < 0)
        ib_fail("vmo_create", v);
    for (unsigned i = 0; i < WARMUP + n; i++) {
        uint64_t t0 = 0, t1;
        int64_t r;
        if (server_maps)
            t0 = ib_rdtsc();
        r = ae_vmo_map((ae_handle_t)v, 0, va, 0, size, AE_PROT_READ | AE_PROT_WRITE);
        if (r != AE_OK)
            ib_fail("map before move", r);
        if (i == 0)
            *(volatile uint64_t *)(va + size - 8) = 0x5eed0000 + size;
        m.info = AE_MSG_INFO(server_maps ? L_MOVE_MAP : L_MOVE, 1);
        m.h[0] = (ae_handle_t)v;
        m.w[0] = size;
        m.w[1] = 0;
        if (!server_maps)
            t0 = ib_rdtsc();
        r = ae_ipc_call(ep, &m);
        t1 = ib_rdtsc();
        if (r != AE_OK)
            ib_fail("call with a VMO", r);
        if (AE_MSG_NHANDLES(m.info) != 1 || m.h[0] == 0)
            ib_fail("VMO not returned", (int64_t)m.info);
        if (m.w[1] != 0)
            ib_fail("server's map", (int64_t)m.w[1]);
        v = m.h[0];
        if (i >= WARMUP)
            ib_samples[i - WARMUP] = t1 - t0;
        if (i == 0) {
            /* MOVE really unmapped it here; and the data travelled. */
            r = ae_vmo_unmap(0, va, size);
            if (r != AE_ERR_NOTFOUND)
                ib_fail("still mapped after MOVE", r);
            r = ae_vmo_map((ae_handle_t)v, 0, va, 0, size, AE_PROT_READ);
            if (r != AE_OK)
                ib_fail("map after move", r);
            if (*(volatile uint64_t *)(va + size - 8) != 0x5eed0000 + size)
                ib_fail("contents after move", 0);
            ae_vmo_unmap(0, va, size);
        }
    }
    ib_report(name, n);
    ae_handle_close((ae_handle_t)v);
}

/* The same round trips with tracing on (off again before the report, which
 * is IPC-free but would be traced). */
static void bench_traced(ae_handle_t ep)
{
    int64_t r = ae_trace_ctl(trace, AE_TRACE_CTL_SET, 1);

    if (r != 0)
        ib_fail("trace_ctl(on)", r);
    time_calls(ep, N_CHEAP);
    r = ae_trace_ctl(trace, AE_TRACE_CTL_SET, 0);
    if (r != 1)
        ib_fail("trace_ctl(off)", r);
    ib_report("ipc_call_xproc_traced", N_CHEAP);
}

static void bench_ipc_process(void)
{
    int64_t ep = ae_endpoint_create(), keep = ae_vmo_create(4096, 0);
    ae_handle_t p;

    if (ep < 0 || keep < 0)
        ib_fail("create", ep < 0 ? ep : keep);
    if (ae_vmo_map((ae_handle_t)keep, 0, IB_MOVE_VA, 0, 4096, AE_PROT_READ))
        ib_fail("map", 0);
    p = start_server_process((ae_handle_t)ep, -1);
    time_calls((ae_handle_t)ep, N_CHEAP);
    ib_report("ipc_call_xproc", N_CHEAP);
    bench_traced((ae_handle_t)ep);
    bench_move((ae_handle_t)ep, "vmo_move_4k", IB_MOVE_BUF_VA, 4096, N_CHEAP, 0);
    bench_move((ae_handle_t)ep, "vmo_move_4k_lone", IB_LONE_VA, 4096, N_CHEAP, 0);
    bench_move((ae_handle_t)ep, "vmo_move_1m", IB_MOVE_BUF_VA, MIB, N_MOVE_1M, 0);
    bench_move((ae_handle_t)ep, "vmo_move_1m_map", IB_MOVE_BUF_VA, MIB, N_MOVE_1M, 1);
    ae_vmo_unmap(0, IB_MOVE_VA, 4096);
    ae_handle_close((ae_handle_t)keep);
    stop_server((ae_handle_t)ep);
    wait_process(p, "server exit");
    ae_handle_close((ae_handle_t)ep);
}

static ae_handle_t notes[2];

static void notify_partner(void *arg)
{
    for (;;) {
        int64_t bits = ae_notify_wait(notes[0], AE_WAIT_FOREVER);
        if (bits < 0 || (bits & 2))
            return;
        ae_notify_signal(notes[1], 1);
    }
}

static void bench_notify(void)
{
    ae_handle_t t;

    for (int i = 0; i < 2; i++) {
        int64_t n = ae_notify_create();
        if (n < 0)
            ib_fail("notify_create", n);
        notes[i] = (ae_handle_t)n;
    }
    t = start_thread(notify_partner, NULL, 0);
    for (unsigned i = 0; i < WARMUP + N_CHEAP; i++) {
        uint64_t t0 = ib_rdtsc();
        ae_notify_signal(notes[0], 1);
        int64_t bits = ae_notify_wait(notes[1], AE_WAIT_FOREVER);
        uint64_t t1 = ib_rdtsc();
        if (bits != 1)
            ib_fail("notify_wait", bits);
        if (i >= WARMUP)
            ib_samples[i - WARMUP] = t1 - t0;
    }
    ib_report("notify_pingpong", N_CHEAP);
    ae_notify_signal(notes[0], 2);
    join_thread(t, 0);
    ae_handle_close(notes[0]);
    ae_handle_close(notes[1]);
}

/* n: a multiple of 64; dst and src 16-byte aligned. */
static void copy_sse2(void *dst, const void *src, uint64_t n)
{
    __asm__ volatile("1:\n\t"
                     "movdqa (%1), %%xmm0\n\t"
                     "movdqa 16(%1), %%xmm1\n\t"
                     "movdqa 32(%1), %%xmm2\n\t"
                     "movdqa 48(%1), %%xmm3\n\t"
                     "movdqa %%xmm0, (%0)\n\t"
                     "movdqa %%xmm1, 16(%0)\n\t"
                     "movdqa %%xmm2, 32(%0)\n\t"
                     "movdqa %%xmm3, 48(%0)\n\t"
                     "add $64, %1\n\t"
                     "add $64, %0\n\t"
                     "sub $64, %2\n\t"
                     "jnz 1b"
                     : "+r"(dst), "+r"(src), "+r"(n)
                     :
                     : "xmm0", "xmm1", "xmm2", "xmm3", "memory", "cc");
}

static void bench_memcpy(void)
{
    int64_t a = ae_vmo_create(MIB, 0), b = ae_vmo_create(MIB, 0);
    char *src = (char *)IB_COPY_VA, *dst = (char *)(IB_COPY_VA + 2 * MIB);

    if (a < 0 || b < 0)
        ib_fail("vmo_create", a < 0 ? a : b);
    if (ae_vmo_map((ae_handle_t)a, 0, (uint64_t)src, 0, MIB, AE_PROT_READ | AE_PROT_WRITE) ||
        ae_vmo_map((ae_handle_t)b, 0, (uint64_t)dst, 0, MIB, AE_PROT_READ | AE_PROT_WRITE))
        ib_fail("map copy buffers", 0);
    for (uint64_t i = 0; i < MIB; i++)
        src[i] = (char)(i * 7);
    memset(dst, 0, MIB);
    for (unsigned i = 0; i < N_MEMCPY; i++) {
        uint64_t t0 = ib_rdtsc();
        memcpy(dst, src, MIB);
        uint64_t t1 = ib_rdtsc();
        ib_samples[i] = t1 - t0;
    }
    if (memcmp(dst, src, MIB) != 0)
        ib_fail("memcpy result", 0);
    ib_report("memcpy_1m", N_MEMCPY);
    memset(dst, 0, MIB);
    for (unsigned i = 0; i < N_MEMCPY; i++) {
        uint64_t t0 = ib_rdtsc();
        copy_sse2(dst, src, MIB);
        uint64_t t1 = ib_rdtsc();
        ib_samples[i] = t1 - t0;
    }
    if (memcmp(dst, src, MIB) != 0)
        ib_fail("SSE2 copy result", 0);
    ib_report("memcpy_1m_sse2", N_MEMCPY);
    ae_vmo_unmap(0, (uint64_t)src, MIB);
    ae_vmo_unmap(0, (uint64_t)dst, MIB);
    ae_handle_close((ae_handle_t)a);
    ae_handle_close((ae_handle_t)b);
}

static void bench_map_unmap(void)
{
    int64_t keep = ae_vmo_create(4096, 0), v = ae_vmo_create(4096, 0);
    uint64_t va = IB_MAPTEST_VA + 4096;

    if (keep < 0 || v < 0)
        ib_fail("vmo_create", keep < 0 ? keep : v);
    if (ae_vmo_map((ae_handle_t)keep, 0, IB_MAPTEST_VA, 0, 4096, AE_PROT_READ))
        ib_fail("map", 0);
    for (unsigned i = 0; i < WARMUP + N_CHEAP; i++) {
        uint64_t t0 = ib_rdtsc();
        int64_t r1 = ae_vmo_map((ae_handle_t)v, 0, va, 0, 4096, AE_PROT_READ | AE_PROT_WRITE);
        int64_t r2 = ae_vmo_unmap(0, va, 4096);
        uint64_t t1 = ib_rdtsc();
        if (r1 || r2)
            ib_fail("map/unmap", r1 ? r1 : r2);
        if (i >= WARMUP)
            ib_samples[i - WARMUP] = t1 - t0;
    }
    ib_report("map_unmap_4k", N_CHEAP);
    ae_vmo_unmap(0, IB_MAPTEST_VA, 4096);
    ae_handle_close((ae_handle_t)keep);
    ae_handle_close((ae_handle_t)v);
}

static int64_t child_exit(uint64_t arg)
{
    return (int64_t)arg;
}

static void bench_spawn(void)
{
    for (unsigned i = 0; i < 1 + N_SPAWN; i++) {      /* the first makes the code copy */
        uint64_t t0 = ib_rdtsc();
        int64_t p = ae_spawn(self, child_exit, 0, NULL, NULL);
        if (p < 0)
            ib_fail("ae_spawn", p);
        int64_t r = ae_spawn_wait((ae_handle_t)p, AE_WAIT_FOREVER);
        uint64_t t1 = ib_rdtsc();
        if (r != 0)
            ib_fail("child status", r);
        if (i >= 1)
            ib_samples[i - 1] = t1 - t0;
    }
    ib_report("process_spawn", N_SPAWN);
}

extern const uint8_t ib_spawnee[], ib_spawnee_end[];
static const struct ae_quota_limits spawnee_limits = {128, 8, 1, 100};
static uint64_t elf_wait_samples[N_ELF_SPAWN];

/* Loads spawnee into a new process and starts it: the process handle. */
static ae_handle_t elf_spawn(ae_handle_t info)
{
    struct ae_elf_load_opts o = {.info_vmo = info, .info_va = AE_BOOTINFO_VA};
    struct ae_elf_loaded l;
    int64_t p = ae_process_create(self, "spawnee", &spawnee_limits), t;
    int err;

    if (p < 0)
        ib_fail("process_create(spawnee)", p);
    err = ae_elf_load((ae_handle_t)p, ib_spawnee, (size_t)(ib_spawnee_end - ib_spawnee), &o, &l);
    if (err)
        ib_fail("ae_elf_load(spawnee)", err);
    t = ae_thread_create((ae_handle_t)p, l.entry, l.stack, l.arg);
    if (t < 0)
        ib_fail("thread_create(spawnee)", t);
    err = (int)ae_thread_start((ae_handle_t)t);
    if (err)
        ib_fail("thread_start(spawnee)", err);
    ae_handle_close((ae_handle_t)t);
    return (ae_handle_t)p;
}

static void bench_elf_spawn(void)
{
    int64_t info = ae_vmo_create(4096, 0);

    if (info < 0)
        ib_fail("vmo_create(info)", info);
    for (unsigned i = 0; i < WARMUP + N_ELF_SPAWN; i++) {
        uint64_t t0 = ib_rdtsc();
        ae_handle_t p = elf_spawn((ae_handle_t)info);
        int64_t r = ae_spawn_wait(p, AE_WAIT_FOREVER);
        uint64_t t1 = ib_rdtsc();
        if (r < 0)
            ib_fail("spawnee status", r);
        /* The child's TSC from its low bits: the first value >= t0. */
        uint64_t at_main = (t0 & ~SPAWNEE_TSC_MASK) | (uint64_t)r;
        if (at_main < t0)
            at_main += SPAWNEE_TSC_MASK + 1;
        if (i >= WARMUP) {
            ib_samples[i - WARMUP] = at_main - t0;
            elf_wait_samples[i - WARMUP] = t1 - t0;
        }
    }
    ib_report("elf_spawn_to_main", N_ELF_SPAWN);
    memcpy(ib_samples, elf_wait_samples, sizeof(elf_wait_samples));
    ib_report("elf_spawn_wait", N_ELF_SPAWN);
    ae_handle_close((ae_handle_t)info);
}

/* ---- -smp 2: same CPU against cross CPU ---- */

static struct {
    ae_handle_t go, ep;
} smp_job;

static void smp_client(void *arg)
{
    int64_t r = ae_notify_wait(smp_job.go, AE_WAIT_FOREVER);

    if (r < 0)
        ib_fail("notify_wait(go)", r);
    time_calls(smp_job.ep, N_SMP);
}

static void bench_smp(const char *name, int server_cpu)
{
    int64_t ep = ae_endpoint_create(), go = ae_notify_create(), r;
    ae_handle_t p, t;

    if (ep < 0 || go < 0)
        ib_fail("create", ep < 0 ? ep : go);
    smp_job.ep = (ae_handle_t)ep;
    smp_job.go = (ae_handle_t)go;
    p = start_server_process((ae_handle_t)ep, server_cpu);
    /* The client waits for `go` until it is pinned to CPU 0. */
    t = start_thread(smp_client, NULL, 0);
    r = ae_thread_set_affinity(t, 0);
    if (r != AE_OK)
        ib_fail("thread_set_affinity", r);
    ae_notify_signal((ae_handle_t)go, 1);
    join_thread(t, 0);
    ib_report(name, N_SMP);
    stop_server((ae_handle_t)ep);
    wait_process(p, "server exit");
    ae_handle_close((ae_handle_t)ep);
    ae_handle_close((ae_handle_t)go);
}

int main(const struct ae_bootinfo *bi)
{
    int err;

    self = bi->self;
    trace = bi->trace;
    server_limits.cpu_permille = 500ull * (bi->ncpus ? bi->ncpus : 1);
    ae_printf("ipcbench: start: %u CPUs, TSC %lu Hz", bi->ncpus, (unsigned long)bi->tsc_hz);
    err = ib_stats_init();
    if (err)
        ib_fail("sample buffer", err);
    if (bi->ncpus >= 2) {
        bench_smp("smp_ipc_call_same_cpu", 0);
        bench_smp("smp_ipc_call_cross_cpu", 1);
    } else {
        bench_rdtsc();
        bench_null_syscall();
        bench_ipc_process();
        bench_ipc_thread();
        bench_notify();
        bench_memcpy();
        bench_map_unmap();
        bench_spawn();
        bench_elf_spawn();
    }
    ae_spawn_release();
    ae_printf("ipcbench: done");
    return 0;
}

/*
 * Self tests of what only the running kernel can show: the allocators on
 * real memory, the clock and the timer on every CPU, the page tables' W^X
 * and guard pages, CPU protections. Tests never depend on wall-clock
 * speed: waits have generous deadlines and check progress, not rates.
 */
#include <stdbool.h>

#include "selftest.h"
#include "arch/x86_64/clock.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/smp.h"
#include "acpi/acpi.h"
#include "lib/fmt.h"
#include "lib/stack_protector.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/kheap.h"
#include "mm/kstack.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "aether/errors.h"
#include "log.h"

#define PAGE 4096ull
#define DEADLINE_NS 20000000000ull      /* 20 s: generous for loaded hosts */

static char detail[160];

#define FAIL(...) \
    do { ae_snprintf(detail, sizeof(detail), __VA_ARGS__); return false; } while (0)

/* PMM: take every free frame, tag each with its own address, check the
 * tags, give them all back: counts must match exactly. Frames are chained
 * through their first word, so no other memory is needed. */
static bool t_pmm_exhaust(void)
{
    uint64_t before = frame_free_count(), n = 0, head = 0, phys;

    while (frame_alloc(&phys) == AE_OK) {
        uint64_t *v = phys_to_virt(phys);
        v[0] = head;
        v[1] = phys ^ 0xa5a5a5a5a5a5a5a5ull;
        v[511] = phys;
        head = phys;
        n++;
    }
    if (n != before)
        FAIL("allocated %lu frames, %lu were free", (unsigned long)n, (unsigned long)before);
    if (frame_free_count() != 0)
        FAIL("free count %lu after exhausting", (unsigned long)frame_free_count());
    uint64_t bad = 0;
    while (head) {
        uint64_t *v = phys_to_virt(head), next = v[0];
        if (v[1] != (head ^ 0xa5a5a5a5a5a5a5a5ull) || v[511] != head)
            bad++;
        if (frame_free(head))
            bad++;
        head = next;
    }
    if (bad)
        FAIL("%lu frames lost their tags or could not be freed", (unsigned long)bad);
    if (frame_free_count() != before || pmm_check(frame_pmm()))
        FAIL("free count %lu after freeing, expected %lu",
             (unsigned long)frame_free_count(), (unsigned long)before);
    ae_snprintf(detail, sizeof(detail), "%lu frames (%lu MiB)", (unsigned long)n,
                (unsigned long)(n * PAGE >> 20));
    return true;
}

static bool t_pmm_contig(void)
{
    uint64_t phys;

    if (pmm_alloc_contig(frame_pmm(), 16, 65536, 0, &phys))
        FAIL("16 contiguous frames aligned to 64 KiB not available");
    if (phys & 0xffff)
        FAIL("got %#lx, not 64 KiB aligned", (unsigned long)phys);
    if (frame_free_contig(phys, 16))
        FAIL("could not free the run");
    if (frame_free(phys) != AE_ERR_INVAL)
        FAIL("double free was not refused");
    return true;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Heap: random sizes across every class and large allocations, each filled
 * with a pattern and checked before it is freed. */
static bool t_heap_stress(void)
{
    enum { SLOTS = 512, ROUNDS = 20000 };
    static uint8_t *ptr[SLOTS];
    static uint32_t size[SLOTS];
    struct heap_stats st0, st1;
    uint64_t frames0 = frame_free_count();

    heap_get_stats(kheap(), &st0);
    for (int r = 0; r < ROUNDS; r++) {
        int i = rng() % SLOTS;
        if (ptr[i]) {
            for (uint32_t k = 0; k < size[i]; k++)
                if (ptr[i][k] != (uint8_t)(i + k))
                    FAIL("slot %d byte %u corrupted", i, k);
            kfree(ptr[i]);
            ptr[i] = NULL;
            continue;
        }
        size[i] = (rng() % 8 == 0) ? 2049 + rng() % 12000 : 1 + rng() % 2048;
        ptr[i] = kmalloc(size[i]);
        if (!ptr[i])
            FAIL("kmalloc(%u) failed", size[i]);
        if ((uint64_t)ptr[i] & 15)
            FAIL("kmalloc(%u) returned unaligned %p", size[i], ptr[i]);
        for (uint32_t k = 0; k < size[i]; k++)
            ptr[i][k] = (uint8_t)(i + k);
    }
    for (int i = 0; i < SLOTS; i++) {
        kfree(ptr[i]);
        ptr[i] = NULL;
    }
    if (heap_check(kheap()))
        FAIL("heap_check found corruption");
    heap_get_stats(kheap(), &st1);
    if (st1.bytes_requested != st0.bytes_requested)
        FAIL("%lu bytes still accounted after freeing everything",
             (unsigned long)(st1.bytes_requested - st0.bytes_requested));
    /* The heap may keep one empty slab per class. */
    if (frame_free_count() + HEAP_NCLASSES < frames0)
        FAIL("%lu frames not returned", (unsigned long)(frames0 - frame_free_count()));
    return true;
}

static bool t_heap_bad_free(void)
{
    void *p = kmalloc(64);
    struct heap_stats st;

    if (!p)
        FAIL("kmalloc(64) failed");
    if (heap_free(kheap(), p))
        FAIL("first free refused");
    if (heap_free(kheap(), p) != AE_ERR_INVAL)
        FAIL("double free accepted");
    if (heap_free(kheap(), (char *)kmalloc(32) + 8) != AE_ERR_INVAL)
        FAIL("misaligned free accepted");
    heap_get_stats(kheap(), &st);
    if (heap_check(kheap()))
        FAIL("heap corrupt after refused frees");
    return true;
}

static volatile uint64_t clock_max_seen;
static volatile uint32_t clock_violations;

static void clock_worker(void *arg)
{
    for (int i = 0; i < 20000; i++) {
        uint64_t prev = __atomic_load_n(&clock_max_seen, __ATOMIC_ACQUIRE);
        uint64_t now = clock_ns();
        if (now < prev)
            __atomic_add_fetch(&clock_violations, 1, __ATOMIC_RELAXED);
        uint64_t cur = prev;
        while (now > cur && !__atomic_compare_exchange_n(&clock_max_seen, &cur, now,
                                                         false, __ATOMIC_RELEASE,
                                                         __ATOMIC_ACQUIRE))
            ;
    }
}

/* The clock never goes backwards, on any CPU or between CPUs: every read is
 * checked against the largest value any CPU has published before it. */
static bool t_clock_monotonic(void)
{
    clock_max_seen = 0;
    clock_violations = 0;
    if (smp_run_on_all(clock_worker, NULL))
        FAIL("not every CPU ran the test");
    if (clock_violations)
        FAIL("%u backward steps seen", clock_violations);
    ae_snprintf(detail, sizeof(detail), "%u CPUs x 20000 reads", cpu_online_count());
    return true;
}

static bool t_clock_calibrated(void)
{
    uint64_t t0 = clock_ns();

    if (clock_tsc_hz() < 10000000)
        FAIL("TSC rate %lu Hz implausible", (unsigned long)clock_tsc_hz());
    clock_delay_us(1000);
    if (clock_ns() - t0 < 1000000)
        FAIL("a 1 ms delay took %lu ns", (unsigned long)(clock_ns() - t0));
    return true;
}

/* Every online CPU's timer interrupt fires: each tick count grows by at
 * least 3 before a generous deadline. */
static bool t_every_cpu_ticking(void)
{
    uint64_t start[MAX_CPUS], t0 = clock_ns();
    unsigned n = cpu_count();

    for (unsigned i = 0; i < n; i++)
        start[i] = cpu_get(i)->ticks;
    for (;;) {
        unsigned behind = 0;
        for (unsigned i = 0; i < n; i++)
            if (cpu_get(i)->online && cpu_get(i)->ticks < start[i] + 3)
                behind++;
        if (!behind)
            break;
        if (clock_ns() - t0 > DEADLINE_NS)
            FAIL("%u CPUs did not tick 3 times within 20 s", behind);
        __asm__ volatile("hlt");
    }
    ae_snprintf(detail, sizeof(detail), "%u CPUs", cpu_online_count());
    return true;
}

static bool t_wx(void)
{
    uint64_t text_w, wx = paging_check_wx(&text_w);

    if (!paging_nx_supported()) {
        ae_snprintf(detail, sizeof(detail), "CPU has no NX: only text checked");
        return text_w == 0;
    }
    if (wx || text_w)
        FAIL("%lu W+X pages, %lu writable text pages", (unsigned long)wx,
             (unsigned long)text_w);
    return true;
}

static bool stack_guarded(uint64_t top)
{
    uint64_t lo, hi;

    if (!kstack_bounds(top - 8, &lo, &hi))
        return false;
    return paging_translate(lo, 0, 0) && !paging_translate(lo - PAGE, 0, 0) &&
           kstack_is_guard(lo - PAGE);
}

static bool t_guard_pages(void)
{
    unsigned checked = 0;

    for (unsigned i = 0; i < cpu_count(); i++) {
        struct cpu *c = cpu_get(i);
        if (!c->online)
            continue;
        if (!stack_guarded(c->kstack_top))
            FAIL("cpu%u kernel stack has no guard page", i);
        for (int k = 0; k < 3; k++)
            if (!stack_guarded(c->gdt.tss.ist[k]))
                FAIL("cpu%u IST%d stack has no guard page", i, k + 1);
        checked += 4;
    }
    ae_snprintf(detail, sizeof(detail), "%u stacks", checked);
    return true;
}

static volatile uint32_t cr4_mismatch;

static void cr4_worker(void *arg)
{
    const struct cpu_features *f = cpu_features();
    uint64_t cr4 = read_cr4();

    if (!!(cr4 & CR4_SMEP) != f->smep || !!(cr4 & CR4_SMAP) != f->smap ||
        !!(cr4 & CR4_UMIP) != f->umip || !(read_cr0() & CR0_WP) ||
        (f->nx && !(rdmsr(MSR_EFER) & EFER_NXE)))
        __atomic_add_fetch(&cr4_mismatch, 1, __ATOMIC_RELAXED);
}

static bool t_cpu_protections(void)
{
    const struct cpu_features *f = cpu_features();

    cr4_mismatch = 0;
    if (smp_run_on_all(cr4_worker, NULL))
        FAIL("not every CPU ran the test");
    if (cr4_mismatch)
        FAIL("%u CPUs with CR0/CR4/EFER not matching CPUID", cr4_mismatch);
    ae_snprintf(detail, sizeof(detail), "SMEP %s SMAP %s UMIP %s NX %s",
                f->smep ? "on" : "n/a", f->smap ? "on" : "n/a",
                f->umip ? "on" : "n/a", f->nx ? "on" : "n/a");
    return true;
}

static bool t_stack_protector(void)
{
    uint64_t g = stack_protector_guard();

    if (g == 0 || g == 0x595e9fbd94fda766ull || (g & 0xff))
        FAIL("guard %#lx not randomised", (unsigned long)g);
    return true;
}

static bool t_cpus_match_madt(void)
{
    const struct madt_info *m = acpi_madt();
    unsigned enabled = 0;

    for (unsigned i = 0; i < m->ncpus; i++)
        enabled += m->cpus[i].enabled;
    if (enabled == 0)
        enabled = 1;
    if (cpu_online_count() != enabled)
        FAIL("%u CPUs online, MADT lists %u enabled", cpu_online_count(), enabled);
    ae_snprintf(detail, sizeof(detail), "%u CPUs", enabled);
    return true;
}

static void log_worker(void *arg)
{
    for (int i = 0; i < 20; i++)
        log_info("selftest-log: cpu%u line %02d of 20 abcdefghijklmnopqrstuvwxyz",
                 this_cpu_id(), i);
}

/* Lines from all CPUs at once: the system test checks none interleaved. */
static bool t_log_concurrent(void)
{
    if (smp_run_on_all(log_worker, NULL))
        FAIL("not every CPU ran the test");
    return true;
}

static const struct {
    const char *id;
    const char *what;
    bool (*fn)(void);
} tests[] = {
    {"KST0001", "pmm: exhaust all frames, tags intact, all freed", t_pmm_exhaust},
    {"KST0002", "pmm: aligned contiguous run, double free refused", t_pmm_contig},
    {"KST0003", "heap: 20000 random alloc/free with patterns", t_heap_stress},
    {"KST0004", "heap: double and misaligned frees refused", t_heap_bad_free},
    {"KST0005", "clock: calibrated and advancing", t_clock_calibrated},
    {"KST0006", "clock: monotonic within and across CPUs", t_clock_monotonic},
    {"KST0007", "timer: every CPU ticking", t_every_cpu_ticking},
    {"KST0008", "paging: no W+X page, kernel text read-only", t_wx},
    {"KST0009", "paging: guard page below every kernel stack", t_guard_pages},
    {"KST0010", "cpu: SMEP/SMAP/UMIP/WP/NX on every CPU as CPUID allows", t_cpu_protections},
    {"KST0011", "stack protector guard randomised", t_stack_protector},
    {"KST0012", "smp: every enabled MADT CPU online", t_cpus_match_madt},
    {"KST0013", "log: concurrent lines from every CPU", t_log_concurrent},
};

int selftest_run(void)
{
    unsigned n = sizeof(tests) / sizeof(tests[0]), failed = 0;

    log_info("selftest: running %u kernel self tests", n);
    for (unsigned i = 0; i < n; i++) {
        detail[0] = '\0';
        bool ok = tests[i].fn();
        failed += !ok;
        log_info("selftest: %s %s %s%s%s%s", ok ? "PASS" : "FAIL", tests[i].id,
                 tests[i].what, detail[0] ? " (" : "", detail, detail[0] ? ")" : "");
    }
    log_info("selftest: %u passed, %u failed", n - failed, failed);
    return (int)failed;
}

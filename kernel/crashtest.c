/*
 * Each crash lives in its own non-inlined function named crash_<kind>, so
 * the report's symbolized RIP names it and a test can assert on that.
 */
#include <stdint.h>

#include "crashtest.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/smp.h"
#include "lib/spinlock.h"
#include "lib/string.h"
#include "panic.h"
#include "log.h"

#define NOINLINE __attribute__((noinline))

extern char __text_start[];

NOINLINE static void crash_pf(void)
{
    *(volatile uint64_t *)CRASH_PF_ADDRESS = 1;
}

NOINLINE static void crash_gp(void)
{
    *(volatile uint64_t *)0x8000000000000000ull = 1;     /* non-canonical */
}

NOINLINE static void crash_ud(void)
{
    __asm__ volatile("ud2");
}

NOINLINE static void crash_de(void)
{
    volatile uint64_t zero = 0;
    uint64_t lo = 1, hi = 0, z = zero;
    __asm__ volatile("divq %2" : "+a"(lo), "+d"(hi) : "r"(z));
}

static volatile uint64_t recurse_limit = ~0ull;

NOINLINE static uint64_t crash_stack_recurse(uint64_t depth)
{
    volatile char pad[512];
    pad[0] = (char)depth;
    if (depth >= recurse_limit)     /* never true: the guard page stops it */
        return 0;
    /* The addition after the call keeps it from becoming a loop. */
    return crash_stack_recurse(depth + 1) + pad[0];
}

NOINLINE static void crash_stack(void)
{
    crash_stack_recurse(0);
}

NOINLINE static void crash_wxtext(void)
{
    *(volatile uint8_t *)(__text_start + 0x10) = 0xcc;
}

static const uint8_t data_code[16] = {0xc3};    /* "ret", in rodata */

NOINLINE static void crash_nx(void)
{
    ((void (*)(void))(uintptr_t)data_code)();
}

NOINLINE static void crash_assert(void)
{
    volatile int one = 1;
    KASSERT(one == 2);
}

static const struct {
    const char *kind;
    void (*fn)(void);
} crashes[] = {
    {"pf", crash_pf}, {"gp", crash_gp}, {"ud", crash_ud}, {"de", crash_de},
    {"stack", crash_stack}, {"wxtext", crash_wxtext}, {"nx", crash_nx},
    {"assert", crash_assert},
};

static void (*volatile remote_fn)(void);
static volatile unsigned remote_cpu;

/* Runs on every CPU: the chosen one crashes, the others wait for the panic
 * NMI with interrupts off, so the test sees them stopped by it. */
static void remote_crash(void *arg)
{
    if (this_cpu_id() == remote_cpu)
        remote_fn();
    irq_disable();
    for (;;)
        cpu_relax();
}

void crashtest_run(const char *spec)
{
    char kind[16];
    const char *at = strchr(spec, '@');
    size_t n = at ? (size_t)(at - spec) : strlen(spec);
    unsigned cpu = 0;

    if (n >= sizeof(kind)) {
        log_err("crashtest: kind too long in '%s'", spec);
        return;
    }
    memcpy(kind, spec, n);
    kind[n] = '\0';
    if (at) {
        for (const char *p = at + 1; *p >= '0' && *p <= '9'; p++)
            cpu = cpu * 10 + (unsigned)(*p - '0');
        if (cpu >= cpu_count() || !cpu_get(cpu)->online) {
            log_err("crashtest: cpu%u is not online", cpu);
            return;
        }
    }
    for (unsigned i = 0; i < sizeof(crashes) / sizeof(crashes[0]); i++) {
        if (strcmp(kind, crashes[i].kind) != 0)
            continue;
        log_warn("crashtest: triggering '%s' on cpu%u on purpose", kind, cpu);
        if (cpu == this_cpu_id()) {
            crashes[i].fn();
        } else {
            remote_fn = crashes[i].fn;
            remote_cpu = cpu;
            smp_run_on_all(remote_crash, NULL);
        }
        log_err("crashtest: '%s' did not fault", kind);
        return;
    }
    log_err("crashtest: unknown kind '%s' (pf gp ud de stack wxtext nx assert)", kind);
}

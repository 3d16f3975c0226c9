/* The C library on the real kernel: the heap over memory objects, its
 * misuse checks, threads, spawned children, the stream hooks, time. The
 * host tests (tests/unit/test_libc_*) cover the pure parts in depth. */
#include <aelibc.h>
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ktest.h"
#include "spawn.h"

static int in_heap_range(const void *p)
{
    return (uint64_t)p >= LIBC_HEAP_VA && (uint64_t)p < LIBC_HEAP_VA + LIBC_HEAP_SIZE;
}

/* Every test gives the heap back, so the runner sees its pages return. */
static void heap_all_back(void)
{
    struct libc_heap_stats st;

    malloc_trim(0);
    libc_heap_stats(&st);
    CHECK_EQ(st.allocations, 0);
    CHECK_EQ(st.mapped, 0);
    CHECK_EQ(st.mappings, 0);
}

KTEST(LIBC0001, "malloc, calloc, realloc and free work in the heap range; trim returns every page")
{
    struct libc_heap_stats st;
    char *p[32];
    int *z;

    for (int i = 0; i < 32; i++) {
        p[i] = malloc((size_t)i * 97 + 1);
        CHECK(p[i] && in_heap_range(p[i]) && (uint64_t)p[i] % 16 == 0);
        if (p[i])
            memset(p[i], i, (size_t)i * 97 + 1);
    }
    z = calloc(1000, sizeof(int));
    CHECK(z != NULL);
    for (int i = 0; z && i < 1000; i++)
        CHECK_EQ(z[i], 0);
    p[5] = realloc(p[5], 100000);
    CHECK(p[5] != NULL);
    for (int i = 0; p[5] && i < 5 * 97 + 1; i++)
        CHECK_EQ(p[5][i], 5);
    CHECK(libc_heap_check() > 33);
    libc_heap_stats(&st);
    CHECK(st.mapped >= 100000 && st.mappings >= 1);
    CHECK_EQ(st.allocations, 33);
    for (int i = 0; i < 32; i++)
        free(p[i]);
    free(z);
    heap_all_back();
}

KTEST(LIBC0002, "a large allocation maps more memory and free() gives it back at once")
{
    struct libc_heap_stats st;
    char *small = malloc(10), *big = malloc(8u << 20);

    CHECK(small && big);
    libc_heap_stats(&st);
    CHECK(st.mapped >= (8u << 20));
    for (size_t i = 0; big && i < (8u << 20); i += 4096)
        big[i] = (char)i;
    free(big);
    libc_heap_stats(&st);
    CHECK(st.mapped < (1u << 20));          /* trimmed down to a little slack */
    free(small);
    heap_all_back();
}

KTEST(LIBC0003, "allocations beyond the quota fail with ENOMEM; aligned ones are aligned")
{
    void *p = NULL;

    errno = 0;
    CHECK(malloc(64ull << 30) == NULL);
    CHECK_EQ(errno, ENOMEM);
    errno = 0;
    CHECK(calloc(SIZE_MAX / 2, 4) == NULL);
    CHECK_EQ(errno, ENOMEM);
    CHECK(realloc(NULL, SIZE_MAX) == NULL);
    p = malloc(100);                        /* still usable */
    CHECK(p != NULL);
    free(p);
    p = aligned_alloc(4096, 10000);
    CHECK(p && (uint64_t)p % 4096 == 0);
    free(p);
    CHECK(aligned_alloc(24, 10) == NULL);
    CHECK_EQ(posix_memalign(&p, 256, 1), 0);
    CHECK((uint64_t)p % 256 == 0);
    free(p);
    CHECK_EQ(posix_memalign(&p, 4, 1), EINVAL);
    heap_all_back();
}

/* Each thread keeps its own blocks, filled with its own pattern. */
static void heap_worker(void *arg)
{
    uint64_t seed = (uint64_t)arg * 0x9e3779b97f4a7c15ull + 1;
    unsigned char *blocks[48] = {0};
    size_t sizes[48] = {0};
    int bad = 0;

    for (int op = 0; op < 3000; op++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        unsigned i = (unsigned)(seed >> 33) % 48;
        if (blocks[i]) {
            for (size_t k = 0; k < sizes[i]; k++)
                bad |= blocks[i][k] != (unsigned char)(i + (uint64_t)arg);
            free(blocks[i]);
            blocks[i] = NULL;
        } else {
            sizes[i] = (size_t)(seed >> 40) % 3000;
            blocks[i] = malloc(sizes[i]);
            if (!blocks[i])
                bad = 1;
            else
                memset(blocks[i], (int)(i + (uint64_t)arg), sizes[i]);
        }
    }
    for (int i = 0; i < 48; i++)
        free(blocks[i]);
    ae_thread_exit(bad);
}

KTEST(LIBC0004, "threads allocating and freeing at once leave a consistent heap")
{
    ae_handle_t t[4];

    for (uint64_t i = 0; i < 4; i++)
        t[i] = CHECK_HANDLE(ktest_thread(heap_worker, (void *)(i + 1)));
    for (int i = 0; i < 4; i++)
        CHECK_EQ(ktest_join(t[i]), 0);
    libc_heap_check();
    heap_all_back();
}

/* ---- children ----------------------------------------------------------- */

static int atexit_order;
static int64_t child_checks;

static void second_handler(void)
{
    atexit_order = 2;
}

/* Registered first, so it runs last: the status says what it saw. */
static void first_handler(void)
{
    _Exit(atexit_order == 2 && child_checks == 3 ? 77 : 66);
}

static int64_t libc_child(uint64_t arg)
{
    struct libc_heap_stats st;
    char buf[32], *s;

    libc_heap_stats(&st);
    child_checks = st.mapped == 0 && st.allocations == 0;      /* not the parent's */
    s = strdup("child heap");
    child_checks += s && in_heap_range(s);
    snprintf(buf, sizeof(buf), "%s %lu", s ? s : "?", (unsigned long)arg);
    child_checks += strcmp(buf, "child heap 42") == 0;
    atexit(first_handler);
    atexit(second_handler);
    return 5;                   /* the handlers turn it into 77 */
}

KTEST(LIBC0005, "a spawned child starts with a fresh heap and runs its atexit handlers, last first")
{
    char *mine = malloc(1000);      /* the parent's heap is not empty */
    int64_t p;

    CHECK(mine != NULL);
    p = ae_spawn(ktest_self, libc_child, 42, NULL, NULL);
    CHECK(p > 0);
    if (p > 0)
        CHECK_EQ(ae_spawn_wait((ae_handle_t)p, KTEST_WAIT_NS), 77);
    CHECK_EQ(libc_heap_check() >= 1, 1);
    free(mine);
    ae_spawn_release();
    heap_all_back();
}

static int64_t child_double_free(uint64_t arg)
{
    libc_reset_after_spawn();       /* ktest's children start on a copy */
    char *p = malloc(32);
    free(p);
    free(p);
    return 0;
}

static int64_t child_assert(uint64_t arg)
{
    libc_reset_after_spawn();
    assert(arg == 12345);
    return 0;
}

static int64_t child_abort(uint64_t arg)
{
    abort();
}

/* fn must end in abort's invalid-opcode fault, reported to the fault
 * endpoint; the child is dead with AE_ERR_FAULT. */
static void expect_abort(int64_t (*fn)(uint64_t))
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t p = CHECK_HANDLE(ktest_child_after_go(fn, ep, 0xab));
    struct ae_msg m;

    CHECK_OK(ktest_fault_report(ep, &m));
    CHECK_EQ(AE_MSG_LABEL(m.info), AE_MSG_FAULT);
    CHECK_EQ(m.badge, 0xab);
    CHECK_EQ(m.w[0], AE_FAULT_UD);
    CHECK_EQ(ktest_wait_child(p), AE_ERR_FAULT);
    ae_handle_close(ep);
}

KTEST(LIBC0006, "a double free, a failed assert and abort() end the process with a fault")
{
    expect_abort(child_double_free);
    expect_abort(child_assert);
    expect_abort(child_abort);
}

/* ---- streams and time --------------------------------------------------- */

static char captured[256];
static size_t captured_len;

static ssize_t capture(const void *buf, size_t len)
{
    if (captured_len + len >= sizeof(captured))
        return -1;
    memcpy(captured + captured_len, buf, len);
    captured_len += len;
    captured[captured_len] = '\0';
    return (ssize_t)len;
}

KTEST(LIBC0007, "printf goes through the stdout hook; by default to the kernel log")
{
    const char *want = "x=5 ok 3.14|1.2e+04|(nil)|0x7f\n";

    captured_len = 0;
    libc_set_stdout(capture);
    CHECK_EQ(printf("x=%d %s %.2f|%.1e|%p|%#x\n", 5, "ok", 3.14159, 12345.678, NULL, 127),
             strlen(want));
    CHECK(strcmp(captured, want) == 0);
    printf("held");                     /* line-buffered: not yet */
    CHECK_EQ(captured_len, strlen(want));
    CHECK_OK(fflush(stdout));
    CHECK_EQ(captured_len, strlen(want) + 4);
    libc_set_stdout(NULL);
    libc_set_stderr(capture);
    fprintf(stderr, "E%d", 1);          /* unbuffered: at once */
    CHECK(strcmp(captured + strlen(want) + 4, "E1") == 0);
    libc_set_stderr(NULL);
    CHECK_EQ(printf("libc: printf reaches the kernel log\n"), 36);
    CHECK_EQ(getchar(), EOF);           /* no stdin hook: end of file */
}

KTEST(LIBC0008, "clock_gettime is monotonic and nanosleep sleeps at least as asked")
{
    struct timespec a, b, d = {0, 3000000}, bad = {0, 1000000000};
    int64_t ns;

    CHECK_EQ(clock_gettime(CLOCK_MONOTONIC, &a), 0);
    CHECK_EQ(nanosleep(&d, NULL), 0);
    CHECK_EQ(clock_gettime(CLOCK_REALTIME, &b), 0);
    ns = (b.tv_sec - a.tv_sec) * 1000000000ll + (b.tv_nsec - a.tv_nsec);
    CHECK(ns >= 3000000);
    CHECK(a.tv_nsec >= 0 && a.tv_nsec < 1000000000 && b.tv_nsec < 1000000000);
    CHECK(time(NULL) >= a.tv_sec);
    errno = 0;
    CHECK_EQ(clock_gettime(99, &a), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(nanosleep(&bad, NULL), -1);
    CHECK_EQ(errno, EINVAL);
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;

    return (x > y) - (x < y);
}

KTEST(LIBC0009, "the pure parts work in the real build: number formatting, strtol, qsort, errno")
{
    char buf[96], *end;
    long v[100];

    snprintf(buf, sizeof(buf), "%.3f %Le %g %+05d %-4s|", 2.0 / 3, 1e-300L, 1e21, 42, "ab");
    CHECK(strcmp(buf, "0.667 1.000000e-300 1e+21 +0042 ab  |") == 0);
    CHECK_EQ(strtol("  -0x7fz", &end, 0), -127);
    CHECK_EQ(*end, 'z');
    errno = 0;
    CHECK_EQ(strtoul("99999999999999999999", NULL, 10), ULONG_MAX);
    CHECK_EQ(errno, ERANGE);
    for (int i = 0; i < 100; i++)
        v[i] = (i * 7919) % 101 - 50;
    qsort(v, 100, sizeof(long), cmp_long);
    for (int i = 1; i < 100; i++)
        CHECK(v[i - 1] <= v[i]);
    CHECK(strcmp(strerror(ENOMEM), ae_strerror(AE_ERR_NOMEM)) == 0);
    CHECK_EQ(EDQUOT, -AE_ERR_QUOTA);
}

/*
 * The ktest runner: sorts the registered tests by ID, runs each, checks the
 * kernel's invariants and the test's resource hygiene after it, prints one
 * line per test and "ktest: N passed, M failed", and exits with the number
 * of failures (which ends QEMU through init_exited in test images).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktest.h"

extern const struct ktest __start_ktests[], __stop_ktests[];

ae_handle_t ktest_self;
static int checks_failed;
static char first_failure[200];

void ktest_fail(const char *file, int line, const char *what, int64_t a, int64_t b)
{
    if (!checks_failed++)
        snprintf(first_failure, sizeof(first_failure), "%s:%d: %s (%ld vs %ld)",
                 file, line, what, (long)a, (long)b);
}

static int by_id(const void *a, const void *b)
{
    return strcmp((*(const struct ktest *const *)a)->id, (*(const struct ktest *const *)b)->id);
}

static int usage(struct ae_process_info *pi)
{
    return ae_process_info(ktest_self, pi) == AE_OK;
}

/* What a test must give back: handles, pages and threads it took. */
static void check_hygiene(const struct ae_process_info *before)
{
    struct ae_process_info after;
    int64_t r = ae_kernel_check(ktest_self);

    if (r != AE_OK)
        ktest_fail("runner", 0, "kernel_check: charges add up", r, 0);
    if (!usage(&after))
        return;
    if (after.used.handles != before->used.handles)
        ktest_fail("runner", 0, "handles given back", (int64_t)after.used.handles,
                   (int64_t)before->used.handles);
    if (after.used.pages != before->used.pages)
        ktest_fail("runner", 0, "pages given back", (int64_t)after.used.pages,
                   (int64_t)before->used.pages);
    if (after.used.threads != before->used.threads)
        ktest_fail("runner", 0, "threads given back", (int64_t)after.used.threads,
                   (int64_t)before->used.threads);
    if (after.carved.pages != before->carved.pages)
        ktest_fail("runner", 0, "child quotas returned", (int64_t)after.carved.pages,
                   (int64_t)before->carved.pages);
}

/* The handle table doubles as it fills but never shrinks, and its storage
 * counts in the process's pages: grow it once here, past what any test
 * holds at a time, so the hygiene check does not blame whichever test
 * happens to be the first to need more slots. */
static void reserve_handle_slots(void)
{
    int64_t h[100];

    for (int i = 0; i < 100; i++)
        h[i] = ae_handle_derive(ktest_self, AE_RIGHT_READ, 0, 0);
    for (int i = 0; i < 100; i++)
        if (h[i] > 0)
            ae_handle_close((ae_handle_t)h[i]);
}

int main(const struct ae_bootinfo *bi)
{
    static const struct ktest *tests[1024];
    size_t n = (size_t)(__stop_ktests - __start_ktests), failed = 0;

    ktest_self = bi->self;
    if (n > 1024)
        n = 1024;
    for (size_t i = 0; i < n; i++)
        tests[i] = &__start_ktests[i];
    qsort(tests, n, sizeof(tests[0]), by_id);
    reserve_handle_slots();
    ae_printf("ktest: running %lu kernel conformance tests", (unsigned long)n);
    for (size_t i = 0; i < n; i++) {
        struct ae_process_info before;
        checks_failed = 0;
        first_failure[0] = '\0';
        usage(&before);
        tests[i]->fn();
        check_hygiene(&before);
        if (checks_failed) {
            failed++;
            ae_printf("ktest: FAIL %s %s: %s", tests[i]->id, tests[i]->desc, first_failure);
        } else {
            ae_printf("ktest: PASS %s %s", tests[i]->id, tests[i]->desc);
        }
    }
    ae_printf("ktest: %lu passed, %lu failed", (unsigned long)(n - failed),
              (unsigned long)failed);
    return failed ? 1 : 0;
}

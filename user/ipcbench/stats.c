/*
 * Sample buffers and the summary line: each measurement stores one TSC delta
 * per iteration; report() sorts them (LSD radix sort: O(n) and indifferent to
 * the many equal values an instruction-counted run produces) and prints
 *
 *     ipcbench: <name> median=<cycles> min=<cycles> n=<iterations> mean=<> p99=<> max=<>
 *
 * median is the element at index n/2 of the sorted deltas (the upper median
 * for even n), p99 the one at n*99/100, mean the truncated average;
 * bench/linux-ref/linuxbench.c uses the same rules.
 */
#include "ipcbench.h"

uint64_t *ib_samples;
static uint64_t *sort_tmp;

int ib_stats_init(void)
{
    uint64_t bytes = (2ull * IB_MAX_SAMPLES * sizeof(uint64_t) + 4095) & ~4095ull;
    int64_t v = ae_vmo_create(bytes, 0), err;

    if (v < 0)
        return (int)v;
    err = ae_vmo_map((ae_handle_t)v, 0, IB_SAMPLES_VA, 0, bytes, AE_PROT_READ | AE_PROT_WRITE);
    ae_handle_close((ae_handle_t)v);
    if (err)
        return (int)err;
    ib_samples = (uint64_t *)IB_SAMPLES_VA;
    sort_tmp = ib_samples + IB_MAX_SAMPLES;
    return AE_OK;
}

static void sort_u64(uint64_t *a, uint64_t *tmp, unsigned n)
{
    uint64_t *src = a, *dst = tmp;

    for (unsigned shift = 0; shift < 64; shift += 8) {
        unsigned count[256] = {0}, pos = 0;
        for (unsigned i = 0; i < n; i++)
            count[(src[i] >> shift) & 255]++;
        if (count[(src[0] >> shift) & 255] == n)
            continue;                   /* every key has this byte: nothing moves */
        for (unsigned b = 0; b < 256; b++) {
            unsigned c = count[b];
            count[b] = pos;
            pos += c;
        }
        for (unsigned i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & 255]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof(uint64_t));
}

void ib_report(const char *name, unsigned n)
{
    uint64_t sum = 0;

    if (n == 0 || n > IB_MAX_SAMPLES)
        return;
    for (unsigned i = 0; i < n; i++)
        sum += ib_samples[i];
    sort_u64(ib_samples, sort_tmp, n);
    ae_printf("ipcbench: %s median=%lu min=%lu n=%u mean=%lu p99=%lu max=%lu", name,
              (unsigned long)ib_samples[n / 2], (unsigned long)ib_samples[0], n,
              (unsigned long)(sum / n), (unsigned long)ib_samples[(uint64_t)n * 99 / 100],
              (unsigned long)ib_samples[n - 1]);
}

void ib_fail(const char *what, int64_t err)
{
    ae_printf("ipcbench: error: %s: %s (%ld)", what, ae_strerror(err), (long)err);
    ae_process_exit(1);         /* every thread: ends QEMU in a test image */
}

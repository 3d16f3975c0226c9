/*
 * qsort: introsort. Quicksort with a median-of-three pivot, insertion sort
 * for short runs, and heapsort for any range the recursion has split more
 * than 2 log2(n) times (an input built to defeat the pivot choice), so the
 * comparisons stay O(n log n) whatever the input. Partitioning stops on
 * keys equal to the pivot from both sides, which splits runs of equal keys
 * evenly. Every index is bounds-checked, so an inconsistent comparator
 * gives an unsorted array, never an access outside it. bsearch is here too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef int (*cmp_fn)(const void *, const void *);

#define SHORT_RUN 12

static void swap(char *a, char *b, size_t size)
{
    char tmp[64];

    while (size > 0) {
        size_t n = size < sizeof(tmp) ? size : sizeof(tmp);
        memcpy(tmp, a, n);
        memcpy(a, b, n);
        memcpy(b, tmp, n);
        a += n;
        b += n;
        size -= n;
    }
}

static void insertion_sort(char *base, size_t n, size_t size, cmp_fn cmp)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && cmp(base + (j - 1) * size, base + j * size) > 0; j--)
            swap(base + (j - 1) * size, base + j * size, size);
}

static void sift_down(char *base, size_t root, size_t n, size_t size, cmp_fn cmp)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0)
            child++;
        if (cmp(base + root * size, base + child * size) >= 0)
            return;
        swap(base + root * size, base + child * size, size);
        root = child;
    }
}

static void heap_sort(char *base, size_t n, size_t size, cmp_fn cmp)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(base, i, n, size, cmp);
    for (size_t end = n - 1; end > 0; end--) {
        swap(base, base + end * size, size);
        sift_down(base, 0, end, size, cmp);
    }
}

/* Puts the median of the first, middle and last elements at base[0] and
 * partitions around it; returns the pivot's final index. */
static size_t partition(char *base, size_t n, size_t size, cmp_fn cmp)
{
    char *lo = base, *mid = base + (n / 2) * size, *hi = base + (n - 1) * size;
    size_t i = 1, j = n - 1;

    if (cmp(mid, lo) < 0)
        swap(mid, lo, size);
    if (cmp(hi, mid) < 0) {
        swap(hi, mid, size);
        if (cmp(mid, lo) < 0)
            swap(mid, lo, size);
    }
    swap(lo, mid, size);
    /* [1, i) <= pivot, (j, n) >= pivot */
    for (;;) {
        while (i <= j && cmp(base + i * size, base) < 0)
            i++;
        while (j >= i && cmp(base + j * size, base) > 0)
            j--;
        if (i >= j)
            break;
        swap(base + i * size, base + j * size, size);
        i++;
        j--;
    }
    swap(base, base + j * size, size);
    return j;
}

static void intro_sort(char *base, size_t n, size_t size, cmp_fn cmp, unsigned depth)
{
    while (n > SHORT_RUN) {
        if (depth-- == 0) {
            heap_sort(base, n, size, cmp);
            return;
        }
        size_t p = partition(base, n, size, cmp);
        /* Recurse into the smaller side, loop on the larger: the stack
         * stays O(log n) deep. */
        if (p < n - p - 1) {
            intro_sort(base, p, size, cmp, depth);
            base += (p + 1) * size;
            n -= p + 1;
        } else {
            intro_sort(base + (p + 1) * size, n - p - 1, size, cmp, depth);
            n = p;
        }
    }
    insertion_sort(base, n, size, cmp);
}

void qsort(void *base, size_t nmemb, size_t size, cmp_fn compar)
{
    unsigned log2n = 0;

    if (nmemb < 2 || size == 0)
        return;
    for (size_t k = nmemb; k > 1; k >>= 1)
        log2n++;
    intro_sort(base, nmemb, size, compar, 2 * log2n);
}

void *bsearch(const void *key, const void *base, size_t nmemb, size_t size, cmp_fn compar)
{
    const char *lo = base;

    while (nmemb > 0) {
        const char *mid = lo + (nmemb / 2) * size;
        int c = compar(key, mid);
        if (c == 0)
            return (void *)mid;
        if (c > 0) {
            lo = mid + size;
            nmemb -= nmemb / 2 + 1;
        } else {
            nmemb /= 2;
        }
    }
    return NULL;
}

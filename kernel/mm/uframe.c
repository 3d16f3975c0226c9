/* Charge first, then allocate: a refused charge allocates nothing. */
#include "mm/uframe.h"
#include "mm/frame.h"
#include "mm/kcharge.h"
#include "quota/quota.h"
#include "aether/errors.h"
#include "mm/layout.h"
#include "common/string.h"
#include "panic.h"

static uint64_t in_use;

int uframe_alloc(struct quota *q, uint64_t *phys)
{
    int err = quota_charge(q, QUOTA_PAGES, 1);

    if (err)
        return err;
    err = frame_alloc_zeroed(phys);
    if (err) {
        quota_uncharge(q, QUOTA_PAGES, 1);
        return AE_ERR_NOMEM;
    }
    in_use++;
    return AE_OK;
}

void uframe_free(struct quota *q, uint64_t phys)
{
    KASSERT(in_use > 0);
    if (frame_free(phys))
        panic("uframe: free of frame %#lx refused", (unsigned long)phys);
    quota_uncharge(q, QUOTA_PAGES, 1);
    in_use--;
}

uint64_t uframe_in_use(void)
{
    return in_use;
}

int uframe_charge_held(struct quota *q, uint64_t n)
{
    int err = quota_charge(q, QUOTA_PAGES, n);

    if (!err)
        in_use += n;
    return err;
}

void uframe_uncharge_held(struct quota *q, uint64_t n)
{
    KASSERT(in_use >= n);
    if (quota_uncharge(q, QUOTA_PAGES, n))
        panic("uframe: uncharge of %lu held frames refused", (unsigned long)n);
    in_use -= n;
}

int uframe_check(const struct quota *root)
{
    uint64_t sum, kpages, kbytes;

    if (quota_check_tree(root, QUOTA_PAGES, &sum) ||
        quota_check_kbytes(root, &kpages, &kbytes))
        return AE_ERR_CORRUPT;
    return sum == in_use + kpages && kbytes == kcharge_total() ? AE_OK : AE_ERR_CORRUPT;
}

int uframe_alloc_contig(struct quota *q, uint64_t n, uint64_t *phys)
{
    int err = quota_charge(q, QUOTA_PAGES, n);

    if (err)
        return err;
    if (frame_alloc_contig(n, phys)) {
        quota_uncharge(q, QUOTA_PAGES, n);
        return AE_ERR_NOMEM;
    }
    memset(phys_to_virt(*phys), 0, n * 4096);
    in_use += n;
    return AE_OK;
}

#include "mm/kcharge.h"
#include "mm/kheap.h"
#include "quota/quota.h"
#include "trace/trace_points.h"
#include "aether/errors.h"
#include "panic.h"

static uint64_t total;

int kcharge(struct quota *q, uint64_t size)
{
    int err;

    if (!q)
        return AE_OK;
    err = quota_charge_bytes(q, size);
    if (err) {
        trace_kbytes_deny(q, size);
        return err;
    }
    total += size;
    return AE_OK;
}

void kuncharge(struct quota *q, uint64_t size)
{
    if (!q)
        return;
    if (quota_uncharge_bytes(q, size) || total < size)
        panic("kcharge: uncharge of %lu bytes not charged", (unsigned long)size);
    total -= size;
}

int kcharge_zalloc(struct quota *q, size_t size, void **out)
{
    void *p;
    int err = kcharge(q, size);

    if (err)
        return err;
    p = kzalloc(size);
    if (!p) {
        kuncharge(q, size);
        return AE_ERR_NOMEM;
    }
    *out = p;
    return AE_OK;
}

void kcharge_free(struct quota *q, void *p, size_t size)
{
    if (!p)
        return;
    kfree(p);
    kuncharge(q, size);
}

uint64_t kcharge_total(void)
{
    return total;
}

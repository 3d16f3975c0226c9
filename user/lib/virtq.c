/*
 * See virtq.h. The device reads the available ring and writes the used
 * ring concurrently: a posted descriptor must be complete before the index
 * that shows it moves (release), and a used entry is read only after the
 * index that shows it (acquire).
 */
#include <string.h>

#include "virtq.h"
#include "aether/errors.h"

static size_t align_up(size_t v, size_t a)
{
    return (v + a - 1) & ~(a - 1);
}

static size_t avail_off(unsigned n)
{
    return 16u * n;
}

static size_t used_off(unsigned n)
{
    return align_up(avail_off(n) + 6 + 2u * n, 4);
}

size_t virtq_bytes(unsigned n)
{
    return used_off(n) + 6 + 8u * n;
}

int virtq_init(struct virtq *q, void *mem, uint64_t phys, unsigned n)
{
    if (!n || n > VIRTQ_MAX || (n & (n - 1)))
        return AE_ERR_INVAL;
    memset(q, 0, sizeof(*q));
    q->n = (uint16_t)n;
    q->desc = mem;
    q->avail = (volatile uint16_t *)((char *)mem + avail_off(n));
    q->used = (volatile uint32_t *)((char *)mem + used_off(n));
    q->desc_phys = phys;
    q->avail_phys = phys + avail_off(n);
    q->used_phys = phys + used_off(n);
    for (unsigned i = 0; i < n; i++)
        q->free[i] = (uint16_t)(n - 1 - i);
    q->nfree = (uint16_t)n;
    return AE_OK;
}

int virtq_post(struct virtq *q, uint64_t phys, uint32_t len, uint16_t flags, uint32_t token)
{
    uint16_t d;

    if (!q->nfree)
        return AE_ERR_AGAIN;
    d = q->free[--q->nfree];
    q->desc[d].addr = phys;
    q->desc[d].len = len;
    q->desc[d].flags = flags & VIRTQ_WRITE;
    q->desc[d].next = 0;
    q->token[d] = token;
    q->out[d] = 1;
    q->avail[2 + q->avail_idx % q->n] = d;
    q->avail_idx++;
    __atomic_store_n(&q->avail[1], q->avail_idx, __ATOMIC_RELEASE);
    return AE_OK;
}

int virtq_reap(struct virtq *q, uint32_t *token, uint32_t *len)
{
    uint16_t idx = (uint16_t)(__atomic_load_n(&q->used[0], __ATOMIC_ACQUIRE) >> 16);
    uint32_t id;

    if (idx == q->used_seen)
        return AE_ERR_AGAIN;
    /* The device cannot have used more than is out. */
    if ((uint16_t)(idx - q->used_seen) > virtq_outstanding(q))
        return AE_ERR_CORRUPT;
    id = q->used[1 + 2 * (q->used_seen % q->n)];
    if (id >= q->n || !q->out[id])
        return AE_ERR_CORRUPT;
    *len = q->used[2 + 2 * (q->used_seen % q->n)];
    *token = q->token[id];
    q->out[id] = 0;
    q->free[q->nfree++] = (uint16_t)id;
    q->used_seen++;
    return AE_OK;
}

unsigned virtq_outstanding(const struct virtq *q)
{
    return (unsigned)q->n - q->nfree;
}

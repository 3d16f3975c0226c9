#include "clientbuf.h"

struct ae_client *ae_client_of(struct ae_clients *t, uint64_t badge)
{
    struct ae_client *free_slot = NULL;

    for (unsigned i = 0; i < AE_CLIENTS_MAX; i++) {
        if (t->c[i].used && t->c[i].badge == badge)
            return &t->c[i];
        if (!t->c[i].used && !free_slot)
            free_slot = &t->c[i];
    }
    if (free_slot)
        *free_slot = (struct ae_client){1, badge, NULL, 0};
    return free_slot;
}

unsigned ae_client_index(const struct ae_clients *t, const struct ae_client *c)
{
    return (unsigned)(c - t->c);
}

int64_t ae_client_setbuf(struct ae_clients *t, uint64_t badge, const struct ae_msg *m)
{
    struct ae_client *c = ae_client_of(t, badge);
    uint64_t va, size = m->w[0];
    int64_t r;

    if (!c)
        return AE_ERR_QUOTA;
    va = t->base_va + ae_client_index(t, c) * AE_CLIENT_BUF_MAX;
    if (AE_MSG_NHANDLES(m->info) != 1 || size < 4096 || size > AE_CLIENT_BUF_MAX ||
        size % 4096)
        return AE_ERR_INVAL;
    if (c->buf)
        ae_vmo_unmap(0, va, c->size);
    c->buf = NULL;
    r = ae_vmo_map(m->h[0], 0, va, 0, size, AE_PROT_READ | AE_PROT_WRITE);
    if (r)
        return r;
    c->buf = (uint8_t *)va;
    c->size = size;
    return AE_OK;
}

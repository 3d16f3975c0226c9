/*
 * Decode, then act: every function checks everything that can fail before
 * it changes a table, a tree or a count, so an error leaves no trace.
 */
#include "cap/handles.h"
#include "cap/cap.h"
#include "cap/handle_table.h"
#include "ipc/endpoint.h"
#include "mm/kcharge.h"
#include "obj/kobj.h"
#include "proc/process.h"
#include "quota/quota.h"
#include "trace/trace_points.h"
#include "lib/string.h"
#include "aether/errors.h"
#include "aether/rights.h"

/* Objects that care how many capabilities name them (endpoints count the
 * ones that can receive). */
static void cap_gained(struct kobj *o, uint32_t rights)
{
    if (o->type == AE_OBJ_ENDPOINT)
        endpoint_cap_gained((struct endpoint *)o, rights);
}

static void cap_lost(struct kobj *o, uint32_t rights)
{
    if (o->type == AE_OBJ_ENDPOINT)
        endpoint_cap_lost((struct endpoint *)o, rights);
}

/* Table storage is memory like any other: charged to the owner's pages.
 * (Its QUOTA_HANDLES is counted per live handle in cap_alloc instead, so
 * the table's doubling never rounds the handle quota down.) */
static void *table_alloc(size_t n, size_t size, void *ctx)
{
    struct process *p = ctx;
    void *mem;

    return kcharge_zalloc(&p->acct->q, n * size, &mem) ? NULL : mem;
}

static void table_free(void *mem, size_t n, size_t size, void *ctx)
{
    struct process *p = ctx;

    kcharge_free(&p->acct->q, mem, n * size);
}

void handles_init(struct process *p)
{
    struct ht_ops ops = {table_alloc, table_free, p};
    ht_init(&p->handles, &ops, HT_MAX_SLOTS - 1);
}

/* A handle costs one QUOTA_HANDLES unit and its node's bytes. */
static int cap_alloc(struct process *p, struct cap **out)
{
    void *c;
    int err = quota_charge(&p->acct->q, QUOTA_HANDLES, 1);

    if (err)
        return err;
    err = kcharge_zalloc(&p->acct->q, sizeof(struct cap), &c);
    if (err) {
        quota_uncharge(&p->acct->q, QUOTA_HANDLES, 1);
        return err;
    }
    *out = c;
    return AE_OK;
}

static void cap_free(struct process *p, struct cap *c)
{
    kcharge_free(&p->acct->q, c, sizeof(*c));
    quota_uncharge(&p->acct->q, QUOTA_HANDLES, 1);
}

int handle_install(struct process *p, struct kobj *obj, uint32_t rights,
                   uint64_t badge, ae_handle_t *out)
{
    struct cap *c;
    int err = cap_alloc(p, &c);

    if (err)
        return err;
    cap_init_root(c, obj, obj->type, rights & AE_RIGHTS_ALL, badge);
    err = ht_insert(&p->handles, c, out);
    if (err) {
        cap_free(p, c);
        return err;
    }
    kobj_ref(obj);
    cap_gained(obj, c->rights);
    return AE_OK;
}

int handle_get(struct process *p, ae_handle_t h, uint32_t type, uint32_t rights,
               struct cap **out)
{
    struct cap *c;
    int err = ht_lookup(&p->handles, h, &c);

    if (err)
        return err;
    if (c->revoked)
        return AE_ERR_REVOKED;
    if (type != AE_OBJ_ANY && c->type != type)
        return AE_ERR_INVAL;
    if ((c->rights & rights) != rights)
        return AE_ERR_ACCESS;
    *out = c;
    return AE_OK;
}

static void drop_cap(struct process *p, struct cap *c)
{
    if (!c->revoked) {
        struct kobj *o = c->obj;
        cap_unlink(c);
        cap_lost(o, c->rights);
        kobj_unref(o);
    }
    cap_free(p, c);
}

int handle_close(struct process *p, ae_handle_t h)
{
    struct cap *c;
    int err = ht_remove(&p->handles, h, &c);

    if (err)
        return err;
    drop_cap(p, c);
    return AE_OK;
}

int handle_derive(struct process *p, ae_handle_t h, uint32_t rights,
                  uint64_t badge, bool set_badge, ae_handle_t *out)
{
    struct cap *parent, *c;
    int err = handle_get(p, h, AE_OBJ_ANY, AE_RIGHT_DERIVE, &parent);

    if (err)
        return err;
    if ((rights & ~AE_RIGHTS_ALL) || (rights & ~parent->rights))
        return AE_ERR_ACCESS;
    if (set_badge && parent->badge)
        return AE_ERR_INVAL;
    err = cap_alloc(p, &c);
    if (err)
        return err;
    err = cap_derive(parent, c, rights, badge, set_badge);
    if (!err)
        err = ht_insert(&p->handles, c, out);
    if (err) {
        if (c->parent)
            cap_unlink(c);
        cap_free(p, c);
        return err;
    }
    kobj_ref(c->obj);
    cap_gained(c->obj, c->rights);
    return AE_OK;
}

/* cap_revoke detached the node (its obj is now NULL); the node itself stays
 * in its table, answering AE_ERR_REVOKED, until that handle is closed. */
static void revoke_one(struct cap *c, void *ctx)
{
    cap_lost(ctx, c->rights);
}

int handle_revoke(struct process *p, ae_handle_t h)
{
    struct cap *c;
    int err = handle_get(p, h, AE_OBJ_ANY, AE_RIGHT_DERIVE, &c);
    void *obj;

    if (err)
        return err;
    obj = c->obj;
    /* Every descendant holds a reference on the same object as c, which c
     * keeps alive throughout; drop them after the walk. */
    unsigned n = cap_revoke(c, revoke_one, obj);
    for (unsigned i = 0; i < n; i++)
        kobj_unref(obj);
    return (int)n;
}

int handle_transfer(struct process *src, const ae_handle_t *hs, unsigned n,
                    struct process *dst, ae_handle_t *out)
{
    struct cap *caps[HANDLE_MAX_TRANSFER];
    int err;

    if (n > HANDLE_MAX_TRANSFER)
        return AE_ERR_INVAL;
    for (unsigned i = 0; i < n; i++) {
        err = handle_get(src, hs[i], AE_OBJ_ANY, AE_RIGHT_GRANT, &caps[i]);
        if (err)
            return err;
        for (unsigned j = 0; j < i; j++)
            if (hs[j] == hs[i])
                return AE_ERR_INVAL;
    }
    /* Within one process the charges stay where they are. Otherwise the
     * nodes' bytes are charged to dst before anything moves, and dst's
     * table is filled next: those are the steps that can fail. */
    if (src != dst && quota_available(&dst->acct->q, QUOTA_HANDLES) < n) {
        trace_quota_deny(&dst->acct->q, QUOTA_HANDLES, n);
        return AE_ERR_QUOTA;
    }
    err = src != dst ? kcharge(&dst->acct->q, n * sizeof(struct cap)) : AE_OK;
    if (err)
        return err;
    for (unsigned i = 0; i < n; i++) {
        err = ht_insert(&dst->handles, caps[i], &out[i]);
        if (err) {
            for (unsigned j = 0; j < i; j++) {
                struct cap *dummy;
                ht_remove(&dst->handles, out[j], &dummy);
            }
            if (src != dst)
                kuncharge(&dst->acct->q, n * sizeof(struct cap));
            return err;
        }
    }
    for (unsigned i = 0; i < n; i++) {
        struct cap *dummy;
        ht_remove(&src->handles, hs[i], &dummy);
        quota_uncharge(&src->acct->q, QUOTA_HANDLES, 1);
        quota_charge(&dst->acct->q, QUOTA_HANDLES, 1);
    }
    if (src != dst)
        kuncharge(&src->acct->q, n * sizeof(struct cap));
    return AE_OK;
}

static void close_each(struct cap *c, void *ctx)
{
    drop_cap(ctx, c);
}

void handles_close_all(struct process *p)
{
    ht_destroy(&p->handles, close_each, p);
}

int cap_derive_kernel(struct cap *parent, uint32_t rights, struct quota *payer,
                      struct cap **out)
{
    struct cap *c;
    uint32_t saved = parent->rights;
    int err = kcharge_zalloc(payer, sizeof(*c), (void **)&c);

    if (err)
        return err;
    /* The kernel's copy is made by a call that was already authorised
     * (process_set_fault checked SEND), so it needs no DERIVE right on the
     * parent: lend it for the tree operation. Linking the copy under the
     * parent lets a revoke of the parent reach it too. */
    parent->rights |= AE_RIGHT_DERIVE;
    err = cap_derive(parent, c, rights & saved, 0, false);
    parent->rights = saved;
    if (err) {
        kcharge_free(payer, c, sizeof(*c));
        return err;
    }
    kobj_ref(c->obj);
    cap_gained(c->obj, c->rights);
    *out = c;
    return AE_OK;
}

void cap_release_kernel(struct cap *c, struct quota *payer)
{
    if (!c->revoked) {
        struct kobj *o = c->obj;
        cap_unlink(c);
        cap_lost(o, c->rights);
        kobj_unref(o);
    }
    kcharge_free(payer, c, sizeof(*c));
}

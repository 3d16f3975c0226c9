/* A signal with a waiter hands the bits straight to it. */
#include "ipc/notify.h"
#include "sched/thread.h"
#include "arch/x86_64/clock.h"
#include "arch/x86_64/percpu.h"
#include "mm/kcharge.h"
#include "mm/kheap.h"
#include "aether/errors.h"
#include "panic.h"

int notify_create(struct quota *payer, struct notify **out)
{
    struct notify *n;
    int err = kcharge_zalloc(payer, sizeof(*n), (void **)&n);

    if (err)
        return err;
    kobj_init(&n->obj, AE_OBJ_NOTIFICATION);
    kobj_set_payer(&n->obj, payer, sizeof(*n));
    list_init(&n->waiters);
    *out = n;
    return AE_OK;
}

void notify_destroy(struct notify *n)
{
    KASSERT(list_empty(&n->waiters));
    kfree(n);
}

int notify_signal(struct notify *n, uint64_t bits)
{
    struct list_node *w;

    if (!bits || (bits & ~NOTIFY_BITS_MASK))
        return AE_ERR_INVAL;
    n->bits |= bits;
    w = list_first(&n->waiters);
    if (w) {
        struct thread *t = container_of(w, struct thread, wait_link);
        uint64_t got = n->bits;
        n->bits = 0;
        thread_wake(t, (int64_t)got);
    }
    return AE_OK;
}

int64_t notify_wait(struct notify *n, uint64_t timeout_ns)
{
    uint64_t deadline = 0;
    int64_t r;

    if (n->bits) {
        uint64_t got = n->bits;
        n->bits = 0;
        return (int64_t)got;
    }
    if (timeout_ns == 0)
        return AE_ERR_TIMEOUT;
    /* A deadline past 2^64 ns is as good as none (no wrap-around). */
    if (timeout_ns != UINT64_MAX && !__builtin_add_overflow(clock_ns(), timeout_ns, &deadline)) {
        if (deadline == 0)
            deadline = 1;
    } else {
        deadline = 0;
    }
    r = thread_block_holding(&n->obj, &n->waiters, deadline);
    thread_release_blocked();
    return r;
}

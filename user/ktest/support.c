/*
 * Helpers for tests: threads with their own stacks, and child processes
 * running a function of this program (a copy of our image, mapped at the
 * same addresses: text RX, rodata R, data RW).
 */
#include "ktest.h"
#include "common/string.h"

#define STACK_BASE 0x0000200000000000ull
#define STACK_SPACING 0x100000ull
#define STACK_SIZE 0x10000ull
#define MAX_THREADS 64
#define SCRATCH_VA 0x0000280000000000ull

extern char __image_start[], __text_end[], __rodata_end[], __image_end[];

static struct {
    ae_handle_t t;
    int used;
} slots[MAX_THREADS];

ae_handle_t ktest_thread(void (*fn)(void *), void *arg)
{
    for (int i = 0; i < MAX_THREADS; i++) {
        if (slots[i].used)
            continue;
        int64_t t = ae_thread_spawn(ktest_self, fn, arg, STACK_BASE + i * STACK_SPACING,
                                    STACK_SIZE);
        if (t < 0)
            return 0;
        slots[i].used = 1;
        slots[i].t = (ae_handle_t)t;
        return (ae_handle_t)t;
    }
    return 0;
}

int64_t ktest_join(ae_handle_t t)
{
    for (int i = 0; i < MAX_THREADS; i++) {
        if (!slots[i].used || slots[i].t != t)
            continue;
        int64_t code = ae_thread_wait(t, KTEST_WAIT_NS);
        ae_handle_close(t);
        ae_vmo_unmap(0, STACK_BASE + i * STACK_SPACING, STACK_SIZE);
        slots[i].used = 0;
        return code;
    }
    return AE_ERR_NOTFOUND;
}

static int64_t (*volatile child_fn)(uint64_t);

static void __attribute__((noreturn, used)) child_entry(uint64_t arg)
{
    ae_process_exit(child_fn(arg));
}

/* Copies our image into a fresh VMO and maps it into p like our own. */
static int64_t map_image(ae_handle_t p)
{
    uint64_t size = (uint64_t)(__image_end - __image_start);
    uint64_t base = (uint64_t)__image_start, text = (uint64_t)(__text_end - __image_start);
    uint64_t ro = (uint64_t)(__rodata_end - __text_end);
    int64_t v = ae_vmo_create(size, 0), err;

    if (v < 0)
        return v;
    err = ae_vmo_map((ae_handle_t)v, 0, SCRATCH_VA, 0, size, AE_PROT_READ | AE_PROT_WRITE);
    if (!err) {
        memcpy((void *)SCRATCH_VA, __image_start, size);
        ae_vmo_unmap(0, SCRATCH_VA, size);
        err = ae_vmo_map((ae_handle_t)v, p, base, 0, text, AE_PROT_READ | AE_PROT_EXEC);
    }
    if (!err)
        err = ae_vmo_map((ae_handle_t)v, p, base + text, text, ro, AE_PROT_READ);
    if (!err)
        err = ae_vmo_map((ae_handle_t)v, p, base + text + ro, text + ro,
                         size - text - ro, AE_PROT_READ | AE_PROT_WRITE);
    ae_handle_close((ae_handle_t)v);
    return err;
}

ae_handle_t ktest_child(int64_t (*fn)(uint64_t), uint64_t arg,
                        const struct ae_quota_limits *lim, ae_handle_t give,
                        ae_handle_t *given)
{
    static const struct ae_quota_limits dflt = {256, 64, 8, 100};
    int64_t p, v, t, err;

    child_fn = fn;              /* copied into the child with our data */
    p = ae_process_create(ktest_self, "child", lim ? lim : &dflt);
    if (p < 0)
        return 0;
    err = map_image((ae_handle_t)p);
    v = err ? err : ae_vmo_create(STACK_SIZE, 0);
    if (v >= 0) {
        err = ae_vmo_map((ae_handle_t)v, (ae_handle_t)p, AE_STACK_TOP - STACK_SIZE, 0,
                         STACK_SIZE, AE_PROT_READ | AE_PROT_WRITE);
        ae_handle_close((ae_handle_t)v);
    } else {
        err = v;
    }
    if (!err && give) {
        int64_t g = ae_handle_grant((ae_handle_t)p, give);
        err = g < 0 ? g : 0;
        if (g > 0) {
            arg = (uint64_t)g;      /* the child learns its handle's value */
            if (given)
                *given = (ae_handle_t)g;
        }
    }
    t = err ? err : ae_thread_create((ae_handle_t)p, (uint64_t)child_entry,
                                         AE_STACK_TOP - 8, arg);
    if (t < 0 || ae_thread_start((ae_handle_t)t) != AE_OK) {
        if (t > 0)
            ae_handle_close((ae_handle_t)t);
        ae_process_kill((ae_handle_t)p, -1);
        ae_process_wait((ae_handle_t)p, KTEST_WAIT_NS);
        ae_handle_close((ae_handle_t)p);
        return 0;
    }
    ae_handle_close((ae_handle_t)t);
    return (ae_handle_t)p;
}

int64_t ktest_wait_child(ae_handle_t p)
{
    int64_t r = ae_process_wait(p, KTEST_WAIT_NS);
    ae_handle_close(p);
    return r;
}

static int64_t (*volatile go_fn)(uint64_t);

/* In the child: wait for the parent's go, then run the test function. */
static int64_t wait_for_go(uint64_t go_ep)
{
    struct ae_msg m = {0};
    int64_t r = ae_ipc_recv((ae_handle_t)go_ep, &m);

    return r ? 200 + (-r) : go_fn(0);
}

ae_handle_t ktest_child_after_go(int64_t (*fn)(uint64_t), ae_handle_t fault_ep,
                                 uint64_t badge)
{
    int64_t go = ae_endpoint_create(), rx;
    struct ae_msg m = {AE_MSG_INFO(1, 0), {0}, {0}, 0};
    ae_handle_t p;

    if (go < 0)
        return 0;
    rx = ae_handle_derive((ae_handle_t)go, AE_RIGHT_RECV | AE_RIGHT_GRANT, 0, 0);
    go_fn = fn;                 /* copied into the child with our data */
    p = rx > 0 ? ktest_child(wait_for_go, 0, NULL, (ae_handle_t)rx, NULL) : 0;
    if (p && (ae_process_set_fault(p, fault_ep, badge) != AE_OK || ae_ipc_send((ae_handle_t)go, &m) != AE_OK)) {
        ae_process_kill(p, -1);
        ktest_wait_child(p);
        p = 0;
    }
    if (!p && rx > 0)
        ae_handle_close((ae_handle_t)rx);   /* BAD_HANDLE if it moved: fine */
    ae_handle_close((ae_handle_t)go);
    return p;
}

int64_t ktest_fault_report(ae_handle_t ep, struct ae_msg *m)
{
    *m = (struct ae_msg){0};
    return ae_ipc_recv(ep, m);
}

struct ae_process_info ktest_pinfo(ae_handle_t p)
{
    struct ae_process_info pi;
    int64_t r = ae_process_info(p, &pi);

    CHECK_OK(r);
    if (r != AE_OK)
        __builtin_memset(&pi, 0xff, sizeof(pi));
    return pi;
}

uint64_t ktest_frames(ae_handle_t p)
{
    struct ae_process_info pi = ktest_pinfo(p);
    return ktest_frames_of(&pi);
}

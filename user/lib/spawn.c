/*
 * ae_spawn: a child process running a function of this program (spawn.h).
 *
 * The image is laid out by user/lib/user.ld: text [__image_start,
 * __text_end), rodata [__text_end, __rodata_end), data+bss [__rodata_end,
 * __image_end), all page-aligned. Text and rodata are copied once into a
 * VMO that every child maps (RX and R); data+bss are copied per child, and
 * the copy is patched with the child's own spawn state (function, argument,
 * handles) before the child can run, so nothing is passed through shared
 * memory and concurrent spawns do not race.
 */
#include <aelibc.h>

#include "spawn.h"
#include "scratch.h"
#include "common/string.h"

#define PAGE 4096ull

extern char __image_start[], __text_end[], __rodata_end[], __image_end[];

const struct ae_quota_limits ae_spawn_default_limits = {256, 64, 8, 100};

/* This process's spawn state. It lives in data/bss, so each child's copy of
 * it is its own: ae_spawn writes the child's values into the copy. */
static struct spawn_state {
    int64_t (*fn)(uint64_t);
    uint64_t arg;
    ae_handle_t handles[AE_SPAWN_MAX_GIVE];
    unsigned nhandles;
    int is_child;
    ae_handle_t code_vmo;       /* the shared text+rodata copy, 0 until made */
} S;

static void __attribute__((noreturn, used)) spawn_entry(void)
{
    ae_bootinfo = NULL;         /* the parent's pointer: nothing is mapped there */
    libc_reset_after_spawn();   /* nor is the parent's heap */
    libc_exit_status(S.fn(S.arg));
}

/* Fills vmo with size bytes from src through a scratch mapping, then
 * overwrites [patch_off, +patch_len) of the copy with patch (if any). */
static int fill(ae_handle_t vmo, const void *src, uint64_t size, uint64_t patch_off,
                const void *patch, uint64_t patch_len)
{
    int64_t va = ae_scratch_map(vmo, 0, size);

    if (va < 0)
        return (int)va;
    memcpy((void *)va, src, size);
    if (patch)
        memcpy((char *)va + patch_off, patch, patch_len);
    ae_scratch_unmap((uint64_t)va, size);
    return AE_OK;
}

/* The shared copy of text+rodata: made once, first caller wins a race. */
static int64_t code_copy(void)
{
    ae_handle_t h = __atomic_load_n(&S.code_vmo, __ATOMIC_ACQUIRE), expected = 0;
    uint64_t size = (uint64_t)(__rodata_end - __image_start);
    int64_t v;
    int err;

    if (h)
        return h;
    v = ae_vmo_create(size, 0);
    if (v < 0)
        return v;
    err = fill((ae_handle_t)v, __image_start, size, 0, NULL, 0);
    if (err) {
        ae_handle_close((ae_handle_t)v);
        return err;
    }
    if (!__atomic_compare_exchange_n(&S.code_vmo, &expected, (ae_handle_t)v, 0,
                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        ae_handle_close((ae_handle_t)v);
        return expected;
    }
    return v;
}

/* Maps a fresh VMO of size bytes, filled from src (or zero), into p at va. */
static int map_fresh(ae_handle_t p, uint64_t va, uint64_t size, const void *src,
                     const struct spawn_state *patch)
{
    int64_t v = ae_vmo_create(size, 0), err = AE_OK;

    if (v < 0)
        return (int)v;
    if (src)
        err = fill((ae_handle_t)v, src, size, (uint64_t)((char *)&S - __rodata_end), patch,
                   sizeof(*patch));
    if (!err)
        err = ae_vmo_map((ae_handle_t)v, p, va, 0, size, AE_PROT_READ | AE_PROT_WRITE);
    ae_handle_close((ae_handle_t)v);        /* the child's mapping keeps it */
    return (int)err;
}

int64_t ae_spawn(ae_handle_t self, int64_t (*fn)(uint64_t arg), uint64_t arg,
                 const struct ae_spawn_opts *opts, ae_handle_t *given)
{
    static const struct ae_spawn_opts none;
    const struct ae_spawn_opts *o = opts ? opts : &none;
    uint64_t stack = o->stack_size ? o->stack_size : AE_SPAWN_STACK_SIZE;
    uint64_t base = (uint64_t)__image_start;
    uint64_t text = (uint64_t)(__text_end - __image_start);
    uint64_t ro = (uint64_t)(__rodata_end - __text_end);
    uint64_t data = (uint64_t)(__image_end - __rodata_end);
    struct spawn_state child = {0};
    int64_t code, p, t = 0, err = AE_OK;

    if (!fn || o->ngive > AE_SPAWN_MAX_GIVE || (o->ngive && !o->give) ||
        (stack & (PAGE - 1)) || stack > AE_STACK_TOP / 2)
        return AE_ERR_INVAL;
    code = code_copy();
    if (code < 0)
        return code;
    p = ae_process_create(self, o->name ? o->name : "child",
                          o->limits ? o->limits : &ae_spawn_default_limits);
    if (p < 0)
        return p;

    child.fn = fn;
    child.arg = arg;
    child.is_child = 1;
    for (unsigned i = 0; i < o->ngive && !err; i++) {
        int64_t g = ae_handle_grant((ae_handle_t)p, o->give[i]);
        if (g < 0) {
            err = g;
        } else {
            child.handles[i] = (ae_handle_t)g;
            if (given)
                given[i] = (ae_handle_t)g;
        }
    }
    child.nhandles = o->ngive;
    if (!err)
        err = ae_vmo_map((ae_handle_t)code, (ae_handle_t)p, base, 0, text,
                         AE_PROT_READ | AE_PROT_EXEC);
    if (!err && ro)
        err = ae_vmo_map((ae_handle_t)code, (ae_handle_t)p, base + text, text, ro,
                         AE_PROT_READ);
    if (!err && data)
        err = map_fresh((ae_handle_t)p, base + text + ro, data, __rodata_end, &child);
    if (!err)
        err = map_fresh((ae_handle_t)p, AE_STACK_TOP - stack, stack, NULL, NULL);
    if (!err) {
        /* As if called: RSP + 8 is 16-byte aligned at the first instruction. */
        t = ae_thread_create((ae_handle_t)p, (uint64_t)spawn_entry, AE_STACK_TOP - 8, 0);
        if (t < 0)
            err = t;
    }
    if (!err && (o->flags & AE_SPAWN_PIN_CPU))
        err = ae_thread_set_affinity((ae_handle_t)t, o->cpu);
    if (!err)
        err = ae_thread_start((ae_handle_t)t);
    if (t > 0)
        ae_handle_close((ae_handle_t)t);
    if (err) {
        ae_process_kill((ae_handle_t)p, err);
        ae_process_wait((ae_handle_t)p, AE_WAIT_FOREVER);
        ae_handle_close((ae_handle_t)p);
        return err;
    }
    return p;
}

int64_t ae_spawn_wait(ae_handle_t child, uint64_t timeout_ns)
{
    int64_t r = ae_process_wait(child, timeout_ns);

    if (r != AE_ERR_TIMEOUT)
        ae_handle_close(child);
    return r;
}

ae_handle_t ae_spawn_handle(unsigned i)
{
    return S.is_child && i < S.nhandles ? S.handles[i] : 0;
}

void ae_spawn_release(void)
{
    ae_handle_t h = __atomic_exchange_n(&S.code_vmo, 0, __ATOMIC_ACQ_REL);

    if (h)
        ae_handle_close(h);
}

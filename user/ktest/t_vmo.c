/*
 * Memory objects: creation, mapping rules and every error of vmo_map /
 * vmo_unmap / vmo_info, mappings in other processes, page charges, and
 * zero-copy MOVE of VMO handles in messages (AE_MSG_SHARE or not).
 *
 * Cross-process tests drive an "agent": a child that calls its parent, does
 * the command carried by the reply and calls again with the result. Its
 * fault endpoint is the same endpoint, and the parent replies with
 * ipc_reply_recv, so a command that faults the agent answers with the fault
 * report instead: every step is deterministic.
 */
#include "ktest.h"

#define PAGE 4096ull
#define RW (AE_PROT_READ | AE_PROT_WRITE)
#define RX (AE_PROT_READ | AE_PROT_EXEC)
#define VA 0x0000310000000000ull        /* this file's own scratch addresses */
#define VA2 (VA + 0x100000ull)          /* same page table as VA */
#define VA3 (VA + 0x40000000ull)        /* another 1 GiB region */
#define USER_LOWEST 0x10000ull
#define USER_TOP 0x0000800000000000ull
/* In a child: the 2 MiB below its stack share the stack's page table, so
 * mapping there costs the child no page-table pages. */
#define CHILD_VA (AE_STACK_TOP - 0x200000ull)

extern char __image_start[];

static uint64_t pat(uint64_t seed, uint64_t i)
{
    return (seed * 0x9e3779b97f4a7c15ull) ^ (i * 0x100000001b3ull) ^ i;
}

static void fill(uint64_t va, uint64_t len, uint64_t seed)
{
    volatile uint64_t *w = (volatile uint64_t *)va;
    for (uint64_t i = 0; i < len / 8; i++)
        w[i] = pat(seed, i);
}

static uint64_t mismatches(uint64_t va, uint64_t len, uint64_t seed)
{
    volatile uint64_t *w = (volatile uint64_t *)va;
    uint64_t bad = 0;
    for (uint64_t i = 0; i < len / 8; i++)
        bad += w[i] != pat(seed, i);
    return bad;
}

static uint64_t nonzero(uint64_t va, uint64_t len)
{
    volatile uint64_t *w = (volatile uint64_t *)va;
    uint64_t n = 0;
    for (uint64_t i = 0; i < len / 8; i++)
        n += w[i] != 0;
    return n;
}

static ae_handle_t new_vmo(uint64_t size)
{
    return CHECK_HANDLE(ae_vmo_create(size, 0));
}

/* An empty process (no threads, no image) to map into. */
static ae_handle_t empty_process(uint64_t pages)
{
    struct ae_quota_limits lim = {pages, 4, 1, 0};
    return CHECK_HANDLE(ae_process_create(ktest_self, "vmo", &lim));
}

/* ---- the agent -------------------------------------------------------------- */

enum {
    AG_EXIT = 1,    /* exit with status x */
    AG_READ,        /* -> the word at x */
    AG_WRITE,       /* the word at x = y */
    AG_CREATE,      /* a VMO of x bytes mapped RW at y, filled with seed z
                     * -> {handle, map result} */
    AG_SEND,        /* the next call carries the VMO handle; x: AE_MSG_SHARE */
    AG_MAP,         /* map the VMO the reply carried (else its own) at x, y bytes, prot z */
    AG_UNMAP,       /* -> vmo_unmap(self, x, y) */
    AG_CHECK,       /* -> mismatches of the pattern seed z in y bytes at x */
    AG_INFO,        /* -> handle_info of its VMO handle */
    AG_SPIN,        /* read x while it holds y, until clock z -> 1 */
    AG_RECV,        /* receive once on the endpoint the reply carried; map a VMO
                     * that came with the message at x, y bytes, prot z
                     * -> {handles received, map result} */
};
#define AG_LABEL 0xa6e7u
#define AG_BADGE 0xa6ull
#define AG_FAULT_BADGE 0xfa0ull

static ae_handle_t ag_vmo;              /* the agent's VMO handle (in the child) */

static int64_t agent_main(uint64_t send)
{
    struct ae_msg m = {AE_MSG_INFO(AG_LABEL, 0), {0}, {0}, 0};

    for (;;) {
        struct ae_handle_info hi;
        uint64_t x, y, z, r0 = 0, r1 = 0, info = AE_MSG_INFO(AG_LABEL, 0);
        ae_handle_t h0 = 0;
        int64_t v;

        if (ae_ipc_call((ae_handle_t)send, &m) != AE_OK)
            return 1000;
        x = m.w[1];
        y = m.w[2];
        z = m.w[3];
        switch (m.w[0]) {
        case AG_EXIT:
            return (int64_t)x;
        case AG_READ:
            r0 = *(volatile uint64_t *)x;
            break;
        case AG_WRITE:
            *(volatile uint64_t *)x = y;
            break;
        case AG_CREATE:
            v = ae_vmo_create(x, 0);
            r0 = (uint64_t)v;
            if (v > 0) {
                ag_vmo = (ae_handle_t)v;
                r1 = (uint64_t)ae_vmo_map(ag_vmo, 0, y, 0, x, RW);
                if (!r1)
                    fill(y, x, z);
            }
            break;
        case AG_SEND:
            info = AE_MSG_INFO(AG_LABEL, 1) | (x ? AE_MSG_SHARE : 0);
            h0 = ag_vmo;
            break;
        case AG_MAP:
            if (AE_MSG_NHANDLES(m.info))
                ag_vmo = m.h[0];
            r0 = (uint64_t)ae_vmo_map(ag_vmo, 0, x, 0, y, (uint32_t)z);
            break;
        case AG_UNMAP:
            r0 = (uint64_t)ae_vmo_unmap(0, x, y);
            break;
        case AG_CHECK:
            r0 = mismatches(x, y, z);
            break;
        case AG_INFO:
            r0 = (uint64_t)ae_handle_info(ag_vmo, &hi);
            r1 = hi.type;
            break;
        case AG_SPIN:
            for (uint64_t i = 1; *(volatile uint64_t *)x == y; i++)
                if (!(i & 0xfff) && (uint64_t)ae_clock_get() > z)
                    break;
            r0 = 1;
            break;
        case AG_RECV: {
            struct ae_msg in = {0};
            int64_t e = ae_ipc_recv(m.h[0], &in);
            r0 = e ? (uint64_t)e : AE_MSG_NHANDLES(in.info);
            r1 = ~0ull;
            if (!e && AE_MSG_NHANDLES(in.info)) {
                ag_vmo = in.h[0];
                r1 = (uint64_t)ae_vmo_map(ag_vmo, 0, x, 0, y, (uint32_t)z);
            }
            ae_handle_close(m.h[0]);
            break;
        }
        default:
            r0 = ~0ull;
            break;
        }
        m = (struct ae_msg){info, {r0, r1, 0, 0}, {h0, 0, 0, 0}, 0};
    }
}

struct agent {
    ae_handle_t ep, p;
    uint64_t pid;
    int dead;
};

static int agent_start(struct agent *a, const struct ae_quota_limits *lim)
{
    ae_handle_t send, given = 0;
    struct ae_msg m = {0};

    a->dead = 0;
    a->ep = CHECK_HANDLE(ae_endpoint_create());
    send = CHECK_HANDLE(ae_handle_derive(a->ep, AE_RIGHT_SEND | AE_RIGHT_GRANT, AG_BADGE,
                                         AE_DERIVE_SET_BADGE));
    a->p = ktest_child(agent_main, 0, lim, send, &given);
    CHECK(a->p != 0);
    if (!a->p) {
        ae_handle_close(send);
        ae_handle_close(a->ep);
        return 0;
    }
    CHECK_OK(ae_ipc_recv(a->ep, &m));
    CHECK_EQ(m.badge, AG_BADGE);
    CHECK_OK(ae_process_set_fault(a->p, a->ep, AG_FAULT_BADGE));
    a->pid = ktest_pinfo(a->p).pid;
    return 1;
}

/* Sends the command in *m (as the reply to the agent's last call) and
 * receives its answer, or the report of the fault that ended it. */
static int64_t agent_msg(struct agent *a, struct ae_msg *m)
{
    int64_t r;

    CHECK(!a->dead);
    if (a->dead)
        return AE_ERR_PEER_CLOSED;
    r = ae_ipc_reply_recv(a->ep, m);
    if (r == AE_OK && AE_MSG_LABEL(m->info) == AE_MSG_FAULT)
        a->dead = 1;
    return r;
}

static struct ae_msg agent_do(struct agent *a, uint64_t cmd, uint64_t x, uint64_t y, uint64_t z)
{
    struct ae_msg m = {AE_MSG_INFO(0, 0), {cmd, x, y, z}, {0}, 0};
    CHECK_OK(agent_msg(a, &m));
    return m;
}

static int is_fault(const struct ae_msg *m, const struct agent *a, uint64_t reason,
                    uint64_t addr)
{
    CHECK_EQ(AE_MSG_LABEL(m->info), AE_MSG_FAULT);
    CHECK_EQ(m->badge, AG_FAULT_BADGE);
    CHECK_EQ(m->w[0], reason);
    CHECK_EQ(m->w[1], addr);
    CHECK_EQ(m->w[3], a->pid);
    return AE_MSG_LABEL(m->info) == AE_MSG_FAULT && m->w[0] == reason && m->w[1] == addr;
}

static int64_t agent_stop(struct agent *a, int64_t code)
{
    int64_t st;

    if (!a->dead) {
        struct ae_msg m = {AE_MSG_INFO(0, 0), {AG_EXIT, (uint64_t)code, 0, 0}, {0}, 0};
        CHECK_OK(ae_ipc_reply(&m));
    }
    st = ae_process_wait(a->p, KTEST_WAIT_NS);
    if (st == AE_ERR_TIMEOUT) {
        CHECK(!"agent still alive at the deadline");
        ae_process_kill(a->p, -999);
        ae_process_wait(a->p, KTEST_WAIT_NS);
    }
    ae_handle_close(a->p);
    ae_handle_close(a->ep);
    return st;
}

/* ---- creation and info -------------------------------------------------------- */

KTEST(VMO0001, "vmo_create: size 0, above 1 GiB or unknown flags -> INVAL; beyond the quota -> QUOTA")
{
    struct ae_process_info pi = ktest_pinfo(ktest_self);
    uint64_t avail = pi.limit.pages - pi.used.pages - pi.carved.pages;

    CHECK_EQ(ae_vmo_create(0, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_create((1ull << 30) + 1, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_create((1ull << 30) + PAGE, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_create(1ull << 63, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_create(~0ull, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_create(PAGE, AE_VMO_DEVICE), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_create(PAGE, 0x80000000u), AE_ERR_INVAL);
    CHECK_EQ(ae_sys2(AE_SYS_vmo_create, PAGE, 1ull << 32), AE_ERR_INVAL);
    if ((avail + 1) * PAGE <= (1ull << 30))
        CHECK_EQ(ae_vmo_create((avail + 1) * PAGE, 0), AE_ERR_QUOTA);
    CHECK_EQ(ktest_pinfo(ktest_self).used.pages, pi.used.pages);
}

KTEST(VMO0002, "vmo_create rounds up to whole pages (vmo_info), charges each page, all rights")
{
    static const uint64_t sizes[][2] = {
        {1, PAGE}, {PAGE - 1, PAGE}, {PAGE, PAGE}, {PAGE + 1, 2 * PAGE}, {5 * PAGE - 7, 5 * PAGE},
    };
    uint64_t base = ktest_frames(ktest_self);

    for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        ae_handle_t v = new_vmo(sizes[i][0]);
        struct ae_vmo_info vi = {~0ull, ~0ull, ~0ull};
        struct ae_handle_info hi;
        CHECK_OK(ae_vmo_info(v, &vi));
        CHECK_EQ(vi.size, sizes[i][1]);
        CHECK_EQ(vi.flags, 0);
        CHECK_EQ(vi.phys, 0);           /* not contiguous: no address given out */
        CHECK_EQ(ktest_frames(ktest_self), base + sizes[i][1] / PAGE);
        CHECK_OK(ae_handle_info(v, &hi));
        CHECK_EQ(hi.type, AE_OBJ_VMO);
        CHECK_EQ(hi.rights, AE_RIGHT_READ | AE_RIGHT_WRITE | AE_RIGHT_EXEC | AE_RIGHT_MAP |
                                AE_RIGHT_GRANT | AE_RIGHT_DERIVE);
        CHECK_OK(ae_handle_close(v));
        CHECK_EQ(ktest_frames(ktest_self), base);
    }
}

KTEST(VMO0003, "vmo_info: no READ -> ACCESS, bad buffer -> FAULT, not a VMO -> INVAL, closed -> BAD_HANDLE")
{
    ae_handle_t v = new_vmo(PAGE), ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t nr = CHECK_HANDLE(ae_handle_derive(v, AE_RIGHT_MAP | AE_RIGHT_WRITE, 0, 0));
    struct ae_vmo_info vi;

    CHECK_EQ(ae_vmo_info(nr, &vi), AE_ERR_ACCESS);
    CHECK_EQ(ae_vmo_info(v, NULL), AE_ERR_FAULT);
    CHECK_EQ(ae_vmo_info(v, (struct ae_vmo_info *)KTEST_KERNEL_ADDR), AE_ERR_FAULT);
    CHECK_EQ(ae_vmo_info(v, (struct ae_vmo_info *)(uintptr_t)pat), AE_ERR_FAULT);  /* text */
    CHECK_EQ(ae_vmo_info(ep, &vi), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_info(ktest_self, &vi), AE_ERR_INVAL);
    CHECK_OK(ae_handle_close(nr));
    CHECK_EQ(ae_vmo_info(nr, &vi), AE_ERR_BAD_HANDLE);
    CHECK_OK(ae_handle_close(v));
    CHECK_OK(ae_handle_close(ep));
}

KTEST(VMO0004, "a new VMO is zero-filled, even when it reuses frames just freed dirty")
{
    for (int round = 0; round < 3; round++) {
        ae_handle_t v = new_vmo(16 * PAGE);
        CHECK_OK(ae_vmo_map(v, 0, VA, 0, 16 * PAGE, RW));
        CHECK_EQ(nonzero(VA, 16 * PAGE), 0);
        fill(VA, 16 * PAGE, 0x4040 + round);
        CHECK_OK(ae_vmo_unmap(0, VA, 16 * PAGE));
        CHECK_OK(ae_handle_close(v));
    }
}

/* ---- mapping in the caller -------------------------------------------------------- */

KTEST(VMO0005, "map RW: every page written and read back; unmap of the exact range is OK")
{
    ae_handle_t v = new_vmo(8 * PAGE);

    CHECK_OK(ae_vmo_map(v, 0, VA, 0, 8 * PAGE, RW));
    fill(VA, 8 * PAGE, 5);
    CHECK_EQ(mismatches(VA, 8 * PAGE, 5), 0);
    CHECK_OK(ae_vmo_unmap(0, VA, 8 * PAGE));
    /* The pages live on in the VMO: a new mapping sees them. */
    CHECK_OK(ae_vmo_map(v, 0, VA3, 0, 8 * PAGE, AE_PROT_READ));
    CHECK_EQ(mismatches(VA3, 8 * PAGE, 5), 0);
    CHECK_OK(ae_vmo_unmap(0, VA3, 8 * PAGE));
    CHECK_OK(ae_handle_close(v));
}

KTEST(VMO0006, "two VMOs mapped side by side keep their own contents")
{
    ae_handle_t a = new_vmo(2 * PAGE), b = new_vmo(3 * PAGE);

    CHECK_OK(ae_vmo_map(a, 0, VA, 0, 2 * PAGE, RW));
    CHECK_OK(ae_vmo_map(b, 0, VA + 2 * PAGE, 0, 3 * PAGE, RW));
    fill(VA, 2 * PAGE, 0xa);
    fill(VA + 2 * PAGE, 3 * PAGE, 0xb);
    CHECK_EQ(mismatches(VA, 2 * PAGE, 0xa), 0);
    CHECK_EQ(mismatches(VA + 2 * PAGE, 3 * PAGE, 0xb), 0);
    CHECK_OK(ae_vmo_unmap(0, VA, 2 * PAGE));
    CHECK_EQ(mismatches(VA + 2 * PAGE, 3 * PAGE, 0xb), 0);
    CHECK_OK(ae_vmo_unmap(0, VA + 2 * PAGE, 3 * PAGE));
    CHECK_OK(ae_handle_close(a));
    CHECK_OK(ae_handle_close(b));
}

KTEST(VMO0007, "one VMO mapped at two addresses aliases: a write through one is read through the other")
{
    ae_handle_t v = new_vmo(4 * PAGE);
    volatile uint64_t *a = (volatile uint64_t *)VA, *b = (volatile uint64_t *)VA2;
    volatile uint64_t *c = (volatile uint64_t *)VA3;

    CHECK_OK(ae_vmo_map(v, 0, VA, 0, 4 * PAGE, RW));
    CHECK_OK(ae_vmo_map(v, 0, VA2, 2 * PAGE, 2 * PAGE, RW));    /* pages 2-3 */
    CHECK_OK(ae_vmo_map(v, 0, VA3, 0, PAGE, AE_PROT_READ));      /* page 0, read-only */
    a[2 * 512 + 7] = 0x1111;
    CHECK_EQ(b[7], 0x1111);
    b[512 + 9] = 0x2222;
    CHECK_EQ(a[3 * 512 + 9], 0x2222);
    a[5] = 0x3333;
    CHECK_EQ(c[5], 0x3333);
    CHECK_OK(ae_vmo_unmap(0, VA, 4 * PAGE));
    CHECK_EQ(b[7], 0x1111);             /* the other mappings stay */
    CHECK_OK(ae_vmo_unmap(0, VA2, 2 * PAGE));
    CHECK_OK(ae_vmo_unmap(0, VA3, PAGE));
    CHECK_OK(ae_handle_close(v));
}

KTEST(VMO0008, "prot: W+X -> INVAL, 0 -> INVAL, unknown bits -> INVAL, nothing mapped")
{
    ae_handle_t v = new_vmo(PAGE);
    static const uint64_t bad[] = {
        AE_PROT_WRITE | AE_PROT_EXEC, AE_PROT_READ | AE_PROT_WRITE | AE_PROT_EXEC, 0, 8,
        AE_PROT_READ | 8, AE_PROT_READ | 0x80000000ull, AE_PROT_READ | (1ull << 32),
    };

    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK_EQ(ae_sys6(AE_SYS_vmo_map, v, 0, VA, 0, PAGE, bad[i]), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_unmap(0, VA, PAGE), AE_ERR_NOTFOUND);
    CHECK_OK(ae_handle_close(v));
}

KTEST(VMO0009, "code written through an RW mapping runs through an RX alias of the same VMO")
{
    /* mov $42, %eax; ret */
    static const uint8_t code[] = {0xb8, 42, 0, 0, 0, 0xc3};
    ae_handle_t v = new_vmo(PAGE);
    int (*fn)(void) = (int (*)(void))VA2;

    CHECK_OK(ae_vmo_map(v, 0, VA, 0, PAGE, RW));
    CHECK_OK(ae_vmo_map(v, 0, VA2, 0, PAGE, RX));
    for (unsigned i = 0; i < sizeof(code); i++)
        ((volatile uint8_t *)VA)[i] = code[i];
    CHECK_EQ(fn(), 42);
    ((volatile uint8_t *)VA)[1] = 43;
    CHECK_EQ(fn(), 43);
    CHECK_OK(ae_vmo_unmap(0, VA, PAGE));
    CHECK_OK(ae_vmo_unmap(0, VA2, PAGE));
    CHECK_OK(ae_handle_close(v));
}

KTEST(VMO0010, "prot beyond the handle's rights -> ACCESS: EXEC w/o EXEC, WRITE w/o WRITE, READ w/o READ")
{
    ae_handle_t v = new_vmo(PAGE);
    ae_handle_t r = CHECK_HANDLE(ae_handle_derive(v, AE_RIGHT_READ | AE_RIGHT_MAP, 0, 0));
    ae_handle_t rx = CHECK_HANDLE(ae_handle_derive(v, AE_RIGHT_READ | AE_RIGHT_EXEC | AE_RIGHT_MAP, 0, 0));
    ae_handle_t w = CHECK_HANDLE(ae_handle_derive(v, AE_RIGHT_WRITE | AE_RIGHT_MAP, 0, 0));

    CHECK_EQ(ae_vmo_map(r, 0, VA, 0, PAGE, RX), AE_ERR_ACCESS);
    CHECK_EQ(ae_vmo_map(r, 0, VA, 0, PAGE, RW), AE_ERR_ACCESS);
    CHECK_EQ(ae_vmo_map(rx, 0, VA, 0, PAGE, RW), AE_ERR_ACCESS);
    CHECK_EQ(ae_vmo_map(w, 0, VA, 0, PAGE, RW), AE_ERR_ACCESS);
    CHECK_EQ(ae_vmo_map(w, 0, VA, 0, PAGE, AE_PROT_READ), AE_ERR_ACCESS);
    CHECK_EQ(ae_vmo_unmap(0, VA, PAGE), AE_ERR_NOTFOUND);
    /* What the rights cover maps. */
    CHECK_OK(ae_vmo_map(r, 0, VA, 0, PAGE, AE_PROT_READ));
    CHECK_OK(ae_vmo_map(rx, 0, VA2, 0, PAGE, RX));
    CHECK_OK(ae_vmo_map(v, 0, VA3, 0, PAGE, RX));
    CHECK_OK(ae_vmo_unmap(0, VA, PAGE));
    CHECK_OK(ae_vmo_unmap(0, VA2, PAGE));
    CHECK_OK(ae_vmo_unmap(0, VA3, PAGE));
    ae_handle_close(r);
    ae_handle_close(rx);
    ae_handle_close(w);
    ae_handle_close(v);
}

KTEST(VMO0011, "vmo_map with a handle without MAP -> ACCESS, whatever else it holds")
{
    ae_handle_t v = new_vmo(PAGE);
    ae_handle_t nm = CHECK_HANDLE(ae_handle_derive(v, AE_RIGHT_READ | AE_RIGHT_WRITE |
                                                   AE_RIGHT_EXEC | AE_RIGHT_GRANT |
                                                   AE_RIGHT_DERIVE, 0, 0));

    CHECK_EQ(ae_vmo_map(nm, 0, VA, 0, PAGE, AE_PROT_READ), AE_ERR_ACCESS);
    CHECK_EQ(ae_vmo_map(nm, 0, VA, 0, PAGE, RW), AE_ERR_ACCESS);
    CHECK_EQ(ae_vmo_unmap(0, VA, PAGE), AE_ERR_NOTFOUND);
    ae_handle_close(nm);
    ae_handle_close(v);
}

KTEST(VMO0012, "a handle without READ cannot map at all: x86 pages are always readable")
{
    /* prot WRITE alone or EXEC alone still gives a readable mapping, so
     * mapping must need READ whatever prot asks. */
    ae_handle_t v = new_vmo(PAGE);
    ae_handle_t w = CHECK_HANDLE(ae_handle_derive(v, AE_RIGHT_WRITE | AE_RIGHT_MAP, 0, 0));
    ae_handle_t x = CHECK_HANDLE(ae_handle_derive(v, AE_RIGHT_EXEC | AE_RIGHT_MAP, 0, 0));
    int64_t r;

    CHECK_OK(ae_vmo_map(v, 0, VA3, 0, PAGE, RW));
    *(volatile uint64_t *)VA3 = 0x5ec7e7;
    r = ae_vmo_map(w, 0, VA, 0, PAGE, AE_PROT_WRITE);
    CHECK_EQ(r, AE_ERR_ACCESS);
    if (r == AE_OK) {
        CHECK(*(volatile uint64_t *)VA != 0x5ec7e7);    /* read without READ */
        ae_vmo_unmap(0, VA, PAGE);
    }
    r = ae_vmo_map(x, 0, VA2, 0, PAGE, AE_PROT_EXEC);
    CHECK_EQ(r, AE_ERR_ACCESS);
    if (r == AE_OK) {
        CHECK(*(volatile uint64_t *)VA2 != 0x5ec7e7);
        ae_vmo_unmap(0, VA2, PAGE);
    }
    CHECK_OK(ae_vmo_unmap(0, VA3, PAGE));
    ae_handle_close(w);
    ae_handle_close(x);
    ae_handle_close(v);
}

KTEST(VMO0013, "a range beyond the VMO -> RANGE (length, offset + length, offset at or past the end)")
{
    ae_handle_t v = new_vmo(4 * PAGE);

    CHECK_OK(ae_vmo_map(v, 0, VA3, 0, 4 * PAGE, RW));
    fill(VA3, 4 * PAGE, 13);
    CHECK_EQ(ae_vmo_map(v, 0, VA, 0, 5 * PAGE, RW), AE_ERR_RANGE);
    CHECK_EQ(ae_vmo_map(v, 0, VA, PAGE, 4 * PAGE, RW), AE_ERR_RANGE);
    CHECK_EQ(ae_vmo_map(v, 0, VA, 3 * PAGE, 2 * PAGE, RW), AE_ERR_RANGE);
    CHECK_EQ(ae_vmo_map(v, 0, VA, 4 * PAGE, PAGE, RW), AE_ERR_RANGE);
    CHECK_EQ(ae_vmo_map(v, 0, VA, 5 * PAGE, PAGE, RW), AE_ERR_RANGE);
    CHECK_EQ(ae_vmo_map(v, 0, VA, 0xfffffffffffff000ull, PAGE, RW), AE_ERR_RANGE);
    CHECK_EQ(ae_vmo_map(v, 0, VA, 0x8000000000000000ull, 2 * PAGE, RW), AE_ERR_RANGE);
    CHECK_EQ(ae_vmo_unmap(0, VA, PAGE), AE_ERR_NOTFOUND);
    /* The last page alone is inside: it maps, and it is page 3. */
    CHECK_OK(ae_vmo_map(v, 0, VA, 3 * PAGE, PAGE, AE_PROT_READ));
    CHECK_EQ(*(volatile uint64_t *)VA, pat(13, 3 * 512));
    CHECK_OK(ae_vmo_unmap(0, VA, PAGE));
    CHECK_OK(ae_vmo_unmap(0, VA3, 4 * PAGE));
    ae_handle_close(v);
}

KTEST(VMO0014, "unaligned va, offset or length -> INVAL; length 0 -> INVAL")
{
    ae_handle_t v = new_vmo(4 * PAGE);

    CHECK_EQ(ae_vmo_map(v, 0, VA + 1, 0, PAGE, RW), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_map(v, 0, VA + 0x800, 0, PAGE, RW), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_map(v, 0, VA, 8, PAGE, RW), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_map(v, 0, VA, PAGE + 0x800, PAGE, RW), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_map(v, 0, VA, 0, 1, RW), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_map(v, 0, VA, 0, PAGE + 1, RW), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_map(v, 0, VA, 0, 2 * PAGE - 8, RW), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_map(v, 0, VA, 0, 0, RW), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_map(v, 0, VA, PAGE, 0, RW), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_unmap(0, VA, PAGE), AE_ERR_NOTFOUND);
    ae_handle_close(v);
}

KTEST(VMO0015, "overlapping an existing mapping -> EXISTS (same, head, tail, inside, around); adjacent is fine")
{
    ae_handle_t v = new_vmo(8 * PAGE), w = new_vmo(PAGE);
    uint64_t base = VA + 4 * PAGE;

    CHECK_OK(ae_vmo_map(v, 0, base, 0, 4 * PAGE, RW));
    fill(base, 4 * PAGE, 15);
    CHECK_EQ(ae_vmo_map(v, 0, base, 0, 4 * PAGE, RW), AE_ERR_EXISTS);
    CHECK_EQ(ae_vmo_map(v, 0, base - PAGE, 0, 2 * PAGE, RW), AE_ERR_EXISTS);
    CHECK_EQ(ae_vmo_map(v, 0, base + 3 * PAGE, 0, 2 * PAGE, RW), AE_ERR_EXISTS);
    CHECK_EQ(ae_vmo_map(w, 0, base + PAGE, 0, PAGE, RW), AE_ERR_EXISTS);
    CHECK_EQ(ae_vmo_map(v, 0, base - 2 * PAGE, 0, 8 * PAGE, RW), AE_ERR_EXISTS);
    /* Our own image and stack are mappings too. */
    CHECK_EQ(ae_vmo_map(w, 0, (uint64_t)__image_start, 0, PAGE, AE_PROT_READ), AE_ERR_EXISTS);
    CHECK_EQ(ae_vmo_map(w, 0, AE_STACK_TOP - PAGE, 0, PAGE, RW), AE_ERR_EXISTS);
    CHECK_EQ(mismatches(base, 4 * PAGE, 15), 0);        /* untouched */
    CHECK_OK(ae_vmo_map(w, 0, base - PAGE, 0, PAGE, RW));
    CHECK_OK(ae_vmo_map(v, 0, base + 4 * PAGE, 4 * PAGE, 4 * PAGE, RW));
    CHECK_OK(ae_vmo_unmap(0, base - PAGE, PAGE));
    CHECK_OK(ae_vmo_unmap(0, base + 4 * PAGE, 4 * PAGE));
    CHECK_OK(ae_vmo_unmap(0, base, 4 * PAGE));
    ae_handle_close(v);
    ae_handle_close(w);
}

KTEST(VMO0016, "below USER_LOWEST (0, 0x1000, 0xf000, straddling it) -> INVAL; USER_LOWEST itself maps")
{
    ae_handle_t v = new_vmo(4 * PAGE);

    CHECK_EQ(ae_vmo_map(v, 0, 0, 0, PAGE, RW), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_map(v, 0, 0x1000, 0, PAGE, RW), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_map(v, 0, USER_LOWEST - PAGE, 0, PAGE, RW), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_map(v, 0, USER_LOWEST - 2 * PAGE, 0, 4 * PAGE, RW), AE_ERR_INVAL);
    CHECK_OK(ae_vmo_map(v, 0, USER_LOWEST, 0, PAGE, RW));
    *(volatile uint64_t *)USER_LOWEST = 0x10000;
    CHECK_EQ(*(volatile uint64_t *)USER_LOWEST, 0x10000);
    CHECK_OK(ae_vmo_unmap(0, USER_LOWEST, PAGE));
    ae_handle_close(v);
}

KTEST(VMO0017, "the last user page maps; reaching USER_TOP, kernel or wrapping addresses -> INVAL")
{
    ae_handle_t v = new_vmo(2 * PAGE);
    uint64_t top = USER_TOP - PAGE;

    CHECK_OK(ae_vmo_map(v, 0, top, 0, PAGE, RW));
    *(volatile uint64_t *)(top + PAGE - 8) = 0x70b;
    CHECK_EQ(*(volatile uint64_t *)(top + PAGE - 8), 0x70b);
    CHECK_OK(ae_vmo_unmap(0, top, PAGE));
    CHECK_EQ(ae_vmo_map(v, 0, top, 0, 2 * PAGE, RW), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_map(v, 0, USER_TOP, 0, PAGE, RW), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_map(v, 0, KTEST_KERNEL_ADDR, 0, PAGE, RW), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_map(v, 0, 0xffff800000000000ull, 0, PAGE, RW), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_map(v, 0, 0xfffffffffffff000ull, 0, 2 * PAGE, RW), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_map(v, 0, VA, 0, 0xfffffffffffff000ull, RW), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_unmap(0, top, PAGE), AE_ERR_NOTFOUND);
    ae_handle_close(v);
}

KTEST(VMO0018, "vmo_unmap: only the exact range of a mapping; anything else -> NOTFOUND, mapping intact")
{
    ae_handle_t v = new_vmo(4 * PAGE), w = new_vmo(PAGE);

    CHECK_OK(ae_vmo_map(v, 0, VA, 0, 4 * PAGE, RW));
    CHECK_OK(ae_vmo_map(w, 0, VA + 4 * PAGE, 0, PAGE, RW));
    fill(VA, 4 * PAGE, 18);
    CHECK_EQ(ae_vmo_unmap(0, VA, PAGE), AE_ERR_NOTFOUND);
    CHECK_EQ(ae_vmo_unmap(0, VA, 3 * PAGE), AE_ERR_NOTFOUND);
    CHECK_EQ(ae_vmo_unmap(0, VA, 5 * PAGE), AE_ERR_NOTFOUND);  /* two mappings */
    CHECK_EQ(ae_vmo_unmap(0, VA + PAGE, 3 * PAGE), AE_ERR_NOTFOUND);
    CHECK_EQ(ae_vmo_unmap(0, VA - PAGE, 5 * PAGE), AE_ERR_NOTFOUND);
    CHECK_EQ(ae_vmo_unmap(0, VA + 1, 4 * PAGE), AE_ERR_NOTFOUND);
    CHECK_EQ(ae_vmo_unmap(0, VA, 0), AE_ERR_NOTFOUND);
    CHECK_EQ(ae_vmo_unmap(0, VA3, PAGE), AE_ERR_NOTFOUND);
    CHECK_EQ(ae_vmo_unmap(0, KTEST_KERNEL_ADDR, PAGE), AE_ERR_NOTFOUND);
    CHECK_EQ(mismatches(VA, 4 * PAGE, 18), 0);
    CHECK_OK(ae_vmo_unmap(0, VA, 4 * PAGE));
    CHECK_EQ(ae_vmo_unmap(0, VA, 4 * PAGE), AE_ERR_NOTFOUND);
    CHECK_OK(ae_vmo_unmap(0, VA + 4 * PAGE, PAGE));
    ae_handle_close(v);
    ae_handle_close(w);
}

KTEST(VMO0019, "pages: create charges them, a mapping only its page tables, unmap and close return all")
{
    uint64_t base = ktest_frames(ktest_self), mapped;
    ae_handle_t v = new_vmo(5 * PAGE);

    CHECK_EQ(ktest_frames(ktest_self), base + 5);
    CHECK_OK(ae_vmo_map(v, 0, VA3, 0, 5 * PAGE, RW));
    mapped = ktest_frames(ktest_self);
    CHECK(mapped >= base + 5 && mapped <= base + 5 + 3);     /* at most PDPT, PD, PT */
    CHECK_OK(ae_vmo_map(v, 0, VA3 + 5 * PAGE, 0, 5 * PAGE, RW));
    CHECK_EQ(ktest_frames(ktest_self), mapped);                /* same table, no new pages */
    CHECK_OK(ae_vmo_unmap(0, VA3 + 5 * PAGE, 5 * PAGE));
    CHECK_OK(ae_vmo_unmap(0, VA3, 5 * PAGE));
    CHECK_EQ(ktest_frames(ktest_self), base + 5);              /* empty tables freed */
    CHECK_OK(ae_handle_close(v));
    CHECK_EQ(ktest_frames(ktest_self), base);
}

KTEST(VMO0020, "closing the handle keeps the mapping and its pages until the unmap")
{
    uint64_t base = ktest_frames(ktest_self);
    ae_handle_t v = new_vmo(3 * PAGE);
    struct ae_vmo_info vi;

    CHECK_OK(ae_vmo_map(v, 0, VA, 0, 3 * PAGE, RW));
    fill(VA, 3 * PAGE, 20);
    CHECK_OK(ae_handle_close(v));
    CHECK_EQ(ae_vmo_info(v, &vi), AE_ERR_BAD_HANDLE);
    CHECK(ktest_frames(ktest_self) >= base + 3);
    CHECK_EQ(mismatches(VA, 3 * PAGE, 20), 0);
    fill(VA, 3 * PAGE, 21);
    CHECK_EQ(mismatches(VA, 3 * PAGE, 21), 0);
    CHECK_OK(ae_vmo_unmap(0, VA, 3 * PAGE));
    CHECK_EQ(ktest_frames(ktest_self), base);
}

/* ---- mapping into other processes ----------------------------------------------- */

KTEST(VMO0021, "map into a child with its process handle: the child reads our data, we read its writes")
{
    struct agent a;
    struct ae_msg m;
    ae_handle_t v = new_vmo(2 * PAGE);

    CHECK_OK(ae_vmo_map(v, 0, VA, 0, 2 * PAGE, RW));
    *(volatile uint64_t *)VA = 0x1818;
    if (agent_start(&a, NULL)) {
        CHECK_OK(ae_vmo_map(v, a.p, CHILD_VA, 0, 2 * PAGE, RW));
        m = agent_do(&a, AG_READ, CHILD_VA, 0, 0);
        CHECK_EQ(m.w[0], 0x1818);
        agent_do(&a, AG_WRITE, CHILD_VA + PAGE + 8, 0x8181, 0);
        CHECK_EQ(*(volatile uint64_t *)(VA + PAGE + 8), 0x8181);
        CHECK_OK(ae_vmo_unmap(a.p, CHILD_VA, 2 * PAGE));
        m = agent_do(&a, AG_UNMAP, CHILD_VA, 2 * PAGE, 0);
        CHECK_EQ(m.w[0], AE_ERR_NOTFOUND);
        CHECK_EQ(agent_stop(&a, 21), 21);
    }
    CHECK_OK(ae_vmo_unmap(0, VA, 2 * PAGE));
    ae_handle_close(v);
}

KTEST(VMO0022, "a child touching an address after its parent unmapped it: PAGE fault at that address")
{
    struct agent a;
    struct ae_msg m;
    ae_handle_t v = new_vmo(PAGE);

    if (agent_start(&a, NULL)) {
        CHECK_OK(ae_vmo_map(v, a.p, CHILD_VA, 0, PAGE, AE_PROT_READ));
        m = agent_do(&a, AG_READ, CHILD_VA + 16, 0, 0);
        CHECK_EQ(m.w[0], 0);
        CHECK_OK(ae_vmo_unmap(a.p, CHILD_VA, PAGE));
        m = agent_do(&a, AG_READ, CHILD_VA + 16, 0, 0);
        is_fault(&m, &a, AE_FAULT_PAGE, CHILD_VA + 16);
        CHECK_EQ(agent_stop(&a, 0), AE_ERR_FAULT);
    }
    ae_handle_close(v);
}

KTEST(VMO0023, "a process handle without MAP -> ACCESS; not a process -> INVAL; bad handles")
{
    ae_handle_t v = new_vmo(PAGE), ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t p = empty_process(8);
    ae_handle_t nomap = CHECK_HANDLE(ae_handle_derive(p, AE_RIGHTS_ALL & ~AE_RIGHT_MAP, 0, 0));

    CHECK_EQ(ae_vmo_map(v, nomap, VA, 0, PAGE, RW), AE_ERR_ACCESS);
    CHECK_EQ(ae_vmo_unmap(nomap, VA, PAGE), AE_ERR_ACCESS);
    CHECK_EQ(ae_vmo_map(v, ep, VA, 0, PAGE, RW), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_map(v, v, VA, 0, PAGE, RW), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_unmap(ep, VA, PAGE), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_map(v, 0x7ffff, VA, 0, PAGE, RW), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_sys6(AE_SYS_vmo_map, v, (1ull << 32) | p, VA, 0, PAGE, RW), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_sys3(AE_SYS_vmo_unmap, (1ull << 32) | p, VA, PAGE), AE_ERR_BAD_HANDLE);
    /* With MAP it works, in that process only. */
    CHECK_OK(ae_vmo_map(v, p, VA, 0, PAGE, RW));
    CHECK_EQ(ae_vmo_unmap(0, VA, PAGE), AE_ERR_NOTFOUND);
    CHECK_OK(ae_vmo_unmap(p, VA, PAGE));
    ae_handle_close(nomap);
    ae_handle_close(p);
    ae_handle_close(ep);
    ae_handle_close(v);
}

KTEST(VMO0024, "map into or unmap from a dead process -> PEER_CLOSED")
{
    ae_handle_t v = new_vmo(PAGE), p = empty_process(8);

    CHECK_OK(ae_vmo_map(v, p, VA, 0, PAGE, RW));
    CHECK_OK(ae_process_kill(p, 24));
    CHECK_EQ(ae_process_wait(p, 0), 24);
    CHECK_EQ(ae_vmo_map(v, p, VA2, 0, PAGE, RW), AE_ERR_PEER_CLOSED);
    CHECK_EQ(ae_vmo_unmap(p, VA, PAGE), AE_ERR_PEER_CLOSED);
    ae_handle_close(p);
    ae_handle_close(v);
}

KTEST(VMO0025, "mapping into a process short of page-table quota -> QUOTA, and leaves nothing behind")
{
    ae_handle_t v = new_vmo(2 * PAGE);
    ae_handle_t small = empty_process(2), big = empty_process(5);

    /* A fresh process holds its PML4; a mapping far from anything needs
     * three more tables, and its record a page of kernel bytes. */
    CHECK_EQ(ktest_frames(small), 1);
    CHECK_EQ(ae_vmo_map(v, small, VA, 0, PAGE, RW), AE_ERR_QUOTA);
    CHECK_EQ(ktest_frames(small), 1);
    CHECK_EQ(ae_vmo_unmap(small, VA, PAGE), AE_ERR_NOTFOUND);
    CHECK_OK(ae_vmo_map(v, big, VA, 0, PAGE, RW));
    CHECK_EQ(ktest_frames(big), 4);
    CHECK_EQ(ktest_pinfo(big).used.pages, 5);
    CHECK_OK(ae_vmo_map(v, big, VA + PAGE, PAGE, PAGE, RW));   /* same table */
    CHECK_EQ(ae_vmo_map(v, big, VA3, 0, PAGE, RW), AE_ERR_QUOTA); /* needs PD + PT */
    CHECK_EQ(ktest_frames(big), 4);
    CHECK_OK(ae_vmo_unmap(big, VA, PAGE));
    CHECK_OK(ae_vmo_unmap(big, VA + PAGE, PAGE));
    CHECK_EQ(ktest_frames(big), 1);
    CHECK_EQ(ktest_pinfo(big).used.pages, 1);                 /* records freed */
    CHECK_EQ(ktest_pinfo(big).kernel_bytes, 0);
    ae_handle_close(small);
    ae_handle_close(big);
    ae_handle_close(v);
}

KTEST(VMO0026, "mapping over a child's image or stack -> EXISTS")
{
    struct agent a;
    ae_handle_t v = new_vmo(PAGE);

    if (agent_start(&a, NULL)) {
        CHECK_EQ(ae_vmo_map(v, a.p, (uint64_t)__image_start, 0, PAGE, AE_PROT_READ),
                 AE_ERR_EXISTS);
        CHECK_EQ(ae_vmo_map(v, a.p, AE_STACK_TOP - PAGE, 0, PAGE, RW), AE_ERR_EXISTS);
        CHECK_EQ(agent_stop(&a, 26), 26);
    }
    ae_handle_close(v);
}

/* ---- MOVE ------------------------------------------------------------------------ */

/* The agent creates a VMO, maps it at CHILD_VA, fills it and sends the
 * handle; returns the handle that arrived here (0 on failure). */
static ae_handle_t agent_sends(struct agent *a, uint64_t len, uint64_t seed, int share,
                               uint64_t *child_drop, uint64_t *self_rise)
{
    struct ae_msg m = agent_do(a, AG_CREATE, len, CHILD_VA, seed);
    uint64_t cb, sb, ca, sa;
    struct ae_handle_info hi;

    CHECK((int64_t)m.w[0] > 0);
    CHECK_OK(m.w[1]);
    cb = ktest_frames(a->p);
    sb = ktest_frames(ktest_self);
    m = agent_do(a, AG_SEND, share, 0, 0);
    ca = ktest_frames(a->p);
    sa = ktest_frames(ktest_self);
    *child_drop = cb - ca;
    *self_rise = sa - sb;
    CHECK_EQ(AE_MSG_LABEL(m.info), AG_LABEL);
    CHECK_EQ(AE_MSG_NHANDLES(m.info), 1);
    CHECK_EQ(m.info & AE_MSG_SHARE, 0);         /* not passed on to the receiver */
    if (AE_MSG_NHANDLES(m.info) != 1)
        return 0;
    CHECK_OK(ae_handle_info(m.h[0], &hi));
    CHECK_EQ(hi.type, AE_OBJ_VMO);
    return m.h[0];
}

KTEST(VMO0027, "MOVE: a child's VMO arrives intact; the child's mapping and handle are gone")
{
    struct agent a;
    struct ae_msg m;
    uint64_t drop, rise;
    ae_handle_t v;

    if (!agent_start(&a, NULL))
        return;
    v = agent_sends(&a, 4 * PAGE, 0x27, 0, &drop, &rise);
    if (v) {
        CHECK_OK(ae_vmo_map(v, 0, VA, 0, 4 * PAGE, AE_PROT_READ));
        CHECK_EQ(mismatches(VA, 4 * PAGE, 0x27), 0);
        CHECK_OK(ae_vmo_unmap(0, VA, 4 * PAGE));
        ae_handle_close(v);
    }
    m = agent_do(&a, AG_INFO, 0, 0, 0);
    CHECK_EQ(m.w[0], AE_ERR_BAD_HANDLE);
    m = agent_do(&a, AG_UNMAP, CHILD_VA, 4 * PAGE, 0);
    CHECK_EQ(m.w[0], AE_ERR_NOTFOUND);
    m = agent_do(&a, AG_READ, CHILD_VA + PAGE + 8, 0, 0);
    is_fault(&m, &a, AE_FAULT_PAGE, CHILD_VA + PAGE + 8);
    CHECK_EQ(agent_stop(&a, 0), AE_ERR_FAULT);
}

KTEST(VMO0028, "MOVE moves the charge: the child's used.pages drops by N, ours rises by N")
{
    struct agent a;
    uint64_t drop = 0, rise = 0, base;
    ae_handle_t v;

    if (!agent_start(&a, NULL))
        return;
    base = ktest_frames(ktest_self);          /* the agent's image and stack included */
    v = agent_sends(&a, 8 * PAGE, 0x28, 0, &drop, &rise);
    CHECK_EQ(drop, 8);
    CHECK_EQ(rise, 8);
    if (v) {
        ae_handle_close(v);
        CHECK_EQ(ktest_frames(ktest_self), base);
    }
    CHECK_EQ(agent_stop(&a, 28), 28);
}

KTEST(VMO0029, "AE_MSG_SHARE: the sender keeps its mapping (sees our writes) and the charge; the handle moves")
{
    struct agent a;
    struct ae_msg m;
    uint64_t drop = 1, rise = 1;
    ae_handle_t v;

    if (!agent_start(&a, NULL))
        return;
    v = agent_sends(&a, 2 * PAGE, 0x29, 1, &drop, &rise);
    CHECK_EQ(drop, 0);
    CHECK_EQ(rise, 0);
    if (v) {
        CHECK_OK(ae_vmo_map(v, 0, VA, 0, 2 * PAGE, RW));
        CHECK_EQ(mismatches(VA, 2 * PAGE, 0x29), 0);
        *(volatile uint64_t *)(VA + PAGE) = 0xfeedface;
        m = agent_do(&a, AG_READ, CHILD_VA + PAGE, 0, 0);
        CHECK_EQ(m.w[0], 0xfeedface);
        agent_do(&a, AG_WRITE, CHILD_VA + 16, 0xabcdef, 0);
        CHECK_EQ(*(volatile uint64_t *)(VA + 16), 0xabcdef);
        CHECK_OK(ae_vmo_unmap(0, VA, 2 * PAGE));
        ae_handle_close(v);
    }
    m = agent_do(&a, AG_INFO, 0, 0, 0);
    CHECK_EQ(m.w[0], AE_ERR_BAD_HANDLE);
    m = agent_do(&a, AG_UNMAP, CHILD_VA, 2 * PAGE, 0);
    CHECK_OK(m.w[0]);
    CHECK_EQ(agent_stop(&a, 29), 29);
}

KTEST(VMO0030, "after a SHARE the dead sender's account lives on, holding just what the VMO it pays for takes")
{
    static const struct ae_quota_limits lim = {64, 16, 2, 10};
    uint64_t base = ktest_pinfo(ktest_self).carved.pages, drop, rise;
    struct agent a;
    ae_handle_t v;

    if (!agent_start(&a, &lim))
        return;
    CHECK_EQ(ktest_pinfo(ktest_self).carved.pages, base + 64);
    v = agent_sends(&a, 3 * PAGE, 0x30, 1, &drop, &rise);
    CHECK_EQ(agent_stop(&a, 30), 30);
    if (v) {
        /* Shrunk to the VMO's 3 pages and the page its object's bytes take. */
        CHECK_EQ(ktest_pinfo(ktest_self).carved.pages, base + 4);
        CHECK_OK(ae_vmo_map(v, 0, VA, 0, 3 * PAGE, AE_PROT_READ));
        CHECK_EQ(mismatches(VA, 3 * PAGE, 0x30), 0);
        CHECK_OK(ae_vmo_unmap(0, VA, 3 * PAGE));
        CHECK_OK(ae_handle_close(v));
    }
    CHECK_EQ(ktest_pinfo(ktest_self).carved.pages, base);
}

KTEST(VMO0031, "MOVE of a 1 MiB VMO: every page arrives intact and the charge of 256 pages moves")
{
    static const struct ae_quota_limits lim = {300, 16, 2, 100};
    uint64_t drop = 0, rise = 0, len = 1ull << 20;
    struct agent a;
    ae_handle_t v;

    if (!agent_start(&a, &lim))
        return;
    v = agent_sends(&a, len, 0x31, 0, &drop, &rise);
    CHECK_EQ(drop, 256);
    CHECK_EQ(rise, 256);
    if (v) {
        CHECK_OK(ae_vmo_map(v, 0, VA3, 0, len, AE_PROT_READ));
        CHECK_EQ(mismatches(VA3, len, 0x31), 0);
        CHECK_OK(ae_vmo_unmap(0, VA3, len));
        ae_handle_close(v);
    }
    CHECK_EQ(agent_stop(&a, 31), 31);
}

KTEST(VMO0032, "MOVE the receiver cannot pay for -> QUOTA: handle, mapping and charge stay; a smaller one moves")
{
    static const struct ae_quota_limits lim = {32, 16, 2, 10};
    ae_handle_t big = new_vmo(40 * PAGE), small = new_vmo(4 * PAGE);
    struct ae_handle_info hi;
    uint64_t sb, cb;
    struct agent a;
    struct ae_msg m;

    CHECK_OK(ae_vmo_map(big, 0, VA, 0, 40 * PAGE, RW));
    CHECK_OK(ae_vmo_map(small, 0, VA2, 0, 4 * PAGE, RW));
    fill(VA, 40 * PAGE, 0x32);
    fill(VA2, 4 * PAGE, 0x33);
    if (agent_start(&a, &lim)) {
        sb = ktest_frames(ktest_self);
        cb = ktest_frames(a.p);
        m = (struct ae_msg){AE_MSG_INFO(0, 1), {AG_MAP, CHILD_VA, 40 * PAGE, RW}, {big}, 0};
        CHECK_EQ(agent_msg(&a, &m), AE_ERR_QUOTA);
        CHECK_OK(ae_handle_info(big, &hi));
        CHECK_EQ(mismatches(VA, 40 * PAGE, 0x32), 0);
        CHECK_EQ(ktest_frames(ktest_self), sb);
        CHECK_EQ(ktest_frames(a.p), cb);
        /* The agent is still waiting for its reply: send it the small one. */
        m = (struct ae_msg){AE_MSG_INFO(0, 1), {AG_MAP, CHILD_VA, 4 * PAGE, AE_PROT_READ},
                            {small}, 0};
        CHECK_OK(agent_msg(&a, &m));
        CHECK_OK(m.w[0]);
        CHECK_EQ(ktest_frames(ktest_self), sb - 4);
        CHECK_EQ(ktest_frames(a.p), cb + 4);
        CHECK_EQ(ae_handle_info(small, &hi), AE_ERR_BAD_HANDLE);
        CHECK_EQ(ae_vmo_unmap(0, VA2, 4 * PAGE), AE_ERR_NOTFOUND);  /* our mapping went */
        m = agent_do(&a, AG_CHECK, CHILD_VA, 4 * PAGE, 0x33);
        CHECK_EQ(m.w[0], 0);
        CHECK_EQ(agent_stop(&a, 32), 32);
    } else {
        ae_vmo_unmap(0, VA2, 4 * PAGE);
        ae_handle_close(small);
    }
    CHECK_OK(ae_vmo_unmap(0, VA, 40 * PAGE));
    ae_handle_close(big);
}

KTEST(VMO0033, "MOVE is all or nothing: two VMOs, the second too big -> QUOTA, neither moves")
{
    static const struct ae_quota_limits lim = {32, 16, 2, 10};
    ae_handle_t big = new_vmo(40 * PAGE), small = new_vmo(4 * PAGE);
    struct ae_handle_info hi;
    uint64_t sb, cb;
    struct agent a;
    struct ae_msg m;

    CHECK_OK(ae_vmo_map(big, 0, VA, 0, 40 * PAGE, RW));
    CHECK_OK(ae_vmo_map(small, 0, VA2, 0, 4 * PAGE, RW));
    fill(VA2, 4 * PAGE, 0x34);
    if (agent_start(&a, &lim)) {
        sb = ktest_frames(ktest_self);
        cb = ktest_frames(a.p);
        m = (struct ae_msg){AE_MSG_INFO(0, 2), {AG_READ, CHILD_VA, 0, 0}, {small, big}, 0};
        CHECK_EQ(agent_msg(&a, &m), AE_ERR_QUOTA);
        CHECK_OK(ae_handle_info(small, &hi));
        CHECK_OK(ae_handle_info(big, &hi));
        CHECK_EQ(mismatches(VA2, 4 * PAGE, 0x34), 0);
        CHECK_EQ(ktest_frames(ktest_self), sb);
        CHECK_EQ(ktest_frames(a.p), cb);
        CHECK_EQ(agent_stop(&a, 33), 33);
    }
    CHECK_OK(ae_vmo_unmap(0, VA, 40 * PAGE));
    CHECK_OK(ae_vmo_unmap(0, VA2, 4 * PAGE));
    ae_handle_close(big);
    ae_handle_close(small);
}

KTEST(VMO0034, "MOVE of a VMO the sender does not pay for: its mappings go, the charge stays with the payer")
{
    ae_handle_t v = new_vmo(4 * PAGE), back = 0;
    uint64_t sb, cb;
    struct agent a;
    struct ae_msg m;

    CHECK_OK(ae_vmo_map(v, 0, VA, 0, 4 * PAGE, RW));
    fill(VA, 4 * PAGE, 0x35);
    if (!agent_start(&a, NULL)) {
        ae_vmo_unmap(0, VA, 4 * PAGE);
        ae_handle_close(v);
        return;
    }
    /* Shared to the agent: we keep our mapping and pay. */
    m = (struct ae_msg){AE_MSG_INFO(0, 1) | AE_MSG_SHARE, {AG_MAP, CHILD_VA, 4 * PAGE, RW},
                        {v}, 0};
    sb = ktest_frames(ktest_self);
    cb = ktest_frames(a.p);
    CHECK_OK(agent_msg(&a, &m));
    CHECK_OK(m.w[0]);
    CHECK_EQ(ktest_frames(ktest_self), sb);
    CHECK_EQ(ktest_frames(a.p), cb);
    m = agent_do(&a, AG_CHECK, CHILD_VA, 4 * PAGE, 0x35);
    CHECK_EQ(m.w[0], 0);
    /* Moved back: the agent's mapping goes, we still pay, ours stays. */
    m = agent_do(&a, AG_SEND, 0, 0, 0);
    CHECK_EQ(AE_MSG_NHANDLES(m.info), 1);
    if (AE_MSG_NHANDLES(m.info) == 1)
        back = m.h[0];
    CHECK_EQ(ktest_frames(ktest_self), sb);
    CHECK_EQ(ktest_frames(a.p), cb);
    m = agent_do(&a, AG_UNMAP, CHILD_VA, 4 * PAGE, 0);
    CHECK_EQ(m.w[0], AE_ERR_NOTFOUND);
    CHECK_EQ(mismatches(VA, 4 * PAGE, 0x35), 0);
    CHECK_EQ(agent_stop(&a, 34), 34);
    CHECK_OK(ae_vmo_unmap(0, VA, 4 * PAGE));
    if (back)
        CHECK_OK(ae_handle_close(back));
}

KTEST(VMO0035, "unmapping from a child running on its mapping takes effect at once (TLB shootdown)")
{
    struct agent a;
    struct ae_msg m;
    ae_handle_t v = new_vmo(PAGE);

    CHECK_OK(ae_vmo_map(v, 0, VA, 0, PAGE, RW));
    *(volatile uint64_t *)VA = 0x7157;
    if (agent_start(&a, NULL)) {
        CHECK_OK(ae_vmo_map(v, a.p, CHILD_VA, 0, PAGE, AE_PROT_READ));
        m = agent_do(&a, AG_READ, CHILD_VA, 0, 0);
        CHECK_EQ(m.w[0], 0x7157);
        /* The agent reads the word in a loop (bounded: 20 s) while we unmap. */
        m = (struct ae_msg){AE_MSG_INFO(0, 0),
                            {AG_SPIN, CHILD_VA, 0x7157, (uint64_t)ae_clock_get() + 20000000000ull},
                            {0}, 0};
        CHECK_OK(ae_ipc_reply(&m));
        CHECK_OK(ae_vmo_unmap(a.p, CHILD_VA, PAGE));
        m = (struct ae_msg){0};
        CHECK_OK(ae_ipc_recv(a.ep, &m));
        if (AE_MSG_LABEL(m.info) == AE_MSG_FAULT)
            a.dead = 1;
        is_fault(&m, &a, AE_FAULT_PAGE, CHILD_VA);
        CHECK_EQ(agent_stop(&a, 0), AE_ERR_FAULT);
    }
    CHECK_EQ(*(volatile uint64_t *)VA, 0x7157);
    CHECK_OK(ae_vmo_unmap(0, VA, PAGE));
    ae_handle_close(v);
}

KTEST(VMO0036, "MOVE refused in ipc_send: the blocked receiver keeps waiting and takes the next message")
{
    static const struct ae_quota_limits lim = {32, 16, 2, 10};
    ae_handle_t big = new_vmo(40 * PAGE), small = new_vmo(4 * PAGE);
    ae_handle_t ep2 = CHECK_HANDLE(ae_endpoint_create()), r2;
    struct ae_handle_info hi;
    struct agent a;
    struct ae_msg m;
    uint64_t sb;

    CHECK_OK(ae_vmo_map(big, 0, VA, 0, 40 * PAGE, RW));
    CHECK_OK(ae_vmo_map(small, 0, VA2, 0, 4 * PAGE, RW));
    fill(VA, 40 * PAGE, 0x36);
    fill(VA2, 4 * PAGE, 0x37);
    if (agent_start(&a, &lim)) {
        r2 = CHECK_HANDLE(ae_handle_derive(ep2, AE_RIGHT_RECV | AE_RIGHT_GRANT, 0, 0));
        m = (struct ae_msg){AE_MSG_INFO(0, 1), {AG_RECV, CHILD_VA, 4 * PAGE, AE_PROT_READ},
                            {r2}, 0};
        CHECK_OK(ae_ipc_reply(&m));
        sb = ktest_frames(ktest_self);
        /* Whether the agent already waits (ipc_send transfers) or not yet
         * (we wait, its recv transfers): the same refusal. */
        m = (struct ae_msg){AE_MSG_INFO(1, 1), {0}, {big}, 0};
        int64_t r = ae_ipc_send(ep2, &m);
        CHECK_EQ(r, AE_ERR_QUOTA);
        if (r == AE_ERR_QUOTA) {
            CHECK_OK(ae_handle_info(big, &hi));
            CHECK_EQ(mismatches(VA, 40 * PAGE, 0x36), 0);
            CHECK_EQ(ktest_frames(ktest_self), sb);
            m = (struct ae_msg){AE_MSG_INFO(2, 1), {0}, {small}, 0};
            CHECK_OK(ae_ipc_send(ep2, &m));         /* the agent still waits for it */
            CHECK_EQ(ktest_frames(ktest_self), sb - 4);
        } else {
            big = 0;                            /* it went: the agent has it */
        }
        m = (struct ae_msg){0};
        CHECK_OK(ae_ipc_recv(a.ep, &m));
        CHECK_EQ(AE_MSG_LABEL(m.info), AG_LABEL);
        CHECK_EQ(m.w[0], 1);
        CHECK_OK(m.w[1]);
        if (AE_MSG_LABEL(m.info) == AE_MSG_FAULT) {
            a.dead = 1;
        } else {
            m = agent_do(&a, AG_CHECK, CHILD_VA, 4 * PAGE, 0x37);
            CHECK_EQ(m.w[0], 0);
        }
        CHECK_EQ(agent_stop(&a, 36), 36);
    } else {
        ae_vmo_unmap(0, VA2, 4 * PAGE);
        ae_handle_close(small);
    }
    if (big) {
        CHECK_OK(ae_vmo_unmap(0, VA, 40 * PAGE));
        ae_handle_close(big);
    }
    ae_handle_close(ep2);
}

KTEST(VMO0037, "handle_grant of a mapped VMO moves only the handle: our mapping and charge stay")
{
    static const struct ae_quota_limits lim = {8, 16, 1, 0};
    ae_handle_t v = new_vmo(3 * PAGE);
    ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, "g", &lim));
    struct ae_handle_info hi;
    struct ae_process_info sb, pb, sa, pa;

    CHECK_OK(ae_vmo_map(v, 0, VA, 0, 3 * PAGE, RW));
    fill(VA, 3 * PAGE, 0x37);
    sb = ktest_pinfo(ktest_self);
    pb = ktest_pinfo(p);
    CHECK(ae_handle_grant(p, v) > 0);
    CHECK_EQ(ae_handle_info(v, &hi), AE_ERR_BAD_HANDLE);
    sa = ktest_pinfo(ktest_self);
    pa = ktest_pinfo(p);
    CHECK_EQ(ktest_frames_of(&sa), ktest_frames_of(&sb));
    CHECK_EQ(ktest_frames_of(&pa), ktest_frames_of(&pb));
    /* Only the handle's own record changed hands (p also paid for its
     * handle table's first storage). */
    CHECK(sb.kernel_bytes > sa.kernel_bytes);
    CHECK(pa.kernel_bytes - pb.kernel_bytes >= sb.kernel_bytes - sa.kernel_bytes);
    CHECK_EQ(mismatches(VA, 3 * PAGE, 0x37), 0);
    ae_handle_close(p);                     /* its handle goes with it */
    CHECK_EQ(mismatches(VA, 3 * PAGE, 0x37), 0);
    CHECK_OK(ae_vmo_unmap(0, VA, 3 * PAGE));
}

KTEST(VMO0038, "MOVE removes every mapping of the VMO in the sender, not just one")
{
    struct agent a;
    struct ae_msg m;
    uint64_t drop, rise;
    ae_handle_t v;

    if (!agent_start(&a, NULL))
        return;
    m = agent_do(&a, AG_CREATE, 2 * PAGE, CHILD_VA, 0x38);
    CHECK_OK(m.w[1]);
    m = agent_do(&a, AG_MAP, CHILD_VA + 0x100000, 2 * PAGE, AE_PROT_READ);   /* an alias */
    CHECK_OK(m.w[0]);
    m = agent_do(&a, AG_CHECK, CHILD_VA + 0x100000, 2 * PAGE, 0x38);
    CHECK_EQ(m.w[0], 0);
    drop = ktest_frames(a.p);
    rise = ktest_frames(ktest_self);
    m = agent_do(&a, AG_SEND, 0, 0, 0);
    CHECK_EQ(AE_MSG_NHANDLES(m.info), 1);
    v = AE_MSG_NHANDLES(m.info) == 1 ? m.h[0] : 0;
    CHECK_EQ(drop - ktest_frames(a.p), 2);
    CHECK_EQ(ktest_frames(ktest_self) - rise, 2);
    m = agent_do(&a, AG_UNMAP, CHILD_VA, 2 * PAGE, 0);
    CHECK_EQ(m.w[0], AE_ERR_NOTFOUND);
    m = agent_do(&a, AG_UNMAP, CHILD_VA + 0x100000, 2 * PAGE, 0);
    CHECK_EQ(m.w[0], AE_ERR_NOTFOUND);
    m = agent_do(&a, AG_READ, CHILD_VA + 0x100000 + 8, 0, 0);
    is_fault(&m, &a, AE_FAULT_PAGE, CHILD_VA + 0x100000 + 8);
    CHECK_EQ(agent_stop(&a, 0), AE_ERR_FAULT);
    if (v) {
        CHECK_OK(ae_vmo_map(v, 0, VA, 0, 2 * PAGE, AE_PROT_READ));
        CHECK_EQ(mismatches(VA, 2 * PAGE, 0x38), 0);
        CHECK_OK(ae_vmo_unmap(0, VA, 2 * PAGE));
        ae_handle_close(v);
    }
}

KTEST(VMO0039, "vmo_slice: the parent's pages, no others; rights within the parent's; the parent lives while a slice does")
{
    uint64_t base0 = ktest_frames(ktest_self), base;
    ae_handle_t parent = CHECK_HANDLE(ae_vmo_create(4 * PAGE, AE_VMO_CONTIGUOUS));
    ae_handle_t ro = CHECK_HANDLE(ae_handle_derive(parent, AE_RIGHT_READ | AE_RIGHT_MAP |
                                                   AE_RIGHT_DERIVE, 0, 0));
    struct ae_vmo_info pi, si;
    struct ae_handle_info hi;
    ae_handle_t s;

    CHECK_OK(ae_vmo_map(parent, 0, VA, 0, 4 * PAGE, AE_PROT_READ | AE_PROT_WRITE));
    for (unsigned i = 0; i < 4; i++)
        *(volatile uint64_t *)(VA + i * PAGE) = 0x5100 + i;
    base = ktest_frames(ktest_self);        /* the 4 pages, and page tables for VA and VA2 */
    CHECK_EQ(ae_vmo_slice(parent, PAGE / 2, PAGE, AE_RIGHT_READ), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_slice(parent, 0, 0, AE_RIGHT_READ), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_slice(parent, 3 * PAGE, 2 * PAGE, AE_RIGHT_READ), AE_ERR_RANGE);
    CHECK_EQ(ae_vmo_slice(parent, 5 * PAGE, PAGE, AE_RIGHT_READ), AE_ERR_RANGE);
    CHECK_EQ(ae_vmo_slice(parent, ~0ull & ~(PAGE - 1), 2 * PAGE, AE_RIGHT_READ), AE_ERR_RANGE);
    CHECK_EQ(ae_vmo_slice(ro, PAGE, PAGE, AE_RIGHT_READ | AE_RIGHT_WRITE), AE_ERR_ACCESS);
    s = CHECK_HANDLE(ae_vmo_slice(ro, 2 * PAGE, PAGE, AE_RIGHT_READ | AE_RIGHT_MAP));
    CHECK_OK(ae_handle_info(s, &hi));
    CHECK_EQ(hi.rights, AE_RIGHT_READ | AE_RIGHT_MAP);
    CHECK_OK(ae_vmo_info(parent, &pi));
    CHECK_OK(ae_vmo_info(s, &si));
    CHECK_EQ(si.size, PAGE);
    CHECK_EQ(si.flags, AE_VMO_CONTIGUOUS);
    CHECK_EQ(si.phys, pi.phys + 2 * PAGE);
    CHECK_EQ(ae_vmo_map(s, 0, VA2, 0, PAGE, AE_PROT_READ | AE_PROT_WRITE), AE_ERR_ACCESS);
    CHECK_EQ(ae_vmo_map(s, 0, VA2, 0, 2 * PAGE, AE_PROT_READ), AE_ERR_RANGE);
    CHECK_OK(ae_vmo_map(s, 0, VA2, 0, PAGE, AE_PROT_READ));
    CHECK_EQ(*(volatile uint64_t *)VA2, 0x5102);
    *(volatile uint64_t *)(VA + 2 * PAGE) = 0x5199;          /* the same page */
    CHECK_EQ(*(volatile uint64_t *)VA2, 0x5199);
    CHECK_EQ(ktest_frames(ktest_self), base);                /* no page of its own */
    /* Every handle to the parent goes: the slice's page stays good. */
    CHECK_OK(ae_vmo_unmap(0, VA, 4 * PAGE));
    ae_handle_close(ro);
    ae_handle_close(parent);
    CHECK_EQ(*(volatile uint64_t *)VA2, 0x5199);
    CHECK_EQ(ktest_frames(ktest_self), base);
    CHECK_OK(ae_kernel_check(ktest_self));
    CHECK_OK(ae_vmo_unmap(0, VA2, PAGE));
    ae_handle_close(s);
    CHECK_EQ(ktest_frames(ktest_self), base0);               /* the pages go with it */
    CHECK_OK(ae_kernel_check(ktest_self));
}

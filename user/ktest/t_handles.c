/*
 * Handles and capabilities: close, derive, badges, handle_info, the
 * dispatcher's type and rights checks for every call family, revoke (also
 * across processes), handle_grant and handle transfer in IPC.
 *
 * Every test closes what it creates; child processes made here with
 * process_create never get a thread unless the test says so, so closing
 * their handle ends them and returns their quota.
 */
#include "ktest.h"

#define EP_RIGHTS (AE_RIGHT_SEND | AE_RIGHT_RECV | AE_RIGHT_GRANT | AE_RIGHT_DERIVE)
#define NTF_RIGHTS (AE_RIGHT_SIGNAL | AE_RIGHT_WAIT | AE_RIGHT_GRANT | AE_RIGHT_DERIVE)
#define VMO_RIGHTS (AE_RIGHT_READ | AE_RIGHT_WRITE | AE_RIGHT_EXEC | AE_RIGHT_MAP |     \
                    AE_RIGHT_GRANT | AE_RIGHT_DERIVE)
#define SLOT_MASK 0xfffffu
#define GEN_SHIFT 20
#define MAP_VA 0x00002a0000000000ull        /* scratch mappings of this file */
#define DUMMY_ENTRY 0x400000ull             /* threads here are never started */

/* A thread-less process to aim calls at: alive until its handle is closed. */
static const struct ae_quota_limits small_lim = {16, 64, 4, 0};

static uint32_t rights_of(ae_handle_t h)
{
    struct ae_handle_info i;
    return ae_handle_info(h, &i) == AE_OK ? i.rights : 0xdeadu;
}

static uint64_t handles_used(ae_handle_t p)
{
    struct ae_process_info pi;
    return ae_process_info(p, &pi) == AE_OK ? pi.used.handles : ~0ull;
}

/* ---- close --------------------------------------------------------------- */

KTEST(HND0001, "a new handle is non-zero with bit 31 clear; it closes once, then BAD_HANDLE")
{
    ae_handle_t h = CHECK_HANDLE(ae_endpoint_create());
    CHECK(h != 0);
    CHECK_EQ(h >> 31, 0);
    CHECK((h >> GEN_SHIFT) != 0);           /* generation is never 0 */
    CHECK((h & SLOT_MASK) != 0);            /* slot 0 is never used */
    CHECK_OK(ae_handle_close(h));
    CHECK_EQ(ae_handle_close(h), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_handle_info(h, &(struct ae_handle_info){0}), AE_ERR_BAD_HANDLE);
}

KTEST(HND0002, "handle 0 is AE_ERR_BAD_HANDLE for close, info, derive and revoke")
{
    struct ae_handle_info i;
    CHECK_EQ(ae_handle_close(0), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_handle_info(0, &i), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_handle_derive(0, 0, 0, 0), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_handle_revoke(0), AE_ERR_BAD_HANDLE);
}

KTEST(HND0003, "garbage handle values (all ones, bit 31, generation 0, slot out of range, wrong generation) are AE_ERR_BAD_HANDLE")
{
    ae_handle_t h = CHECK_HANDLE(ae_endpoint_create());
    uint32_t slot = h & SLOT_MASK, gen = h >> GEN_SHIFT;
    uint32_t other_gen = gen + 1 > 0x7ff ? 1 : gen + 1;
    const uint32_t bad[] = {
        0xffffffffu,
        0x80000000u | h,                    /* bit 31 set on a live value */
        slot,                               /* generation 0 */
        1u << GEN_SHIFT,                    /* slot 0 */
        (1u << GEN_SHIFT) | SLOT_MASK,      /* slot far beyond the table */
        (other_gen << GEN_SHIFT) | slot,    /* live slot, wrong generation */
        0x7fffffffu,
    };

    for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        CHECK_EQ(ae_handle_close(bad[k]), AE_ERR_BAD_HANDLE);
        CHECK_EQ(ae_handle_info(bad[k], &(struct ae_handle_info){0}), AE_ERR_BAD_HANDLE);
    }
    /* A 64-bit value whose low half is live is not that handle. */
    CHECK_EQ(ae_sys2(AE_SYS_handle_info, (1ull << 32) | h, 0), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_sys1(AE_SYS_handle_revoke, (1ull << 63) | h), AE_ERR_BAD_HANDLE);
    /* None of that touched the live handle. */
    CHECK_EQ(rights_of(h), EP_RIGHTS);
    CHECK_OK(ae_handle_close(h));
}

KTEST(HND0004, "a stale handle to a reused slot is AE_ERR_BAD_HANDLE while the new handle works")
{
    ae_handle_t h1 = CHECK_HANDLE(ae_endpoint_create()), h2;
    struct ae_handle_info i;

    CHECK_OK(ae_handle_close(h1));
    h2 = CHECK_HANDLE(ae_notify_create());
    /* The freed slot is the next one handed out; only the generation differs. */
    CHECK_EQ(h2 & SLOT_MASK, h1 & SLOT_MASK);
    CHECK(h2 != h1);
    CHECK_EQ(ae_handle_info(h1, &i), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_notify_signal(h1, 1), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_handle_derive(h1, 0, 0, 0), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_handle_close(h1), AE_ERR_BAD_HANDLE);
    CHECK_OK(ae_handle_info(h2, &i));
    CHECK_EQ(i.type, AE_OBJ_NOTIFICATION);
    CHECK_OK(ae_notify_signal(h2, 1));
    CHECK_OK(ae_handle_close(h2));
}

KTEST(HND0005, "every call refuses a closed handle, as first or as a later argument, with AE_ERR_BAD_HANDLE")
{
    ae_handle_t c = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t v = CHECK_HANDLE(ae_vmo_create(4096, 0));
    struct ae_msg m = {0};
    struct ae_process_info pi;
    struct ae_vmo_info vi;

    CHECK_OK(ae_handle_close(c));
    CHECK_EQ(ae_handle_derive(c, 0, 0, 0), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_handle_revoke(c), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_ipc_send(c, &m), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_ipc_call(c, &m), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_ipc_recv(c, &m), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_notify_signal(c, 1), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_notify_wait(c, 0), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_vmo_info(c, &vi), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_vmo_map(c, 0, MAP_VA, 0, 4096, AE_PROT_READ), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_process_info(c, &pi), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_process_wait(c, 0), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_thread_wait(c, 0), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_thread_start(c), AE_ERR_BAD_HANDLE);
    /* Second handles are checked by the calls themselves. */
    CHECK_EQ(ae_vmo_map(v, c, MAP_VA, 0, 4096, AE_PROT_READ), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_vmo_unmap(c, MAP_VA, 4096), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_handle_grant(ktest_self, c), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_handle_grant(ktest_self, 0), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_process_set_fault(ktest_self, c, 0), AE_ERR_BAD_HANDLE);
    CHECK_OK(ae_handle_close(v));
}

/* ---- handle_info for every object type ------------------------------------ */

KTEST(HND0006, "handle_info of the own process: PROCESS, all rights, badge 0")
{
    struct ae_handle_info i = {99, 99, 99};
    CHECK_OK(ae_handle_info(ktest_self, &i));
    CHECK_EQ(i.type, AE_OBJ_PROCESS);
    CHECK_EQ(i.rights, AE_RIGHTS_ALL);
    CHECK_EQ(i.badge, 0);
}

KTEST(HND0007, "handle_info of a new process: PROCESS, all rights, badge 0")
{
    ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, "hnd7", &small_lim));
    struct ae_handle_info i = {99, 99, 99};
    CHECK_OK(ae_handle_info(p, &i));
    CHECK_EQ(i.type, AE_OBJ_PROCESS);
    CHECK_EQ(i.rights, AE_RIGHTS_ALL);
    CHECK_EQ(i.badge, 0);
    CHECK_OK(ae_handle_close(p));
}

KTEST(HND0008, "handle_info of a new thread: THREAD, all rights, badge 0")
{
    ae_handle_t t = CHECK_HANDLE(ae_thread_create(ktest_self, DUMMY_ENTRY, 0, 0));
    struct ae_handle_info i = {99, 99, 99};
    CHECK_OK(ae_handle_info(t, &i));
    CHECK_EQ(i.type, AE_OBJ_THREAD);
    CHECK_EQ(i.rights, AE_RIGHTS_ALL);
    CHECK_EQ(i.badge, 0);
    CHECK_OK(ae_handle_close(t));           /* never started: it just goes */
}

KTEST(HND0009, "handle_info of a new endpoint: ENDPOINT, SEND RECV GRANT DERIVE, badge 0")
{
    ae_handle_t h = CHECK_HANDLE(ae_endpoint_create());
    struct ae_handle_info i = {99, 99, 99};
    CHECK_OK(ae_handle_info(h, &i));
    CHECK_EQ(i.type, AE_OBJ_ENDPOINT);
    CHECK_EQ(i.rights, EP_RIGHTS);
    CHECK_EQ(i.badge, 0);
    CHECK_OK(ae_handle_close(h));
}

KTEST(HND0010, "handle_info of a new notification: NOTIFICATION, SIGNAL WAIT GRANT DERIVE, badge 0")
{
    ae_handle_t h = CHECK_HANDLE(ae_notify_create());
    struct ae_handle_info i = {99, 99, 99};
    CHECK_OK(ae_handle_info(h, &i));
    CHECK_EQ(i.type, AE_OBJ_NOTIFICATION);
    CHECK_EQ(i.rights, NTF_RIGHTS);
    CHECK_EQ(i.badge, 0);
    CHECK_OK(ae_handle_close(h));
}

KTEST(HND0011, "handle_info of a new VMO: VMO, READ WRITE EXEC MAP GRANT DERIVE, badge 0")
{
    ae_handle_t h = CHECK_HANDLE(ae_vmo_create(4096, 0));
    struct ae_handle_info i = {99, 99, 99};
    CHECK_OK(ae_handle_info(h, &i));
    CHECK_EQ(i.type, AE_OBJ_VMO);
    CHECK_EQ(i.rights, VMO_RIGHTS);
    CHECK_EQ(i.badge, 0);
    CHECK_OK(ae_handle_close(h));
}

KTEST(HND0012, "handle_info of derived handles: same type, the derived rights, the badge set or inherited")
{
    ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, "hnd12", &small_lim));
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t dp = CHECK_HANDLE(ae_handle_derive(p, AE_RIGHT_READ | AE_RIGHT_WAIT, 0, 0));
    ae_handle_t dn = CHECK_HANDLE(ae_handle_derive(n, AE_RIGHT_SIGNAL | AE_RIGHT_DERIVE, 77,
                                                   AE_DERIVE_SET_BADGE));
    ae_handle_t dd = CHECK_HANDLE(ae_handle_derive(dn, AE_RIGHT_SIGNAL, 0, 0));
    struct ae_handle_info i;

    CHECK_OK(ae_handle_info(dp, &i));
    CHECK_EQ(i.type, AE_OBJ_PROCESS);
    CHECK_EQ(i.rights, AE_RIGHT_READ | AE_RIGHT_WAIT);
    CHECK_EQ(i.badge, 0);
    CHECK_OK(ae_handle_info(dn, &i));
    CHECK_EQ(i.type, AE_OBJ_NOTIFICATION);
    CHECK_EQ(i.rights, AE_RIGHT_SIGNAL | AE_RIGHT_DERIVE);
    CHECK_EQ(i.badge, 77);
    CHECK_OK(ae_handle_info(dd, &i));
    CHECK_EQ(i.type, AE_OBJ_NOTIFICATION);
    CHECK_EQ(i.rights, AE_RIGHT_SIGNAL);
    CHECK_EQ(i.badge, 77);
    /* The originals are untouched. */
    CHECK_EQ(rights_of(p), AE_RIGHTS_ALL);
    CHECK_EQ(rights_of(n), NTF_RIGHTS);
    ae_handle_close(dd);
    ae_handle_close(dn);
    ae_handle_close(dp);
    ae_handle_close(n);
    ae_handle_close(p);
}

/* ---- derive ----------------------------------------------------------------- */

KTEST(HND0013, "derive with a subset of rights: the new handle can do what it kept and nothing else")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t s = CHECK_HANDLE(ae_handle_derive(n, AE_RIGHT_SIGNAL | AE_RIGHT_GRANT, 0, 0));
    uint64_t before = handles_used(ktest_self);

    CHECK(s != n);
    CHECK_EQ(rights_of(s), AE_RIGHT_SIGNAL | AE_RIGHT_GRANT);
    CHECK_OK(ae_notify_signal(s, 8));
    CHECK_EQ(ae_notify_wait(n, 0), 8);              /* same object */
    CHECK_EQ(ae_notify_wait(s, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_handle_derive(s, AE_RIGHT_SIGNAL, 0, 0), AE_ERR_ACCESS);
    /* A full copy is a subset too. */
    ae_handle_t full = CHECK_HANDLE(ae_handle_derive(n, NTF_RIGHTS, 0, 0));
    CHECK_EQ(rights_of(full), NTF_RIGHTS);
    CHECK_EQ(handles_used(ktest_self), before + 1);
    ae_handle_close(full);
    ae_handle_close(s);
    ae_handle_close(n);
}

KTEST(HND0014, "derive with no rights gives a handle that can only be inspected and closed")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t z = CHECK_HANDLE(ae_handle_derive(ep, 0, 0, 0));
    struct ae_handle_info i;
    struct ae_msg m = {0};

    CHECK_OK(ae_handle_info(z, &i));
    CHECK_EQ(i.type, AE_OBJ_ENDPOINT);
    CHECK_EQ(i.rights, 0);
    CHECK_EQ(ae_ipc_send(z, &m), AE_ERR_ACCESS);
    CHECK_EQ(ae_ipc_recv(z, &m), AE_ERR_ACCESS);
    CHECK_EQ(ae_handle_derive(z, 0, 0, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_handle_revoke(z), AE_ERR_ACCESS);
    CHECK_EQ(ae_handle_grant(ktest_self, z), AE_ERR_ACCESS);
    CHECK_OK(ae_handle_close(z));
    CHECK_OK(ae_handle_close(ep));
}

KTEST(HND0015, "derive asking for a right the parent lacks is AE_ERR_ACCESS and creates nothing")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t d = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND | AE_RIGHT_DERIVE, 0, 0));
    uint64_t before = handles_used(ktest_self);

    CHECK_EQ(ae_handle_derive(d, AE_RIGHT_SEND | AE_RIGHT_RECV, 0, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_handle_derive(d, AE_RIGHT_GRANT, 0, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_handle_derive(ep, AE_RIGHT_MANAGE, 0, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_handle_derive(ep, AE_RIGHTS_ALL, 0, 0), AE_ERR_ACCESS);
    CHECK_EQ(handles_used(ktest_self), before);
    ae_handle_close(d);
    ae_handle_close(ep);
}

KTEST(HND0016, "derive from a handle without DERIVE is AE_ERR_ACCESS, even for a subset or no rights")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t d = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND | AE_RIGHT_RECV, 0, 0));

    CHECK_EQ(ae_handle_derive(d, AE_RIGHT_SEND, 0, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_handle_derive(d, 0, 0, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_handle_derive(d, AE_RIGHT_SEND, 5, AE_DERIVE_SET_BADGE), AE_ERR_ACCESS);
    ae_handle_close(d);
    ae_handle_close(ep);
}

KTEST(HND0017, "derive with rights bits beyond AE_RIGHTS_ALL is AE_ERR_ACCESS; rights wider than 32 bits AE_ERR_INVAL")
{
    uint64_t before = handles_used(ktest_self);

    /* Even from a handle that has every right. */
    CHECK_EQ(ae_handle_derive(ktest_self, AE_RIGHTS_ALL + 1, 0, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_handle_derive(ktest_self, AE_RIGHT_READ | 0x800u, 0, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_handle_derive(ktest_self, 0x80000000u, 0, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_handle_derive(ktest_self, 0xffffffffu, 0, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_sys4(AE_SYS_handle_derive, ktest_self, (1ull << 32) | AE_RIGHT_READ, 0, 0),
             AE_ERR_INVAL);
    CHECK_EQ(handles_used(ktest_self), before);
    /* Exactly AE_RIGHTS_ALL is fine. */
    ae_handle_t all = CHECK_HANDLE(ae_handle_derive(ktest_self, AE_RIGHTS_ALL, 0, 0));
    CHECK_EQ(rights_of(all), AE_RIGHTS_ALL);
    ae_handle_close(all);
}

KTEST(HND0018, "derive with unknown flags is AE_ERR_INVAL")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    uint64_t before = handles_used(ktest_self);

    CHECK_EQ(ae_handle_derive(ep, AE_RIGHT_SEND, 0, 2), AE_ERR_INVAL);
    CHECK_EQ(ae_handle_derive(ep, AE_RIGHT_SEND, 1, AE_DERIVE_SET_BADGE | 4), AE_ERR_INVAL);
    CHECK_EQ(ae_handle_derive(ep, AE_RIGHT_SEND, 0, 0x80000000u), AE_ERR_INVAL);
    CHECK_EQ(ae_sys4(AE_SYS_handle_derive, ep, AE_RIGHT_SEND, 0, 1ull << 40), AE_ERR_INVAL);
    CHECK_EQ(handles_used(ktest_self), before);
    ae_handle_close(ep);
}

KTEST(HND0019, "SET_BADGE sets a 64-bit badge, children inherit it; a badge without the flag is ignored")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t b = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND | AE_RIGHT_DERIVE,
                                                  0xfedcba9876543210ull, AE_DERIVE_SET_BADGE));
    ae_handle_t c = CHECK_HANDLE(ae_handle_derive(b, AE_RIGHT_SEND, 0, 0));
    ae_handle_t nb = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND, 0x77, 0));
    struct ae_handle_info i;

    CHECK_OK(ae_handle_info(b, &i));
    CHECK_EQ(i.badge, 0xfedcba9876543210ull);
    CHECK_OK(ae_handle_info(c, &i));
    CHECK_EQ(i.badge, 0xfedcba9876543210ull);
    CHECK_OK(ae_handle_info(nb, &i));
    CHECK_EQ(i.badge, 0);
    CHECK_OK(ae_handle_info(ep, &i));
    CHECK_EQ(i.badge, 0);
    ae_handle_close(nb);
    ae_handle_close(c);
    ae_handle_close(b);
    ae_handle_close(ep);
}

KTEST(HND0020, "SET_BADGE on an already badged handle is AE_ERR_INVAL, whatever the value")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t b = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND | AE_RIGHT_DERIVE, 0x1234,
                                                  AE_DERIVE_SET_BADGE));
    uint64_t before = handles_used(ktest_self);

    CHECK_EQ(ae_handle_derive(b, AE_RIGHT_SEND, 0x9999, AE_DERIVE_SET_BADGE), AE_ERR_INVAL);
    CHECK_EQ(ae_handle_derive(b, AE_RIGHT_SEND, 0, AE_DERIVE_SET_BADGE), AE_ERR_INVAL);
    /* docs/KERNEL.md: "INVAL (badge already set)"; the syscall layer refuses
     * a repeat of the same value too. */
    CHECK_EQ(ae_handle_derive(b, AE_RIGHT_SEND, 0x1234, AE_DERIVE_SET_BADGE), AE_ERR_INVAL);
    CHECK_EQ(handles_used(ktest_self), before);
    /* An unbadged handle can still be badged, repeatedly into new children. */
    ae_handle_t b2 = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND, 0x5678, AE_DERIVE_SET_BADGE));
    CHECK_OK(ae_handle_close(b2));
    ae_handle_close(b);
    ae_handle_close(ep);
}

/* ---- the dispatcher: wrong types and missing rights -------------------------- */

KTEST(HND0021, "a handle of the wrong type is AE_ERR_INVAL for every typed call")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t v = CHECK_HANDLE(ae_vmo_create(4096, 0));
    ae_handle_t t = CHECK_HANDLE(ae_thread_create(ktest_self, DUMMY_ENTRY, 0, 0));
    struct ae_msg m = {0};
    struct ae_process_info pi;
    struct ae_vmo_info vi;

    CHECK_EQ(ae_notify_signal(ep, 1), AE_ERR_INVAL);
    CHECK_EQ(ae_notify_wait(v, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_ipc_send(n, &m), AE_ERR_INVAL);
    CHECK_EQ(ae_ipc_call(ktest_self, &m), AE_ERR_INVAL);
    CHECK_EQ(ae_ipc_recv(v, &m), AE_ERR_INVAL);
    CHECK_EQ(ae_ipc_reply_recv(t, &m), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_map(ep, 0, MAP_VA, 0, 4096, AE_PROT_READ), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_info(n, &vi), AE_ERR_INVAL);
    CHECK_EQ(ae_process_info(t, &pi), AE_ERR_INVAL);
    CHECK_EQ(ae_process_wait(n, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_process_kill(v, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_process_create(ep, "x", &small_lim), AE_ERR_INVAL);
    CHECK_EQ(ae_process_set_fault(ep, ep, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_thread_create(t, DUMMY_ENTRY, 0, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_thread_start(ktest_self), AE_ERR_INVAL);
    CHECK_EQ(ae_thread_wait(ep, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_thread_set_priority(v, 1), AE_ERR_INVAL);
    CHECK_EQ(ae_thread_set_affinity(n, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_kernel_check(ep), AE_ERR_INVAL);
    CHECK_EQ(ae_handle_grant(n, v), AE_ERR_INVAL);
    /* Later handle arguments are type-checked too. */
    CHECK_EQ(ae_vmo_map(v, ep, MAP_VA, 0, 4096, AE_PROT_READ), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_unmap(n, MAP_VA, 4096), AE_ERR_INVAL);
    CHECK_EQ(ae_process_set_fault(ktest_self, n, 0), AE_ERR_INVAL);
    /* Nothing happened to any of them. */
    CHECK_EQ(rights_of(ep), EP_RIGHTS);
    CHECK_EQ(ae_thread_wait(t, 0), AE_ERR_TIMEOUT);     /* never started */
    ae_handle_close(t);
    ae_handle_close(v);
    ae_handle_close(n);
    ae_handle_close(ep);
}

KTEST(HND0022, "check order: bad handle, then revoked, then type, then rights")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t z = CHECK_HANDLE(ae_handle_derive(ep, 0, 0, 0));
    ae_handle_t r = CHECK_HANDLE(ae_handle_derive(ep, 0, 0, 0));

    /* Wrong type and no rights: the type wins. */
    CHECK_EQ(ae_notify_signal(z, 1), AE_ERR_INVAL);
    CHECK_EQ(ae_process_kill(z, 0), AE_ERR_INVAL);
    /* Revoked, wrong type and no rights: revoked wins. */
    CHECK_EQ(ae_handle_revoke(ep), 2);
    CHECK_EQ(ae_notify_signal(r, 1), AE_ERR_REVOKED);
    CHECK_EQ(ae_handle_revoke(r), AE_ERR_REVOKED);
    ae_handle_close(r);
    /* Closed: bad handle, whatever else. */
    CHECK_EQ(ae_notify_signal(r, 1), AE_ERR_BAD_HANDLE);
    ae_handle_close(z);
    ae_handle_close(ep);
}

KTEST(HND0023, "ipc_send and ipc_call without SEND are AE_ERR_ACCESS")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t r = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHTS_ALL & EP_RIGHTS & ~AE_RIGHT_SEND,
                                                  0, 0));
    struct ae_msg m = {AE_MSG_INFO(1, 0), {1, 2, 3, 4}, {0}, 0};

    CHECK_EQ(ae_ipc_send(r, &m), AE_ERR_ACCESS);
    CHECK_EQ(ae_ipc_call(r, &m), AE_ERR_ACCESS);
    ae_handle_close(r);
    ae_handle_close(ep);
}

KTEST(HND0024, "ipc_recv and ipc_reply_recv without RECV are AE_ERR_ACCESS")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t s = CHECK_HANDLE(ae_handle_derive(ep, EP_RIGHTS & ~AE_RIGHT_RECV, 0, 0));
    struct ae_msg m = {0};

    CHECK_EQ(ae_ipc_recv(s, &m), AE_ERR_ACCESS);
    CHECK_EQ(ae_ipc_reply_recv(s, &m), AE_ERR_ACCESS);
    ae_handle_close(s);
    ae_handle_close(ep);
}

KTEST(HND0025, "vmo_map without MAP, or with a prot the handle's READ/WRITE/EXEC do not cover, and vmo_info without READ are AE_ERR_ACCESS")
{
    ae_handle_t v = CHECK_HANDLE(ae_vmo_create(4096, 0));
    ae_handle_t nomap = CHECK_HANDLE(ae_handle_derive(v, VMO_RIGHTS & ~AE_RIGHT_MAP, 0, 0));
    ae_handle_t ro = CHECK_HANDLE(ae_handle_derive(v, AE_RIGHT_READ | AE_RIGHT_MAP, 0, 0));
    ae_handle_t noread = CHECK_HANDLE(ae_handle_derive(v, VMO_RIGHTS & ~AE_RIGHT_READ, 0, 0));
    struct ae_vmo_info vi;

    CHECK_EQ(ae_vmo_map(nomap, 0, MAP_VA, 0, 4096, AE_PROT_READ), AE_ERR_ACCESS);
    CHECK_EQ(ae_vmo_map(ro, 0, MAP_VA, 0, 4096, AE_PROT_READ | AE_PROT_WRITE), AE_ERR_ACCESS);
    CHECK_EQ(ae_vmo_map(ro, 0, MAP_VA, 0, 4096, AE_PROT_READ | AE_PROT_EXEC), AE_ERR_ACCESS);
    CHECK_EQ(ae_vmo_map(noread, 0, MAP_VA, 0, 4096, AE_PROT_READ), AE_ERR_ACCESS);
    CHECK_EQ(ae_vmo_info(noread, &vi), AE_ERR_ACCESS);
    /* What the rights do cover works. */
    CHECK_OK(ae_vmo_info(ro, &vi));
    CHECK_EQ(vi.size, 4096);
    CHECK_OK(ae_vmo_map(ro, 0, MAP_VA, 0, 4096, AE_PROT_READ));
    CHECK_EQ(*(volatile uint64_t *)MAP_VA, 0);
    CHECK_OK(ae_vmo_unmap(0, MAP_VA, 4096));
    ae_handle_close(noread);
    ae_handle_close(ro);
    ae_handle_close(nomap);
    ae_handle_close(v);
}

KTEST(HND0026, "vmo_map into and vmo_unmap from a process handle without MAP are AE_ERR_ACCESS")
{
    ae_handle_t v = CHECK_HANDLE(ae_vmo_create(4096, 0));
    ae_handle_t pm = CHECK_HANDLE(ae_handle_derive(ktest_self, AE_RIGHTS_ALL & ~AE_RIGHT_MAP, 0, 0));
    ae_handle_t pok = CHECK_HANDLE(ae_handle_derive(ktest_self, AE_RIGHT_MAP, 0, 0));

    CHECK_EQ(ae_vmo_map(v, pm, MAP_VA, 0, 4096, AE_PROT_READ), AE_ERR_ACCESS);
    CHECK_OK(ae_vmo_map(v, pok, MAP_VA, 0, 4096, AE_PROT_READ));
    CHECK_EQ(ae_vmo_unmap(pm, MAP_VA, 4096), AE_ERR_ACCESS);
    CHECK_OK(ae_vmo_unmap(pok, MAP_VA, 4096));
    ae_handle_close(pok);
    ae_handle_close(pm);
    ae_handle_close(v);
}

KTEST(HND0027, "notify_signal without SIGNAL and notify_wait without WAIT are AE_ERR_ACCESS")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t w = CHECK_HANDLE(ae_handle_derive(n, NTF_RIGHTS & ~AE_RIGHT_SIGNAL, 0, 0));
    ae_handle_t s = CHECK_HANDLE(ae_handle_derive(n, NTF_RIGHTS & ~AE_RIGHT_WAIT, 0, 0));

    CHECK_EQ(ae_notify_signal(w, 1), AE_ERR_ACCESS);
    CHECK_EQ(ae_notify_wait(w, 0), AE_ERR_TIMEOUT);     /* nothing was signalled */
    CHECK_EQ(ae_notify_wait(s, 0), AE_ERR_ACCESS);
    CHECK_OK(ae_notify_signal(s, 0x10));
    CHECK_EQ(ae_notify_wait(w, 0), 0x10);
    ae_handle_close(s);
    ae_handle_close(w);
    ae_handle_close(n);
}

KTEST(HND0028, "thread_start, set_priority, set_affinity without MANAGE and thread_wait without WAIT are AE_ERR_ACCESS")
{
    ae_handle_t t = CHECK_HANDLE(ae_thread_create(ktest_self, DUMMY_ENTRY, 0, 0));
    ae_handle_t tm = CHECK_HANDLE(ae_handle_derive(t, AE_RIGHTS_ALL & ~AE_RIGHT_MANAGE, 0, 0));
    ae_handle_t tw = CHECK_HANDLE(ae_handle_derive(t, AE_RIGHTS_ALL & ~AE_RIGHT_WAIT, 0, 0));

    CHECK_EQ(ae_thread_start(tm), AE_ERR_ACCESS);
    CHECK_EQ(ae_thread_set_priority(tm, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_thread_set_affinity(tm, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_thread_wait(tw, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_thread_wait(tm, 0), AE_ERR_TIMEOUT);    /* still never started */
    ae_handle_close(tw);
    ae_handle_close(tm);
    ae_handle_close(t);
}

KTEST(HND0029, "process_info without READ and process_wait without WAIT are AE_ERR_ACCESS")
{
    ae_handle_t pr = CHECK_HANDLE(ae_handle_derive(ktest_self, AE_RIGHTS_ALL & ~AE_RIGHT_READ, 0, 0));
    ae_handle_t pw = CHECK_HANDLE(ae_handle_derive(ktest_self, AE_RIGHTS_ALL & ~AE_RIGHT_WAIT, 0, 0));
    struct ae_process_info pi;

    CHECK_EQ(ae_process_info(pr, &pi), AE_ERR_ACCESS);
    CHECK_EQ(ae_process_wait(pw, 0), AE_ERR_ACCESS);
    CHECK_OK(ae_process_info(pw, &pi));
    CHECK_EQ(ae_process_wait(pr, 0), AE_ERR_TIMEOUT);   /* we are alive */
    ae_handle_close(pw);
    ae_handle_close(pr);
}

KTEST(HND0030, "process_create, kill, set_fault, thread_create, kernel_check and handle_grant without MANAGE are AE_ERR_ACCESS")
{
    ae_handle_t q = CHECK_HANDLE(ae_process_create(ktest_self, "hnd30", &small_lim));
    ae_handle_t qm = CHECK_HANDLE(ae_handle_derive(q, AE_RIGHTS_ALL & ~AE_RIGHT_MANAGE, 0, 0));
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t nosend = CHECK_HANDLE(ae_handle_derive(ep, EP_RIGHTS & ~AE_RIGHT_SEND, 0, 0));
    struct ae_process_info pi;

    CHECK_EQ(ae_process_create(qm, "x", &small_lim), AE_ERR_ACCESS);
    CHECK_EQ(ae_process_kill(qm, 3), AE_ERR_ACCESS);
    CHECK_EQ(ae_process_set_fault(qm, ep, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_thread_create(qm, DUMMY_ENTRY, 0, 0), AE_ERR_ACCESS);
    CHECK_EQ(ae_kernel_check(qm), AE_ERR_ACCESS);
    CHECK_EQ(ae_handle_grant(qm, nosend), AE_ERR_ACCESS);
    /* set_fault checks SEND on the endpoint it is given. */
    CHECK_EQ(ae_process_set_fault(q, nosend, 0), AE_ERR_ACCESS);
    /* None of it had an effect. */
    CHECK_OK(ae_process_info(qm, &pi));
    CHECK_EQ(pi.state, 0);
    CHECK_EQ(pi.nthreads, 0);
    CHECK_EQ(pi.used.handles, 0);
    CHECK_EQ(pi.carved.pages, 0);
    CHECK_EQ(rights_of(nosend), EP_RIGHTS & ~AE_RIGHT_SEND);
    CHECK_OK(ae_kernel_check(q));
    ae_handle_close(nosend);
    ae_handle_close(ep);
    ae_handle_close(qm);
    ae_handle_close(q);
}

/* ---- revoke --------------------------------------------------------------- */

KTEST(HND0031, "revoke returns the number of descendants, which then answer AE_ERR_REVOKED; the revoker is unaffected")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t c[3];
    struct ae_handle_info i;

    for (int k = 0; k < 3; k++)
        c[k] = CHECK_HANDLE(ae_handle_derive(n, AE_RIGHT_SIGNAL | AE_RIGHT_WAIT, 0, 0));
    CHECK_OK(ae_notify_signal(c[0], 1));
    CHECK_EQ(ae_handle_revoke(n), 3);
    for (int k = 0; k < 3; k++) {
        CHECK_EQ(ae_notify_signal(c[k], 1), AE_ERR_REVOKED);
        CHECK_EQ(ae_notify_wait(c[k], 0), AE_ERR_REVOKED);
        CHECK_EQ(ae_handle_info(c[k], &i), AE_ERR_REVOKED);
    }
    /* The revoker keeps its rights and its object (and the pending bit). */
    CHECK_EQ(rights_of(n), NTF_RIGHTS);
    CHECK_EQ(ae_notify_wait(n, 0), 1);
    CHECK_OK(ae_notify_signal(n, 2));
    CHECK_EQ(ae_notify_wait(n, 0), 2);
    /* New children can be derived again. */
    ae_handle_t again = CHECK_HANDLE(ae_handle_derive(n, AE_RIGHT_SIGNAL, 0, 0));
    CHECK_OK(ae_notify_signal(again, 4));
    ae_handle_close(again);
    for (int k = 0; k < 3; k++)
        CHECK_OK(ae_handle_close(c[k]));
    ae_handle_close(n);
}

KTEST(HND0032, "revoke reaches grandchildren and great-grandchildren and counts them all")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t a = CHECK_HANDLE(ae_handle_derive(ep, EP_RIGHTS, 0, 0));
    ae_handle_t b = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND, 0, 0));
    ae_handle_t a1 = CHECK_HANDLE(ae_handle_derive(a, AE_RIGHT_SEND | AE_RIGHT_DERIVE, 0, 0));
    ae_handle_t a2 = CHECK_HANDLE(ae_handle_derive(a, AE_RIGHT_RECV, 0, 0));
    ae_handle_t a11 = CHECK_HANDLE(ae_handle_derive(a1, AE_RIGHT_SEND, 9, AE_DERIVE_SET_BADGE));
    ae_handle_t all[] = {a, b, a1, a2, a11};
    struct ae_handle_info i;

    CHECK_EQ(ae_handle_revoke(ep), 5);
    for (unsigned k = 0; k < 5; k++) {
        CHECK_EQ(ae_handle_info(all[k], &i), AE_ERR_REVOKED);
        CHECK_OK(ae_handle_close(all[k]));
    }
    CHECK_EQ(rights_of(ep), EP_RIGHTS);
    ae_handle_close(ep);
}

KTEST(HND0033, "revoke of a middle handle takes only its subtree; its parent and siblings keep working")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t mid = CHECK_HANDLE(ae_handle_derive(n, NTF_RIGHTS, 0, 0));
    ae_handle_t sib = CHECK_HANDLE(ae_handle_derive(n, AE_RIGHT_SIGNAL, 0, 0));
    ae_handle_t c1 = CHECK_HANDLE(ae_handle_derive(mid, AE_RIGHT_SIGNAL | AE_RIGHT_DERIVE, 0, 0));
    ae_handle_t c2 = CHECK_HANDLE(ae_handle_derive(c1, AE_RIGHT_SIGNAL, 0, 0));

    CHECK_EQ(ae_handle_revoke(mid), 2);
    CHECK_EQ(ae_notify_signal(c1, 1), AE_ERR_REVOKED);
    CHECK_EQ(ae_notify_signal(c2, 1), AE_ERR_REVOKED);
    CHECK_OK(ae_notify_signal(mid, 1));
    CHECK_OK(ae_notify_signal(sib, 2));
    CHECK_EQ(ae_notify_wait(n, 0), 3);
    /* The root's revoke now finds mid and sib only. */
    CHECK_EQ(ae_handle_revoke(n), 2);
    ae_handle_close(c2);
    ae_handle_close(c1);
    ae_handle_close(sib);
    ae_handle_close(mid);
    ae_handle_close(n);
}

KTEST(HND0034, "closing a middle handle moves its children up: a revoke of the root still reaches them")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t mid = CHECK_HANDLE(ae_handle_derive(n, NTF_RIGHTS, 0, 0));
    ae_handle_t c = CHECK_HANDLE(ae_handle_derive(mid, AE_RIGHT_SIGNAL | AE_RIGHT_DERIVE, 0, 0));
    ae_handle_t g = CHECK_HANDLE(ae_handle_derive(c, AE_RIGHT_SIGNAL, 0, 0));

    CHECK_OK(ae_handle_close(mid));
    CHECK_OK(ae_notify_signal(c, 1));        /* children outlive their parent's handle */
    CHECK_OK(ae_notify_signal(g, 1));
    CHECK_EQ(ae_handle_revoke(n), 2);
    CHECK_EQ(ae_notify_signal(c, 1), AE_ERR_REVOKED);
    CHECK_EQ(ae_notify_signal(g, 1), AE_ERR_REVOKED);
    ae_handle_close(g);
    ae_handle_close(c);
    ae_handle_close(n);
}

KTEST(HND0035, "a revoked handle answers AE_ERR_REVOKED to every call but close, and still counts until closed")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t d = CHECK_HANDLE(ae_handle_derive(ep, EP_RIGHTS, 0, 0));
    struct ae_handle_info i;
    struct ae_msg m = {0};
    uint64_t used;

    CHECK_EQ(ae_handle_revoke(ep), 1);
    used = handles_used(ktest_self);
    CHECK_EQ(ae_handle_info(d, &i), AE_ERR_REVOKED);
    CHECK_EQ(ae_handle_derive(d, AE_RIGHT_SEND, 0, 0), AE_ERR_REVOKED);
    CHECK_EQ(ae_handle_revoke(d), AE_ERR_REVOKED);
    CHECK_EQ(ae_ipc_send(d, &m), AE_ERR_REVOKED);
    CHECK_EQ(ae_ipc_recv(d, &m), AE_ERR_REVOKED);
    CHECK_EQ(ae_handle_grant(ktest_self, d), AE_ERR_REVOKED);
    CHECK_EQ(handles_used(ktest_self), used);
    CHECK_OK(ae_handle_close(d));
    CHECK_EQ(handles_used(ktest_self), used - 1);
    CHECK_EQ(ae_handle_close(d), AE_ERR_BAD_HANDLE);
    ae_handle_close(ep);
}

KTEST(HND0036, "revoke without descendants returns 0, and a second revoke finds nothing left")
{
    ae_handle_t v = CHECK_HANDLE(ae_vmo_create(4096, 0));
    CHECK_EQ(ae_handle_revoke(v), 0);
    ae_handle_t d = CHECK_HANDLE(ae_handle_derive(v, AE_RIGHT_READ, 0, 0));
    CHECK_EQ(ae_handle_revoke(v), 1);
    CHECK_EQ(ae_handle_revoke(v), 0);
    ae_handle_close(d);
    CHECK_EQ(ae_handle_revoke(v), 0);
    ae_handle_close(v);
}

KTEST(HND0037, "revoke without DERIVE is AE_ERR_ACCESS and revokes nothing")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t mid = CHECK_HANDLE(ae_handle_derive(n, NTF_RIGHTS, 0, 0));
    ae_handle_t c = CHECK_HANDLE(ae_handle_derive(mid, AE_RIGHT_SIGNAL, 0, 0));
    ae_handle_t nod = CHECK_HANDLE(ae_handle_derive(n, NTF_RIGHTS & ~AE_RIGHT_DERIVE, 0, 0));

    CHECK_EQ(ae_handle_revoke(nod), AE_ERR_ACCESS);
    CHECK_EQ(ae_handle_revoke(c), AE_ERR_ACCESS);
    CHECK_OK(ae_notify_signal(c, 1));
    CHECK_EQ(ae_handle_revoke(n), 3);
    ae_handle_close(nod);
    ae_handle_close(c);
    ae_handle_close(mid);
    ae_handle_close(n);
}

/* The child holds a notification handle that the parent derived and moved
 * into it: it signals once (the handle works), then waits until the handle
 * stops working, which must be because it was revoked. */
static int64_t child_watch_revoke(uint64_t arg)
{
    ae_handle_t h = (ae_handle_t)arg;
    struct ae_handle_info i;
    int64_t r = AE_OK, deadline;

    if (ae_handle_info(h, &i) != AE_OK || i.type != AE_OBJ_NOTIFICATION)
        return 1;
    if (ae_notify_signal(h, 2) != AE_OK)
        return 2;
    deadline = ae_clock_get() + (int64_t)(KTEST_WAIT_NS / 2);
    while (ae_clock_get() < deadline) {
        r = ae_handle_info(h, &i);
        if (r != AE_OK)
            break;
        ae_sleep_until((uint64_t)ae_clock_get() + 1000000);
    }
    if (r != AE_ERR_REVOKED)
        return 3;
    if (ae_notify_signal(h, 2) != AE_ERR_REVOKED)
        return 4;
    if (ae_handle_derive(h, AE_RIGHT_SIGNAL, 0, 0) != AE_ERR_REVOKED)
        return 5;
    if (ae_handle_close(h) != AE_OK)
        return 6;
    if (ae_handle_close(h) != AE_ERR_BAD_HANDLE)
        return 7;
    return 0;
}

KTEST(HND0038, "revoke in the parent reaches a derived handle moved into a child: the child sees AE_ERR_REVOKED")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t d = CHECK_HANDLE(ae_handle_derive(n, NTF_RIGHTS, 0, 0));
    ae_handle_t given = 0;
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_watch_revoke, 0, NULL, d, &given));
    struct ae_handle_info i;

    if (!p) {
        ae_handle_close(d);
        ae_handle_close(n);
        return;
    }
    CHECK(given != 0);
    CHECK_EQ(ae_handle_info(d, &i), AE_ERR_BAD_HANDLE);     /* moved out */
    CHECK_EQ(ae_notify_wait(n, KTEST_WAIT_NS), 2);          /* the child used it */
    CHECK_EQ(ae_handle_revoke(n), 1);
    CHECK_EQ(ktest_wait_child(p), 0);
    CHECK_OK(ae_notify_signal(n, 1));                       /* ours still works */
    CHECK_EQ(ae_notify_wait(n, 0), 1);
    ae_handle_close(n);
}

/* ---- handle_grant ------------------------------------------------------- */

KTEST(HND0039, "handle_grant moves a handle: its value in the target is returned, the giver's becomes AE_ERR_BAD_HANDLE")
{
    ae_handle_t q = CHECK_HANDLE(ae_process_create(ktest_self, "hnd39", &small_lim));
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t h = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND | AE_RIGHT_GRANT, 0, 0));
    uint64_t mine = handles_used(ktest_self);
    struct ae_handle_info i;
    int64_t g = ae_handle_grant(q, h);

    CHECK(g > 0);
    CHECK_EQ(((uint64_t)g) >> 31, 0);
    CHECK_EQ(ae_handle_info(h, &i), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_handle_close(h), AE_ERR_BAD_HANDLE);
    CHECK_EQ(handles_used(ktest_self), mine - 1);
    CHECK_EQ(handles_used(q), 1);
    CHECK_OK(ae_kernel_check(ktest_self));
    /* It kept its place in the tree. */
    CHECK_EQ(ae_handle_revoke(ep), 1);
    ae_handle_close(ep);
    CHECK_OK(ae_handle_close(q));
}

KTEST(HND0040, "handle_grant of a handle without GRANT is AE_ERR_ACCESS and nothing moves")
{
    ae_handle_t q = CHECK_HANDLE(ae_process_create(ktest_self, "hnd40", &small_lim));
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t h = CHECK_HANDLE(ae_handle_derive(ep, EP_RIGHTS & ~AE_RIGHT_GRANT, 0, 0));
    uint64_t mine = handles_used(ktest_self);

    CHECK_EQ(ae_handle_grant(q, h), AE_ERR_ACCESS);
    CHECK_EQ(rights_of(h), EP_RIGHTS & ~AE_RIGHT_GRANT);
    CHECK_EQ(handles_used(ktest_self), mine);
    CHECK_EQ(handles_used(q), 0);
    ae_handle_close(h);
    ae_handle_close(ep);
    ae_handle_close(q);
}

KTEST(HND0041, "handle_grant needs MANAGE on a process handle (ACCESS, INVAL) and a live handle to give (BAD_HANDLE, REVOKED)")
{
    ae_handle_t q = CHECK_HANDLE(ae_process_create(ktest_self, "hnd41", &small_lim));
    ae_handle_t qm = CHECK_HANDLE(ae_handle_derive(q, AE_RIGHTS_ALL & ~AE_RIGHT_MANAGE, 0, 0));
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t h = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t gone = CHECK_HANDLE(ae_endpoint_create());

    CHECK_EQ(ae_handle_grant(qm, h), AE_ERR_ACCESS);
    CHECK_EQ(ae_handle_grant(ep, h), AE_ERR_INVAL);
    CHECK_EQ(ae_handle_grant(q, 0), AE_ERR_BAD_HANDLE);
    ae_handle_close(gone);
    CHECK_EQ(ae_handle_grant(q, gone), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_sys2(AE_SYS_handle_grant, q, (1ull << 32) | h), AE_ERR_BAD_HANDLE);
    CHECK_EQ(rights_of(h), AE_RIGHT_SEND | AE_RIGHT_GRANT);
    CHECK_EQ(handles_used(q), 0);
    CHECK_EQ(ae_handle_revoke(ep), 1);
    CHECK_EQ(ae_handle_grant(q, h), AE_ERR_REVOKED);
    CHECK_EQ(handles_used(q), 0);
    ae_handle_close(h);
    ae_handle_close(ep);
    ae_handle_close(qm);
    ae_handle_close(q);
}

KTEST(HND0042, "handle_grant into a dead process is AE_ERR_PEER_CLOSED and the handle stays")
{
    ae_handle_t q = CHECK_HANDLE(ae_process_create(ktest_self, "hnd42", &small_lim));
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());

    CHECK_OK(ae_process_kill(q, 5));
    CHECK_EQ(ae_process_wait(q, 0), 5);         /* no threads: dead at once */
    CHECK_EQ(ae_handle_grant(q, n), AE_ERR_PEER_CLOSED);
    CHECK_EQ(rights_of(n), NTF_RIGHTS);
    ae_handle_close(n);
    ae_handle_close(q);
}

KTEST(HND0043, "handle_grant into one's own process gives a new value for the same capability; the old value is gone")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t d = CHECK_HANDLE(ae_handle_derive(n, AE_RIGHT_SIGNAL | AE_RIGHT_GRANT, 3,
                                                  AE_DERIVE_SET_BADGE));
    uint64_t used = handles_used(ktest_self);
    int64_t g = ae_handle_grant(ktest_self, d);
    struct ae_handle_info i;

    CHECK(g > 0);
    CHECK(g != d);
    CHECK_EQ(ae_handle_info(d, &i), AE_ERR_BAD_HANDLE);
    CHECK_OK(ae_handle_info((ae_handle_t)g, &i));
    CHECK_EQ(i.rights, AE_RIGHT_SIGNAL | AE_RIGHT_GRANT);
    CHECK_EQ(i.badge, 3);
    CHECK_EQ(handles_used(ktest_self), used);
    CHECK_OK(ae_notify_signal((ae_handle_t)g, 1));
    CHECK_EQ(ae_notify_wait(n, 0), 1);
    CHECK_EQ(ae_handle_revoke(n), 1);
    ae_handle_close((ae_handle_t)g);
    ae_handle_close(n);
}

/* ---- handle transfer in IPC (between two threads of this process) ------------- */

struct rx {
    ae_handle_t ep;
    int n;                      /* messages to receive */
    int64_t r[4];
    struct ae_msg m[4];
};

static void rx_thread(void *arg)
{
    struct rx *x = arg;

    for (int k = 0; k < x->n && k < 4; k++) {
        struct ae_msg m = {0};
        x->r[k] = ae_ipc_recv(x->ep, &m);
        x->m[k] = m;
    }
}

KTEST(HND0044, "a handle sent in IPC moves: a new value arrives with the same rights and badge, the old value is AE_ERR_BAD_HANDLE")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t d = CHECK_HANDLE(ae_handle_derive(n, AE_RIGHT_SIGNAL | AE_RIGHT_GRANT, 0x42,
                                                  AE_DERIVE_SET_BADGE));
    struct rx x = {ep, 1, {0}, {{0}}};
    ae_handle_t t = CHECK_HANDLE(ktest_thread(rx_thread, &x));
    struct ae_msg m = {AE_MSG_INFO(5, 1), {1, 2, 3, 4}, {d, 0, 0, 0}, 0};
    struct ae_handle_info i;
    uint64_t used;

    if (!t)
        goto out;
    used = handles_used(ktest_self);
    CHECK_OK(ae_ipc_send(ep, &m));
    CHECK_EQ(ae_handle_info(d, &i), AE_ERR_BAD_HANDLE);
    CHECK_EQ(handles_used(ktest_self), used);            /* moved, not copied */
    CHECK_EQ(ktest_join(t), 0);
    CHECK_OK(x.r[0]);
    CHECK_EQ(AE_MSG_LABEL(x.m[0].info), 5);
    CHECK_EQ(AE_MSG_NHANDLES(x.m[0].info), 1);
    CHECK_EQ(x.m[0].w[3], 4);
    CHECK_EQ(x.m[0].h[1], 0);
    ae_handle_t got = x.m[0].h[0];
    CHECK(got != 0 && got != d);
    CHECK_OK(ae_handle_info(got, &i));
    CHECK_EQ(i.type, AE_OBJ_NOTIFICATION);
    CHECK_EQ(i.rights, AE_RIGHT_SIGNAL | AE_RIGHT_GRANT);
    CHECK_EQ(i.badge, 0x42);
    CHECK_OK(ae_notify_signal(got, 0x20));
    CHECK_EQ(ae_notify_wait(n, 0), 0x20);
    /* Still a child of n in the derivation tree. */
    CHECK_EQ(ae_handle_revoke(n), 1);
    CHECK_EQ(ae_notify_signal(got, 1), AE_ERR_REVOKED);
    ae_handle_close(got);
out:
    ae_handle_close(d);
    ae_handle_close(n);
    ae_handle_close(ep);
}

KTEST(HND0045, "sending a handle without GRANT is AE_ERR_ACCESS: nothing moves and the receiver gets the next message")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t ng = CHECK_HANDLE(ae_handle_derive(n, AE_RIGHT_SIGNAL, 0, 0));
    struct rx x = {ep, 1, {0}, {{0}}};
    ae_handle_t t = CHECK_HANDLE(ktest_thread(rx_thread, &x));
    struct ae_msg m = {AE_MSG_INFO(6, 1), {0}, {ng, 0, 0, 0}, 0};
    struct ae_msg plain = {AE_MSG_INFO(7, 0), {70, 0, 0, 0}, {0}, 0};
    uint64_t used;

    if (!t)
        goto out;
    used = handles_used(ktest_self);
    CHECK_EQ(ae_ipc_send(ep, &m), AE_ERR_ACCESS);
    CHECK_EQ(rights_of(ng), AE_RIGHT_SIGNAL);
    CHECK_EQ(handles_used(ktest_self), used);
    CHECK_OK(ae_ipc_send(ep, &plain));
    CHECK_EQ(ktest_join(t), 0);
    CHECK_OK(x.r[0]);
    CHECK_EQ(AE_MSG_LABEL(x.m[0].info), 7);
    CHECK_EQ(AE_MSG_NHANDLES(x.m[0].info), 0);
    CHECK_EQ(x.m[0].w[0], 70);
    CHECK_EQ(x.m[0].h[0], 0);
out:
    ae_handle_close(ng);
    ae_handle_close(n);
    ae_handle_close(ep);
}

KTEST(HND0046, "a message naming one handle twice is AE_ERR_INVAL, a 0 handle AE_ERR_BAD_HANDLE, more than 4 AE_ERR_INVAL; nothing moves")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t g = CHECK_HANDLE(ae_handle_derive(n, AE_RIGHT_SIGNAL | AE_RIGHT_GRANT, 0, 0));
    struct rx x = {ep, 1, {0}, {{0}}};
    ae_handle_t t = CHECK_HANDLE(ktest_thread(rx_thread, &x));
    struct ae_msg dup = {AE_MSG_INFO(1, 2), {0}, {g, g, 0, 0}, 0};
    struct ae_msg zero = {AE_MSG_INFO(1, 2), {0}, {g, 0, 0, 0}, 0};
    struct ae_msg five = {AE_MSG_INFO(1, 5), {0}, {g, 0, 0, 0}, 0};
    struct ae_msg plain = {AE_MSG_INFO(9, 0), {0}, {0}, 0};
    uint64_t used;

    if (!t)
        goto out;
    used = handles_used(ktest_self);
    CHECK_EQ(ae_ipc_send(ep, &five), AE_ERR_INVAL);
    CHECK_EQ(ae_ipc_send(ep, &dup), AE_ERR_INVAL);
    CHECK_EQ(ae_ipc_send(ep, &zero), AE_ERR_BAD_HANDLE);
    CHECK_EQ(rights_of(g), AE_RIGHT_SIGNAL | AE_RIGHT_GRANT);
    CHECK_EQ(handles_used(ktest_self), used);
    CHECK_OK(ae_ipc_send(ep, &plain));
    CHECK_EQ(ktest_join(t), 0);
    CHECK_OK(x.r[0]);
    CHECK_EQ(AE_MSG_LABEL(x.m[0].info), 9);
    CHECK_EQ(AE_MSG_NHANDLES(x.m[0].info), 0);
out:
    ae_handle_close(g);
    ae_handle_close(n);
    ae_handle_close(ep);
}

KTEST(HND0047, "several handles in one message all move, in order, each keeping its type")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t v = CHECK_HANDLE(ae_vmo_create(4096, 0));
    ae_handle_t e2 = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t dn = CHECK_HANDLE(ae_handle_derive(n, AE_RIGHT_WAIT | AE_RIGHT_GRANT, 0, 0));
    struct rx x = {ep, 1, {0}, {{0}}};
    ae_handle_t t = CHECK_HANDLE(ktest_thread(rx_thread, &x));
    struct ae_msg m = {AE_MSG_INFO(3, 3) | AE_MSG_SHARE, {0}, {e2, v, dn, 0}, 0};
    const uint32_t types[3] = {AE_OBJ_ENDPOINT, AE_OBJ_VMO, AE_OBJ_NOTIFICATION};
    struct ae_handle_info i;

    if (!t) {
        ae_handle_close(dn);
        ae_handle_close(e2);
        ae_handle_close(v);
        goto out;
    }
    CHECK_OK(ae_ipc_send(ep, &m));
    CHECK_EQ(ktest_join(t), 0);
    CHECK_OK(x.r[0]);
    CHECK_EQ(AE_MSG_NHANDLES(x.m[0].info), 3);
    CHECK_EQ(ae_handle_info(e2, &i), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_handle_info(v, &i), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_handle_info(dn, &i), AE_ERR_BAD_HANDLE);
    for (int k = 0; k < 3; k++) {
        CHECK_OK(ae_handle_info(x.m[0].h[k], &i));
        CHECK_EQ(i.type, types[k]);
        ae_handle_close(x.m[0].h[k]);
    }
    CHECK_EQ(x.m[0].h[3], 0);
out:
    ae_handle_close(n);
    ae_handle_close(ep);
}

/* ---- process_handles ---------------------------------------------------------- */

static int find_entry(const struct ae_handle_entry *e, int64_t n, ae_handle_t h)
{
    for (int64_t i = 0; i < n; i++)
        if (e[i].handle == h)
            return (int)i;
    return -1;
}

KTEST(HND0048, "process_handles lists every handle of a process: value, type, rights, badge; the count matches used.handles")
{
    static struct ae_handle_entry e[512];
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t d = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND, 0x77, AE_DERIVE_SET_BADGE));
    ae_handle_t v = CHECK_HANDLE(ae_vmo_create(4096, 0));
    int64_t n = ae_process_handles(ktest_self, e, 512);
    struct ae_process_info pi;
    int i;

    CHECK_OK(ae_process_info(ktest_self, &pi));
    CHECK_EQ(n, pi.used.handles);
    CHECK(n <= 512);
    i = find_entry(e, n, d);
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_EQ(e[i].type, AE_OBJ_ENDPOINT);
        CHECK_EQ(e[i].rights, AE_RIGHT_SEND);
        CHECK_EQ(e[i].badge, 0x77);
        CHECK_EQ(e[i].revoked, 0);
    }
    i = find_entry(e, n, v);
    CHECK(i >= 0 && e[i].type == AE_OBJ_VMO);
    CHECK(find_entry(e, n, ktest_self) >= 0);
    for (int64_t k = 1; k < n; k++)
        CHECK((e[k].handle & 0xfffff) > (e[k - 1].handle & 0xfffff));    /* slot order */
    ae_handle_close(v);
    ae_handle_close(d);
    ae_handle_close(ep);
}

KTEST(HND0049, "process_handles: a short buffer gets the first entries and the full count; a revoked handle shows revoked")
{
    struct ae_handle_entry e[2] = {{0}}, all[512];
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t d = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_SEND | AE_RIGHT_DERIVE, 0, 0));
    ae_handle_t dd = CHECK_HANDLE(ae_handle_derive(d, AE_RIGHT_SEND, 0, 0));
    int64_t n = ae_process_handles(ktest_self, all, 512), i;

    CHECK(n >= 4);
    CHECK_EQ(ae_process_handles(ktest_self, e, 2), n);
    CHECK_EQ(e[0].handle, all[0].handle);
    CHECK_EQ(e[1].handle, all[1].handle);
    CHECK_EQ(ae_process_handles(ktest_self, NULL, 0), n);   /* count only */
    CHECK(ae_handle_revoke(d) >= 1);
    n = ae_process_handles(ktest_self, all, 512);
    i = find_entry(all, n, dd);
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_EQ(all[i].revoked, 1);
        CHECK_EQ(all[i].type, AE_OBJ_NONE);
    }
    ae_handle_close(dd);
    ae_handle_close(d);
    ae_handle_close(ep);
}

KTEST(HND0050, "process_handles: without READ -> ACCESS; a bad, kernel or read-only buffer -> FAULT; a dead process -> PEER_CLOSED; max too big -> INVAL")
{
    struct ae_handle_entry e[4];
    ae_handle_t weak = CHECK_HANDLE(ae_handle_derive(ktest_self, AE_RIGHT_MANAGE, 0, 0));
    static const struct ae_quota_limits lim = {8, 4, 1, 0};
    ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, "ph", &lim));

    CHECK_EQ(ae_process_handles(weak, e, 4), AE_ERR_ACCESS);
    CHECK_EQ(ae_process_handles(ktest_self, (struct ae_handle_entry *)0xffff800000001000ull, 4),
             AE_ERR_FAULT);
    CHECK_EQ(ae_process_handles(ktest_self, (struct ae_handle_entry *)0x10, 4), AE_ERR_FAULT);
    CHECK_EQ(ae_process_handles(ktest_self, (struct ae_handle_entry *)(uintptr_t)ktest_pinfo,
                                4), AE_ERR_FAULT);           /* our code: read-only */
    CHECK_EQ(ae_process_handles(ktest_self, e, (1ull << 20) + 1), AE_ERR_INVAL);
    CHECK_EQ(ae_process_handles(p, e, 4), 0);                /* a new process has none */
    CHECK_OK(ae_process_kill(p, 1));
    CHECK_EQ(ae_process_wait(p, KTEST_WAIT_NS), 1);
    CHECK_EQ(ae_process_handles(p, e, 4), AE_ERR_PEER_CLOSED);
    ae_handle_close(p);
    ae_handle_close(weak);
}

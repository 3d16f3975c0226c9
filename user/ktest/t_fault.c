/*
 * User faults. Each kind of exception, raised in a child, is reported to
 * the child's fault endpoint as {reason, address, rip, pid} with the badge
 * given to process_set_fault, and kills only that child (status
 * AE_ERR_FAULT). The faulting instructions are written in assembly with a
 * label on each, so the reported rip is checked exactly.
 *
 * Determinism: a fault child first calls its parent and blocks until the
 * reply; the parent sets the fault endpoint before replying, and replies
 * with ipc_reply_recv on the same endpoint, so it is already receiving when
 * the child runs again. A child that does not fault sends LBL_SURVIVED to
 * that endpoint instead, so a missing fault fails the test without a hang.
 */
#include "ktest.h"

#define PAGE 4096ull
#define LBL_HELLO 0x4e110u
#define LBL_SURVIVED 0x5a5eu
#define LBL_SENTINEL 0x5e47u
#define CHILD_BADGE 0xc41dull
#define FAULT_BADGE 0xfa17b0ull
#define FLT_VA 0x0000330000000000ull
#define CHILD_STACK_LOW (AE_STACK_TOP - 0x10000ull)   /* support.c: 64 KiB */
#define T2_STACK (AE_STACK_TOP - 0x100000ull)          /* a second thread's */
#define CHILD_VA (AE_STACK_TOP - 0x200000ull)          /* free in a child */

/* ---- faulting instructions ------------------------------------------- */

uint64_t flt_read(uint64_t addr);
void flt_write(uint64_t addr);
void flt_call(uint64_t addr);
void flt_cli(void), flt_hlt(void), flt_movcr3(void), flt_int3(void), flt_int80(void);
void flt_ud2(void), flt_div0(void), flt_idiv(void), flt_push(void), flt_frame(void);
void flt_bigframe(void);
void flt_tf(void), flt_spin(void);
extern char flt_read_rip[], flt_write_rip[], flt_cli_rip[], flt_hlt_rip[],
    flt_movcr3_rip[], flt_int3_rip[], flt_int80_rip[], flt_ud2_rip[], flt_div0_rip[],
    flt_idiv_rip[], flt_push_rip[], flt_frame_rip[], flt_bigframe_rip[], flt_tf_rip[];

__asm__(".pushsection .text\n"
        ".globl flt_read, flt_read_rip\n"
        "flt_read:\n"
        "flt_read_rip: movq (%rdi), %rax\n"
        "    ret\n"
        ".globl flt_write, flt_write_rip\n"
        "flt_write:\n"
        "flt_write_rip: movq %rdi, (%rdi)\n"
        "    ret\n"
        ".globl flt_call\n"
        "flt_call: call *%rdi\n"
        "    ret\n"
        ".globl flt_cli, flt_cli_rip\n"
        "flt_cli:\n"
        "flt_cli_rip: cli\n"
        "    ret\n"
        ".globl flt_hlt, flt_hlt_rip\n"
        "flt_hlt:\n"
        "flt_hlt_rip: hlt\n"
        "    ret\n"
        ".globl flt_movcr3, flt_movcr3_rip\n"
        "flt_movcr3:\n"
        "flt_movcr3_rip: movq %cr3, %rax\n"
        "    ret\n"
        ".globl flt_int3, flt_int3_rip\n"
        "flt_int3:\n"
        "flt_int3_rip: int3\n"
        "    ret\n"
        ".globl flt_int80, flt_int80_rip\n"
        "flt_int80:\n"
        "flt_int80_rip: int $0x80\n"
        "    ret\n"
        ".globl flt_ud2, flt_ud2_rip\n"
        "flt_ud2:\n"
        "flt_ud2_rip: ud2\n"
        ".globl flt_div0, flt_div0_rip\n"
        "flt_div0: xorl %ecx, %ecx\n"
        "    movl $1, %eax\n"
        "    xorl %edx, %edx\n"
        "flt_div0_rip: divq %rcx\n"
        "    ret\n"
        ".globl flt_idiv, flt_idiv_rip\n"
        "flt_idiv: movabsq $0x8000000000000000, %rax\n"
        "    cqto\n"
        "    movq $-1, %rcx\n"
        "flt_idiv_rip: idivq %rcx\n"
        "    ret\n"
        ".globl flt_push, flt_push_rip\n"
        "flt_push:\n"
        "flt_push_rip: pushq %rax\n"
        "    jmp flt_push_rip\n"
        /* Page-sized frames, each written just above the new rsp. */
        ".globl flt_frame, flt_frame_rip\n"
        "flt_frame: subq $0x1000, %rsp\n"
        "flt_frame_rip: movq %rax, 8(%rsp)\n"
        "    jmp flt_frame\n"
        /* 12 KiB frames from a page-aligned rsp, each first written at its
         * lowest address: the fault lands 1, 2 or 3 pages below the bottom
         * (3 for the child's stack: its rsp starts in the top page). */
        ".globl flt_bigframe, flt_bigframe_rip\n"
        "flt_bigframe: andq $-4096, %rsp\n"
        "1:  subq $0x3000, %rsp\n"
        "flt_bigframe_rip: movq %rax, (%rsp)\n"
        "    jmp 1b\n"
        /* TF set by popf traps (#DB) after the instruction that follows. */
        ".globl flt_tf, flt_tf_rip\n"
        "flt_tf: pushfq\n"
        "    orq $0x100, (%rsp)\n"
        "    popfq\n"
        "    nop\n"
        "flt_tf_rip: nop\n"
        "    pushfq\n"
        "    andq $-0x101, (%rsp)\n"
        "    popfq\n"
        "    ret\n"
        ".globl flt_spin\n"
        "flt_spin: pause\n"
        "    jmp flt_spin\n"
        ".popsection\n");

/* Data the child may not execute (NX) or write (rodata). */
static volatile uint8_t flt_data_code[64] = {0xc3};
static const uint64_t flt_rodata_word __attribute__((used)) = 0x600d;

static __attribute__((noinline)) uint64_t flt_recurse(volatile uint64_t *depth)
{
    volatile uint64_t pad[64];

    pad[0] = ++*depth;
    if (pad[0] == 0)
        return 0;
    return flt_recurse(depth) + pad[0];
}

enum {
    ACT_NONE, ACT_READ, ACT_WRITE, ACT_CALL, ACT_CLI, ACT_HLT, ACT_MOVCR3, ACT_INT3,
    ACT_INT80, ACT_UD2, ACT_DIV0, ACT_IDIV, ACT_RECURSE, ACT_PUSH, ACT_TF, ACT_FRAME, ACT_BIGFRAME,
};

static void flt_act(uint64_t act, uint64_t arg)
{
    volatile uint64_t depth = 0;

    switch (act) {
    case ACT_READ: flt_read(arg); break;
    case ACT_WRITE: flt_write(arg); break;
    case ACT_CALL: flt_call(arg); break;
    case ACT_CLI: flt_cli(); break;
    case ACT_HLT: flt_hlt(); break;
    case ACT_MOVCR3: flt_movcr3(); break;
    case ACT_INT3: flt_int3(); break;
    case ACT_INT80: flt_int80(); break;
    case ACT_UD2: flt_ud2(); break;
    case ACT_DIV0: flt_div0(); break;
    case ACT_IDIV: flt_idiv(); break;
    case ACT_RECURSE: flt_recurse(&depth); break;
    case ACT_PUSH: flt_push(); break;
    case ACT_FRAME: flt_frame(); break;
    case ACT_BIGFRAME: flt_bigframe(); break;
    case ACT_TF: flt_tf(); break;
    default: break;
    }
}

/* The child: says hello, does what the reply asks, and reports if it is
 * still alive afterwards. */
static int64_t fault_child(uint64_t send)
{
    struct ae_msg m = {AE_MSG_INFO(LBL_HELLO, 0), {0}, {0}, 0};

    if (ae_ipc_call((ae_handle_t)send, &m) != AE_OK)
        return 1;
    flt_act(m.w[0], m.w[1]);
    m.info = AE_MSG_INFO(LBL_SURVIVED, 0);
    ae_ipc_send((ae_handle_t)send, &m);
    return 2;
}

/* ---- parent side -------------------------------------------------------- */

struct fchild {
    ae_handle_t ep;             /* the child's calls arrive here */
    ae_handle_t p;
    uint64_t pid;
};

/* Starts a fault child and takes its hello: the child then waits in its
 * call until fchild_go replies. */
static int fchild_start(struct fchild *c)
{
    struct ae_process_info pi;
    struct ae_msg m = {0};
    ae_handle_t send, given = 0;

    c->ep = CHECK_HANDLE(ae_endpoint_create());
    send = CHECK_HANDLE(ae_handle_derive(c->ep, AE_RIGHT_SEND | AE_RIGHT_GRANT, CHILD_BADGE,
                                         AE_DERIVE_SET_BADGE));
    c->p = ktest_child(fault_child, 0, NULL, send, &given);
    CHECK(c->p != 0);
    if (!c->p) {
        ae_handle_close(send);
        ae_handle_close(c->ep);
        return 0;
    }
    CHECK_OK(ae_ipc_recv(c->ep, &m));
    CHECK_EQ(AE_MSG_LABEL(m.info), LBL_HELLO);
    CHECK_EQ(m.badge, CHILD_BADGE);
    CHECK_OK(ae_process_info(c->p, &pi));
    c->pid = pi.pid;
    return 1;
}

/* Replies with the action and receives, in the same call, what comes next
 * on the child's endpoint: the report or LBL_SURVIVED. */
static void fchild_go(struct fchild *c, uint64_t act, uint64_t arg, struct ae_msg *out)
{
    *out = (struct ae_msg){AE_MSG_INFO(0, 0), {act, arg, 0, 0}, {0}, 0};
    CHECK_OK(ae_ipc_reply_recv(c->ep, out));
}

/* Replies with the action without receiving. */
static void fchild_go_only(uint64_t act, uint64_t arg)
{
    struct ae_msg m = {AE_MSG_INFO(0, 0), {act, arg, 0, 0}, {0}, 0};
    CHECK_OK(ae_ipc_reply(&m));
}

/* Waits for the child's end (killing it if it outlives the deadline, so a
 * failure cannot leak it) and closes its handles. */
static int64_t wait_or_kill(ae_handle_t p)
{
    int64_t st = ae_process_wait(p, KTEST_WAIT_NS);

    if (st == AE_ERR_TIMEOUT) {
        CHECK(!"child still alive at the deadline");
        ae_process_kill(p, -999);
        ae_process_wait(p, KTEST_WAIT_NS);
    }
    ae_handle_close(p);
    return st;
}

static int64_t fchild_end(struct fchild *c)
{
    int64_t st = wait_or_kill(c->p);
    ae_handle_close(c->ep);
    return st;
}

static void sentinel_thread(void *arg)
{
    struct ae_msg m = {AE_MSG_INFO(LBL_SENTINEL, 0), {0}, {0}, 0};
    ae_ipc_send((ae_handle_t)(uintptr_t)arg, &m);
}

/* Receives everything queued on ep without blocking for ever: a thread
 * sends a sentinel behind it (queued fault reports are delivered before any
 * sender). Returns how many messages came before the sentinel; the first
 * max are stored in out. Nobody may be waiting for our reply. */
static int drain(ae_handle_t ep, struct ae_msg *out, int max)
{
    ae_handle_t t = CHECK_HANDLE(ktest_thread(sentinel_thread, (void *)(uintptr_t)ep));
    struct ae_msg m;
    int n = 0;

    if (!t)
        return -1;
    for (;;) {
        m = (struct ae_msg){0};
        if (ae_ipc_recv(ep, &m) != AE_OK) {
            CHECK(!"recv while draining");
            break;
        }
        if (AE_MSG_LABEL(m.info) == LBL_SENTINEL && m.badge == 0)
            break;
        if (n < max)
            out[n] = m;
        n++;
    }
    CHECK_EQ(ktest_join(t), 0);
    return n;
}

static void check_report(const struct ae_msg *m, uint64_t badge, uint64_t reason, uint64_t addr,
                         uint64_t rip, uint64_t pid)
{
    CHECK_EQ(AE_MSG_LABEL(m->info), AE_MSG_FAULT);
    CHECK_EQ(AE_MSG_NHANDLES(m->info), 0);
    CHECK_EQ(m->badge, badge);
    CHECK_EQ(m->w[0], reason);
    CHECK_EQ(m->w[1], addr);
    CHECK_EQ(m->w[2], rip);
    CHECK_EQ(m->w[3], pid);
}

/* One child, one action, the report received directly. */
static int run_fault(uint64_t act, uint64_t arg, struct ae_msg *rep, int64_t *status,
                     uint64_t *pid)
{
    struct fchild c;

    if (!fchild_start(&c))
        return 0;
    CHECK_OK(ae_process_set_fault(c.p, c.ep, FAULT_BADGE));
    fchild_go(&c, act, arg, rep);
    *pid = c.pid;
    *status = fchild_end(&c);
    return 1;
}

/* run_fault and check everything: the common case. */
static void expect_fault(uint64_t act, uint64_t arg, uint64_t reason, uint64_t addr,
                         uint64_t rip)
{
    struct ae_msg m;
    int64_t st;
    uint64_t pid;

    if (!run_fault(act, arg, &m, &st, &pid))
        return;
    check_report(&m, FAULT_BADGE, reason, addr, rip, pid);
    CHECK_EQ(st, AE_ERR_FAULT);
}

/* ---- the kinds of fault --------------------------------------------------- */

KTEST(FLT0002, "a read of the NULL page: PAGE report with address, rip, pid and badge")
{
    expect_fault(ACT_READ, 0x18, AE_FAULT_PAGE, 0x18, (uint64_t)flt_read_rip);
}

KTEST(FLT0003, "a write to the NULL page and just below USER_LOWEST: PAGE at that address")
{
    expect_fault(ACT_WRITE, 0x20, AE_FAULT_PAGE, 0x20, (uint64_t)flt_write_rip);
    expect_fault(ACT_WRITE, 0xfff8, AE_FAULT_PAGE, 0xfff8, (uint64_t)flt_write_rip);
}

KTEST(FLT0004, "reading or writing a kernel address from user mode: PAGE at that address")
{
    expect_fault(ACT_READ, KTEST_KERNEL_ADDR, AE_FAULT_PAGE, KTEST_KERNEL_ADDR,
                 (uint64_t)flt_read_rip);
    expect_fault(ACT_WRITE, 0xffff800000001000ull, AE_FAULT_PAGE, 0xffff800000001000ull,
                 (uint64_t)flt_write_rip);
}

KTEST(FLT0005, "writing its own read-only text or rodata: PAGE at the written address")
{
    expect_fault(ACT_WRITE, (uint64_t)flt_read_rip, AE_FAULT_PAGE, (uint64_t)flt_read_rip,
                 (uint64_t)flt_write_rip);
    expect_fault(ACT_WRITE, (uint64_t)&flt_rodata_word, AE_FAULT_PAGE,
                 (uint64_t)&flt_rodata_word, (uint64_t)flt_write_rip);
}

KTEST(FLT0006, "executing a non-executable data page (NX): PAGE with address = rip = target")
{
    expect_fault(ACT_CALL, (uint64_t)flt_data_code, AE_FAULT_PAGE, (uint64_t)flt_data_code,
                 (uint64_t)flt_data_code);
}

KTEST(FLT0007, "jumping to an unmapped or a kernel address: PAGE with address = rip = target")
{
    expect_fault(ACT_CALL, KTEST_UNMAPPED, AE_FAULT_PAGE, KTEST_UNMAPPED, KTEST_UNMAPPED);
    expect_fault(ACT_CALL, KTEST_KERNEL_ADDR, AE_FAULT_PAGE, KTEST_KERNEL_ADDR,
                 KTEST_KERNEL_ADDR);
}

KTEST(FLT0008, "a non-canonical access: GP with address = error code 0")
{
    expect_fault(ACT_READ, KTEST_NONCANONICAL, AE_FAULT_GP, 0, (uint64_t)flt_read_rip);
    expect_fault(ACT_WRITE, 0xdead000000000000ull, AE_FAULT_GP, 0, (uint64_t)flt_write_rip);
}

KTEST(FLT0009, "privileged instructions in user mode (cli, hlt, mov from cr3): GP(0)")
{
    expect_fault(ACT_CLI, 0, AE_FAULT_GP, 0, (uint64_t)flt_cli_rip);
    expect_fault(ACT_HLT, 0, AE_FAULT_GP, 0, (uint64_t)flt_hlt_rip);
    expect_fault(ACT_MOVCR3, 0, AE_FAULT_GP, 0, (uint64_t)flt_movcr3_rip);
}

/* Every IDT gate has DPL 0, so a software interrupt from user mode is a #GP
 * whose error code names the gate: IDT flag (bit 1) and the vector as the
 * index, vector * 8 + 2 on hardware; QEMU 7.2's TCG scales the vector by the
 * 16-byte gate size instead (vector * 16 + 2). Either way the kernel passes
 * the error code through. */
static void expect_int_gp(uint64_t act, uint64_t vector, uint64_t rip)
{
    struct ae_msg m;
    int64_t st;
    uint64_t pid;

    if (!run_fault(act, 0, &m, &st, &pid))
        return;
    CHECK_EQ(AE_MSG_LABEL(m.info), AE_MSG_FAULT);
    CHECK_EQ(m.badge, FAULT_BADGE);
    CHECK_EQ(m.w[0], AE_FAULT_GP);
    CHECK(m.w[1] == vector * 8 + 2 || m.w[1] == vector * 16 + 2);
    CHECK_EQ(m.w[2], rip);
    CHECK_EQ(m.w[3], pid);
    CHECK_EQ(st, AE_ERR_FAULT);
}

KTEST(FLT0010, "int3 and int $0x80 hit kernel-only gates: GP with the gate's error code")
{
    expect_int_gp(ACT_INT3, 3, (uint64_t)flt_int3_rip);
    expect_int_gp(ACT_INT80, 0x80, (uint64_t)flt_int80_rip);
}

KTEST(FLT0011, "ud2: UD with address = rip")
{
    expect_fault(ACT_UD2, 0, AE_FAULT_UD, (uint64_t)flt_ud2_rip, (uint64_t)flt_ud2_rip);
}

KTEST(FLT0012, "divide by zero and INT64_MIN / -1: DE with address = rip")
{
    expect_fault(ACT_DIV0, 0, AE_FAULT_DE, (uint64_t)flt_div0_rip, (uint64_t)flt_div0_rip);
    expect_fault(ACT_IDIV, 0, AE_FAULT_DE, (uint64_t)flt_idiv_rip, (uint64_t)flt_idiv_rip);
}

KTEST(FLT0013, "deep recursion overflows the child's 64 KiB stack: STACK just below it")
{
    struct ae_msg m;
    int64_t st;
    uint64_t pid;

    if (!run_fault(ACT_RECURSE, 0, &m, &st, &pid))
        return;
    CHECK_EQ(AE_MSG_LABEL(m.info), AE_MSG_FAULT);
    CHECK_EQ(m.badge, FAULT_BADGE);
    CHECK_EQ(m.w[0], AE_FAULT_STACK);
    CHECK(m.w[1] < CHILD_STACK_LOW && m.w[1] >= CHILD_STACK_LOW - PAGE);
    CHECK(m.w[2] >= (uint64_t)flt_recurse && m.w[2] < (uint64_t)flt_recurse + 0x100);
    CHECK_EQ(m.w[3], pid);
    CHECK_EQ(st, AE_ERR_FAULT);
}

KTEST(FLT0014, "a push loop off the bottom of the stack: STACK at exactly bottom - 8")
{
    expect_fault(ACT_PUSH, 0, AE_FAULT_STACK, CHILD_STACK_LOW - 8, (uint64_t)flt_push_rip);
}

KTEST(FLT0030, "a frame allocated past the stack bottom, written above the new rsp: STACK")
{
    struct ae_msg m;
    int64_t st;
    uint64_t pid;

    if (!run_fault(ACT_FRAME, 0, &m, &st, &pid))
        return;
    CHECK_EQ(AE_MSG_LABEL(m.info), AE_MSG_FAULT);
    CHECK_EQ(m.w[0], AE_FAULT_STACK);
    CHECK(m.w[1] < CHILD_STACK_LOW && m.w[1] >= CHILD_STACK_LOW - PAGE);
    CHECK_EQ(m.w[2], (uint64_t)flt_frame_rip);
    CHECK_EQ(m.w[3], pid);
    CHECK_EQ(st, AE_ERR_FAULT);
}

KTEST(FLT0031, "a 12 KiB frame allocated past the stack bottom (deep recursion, big locals): STACK")
{
    struct ae_msg m;
    int64_t st;
    uint64_t pid;

    if (!run_fault(ACT_BIGFRAME, 0, &m, &st, &pid))
        return;
    CHECK_EQ(AE_MSG_LABEL(m.info), AE_MSG_FAULT);
    CHECK_EQ(m.w[0], AE_FAULT_STACK);
    CHECK(m.w[1] < CHILD_STACK_LOW && m.w[1] >= CHILD_STACK_LOW - 3 * PAGE);
    CHECK_EQ(m.w[1] & (PAGE - 1), 0);
    CHECK_EQ(m.w[2], (uint64_t)flt_bigframe_rip);
    CHECK_EQ(m.w[3], pid);
    CHECK_EQ(st, AE_ERR_FAULT);
}

KTEST(FLT0029, "a read just above the top of the stack is no overflow: PAGE, not STACK")
{
    /* The stack is [top - 64 KiB, top); rsp is a few hundred bytes below
     * top. Only a fault below the stack is an overflow into its guard. */
    expect_fault(ACT_READ, AE_STACK_TOP, AE_FAULT_PAGE, AE_STACK_TOP, (uint64_t)flt_read_rip);
}

KTEST(FLT0015, "a single-step trap (TF set by popf): OTHER with address = vector 1")
{
    expect_fault(ACT_TF, 0, AE_FAULT_OTHER, 1, (uint64_t)flt_tf_rip);
}

KTEST(FLT0016, "a write to a read-only mapping its parent put into the child: PAGE")
{
    struct fchild c;
    struct ae_msg m;
    int64_t v;

    if (!fchild_start(&c))
        return;
    v = ae_vmo_create(2 * PAGE, 0);
    CHECK(v > 0);
    CHECK_OK(ae_vmo_map((ae_handle_t)v, c.p, CHILD_VA, 0, 2 * PAGE, AE_PROT_READ));
    ae_handle_close((ae_handle_t)v);        /* the child's mapping keeps it */
    CHECK_OK(ae_process_set_fault(c.p, c.ep, FAULT_BADGE));
    fchild_go(&c, ACT_WRITE, CHILD_VA + PAGE + 8, &m);
    check_report(&m, FAULT_BADGE, AE_FAULT_PAGE, CHILD_VA + PAGE + 8, (uint64_t)flt_write_rip,
                 c.pid);
    CHECK_EQ(fchild_end(&c), AE_ERR_FAULT);
}

/* ---- delivery ------------------------------------------------------------ */

KTEST(FLT0017, "a child without a fault endpoint is just killed (status FAULT), no report")
{
    struct fchild c;
    struct ae_process_info pi;
    struct ae_msg m[2];

    if (!fchild_start(&c))
        return;
    fchild_go_only(ACT_READ, 0x30);
    CHECK_EQ(ae_process_wait(c.p, KTEST_WAIT_NS), AE_ERR_FAULT);
    CHECK_OK(ae_process_info(c.p, &pi));
    CHECK_EQ(pi.state, 1);
    CHECK_EQ(pi.nthreads, 0);
    CHECK_EQ(pi.exit_status, AE_ERR_FAULT);
    CHECK_EQ(drain(c.ep, m, 2), 0);
    CHECK_EQ(fchild_end(&c), AE_ERR_FAULT);
}

KTEST(FLT0018, "a report is queued while nobody receives and delivered after the child died")
{
    struct fchild c;
    struct ae_msg m[2];

    if (!fchild_start(&c))
        return;
    CHECK_OK(ae_process_set_fault(c.p, c.ep, FAULT_BADGE));
    fchild_go_only(ACT_WRITE, 0x40);
    CHECK_EQ(ae_process_wait(c.p, KTEST_WAIT_NS), AE_ERR_FAULT);
    CHECK_EQ(drain(c.ep, m, 2), 1);
    check_report(&m[0], FAULT_BADGE, AE_FAULT_PAGE, 0x40, (uint64_t)flt_write_rip, c.pid);
    CHECK_EQ(fchild_end(&c), AE_ERR_FAULT);
}

KTEST(FLT0019, "three children fault to one endpoint: badge and pid tell the reports apart")
{
    struct fchild c[3];
    struct ae_msg m[4];
    ae_handle_t fep = CHECK_HANDLE(ae_endpoint_create());
    int n, started = 0;

    for (int i = 0; i < 3; i++) {
        if (!fchild_start(&c[i]))
            break;
        started++;
        CHECK_OK(ae_process_set_fault(c[i].p, fep, 0xb00 + i));
        fchild_go_only(ACT_READ, 0x1000 * (i + 1) + 0x10);
    }
    for (int i = 0; i < started; i++)
        CHECK_EQ(fchild_end(&c[i]), AE_ERR_FAULT);
    n = drain(fep, m, 4);
    CHECK_EQ(n, started);
    for (int k = 0; k < n && k < 3; k++) {
        int i = (int)(m[k].badge - 0xb00);
        CHECK(i >= 0 && i < started);
        if (i < 0 || i >= started)
            continue;
        check_report(&m[k], 0xb00 + i, AE_FAULT_PAGE, 0x1000 * (i + 1) + 0x10,
                     (uint64_t)flt_read_rip, c[i].pid);
    }
    ae_handle_close(fep);
}

KTEST(FLT0020, "set_fault: endpoint without SEND -> ACCESS, not an endpoint -> INVAL, bad handles")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t recv_only = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_RECV, 0, 0));
    ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, "f",
                                                   &(struct ae_quota_limits){4, 4, 1, 0}));
    ae_handle_t weak = CHECK_HANDLE(ae_handle_derive(p, AE_RIGHTS_ALL & ~AE_RIGHT_MANAGE, 0, 0));
    int64_t v = ae_vmo_create(PAGE, 0);

    CHECK(v > 0);
    CHECK_EQ(ae_process_set_fault(p, recv_only, 1), AE_ERR_ACCESS);
    CHECK_EQ(ae_process_set_fault(p, (ae_handle_t)v, 1), AE_ERR_INVAL);
    CHECK_EQ(ae_process_set_fault(p, p, 1), AE_ERR_INVAL);
    CHECK_EQ(ae_process_set_fault(p, 0, 1), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_process_set_fault(p, 0x7ffff, 1), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_sys3(AE_SYS_process_set_fault, p, (1ull << 32) | ep, 1), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_process_set_fault(weak, ep, 1), AE_ERR_ACCESS);
    CHECK_EQ(ae_process_set_fault(ep, ep, 1), AE_ERR_INVAL);
    /* Nothing was kept by the refused calls: the endpoint has no kernel copy. */
    CHECK_OK(ae_handle_close(recv_only));
    CHECK_EQ(ae_handle_revoke(ep), 0);
    CHECK_OK(ae_process_set_fault(p, ep, 1));
    CHECK_EQ(ae_handle_revoke(ep), 1);  /* the kernel's copy */
    ae_handle_close((ae_handle_t)v);
    ae_handle_close(weak);
    ae_handle_close(p);
    ae_handle_close(ep);
}

KTEST(FLT0021, "set_fault again replaces the endpoint: the report goes to the new one only")
{
    struct fchild c;
    struct ae_msg m[2];
    ae_handle_t old = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t fep = CHECK_HANDLE(ae_endpoint_create());

    if (fchild_start(&c)) {
        CHECK_OK(ae_process_set_fault(c.p, old, 0x01d));
        CHECK_OK(ae_process_set_fault(c.p, fep, 0x4e3));
        CHECK_EQ(ae_handle_revoke(old), 0);     /* the old kernel copy is gone */
        fchild_go_only(ACT_READ, 0x50);
        CHECK_EQ(fchild_end(&c), AE_ERR_FAULT);
        CHECK_EQ(drain(old, m, 2), 0);
        CHECK_EQ(drain(fep, m, 2), 1);
        check_report(&m[0], 0x4e3, AE_FAULT_PAGE, 0x50, (uint64_t)flt_read_rip, c.pid);
    }
    ae_handle_close(old);
    ae_handle_close(fep);
}

KTEST(FLT0022, "revoking the handle set_fault was given stops reports; the child is still killed")
{
    struct fchild c;
    struct ae_msg m[2];
    ae_handle_t fep = CHECK_HANDLE(ae_endpoint_create());

    if (fchild_start(&c)) {
        CHECK_OK(ae_process_set_fault(c.p, fep, 0x7e));
        CHECK_EQ(ae_handle_revoke(fep), 1);
        fchild_go_only(ACT_READ, 0x60);
        CHECK_EQ(fchild_end(&c), AE_ERR_FAULT);
        CHECK_EQ(drain(fep, m, 2), 0);
    }
    ae_handle_close(fep);
}

KTEST(FLT0023, "a fault endpoint its owner closed: the report is dropped with it, nothing leaks")
{
    struct fchild c;
    ae_handle_t fep = CHECK_HANDLE(ae_endpoint_create());

    if (!fchild_start(&c)) {
        ae_handle_close(fep);
        return;
    }
    CHECK_OK(ae_process_set_fault(c.p, fep, 0x7f));
    CHECK_OK(ae_handle_close(fep));     /* only the kernel's copy is left */
    fchild_go_only(ACT_READ, 0x70);
    CHECK_EQ(fchild_end(&c), AE_ERR_FAULT);
    CHECK_OK(ae_kernel_check(ktest_self));
}

KTEST(FLT0024, "set_fault on a dead process is refused with PEER_CLOSED and keeps nothing")
{
    struct fchild c;
    ae_handle_t fep = CHECK_HANDLE(ae_endpoint_create());

    if (fchild_start(&c)) {
        fchild_go_only(ACT_NONE, 0);            /* it survives, says so, exits 2 */
        struct ae_msg m = {0};
        CHECK_OK(ae_ipc_recv(c.ep, &m));
        CHECK_EQ(AE_MSG_LABEL(m.info), LBL_SURVIVED);
        CHECK_EQ(ae_process_wait(c.p, KTEST_WAIT_NS), 2);
        CHECK_EQ(ae_process_set_fault(c.p, fep, 0x99), AE_ERR_PEER_CLOSED);
        /* No kernel copy of the endpoint may be left behind by a dead process. */
        CHECK_EQ(ae_handle_revoke(fep), 0);
        CHECK_EQ(fchild_end(&c), 2);
    }
    ae_handle_close(fep);
}

/* ---- threads ---------------------------------------------------------------- */

/* Maps a fresh stack for a second thread into p and creates the thread. */
static ae_handle_t second_thread(ae_handle_t p, uint64_t entry, uint64_t arg)
{
    int64_t v = ae_vmo_create(4 * PAGE, 0), t;

    CHECK(v > 0);
    if (v <= 0)
        return 0;
    CHECK_OK(ae_vmo_map((ae_handle_t)v, p, T2_STACK, 0, 4 * PAGE,
                        AE_PROT_READ | AE_PROT_WRITE));
    ae_handle_close((ae_handle_t)v);        /* the child's mapping keeps it */
    t = ae_thread_create(p, entry, T2_STACK + 4 * PAGE - 8, arg);
    CHECK(t > 0);
    return t > 0 ? (ae_handle_t)t : 0;
}

KTEST(FLT0025, "a fault kills every thread of the process, one spinning included")
{
    struct fchild c;
    struct ae_process_info pi;
    struct ae_msg m;
    ae_handle_t t;

    if (!fchild_start(&c))
        return;
    CHECK_OK(ae_process_set_fault(c.p, c.ep, FAULT_BADGE));
    t = second_thread(c.p, (uint64_t)flt_spin, 0);
    if (t)
        CHECK_OK(ae_thread_start(t));
    CHECK_OK(ae_process_info(c.p, &pi));
    CHECK_EQ(pi.nthreads, t ? 2 : 1);
    fchild_go(&c, ACT_READ, 0x80, &m);
    check_report(&m, FAULT_BADGE, AE_FAULT_PAGE, 0x80, (uint64_t)flt_read_rip, c.pid);
    CHECK_EQ(ae_process_wait(c.p, KTEST_WAIT_NS), AE_ERR_FAULT);
    if (t) {
        CHECK_EQ(ae_thread_wait(t, KTEST_WAIT_NS), AE_ERR_FAULT);
        ae_handle_close(t);
    }
    CHECK_OK(ae_process_info(c.p, &pi));
    CHECK_EQ(pi.nthreads, 0);
    CHECK_EQ(fchild_end(&c), AE_ERR_FAULT);
}

KTEST(FLT0026, "a fault in a second thread is reported with its rip and kills the main thread")
{
    struct fchild c;
    struct ae_msg m[2];
    ae_handle_t t;

    if (!fchild_start(&c))
        return;
    /* The main thread waits in its call; the second one faults at once. */
    CHECK_OK(ae_process_set_fault(c.p, c.ep, FAULT_BADGE));
    t = second_thread(c.p, (uint64_t)flt_read, 0x90);
    if (t) {
        CHECK_OK(ae_thread_start(t));
        CHECK_EQ(ae_process_wait(c.p, KTEST_WAIT_NS), AE_ERR_FAULT);
        CHECK_EQ(ae_thread_wait(t, KTEST_WAIT_NS), AE_ERR_FAULT);
        ae_handle_close(t);
        /* The caller we owed a reply to is gone: the reply says so. */
        m[0] = (struct ae_msg){0};
        CHECK_EQ(ae_ipc_reply(&m[0]), AE_ERR_PEER_CLOSED);
        CHECK_EQ(drain(c.ep, m, 2), 1);
        check_report(&m[0], FAULT_BADGE, AE_FAULT_PAGE, 0x90, (uint64_t)flt_read_rip, c.pid);
    } else {
        ae_process_kill(c.p, AE_ERR_FAULT);
    }
    CHECK_EQ(fchild_end(&c), AE_ERR_FAULT);
}

KTEST(FLT0027, "a thread started in an empty process faults at its entry: address = rip")
{
    static const struct ae_quota_limits lim = {8, 4, 1, 10};
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, "empty", &lim));
    struct ae_process_info pi;
    struct ae_msg m[2];
    int64_t t;

    CHECK_OK(ae_process_info(p, &pi));
    CHECK_OK(ae_process_set_fault(p, ep, 0xe7));
    t = ae_thread_create(p, 0x400000, AE_STACK_TOP, 0);
    CHECK(t > 0);
    if (t > 0) {
        CHECK_OK(ae_thread_start((ae_handle_t)t));
        CHECK_EQ(ae_process_wait(p, KTEST_WAIT_NS), AE_ERR_FAULT);
        CHECK_EQ(drain(ep, m, 2), 1);
        check_report(&m[0], 0xe7, AE_FAULT_PAGE, 0x400000, 0x400000, pi.pid);
        ae_handle_close((ae_handle_t)t);
    }
    ae_handle_close(p);
    ae_handle_close(ep);
}

static int64_t blocked_child(uint64_t recv)
{
    struct ae_msg m = {0};
    int64_t r = ae_ipc_recv((ae_handle_t)recv, &m);
    return r ? 1000 - r : (int64_t)m.w[0];
}

KTEST(FLT0028, "a fault in one child leaves its sibling and this suite running")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create()), given = 0;
    ae_handle_t recv = CHECK_HANDLE(ae_handle_derive(ep, AE_RIGHT_RECV | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t sib = CHECK_HANDLE(ktest_child(blocked_child, 0, NULL, recv, &given));
    struct ae_msg m = {AE_MSG_INFO(1, 0), {4242, 0, 0, 0}, {0}, 0};

    expect_fault(ACT_WRITE, (uint64_t)&flt_rodata_word, AE_FAULT_PAGE,
                 (uint64_t)&flt_rodata_word, (uint64_t)flt_write_rip);
    if (sib) {
        struct ae_process_info pi;
        CHECK_OK(ae_process_info(sib, &pi));
        CHECK_EQ(pi.state, 0);
        CHECK_OK(ae_ipc_send(ep, &m));
        CHECK_EQ(ktest_wait_child(sib), 4242);
    }
    ae_handle_close(ep);
}

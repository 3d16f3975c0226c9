/*
 * The system call exit (kernel/arch/x86_64/syscall_entry.S): sysretq when
 * it restores exactly what iretq would, iretq otherwise. What user mode may
 * rely on either way: every register but rax, rcx and r11 comes back as it
 * was unless it carries a result, RFLAGS too (DF, AC and NT included), also
 * when the call switched threads; TF set across a call traps after the
 * first instruction back, as iretq gives; a call whose return address is
 * not canonical kills its process with a GP report, never the kernel.
 *
 * Only the raw ae_sysN calls and AE_SYS_* numbers are used, and the
 * register checks are in assembly: srt_spin makes the same call `count`
 * times, loading every register and RFLAGS before each and checking them
 * after it.
 */
#include "ktest.h"

#define RF_CF 0x1ull
#define RF_FIXED 0x2ull
#define RF_PF 0x4ull
#define RF_AF 0x10ull
#define RF_ZF 0x40ull
#define RF_SF 0x80ull
#define RF_TF 0x100ull
#define RF_IF 0x200ull
#define RF_DF 0x400ull
#define RF_OF 0x800ull
#define RF_NT 0x4000ull
#define RF_AC 0x40000ull
/* What srt_spin compares; the asm below has it as 0x44fd5. */
#define RF_CHECKED (RF_CF | RF_PF | RF_AF | RF_ZF | RF_SF | RF_TF | RF_IF | RF_DF | RF_OF | \
                    RF_NT | RF_AC)
#define RF_USER (RF_IF | RF_FIXED)          /* what user code runs with */
#define RF_ALL_SET (RF_USER | RF_CF | RF_PF | RF_AF | RF_ZF | RF_SF | RF_DF | RF_OF | RF_NT | \
                    RF_AC)

#define SRT_PROT_RX 5u                      /* AE_PROT_READ | AE_PROT_EXEC */
#define SRT_PROT_RW 3u                      /* AE_PROT_READ | AE_PROT_WRITE */
#define SRT_SCRATCH_VA 0x0000310000000000ull
#define SRT_LAST_PAGE 0x00007ffffffff000ull  /* the last page below USER_TOP */
#define SRT_FAULT_BADGE 0x5e7b0ull
#define SRT_UNKNOWN_CALL 0x7fffull

enum { R_RBX, R_RBP, R_RDI, R_RSI, R_RDX, R_R8, R_R9, R_R10, R_R12, R_R13, R_R14, R_R15, R_N };
static const char *const reg_names[R_N] = {
    "rbx", "rbp", "rdi", "rsi", "rdx", "r8", "r9", "r10", "r12", "r13", "r14", "r15",
};

struct srt_run {
    uint64_t nr;                /* 0: the call */
    uint64_t count;             /* 8 */
    uint64_t flags;             /* 16: RFLAGS loaded before each call */
    uint64_t want_rax;          /* 24: its result, every time */
    uint64_t check_args;        /* 32: rdi..r13 must come back too (no results in them) */
    uint64_t in[R_N];           /* 40: loaded before each call */
    uint64_t left;              /* 136: calls not made: 0 when every check held */
    uint64_t rax;               /* 144: after the last call made */
    uint64_t flags_out;         /* 152 */
    uint64_t out[R_N];          /* 160 */
};
_Static_assert(__builtin_offsetof(struct srt_run, in) == 40, "asm offset");
_Static_assert(__builtin_offsetof(struct srt_run, left) == 136, "asm offset");
_Static_assert(__builtin_offsetof(struct srt_run, out) == 160, "asm offset");
_Static_assert(RF_CHECKED == 0x44fd5, "asm constant");

void srt_spin(struct srt_run *r);
void srt_tf_probe(uint64_t flags);
void srt_jump_to(uint64_t rip, uint64_t nr);
extern char srt_tf_ret[], srt_tf_rip[];

/* rbx, rbp, r14 and r15 must always come back; rdi..r13 when check_args.
 * The loop stops at the first call after which something differs. */
__asm__(".pushsection .text\n"
        ".globl srt_spin\n"
        "srt_spin:\n"
        "    pushq %rbp; pushq %rbx; pushq %r12; pushq %r13; pushq %r14; pushq %r15\n"
        "    pushq %rdi\n"
        "    movq 8(%rdi), %rax\n"
        "    movq %rax, 136(%rdi)\n"
        "    testq %rax, %rax\n"
        "    jz 9f\n"
        "1:  movq (%rsp), %r11\n"
        "    movq 40(%r11), %rbx\n"
        "    movq 48(%r11), %rbp\n"
        "    movq 56(%r11), %rdi\n"
        "    movq 64(%r11), %rsi\n"
        "    movq 72(%r11), %rdx\n"
        "    movq 80(%r11), %r8\n"
        "    movq 88(%r11), %r9\n"
        "    movq 96(%r11), %r10\n"
        "    movq 104(%r11), %r12\n"
        "    movq 112(%r11), %r13\n"
        "    movq 120(%r11), %r14\n"
        "    movq 128(%r11), %r15\n"
        "    movq (%r11), %rax\n"
        "    pushq 16(%r11)\n"
        "    popfq\n"
        "    syscall\n"
        "    pushfq\n"
        "    movq 8(%rsp), %r11\n"
        "    popq 152(%r11)\n"
        "    movq %rax, 144(%r11)\n"
        "    movq %rbx, 160(%r11)\n"
        "    movq %rbp, 168(%r11)\n"
        "    movq %rdi, 176(%r11)\n"
        "    movq %rsi, 184(%r11)\n"
        "    movq %rdx, 192(%r11)\n"
        "    movq %r8, 200(%r11)\n"
        "    movq %r9, 208(%r11)\n"
        "    movq %r10, 216(%r11)\n"
        "    movq %r12, 224(%r11)\n"
        "    movq %r13, 232(%r11)\n"
        "    movq %r14, 240(%r11)\n"
        "    movq %r15, 248(%r11)\n"
        "    cmpq 24(%r11), %rax; jne 9f\n"
        "    movq 152(%r11), %rcx\n"
        "    xorq 16(%r11), %rcx\n"
        "    testq $0x44fd5, %rcx; jnz 9f\n"
        "    cmpq 40(%r11), %rbx; jne 9f\n"
        "    cmpq 48(%r11), %rbp; jne 9f\n"
        "    cmpq 120(%r11), %r14; jne 9f\n"
        "    cmpq 128(%r11), %r15; jne 9f\n"
        "    cmpq $0, 32(%r11); je 2f\n"
        "    cmpq 56(%r11), %rdi; jne 9f\n"
        "    cmpq 64(%r11), %rsi; jne 9f\n"
        "    cmpq 72(%r11), %rdx; jne 9f\n"
        "    cmpq 80(%r11), %r8; jne 9f\n"
        "    cmpq 88(%r11), %r9; jne 9f\n"
        "    cmpq 96(%r11), %r10; jne 9f\n"
        "    cmpq 104(%r11), %r12; jne 9f\n"
        "    cmpq 112(%r11), %r13; jne 9f\n"
        "2:  decq 136(%r11)\n"
        "    jnz 1b\n"
        "9:  pushq $0x202\n"                 /* back to the flags C code expects */
        "    popfq\n"
        "    popq %rdi\n"
        "    popq %r15; popq %r14; popq %r13; popq %r12; popq %rbx; popq %rbp\n"
        "    ret\n"
        /* Sets the flags in rdi (TF among them) just before a syscall: TF
         * set by popfq takes effect after the next instruction, and the
         * call itself runs with TF masked, so the trap comes back with
         * RFLAGS. */
        ".globl srt_tf_probe, srt_tf_ret, srt_tf_rip\n"
        "srt_tf_probe:\n"
        "    movl $0x7fff, %eax\n"
        "    pushfq\n"
        "    orq %rdi, (%rsp)\n"
        "    popfq\n"
        "    syscall\n"
        "srt_tf_ret: nop\n"
        "srt_tf_rip: nop\n"
        "    pushfq\n"
        "    andq $-0x4101, (%rsp)\n"
        "    popfq\n"
        "    ret\n"
        ".globl srt_jump_to\n"
        "srt_jump_to:\n"
        "    movq %rsi, %rax\n"
        "    jmp *%rdi\n"
        ".popsection\n");

static void fill(struct srt_run *r, uint64_t nr, uint64_t count, uint64_t flags, uint64_t seed)
{
    *r = (struct srt_run){.nr = nr, .count = count, .flags = flags, .check_args = 1};
    for (int i = 0; i < R_N; i++)
        r->in[i] = (seed + (uint64_t)i) * 0x9e3779b97f4a7c15ull;
}

/* After srt_spin: every call made, every check held; names the register
 * that differed otherwise. */
static void check_run(const struct srt_run *r)
{
    CHECK_EQ(r->left, 0);
    CHECK_EQ(r->rax, r->want_rax);
    CHECK_EQ(r->flags_out & RF_CHECKED, r->flags & RF_CHECKED);
    for (int i = 0; i < R_N; i++) {
        int always = i == R_RBX || i == R_RBP || i == R_R14 || i == R_R15;
        if ((always || r->check_args) && r->out[i] != r->in[i])
            ktest_fail(__FILE__, __LINE__, reg_names[i], (int64_t)r->out[i], (int64_t)r->in[i]);
    }
}

KTEST(SRT0001, "10000 calls keep every register but rax, rcx, r11, and RFLAGS with all flags clear")
{
    struct srt_run r;

    fill(&r, SRT_UNKNOWN_CALL, 10000, RF_USER, 1);
    r.want_rax = (uint64_t)AE_ERR_UNSUPPORTED;
    srt_spin(&r);
    check_run(&r);
}

KTEST(SRT0002, "CF, PF, AF, ZF, SF, OF, DF, AC and NT set by the caller come back set")
{
    struct srt_run r;

    fill(&r, SRT_UNKNOWN_CALL, 10000, RF_ALL_SET, 2);
    r.want_rax = (uint64_t)AE_ERR_UNSUPPORTED;
    srt_spin(&r);
    check_run(&r);
    /* Each flag alone, so none hides behind another. */
    static const uint64_t one[] = {RF_CF, RF_PF, RF_AF, RF_ZF, RF_SF, RF_OF, RF_DF, RF_AC, RF_NT};
    for (unsigned i = 0; i < sizeof(one) / sizeof(one[0]); i++) {
        fill(&r, SRT_UNKNOWN_CALL, 100, RF_USER | one[i], 3 + i);
        r.want_rax = (uint64_t)AE_ERR_UNSUPPORTED;
        srt_spin(&r);
        check_run(&r);
    }
}

KTEST(SRT0003, "a call that copies to user memory works with DF set by the caller")
{
    struct ae_handle_info want, got;
    struct srt_run r;

    CHECK_OK(ae_sys2(AE_SYS_handle_info, ktest_self, (uint64_t)&want));
    __builtin_memset(&got, 0xa5, sizeof(got));
    fill(&r, AE_SYS_handle_info, 100, RF_USER | RF_DF, 20);
    r.in[R_RDI] = ktest_self;
    r.in[R_RSI] = (uint64_t)&got;
    r.want_rax = AE_OK;
    srt_spin(&r);
    check_run(&r);
    CHECK_EQ(got.type, want.type);
    CHECK_EQ(got.rights, want.rights);
    CHECK_EQ(got.badge, want.badge);
}

static void spin_thread(void *arg)
{
    srt_spin(arg);
}

KTEST(SRT0004, "two threads on one CPU yielding 3000 times each keep their own registers and flags")
{
    struct srt_run r[2];
    ae_handle_t t[2];

    fill(&r[0], AE_SYS_yield, 3000, RF_USER, 30);
    fill(&r[1], AE_SYS_yield, 3000, RF_ALL_SET, 31);
    r[0].want_rax = r[1].want_rax = AE_OK;
    for (int i = 0; i < 2; i++) {
        t[i] = CHECK_HANDLE(ktest_thread(spin_thread, &r[i]));
        if (t[i])
            CHECK_OK(ae_sys2(AE_SYS_thread_set_affinity, t[i], 0));
    }
    for (int i = 0; i < 2; i++) {
        if (!t[i])
            continue;
        CHECK_EQ(ktest_join(t[i]), 0);
        check_run(&r[i]);
    }
}

KTEST(SRT0005, "3000 IPC calls between two threads: rbx, rbp, r14, r15 and flags kept on both sides, replies intact")
{
    struct srt_run c, s;
    int64_t ep = ae_sys0(AE_SYS_endpoint_create);
    ae_handle_t t;

    CHECK(ep > 0);
    if (ep <= 0)
        return;
    /* Client: ipc_call(ep, label 0xc1, words) 3000 times. */
    fill(&c, AE_SYS_ipc_call, 3000, RF_ALL_SET, 40);
    c.check_args = 0;
    c.want_rax = AE_OK;
    c.in[R_RDI] = (uint64_t)ep;
    c.in[R_RSI] = AE_MSG_INFO(0xc1, 0);
    t = CHECK_HANDLE(ktest_thread(spin_thread, &c));
    if (!t) {
        ae_sys1(AE_SYS_handle_close, (uint64_t)ep);
        return;
    }
    /* Server (this thread): recv, reply_recv 2999 times, reply. */
    fill(&s, AE_SYS_ipc_recv, 1, RF_USER, 41);
    s.check_args = 0;
    s.want_rax = AE_OK;
    s.in[R_RDI] = (uint64_t)ep;
    s.in[R_RSI] = AE_MSG_INFO(0x5e, 0);
    srt_spin(&s);
    check_run(&s);
    s.nr = AE_SYS_ipc_reply_recv;
    s.count = 2999;
    srt_spin(&s);
    check_run(&s);
    /* The last request, as received. */
    CHECK_EQ(s.out[R_RDI], 0);                          /* ep's badge */
    CHECK_EQ(AE_MSG_LABEL(s.out[R_RSI]), 0xc1);
    CHECK_EQ(AE_MSG_NHANDLES(s.out[R_RSI]), 0);
    CHECK_EQ(s.out[R_RDX], c.in[R_RDX]);
    CHECK_EQ(s.out[R_R10], c.in[R_R10]);
    CHECK_EQ(s.out[R_R8], c.in[R_R8]);
    CHECK_EQ(s.out[R_R9], c.in[R_R9]);
    s.nr = AE_SYS_ipc_reply;
    s.count = 1;
    srt_spin(&s);
    check_run(&s);
    CHECK_EQ(ktest_join(t), 0);
    check_run(&c);
    /* The last reply, as received. */
    CHECK_EQ(c.out[R_RDI], 0);                          /* a reply has no badge */
    CHECK_EQ(AE_MSG_LABEL(c.out[R_RSI]), 0x5e);
    CHECK_EQ(AE_MSG_NHANDLES(c.out[R_RSI]), 0);
    CHECK_EQ(c.out[R_RDX], s.in[R_RDX]);
    CHECK_EQ(c.out[R_R10], s.in[R_R10]);
    CHECK_EQ(c.out[R_R8], s.in[R_R8]);
    CHECK_EQ(c.out[R_R9], s.in[R_R9]);
    CHECK_EQ(c.out[R_R12], 0);
    CHECK_EQ(c.out[R_R13], 0);
    ae_sys1(AE_SYS_handle_close, (uint64_t)ep);
}

/* Waits for a fault child, then takes its report (queued before it died;
 * receiving first would block for ever if it did not fault). */
static void expect_report(ae_handle_t p, ae_handle_t ep, uint64_t reason, uint64_t addr,
                          uint64_t rip)
{
    struct ae_process_info pi;
    struct ae_msg m;
    int64_t st;

    CHECK_OK(ae_sys2(AE_SYS_process_info, p, (uint64_t)&pi));
    st = ae_sys2(AE_SYS_process_wait, p, KTEST_WAIT_NS);
    if (st == AE_ERR_TIMEOUT) {
        ae_sys2(AE_SYS_process_kill, p, -999);
        ae_sys2(AE_SYS_process_wait, p, KTEST_WAIT_NS);
    }
    ae_sys1(AE_SYS_handle_close, p);
    CHECK_EQ(st, AE_ERR_FAULT);
    if (st != AE_ERR_FAULT)
        return;
    CHECK_OK(ktest_fault_report(ep, &m));
    CHECK_EQ(AE_MSG_LABEL(m.info), AE_MSG_FAULT);
    CHECK_EQ(m.badge, SRT_FAULT_BADGE);
    CHECK_EQ(m.w[0], reason);
    CHECK_EQ(m.w[1], addr);
    CHECK_EQ(m.w[2], rip);
    CHECK_EQ(m.w[3], pi.pid);
}

/* In the child: a syscall in the last two bytes below USER_TOP, so the
 * return address is 0x800000000000. */
static int64_t noncanonical_child(uint64_t arg)
{
    int64_t v = ae_sys2(AE_SYS_vmo_create, 4096, 0);
    volatile uint8_t *code = (volatile uint8_t *)SRT_SCRATCH_VA;

    if (v < 0)
        return 10;
    if (ae_sys6(AE_SYS_vmo_map, v, 0, SRT_SCRATCH_VA, 0, 4096, SRT_PROT_RW))
        return 11;
    code[4094] = 0x0f;                  /* syscall */
    code[4095] = 0x05;
    if (ae_sys6(AE_SYS_vmo_map, v, 0, SRT_LAST_PAGE, 0, 4096, SRT_PROT_RX))
        return 12;
    srt_jump_to(SRT_LAST_PAGE + 4094, SRT_UNKNOWN_CALL);
    return 13;
}

KTEST(SRT0006, "a call returning to a non-canonical rip (0x800000000000) kills its process with GP there")
{
    int64_t ep = ae_sys0(AE_SYS_endpoint_create);
    ae_handle_t p;

    CHECK(ep > 0);
    if (ep <= 0)
        return;
    p = CHECK_HANDLE(ktest_child_after_go(noncanonical_child, (ae_handle_t)ep, SRT_FAULT_BADGE));
    if (p)
        expect_report(p, (ae_handle_t)ep, AE_FAULT_GP, 0, 0x0000800000000000ull);
    ae_sys1(AE_SYS_handle_close, (uint64_t)ep);
}

static volatile uint64_t tf_flags;     /* copied into the child with our data */

static int64_t tf_child(uint64_t arg)
{
    srt_tf_probe(tf_flags);
    return 20;
}

/* sysretq would trap at srt_tf_ret, before the first instruction. */
static void tf_case(uint64_t flags)
{
    int64_t ep = ae_sys0(AE_SYS_endpoint_create);
    ae_handle_t p;

    CHECK(ep > 0);
    if (ep <= 0)
        return;
    tf_flags = flags;
    p = CHECK_HANDLE(ktest_child_after_go(tf_child, (ae_handle_t)ep, SRT_FAULT_BADGE));
    if (p)
        expect_report(p, (ae_handle_t)ep, AE_FAULT_OTHER, 1, (uint64_t)srt_tf_rip);
    ae_sys1(AE_SYS_handle_close, (uint64_t)ep);
}

KTEST(SRT0007, "TF set across a call: #DB after the first instruction back in user mode, as iretq gives")
{
    tf_case(RF_TF);
}

KTEST(SRT0009, "TF and NT set across a call: the iretq exit does not #GP on NT (syscall masks it)")
{
    tf_case(RF_TF | RF_NT);
}

static int64_t call_forever(uint64_t arg)
{
    for (;;)
        ae_sys0(SRT_UNKNOWN_CALL);
    return 30;
}

KTEST(SRT0008, "a process spinning in system calls dies when killed (the kill is seen on the way out)")
{
    ae_handle_t p = CHECK_HANDLE(ktest_child(call_forever, 0, NULL, 0, NULL));
    int64_t t0 = ae_sys0(AE_SYS_clock_get);

    if (!p)
        return;
    CHECK_OK(ae_sys1(AE_SYS_sleep_until, (uint64_t)t0 + 20000000));     /* 20 ms */
    CHECK_OK(ae_sys2(AE_SYS_process_kill, p, 77));
    CHECK_EQ(ktest_wait_child(p), 77);
}

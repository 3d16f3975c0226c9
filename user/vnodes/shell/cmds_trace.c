/*
 * trace on | off | dump [N]: the kernel's trace rings, through the scope
 * V-Node (proto/scope.h, docs/TRACE.md). dump prints the newest N (20)
 * records of every CPU, oldest first, with process names from init.
 */
#include "cmds.h"
#include "aether/ipc.h"
#include "aether/proto/init.h"
#include "aether/proto/scope.h"
#include "aether/trace.h"
#include "common/string.h"

static struct ae_bufsvc scope = AE_BUFSVC("scope", AE_SCOPE_SETBUF, 0x0000150000000000ull,
                                          SH_SVC_BUF);

#define NAMES_MAX 33
static struct { uint64_t pid; char name[24]; } names[NAMES_MAX];
static unsigned nnames;

static void load_names(void)
{
    struct ae_msg m = {AE_MSG_INFO(AE_INIT_LIST, 0), {0}, {0}, 0};
    const struct ae_vnode_status *s = sh_buf(&sh_init);

    nnames = 0;
    if (sh_call(&sh_init, &m))
        return;
    for (uint64_t i = 0; i < m.w[0] && nnames < NAMES_MAX; i++)
        if (s[i].pid) {
            names[nnames].pid = s[i].pid;
            memcpy(names[nnames].name, s[i].name, sizeof(names[0].name));
            nnames++;
        }
}

/* "shell(4)", or "pid 9" for a process that is no V-Node (or gone). */
static void who(uint64_t pid, char *out, size_t len)
{
    for (unsigned i = 0; i < nnames; i++)
        if (names[i].pid == pid) {
            ae_snprintf(out, len, "%s(%lu)", names[i].name, (unsigned long)pid);
            return;
        }
    ae_snprintf(out, len, pid ? "pid %lu" : "kernel", (unsigned long)pid);
}

static const char *type_name(unsigned t)
{
    static const char *const n[] = {"none", "send", "call", "reply", "recv", "switch",
                                    "pagefault", "quota", "irq", "spawn", "exit", "fault",
                                    "restart", "lost", "vnode"};
    return t < sizeof(n) / sizeof(n[0]) ? n[t] : "?";
}

static void print_rec(struct sh_io *io, const struct ae_trace_rec *r)
{
    char a[40], b[40];

    who(r->pid, a, sizeof(a));
    who(r->peer, b, sizeof(b));
    sh_printf(io, "%5lu.%06lu cpu%u %-9s %s", (unsigned long)(r->ts_ns / 1000000000ull),
              (unsigned long)(r->ts_ns / 1000 % 1000000), r->cpu, type_name(r->type), a);
    switch (r->type) {
    case AE_TRACE_IPC_SEND:
    case AE_TRACE_IPC_CALL:
    case AE_TRACE_IPC_REPLY:
        sh_printf(io, " -> %s label %#lx handles %u badge %lu, %s waited %lu us%s\n", b,
                  (unsigned long)AE_MSG_LABEL(r->arg[1]), AE_MSG_NHANDLES(r->arg[1]),
                  (unsigned long)r->arg[0],
                  r->arg[3] & AE_TRACE_IPC_SENDER_WAITED ? "sender" : "receiver",
                  (unsigned long)(r->arg[2] / 1000),
                  r->arg[3] & AE_TRACE_IPC_HANDOFF ? ", hand-off" : "");
        break;
    case AE_TRACE_IPC_RECV:
        sh_printf(io, " fault report badge %lu, waited %lu us\n", (unsigned long)r->arg[0],
                  (unsigned long)(r->arg[2] / 1000));
        break;
    case AE_TRACE_SWITCH:
        sh_printf(io, " -> %s%s\n", b, r->arg[1] == 1 ? " (blocked)" : r->arg[1] == 2 ? " (exited)" : "");
        break;
    case AE_TRACE_PAGE_FAULT:
        sh_printf(io, " at %#lx rip %#lx%s\n", (unsigned long)r->arg[0], (unsigned long)r->arg[1],
                  r->arg[3] ? " (fatal)" : "");
        break;
    case AE_TRACE_PROC_SPAWN:
        sh_printf(io, " made %s\n", b);
        break;
    case AE_TRACE_PROC_EXIT:
        sh_printf(io, " status %ld\n", (long)r->arg[0]);
        break;
    default:
        sh_printf(io, " %s %#lx %#lx\n", b, (unsigned long)r->arg[0], (unsigned long)r->arg[1]);
        break;
    }
}

int cmd_trace(int argc, char **argv, struct sh_io *io)
{
    struct ae_msg m = {AE_MSG_INFO(AE_SCOPE_CTL, 0), {AE_SCOPE_QUERY}, {0}, 0};
    const struct ae_trace_rec *recs = ae_bufsvc_buf(&scope);
    long n = 20;
    int64_t r;

    if (argc == 2 && (!strcmp(argv[1], "on") || !strcmp(argv[1], "off"))) {
        m.w[0] = !strcmp(argv[1], "on") ? AE_SCOPE_ON : AE_SCOPE_OFF;
    } else if ((argc == 2 || argc == 3) && !strcmp(argv[1], "dump")) {
        if (argc == 3 && (sh_parse_long(argv[2], &n) || n < 1 || n > 1000))
            return sh_fail(io, 2, "trace", "bad count '%s' (1 to 1000)", argv[2]);
        m.info = AE_MSG_INFO(AE_SCOPE_DUMP, 0);
        m.w[0] = (uint64_t)n;
    } else if (argc != 1) {
        return sh_fail(io, 2, "trace", "usage: trace [on | off | dump [N]]");
    }
    r = ae_bufsvc_call(&scope, &m);
    if (r)
        return sh_fail(io, 1, "trace", "%s", ae_strerror(r));
    if (argc >= 2 && !strcmp(argv[1], "dump")) {
        load_names();
        for (uint64_t i = 0; i < m.w[0]; i++)
            print_rec(io, &recs[i]);
        if (m.w[1])
            sh_printf(io, "(%lu records lost: the rings lapped their reader)\n",
                      (unsigned long)m.w[1]);
        return 0;
    }
    sh_printf(io, "tracing %s", m.w[0] ? "on" : "off");
    if (argc == 2)
        sh_printf(io, " (was %s)", m.w[1] ? "on" : "off");
    sh_printf(io, "\n");
    return 0;
}

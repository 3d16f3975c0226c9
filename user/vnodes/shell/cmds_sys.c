/* Shell commands about V-Nodes and the machine: ps, caps, start, stop,
 * restart, kill, mem, uptime, poweroff, reboot. */
#include "cmds.h"
#include "aether/proto/crashtest.h"
#include "aether/proto/init.h"
#include "common/string.h"

static int init_error(struct sh_io *io, const char *cmd, int64_t r)
{
    return sh_fail(io, 1, cmd, "%s", ae_strerror(r));
}

static int pack_name(struct ae_msg *m, const char *name)
{
    return ae_ns_pack_name(name, m->w);
}

int cmd_ps(int argc, char **argv, struct sh_io *io)
{
    struct ae_msg m = {AE_MSG_INFO(AE_INIT_LIST, 0), {0}, {0}, 0};
    const struct ae_vnode_status *s = sh_buf(&sh_init);
    int64_t r;

    if (argc != 1)
        return sh_fail(io, 2, "ps", "usage: ps");
    r = sh_call(&sh_init, &m);
    if (r)
        return init_error(io, "ps", r);
    sh_printf(io, "%-12s %5s %-10s %8s %15s %9s %15s  %s\n", "NAME", "PID", "STATE",
              "RESTARTS", "MEM KiB", "CPU ms", "IPC OUT/IN", "NOTE");
    for (uint64_t i = 0; i < m.w[0]; i++) {
        char mem[32], ipc[48];
        ae_snprintf(mem, sizeof(mem), "%lu/%lu", (unsigned long)s[i].pages_used * 4,
                    (unsigned long)s[i].pages_quota * 4);
        ae_snprintf(ipc, sizeof(ipc), "%lu/%lu", (unsigned long)s[i].ipc_sent,
                    (unsigned long)s[i].ipc_received);
        sh_printf(io, "%-12s %5lu %-10s %8u %15s %9lu %15s  %s\n", s[i].name,
                  (unsigned long)s[i].pid, ae_vnode_state_name(s[i].state), s[i].restarts, mem,
                  (unsigned long)(s[i].cpu_ns / 1000000), ipc, s[i].reason);
    }
    return 0;
}

int cmd_caps(int argc, char **argv, struct sh_io *io)
{
    struct ae_msg m = {AE_MSG_INFO(AE_INIT_CAPS, 0), {0}, {0}, 0};
    const struct ae_handle_entry *e = sh_buf(&sh_init);
    int64_t r;

    if (argc != 2 || pack_name(&m, argv[1]))
        return sh_fail(io, 2, "caps", "usage: caps NAME");
    r = sh_call(&sh_init, &m);
    if (r)
        return sh_fail(io, 1, "caps", "%s: %s", argv[1], ae_strerror(r));
    sh_printf(io, "%-10s %-12s %-11s %s\n", "HANDLE", "TYPE", "RIGHTS", "BADGE");
    for (uint64_t i = 0; i < m.w[0]; i++) {
        char rights[16];
        ae_rights_text(e[i].rights, rights);
        sh_printf(io, "%#-10x %-12s %-11s %#lx%s\n", e[i].handle,
                  e[i].revoked ? "(revoked)" : ae_obj_type_name(e[i].type), rights,
                  (unsigned long)e[i].badge, "");
    }
    sh_printf(io, "%lu handles (rights: r read, w write, x exec, m map, s send, v receive, "
                  "g grant, d derive, S signal, W wait, M manage)\n", (unsigned long)m.w[1]);
    return 0;
}

static int control(int argc, char **argv, struct sh_io *io, uint32_t op, const char *usage)
{
    struct ae_msg m = {AE_MSG_INFO(op, 0), {0}, {0}, 0};
    int64_t r;

    if (argc < 2 || argc > (op == AE_INIT_KILL ? 3 : 2) || pack_name(&m, argv[1]))
        return sh_fail(io, 2, argv[0], "usage: %s", usage);
    if (argc == 3) {
        long st;
        if (sh_parse_long(argv[2], &st) || !st)
            return sh_fail(io, 2, argv[0], "bad status '%s' (a non-zero number)", argv[2]);
        m.w[3] = (uint64_t)st;
    }
    r = sh_call(&sh_init, &m);
    if (r)
        return sh_fail(io, 1, argv[0], "%s: %s", argv[1], ae_strerror(r));
    return 0;
}

int cmd_start(int argc, char **argv, struct sh_io *io)
{
    return control(argc, argv, io, AE_INIT_START, "start NAME");
}

int cmd_stop(int argc, char **argv, struct sh_io *io)
{
    return control(argc, argv, io, AE_INIT_STOP, "stop NAME");
}

int cmd_restart(int argc, char **argv, struct sh_io *io)
{
    return control(argc, argv, io, AE_INIT_RESTART, "restart NAME");
}

int cmd_kill(int argc, char **argv, struct sh_io *io)
{
    return control(argc, argv, io, AE_INIT_KILL, "kill NAME [STATUS]");
}

int cmd_mem(int argc, char **argv, struct sh_io *io)
{
    struct ae_msg m = {AE_MSG_INFO(AE_INIT_MEM, 0), {0}, {0}, 0};
    int64_t r;

    if (argc != 1)
        return sh_fail(io, 2, "mem", "usage: mem");
    r = sh_call(&sh_init, &m);
    if (r)
        return init_error(io, "mem", r);
    sh_printf(io, "total %lu KiB, free %lu KiB, given to V-Nodes %lu KiB, init %lu KiB\n",
              (unsigned long)m.w[0] * 4, (unsigned long)m.w[1] * 4, (unsigned long)m.w[2] * 4,
              (unsigned long)(m.w[0] - m.w[1] - m.w[2]) * 4);
    return 0;
}

int cmd_uptime(int argc, char **argv, struct sh_io *io)
{
    uint64_t ns = (uint64_t)ae_clock_get();

    if (argc != 1)
        return sh_fail(io, 2, "uptime", "usage: uptime");
    sh_printf(io, "up %lu.%03lu s\n", (unsigned long)(ns / 1000000000),
              (unsigned long)(ns / 1000000 % 1000));
    return 0;
}

static int power(int argc, char **argv, struct sh_io *io, uint32_t op)
{
    struct ae_msg m = {AE_MSG_INFO(op, 0), {0}, {0}, 0};
    int64_t r;

    if (argc != 1)
        return sh_fail(io, 2, argv[0], "usage: %s", argv[0]);
    r = sh_call(&sh_init, &m);
    return sh_fail(io, 1, argv[0], "%s", ae_strerror(r ? r : AE_ERR_UNSUPPORTED));
}

int cmd_poweroff(int argc, char **argv, struct sh_io *io)
{
    return power(argc, argv, io, AE_INIT_POWEROFF);
}

int cmd_reboot(int argc, char **argv, struct sh_io *io)
{
    return power(argc, argv, io, AE_INIT_REBOOT);
}

/* crash MODE: starts crashtest if needed and asks it to fail that way. */
int cmd_crash(int argc, char **argv, struct sh_io *io)
{
    static const char *const modes[] = {"null", "rowrite", "illegal", "divzero", "stack",
                                        "spin", "handle"};
    struct ae_msg m = {AE_MSG_INFO(AE_INIT_START, 0), {0}, {0}, 0};
    struct ae_svc ct;
    unsigned mode = 0;
    int64_t r;

    for (unsigned i = 0; argc == 2 && i < sizeof(modes) / sizeof(modes[0]); i++)
        if (!strcmp(argv[1], modes[i]))
            mode = i + 1;
    if (!mode)
        return sh_fail(io, 2, "crash", "usage: crash null|rowrite|illegal|divzero|stack|spin|handle");
    pack_name(&m, "crashtest");
    r = sh_call(&sh_init, &m);
    if (r && r != AE_ERR_BUSY)
        return sh_fail(io, 1, "crash", "cannot start crashtest: %s", ae_strerror(r));
    r = ae_svc_connect(&ct, "crashtest");
    if (r)
        return sh_fail(io, 1, "crash", "crashtest: %s", ae_strerror(r));
    m = (struct ae_msg){AE_MSG_INFO(mode == 7 ? AE_CRASHTEST_HANDLE : AE_CRASHTEST_CRASH, 0),
                        {mode}, {0}, 0};
    r = ae_ipc_call(ct.ep, &m);
    ae_svc_close(&ct);
    if (mode == 7) {
        if (r)
            return sh_fail(io, 1, "crash", "crashtest: %s", ae_strerror(r));
        sh_printf(io, "crashtest used a handle it was not given: %s\n",
                  ae_strerror((int64_t)m.w[0]));
        return 0;
    }
    if (r == AE_ERR_PEER_CLOSED) {
        sh_printf(io, "crashtest is gone (%s); `log` and `ps` tell how\n", argv[1]);
        return 0;
    }
    return sh_fail(io, 1, "crash", "crashtest answered: %s",
                   ae_strerror(r ? r : AE_MSG_STATUS(m.info)));
}

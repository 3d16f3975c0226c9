/* The command table, help, and the commands that only move text: echo,
 * grep, wc, head, true, false. */
#include "cmds.h"
#include "common/string.h"

const struct sh_cmd_def sh_cmds[] = {
    {"help", "help [COMMAND]", "list the commands, or explain one", cmd_help},
    {"echo", "echo [WORD...]", "print the words, separated by spaces", cmd_echo},
    {"ls", "ls [PATH]", "list a directory of the file service (default /)", cmd_ls},
    {"cat", "cat [FILE...]", "print files, or the input from a pipe", cmd_cat},
    {"grep", "grep TEXT", "print the input lines that contain TEXT", cmd_grep},
    {"wc", "wc", "count the input's lines, words and bytes", cmd_wc},
    {"head", "head [-n N]", "print the first N (10) input lines", cmd_head},
    {"tee", "tee FILE", "write the input to FILE (in /tmp: the only writable place) and print it",
     cmd_tee},
    {"ps", "ps", "list V-Nodes: pid, state, restarts, memory used/quota, CPU time", cmd_ps},
    {"top", "top [-n N]", "CPU %, memory and state of every V-Node, every second until a key "
     "is pressed (or N times; once into a pipe)", cmd_top},
    {"trace", "trace [on | off | dump [N]]", "kernel tracing: its state, switch it on or off, "
     "or print the newest N (20) trace records (docs/TRACE.md)", cmd_trace},
    {"caps", "caps NAME", "list the handles V-Node NAME holds, with their rights", cmd_caps},
    {"lspci", "lspci [-v]", "list the PCI Express functions; -v: BARs, interrupt, capabilities",
     cmd_lspci},
    {"ifconfig", "ifconfig", "the network interface: address, gateway, MAC, counters", cmd_ifconfig},
    {"net", "net", "the same as ifconfig", cmd_ifconfig},
    {"ping", "ping [-c N] ADDRESS", "ICMP echo to an IPv4 address, N (4) times", cmd_ping},
    {"fetch", "fetch [-o FILE | -s] URL", "HTTP GET of http://ADDRESS[:PORT]/PATH to the console, "
     "to FILE or (-s) nowhere; prints the status, size and SHA-256 of the body", cmd_fetch},
    {"tcpsend", "tcpsend ADDRESS PORT BYTES", "send BYTES of a fixed pattern over TCP; prints "
     "their SHA-256", cmd_tcpsend},
    {"netstat", "netstat", "every socket: endpoints, queued datagrams, counters", cmd_netstat},
    {"udpecho", "udpecho [-z] [-n N] PORT", "echo N (1) UDP datagrams to their senders; "
     "-z: through zero-copy pages", cmd_udpecho},
    {"start", "start NAME", "start a V-Node that is not running", cmd_start},
    {"stop", "stop NAME", "stop a V-Node; it is not restarted", cmd_stop},
    {"restart", "restart NAME", "stop a V-Node and start it again", cmd_restart},
    {"kill", "kill NAME [STATUS]", "kill a V-Node as a crash would; its restart policy applies",
     cmd_kill},
    {"mem", "mem", "memory: total, free, given to V-Nodes", cmd_mem},
    {"uptime", "uptime", "time since boot", cmd_uptime},
    {"log", "log [N]", "the last N (20) lines of the kernel and service log", cmd_log},
    {"poweroff", "poweroff", "switch the machine off (ACPI)", cmd_poweroff},
    {"reboot", "reboot", "restart the machine", cmd_reboot},
    {"crash", "crash MODE", "make crashtest fail: null rowrite illegal divzero stack spin, "
     "or use a handle it was not given (handle)", cmd_crash},
    {"vnode", "vnode list | vnode verify NAME",
     "the V-Node bundles: name, version, Merkle root, signers, state; or check one again "
     "(signatures and every block)", cmd_vnode},
    {"trust", "trust", "the trust root: its version, threshold and keys", cmd_trust},
    {"true", "true", "succeed (status 0)", cmd_true},
    {"false", "false", "fail (status 1)", cmd_false},
};
const unsigned sh_ncmds = sizeof(sh_cmds) / sizeof(sh_cmds[0]);

int sh_parse_long(const char *s, long *out)
{
    int neg = *s == '-', base = 10;
    unsigned long v = 0;

    s += neg;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!*s)
        return -1;
    for (; *s; s++) {
        int d = *s >= '0' && *s <= '9' ? *s - '0'
              : base == 16 && *s >= 'a' && *s <= 'f' ? *s - 'a' + 10
              : base == 16 && *s >= 'A' && *s <= 'F' ? *s - 'A' + 10 : -1;
        if (d < 0 || v > (0x7fffffffffffffffull - (unsigned)d) / (unsigned)base)
            return -1;
        v = v * (unsigned)base + (unsigned)d;
    }
    *out = neg ? -(long)v : (long)v;
    return 0;
}

int cmd_help(int argc, char **argv, struct sh_io *io)
{
    if (argc == 1) {
        sh_printf(io, "Commands (COMMAND | COMMAND pipes output; ';' '&&' '||' chain; "
                      "$? is the last status; '...' and \"...\" quote):\n");
        for (unsigned i = 0; i < sh_ncmds; i++)
            sh_printf(io, "  %-20s %s\n", sh_cmds[i].usage, sh_cmds[i].help);
        return 0;
    }
    for (unsigned i = 0; argc == 2 && i < sh_ncmds; i++) {
        if (!strcmp(argv[1], sh_cmds[i].name)) {
            sh_printf(io, "usage: %s\n  %s\n", sh_cmds[i].usage, sh_cmds[i].help);
            return 0;
        }
    }
    if (argc == 2)
        return sh_fail(io, 2, "help", "no command '%s'", argv[1]);
    return sh_fail(io, 2, "help", "usage: help [COMMAND]");
}

int cmd_echo(int argc, char **argv, struct sh_io *io)
{
    for (int i = 1; i < argc; i++) {
        if (i > 1)
            sh_write(io->out, " ", 1);
        sh_write(io->out, argv[i], strlen(argv[i]));
    }
    sh_write(io->out, "\n", 1);
    return 0;
}

int cmd_true(int argc, char **argv, struct sh_io *io)
{
    return 0;
}

int cmd_false(int argc, char **argv, struct sh_io *io)
{
    return 1;
}

/* Calls fn on each line of the input (without its '\n'); stops when fn
 * returns non-zero. */
static void each_line(struct sh_io *io, int (*fn)(const char *, size_t, void *), void *ctx)
{
    size_t start = 0;

    for (size_t i = 0; io->in && i <= io->in_len; i++) {
        if (i == io->in_len || io->in[i] == '\n') {
            if (i > start || i < io->in_len)
                if (fn(io->in + start, i - start, ctx))
                    return;
            start = i + 1;
        }
    }
}

struct grep_ctx {
    struct sh_io *io;
    const char *text;
    size_t tlen;
    int found;
};

static int grep_line(const char *l, size_t n, void *arg)
{
    struct grep_ctx *g = arg;

    for (size_t i = 0; i + g->tlen <= n; i++) {
        if (!strncmp(l + i, g->text, g->tlen)) {
            sh_write(g->io->out, l, n);
            sh_write(g->io->out, "\n", 1);
            g->found = 1;
            break;
        }
    }
    return 0;
}

int cmd_grep(int argc, char **argv, struct sh_io *io)
{
    struct grep_ctx g = {io, argc == 2 ? argv[1] : "", argc == 2 ? strlen(argv[1]) : 0, 0};

    if (argc != 2)
        return sh_fail(io, 2, "grep", "usage: grep TEXT (reads a pipe)");
    each_line(io, grep_line, &g);
    return g.found ? 0 : 1;
}

int cmd_wc(int argc, char **argv, struct sh_io *io)
{
    size_t lines = 0, words = 0;
    int in_word = 0;

    if (argc != 1)
        return sh_fail(io, 2, "wc", "usage: wc (reads a pipe)");
    for (size_t i = 0; io->in && i < io->in_len; i++) {
        char c = io->in[i];
        int blank = c == ' ' || c == '\t' || c == '\n';
        lines += c == '\n';
        words += !blank && !in_word;
        in_word = !blank;
    }
    sh_printf(io, "%zu %zu %zu\n", lines, words, io->in ? io->in_len : 0);
    return 0;
}

struct head_ctx {
    struct sh_io *io;
    long left;
};

static int head_line(const char *l, size_t n, void *arg)
{
    struct head_ctx *h = arg;

    if (h->left-- <= 0)
        return 1;
    sh_write(h->io->out, l, n);
    sh_write(h->io->out, "\n", 1);
    return 0;
}

int cmd_head(int argc, char **argv, struct sh_io *io)
{
    struct head_ctx h = {io, 10};

    if (argc == 3 && !strcmp(argv[1], "-n")) {
        if (sh_parse_long(argv[2], &h.left) || h.left < 0)
            return sh_fail(io, 2, "head", "bad count '%s'", argv[2]);
    } else if (argc != 1) {
        return sh_fail(io, 2, "head", "usage: head [-n N] (reads a pipe)");
    }
    each_line(io, head_line, &h);
    return 0;
}

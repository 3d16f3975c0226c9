/*
 * top: per-V-Node CPU %, memory, IPC messages a second (sent and received,
 * the kernel's counters) and state, refreshed every second until a
 * key is pressed (on the terminal), or N times without reading keys (-n N;
 * once when the output goes into a pipe). CPU % is of one CPU over the last interval:
 * the difference of init's cpu_ns samples (INIT_LIST) over the wall time.
 */
#include "cmds.h"
#include "aether/proto/init.h"
#include "common/string.h"

#define TOP_MAX 33
#define INTERVAL_NS 1000000000ull

struct top_sample {
    uint64_t at_ns;
    unsigned n;
    struct ae_vnode_status s[TOP_MAX];
};

static int take(struct top_sample *t)
{
    struct ae_msg m = {AE_MSG_INFO(AE_INIT_LIST, 0), {0}, {0}, 0};
    int64_t r = sh_call(&sh_init, &m);

    if (r)
        return (int)r;
    t->at_ns = (uint64_t)ae_clock_get();
    t->n = m.w[0] < TOP_MAX ? (unsigned)m.w[0] : TOP_MAX;
    memcpy(t->s, sh_buf(&sh_init), t->n * sizeof(t->s[0]));
    return 0;
}

/* The same process in the earlier sample (by name and pid), or NULL. */
static const struct ae_vnode_status *before(const struct top_sample *old,
                                            const struct ae_vnode_status *now)
{
    for (unsigned i = 0; i < old->n; i++)
        if (!strcmp(old->s[i].name, now->name) && old->s[i].pid == now->pid)
            return &old->s[i];
    return NULL;
}

static void show(struct sh_io *io, const struct top_sample *old, const struct top_sample *now,
                 int clear)
{
    uint64_t dt = now->at_ns - old->at_ns;

    if (clear)
        sh_printf(io, "\x1b[H\x1b[2J");
    sh_printf(io, "top: %u V-Nodes, every %lu ms; a key ends it\n", now->n,
              (unsigned long)(INTERVAL_NS / 1000000));
    sh_printf(io, "%-12s %5s %-10s %6s %15s %8s\n", "NAME", "PID", "STATE", "CPU%", "MEM KiB",
              "IPC/s");
    for (unsigned i = 0; i < now->n; i++) {
        const struct ae_vnode_status *s = &now->s[i], *b = before(old, s);
        uint64_t used = s->pid && b && s->cpu_ns >= b->cpu_ns ? s->cpu_ns - b->cpu_ns
                      : s->pid ? s->cpu_ns : 0;
        uint64_t tenths = dt ? used * 1000 / dt : 0;
        uint64_t msgs = s->ipc_sent + s->ipc_received;
        uint64_t was = b ? b->ipc_sent + b->ipc_received : 0;
        uint64_t rate = dt && s->pid && msgs >= was ? (msgs - was) * 1000000000ull / dt : 0;
        char mem[32];
        ae_snprintf(mem, sizeof(mem), "%lu/%lu", (unsigned long)s->pages_used * 4,
                    (unsigned long)s->pages_quota * 4);
        sh_printf(io, "%-12s %5lu %-10s %4lu.%lu %15s %8lu\n", s->name, (unsigned long)s->pid,
                  ae_vnode_state_name(s->state), (unsigned long)(tenths / 10),
                  (unsigned long)(tenths % 10), mem, (unsigned long)rate);
    }
}

int cmd_top(int argc, char **argv, struct sh_io *io)
{
    static struct top_sample a, b;
    struct top_sample *old = &a, *now = &b, *t;
    int interactive = io->out->to_console && !io->in;
    long rounds = interactive ? -1 : 1;
    int r;

    if (argc == 3 && !strcmp(argv[1], "-n")) {
        if (sh_parse_long(argv[2], &rounds) || rounds < 1 || rounds > 1000)
            return sh_fail(io, 2, "top", "bad count '%s' (1 to 1000)", argv[2]);
        interactive = 0;                /* typed-ahead keys stay the shell's */
    } else if (argc != 1) {
        return sh_fail(io, 2, "top", "usage: top [-n N]");
    }
    if ((r = take(old)))
        return sh_fail(io, 1, "top", "%s", ae_strerror(r));
    for (long k = 0; rounds < 0 || k < rounds; k++) {
        char key;
        uint64_t due = old->at_ns + INTERVAL_NS, now_ns = (uint64_t)ae_clock_get();
        if (interactive) {
            if (due > now_ns && con_read_wait(&key, 1, due - now_ns) > 0)
                return 0;
        } else if (due > now_ns) {
            ae_sleep_until(due);
        }
        if ((r = take(now)))
            return sh_fail(io, 1, "top", "%s", ae_strerror(r));
        show(io, old, now, interactive);
        t = old;
        old = now;
        now = t;
    }
    return 0;
}

/*
 * The streaming thread: every 20 ms, each CPU's new trace records go out
 * as 'R' frames (with an AE_TRACE_LOST record when the ring lapped us);
 * every second, one 'V' frame per V-Node from init's list, so the far end
 * learns names, states and quotas without parsing anything else, and the
 * handles of each V-Node ('C' frames, from init's INIT_CAPS) when they
 * changed, or every CAPS_PERIOD_S seconds.
 */
#include <string.h>

#include "scope.h"
#include "bufsvc.h"
#include "frame.h"
#include "trace_read.h"
#include "aether/proto/init.h"

#define PUMP_PERIOD_NS (20 * 1000 * 1000ull)
#define SNAPSHOT_PERIOD_NS (1000 * 1000 * 1000ull)
#define BATCH 128
#define CAPS_PERIOD_S 5
#define NODES_MAX 48

static struct ae_bufsvc initsvc = AE_BUFSVC("init", AE_INIT_SETBUF, 0x0000140000000000ull, 65536);
static uint64_t cursor[AE_TRACE_MAX_CPUS];
static struct ae_trace_rec batch[BATCH];

static void send(char type, const void *payload, uint8_t len)
{
    uint8_t f[FRAME_MAX];
    com2_write(f, frame_put(f, type, payload, len));
}

static void hello(void)
{
    static const char magic[14] = "AETHER-TRACE 1";   /* no NUL: the format's 14 bytes */
    uint8_t p[sizeof(magic) + 8];
    uint64_t now = (uint64_t)ae_clock_get();

    memcpy(p, magic, sizeof(magic));
    memcpy(p + sizeof(magic), &now, 8);
    send('H', p, sizeof(p));
}

/* At most DRAIN_BATCHES batches of a CPU a period: under a flood the
 * snapshots must still go out (the rest waits, or is counted lost). */
#define DRAIN_BATCHES 8
/* How far behind real time the stream may fall: COM2 carries about a
 * thousand records a second, so a flood would otherwise leave the stream
 * ever further behind the snapshots, and a live view (rates over the last
 * 2 s) would show nothing. Records older than this when their turn comes
 * are skipped and counted lost. */
#define LAG_MAX_NS (1500 * 1000 * 1000ull)

static void send_lost(unsigned cpu, uint64_t ts, uint64_t n)
{
    struct ae_trace_rec r = {.ts_ns = ts, .type = AE_TRACE_LOST, .cpu = (uint16_t)cpu,
                             .arg = {n}};

    send('R', &r, sizeof(r));
}

static void drain(unsigned cpu)
{
    uint64_t lost = 0, oldest;
    size_t n, first;
    unsigned batches = 0;

    do {
        n = ae_trace_read(ae_trace_hdr(scope_rings, cpu), ae_trace_ring(scope_rings, cpu),
                          &cursor[cpu], batch, BATCH, &lost);
        if (lost) {                     /* the ring lapped us */
            send_lost(cpu, (uint64_t)ae_clock_get(), lost);
            lost = 0;
        }
        oldest = (uint64_t)ae_clock_get() - LAG_MAX_NS;
        for (first = 0; first < n && batch[first].ts_ns < oldest; first++)
            ;
        if (first)                      /* too old to be news: skipped */
            send_lost(cpu, batch[first - 1].ts_ns, first);
        for (size_t i = first; i < n; i++)
            send('R', &batch[i], sizeof(batch[i]));
    } while (n == BATCH && ++batches < DRAIN_BATCHES);
}

/* What was last sent of each V-Node's handles: a hash, and how many
 * snapshots ago. Slots are by position in init's list (stable: init
 * keeps its V-Nodes in one table). */
static struct { uint64_t hash; uint32_t pid, age; } caps_sent[NODES_MAX];

static uint64_t caps_hash(uint32_t pid, const struct ae_handle_entry *e, uint64_t n)
{
    uint64_t h = 0xcbf29ce484222325ull ^ pid;
    const uint8_t *p = (const uint8_t *)e;

    for (uint64_t i = 0; i < n * sizeof(*e); i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h ^ n;
}

/* Sends the handles of V-Node `name` (running as pid) if they changed
 * since slot's last list, or that is CAPS_PERIOD_S snapshots old. */
static void send_caps(unsigned slot, const char name[24], uint32_t pid, uint64_t now)
{
    struct ae_msg m = {AE_MSG_INFO(AE_INIT_CAPS, 0), {0}, {0}, 0};
    const struct ae_handle_entry *e = ae_bufsvc_buf(&initsvc);
    uint64_t n, h;

    memcpy(m.w, name, 24);
    if (ae_bufsvc_call(&initsvc, &m))
        return;                     /* it stopped meanwhile: next time */
    n = m.w[0] < AE_TRACE_CAPS_MAX ? m.w[0] : AE_TRACE_CAPS_MAX;
    h = caps_hash(pid, e, n);
    if (h == caps_sent[slot].hash && caps_sent[slot].pid == pid &&
        ++caps_sent[slot].age < CAPS_PERIOD_S)
        return;
    caps_sent[slot].hash = h;
    caps_sent[slot].pid = pid;
    caps_sent[slot].age = 0;
    for (uint64_t first = 0; first < n || first == 0; first += AE_TRACE_CAPS_FRAME) {
        struct {
            struct ae_trace_caps_hdr h;
            struct ae_trace_cap c[AE_TRACE_CAPS_FRAME];
        } p;
        unsigned k = 0;

        p.h = (struct ae_trace_caps_hdr){.ts_ns = now, .pid = pid,
                                         .total = (uint16_t)(m.w[1] < 0xffff ? m.w[1] : 0xffff),
                                         .first = (uint16_t)first};
        for (; k < AE_TRACE_CAPS_FRAME && first + k < n; k++) {
            const struct ae_handle_entry *x = &e[first + k];
            p.c[k] = (struct ae_trace_cap){.handle = x->handle, .type = (uint16_t)x->type,
                                           .revoked = (uint16_t)x->revoked, .rights = x->rights,
                                           .badge_lo = (uint32_t)x->badge,
                                           .badge_hi = (uint32_t)(x->badge >> 32)};
        }
        send('C', &p, (uint8_t)(sizeof(p.h) + k * sizeof(p.c[0])));
        if (n == 0)
            break;
    }
}

static void snapshot(void)
{
    struct ae_msg m = {AE_MSG_INFO(AE_INIT_LIST, 0), {0}, {0}, 0};
    const struct ae_vnode_status *s = ae_bufsvc_buf(&initsvc);
    uint64_t now = (uint64_t)ae_clock_get();
    static struct { char name[24]; uint32_t pid; } running[NODES_MAX];
    unsigned nrunning = 0;

    int64_t r = ae_bufsvc_call(&initsvc, &m);
    static bool said;

    if (r) {                        /* init restarting, say: next second */
        if (!said)
            ae_printf("scope: no V-Node list from init: %s", ae_strerror(r));
        said = true;
        return;
    }
    for (uint64_t i = 0; i < m.w[0]; i++) {
        struct {
            uint64_t ts_ns;
            uint32_t pid, reserved;
            struct ae_trace_vnode v;
        } p;
        _Static_assert(sizeof(p) == 96, "frame payload");
        memset(&p, 0, sizeof(p));
        p.ts_ns = now;
        p.pid = (uint32_t)s[i].pid;
        memcpy(p.v.name, s[i].name, sizeof(p.v.name));
        p.v.state = s[i].state;
        p.v.restarts = s[i].restarts;
        p.v.cpu_ns = s[i].cpu_ns;
        p.v.pages_used = s[i].pages_used;
        p.v.pages_quota = s[i].pages_quota;
        p.v.ipc_sent = s[i].ipc_sent;
        p.v.ipc_received = s[i].ipc_received;
        send('V', &p, sizeof(p));
        if (i < NODES_MAX) {
            memcpy(running[i].name, s[i].name, sizeof(running[i].name));
            running[i].pid = p.pid;
            nrunning = (unsigned)i + 1;
        }
    }
    /* INIT_CAPS reuses the buffer the list is in: the names were copied.
     * Entry 0 is init itself, which INIT_CAPS does not list. */
    for (unsigned i = 1; i < nrunning; i++)
        if (running[i].pid)
            send_caps(i, running[i].name, running[i].pid, now);
}

void pump_main(void *arg)
{
    uint64_t next_snapshot = 0;

    com2_init();
    hello();
    /* Start at what is there now: older records are history, not news. */
    for (unsigned c = 0; c < scope_nrings; c++)
        cursor[c] = ae_trace_head(ae_trace_hdr(scope_rings, c));
    for (;;) {
        uint64_t now = (uint64_t)ae_clock_get();
        for (unsigned c = 0; c < scope_nrings; c++)
            drain(c);
        if (now >= next_snapshot) {
            snapshot();
            next_snapshot = now + SNAPSHOT_PERIOD_NS;
        }
        ae_sleep_until(now + PUMP_PERIOD_NS);
    }
}

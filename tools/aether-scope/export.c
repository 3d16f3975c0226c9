/*
 * Trace-event export. The whole stream is decoded first (records, and the
 * model for V-Node names), records are sorted by timestamp (CPUs' rings
 * reach the stream interleaved), then written as:
 *   - one process per V-Node pid (process_name = the V-Node's name), with
 *     a thread track per guest thread ("running" slices from SWITCH
 *     records and IPC hand-offs) and one "ipc & events" track for its
 *     messages and instants;
 *   - process 0 "CPUs", one thread track per CPU: which V-Node thread ran
 *     when, and IRQs;
 *   - IPC as a short slice on the sender's and the receiver's ipc track at
 *     the message's time (its record is both ends of it), joined by a flow
 *     (s on the sender, f with bp "e" on the receiver).
 * Export thread ids are numbered here, so guest tids that repeat across
 * processes cannot merge tracks. Timestamps are microseconds with three
 * decimals (the format's unit), i.e. nanosecond precision.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <aether/ipc.h>

#include "buf.h"
#include "decode.h"
#include "export.h"
#include "model.h"
#include "state_json.h"

#define IPC_SLICE_NS 1000u      /* the longest an ipc slice is drawn */
#define FLUSH_AT (1u << 20)

enum track_kind { TK_THREAD, TK_IPC, TK_CPU };

struct track {
    enum track_kind kind;
    uint32_t pid, gtid;         /* guest pid and tid (TK_CPU: gtid is the cpu) */
    uint32_t etid;              /* export tid */
};

struct xrec {
    struct ae_trace_rec r;
    uint64_t order;             /* stream position: ties keep stream order */
};

struct ipc_slice {
    uint32_t etid, pid;
    uint64_t ts, dur;
    uint64_t flow;
    int start;                  /* 1: sender side */
    const struct ae_trace_rec *msg;     /* the SEND/CALL/REPLY record */
};

struct exporter {
    struct sm_model *model;
    struct xrec *recs;
    size_t nrecs, caprecs;
    struct sd_vnode *snaps;
    size_t nsnaps, capsnaps;
    struct track *tracks;
    size_t ntracks, captracks;
    struct ipc_slice *slices;
    size_t nslices, capslices;
    uint32_t *pids;             /* every V-Node pid seen */
    size_t npids, cappids;
    int oom;
    struct sb out;
    FILE *f;
    const char *sep;
};

/* Grows *arr (of elem bytes) to hold one more; 0 on failure. */
static int grow(void *arr, size_t *cap, size_t n, size_t elem, int *oom)
{
    void **a = arr, *p;
    size_t c;

    if (n < *cap)
        return 1;
    c = *cap ? *cap * 2 : 64;
    p = realloc(*a, c * elem);
    if (!p) {
        *oom = 1;
        return 0;
    }
    *a = p;
    *cap = c;
    return 1;
}

static void note_pid(struct exporter *x, uint32_t pid)
{
    if (pid == 0)
        return;
    for (size_t i = 0; i < x->npids; i++)
        if (x->pids[i] == pid)
            return;
    if (grow(&x->pids, &x->cappids, x->npids, sizeof(*x->pids), &x->oom))
        x->pids[x->npids++] = pid;
}

static void collect(void *ctx, const struct sd_event *ev)
{
    struct exporter *x = ctx;

    sm_apply(x->model, ev);
    if (ev->kind == SD_RECORD) {
        if (!grow(&x->recs, &x->caprecs, x->nrecs, sizeof(*x->recs), &x->oom))
            return;
        x->recs[x->nrecs].r = ev->u.rec;
        x->recs[x->nrecs].order = x->nrecs;
        x->nrecs++;
        note_pid(x, ev->u.rec.pid);
        if (ev->u.rec.type != AE_TRACE_LOST && ev->u.rec.type != AE_TRACE_IRQ)
            note_pid(x, ev->u.rec.peer);
        if (ev->u.rec.type == AE_TRACE_PROC_RESTART && ev->u.rec.arg[0] <= UINT32_MAX)
            note_pid(x, (uint32_t)ev->u.rec.arg[0]);
    } else if (ev->kind == SD_VNODE) {
        if (!grow(&x->snaps, &x->capsnaps, x->nsnaps, sizeof(*x->snaps), &x->oom))
            return;
        x->snaps[x->nsnaps++] = ev->u.vnode;
        note_pid(x, ev->u.vnode.pid);
    }
}

static int by_time(const void *a, const void *b)
{
    const struct xrec *p = a, *q = b;

    if (p->r.ts_ns != q->r.ts_ns)
        return p->r.ts_ns < q->r.ts_ns ? -1 : 1;
    return p->order < q->order ? -1 : p->order > q->order;
}

static uint32_t track(struct exporter *x, enum track_kind kind, uint32_t pid, uint32_t gtid)
{
    for (size_t i = 0; i < x->ntracks; i++)
        if (x->tracks[i].kind == kind && x->tracks[i].pid == pid && x->tracks[i].gtid == gtid)
            return x->tracks[i].etid;
    if (!grow(&x->tracks, &x->captracks, x->ntracks, sizeof(*x->tracks), &x->oom))
        return 0;
    x->tracks[x->ntracks] = (struct track){kind, pid, gtid, (uint32_t)x->ntracks + 1};
    return x->tracks[x->ntracks++].etid;
}

static const char *pid_name(struct exporter *x, uint32_t pid, char *tmp, size_t n)
{
    int node = sm_node_of_pid(x->model, pid);

    if (node >= 0)
        return x->model->nodes[node].name;
    snprintf(tmp, n, pid ? "pid %" PRIu32 : "kernel", pid);
    return tmp;
}

/* ---- output --------------------------------------------------------- */

static void flush(struct exporter *x, int force)
{
    if (x->out.len && (force || x->out.len >= FLUSH_AT)) {
        if (fwrite(x->out.p, 1, x->out.len, x->f) != x->out.len)
            x->oom = 1;
        sb_reset(&x->out);
    }
}

static void ts_us(struct sb *b, uint64_t ns)
{
    sb_printf(b, "%" PRIu64 ".%03u", ns / 1000, (unsigned)(ns % 1000));
}

/* Opens an event: {"ph":..,"ts":..,"pid":..,"tid":.. ; the caller adds
 * the rest and the closing brace. */
static void ev_open(struct exporter *x, char ph, uint64_t ts, uint32_t pid, uint32_t etid)
{
    flush(x, 0);
    sb_printf(&x->out, "%s\n{\"ph\":\"%c\",\"ts\":", x->sep, ph);
    ts_us(&x->out, ts);
    sb_printf(&x->out, ",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32, pid, etid);
    x->sep = ",";
}

static void ev_name(struct exporter *x, const char *cat, const char *name)
{
    sb_puts(&x->out, ",\"cat\":");
    jw_str(&x->out, cat);
    sb_puts(&x->out, ",\"name\":");
    jw_str(&x->out, name);
}

static void metadata(struct exporter *x, const char *what, uint32_t pid, uint32_t etid,
                     const char *key, const char *sval, int64_t ival)
{
    ev_open(x, 'M', 0, pid, etid);
    sb_puts(&x->out, ",\"name\":");
    jw_str(&x->out, what);
    sb_printf(&x->out, ",\"args\":{\"%s\":", key);
    if (sval)
        jw_str(&x->out, sval);
    else
        sb_printf(&x->out, "%" PRId64, ival);
    sb_puts(&x->out, "}}");
}

static void complete(struct exporter *x, uint32_t pid, uint32_t etid, uint64_t ts, uint64_t dur,
                     const char *cat, const char *name)
{
    ev_open(x, 'X', ts, pid, etid);
    sb_puts(&x->out, ",\"dur\":");
    ts_us(&x->out, dur);
    ev_name(x, cat, name);
}

static void instant(struct exporter *x, const struct ae_trace_rec *r, uint32_t pid, uint32_t etid,
                    const char *name)
{
    ev_open(x, 'i', r->ts_ns, pid, etid);
    ev_name(x, "event", name);
    sb_puts(&x->out, ",\"s\":\"t\"");
}

/* ---- the parts ------------------------------------------------------ */

static void write_switches(struct exporter *x)
{
    struct { uint32_t pid, tid; uint64_t since; int valid; } cpu[AE_TRACE_MAX_CPUS];
    uint64_t last = x->nrecs ? x->recs[x->nrecs - 1].r.ts_ns : 0;
    char tmp[32];

    memset(cpu, 0, sizeof(cpu));
    for (size_t i = 0; i <= x->nrecs; i++) {
        struct ae_trace_rec sw;
        const struct ae_trace_rec *r = NULL;

        if (i < x->nrecs) {
            if (!sd_switch_of(&x->recs[i].r, &sw))
                continue;
            r = &sw;
        }
        for (unsigned c = 0; c < AE_TRACE_MAX_CPUS; c++) {
            /* A switch on c (or the trace's end) closes what ran on c. */
            uint64_t end;

            if (r && r->cpu != c)
                continue;
            end = r ? r->ts_ns : last;
            if (cpu[c].valid && cpu[c].pid != 0 && end >= cpu[c].since) {
                char name[48];

                complete(x, cpu[c].pid, track(x, TK_THREAD, cpu[c].pid, cpu[c].tid),
                         cpu[c].since, end - cpu[c].since, "sched", "running");
                sb_printf(&x->out, ",\"args\":{\"cpu\":%u}}", c);
                snprintf(name, sizeof(name), "%s", pid_name(x, cpu[c].pid, tmp, sizeof(tmp)));
                complete(x, 0, track(x, TK_CPU, 0, c), cpu[c].since, end - cpu[c].since,
                         "sched", name);
                sb_printf(&x->out, ",\"args\":{\"pid\":%" PRIu32 ",\"tid\":%" PRIu32 "}}",
                          cpu[c].pid, cpu[c].tid);
            }
            if (r) {
                cpu[c].pid = r->peer;
                cpu[c].tid = (uint32_t)r->arg[0];
                cpu[c].since = r->ts_ns;
                cpu[c].valid = 1;
            }
        }
    }
}

static void add_slice(struct exporter *x, uint32_t pid, uint64_t ts, uint64_t flow, int start,
                      const struct ae_trace_rec *msg)
{
    if (!grow(&x->slices, &x->capslices, x->nslices, sizeof(*x->slices), &x->oom))
        return;
    x->slices[x->nslices++] = (struct ipc_slice){
        .etid = track(x, TK_IPC, pid, 0), .pid = pid, .ts = ts, .flow = flow, .start = start,
        .msg = msg,
    };
}

/* Every message: a slice on each end, joined by a flow. */
static void make_ipc_slices(struct exporter *x)
{
    uint64_t flow = 0;

    for (size_t i = 0; i < x->nrecs; i++) {
        const struct ae_trace_rec *r = &x->recs[i].r;

        if (r->type >= AE_TRACE_IPC_SEND && r->type <= AE_TRACE_IPC_REPLY && r->pid &&
            r->peer) {
            flow++;
            add_slice(x, r->pid, r->ts_ns, flow, 1, r);
            add_slice(x, r->peer, r->ts_ns, flow, 0, r);
        }
    }
}

static int by_track_time(const void *a, const void *b)
{
    const struct ipc_slice *p = a, *q = b;

    if (p->etid != q->etid)
        return p->etid < q->etid ? -1 : 1;
    if (p->ts != q->ts)
        return p->ts < q->ts ? -1 : 1;
    return p->flow < q->flow ? -1 : p->flow > q->flow;
}

static void write_ipc(struct exporter *x)
{
    static const char *const kinds[] = {"send", "call", "reply"};
    char t1[32], t2[32];

    if (x->nslices)
        qsort(x->slices, x->nslices, sizeof(*x->slices), by_track_time);
    for (size_t i = 0; i < x->nslices; i++) {
        struct ipc_slice *s = &x->slices[i];
        const struct ae_trace_rec *m = s->msg;
        const char *kind = kinds[m->type - AE_TRACE_IPC_SEND];
        const char *src = pid_name(x, m->pid, t1, sizeof(t1));
        const char *dst = pid_name(x, m->peer, t2, sizeof(t2));
        char name[80];

        /* Slices on one track must not overlap, or the viewer nests them
         * and a flow could bind to the wrong one. */
        s->dur = IPC_SLICE_NS;
        if (i + 1 < x->nslices && x->slices[i + 1].etid == s->etid &&
            x->slices[i + 1].ts - s->ts < s->dur)
            s->dur = x->slices[i + 1].ts - s->ts;
        if (s->start)
            snprintf(name, sizeof(name), "%s -> %s", kind, dst);
        else
            snprintf(name, sizeof(name), "%s <- %s", kind, src);
        complete(x, s->pid, s->etid, s->ts, s->dur, "ipc", name);
        sb_puts(&x->out, ",\"args\":{\"src\":");
        jw_str(&x->out, src);
        sb_puts(&x->out, ",\"dst\":");
        jw_str(&x->out, dst);
        sb_printf(&x->out, ",\"kind\":\"%s\",\"label\":%" PRIu32 ",\"badge\":%" PRIu64
                  ",\"words\":%u,\"handles\":%u,\"waited_ns\":%" PRIu64 ",\"waiter\":\"%s\""
                  ",\"handoff\":%s,\"flow\":%" PRIu64 "}}", kind, AE_MSG_LABEL(m->arg[1]),
                  m->arg[0], AE_MSG_WORDS, AE_MSG_NHANDLES(m->arg[1]), m->arg[2],
                  m->arg[3] & AE_TRACE_IPC_SENDER_WAITED ? "sender" : "receiver",
                  m->arg[3] & AE_TRACE_IPC_HANDOFF ? "true" : "false", s->flow);
        /* The flow's ends sit inside their slices, not on an edge, so
         * "enclosing slice" binding cannot pick a neighbour. */
        ev_open(x, s->start ? 's' : 'f', s->ts + s->dur / 2, s->pid, s->etid);
        ev_name(x, "ipc", "ipc");
        sb_printf(&x->out, ",\"id\":%" PRIu64, s->flow);
        if (!s->start)
            sb_puts(&x->out, ",\"bp\":\"e\"");
        sb_puts(&x->out, ",\"args\":{\"src\":");
        jw_str(&x->out, src);
        sb_puts(&x->out, ",\"dst\":");
        jw_str(&x->out, dst);
        sb_printf(&x->out, ",\"kind\":\"%s\"}}", kind);
    }
}

static void write_instants(struct exporter *x)
{
    for (size_t i = 0; i < x->nrecs; i++) {
        const struct ae_trace_rec *r = &x->recs[i].r;
        struct sm_event e;
        struct sb text = {0};
        uint32_t pid = r->pid;
        uint32_t etid;

        switch (r->type) {
        case AE_TRACE_PAGE_FAULT:
            if (!(r->arg[3] & 1))
                continue;
            break;
        case AE_TRACE_QUOTA_DENY:
        case AE_TRACE_PROC_SPAWN:
        case AE_TRACE_PROC_EXIT:
        case AE_TRACE_PROC_FAULT:
        case AE_TRACE_PROC_RESTART:
            break;
        case AE_TRACE_IRQ:
        case AE_TRACE_LOST:
            pid = 0;
            break;
        default:
            continue;
        }
        etid = pid ? track(x, TK_IPC, pid, 0) : track(x, TK_CPU, 0, r->cpu);
        instant(x, r, pid, etid, sj_type_name(r->type));
        memset(&e, 0, sizeof(e));
        e.ts = r->ts_ns;
        e.type = r->type;
        e.cpu = r->cpu;
        e.pid = r->pid;
        e.tid = r->tid;
        e.peer = r->peer;
        e.node = sm_node_of_pid(x->model, r->pid);
        e.peer_node = sm_node_of_pid(x->model, r->peer);
        memcpy(e.arg, r->arg, sizeof(e.arg));
        if (r->type == AE_TRACE_IRQ)
            sb_printf(&text, "vector %" PRIu64, r->arg[0]);
        else
            sj_event_text(&text, x->model, &e);
        sb_puts(&x->out, ",\"args\":{\"text\":");
        jw_str(&x->out, text.p ? text.p : "");
        sb_puts(&x->out, "}}");
        sb_free(&text);
    }
}

static void write_counters(struct exporter *x)
{
    for (size_t i = 0; i < x->nsnaps; i++) {
        const struct sd_vnode *v = &x->snaps[i];

        if (!v->pid)
            continue;
        ev_open(x, 'C', v->ts_ns, v->pid, track(x, TK_IPC, v->pid, 0));
        ev_name(x, "vnode", "memory (pages)");
        sb_printf(&x->out, ",\"args\":{\"used\":%" PRIu64 ",\"quota\":%" PRIu64 "}}",
                  v->v.pages_used, v->v.pages_quota);
    }
}

static void write_metadata(struct exporter *x)
{
    char tmp[32], name[48];

    metadata(x, "process_name", 0, 0, "name", "CPUs", 0);
    metadata(x, "process_sort_index", 0, 0, "sort_index", NULL, -1);
    for (size_t i = 0; i < x->npids; i++) {
        metadata(x, "process_name", x->pids[i], 0, "name",
                 pid_name(x, x->pids[i], tmp, sizeof(tmp)), 0);
        metadata(x, "process_sort_index", x->pids[i], 0, "sort_index", NULL, x->pids[i]);
    }
    for (size_t i = 0; i < x->ntracks; i++) {
        const struct track *t = &x->tracks[i];

        if (t->kind == TK_CPU)
            snprintf(name, sizeof(name), "CPU %" PRIu32, t->gtid);
        else if (t->kind == TK_IPC)
            snprintf(name, sizeof(name), "ipc & events");
        else
            snprintf(name, sizeof(name), "tid %" PRIu32, t->gtid);
        metadata(x, "thread_name", t->pid, t->etid, "name", name, 0);
        metadata(x, "thread_sort_index", t->pid, t->etid, "sort_index", NULL,
                 t->kind == TK_IPC ? -1 : (int64_t)t->gtid);
    }
}

int scope_export(FILE *in, FILE *out, const char *out_name)
{
    static char buf[65536];
    struct exporter x;
    struct sd_decoder dec;
    size_t n;
    int rc = 0;

    memset(&x, 0, sizeof(x));
    x.model = calloc(1, sizeof(*x.model));
    if (!x.model) {
        fprintf(stderr, "aether-scope: out of memory\n");
        return 1;
    }
    x.out.limit = 64u << 20;
    x.f = out;
    x.sep = "";
    sm_init(x.model);
    sd_init(&dec, collect, &x);
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        sd_feed(&dec, buf, n);
    if (ferror(in)) {
        fprintf(stderr, "aether-scope: export: read error\n");
        rc = 1;
        goto done;
    }
    if (x.nrecs)                /* qsort wants a real array even for none */
        qsort(x.recs, x.nrecs, sizeof(*x.recs), by_time);

    sb_puts(&x.out, "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"aether-scope export\"");
    sb_printf(&x.out, ",\"stream_bytes\":%" PRIu64 ",\"frames\":%" PRIu64 ",\"bad_frames\":%"
              PRIu64 ",\"garbage_bytes\":%" PRIu64 ",\"records\":%zu,\"snapshots\":%zu,"
              "\"lost_records\":%" PRIu64 "},\n\"traceEvents\":[",
              dec.stats.bytes, dec.stats.frames, dec.stats.bad_frames, dec.stats.garbage,
              x.nrecs, x.nsnaps, x.model->stats.lost);
    write_switches(&x);
    make_ipc_slices(&x);
    write_ipc(&x);
    write_instants(&x);
    write_counters(&x);
    write_metadata(&x);     /* last: by now every track has been made */
    sb_puts(&x.out, "\n]}\n");
    if (x.out.failed || x.oom) {
        fprintf(stderr, "aether-scope: export: out of memory\n");
        rc = 1;
        goto done;
    }
    flush(&x, 1);
    if (x.oom || fflush(out) != 0) {
        fprintf(stderr, "aether-scope: export: cannot write %s\n", out_name);
        rc = 1;
        goto done;
    }
    fprintf(stderr, "aether-scope: %s: %zu records, %zu snapshots, %zu flows, %" PRIu64
            " bad frames, %" PRIu64 " garbage bytes\n", out_name, x.nrecs, x.nsnaps,
            x.nslices / 2, dec.stats.bad_frames, dec.stats.garbage);
done:
    free(x.recs);
    free(x.snaps);
    free(x.tracks);
    free(x.slices);
    free(x.pids);
    free(x.model);
    sb_free(&x.out);
    return rc;
}

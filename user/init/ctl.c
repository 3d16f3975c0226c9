/*
 * The "init" service (include/aether/proto/init.h): list, start, stop,
 * restart and kill V-Nodes, show their handles, memory, power. Only
 * V-Nodes whose manifest needs "init" get here (main.c checks).
 */
#include "init.h"
#include "acpi_power.h"
#include "clientbuf.h"
#include "aether/proto/init.h"
#include "common/fmt.h"
#include "common/string.h"

#define CTL_BUF_VA 0x0000680000000000ull    /* callers' buffers (clientbuf.h) */
#define KILLED_BY_COMMAND (-1000)           /* exit status of kill/stop/restart */

static struct ae_clients callers = {.base_va = CTL_BUF_VA};

/* The caller's transfer buffer, or NULL before its SETBUF (or when every
 * slot is taken). */
static struct ae_client *buf_of(const struct vnode *caller)
{
    struct ae_client *c = ae_client_of(&callers, caller->id);
    return c && c->buf ? c : NULL;
}

static int64_t setbuf(struct vnode *caller, struct ae_msg *m)
{
    return ae_client_setbuf(&callers, caller->id, m);
}

static enum ae_vnode_state abi_state(enum vnode_state s)
{
    switch (s) {
    case VN_REFUSED: return AE_VNODE_REFUSED;
    case VN_STOPPED: return AE_VNODE_STOPPED;
    case VN_RUNNING: return AE_VNODE_RUNNING;
    case VN_RESTARTING: return AE_VNODE_RESTARTING;
    case VN_EXITED: return AE_VNODE_EXITED;
    default: return AE_VNODE_FAILED;
    }
}

/* init itself comes first: it is not in the table, but it runs too. */
static void list_init(struct ae_vnode_status *s)
{
    struct ae_process_info pi;

    memset(s, 0, sizeof(*s));
    memcpy(s->name, "init", 5);
    s->state = AE_VNODE_RUNNING;
    s->generation = 1;
    if (ae_process_info(g.bi->self, &pi) == AE_OK) {
        s->pid = pi.pid;
        s->pages_used = pi.used.pages;          /* what it gave V-Nodes is theirs */
        s->pages_quota = pi.limit.pages;
        s->cpu_ns = pi.cpu_ns;
        s->threads = pi.nthreads;
        s->handles = (uint32_t)pi.used.handles;
        s->ipc_sent = pi.ipc_sent;
        s->ipc_received = pi.ipc_received;
    }
}

static int64_t list(struct vnode *caller, struct ae_msg *m)
{
    struct ae_client *b = buf_of(caller);
    struct ae_vnode_status *out = b ? (void *)b->buf : NULL;
    uint64_t max = b ? b->size / sizeof(*out) : 0, n = 1;

    if (!out)
        return AE_ERR_INVAL;
    list_init(&out[0]);
    for (unsigned i = 0; i < g.nvnodes && n < max; i++, n++) {
        const struct vnode *vn = &g.vnodes[i];
        struct ae_vnode_status *s = &out[n];
        struct ae_process_info pi;
        memset(s, 0, sizeof(*s));
        memcpy(s->name, vn->m.name, strlen(vn->m.name) + 1);
        s->id = vn->id;
        s->state = abi_state(vn->state);
        s->restarts = vn->pst.restarts;
        s->generation = vn->generation;
        s->pages_quota = vn->m.memory_pages;
        ae_snprintf(s->reason, sizeof(s->reason), "%s", vn->reason);
        if (vn->proc && ae_process_info(vn->proc, &pi) == AE_OK && pi.state == 0) {
            s->pid = pi.pid;
            s->pages_used = pi.used.pages + pi.carved.pages;
            s->cpu_ns = pi.cpu_ns;
            s->threads = pi.nthreads;
            s->handles = (uint32_t)pi.used.handles;
            s->ipc_sent = pi.ipc_sent;
            s->ipc_received = pi.ipc_received;
        }
    }
    m->w[0] = n;
    return AE_OK;
}

static struct vnode *named(const struct ae_msg *m)
{
    char name[AE_VNODE_NAME_MAX];

    memcpy(name, m->w, sizeof(name) - 1);
    name[sizeof(name) - 1] = 0;
    return vnode_by_name(name);
}

static int64_t caps(struct vnode *caller, struct vnode *vn, struct ae_msg *m)
{
    struct ae_client *b = buf_of(caller);
    struct ae_handle_entry *out = b ? (void *)b->buf : NULL;
    uint64_t max = b ? b->size / sizeof(*out) : 0;
    int64_t n;

    if (!out)
        return AE_ERR_INVAL;
    if (!vn->proc)
        return AE_ERR_PEER_CLOSED;
    n = ae_process_handles(vn->proc, out, max);
    if (n < 0)
        return n;
    m->w[0] = (uint64_t)n < max ? (uint64_t)n : max;
    m->w[1] = (uint64_t)n;
    return AE_OK;
}

/* start, stop, restart, kill */
static int64_t control(struct vnode *vn, uint32_t op, int64_t status)
{
    if (vn->state == VN_REFUSED)
        return AE_ERR_ACCESS;
    switch (op) {
    case AE_INIT_START:
        if (vn->state == VN_RUNNING)
            return AE_ERR_BUSY;
        vn->want_up = true;
        vn->pst.in_a_row = 0;           /* a person asked: a fresh start */
        if (!vn->super_started) {
            /* Never ran: start it here; its supervisor then waits on it. */
            int err = vnode_start(vn);
            if (err)
                return err;
            super_spawn(vn);
            return AE_OK;
        }
        /* Its supervisor starts it when woken: until then it is on its way
         * up, so a lookup waits for it (AGAIN) rather than giving up. */
        vn->state = VN_RESTARTING;
        ae_notify_signal(vn->wake, 1);
        return AE_OK;
    case AE_INIT_STOP:
        vn->want_up = false;
        if (vn->proc)
            ae_process_kill(vn->proc, KILLED_BY_COMMAND);
        else if (vn->state == VN_RESTARTING)
            vn->state = VN_STOPPED;
        return AE_OK;
    case AE_INIT_RESTART:
        vn->want_up = true;
        vn->restart_now = true;
        if (vn->proc)
            ae_process_kill(vn->proc, KILLED_BY_COMMAND);
        else
            return control(vn, AE_INIT_START, 0);
        return AE_OK;
    default:                            /* AE_INIT_KILL */
        if (!vn->proc)
            return AE_ERR_PEER_CLOSED;
        ae_process_kill(vn->proc, status ? status : KILLED_BY_COMMAND);
        return AE_OK;
    }
}

/* The newest whole lines of the log that fit the caller's buffer. The ring
 * is read from where it starts each time (64 KiB at most), keeping the
 * last buffer-full. */
static int64_t log_tail(struct vnode *caller, struct ae_msg *m)
{
    struct ae_client *b = buf_of(caller);
    char *out = b ? (char *)b->buf : NULL, chunk[2048];
    uint64_t size = b ? b->size : 0, n = 0, cursor = 0, skip = 0;
    int64_t got;

    if (!out)
        return AE_ERR_INVAL;
    while ((got = ae_log_read(g.bi->log, &cursor, chunk, sizeof(chunk))) > 0) {
        if (n + (uint64_t)got > size) {             /* drop the oldest */
            uint64_t drop = n + (uint64_t)got - size;
            memmove(out, out + drop, n - drop);
            n -= drop;
        }
        memcpy(out + n, chunk, (size_t)got);
        n += (uint64_t)got;
    }
    if (got < 0)
        return got;
    while (skip < n && n == size && out[skip] != '\n')   /* a cut first line */
        skip++;
    if (skip) {
        skip += skip < n;
        memmove(out, out + skip, n - skip);
        n -= skip;
    }
    m->w[0] = n;
    return AE_OK;
}

static void bundle_status(const struct vnode *vn, struct ae_bundle_status *s)
{
    const struct vnode_bundle *b = &vn->bundle;

    memset(s, 0, sizeof(*s));
    memcpy(s->name, vn->m.name, strlen(vn->m.name) + 1);
    s->version = b->version;
    memcpy(s->root, b->root, sizeof(s->root));
    s->payload_size = b->payload_size;
    s->signers = b->signers;
    s->nsigners = b->nsigners;
    s->status = b->status;
    s->nfiles = b->nfiles;
    s->blocks_checked = b->blocks_checked;
    s->verify_cycles = b->verify_cycles;
    if (b->stage)
        ae_snprintf(s->stage, sizeof(s->stage), "%s", b->stage);
}

static int64_t bundles(struct vnode *caller, struct ae_msg *m)
{
    struct ae_client *b = buf_of(caller);
    struct ae_bundle_status *out = b ? (void *)b->buf : NULL;
    uint64_t max = b ? b->size / sizeof(*out) : 0, n = 0;

    if (!out)
        return AE_ERR_INVAL;
    for (unsigned i = 0; i < g.nvnodes && n < max; i++, n++)
        bundle_status(&g.vnodes[i], &out[n]);
    m->w[0] = n;
    return AE_OK;
}

static int64_t verify(struct vnode *caller, struct vnode *vn)
{
    struct ae_client *b = buf_of(caller);
    int r;

    if (!b)
        return AE_ERR_INVAL;
    r = trust_reverify(vn);
    bundle_status(vn, (struct ae_bundle_status *)b->buf);
    ((struct ae_bundle_status *)b->buf)->status = r;
    ae_printf("init: %s asked to verify %s: %s", caller->m.name, vn->m.name,
              r ? ae_strerror(r) : "good");
    return r;
}

static int64_t trust(struct vnode *caller)
{
    struct ae_client *b = buf_of(caller);
    struct ae_trust_status *t = b ? (void *)b->buf : NULL;

    if (!t)
        return AE_ERR_INVAL;
    memset(t, 0, sizeof(*t));
    t->version = g.trust.version;
    t->threshold = g.trust.threshold;
    t->nkeys = g.trust.nkeys;
    t->rotations = g.trust_rotations;
    memcpy(t->keys, g.trust.keys, sizeof(t->keys));
    return AE_OK;
}

static int64_t mem(struct ae_msg *m)
{
    struct ae_process_info me;
    int64_t r = ae_process_info(g.bi->self, &me);

    if (r)
        return r;
    m->w[0] = me.limit.pages;
    m->w[1] = me.limit.pages - me.used.pages - me.carved.pages;
    m->w[2] = me.carved.pages;
    return AE_OK;
}

void ctl_serve(struct vnode *caller, struct ae_msg *m)
{
    uint32_t op = AE_MSG_LABEL(m->info);
    struct vnode *vn = NULL;
    int64_t st;

    if (((op >= AE_INIT_START && op <= AE_INIT_CAPS) || op == AE_INIT_VERIFY) &&
        !(vn = named(m))) {
        m->info = AE_MSG_INFO((uint32_t)AE_ERR_NOTFOUND, 0);
        return;
    }
    switch (op) {
    case AE_INIT_SETBUF: st = setbuf(caller, m); break;
    case AE_INIT_LIST: st = list(caller, m); break;
    case AE_INIT_CAPS: st = caps(caller, vn, m); break;
    case AE_INIT_MEM: st = mem(m); break;
    case AE_INIT_LOG: st = log_tail(caller, m); break;
    case AE_INIT_BUNDLES: st = bundles(caller, m); break;
    case AE_INIT_VERIFY: st = verify(caller, vn); break;
    case AE_INIT_TRUST: st = trust(caller); break;
    case AE_INIT_START:
    case AE_INIT_STOP:
    case AE_INIT_RESTART:
    case AE_INIT_KILL:
        st = control(vn, op, (int64_t)m->w[3]);
        if (!st)
            ae_printf("init: %s asked to %s %s", caller->m.name,
                      op == AE_INIT_START ? "start" : op == AE_INIT_STOP ? "stop"
                      : op == AE_INIT_RESTART ? "restart" : "kill", vn->m.name);
        break;
    case AE_INIT_POWEROFF:
        ae_printf("init: power off, asked by %s", caller->m.name);
        st = ae_acpi_poweroff(&g.bi->acpi, g.bi->ioports);
        break;
    case AE_INIT_REBOOT:
        ae_printf("init: reboot, asked by %s", caller->m.name);
        st = ae_acpi_reboot(&g.bi->acpi, g.bi->ioports);
        break;
    default:
        st = AE_ERR_UNSUPPORTED;
        break;
    }
    m->info = AE_MSG_INFO((uint32_t)st, 0);
}

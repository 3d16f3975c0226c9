/*
 * init: the first user program. It reads the V-Nodes from the initrd,
 * admits and starts them in dependency order, serves the name service and
 * the "init" control service, and supervises every V-Node (restarting it
 * as its manifest says). docs/USERSPACE.md describes all of it.
 */
#include "init.h"
#include "admit.h"
#include "selfcheck.h"
#include "acpi_power.h"
#include "aether/proto/init.h"
#include "aether/proto/ns.h"
#include "common/string.h"

struct init_state g;
static unsigned kept;

void keep_request_handle(unsigned i)
{
    kept |= 1u << i;
}

struct vnode *vnode_by_id(uint32_t id)
{
    return id >= 1 && id <= g.nvnodes ? &g.vnodes[id - 1] : NULL;
}

struct vnode *vnode_by_name(const char *name)
{
    for (unsigned i = 0; i < g.nvnodes; i++)
        if (!strcmp(g.vnodes[i].m.name, name))
            return &g.vnodes[i];
    return NULL;
}

static bool has_word(const char *s, const char *w)
{
    size_t n = strlen(w);

    for (const char *p = s; *p; p++)
        if ((p == s || p[-1] == ' ') && !strncmp(p, w, n) &&
            (p[n] == 0 || p[n] == ' ' || p[n] == '='))
            return true;
    return false;
}

/* What init keeps of its CPU share for itself (per-mille of one CPU). */
#define INIT_CPU_KEEP 100

/* Every admitted V-Node's CPU share, fitted so that all of them can run at
 * once on this machine (admit_fit_cpu); the manifests are sized for two
 * CPUs, and on one the later ones would be refused. */
static void fit_cpu_shares(const unsigned *order, unsigned norder)
{
    uint32_t cpu[MAX_VNODES];
    struct ae_process_info me;
    uint64_t avail, sum = 0;
    unsigned f;

    if (ae_process_info(g.bi->self, &me) != AE_OK)
        return;
    avail = me.limit.cpu_permille - me.used.cpu_permille - me.carved.cpu_permille;
    avail = avail > INIT_CPU_KEEP ? avail - INIT_CPU_KEEP : 0;
    for (unsigned k = 0; k < norder; k++) {
        cpu[k] = g.vnodes[order[k]].m.cpu_permille;
        sum += cpu[k];
    }
    f = admit_fit_cpu(cpu, norder, avail);
    if (f == 1000)
        return;
    for (unsigned k = 0; k < norder; k++)
        g.vnodes[order[k]].m.cpu_permille = cpu[k];
    ae_printf("init: the V-Nodes ask %lu%% of a CPU and %lu%% is there to give: each one's "
              "CPU share is scaled to %u.%u%% of its manifest's",
              (unsigned long)(sum / 10), (unsigned long)(avail / 10), f / 10, f % 10);
}

static void admit_boot_set(void)
{
    static const char *prov[MAX_VNODES][MANIFEST_SERVICES_MAX];
    static const char *need[MAX_VNODES][MANIFEST_SERVICES_MAX];
    static char reasons[MAX_VNODES][ADMIT_REASON_MAX];
    struct admit_node nodes[MAX_VNODES];
    unsigned order[MAX_VNODES], norder;
    int refused[MAX_VNODES];

    for (unsigned i = 0; i < g.nvnodes; i++) {
        struct vnode *vn = &g.vnodes[i];
        for (unsigned k = 0; k < vn->m.nprovides; k++)
            prov[i][k] = vn->m.provides[k];
        for (unsigned k = 0; k < vn->m.nneeds; k++)
            need[i][k] = vn->m.needs[k];
        nodes[i] = (struct admit_node){vn->m.name, prov[i], vn->m.nprovides, need[i],
                                       vn->m.nneeds, vn->state == VN_REFUSED};
    }
    admit_order(nodes, g.nvnodes, ns_builtin_names, order, &norder, refused, reasons);
    for (unsigned i = 0; i < g.nvnodes; i++) {
        struct vnode *vn = &g.vnodes[i];
        if (refused[i] && vn->state != VN_REFUSED) {
            vn->state = VN_REFUSED;
            memcpy(vn->reason, reasons[i], sizeof(reasons[i]));
            ae_printf("init: refused %s: %s", vn->m.name, vn->reason);
        }
    }
    fit_cpu_shares(order, norder);
    for (unsigned k = 0; k < norder; k++) {
        struct vnode *vn = &g.vnodes[order[k]];
        if (!vn->m.boot)
            continue;                   /* admitted; waits for `start` */
        vn->want_up = true;
        if (vnode_start(vn) != AE_OK) {
            /* Its quota does not fit (or it cannot load): refused, the
             * rest of the system still comes up. */
            vn->want_up = false;
            vn->state = VN_REFUSED;
            ae_printf("init: refused %s: %s", vn->m.name, vn->reason);
            continue;
        }
        super_spawn(vn);
    }
}

static bool needs(const struct vnode *vn, const char *svc)
{
    for (unsigned k = 0; k < vn->m.nneeds; k++)
        if (!strcmp(vn->m.needs[k], svc))
            return true;
    return false;
}

/* One request on the main endpoint; m becomes the reply (if any). */
static void dispatch(struct ae_msg *m)
{
    uint32_t label = AE_MSG_LABEL(m->info);
    struct vnode *vn = vnode_by_id(BADGE_ID(m->badge));

    if (label == AE_MSG_FAULT && (m->badge & BADGE_FAULT) && vn) {
        super_on_fault(vn, m->w);       /* a kernel report: no one to answer */
        return;
    }
    if ((m->badge & BADGE_SUPER) && vn) {
        super_serve(vn, m);
        return;
    }
    if (m->badge == BADGE_TICK) {
        watchdog_tick();
        m->info = AE_MSG_INFO(AE_OK, 0);
        return;
    }
    if (!vn || (m->badge >> 32)) {
        m->info = AE_MSG_INFO((uint32_t)AE_ERR_ACCESS, 0);
        return;
    }
    if (label == AE_NS_REGISTER || label == AE_NS_LOOKUP) {
        ns_serve(vn, m);
    } else if (label == AE_INIT_PCI_GRANT) {
        m->info = AE_MSG_INFO((uint32_t)pcigrant_serve(vn, m), 0);
    } else if (!needs(vn, "init")) {
        ae_printf("init: %s used the init service without needing it", vn->m.name);
        m->info = AE_MSG_INFO((uint32_t)AE_ERR_ACCESS, 0);
    } else {
        ctl_serve(vn, m);
    }
}

/* Handles a request brought that its operation did not keep. */
static void close_unused(const struct ae_msg *req)
{
    for (unsigned i = 0; i < AE_MSG_NHANDLES(req->info) && i < AE_MSG_HANDLES; i++)
        if (req->h[i] && !(kept & (1u << i)))
            ae_handle_close(req->h[i]);
    kept = 0;
}

static void say_ready(bool debug_exit)
{
    unsigned up = 0;

    if (g.ready_said || !ns_boot_set_ready())
        return;
    g.ready_said = true;
    for (unsigned i = 0; i < g.nvnodes; i++)
        up += g.vnodes[i].state == VN_RUNNING;
    ae_printf("init: ready: %u of %u V-Nodes running", up, g.nvnodes);
    /* Test images end here: init's exit status ends QEMU. */
    if (debug_exit)
        ae_process_exit(0);
}

int main(const struct ae_bootinfo *bi)
{
    bool debug_exit;
    struct ae_msg m;
    int64_t r;

    if (bi->magic != AE_BOOTINFO_MAGIC) {
        ae_printf("init: bad boot info");
        return 1;
    }
    ae_printf("init: started on %u CPUs with %lu pages of memory quota", bi->ncpus,
              (unsigned long)bi->quota_pages);
    if (selfcheck(bi) != AE_OK)
        return 2;
    /* debug_exit: a test image; it ends at "ready" unless it is a test of
     * the running system (keep_running), which ends it by poweroff. */
    debug_exit = has_word(bi->cmdline, "debug_exit") && !has_word(bi->cmdline, "keep_running");
    /* Test images acpi-poweroff and acpi-reboot (tests/system/test_boot.py). */
    if (has_word(bi->cmdline, "acpi_poweroff") || has_word(bi->cmdline, "acpi_reboot")) {
        bool off = has_word(bi->cmdline, "acpi_poweroff");
        ae_printf("init: ACPI %s", off ? "poweroff" : "reboot");
        r = off ? ae_acpi_poweroff(&bi->acpi, bi->ioports) : ae_acpi_reboot(&bi->acpi, bi->ioports);
        ae_printf("init: ACPI %s failed: %s", off ? "poweroff" : "reboot", ae_strerror(r));
        return 3;
    }
    g.bi = bi;
    g.ep = bi->fault_ep;
    if (boot_read_initrd() != AE_OK)
        ae_printf("init: no initrd: no V-Nodes to start");
    admit_boot_set();
    watchdog_start();
    say_ready(debug_exit);
    r = ae_ipc_recv(g.ep, &m);
    for (;;) {
        struct ae_msg req;
        if (r) {
            ae_printf("init: receive failed: %s", ae_strerror(r));
            r = ae_ipc_recv(g.ep, &m);
            continue;
        }
        req = m;
        dispatch(&m);
        close_unused(&req);
        say_ready(debug_exit);
        r = ae_ipc_reply_recv(g.ep, &m);
    }
}

/*
 * Starting a V-Node: a process with the manifest's quotas, carved from
 * init's; its binary loaded; and exactly these handles, listed in its info
 * page: a name-service handle badged with its id, a handle to itself, and
 * the hardware ranges its manifest names. Nothing else.
 */
#include "init.h"
#include "aether/trace.h"
#include "elf_load.h"
#include "scratch.h"
#include "common/fmt.h"
#include "common/string.h"

/* Every handle given moves with handle_grant, which needs GRANT on it. */
#define SELF_RIGHTS (AE_RIGHT_READ | AE_RIGHT_MANAGE | AE_RIGHT_WAIT | AE_RIGHT_GRANT)

struct start_ctx {
    struct vnode *vn;
    ae_handle_t proc;
    struct ae_vnode_info *info;
};

/* Moves h (ours) into the child; its value there, or an error. */
static int64_t give(struct start_ctx *c, int64_t h)
{
    int64_t v;

    if (h < 0)
        return h;
    v = ae_handle_grant(c->proc, (ae_handle_t)h);
    if (v < 0)
        ae_handle_close((ae_handle_t)h);
    return v;
}

static int give_hw(struct start_ctx *c, uint32_t kind, ae_handle_t root, uint64_t base,
                   uint64_t count, uint64_t shown_base)
{
    struct ae_vnode_info *info = c->info;
    int64_t v;

    if (info->nhw == AE_VNODE_HW_MAX)
        return AE_ERR_RANGE;
    v = give(c, ae_hw_subrange(root, (uint32_t)base, (uint32_t)count));
    if (v < 0)
        return (int)v;
    info->hw[info->nhw++] = (struct ae_vnode_hw){(ae_handle_t)v, kind, shown_base, count};
    return AE_OK;
}

static int give_handles(struct start_ctx *c)
{
    const struct manifest *m = &c->vn->m;
    const struct ae_bootinfo *bi = g.bi;
    int64_t v;
    int err = AE_OK;

    v = give(c, ae_handle_derive(g.ep, AE_RIGHT_SEND | AE_RIGHT_GRANT, c->vn->id,
                                 AE_DERIVE_SET_BADGE));
    if (v < 0)
        return (int)v;
    c->info->ns = (ae_handle_t)v;
    v = give(c, ae_handle_derive(c->proc, SELF_RIGHTS, 0, 0));
    if (v < 0)
        return (int)v;
    c->info->self = (ae_handle_t)v;
    if (m->trace) {
        /* GRANT only so that it can be moved into the child, as SELF_RIGHTS. */
        v = give(c, ae_handle_derive(bi->trace, AE_RIGHT_READ | AE_RIGHT_MAP | AE_RIGHT_MANAGE |
                                     AE_RIGHT_GRANT, 0, 0));
        if (v < 0)
            return (int)v;
        c->info->trace = (ae_handle_t)v;
    }
    /* IRQ handles count GSIs; the V-Node sees the ISA number it asked for. */
    for (unsigned i = 0; i < m->nirqs && !err; i++)
        err = give_hw(c, AE_VNODE_HW_IRQ, bi->irq, bi->isa_irq_gsi[m->irqs[i]], 1, m->irqs[i]);
    for (unsigned i = 0; i < m->nioports && !err; i++)
        err = give_hw(c, AE_VNODE_HW_IOPORTS, bi->ioports, m->ioports[i].base,
                      m->ioports[i].last - m->ioports[i].base + 1, m->ioports[i].base);
    for (unsigned i = 0; i < m->ndevmem && !err; i++) {
        uint64_t first = m->devmem[i].base / 4096, pages = (m->devmem[i].last + 1) / 4096 - first;
        err = give_hw(c, AE_VNODE_HW_DEVMEM, bi->devmem, first, pages, first);
    }
    /* The configuration space of each ECAM region's buses, from the bus
     * the region starts at: devmem counts pages. */
    for (unsigned i = 0; m->pci_ecam && i < bi->necam && i < AE_PCI_ECAM_MAX && !err; i++) {
        const struct ae_pci_ecam *e = &bi->ecam[i];
        uint64_t first = (e->base + e->bus_first * AE_PCI_ECAM_BUS_BYTES) / 4096;
        uint64_t pages = (e->bus_last - e->bus_first + 1ull) * AE_PCI_ECAM_BUS_BYTES / 4096;

        err = give_hw(c, AE_VNODE_HW_PCI_ECAM, bi->devmem, first, pages, i);
        c->info->ecam[c->info->necam++] = *e;
    }
    return err;
}

static void fill_info(struct start_ctx *c)
{
    struct ae_vnode_info *info = c->info;

    info->magic = AE_VNODE_INFO_MAGIC;
    info->version = AE_VNODE_INFO_VERSION;
    info->id = c->vn->id;
    memcpy(info->name, c->vn->m.name, strlen(c->vn->m.name) + 1);
    info->generation = c->vn->generation + 1;
    info->ncpus = g.bi->ncpus;
    info->pci_device = c->vn->m.pci_device;
    info->tsc_hz = g.bi->tsc_hz;
}

/* The info page, the handles it lists, then the binary, with the info
 * page mapped read-only at AE_BOOTINFO_VA by the loader. */
static int build(struct start_ctx *c, struct ae_elf_loaded *l)
{
    int64_t info_vmo = ae_vmo_create(4096, 0), va;
    struct ae_elf_load_opts opts = {0};
    int err;

    if (info_vmo < 0)
        return (int)info_vmo;
    va = ae_scratch_map((ae_handle_t)info_vmo, 0, 4096);
    err = va < 0 ? (int)va : AE_OK;
    if (!err) {
        c->info = (struct ae_vnode_info *)va;
        memset(c->info, 0, 4096);
        fill_info(c);
        err = give_handles(c);
        ae_scratch_unmap((uint64_t)va, 4096);
    }
    opts.info_vmo = (ae_handle_t)info_vmo;
    opts.info_va = AE_BOOTINFO_VA;
    if (!err)
        err = ae_elf_load(c->proc, c->vn->elf, c->vn->elf_size, &opts, l);
    ae_handle_close((ae_handle_t)info_vmo);
    return err;
}

static int quota_reason(struct vnode *vn, int err)
{
    struct ae_process_info me;

    if (err == AE_ERR_QUOTA && ae_process_info(g.bi->self, &me) == AE_OK) {
        uint64_t left = me.limit.pages - me.used.pages - me.carved.pages;
        unsigned long cpu_left =
            (unsigned long)(me.limit.cpu_permille - me.used.cpu_permille - me.carved.cpu_permille);
        ae_snprintf(vn->reason, sizeof(vn->reason),
                    "quota does not fit: memory %lu KiB, %lu KiB left; threads %u, "
                    "%lu left; handles %u, %lu left; cpu %u.%u%%, %lu.%lu%% left",
                    (unsigned long)vn->m.memory_pages * 4, (unsigned long)left * 4,
                    vn->m.threads,
                    (unsigned long)(me.limit.threads - me.used.threads - me.carved.threads),
                    vn->m.handles,
                    (unsigned long)(me.limit.handles - me.used.handles - me.carved.handles),
                    vn->m.cpu_permille / 10, vn->m.cpu_permille % 10, cpu_left / 10,
                    cpu_left % 10);
    } else {
        ae_snprintf(vn->reason, sizeof(vn->reason), "cannot create its process: %s",
                    ae_strerror(err));
    }
    return err;
}

int vnode_start(struct vnode *vn)
{
    const struct ae_quota_limits lim = {vn->m.memory_pages, vn->m.handles, vn->m.threads,
                                        vn->m.cpu_permille};
    struct start_ctx c = {vn, 0, NULL};
    struct ae_process_info pi;
    struct ae_elf_loaded l = {0};
    int64_t p, t;
    int err;

    p = ae_process_create(g.bi->self, vn->m.name, &lim);
    if (p < 0) {
        quota_reason(vn, (int)p);
        ae_printf("init: cannot start %s: %s", vn->m.name, vn->reason);
        return (int)p;
    }
    c.proc = (ae_handle_t)p;
    err = build(&c, &l);
    if (!err)
        err = (int)ae_process_set_fault(c.proc, g.ep, BADGE_FAULT | vn->id);
    t = err ? err : ae_thread_create(c.proc, l.entry, l.stack, l.arg);
    if (t > 0) {
        ae_thread_set_priority((ae_handle_t)t, vn->m.priority);
        err = (int)ae_thread_start((ae_handle_t)t);
        ae_handle_close((ae_handle_t)t);
    } else {
        err = (int)t;
    }
    if (err) {
        ae_snprintf(vn->reason, sizeof(vn->reason), "cannot start: %s", ae_strerror(err));
        ae_printf("init: %s: %s", vn->m.name, vn->reason);
        ae_process_kill(c.proc, err);
        ae_handle_close(c.proc);
        return err;
    }
    uint64_t old_pid = vn->generation ? vn->pid : 0;
    vn->proc = c.proc;
    vn->pid = ae_process_info(c.proc, &pi) == AE_OK ? pi.pid : 0;
    vn->generation++;
    /* A trace reader learns that the new pid is the same V-Node. */
    if (old_pid && g.bi->trace)
        ae_trace_emit(g.bi->trace, AE_TRACE_PROC_RESTART, old_pid, vn->pid, 0);
    vn->started_ns = (uint64_t)ae_clock_get();
    vn->fault_seen = false;
    vn->watch_at = 0;
    vn->hot_ticks = 0;
    vn->state = VN_RUNNING;
    vn->reason[0] = 0;
    ae_printf("init: started %s (pid %lu, start %u)", vn->m.name, (unsigned long)vn->pid,
              vn->generation);
    return AE_OK;
}

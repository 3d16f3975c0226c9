/*
 * Segments are copied into fresh memory objects (the module stays where
 * GRUB put it, shared as a read-only object), so init's image is ordinary
 * VMO-backed memory like any later process's.
 */
#include "proc/init_loader.h"
#include "acpi/acpi.h"
#include "proc/process.h"
#include "arch/x86_64/clock.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/qemu_exit.h"
#include "acpi/acpi.h"
#include "boot/multiboot2.h"
#include "cap/handles.h"
#include "ipc/endpoint.h"
#include "common/elf64.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "sched/thread.h"
#include "vm/aspace.h"
#include "vm/vmo.h"
#include "hw/hw.h"
#include "trace/trace.h"
#include "aether/bootinfo.h"
#include "aether/errors.h"
#include "aether/rights.h"
#include "log.h"

#define PAGE 4096ull
#define KERNEL_RESERVE_FRAMES 4096      /* 16 MiB for kernel heap and stacks */
#define INIT_HANDLES 65536
#define INIT_THREADS 4096

static int map_segment(struct process *p, const uint8_t *image, const struct elf_segment *s)
{
    uint64_t base = s->vaddr & ~(PAGE - 1);
    uint64_t size = ((s->vaddr + s->memsz + PAGE - 1) & ~(PAGE - 1)) - base;
    uint32_t prot = AE_PROT_READ;
    struct vmo *v;
    int err;

    if (s->flags & ELF_SEG_W)
        prot |= AE_PROT_WRITE;
    if (s->flags & ELF_SEG_X)
        prot |= AE_PROT_EXEC;
    err = vmo_create(p, size, 0, &v);
    if (err)
        return err;
    err = vmo_write(v, s->vaddr - base, image + s->offset, s->filesz);
    if (!err)
        err = vmo_map(p, v, 0, base, size, prot);
    kobj_unref(&v->obj);        /* the mapping holds it */
    return err;
}

static int map_anon(struct process *p, uint64_t va, uint64_t size, uint32_t prot,
                    struct vmo **keep)
{
    struct vmo *v;
    int err = vmo_create(p, size, 0, &v);

    if (err)
        return err;
    err = vmo_map(p, v, 0, va, size, prot);
    if (keep && !err)
        *keep = v;
    else
        kobj_unref(&v->obj);
    return err;
}

static int give_modules(struct process *p, const struct boot_info *bi,
                        struct ae_bootinfo *info)
{
    for (size_t i = 1; i < bi->nmodules && info->nmodules < AE_BOOT_MODULES_MAX; i++) {
        const struct mb2_module *m = &bi->modules[i];
        struct ae_boot_module *out = &info->modules[info->nmodules];
        struct vmo *v;
        int err = vmo_create(p, m->end - m->start, 0, &v);

        if (err)
            return err;
        vmo_write(v, 0, phys_to_virt(m->start), m->end - m->start);
        err = handle_install(p, &v->obj, AE_RIGHT_READ | AE_RIGHT_MAP | AE_RIGHT_GRANT |
                             AE_RIGHT_DERIVE, 0, &out->vmo);
        kobj_unref(&v->obj);
        if (err)
            return err;
        out->size = m->end - m->start;
        strncpy_safe(out->name, m->cmdline, sizeof(out->name));
        info->nmodules++;
    }
    return AE_OK;
}

static int give_range(struct process *p, uint32_t type, uint32_t base, uint32_t count,
                      ae_handle_t *out)
{
    struct hwrange *r;
    int err = hwrange_create(NULL, type, base, count, &r);

    if (err)
        return err;
    err = handle_install(p, &r->obj, AE_RIGHTS_ALL, 0, out);
    kobj_unref(&r->obj);
    return err;
}

/* Every IRQ line and MSI vector, every I/O port (PCI configuration space
 * included: ports 0xcf8-0xcff) and all device memory. */
static int give_hardware(struct process *p, struct ae_bootinfo *info)
{
    int err = give_range(p, AE_OBJ_IRQ, 0, irq_line_count(), &info->irq);
    if (!err)
        err = give_range(p, AE_OBJ_IRQ, AE_IRQ_MSI_BASE, AE_IRQ_MSI_COUNT, &info->msi);
    if (!err)
        err = give_range(p, AE_OBJ_IOPORTS, 0, 65536, &info->ioports);
    /* Physical pages 0 .. 2^32 (16 TiB); vmo_create_physical refuses RAM
     * and the kernel's own interrupt controllers. */
    return err ? err : give_range(p, AE_OBJ_DEVMEM, 0, 0xffffffffu, &info->devmem);
}

static int build_bootinfo(struct process *p, const struct boot_info *bi)
{
    static struct ae_bootinfo info;
    struct endpoint *ep;
    struct vmo *v;
    int err;

    memset(&info, 0, sizeof(info));
    info.magic = AE_BOOTINFO_MAGIC;
    info.version = AE_BOOTINFO_VERSION;
    info.ncpus = cpu_online_count();
    info.quota_pages = p->acct->q.limit[QUOTA_PAGES];
    info.tsc_hz = clock_tsc_hz();
    strncpy_safe(info.cmdline, bi->cmdline, sizeof(info.cmdline));
    info.acpi = *acpi_power();
    {
        unsigned n;
        const struct ae_pci_ecam *e = acpi_pci_ecam(&n);
        const struct ae_pci_route *r;

        info.necam = n;
        memcpy(info.ecam, e, n * sizeof(*e));
        r = acpi_pci_routes(&n);
        info.npci_routes = n;
        memcpy(info.pci_routes, r, n * sizeof(*r));
    }
    for (uint8_t irq = 0; irq < 16; irq++) {
        uint16_t flags;
        madt_isa_irq_to_gsi(acpi_madt(), irq, &info.isa_irq_gsi[irq], &flags);
    }
    err = handle_install(p, &p->obj, AE_RIGHTS_ALL, 0, &info.self);
    if (err)
        return err;
    err = endpoint_create(&p->acct->q, &ep);
    if (err)
        return err;
    err = handle_install(p, &ep->obj, AE_RIGHT_SEND | AE_RIGHT_RECV | AE_RIGHT_GRANT |
                         AE_RIGHT_DERIVE, 0, &info.fault_ep);
    kobj_unref(&ep->obj);
    if (!err)
        err = handle_install(p, log_object(), AE_RIGHT_READ | AE_RIGHT_DERIVE |
                             AE_RIGHT_GRANT, 0, &info.log);
    if (!err)
        err = handle_install(p, trace_object(), AE_RIGHT_READ | AE_RIGHT_WRITE | AE_RIGHT_MAP |
                             AE_RIGHT_MANAGE | AE_RIGHT_DERIVE | AE_RIGHT_GRANT, 0,
                             &info.trace);
    if (!err)
        err = give_hardware(p, &info);
    if (!err)
        err = give_modules(p, bi, &info);
    if (!err)
        err = map_anon(p, AE_BOOTINFO_VA, PAGE, AE_PROT_READ, &v);
    if (err)
        return err;
    vmo_write(v, 0, &info, sizeof(info));
    kobj_unref(&v->obj);
    return AE_OK;
}

int init_load(const struct boot_info *bi, struct thread **out)
{
    const struct mb2_module *m = &bi->modules[0];
    const uint8_t *image = phys_to_virt(m->start);
    uint64_t limits[QUOTA_KINDS];
    struct elf_image img;
    struct process *p;
    int err;

    err = elf_parse(image, m->end - m->start, USER_LOWEST, USER_TOP, &img);
    if (err) {
        log_err("init: module \"%s\" is not a loadable ELF (error %d)", m->cmdline, err);
        return err;
    }
    limits[QUOTA_PAGES] = frame_free_count() - KERNEL_RESERVE_FRAMES;
    limits[QUOTA_HANDLES] = INIT_HANDLES;
    limits[QUOTA_THREADS] = INIT_THREADS;
    limits[QUOTA_CPU] = 1000ull * cpu_online_count();
    err = process_create_root(limits, "init", &p);
    for (unsigned i = 0; !err && i < img.nsegments; i++)
        err = map_segment(p, image, &img.seg[i]);
    if (!err)
        err = map_anon(p, AE_STACK_TOP - AE_STACK_SIZE, AE_STACK_SIZE,
                       AE_PROT_READ | AE_PROT_WRITE, NULL);
    if (!err)
        err = build_bootinfo(p, bi);
    if (!err)
        err = thread_create_user(p, img.entry, AE_STACK_TOP, AE_BOOTINFO_VA, out);
    if (err) {
        log_err("init: cannot build the init process (error %d)", err);
        return err;
    }
    log_info("init: \"%s\" loaded: %u segments, entry %#lx, %lu pages of quota",
             m->cmdline, img.nsegments, (unsigned long)img.entry,
             (unsigned long)limits[QUOTA_PAGES]);
    return AE_OK;
}

void init_exited(long status)
{
    log_console_reclaim();          /* the last lines, before QEMU goes */
    log_info("init exited with status %ld", status);
    qemu_exit(status == 0 ? QEMU_EXIT_SUCCESS : QEMU_EXIT_FAILURE);
}

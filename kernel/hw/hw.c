/*
 * IRQ lines and I/O ports. Each bound GSI gets vector VEC_IRQ_BASE + gsi;
 * the handler masks the line before signalling, so a level-triggered device
 * cannot storm before its driver has serviced it. MSI line
 * AE_IRQ_MSI_BASE + k is vector VEC_MSI_BASE + k: edge-triggered, nothing
 * to mask at our end (a storming device is masked in its own MSI-X table
 * by its driver), so it only signals.
 */
#include "hw/hw.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/vectors.h"
#include "ipc/notify.h"
#include "mm/kcharge.h"
#include "mm/kheap.h"
#include "mm/layout.h"
#include "mm/uframe.h"
#include "proc/process.h"
#include "common/string.h"
#include "aether/errors.h"
#include "aether/types.h"
#include "log.h"

#define IRQ_LINES (VEC_MSI_BASE - VEC_IRQ_BASE)
_Static_assert(VEC_MSI_BASE + AE_IRQ_MSI_COUNT <= VEC_TIMER, "MSI vectors below the timer's");

struct binding {
    struct notify *n;           /* holds a reference */
    uint64_t bits;
    uint16_t flags;
    bool masked;
};

static struct binding bindings[IRQ_LINES];
static struct binding msi_bindings[AE_IRQ_MSI_COUNT];

int hwrange_create(struct quota *payer, uint32_t type, uint32_t base, uint32_t count,
                   struct hwrange **out)
{
    struct hwrange *r;
    int err = kcharge_zalloc(payer, sizeof(*r), (void **)&r);

    if (err)
        return err;
    kobj_init(&r->obj, type);
    kobj_set_payer(&r->obj, payer, sizeof(*r));
    r->base = base;
    r->count = count;
    *out = r;
    return AE_OK;
}

void hwrange_destroy(struct hwrange *r)
{
    kfree(r);
}

uint32_t irq_line_count(void)
{
    uint32_t n = ioapic_gsi_count();
    return n < IRQ_LINES ? n : IRQ_LINES;
}

static void irq_fired(struct trap_frame *f)
{
    uint32_t gsi = (uint32_t)(f->vector - VEC_IRQ_BASE);
    struct binding *b = &bindings[gsi];

    if (!b->n)
        return;
    ioapic_route(gsi, (uint8_t)f->vector, cpu_get(0)->apic_id, b->flags, 1);
    b->masked = true;
    notify_signal(b->n, b->bits);
}

static void msi_fired(struct trap_frame *f)
{
    struct binding *b = &msi_bindings[f->vector - VEC_MSI_BASE];

    if (b->n)
        notify_signal(b->n, b->bits);
}

static bool is_msi(uint32_t line)
{
    return line - AE_IRQ_MSI_BASE < AE_IRQ_MSI_COUNT;
}

/* Points b at n (replacing an earlier binding) with its handler
 * registered for vec. */
static int bind(struct binding *b, uint8_t vec, trap_handler_t h, struct notify *n,
                uint64_t bits, uint16_t flags)
{
    if (!b->n) {
        int err = trap_register(vec, h);
        if (err && err != AE_ERR_BUSY)
            return err;
    } else {
        kobj_unref(&b->n->obj);
    }
    kobj_ref(&n->obj);
    b->n = n;
    b->bits = bits;
    b->flags = flags;
    b->masked = false;
    return AE_OK;
}

int irq_bind(uint32_t line, uint16_t inti_flags, struct notify *n, uint64_t bits)
{
    uint8_t vec;
    int err;

    if (!bits || (bits & ~NOTIFY_BITS_MASK))
        return AE_ERR_INVAL;
    if (is_msi(line)) {
        vec = (uint8_t)(VEC_MSI_BASE + line - AE_IRQ_MSI_BASE);
        return bind(&msi_bindings[line - AE_IRQ_MSI_BASE], vec, msi_fired, n, bits, 0);
    }
    if (line >= irq_line_count())
        return AE_ERR_INVAL;
    vec = (uint8_t)(VEC_IRQ_BASE + line);
    err = bind(&bindings[line], vec, irq_fired, n, bits, inti_flags);
    return err ? err : ioapic_route(line, vec, cpu_get(0)->apic_id, inti_flags, 0);
}

int irq_msi_message(uint32_t line, uint64_t *address, uint32_t *data)
{
    if (!is_msi(line))
        return AE_ERR_INVAL;
    /* Intel SDM vol. 3, 11.11: physical destination mode, the CPU that
     * takes the GSIs too; fixed delivery, edge-triggered, the vector. */
    *address = 0xfee00000ull | (uint64_t)(cpu_get(0)->apic_id & 0xff) << 12;
    *data = VEC_MSI_BASE + line - AE_IRQ_MSI_BASE;
    return AE_OK;
}

int irq_ack(uint32_t gsi)
{
    struct binding *b;

    if (is_msi(gsi))
        return msi_bindings[gsi - AE_IRQ_MSI_BASE].n ? AE_OK : AE_ERR_NOTFOUND;
    if (gsi >= IRQ_LINES || !bindings[gsi].n)
        return AE_ERR_NOTFOUND;
    b = &bindings[gsi];
    b->masked = false;
    return ioapic_route(gsi, (uint8_t)(VEC_IRQ_BASE + gsi), cpu_get(0)->apic_id,
                        b->flags, 0);
}

int ioports_enable(struct process *p, uint32_t base, uint32_t count)
{
    if (!p->iobitmap[0]) {
        for (int i = 0; i < 2; i++) {
            int err = uframe_alloc(&p->acct->q, &p->iobitmap[i]);
            if (err) {
                if (i)
                    uframe_free(&p->acct->q, p->iobitmap[0]);
                p->iobitmap[0] = 0;
                return err;
            }
            memset(phys_to_virt(p->iobitmap[i]), 0xff, 4096);
        }
    }
    for (uint32_t port = base; port < base + count; port++) {
        uint8_t *page = phys_to_virt(p->iobitmap[port / 32768]);
        page[(port % 32768) / 8] &= (uint8_t)~(1u << (port % 8));
    }
    p->iobitmap_gen++;
    ioports_load(this_cpu(), p);
    return AE_OK;
}

void ioports_load(struct cpu *c, struct process *p)
{
    if (!p || !p->iobitmap[0]) {
        c->gdt.tss.iomap_base = IOMAP_DISABLED;
        return;
    }
    if (c->io_owner != p || c->io_gen != p->iobitmap_gen) {
        memcpy(c->gdt.iobitmap, phys_to_virt(p->iobitmap[0]), 4096);
        memcpy(c->gdt.iobitmap + 4096, phys_to_virt(p->iobitmap[1]), 4096);
        c->io_owner = p;
        c->io_gen = p->iobitmap_gen;
    }
    c->gdt.tss.iomap_base = IOMAP_ENABLED;
}

void ioports_release(struct process *p)
{
    if (!p->iobitmap[0])
        return;
    for (unsigned i = 0; i < cpu_count(); i++)
        if (cpu_get(i)->io_owner == p)
            cpu_get(i)->io_owner = NULL;
    uframe_free(&p->acct->q, p->iobitmap[0]);
    uframe_free(&p->acct->q, p->iobitmap[1]);
    p->iobitmap[0] = p->iobitmap[1] = 0;
}

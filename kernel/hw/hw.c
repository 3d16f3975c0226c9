/*
 * IRQ lines and I/O ports. Each bound GSI gets vector VEC_IRQ_BASE + gsi;
 * the handler masks the line before signalling, so a level-triggered device
 * cannot storm before its driver has serviced it.
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
#include "log.h"

#define IRQ_LINES (VEC_TIMER - VEC_IRQ_BASE)

struct binding {
    struct notify *n;           /* holds a reference */
    uint64_t bits;
    uint16_t flags;
    bool masked;
};

static struct binding bindings[IRQ_LINES];

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

int irq_bind(uint32_t gsi, uint16_t inti_flags, struct notify *n, uint64_t bits)
{
    struct binding *b;
    uint8_t vec;
    int err;

    if (gsi >= irq_line_count() || !bits || (bits & ~NOTIFY_BITS_MASK))
        return AE_ERR_INVAL;
    b = &bindings[gsi];
    vec = (uint8_t)(VEC_IRQ_BASE + gsi);
    if (!b->n) {
        err = trap_register(vec, irq_fired);
        if (err && err != AE_ERR_BUSY)
            return err;
    } else {
        kobj_unref(&b->n->obj);
    }
    kobj_ref(&n->obj);
    b->n = n;
    b->bits = bits;
    b->flags = inti_flags;
    b->masked = false;
    return ioapic_route(gsi, vec, cpu_get(0)->apic_id, inti_flags, 0);
}

int irq_ack(uint32_t gsi)
{
    struct binding *b;

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

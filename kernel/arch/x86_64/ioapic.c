/*
 * Indirect register access (IOREGSEL/IOWIN) per I/O APIC, serialised by one
 * lock since a select-then-access pair must not interleave.
 */
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/paging.h"
#include "acpi/acpi_tables.h"
#include "aether/errors.h"
#include "lib/spinlock.h"
#include "log.h"

#define REG_SEL 0x00
#define REG_WIN 0x10
#define IOAPIC_VER 0x01
#define IOAPIC_REDTBL(n) (0x10 + 2 * (n))
#define RED_MASKED (1u << 16)
#define RED_LEVEL (1u << 15)
#define RED_ACTIVE_LOW (1u << 13)

struct ioapic {
    volatile uint32_t *regs;
    uint32_t gsi_base;
    uint32_t count;
};

static struct ioapic ioapics[MADT_MAX_IOAPICS];
static unsigned nioapics;
static spinlock_t ioapic_lock = SPINLOCK_INIT;

static uint32_t rd(struct ioapic *io, uint32_t reg)
{
    io->regs[REG_SEL / 4] = reg;
    return io->regs[REG_WIN / 4];
}

static void wr(struct ioapic *io, uint32_t reg, uint32_t v)
{
    io->regs[REG_SEL / 4] = reg;
    io->regs[REG_WIN / 4] = v;
}

int ioapic_init(const struct madt_info *m)
{
    for (unsigned i = 0; i < m->nioapics; i++) {
        struct ioapic *io = &ioapics[nioapics];
        io->regs = paging_map_mmio(m->ioapics[i].phys, 4096);
        if (!io->regs)
            return AE_ERR_NOMEM;
        io->gsi_base = m->ioapics[i].gsi_base;
        io->count = ((rd(io, IOAPIC_VER) >> 16) & 0xff) + 1;
        for (uint32_t n = 0; n < io->count; n++) {
            wr(io, IOAPIC_REDTBL(n), RED_MASKED);
            wr(io, IOAPIC_REDTBL(n) + 1, 0);
        }
        log_info("ioapic: id %u at %#x, GSIs %u-%u, all masked",
                 m->ioapics[i].id, m->ioapics[i].phys, io->gsi_base,
                 io->gsi_base + io->count - 1);
        nioapics++;
    }
    return AE_OK;
}

int ioapic_route(uint32_t gsi, uint8_t vector, uint32_t dest_apic_id,
                 uint16_t inti_flags, int masked)
{
    for (unsigned i = 0; i < nioapics; i++) {
        struct ioapic *io = &ioapics[i];
        if (gsi < io->gsi_base || gsi >= io->gsi_base + io->count)
            continue;
        uint32_t lo = vector;
        if ((inti_flags & 3) == 3)
            lo |= RED_ACTIVE_LOW;
        if (((inti_flags >> 2) & 3) == 3)
            lo |= RED_LEVEL;
        if (masked)
            lo |= RED_MASKED;
        uint64_t f = spin_lock_irqsave(&ioapic_lock);
        wr(io, IOAPIC_REDTBL(gsi - io->gsi_base) + 1, dest_apic_id << 24);
        wr(io, IOAPIC_REDTBL(gsi - io->gsi_base), lo);
        spin_unlock_irqrestore(&ioapic_lock, f);
        return AE_OK;
    }
    return AE_ERR_NOTFOUND;
}

unsigned ioapic_count(void)
{
    return nioapics;
}

uint32_t ioapic_gsi_count(void)
{
    uint32_t n = 0;
    for (unsigned i = 0; i < nioapics; i++)
        n += ioapics[i].count;
    return n;
}

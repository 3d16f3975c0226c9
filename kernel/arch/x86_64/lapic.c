/*
 * xAPIC register access through an uncached MMIO mapping. The timer runs with
 * divide-by-16 both in calibration and in use, so the calibrated rate
 * applies directly.
 */
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/clock.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/vectors.h"
#include "aether/errors.h"
#include "lib/spinlock.h"

#define REG_ID 0x020
#define REG_TPR 0x080
#define REG_EOI 0x0b0
#define REG_SVR 0x0f0
#define REG_ESR 0x280
#define REG_ICR_LO 0x300
#define REG_ICR_HI 0x310
#define REG_LVT_TIMER 0x320
#define REG_LVT_LINT0 0x350
#define REG_LVT_LINT1 0x360
#define REG_LVT_ERROR 0x370
#define REG_TIMER_INIT 0x380
#define REG_TIMER_CUR 0x390
#define REG_TIMER_DIV 0x3e0

#define LVT_MASKED (1u << 16)
#define LVT_NMI (4u << 8)
#define TIMER_PERIODIC (1u << 17)
#define ICR_PENDING (1u << 12)
#define ICR_ASSERT (1u << 14)
#define ICR_LEVEL (1u << 15)
#define ICR_INIT (5u << 8)
#define ICR_STARTUP (6u << 8)
#define ICR_NMI (4u << 8)
#define ICR_ALL_BUT_SELF (3u << 18)
#define SVR_ENABLE (1u << 8)
#define APIC_BASE_ENABLE (1ull << 11)
#define DIV_16 0x3

static volatile uint32_t *regs;

static inline uint32_t rd(uint32_t reg)
{
    return regs[reg / 4];
}

static inline void wr(uint32_t reg, uint32_t v)
{
    regs[reg / 4] = v;
}

int lapic_map(uint64_t phys)
{
    void *v = paging_map_mmio(phys, 4096);
    if (!v)
        return AE_ERR_NOMEM;
    regs = v;
    return AE_OK;
}

bool lapic_ready(void)
{
    return regs != NULL;
}

void lapic_init_cpu(int nmi_lint)
{
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
    wr(REG_SVR, SVR_ENABLE | VEC_SPURIOUS);
    wr(REG_LVT_LINT0, LVT_MASKED);
    wr(REG_LVT_LINT1, nmi_lint == 1 ? LVT_NMI : LVT_MASKED);
    if (nmi_lint == 0)
        wr(REG_LVT_LINT0, LVT_NMI);
    wr(REG_LVT_TIMER, LVT_MASKED);
    wr(REG_LVT_ERROR, VEC_LAPIC_ERROR);
    wr(REG_ESR, 0);             /* back-to-back writes clear the ESR */
    wr(REG_ESR, 0);
    wr(REG_TPR, 0);
    wr(REG_EOI, 0);
}

uint32_t lapic_id(void)
{
    return rd(REG_ID) >> 24;
}

void lapic_eoi(void)
{
    wr(REG_EOI, 0);
}

static void icr_wait(void)
{
    for (int i = 0; i < 1000000 && (rd(REG_ICR_LO) & ICR_PENDING); i++)
        cpu_relax();
}

static void icr_send(uint32_t apic_id, uint32_t lo)
{
    uint64_t flags = read_rflags();

    irq_disable();
    icr_wait();
    wr(REG_ICR_HI, apic_id << 24);
    wr(REG_ICR_LO, lo);
    icr_wait();
    if (flags & RFLAGS_IF)
        irq_enable();
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
    icr_send(apic_id, ICR_ASSERT | vector);
}

void lapic_send_nmi_all_others(void)
{
    if (regs)
        icr_send(0, ICR_ALL_BUT_SELF | ICR_ASSERT | ICR_NMI);
}

void lapic_start_ap(uint32_t apic_id, uint8_t sipi_page)
{
    icr_send(apic_id, ICR_INIT | ICR_ASSERT | ICR_LEVEL);
    clock_delay_us(10000);
    icr_send(apic_id, ICR_STARTUP | sipi_page);
    clock_delay_us(200);
    icr_send(apic_id, ICR_STARTUP | sipi_page);
}

void lapic_timer_oneshot_max(void)
{
    wr(REG_TIMER_DIV, DIV_16);
    wr(REG_LVT_TIMER, LVT_MASKED);
    wr(REG_TIMER_INIT, 0xffffffff);
}

uint32_t lapic_timer_current(void)
{
    return rd(REG_TIMER_CUR);
}

void lapic_timer_periodic(uint64_t timer_hz, uint32_t hz)
{
    uint64_t count;

    if (timer_hz == 0)          /* calibration failed: a slow, safe rate */
        timer_hz = 100000000;
    count = timer_hz / hz;

    if (count == 0 || count > 0xffffffff)
        count = count ? 0xffffffff : 1;
    wr(REG_TIMER_DIV, DIV_16);
    wr(REG_LVT_TIMER, TIMER_PERIODIC | VEC_TIMER);
    wr(REG_TIMER_INIT, (uint32_t)count);
}

/*
 * Per-CPU GDT and TSS. Each CPU needs its own TSS (the descriptor's busy bit
 * and the IST stacks are per CPU), so each gets its own GDT to point at it.
 * FS and GS selectors are not reloaded here: loading them would clear the
 * GS base that holds the per-CPU pointer.
 */
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/percpu.h"
#include "mm/kstack.h"
#include "aether/errors.h"

#define SEG_KCODE64 0x00af9a000000ffffull
#define SEG_KDATA 0x00cf92000000ffffull
#define SEG_UCODE32 0x00cffa000000ffffull
#define SEG_UDATA 0x00cff2000000ffffull
#define SEG_UCODE64 0x00affa000000ffffull
#define TSS_TYPE_AVAILABLE 0x89ull     /* present, 64-bit TSS, available */

struct gdtr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static void set_tss_descriptor(struct gdt_block *g)
{
    uint64_t base = (uint64_t)&g->tss;
    uint64_t limit = sizeof(struct tss) + IOBITMAP_BYTES;  /* bitmap + end byte */

    g->entries[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
                    (TSS_TYPE_AVAILABLE << 40) | (((limit >> 16) & 0xf) << 48) |
                    (((base >> 24) & 0xff) << 56);
    g->entries[7] = base >> 32;
}

static void load(struct gdt_block *g)
{
    struct gdtr r = {sizeof(g->entries) - 1, (uint64_t)g->entries};

    __asm__ volatile(
        "lgdt %0\n\t"
        "pushq %1\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "movw %w2, %%ds\n\t"
        "movw %w2, %%es\n\t"
        "movw %w2, %%ss\n\t"
        "ltr %w3"
        :
        : "m"(r), "i"(GDT_KCODE), "r"(GDT_KDATA), "r"(GDT_TSS)
        : "rax", "memory");
}

int gdt_init_cpu(struct cpu *c)
{
    struct gdt_block *g = &c->gdt;

    g->entries[0] = 0;
    g->entries[1] = SEG_KCODE64;
    g->entries[2] = SEG_KDATA;
    g->entries[3] = SEG_UCODE32;
    g->entries[4] = SEG_UDATA;
    g->entries[5] = SEG_UCODE64;
    for (int i = 0; i < IST_COUNT; i++) {
        uint64_t top = kstack_alloc();
        if (!top)
            return AE_ERR_NOMEM;
        g->tss.ist[i] = top;
    }
    g->tss.rsp[0] = c->kstack_top;
    /* No port is open to ring 3 until a process with I/O ports runs here
     * (hw/ioports.c loads its bitmap on every switch to it). */
    g->tss.iomap_base = IOMAP_DISABLED;
    for (int i = 0; i <= IOBITMAP_BYTES; i++)
        g->iobitmap[i] = 0xff;
    set_tss_descriptor(g);
    load(g);
    return AE_OK;
}

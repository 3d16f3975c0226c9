/*
 * Segments: one GDT and TSS per CPU. Selector layout is fixed for
 * syscall/sysret (kernel CS, kernel SS = CS + 8; user SS, user CS64 follow).
 */
#ifndef KERNEL_ARCH_X86_64_GDT_H
#define KERNEL_ARCH_X86_64_GDT_H

#define GDT_KCODE 0x08
#define GDT_KDATA 0x10
#define GDT_UCODE32 0x18
#define GDT_UDATA 0x20
#define GDT_UCODE 0x28
#define GDT_TSS 0x30

/* What ring 3 runs with. syscall/sysretq take the selectors from STAR, not
 * from the GDT: syscall loads CS = STAR[47:32] and SS = that + 8; sysretq
 * (64-bit) loads CS = STAR[63:48] + 16 and SS = STAR[63:48] + 8, both with
 * RPL 3. GDT_SYSRET_BASE is the STAR[63:48] that lands on these selectors
 * (the asserts below keep the layout honest). */
#define GDT_USER_CS (GDT_UCODE | 3)
#define GDT_USER_SS (GDT_UDATA | 3)
#define GDT_SYSRET_BASE (GDT_UCODE32 | 3)

#ifndef __ASSEMBLY__
#include <stdint.h>

_Static_assert(GDT_KCODE + 8 == GDT_KDATA, "syscall: SS = STAR[47:32] + 8");
_Static_assert(GDT_SYSRET_BASE + 16 == GDT_USER_CS, "sysretq: CS = STAR[63:48] + 16");
_Static_assert(GDT_SYSRET_BASE + 8 == GDT_USER_SS, "sysretq: SS = STAR[63:48] + 8");

/* IST slots (1-based, as the IDT gate encodes them). */
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3
#define IST_COUNT 3

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "TSS is 104 bytes");

#define IOBITMAP_BYTES 8192     /* one bit per port, 0 = allowed */
/* iomap_base values: the bitmap right after the TSS, or past the segment
 * limit, which denies every port to ring 3. */
#define IOMAP_ENABLED ((uint16_t)sizeof(struct tss))
#define IOMAP_DISABLED ((uint16_t)0xffff)

struct gdt_block {
    uint64_t entries[8];        /* null, kcode, kdata, ucode32, udata, ucode, tss(2) */
    struct tss tss;
    uint8_t iobitmap[IOBITMAP_BYTES + 1];   /* + the all-ones byte the CPU needs */
} __attribute__((aligned(16), packed));

struct cpu;
/* Fills c's GDT and TSS (IST stacks allocated here, guarded) and loads
 * them on the calling CPU. Returns AE_OK or AE_ERR_NOMEM. */
int gdt_init_cpu(struct cpu *c);

#endif /* __ASSEMBLY__ */
#endif

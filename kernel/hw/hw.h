/*
 * Hardware handed to user-space drivers as capabilities. An IRQ object or
 * an I/O-port object names a range (GSIs or ports); init receives objects
 * covering everything and cuts sub-ranges for each driver (hw_subrange).
 *
 * IRQs: a line bound to a notification is routed through the I/O APIC; when
 * it fires the kernel masks it and signals the notification's bits; the
 * driver unmasks it with irq_ack after servicing the device.
 * I/O ports: enabling a range sets it open in the process's own I/O
 * bitmap, which the kernel loads into the CPU's TSS whenever one of the
 * process's threads runs: port accesses then need no system call.
 * Kernel lock held.
 */
#ifndef KERNEL_HW_HW_H
#define KERNEL_HW_HW_H

#include <stdint.h>

#include "obj/kobj.h"

struct cpu;
struct notify;
struct process;

struct hwrange {
    struct kobj obj;            /* AE_OBJ_IRQ or AE_OBJ_IOPORTS */
    uint32_t base;
    uint32_t count;
};

/* payer NULL: the kernel's own (the boot ranges handed to init). */
int hwrange_create(struct quota *payer, uint32_t type, uint32_t base, uint32_t count,
                   struct hwrange **out);
void hwrange_destroy(struct hwrange *r);
/* Number of GSIs the kernel can route (vectors available). */
uint32_t irq_line_count(void);

/* Routes line (a GSI, or an MSI line AE_IRQ_MSI_BASE + k) to the kernel's
 * handler, signalling n with bits when it fires. Replaces any earlier
 * binding of that line. */
int irq_bind(uint32_t line, uint16_t inti_flags, struct notify *n, uint64_t bits);
/* What a device writes, where, to raise MSI line `line` (AE_ERR_INVAL for
 * a GSI). */
int irq_msi_message(uint32_t line, uint64_t *address, uint32_t *data);
/* Unmasks a bound GSI; for a bound MSI line nothing (AE_OK).
 * AE_ERR_NOTFOUND when it is not bound. */
int irq_ack(uint32_t gsi);

/* Opens [base, base + count) to p's threads (allocates p's bitmap on first
 * use, charged to p). */
int ioports_enable(struct process *p, uint32_t base, uint32_t count);
/* Context switch: loads p's bitmap into c's TSS (or closes every port). */
void ioports_load(struct cpu *c, struct process *p);
/* Process death: frees the bitmap. */
void ioports_release(struct process *p);

#endif

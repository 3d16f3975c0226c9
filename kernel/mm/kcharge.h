/*
 * Kernel heap memory charged to a quota account: every object, table and
 * bookkeeping structure the kernel allocates for a process counts against
 * that process's QUOTA_PAGES in bytes (quota_charge_bytes), so a process
 * cannot grow kernel memory beyond what it was given. A global byte count
 * lets the charge invariant (uframe_check) cross-check the accounts.
 * Kernel lock held.
 */
#ifndef KERNEL_MM_KCHARGE_H
#define KERNEL_MM_KCHARGE_H

#include <stddef.h>
#include <stdint.h>

struct quota;

/* Charges size bytes to q (q NULL: the kernel's own, uncharged). */
int kcharge(struct quota *q, uint64_t size);
void kuncharge(struct quota *q, uint64_t size);
/* Charge, then a zeroed allocation: AE_OK, AE_ERR_QUOTA or AE_ERR_NOMEM
 * (nothing charged). */
int kcharge_zalloc(struct quota *q, size_t size, void **out);
/* kfree, then uncharge. */
void kcharge_free(struct quota *q, void *p, size_t size);
/* Bytes charged to all accounts together. */
uint64_t kcharge_total(void);

#endif

/*
 * Frames allocated on behalf of a process: each is charged to a quota
 * account (QUOTA_PAGES) when allocated and uncharged when freed, and a
 * global count of such frames lets tests check that the charges add up
 * (uframe_check). Kernel lock held.
 */
#ifndef KERNEL_MM_UFRAME_H
#define KERNEL_MM_UFRAME_H

#include <stdint.h>

struct quota;

/* A zeroed frame charged to q: AE_OK, AE_ERR_QUOTA, AE_ERR_NOMEM. */
int uframe_alloc(struct quota *q, uint64_t *phys);
void uframe_free(struct quota *q, uint64_t phys);
/* n contiguous zeroed frames charged to q (freed one by one). */
int uframe_alloc_contig(struct quota *q, uint64_t n, uint64_t *phys);
/* n frames the kernel already holds, lent to q's owner while it uses them
 * (a cached kernel stack under a thread): charged and counted as in use. */
int uframe_charge_held(struct quota *q, uint64_t n);
void uframe_uncharge_held(struct quota *q, uint64_t n);
/* Frames currently allocated through uframe_alloc or held as above. */
uint64_t uframe_in_use(void);
/* AE_OK when the tree rooted at root is consistent and its QUOTA_PAGES
 * charges add up to uframe_in_use() plus the pages its kernel-memory byte
 * charges span, and those bytes add up to kcharge_total();
 * AE_ERR_CORRUPT otherwise. */
int uframe_check(const struct quota *root);

#endif

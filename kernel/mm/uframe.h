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
/* Frames currently allocated through uframe_alloc. */
uint64_t uframe_in_use(void);
/* AE_OK when the QUOTA_PAGES charges in the tree rooted at root add up to
 * uframe_in_use() and the tree is consistent; AE_ERR_CORRUPT otherwise. */
int uframe_check(const struct quota *root);

#endif

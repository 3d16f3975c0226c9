/*
 * Memory objects (VMOs): a set of physical pages that can be mapped into
 * address spaces. Pages are allocated and zeroed at creation and charged to
 * the creating process's account; a MOVE transfer moves the charge with the
 * handle. Mappings are whole-page ranges of one VMO in one process, tracked
 * both in the process and in the VMO so that either can be torn down.
 * Kernel lock held.
 */
#ifndef KERNEL_VM_VMO_H
#define KERNEL_VM_VMO_H

#include <stdint.h>

#include "lib/list.h"
#include "obj/kobj.h"

struct cap;
struct process;
struct quota;

#define VMO_MAX_PAGES (1ull << 18)      /* 1 GiB */

struct vmo {
    struct kobj obj;
    uint64_t npages;
    uint64_t *pages;            /* physical address of each page */
    struct quota *charged;      /* account holding the pages' charge; NULL for
                                 * device memory, which no one owns */
    uint32_t flags;             /* AE_VMO_CONTIGUOUS, AE_VMO_DEVICE */
    struct vmo *parent;         /* a slice: the VMO whose pages these are (a reference) */
    struct list_node mappings;  /* struct vm_mapping.vmo_link */
};

struct vm_mapping {
    struct list_node proc_link;
    struct list_node vmo_link;
    struct process *proc;
    struct vmo *vmo;            /* holds a reference */
    uint64_t va;
    uint64_t npages;
    uint64_t first_page;        /* offset into the VMO, in pages */
    uint32_t prot;
};

/* A VMO of size bytes (rounded up to pages) charged to p's account.
 * AE_ERR_INVAL (0 or larger than VMO_MAX_PAGES pages), AE_ERR_QUOTA,
 * AE_ERR_NOMEM. */
int vmo_create(struct process *p, uint64_t size, uint32_t flags, struct vmo **out);
/* Device memory: size bytes of physical address space at phys (page
 * aligned), none of it RAM or kernel-owned; mapped uncached, never freed.
 * AE_ERR_INVAL (alignment, size), AE_ERR_ACCESS (RAM or kernel-owned). */
int vmo_create_device(struct process *p, uint64_t phys, uint64_t size, struct vmo **out);
/* Kernel memory shown to user space (the trace rings): a VMO over the
 * given frames, charged to no one. The caller keeps the reference it
 * returns for ever, so the VMO is never destroyed and the frames never
 * freed; mappings of it are charged like any (page tables, the record).
 * No handle to it is ever given out. AE_ERR_INVAL, AE_ERR_NOMEM. */
int vmo_create_kernel(const uint64_t *pages, uint64_t npages, struct vmo **out);
/* A slice: size bytes of parent's pages from offset (both page-aligned),
 * the same physical pages, shared for as long as the slice lives (it holds
 * a reference to parent; it owns and charges no pages, only its own
 * object). Its flags are parent's. AE_ERR_INVAL (alignment, size 0),
 * AE_ERR_RANGE (beyond parent), AE_ERR_QUOTA, AE_ERR_NOMEM. */
int vmo_create_slice(struct process *p, struct vmo *parent, uint64_t offset, uint64_t size,
                     struct vmo **out);
/* Maps len bytes at offset of v into p at va, with prot (AE_PROT_*).
 * AE_ERR_INVAL (alignment, zero length, W+X, outside user space),
 * AE_ERR_RANGE (beyond the VMO), AE_ERR_EXISTS (overlaps a mapping),
 * AE_ERR_QUOTA (page tables). All or nothing. */
int vmo_map(struct process *p, struct vmo *v, uint64_t offset, uint64_t va,
            uint64_t len, uint32_t prot);
/* Removes the mapping that starts at va and is len bytes long.
 * AE_ERR_NOTFOUND when no mapping matches exactly. */
int vm_unmap(struct process *p, uint64_t va, uint64_t len);
/* Removes every mapping of v in p (MOVE out of p); returns how many. */
unsigned vmo_unmap_from(struct vmo *v, struct process *p);
/* MOVE of memory objects in an IPC message (caps: the n handles being
 * sent, any types). prepare charges `to` for every VMO that `from` pays
 * for, pages and object bytes (AE_ERR_QUOTA when they do not fit); abort
 * undoes that if the handles then cannot move; commit, after they moved,
 * removes every mapping of those VMOs in `from` and releases its charges. */
int vmo_move_prepare(struct process *from, struct process *to,
                     struct cap *const *caps, unsigned n);
void vmo_move_abort(struct process *from, struct process *to,
                    struct cap *const *caps, unsigned n);
void vmo_move_commit(struct process *from, struct process *to,
                     struct cap *const *caps, unsigned n);
/* Copies into the VMO's pages (kernel use: loading init). */
int vmo_write(struct vmo *v, uint64_t offset, const void *src, uint64_t len);
void vm_init_process(struct process *p);
void vm_unmap_all(struct process *p);
void vmo_destroy(struct vmo *v);

#endif

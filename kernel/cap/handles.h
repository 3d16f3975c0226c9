/*
 * Handles in a process: the kernel's use of the handle table and the
 * capability tree. Every capability node is kmalloc'd and charged one
 * QUOTA_HANDLES unit to the process whose table holds it; a live
 * (unrevoked) node holds one reference on its object. Kernel lock held.
 */
#ifndef KERNEL_CAP_HANDLES_H
#define KERNEL_CAP_HANDLES_H

#include <stdbool.h>
#include <stdint.h>

#include "aether/types.h"

struct cap;
struct kobj;
struct process;
struct quota;

#define HANDLE_MAX_TRANSFER 4

/* Sets up p's empty table (storage charged to p's account). */
void handles_init(struct process *p);
/* A new root capability for obj in p (takes a reference on obj). */
int handle_install(struct process *p, struct kobj *obj, uint32_t rights,
                   uint64_t badge, ae_handle_t *out);
/* Checks h names a live object of `type` (AE_OBJ_ANY: any) with all of
 * `rights`: AE_ERR_BAD_HANDLE, AE_ERR_REVOKED, AE_ERR_INVAL (wrong type),
 * AE_ERR_ACCESS. */
int handle_get(struct process *p, ae_handle_t h, uint32_t type, uint32_t rights,
               struct cap **out);
int handle_close(struct process *p, ae_handle_t h);
int handle_derive(struct process *p, ae_handle_t h, uint32_t rights,
                  uint64_t badge, bool set_badge, ae_handle_t *out);
/* Revokes every handle derived from h, in every process; returns how many. */
int handle_revoke(struct process *p, ae_handle_t h);
/* Moves n handles from src to dst (IPC). All must be live and carry
 * AE_RIGHT_GRANT, and dst must have room; otherwise nothing moves.
 * out[i] receives the handle in dst. */
int handle_transfer(struct process *src, const ae_handle_t *hs, unsigned n,
                    struct process *dst, ae_handle_t *out);
/* Closes everything (process death). */
void handles_close_all(struct process *p);
/* A kernel-held copy (derived child) of a capability, outside any table
 * (e.g. a process's fault endpoint); freed with cap_release_kernel. */
int cap_derive_kernel(struct cap *parent, uint32_t rights, struct quota *payer,
                      struct cap **out);
void cap_release_kernel(struct cap *c, struct quota *payer);

#endif

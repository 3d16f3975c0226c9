/*
 * Kernel object header. Every object reachable through a handle starts with
 * a struct kobj. References: each capability node naming the object, each
 * thread (on its process), each mapping (on its memory object) and each
 * in-flight kernel use holds one. The kernel lock guards the count. When it
 * drops to zero the type's destroy function frees the object, and the
 * bytes it was charged go back to the account that paid (the creator's,
 * which lives on while it has charges, even after its process died).
 */
#ifndef KERNEL_OBJ_KOBJ_H
#define KERNEL_OBJ_KOBJ_H

#include <stdint.h>

#include "aether/objects.h"

struct quota;

struct kobj {
    uint32_t type;              /* AE_OBJ_* */
    uint32_t refs;
    struct quota *payer;        /* NULL: the kernel's own */
    uint64_t paid;              /* bytes charged to payer */
};

void kobj_init(struct kobj *o, uint32_t type);
/* Records that payer was charged bytes for o (kcharge), to be returned
 * when o is destroyed. */
void kobj_set_payer(struct kobj *o, struct quota *payer, uint64_t bytes);
void kobj_ref(struct kobj *o);
void kobj_unref(struct kobj *o);
const char *kobj_type_name(uint32_t type);

#endif

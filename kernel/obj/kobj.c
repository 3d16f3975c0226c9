/* Reference counting and per-type destruction. */
#include "obj/kobj.h"
#include "ipc/endpoint.h"
#include "ipc/notify.h"
#include "proc/process.h"
#include "sched/thread.h"
#include "vm/vmo.h"
#include "hw/hw.h"
#include "mm/kcharge.h"
#include "panic.h"

void kobj_init(struct kobj *o, uint32_t type)
{
    o->type = type;
    o->refs = 1;
    o->payer = NULL;
    o->paid = 0;
}

void kobj_set_payer(struct kobj *o, struct quota *payer, uint64_t bytes)
{
    o->payer = payer;
    o->paid = bytes;
}

void kobj_ref(struct kobj *o)
{
    KASSERT(o->refs > 0 && o->refs < 0xffffffffu);
    o->refs++;
}

static void destroy(struct kobj *o)
{
    switch (o->type) {
    case AE_OBJ_PROCESS:
        process_destroy((struct process *)o);
        break;
    case AE_OBJ_THREAD:
        thread_destroy((struct thread *)o);
        break;
    case AE_OBJ_ENDPOINT:
        endpoint_destroy((struct endpoint *)o);
        break;
    case AE_OBJ_NOTIFICATION:
        notify_destroy((struct notify *)o);
        break;
    case AE_OBJ_VMO:
        vmo_destroy((struct vmo *)o);
        break;
    case AE_OBJ_IRQ:
    case AE_OBJ_IOPORTS:
    case AE_OBJ_DEVMEM:
        hwrange_destroy((struct hwrange *)o);
        break;
    case AE_OBJ_LOG:                /* static: the kernel's reference never goes */
        panic("kobj: the kernel log object lost its kernel reference");
    case AE_OBJ_TRACE:              /* likewise */
        panic("kobj: the trace object lost its kernel reference");
    default:
        panic("kobj: no destroy for type %u", o->type);
    }
}

void kobj_unref(struct kobj *o)
{
    struct quota *payer;
    uint64_t paid;

    KASSERT(o->refs > 0);
    if (--o->refs)
        return;
    payer = o->payer;
    paid = o->paid;
    destroy(o);                 /* frees o */
    if (payer) {
        kuncharge(payer, paid);
        account_changed(payer);
    }
}

const char *kobj_type_name(uint32_t type)
{
    return ae_obj_type_name(type);
}

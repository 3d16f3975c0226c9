/* Kernel object types, as reported by handle_info and named in the syscall
 * table's handle checks. */
#ifndef AETHER_OBJECTS_H
#define AETHER_OBJECTS_H

#define AE_OBJ_NONE          0u     /* syscall takes no handle first */
#define AE_OBJ_PROCESS       1u
#define AE_OBJ_THREAD        2u
#define AE_OBJ_ENDPOINT      3u
#define AE_OBJ_NOTIFICATION  4u
#define AE_OBJ_VMO           5u     /* memory object (also DMA and device memory) */
#define AE_OBJ_IRQ           6u     /* interrupt lines (a range of GSIs) */
#define AE_OBJ_IOPORTS       7u     /* an I/O port range */
#define AE_OBJ_DEVMEM        8u     /* a range of physical pages outside RAM */
#define AE_OBJ_LOG           9u     /* the kernel log (one object, the kernel's) */
#define AE_OBJ_TRACE        10u     /* the kernel trace rings (TraceBuf: one object) */
#define AE_OBJ_ANY           0xffu  /* syscall accepts a handle of any type */

/* "process", ... for an AE_OBJ_* type; "?" for anything else. */
static inline const char *ae_obj_type_name(unsigned type)
{
    static const char *const names[] = {"none", "process", "thread", "endpoint",
                                        "notification", "vmo", "irq", "ioports", "devmem",
                                        "log", "trace"};
    return type < sizeof(names) / sizeof(names[0]) ? names[type] : "?";
}

#endif

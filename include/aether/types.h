/*
 * Basic ABI types shared by the kernel and user space.
 */
#ifndef AETHER_TYPES_H
#define AETHER_TYPES_H

#include <stdint.h>

/* A handle names a capability in the calling process's table. 0 is never a
 * valid handle. Low 20 bits: slot; bits 20-30: generation, so a stale
 * handle to a reused slot is detected; bit 31 always clear. */
typedef uint32_t ae_handle_t;
#define AE_HANDLE_INVALID 0u

#ifndef AETHER_TYPES_STRUCTS
#define AETHER_TYPES_STRUCTS

/* handle_info */
struct ae_handle_info {
    uint32_t type;              /* AE_OBJ_* */
    uint32_t rights;
    uint64_t badge;
};
_Static_assert(sizeof(struct ae_handle_info) == 16, "ABI");

/* process_handles: one handle of a process */
struct ae_handle_entry {
    ae_handle_t handle;         /* its value in that process */
    uint32_t type;              /* AE_OBJ_*, AE_OBJ_NONE once revoked */
    uint32_t rights;
    uint32_t revoked;           /* 1: revoked, answers AE_ERR_REVOKED */
    uint64_t badge;
};
_Static_assert(sizeof(struct ae_handle_entry) == 24, "ABI");

/* Quota limits, in the order of the kernel's quota kinds. */
struct ae_quota_limits {
    uint64_t pages;             /* 4 KiB frames */
    uint64_t handles;
    uint64_t threads;
    uint64_t cpu_permille;      /* CPU share per 100 ms period, 1000 = one whole
                                 * CPU; what is carved for children is theirs */
};
_Static_assert(sizeof(struct ae_quota_limits) == 32, "ABI");

/* process_info */
struct ae_process_info {
    uint64_t pid;
    uint32_t state;             /* 0 alive, 1 dead */
    uint32_t nthreads;
    int64_t exit_status;
    struct ae_quota_limits limit;
    struct ae_quota_limits used;    /* charged by the process itself */
    struct ae_quota_limits carved;  /* given to its children */
    uint64_t cpu_ns;                /* CPU time used (sampled on the 1 ms tick) */
    uint64_t kernel_bytes;          /* kernel memory charged to it in bytes (its
                                     * objects, handles, tables): these occupy
                                     * ceil(kernel_bytes / 4096) of used.pages */
    uint64_t ipc_sent;              /* IPC messages it sent: sends, calls, replies
                                     * delivered (counted whether tracing is on or not) */
    uint64_t ipc_received;          /* messages delivered to it: received sends and
                                     * calls, replies to its calls, fault reports */
};
_Static_assert(sizeof(struct ae_process_info) == 152, "ABI");

/* Pages of QUOTA_PAGES every thread holds while it lives: its kernel stack
 * (its thread object is charged in kernel_bytes). */
#define AE_THREAD_KSTACK_PAGES 4

/* vmo_create flags, and vmo_info flags */
#define AE_VMO_CONTIGUOUS 1u    /* physically contiguous (DMA): phys is valid */
#define AE_VMO_DEVICE 2u        /* device memory (vmo_create_physical), uncached */

/* vmo_info */
struct ae_vmo_info {
    uint64_t size;
    uint64_t flags;             /* AE_VMO_* */
    uint64_t phys;              /* first page's physical address (contiguous or
                                 * device objects), else 0 */
};
_Static_assert(sizeof(struct ae_vmo_info) == 24, "ABI");

/* handle_derive flags */
#define AE_DERIVE_SET_BADGE 1u

/* irq_bind flags: the line is an ISA IRQ (0-15), translated to its GSI
 * with the firmware's polarity and trigger mode. */
#define AE_IRQ_ISA 1u
/* irq_bind flags for a GSI given as such: its polarity and trigger, as MPS
 * INTI bits (bits 1-0 polarity, 3-2 trigger: 1 high/edge, 3 low/level; 0
 * conforms to the bus: ISA's edge, active high). The ACPI _PRT gives them
 * for a PCI pin (ae_pci_route.inti_flags). The reserved value 2 in either
 * field, or these with AE_IRQ_ISA, is INVAL. */
#define AE_IRQ_INTI(f) (((uint32_t)(f) & 0xfu) << 8)
#define AE_IRQ_INTI_MASK (0xfu << 8)

/* Message-signalled interrupts (PCI MSI and MSI-X). IRQ objects number
 * them after the GSIs: line AE_IRQ_MSI_BASE + k is the kernel's k-th MSI
 * vector (init's boot-info handle `msi` covers all AE_IRQ_MSI_COUNT).
 * irq_bind binds one to a notification like a GSI; it needs no irq_ack
 * (the kernel never masks it: the device's own MSI-X mask bit does);
 * irq_msi_message says what the device must write to raise it. */
#define AE_IRQ_MSI_BASE 0x100u
#define AE_IRQ_MSI_COUNT 64u

/* irq_msi_message: write data (32 bits) to address to raise the line */
struct ae_msi_message {
    uint64_t address;
    uint32_t data;
    uint32_t reserved;
};
_Static_assert(sizeof(struct ae_msi_message) == 16, "ABI");

/* log_read: a cursor that takes over showing the log on the terminal
 * (the console V-Node): see docs/KERNEL.md, "The kernel log". */
#define AE_LOG_CURSOR_CONSOLE UINT64_MAX

/* Timeouts for waits: 0 polls, AE_WAIT_FOREVER blocks until woken. */
#define AE_WAIT_FOREVER UINT64_MAX

#endif

#endif

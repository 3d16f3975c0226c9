/*
 * IPC messages. A message is a label, four machine words and up to four
 * handles, all carried in registers (no memory is touched):
 *
 *   rsi  info: bits 0-31 label, bits 32-34 number of handles (0-4)
 *   rdx, r10, r8, r9   words 0-3
 *   r12  handles 0 (bits 0-31) and 1 (bits 32-63)
 *   r13  handles 2 and 3
 *
 * ipc_send / ipc_call / ipc_reply_recv take rdi = the endpoint handle;
 * ipc_reply takes none. On return from ipc_recv, ipc_call and
 * ipc_reply_recv the same registers hold the message received, and rdi the
 * badge of the sender's handle (0 for a reply). Handles sent are moved out
 * of the sender (each needs AE_RIGHT_GRANT) and arrive as new handles in the
 * receiver. Kernel fault reports arrive with label AE_MSG_FAULT.
 */
#ifndef AETHER_IPC_H
#define AETHER_IPC_H

#include <stdint.h>

#define AE_MSG_WORDS 4
#define AE_MSG_HANDLES 4

#define AE_MSG_INFO(label, nhandles) \
    ((uint64_t)(uint32_t)(label) | ((uint64_t)((nhandles) & 7) << 32))
#define AE_MSG_LABEL(info) ((uint32_t)(info))
#define AE_MSG_NHANDLES(info) ((unsigned)(((info) >> 32) & 7))
/* Service protocols put a reply's status (AE_OK or an AE_ERR_* code) in
 * its label; this reads it back as a signed value. */
#define AE_MSG_STATUS(info) ((int32_t)AE_MSG_LABEL(info))
/* Memory-object handles in the message are shared: the sender keeps its
 * mappings. Without it they are MOVEd: the sender's mappings of each VMO
 * are removed, and its charge moves to the receiver, before delivery. */
#define AE_MSG_SHARE (1ull << 35)

/* Fault report: words = {reason, faulting address, rip, pid}. */
#define AE_MSG_FAULT 0xfa170000u

enum ae_fault_reason {
    AE_FAULT_PAGE = 1,          /* page fault: address = CR2 */
    AE_FAULT_GP = 2,            /* general protection */
    AE_FAULT_UD = 3,            /* invalid opcode */
    AE_FAULT_DE = 4,            /* divide error */
    AE_FAULT_STACK = 5,         /* stack overflow into a guard page */
    AE_FAULT_OTHER = 6,         /* any other exception: address = vector */
    AE_FAULT_CPU_BUDGET = 7,    /* killed for exceeding its CPU budget */
};

#endif

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

#endif

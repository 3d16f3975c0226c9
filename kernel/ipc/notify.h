/*
 * Notifications: a word of signal bits (bits 0-62). notify_signal ORs bits
 * in and wakes one waiter; a wait returns the pending bits and clears them.
 * IRQ lines deliver through notifications. Kernel lock held.
 */
#ifndef KERNEL_IPC_NOTIFY_H
#define KERNEL_IPC_NOTIFY_H

#include <stdint.h>

#include "lib/list.h"
#include "obj/kobj.h"

#define NOTIFY_BITS_MASK 0x7fffffffffffffffull

struct notify {
    struct kobj obj;
    uint64_t bits;
    struct list_node waiters;
};

/* A new notification, its bytes charged to payer (NULL: the kernel's). */
int notify_create(struct quota *payer, struct notify **out);
void notify_destroy(struct notify *n);
/* AE_ERR_INVAL for bits outside NOTIFY_BITS_MASK or 0. */
int notify_signal(struct notify *n, uint64_t bits);
/* Returns the pending bits (> 0). timeout_ns 0 polls (AE_ERR_TIMEOUT when
 * none are pending); UINT64_MAX waits forever. */
int64_t notify_wait(struct notify *n, uint64_t timeout_ns);

#endif

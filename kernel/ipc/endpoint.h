/*
 * Synchronous IPC endpoints. Senders and receivers rendezvous: whoever comes
 * second copies the message registers from one thread's saved frame to the
 * other's and moves the handles. ipc_call blocks the caller until the
 * receiving thread replies, and switches to that thread directly when it is
 * on the same CPU; ipc_reply_recv switches straight back to the caller. An
 * endpoint with no live RECV capability left fails every send with
 * AE_ERR_PEER_CLOSED. Kernel lock held throughout.
 */
#ifndef KERNEL_IPC_ENDPOINT_H
#define KERNEL_IPC_ENDPOINT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/list.h"
#include "obj/kobj.h"

struct cap;
struct thread;

struct endpoint {
    struct kobj obj;
    struct list_node senders;   /* threads blocked in send/call, FIFO */
    struct list_node receivers; /* threads blocked in recv */
    struct list_node faults;    /* queued fault reports */
    uint32_t recv_caps;         /* live capabilities with AE_RIGHT_RECV */
};

/* A new endpoint, its bytes charged to payer (NULL: the kernel's). */
int endpoint_create(struct quota *payer, struct endpoint **out);
void endpoint_destroy(struct endpoint *ep);
/* Capability bookkeeping (handles.c): a cap with these rights appeared or
 * went away. */
void endpoint_cap_gained(struct endpoint *ep, uint32_t rights);
void endpoint_cap_lost(struct endpoint *ep, uint32_t rights);

/* The calls, for the current thread; the message is in its trap frame. */
int64_t ipc_send(struct endpoint *ep, uint64_t badge, bool call);
int64_t ipc_recv(struct endpoint *ep);
int64_t ipc_reply(struct endpoint *then_recv);
/* A thread is dying: release IPC partners. */
void ipc_thread_dying(struct thread *t);
/* Queues a kernel fault report (label AE_MSG_FAULT) to ep. */
int ipc_post_fault(struct endpoint *ep, uint64_t badge, const uint64_t words[4]);

#endif

/*
 * Kernel tracing (docs/TRACE.md): the layout of the per-CPU trace rings a
 * TraceBuf holder maps read-only, the record every trace point writes, and
 * the stream the scope V-Node sends out of COM2 for aether-scope.
 *
 * Rings: one per CPU. The TraceBuf mapping is a header page (one 64-byte
 * struct ae_trace_ring_hdr per CPU, CPU 0 first) followed by each CPU's
 * ring, AE_TRACE_RING_RECORDS records of 64 bytes (1 MiB), CPU 0 first;
 * record seq lives at index seq % AE_TRACE_RING_RECORDS. Only the CPU that
 * owns a ring writes it (with interrupts off), so writers take no lock. A
 * writer first sets the slot's seq to 0 (the slot is being rewritten),
 * then fills the record, then publishes it by storing its sequence number
 * last (release order), then the header's head (once per batch of records
 * written together, which share a timestamp); a reader copies a record
 * and accepts it only if seq is the one it expects both before and after
 * the copy (the ring may have lapped it). The first store matters: without
 * it a reader could see the old seq on both sides of a copy that caught
 * half of the new record. user/lib/trace_read.h is such a reader.
 *
 * The mapping (trace_map): AE_TRACE_MAP_BYTES(n) bytes for n CPUs, the
 * CPUs 0..n-1 that exist (at most AE_TRACE_MAX_CPUS); header i describes
 * ring i.
 */
#ifndef AETHER_TRACE_H
#define AETHER_TRACE_H

#include <stdint.h>

#define AE_TRACE_RING_RECORDS 16384u                /* a power of two: 1 MiB a CPU */
#define AE_TRACE_RECORD_SIZE 64u
#define AE_TRACE_RING_BYTES (AE_TRACE_RECORD_SIZE * AE_TRACE_RING_RECORDS)
#define AE_TRACE_MAX_CPUS 64u                      /* every CPU the kernel runs */
#define AE_TRACE_HEADER_BYTES 4096u                 /* one page of ring headers */
#define AE_TRACE_MAP_BYTES(ncpus) \
    (AE_TRACE_HEADER_BYTES + (uint64_t)(ncpus) * AE_TRACE_RING_BYTES)

/* trace_ctl ops */
#define AE_TRACE_CTL_SET 0u         /* arg 0 off, 1 on: returns the previous state */
#define AE_TRACE_CTL_QUERY 1u       /* returns the state (0 off, 1 on) */

/* AE_TRACE_QUOTA_DENY arg0: the resource refused */
#define AE_TRACE_RES_PAGES 0u       /* asked, left: pages */
#define AE_TRACE_RES_THREADS 1u
#define AE_TRACE_RES_HANDLES 2u
#define AE_TRACE_RES_KBYTES 3u      /* kernel memory: asked, left in bytes */
#define AE_TRACE_RES_CPU 4u         /* CPU share (per-mille) */

/* ae_trace_rec.type */
enum ae_trace_type {
    AE_TRACE_NONE = 0,
    AE_TRACE_IPC_SEND = 1,      /* a message delivered, pid (tid) -> peer: arg0 badge,
                                 * arg1 its info word as delivered (label bits
                                 * 0-31, handles moved bits 32-34: aether/ipc.h),
                                 * arg2 ns the side that had been blocked waited
                                 * (0 if unknown), arg3 AE_TRACE_IPC_* flags
                                 * (bits 0-31) and the receiving tid (32-63).
                                 * Every message has AE_MSG_WORDS words. The
                                 * receipt is part of this record. */
    AE_TRACE_IPC_CALL = 2,      /* as SEND, the caller then waits for the reply */
    AE_TRACE_IPC_REPLY = 3,     /* as SEND, pid the server, peer the caller (who had
                                 * waited since its call: RECEIVER_WAITED) */
    AE_TRACE_IPC_RECV = 4,      /* a kernel fault report received by pid (peer 0):
                                 * arg0 badge, arg1 info (label AE_MSG_FAULT),
                                 * arg2 ns it waited, arg3 0 */
    AE_TRACE_SWITCH = 5,        /* on this CPU: from pid/tid to peer/arg0 (tid);
                                 * arg1 1 if the previous thread blocked, 2 if it
                                 * exited, 0 if it is still runnable (an IPC
                                 * hand-off is in its IPC record instead) */
    AE_TRACE_PAGE_FAULT = 6,    /* pid faulted: arg0 address, arg1 rip, arg2 error code,
                                 * arg3 1 if it was fatal */
    AE_TRACE_QUOTA_DENY = 7,    /* pid refused: arg0 resource (0 pages, 1 threads,
                                 * 2 handles, 3 kernel bytes, 4 CPU share:
                                 * AE_TRACE_RES_*), arg1 asked, arg2 left */
    AE_TRACE_IRQ = 8,           /* arg0 vector, arg1 GSI (or ~0) */
    AE_TRACE_PROC_SPAWN = 9,    /* pid created peer (the child); arg0..arg2 its name,
                                 * NUL-padded (24 bytes) */
    AE_TRACE_PROC_EXIT = 10,    /* pid ended: arg0 exit status, arg1 1 if killed */
    AE_TRACE_PROC_FAULT = 11,   /* pid killed by a fault: arg0 reason, arg1 address,
                                 * arg2 rip */
    AE_TRACE_PROC_RESTART = 12, /* init restarted peer (new pid arg0); user-emitted */
    AE_TRACE_LOST = 13,         /* stream only: arg0 records lost on CPU `cpu` */
    AE_TRACE_VNODE = 14,        /* stream only: a V-Node snapshot (see below) */
};

/* arg3 of an IPC_SEND/CALL/REPLY record */
#define AE_TRACE_IPC_RECV_TID(a3) ((uint32_t)((a3) >> 32))        /* receiving thread */
/* The sender blocked and the receiver ran next on this CPU, at the
 * record's time: the context switch has no SWITCH record of its own. */
#define AE_TRACE_IPC_HANDOFF 1u
/* The receiver had been blocked waiting (in recv, or for this reply):
 * arg2 is how long. */
#define AE_TRACE_IPC_RECEIVER_WAITED 2u
/* The sender had been queued, the receiver busy: arg2 is how long. */
#define AE_TRACE_IPC_SENDER_WAITED 4u

struct ae_trace_rec {
    uint64_t seq;               /* per-CPU number, from 1; 0 = never written */
    uint64_t ts_ns;             /* nanoseconds since boot (the kernel clock) */
    uint16_t type;              /* enum ae_trace_type */
    uint16_t cpu;
    uint32_t pid;               /* the acting process (0: the kernel, idle) */
    uint32_t tid;               /* the acting thread */
    uint32_t peer;              /* the other process, if any */
    uint64_t arg[4];
};
_Static_assert(sizeof(struct ae_trace_rec) == AE_TRACE_RECORD_SIZE, "ABI");

/* One per CPU in the header page. */
struct ae_trace_ring_hdr {
    uint64_t magic;             /* AE_TRACE_MAGIC */
    uint32_t cpu;
    uint32_t nrecords;          /* AE_TRACE_RING_RECORDS */
    uint64_t head;              /* seq of the newest published record */
    uint64_t enabled;           /* tracing on (1) or off (0), for readers' information */
    uint64_t tsc_base;          /* the clock: ns = (tsc - tsc_base) * tsc_mult >> 32 */
    uint64_t tsc_mult;
    uint64_t reserved[2];
};
_Static_assert(sizeof(struct ae_trace_ring_hdr) == 64, "ABI");
#define AE_TRACE_MAGIC 0x31454341525441ull     /* "ATRACE1" */

/* A V-Node snapshot: the scope V-Node sends one per V-Node about once a
 * second ('V' frames below), from init's list. */
struct ae_trace_vnode {
    char name[24];
    uint32_t state;             /* enum ae_vnode_state (proto/init.h) */
    uint32_t restarts;
    uint64_t cpu_ns;
    uint64_t pages_used;
    uint64_t pages_quota;
    uint64_t ipc_sent;          /* messages sent so far (calls, sends, replies) */
    uint64_t ipc_received;
    uint64_t reserved;          /* zero: pads to the 80 bytes the 'V' frame documents */
};
_Static_assert(sizeof(struct ae_trace_vnode) == 80, "ABI");

/*
 * The COM2 stream: a sequence of frames, each
 *     magic "AT" (2 bytes), type (1 byte: 'R' record, 'V' V-Node snapshot,
 *     'C' a V-Node's handles, 'H' hello), length (1 byte: payload bytes),
 *     payload, checksum (1 byte: the payload bytes summed mod 256)
 * 'H': payload "AETHER-TRACE 1" and the TSC-free clock base (8 bytes ns);
 * 'R': a struct ae_trace_rec (64 bytes);
 * 'V': ts_ns (8 bytes), pid (4), reserved (4), struct ae_trace_vnode (80);
 * 'C': struct ae_trace_caps_hdr (16 bytes), then up to AE_TRACE_CAPS_FRAME
 *      struct ae_trace_cap (20 bytes each): part of the handle list of the
 *      V-Node running as pid, from entry `first` on. A list is sent whole,
 *      in order (first 0, 11, 22, ...), at most AE_TRACE_CAPS_MAX entries.
 * A reader that loses sync skips to the next "AT" whose frame checks out.
 */
struct ae_trace_caps_hdr {
    uint64_t ts_ns;
    uint32_t pid;
    uint16_t total;             /* handles it holds (the list may stop short) */
    uint16_t first;             /* index of this frame's first entry */
};
_Static_assert(sizeof(struct ae_trace_caps_hdr) == 16, "ABI");

struct ae_trace_cap {
    uint32_t handle;            /* its value in that process */
    uint16_t type;              /* AE_OBJ_* (include/aether/objects.h) */
    uint16_t revoked;           /* 1: revoked */
    uint32_t rights;            /* AE_RIGHT_* */
    uint32_t badge_lo, badge_hi;    /* (so the entry packs to 20 bytes) */
};
_Static_assert(sizeof(struct ae_trace_cap) == 20, "ABI");
#define AE_TRACE_CAPS_FRAME 11u     /* entries a frame holds: 16 + 11 * 20 <= 255 */
#define AE_TRACE_CAPS_MAX 64u

#define AE_TRACE_FRAME_MAGIC0 'A'
#define AE_TRACE_FRAME_MAGIC1 'T'

#endif

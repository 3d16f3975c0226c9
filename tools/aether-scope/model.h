/*
 * The model of the running system that aether-scope shows: V-Nodes (by
 * name, with every pid they ran as), their state, CPU and memory, the IPC
 * between them as edges with counts and rates, and bounded histories.
 * Pure: fed decoded stream events (decode.h), read by the JSON writers
 * and the exporter; every table has a fixed size, so a hostile or
 * runaway stream costs bounded memory.
 */
#ifndef SCOPE_MODEL_H
#define SCOPE_MODEL_H

#include <stdint.h>

#include "decode.h"
#include "rate.h"

#define SM_MAX_NODES 128u
#define SM_MAX_EDGES 512u
#define SM_MAX_PIDS 1024u
#define SM_EVENTS 256u          /* recent notable events kept */
#define SM_NODE_IPC 64u         /* recent messages kept per V-Node */
#define SM_FAULT_HOLD_NS 1500000000ull  /* "faulted" shows this long */
#define SM_NAME_MAX 24u

/* What the page shows; the first five are the ones it colours. */
enum sm_state {
    SM_RUNNING,
    SM_BLOCKED,
    SM_FAULTED,
    SM_RESTARTING,
    SM_FAILED,
    SM_STOPPED,
    SM_EXITED,
    SM_REFUSED,
    SM_UNKNOWN,
};

/* Model event types beyond enum ae_trace_type (recent-events buffer). */
#define SM_EV_STATE 100         /* a snapshot changed a V-Node's state: arg0 old, arg1 new */
#define SM_EV_HELLO 101         /* the stream (re)started: arg0 version, arg1 clock base */

struct sm_ipc {
    uint64_t ts;
    uint64_t badge, label;
    uint32_t words, handles;
    uint64_t waited_ns;         /* how long the side that had been blocked waited */
    uint16_t type;              /* AE_TRACE_IPC_SEND / CALL / REPLY */
    uint8_t outgoing;           /* 1: this V-Node sent it */
    int peer;                   /* node index, -1 for the kernel */
    uint32_t peer_pid;
};

/* A handle a V-Node holds ('C' frames: init's INIT_CAPS, sent by scope). */
struct sm_cap {
    uint32_t handle, type, rights, revoked;
    uint64_t badge;
};

struct sm_node {
    char name[SM_NAME_MAX + 1];
    int placeholder;            /* named "pid N": no name known yet */
    int merged_into;            /* -1, or the named node this placeholder became */
    uint32_t pid;               /* the newest pid it ran as */
    /* Life state: from snapshots, spawn/restart and exit records, whichever
     * is newest (life_ts); info_ts is the newest snapshot or spawn. */
    enum sm_state life;
    uint64_t life_ts, info_ts;
    int blocked;                /* last switch-out blocked, no switch-in since */
    uint64_t fault_ts;          /* newest fatal fault (0: none) */
    uint32_t fault_pid;
    /* From the newest snapshot. */
    int has_snapshot;
    uint32_t snap_state, restarts;
    uint64_t snap_ts, cpu_ns, pages_used, pages_quota, ipc_sent, ipc_received;
    double cpu_pct;             /* cpu_ns growth over the last two snapshots */
    /* From records. */
    uint64_t run_ns;            /* time on a CPU, from context switches */
    uint64_t msgs_out, msgs_in, page_faults, faults, quota_denials, spawns;
    struct sm_ipc ipc[SM_NODE_IPC];     /* ring, newest at (ipc_next - 1) */
    unsigned ipc_next, ipc_count;
    /* Its handles, from the newest list ('C' frames) of caps_pid. */
    int has_caps;
    uint32_t caps_pid, caps_total;      /* total: how many it held (ncaps may stop short) */
    uint64_t caps_ts;
    unsigned ncaps;
    struct sm_cap caps[AE_TRACE_CAPS_MAX];
};

struct sm_edge {
    int src, dst;               /* -1: folded into another edge (node merge) */
    uint64_t count;
    uint64_t by_type[3];        /* SEND, CALL, REPLY */
    uint64_t last_ts;
    struct sr_rate rate;
};

struct sm_event {
    uint64_t ts;
    uint16_t type;              /* enum ae_trace_type or SM_EV_* */
    uint16_t cpu;
    uint32_t pid, tid, peer;
    int node, peer_node;        /* -1: none */
    uint64_t arg[4];
};

struct sm_stats {
    uint64_t records, snapshots, hellos, lost, irqs, ipc, switches, caps_frames;
    uint64_t node_overflow, edge_overflow;      /* refused: table full */
    uint32_t version;
    uint64_t clock_base_ns;
};

struct sm_model {
    uint64_t now;               /* newest timestamp seen */
    struct sm_node nodes[SM_MAX_NODES];
    unsigned nnodes;
    struct sm_edge edges[SM_MAX_EDGES];
    unsigned nedges;
    struct { uint32_t pid; int node; } pids[SM_MAX_PIDS];
    unsigned npids, pid_next;   /* pid_next: slot reused when full */
    struct sm_event events[SM_EVENTS];
    unsigned ev_next, ev_count;
    struct { uint32_t pid, tid; uint64_t since; int valid; } cpu[AE_TRACE_MAX_CPUS];
    struct sm_stats stats;
};

void sm_init(struct sm_model *m);
/* Applies one decoded stream event (an sd_emit_fn's body). */
void sm_apply(struct sm_model *m, const struct sd_event *ev);
void sm_apply_cb(void *model, const struct sd_event *ev);

/* The node a pid ran as, or -1 (pid 0, or never seen). Merged
 * placeholders are followed to the node they became. */
int sm_node_of_pid(const struct sm_model *m, uint32_t pid);
int sm_node_by_name(const struct sm_model *m, const char *name);
/* Follows merged placeholders; -1 stays -1. */
int sm_resolve(const struct sm_model *m, int node);
enum sm_state sm_node_state(const struct sm_model *m, const struct sm_node *n);
const char *sm_state_name(enum sm_state s);
/* Messages per second on an edge over the window ending at m->now. */
double sm_edge_rate(const struct sm_model *m, const struct sm_edge *e);
/* i-th newest event (0 = newest), or NULL. */
const struct sm_event *sm_event_at(const struct sm_model *m, unsigned i);
const struct sm_ipc *sm_node_ipc_at(const struct sm_node *n, unsigned i);

#endif

/*
 * init's state: the table of V-Nodes from the initrd and what each is
 * doing. One thread (the main loop, main.c) owns it; the supervisor threads
 * (supervise.c) only read a V-Node's process handle after an IPC exchange
 * with the main loop, which orders their accesses.
 *
 * The main loop serves one endpoint (the boot info's fault endpoint) and
 * tells callers apart by badge:
 *   id                  a V-Node (its name-service handle): ns.c, ctl.c
 *   BADGE_FAULT | id    the kernel's fault report for V-Node id
 *   BADGE_SUPER | id    V-Node id's supervisor thread
 *   BADGE_TICK          the CPU watchdog's tick (watchdog.c)
 */
#ifndef INIT_INIT_H
#define INIT_INIT_H

#include <stdbool.h>
#include <stdint.h>

#include "aefs.h"
#include "aether.h"
#include "aether/vnode.h"
#include "manifest.h"
#include "policy.h"
#include "trust/bundle.h"
#include "trust/trustroot.h"

#define MAX_VNODES 32
#define BADGE_FAULT (1ull << 62)
#define BADGE_SUPER (1ull << 61)
#define BADGE_TICK (1ull << 60)     /* the CPU watchdog's ticks */
#define BADGE_ID(b) ((uint32_t)((b) & 0xffffffffu))

/* init-internal operations, from a supervisor thread (labels) */
enum super_op {
    SUPER_EXITED = 0x5e000001,  /* w[0] exit status; reply: what next */
    SUPER_DUE = 0x5e000002,     /* the wait or sleep is over; reply: what next */
    WATCH_TICK = 0x5e000003,    /* from the watchdog's thread */
};
/* replies to a supervisor (labels) */
enum super_act {
    ACT_WAIT = 1,               /* wait for the process in vn->proc */
    ACT_SLEEP = 2,              /* sleep w[0] ns, then SUPER_DUE */
    ACT_PARK = 3,               /* wait for vn->wake, then SUPER_DUE */
};

enum vnode_state {
    VN_REFUSED,                 /* not admitted: reason says why */
    VN_STOPPED,                 /* admitted, not running (boot = no, or stopped) */
    VN_RUNNING,
    VN_RESTARTING,              /* waiting out its backoff */
    VN_EXITED,                  /* ended, and its policy keeps it down */
    VN_FAILED,                  /* too many restarts in a row */
};

/* Where a V-Node came from: its bundle, and what checking it found. */
struct vnode_bundle {
    char name[AE_BUNDLE_NAME_MAX];
    uint64_t version;
    uint8_t root[32];
    uint64_t payload_size;
    uint32_t signers;           /* bit i: trust key i signed validly */
    uint32_t nsigners;
    uint32_t nfiles;
    uint64_t blocks_checked;
    uint64_t verify_cycles;     /* TSC cycles the last check took */
    int status;                 /* AE_OK, or why it was refused */
    const char *stage;          /* where a check failed: "signatures", ... */
};

struct vnode {
    uint32_t id;                /* 1-based index: the badge of its handles */
    struct manifest m;
    struct vnode_bundle bundle;
    const void *elf;            /* its binary: init's checked copy (trust.c) */
    uint64_t elf_size;
    enum vnode_state state;
    char reason[128];           /* refusal or last end, for logs and ps */
    ae_handle_t proc;           /* while running: its process [all rights] */
    uint64_t pid;
    uint32_t generation;        /* starts so far */
    struct policy policy;
    struct policy_state pst;
    uint64_t started_ns;
    bool fault_seen;            /* a fault report came for this run */
    uint64_t fault[4];          /* reason, address, rip, pid */
    bool want_up;               /* it should run: boot set or start; stop clears */
    bool restart_now;           /* restart asked: start again at once, whatever the policy */
    bool super_started;
    ae_handle_t wake;           /* notification that unparks its supervisor */
    ae_handle_t svc[MANIFEST_SERVICES_MAX];     /* registered endpoints, per provides[] */
    uint64_t watch_at, watch_cpu;   /* the watchdog's last sample: clock, CPU time */
    unsigned hot_ticks;             /* ticks in a row at its whole CPU budget */
    uint32_t svc_gen[MANIFEST_SERVICES_MAX];
};

struct init_state {
    const struct ae_bootinfo *bi;
    ae_handle_t ep;             /* the main endpoint */
    ae_handle_t initrd_vmo;     /* the initrd module (read-only), 0 if none */
    uint64_t initrd_size;
    struct aefs fs;             /* the initrd, an AetherFS image */
    struct ae_trust_root trust; /* the trust root in force */
    uint32_t trust_rotations;   /* successors accepted at boot */
    struct ae_hwm hwm;          /* highest version seen per name */
    unsigned nvnodes;
    struct vnode vnodes[MAX_VNODES];
    bool ready_said;
};

extern struct init_state g;

/* The operation serving the current request keeps its handle h[i]
 * (otherwise the main loop closes every handle a request brought). */
void keep_request_handle(unsigned i);

struct vnode *vnode_by_id(uint32_t id);
struct vnode *vnode_by_name(const char *name);

/* boot.c: finds the initrd and fills g.vnodes from it. */
int boot_read_initrd(void);
/* trust.c */
#define INITRD_VA 0x0000400000000000ull
#define TRUST_VA 0x00003ff000000000ull
const void *trust_map_module(const char *name, uint64_t va, uint64_t *size, ae_handle_t *vmo);
int trust_init(void);           /* the trust root in force, the marks */
/* Checks vn's bundle entry e: header, mark, signatures, content. full: every
 * block of it (vnode verify); else the manifest and binary are read (each
 * block checked) into vn. Returns AE_OK or the reason; *what: the stage. */
int trust_check_bundle(struct vnode *vn, const struct aefs_entry *e, bool full,
                       const char **what);
/* vnode verify: checks vn's bundle again, from the image. */
int trust_reverify(struct vnode *vn);
/* start.c: starts vn's process; AE_OK or an error (logged, vn->reason). */
int vnode_start(struct vnode *vn);
/* supervise.c */
void super_spawn(struct vnode *vn);
void super_on_fault(struct vnode *vn, const uint64_t words[4]);
/* Handles a supervisor's message in m; fills the reply. */
void super_serve(struct vnode *vn, struct ae_msg *m);
/* watchdog.c */
void watchdog_start(void);
void watchdog_tick(void);
/* ctl.c: an "init" service request; fills the reply. */
void ctl_serve(struct vnode *caller, struct ae_msg *m);
/* pcigrant.c: AE_INIT_PCI_GRANT from the pci V-Node; the reply's status. */
int64_t pcigrant_serve(struct vnode *caller, struct ae_msg *m);
/* vn ended: its PCI functions stop mastering the bus (no DMA or MSI into
 * memory that is no longer its). */
void pcigrant_release(struct vnode *vn);
/* ns.c: a V-Node's name-service request; fills the reply. */
void ns_serve(struct vnode *caller, struct ae_msg *m);
/* The names of init's own services ("init", "log", "initrd"), NULL-ended. */
extern const char *const ns_builtin_names[];
/* Closes the service endpoints vn registered (it died). */
void ns_forget(struct vnode *vn);
/* True when every boot V-Node runs and has registered what it provides. */
bool ns_boot_set_ready(void);

#endif

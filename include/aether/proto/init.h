/*
 * The "init" service: control of V-Nodes, for those whose manifest needs
 * "init" (the shell). Served on init's name-service endpoint: look it up
 * like any service. Bulk results go into the caller's transfer buffer
 * (INIT_SETBUF), as for the console.
 *
 *   INIT_SETBUF   h[0] VMO [READ WRITE MAP], w[0] size (4096..65536, pages)
 *   INIT_LIST     -> w[0] n: n struct ae_vnode_status in the buffer, init
 *                 itself first (id 0); IPC counts from the kernel (process_info)
 *   INIT_START    w[0..2] name -> AE_OK; NOTFOUND; BUSY (running)
 *   INIT_STOP     w[0..2] name -> AE_OK (it is killed, not restarted)
 *   INIT_RESTART  w[0..2] name -> AE_OK (killed if running, started again)
 *   INIT_KILL     w[0..2] name, w[3] status -> AE_OK (killed; its restart
 *                 policy then applies, as to any other end)
 *   INIT_CAPS     w[0..2] name -> w[0] n: n struct ae_handle_entry in the
 *                 buffer (the handles it holds now); w[1] how many it has
 *   INIT_MEM      -> w[0] pages init was given, w[1] pages still free in
 *                 it, w[2] pages carved out to V-Nodes
 *   INIT_LOG      -> w[0] n: the newest n bytes of the system log (kernel
 *                 and V-Node lines) in the buffer, whole lines
 *   INIT_POWEROFF, INIT_REBOOT -> does not return on success
 *   INIT_BUNDLES  -> w[0] n: n struct ae_bundle_status in the buffer, one
 *                 per V-Node bundle in the initrd (admitted or refused)
 *   INIT_VERIFY   w[0..2] name -> the status of checking its bundle again
 *                 from the image: signatures, every block, the directory;
 *                 one struct ae_bundle_status in the buffer
 *   INIT_TRUST    -> struct ae_trust_status in the buffer
 *
 * The reply's label is the status. Names are NUL-padded, at most 23 bytes.
 *
 * One operation is not part of the "init" service: the pci V-Node (a
 * manifest with pci_ecam = yes) sends it on its name-service handle.
 *
 *   INIT_PCI_GRANT  w[0] a V-Node's id, h[0] a VMO [READ WRITE MAP] (SHARE)
 *                   holding a struct ae_pci_grant whose dev is filled in
 *                   -> AE_OK and the rest of the grant filled in: init put
 *                   the function's configuration page, BARs and MSI lines
 *                   in that V-Node's handle table. ACCESS: its manifest's
 *                   pci_device is another; BUSY: another running V-Node
 *                   has it; EXISTS: given already in this run; NOTFOUND:
 *                   no running V-Node, or a bus outside every ECAM region.
 */
#ifndef AETHER_PROTO_INIT_H
#define AETHER_PROTO_INIT_H

#include <stdint.h>

enum ae_init_op {
    AE_INIT_SETBUF = 0x100,
    AE_INIT_LIST,
    AE_INIT_START,
    AE_INIT_STOP,
    AE_INIT_RESTART,
    AE_INIT_KILL,
    AE_INIT_CAPS,
    AE_INIT_MEM,
    AE_INIT_POWEROFF,
    AE_INIT_REBOOT,
    AE_INIT_LOG,
    AE_INIT_BUNDLES,
    AE_INIT_VERIFY,
    AE_INIT_TRUST,
    AE_INIT_PCI_GRANT = 0x180,
};

struct ae_bundle_status {
    char name[24];
    uint64_t version;           /* AE_BUNDLE_VERSION (include/aether/bundle.h) */
    uint8_t root[32];           /* the signed Merkle root of its payload */
    uint64_t payload_size;
    uint32_t signers;           /* bit i: key i of the trust root signed validly */
    uint32_t nsigners;
    int32_t status;             /* AE_OK, or why it is refused */
    uint32_t nfiles;
    uint64_t blocks_checked;
    uint64_t verify_cycles;     /* TSC cycles of the last check */
    char stage[16];             /* where a check failed: "signatures", ... */
};
_Static_assert(sizeof(struct ae_bundle_status) == 120, "ABI");

struct ae_trust_status {
    uint32_t version;
    uint32_t threshold;
    uint32_t nkeys;
    uint32_t rotations;         /* successor roots accepted at boot */
    uint8_t keys[16][32];
};
_Static_assert(sizeof(struct ae_trust_status) == 528, "ABI");

/* ae_vnode_status.state */
enum ae_vnode_state {
    AE_VNODE_REFUSED,
    AE_VNODE_STOPPED,
    AE_VNODE_RUNNING,
    AE_VNODE_RESTARTING,
    AE_VNODE_EXITED,
    AE_VNODE_FAILED,
};

struct ae_vnode_status {
    char name[24];
    uint32_t id;
    uint32_t state;             /* enum ae_vnode_state */
    uint64_t pid;               /* 0 when not running */
    uint32_t restarts;          /* restarts ever */
    uint32_t generation;        /* starts ever */
    uint64_t pages_used;        /* now, including its kernel memory */
    uint64_t pages_quota;
    uint64_t cpu_ns;            /* CPU time of its current run */
    uint32_t threads;
    uint32_t handles;
    char reason[80];            /* why refused / how it last ended */
    uint64_t ipc_sent;          /* messages of its current run: sends, calls, replies */
    uint64_t ipc_received;
};
_Static_assert(sizeof(struct ae_vnode_status) == 176, "ABI");

/* "running", ... for an ae_vnode_state; "?" for anything else. */
static inline const char *ae_vnode_state_name(uint32_t s)
{
    static const char *const names[] = {"refused", "stopped", "running", "restarting",
                                        "exited", "failed"};
    return s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

#endif

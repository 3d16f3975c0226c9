/*
 * Clients of services found through init's name service
 * (include/aether/proto/ns.h).
 *
 *     struct ae_svc con;
 *     if (ae_svc_connect(&con, "console") == AE_OK) ...
 *     r = ae_svc_call(&con, &msg);
 *     if (r == AE_ERR_PEER_RESTARTED)   // reconnected: redo the session
 *
 * A call that finds the server gone (AE_ERR_PEER_CLOSED) looks the service
 * up again, waiting while init restarts it, and returns
 * AE_ERR_PEER_RESTARTED with the new generation in svc->generation, or the
 * lookup's error if the service does not come back.
 */
#ifndef USER_LIB_SVC_H
#define USER_LIB_SVC_H

#include "aether.h"
#include "aether/proto/ns.h"
#include "aether/vnode.h"

struct ae_svc {
    char name[AE_NS_NAME_MAX];
    ae_handle_t ep;             /* SEND, badged by init with our id; 0 = none */
    uint32_t generation;
};

/* The info page of a V-Node started by init, or NULL (init itself, ktest). */
const struct ae_vnode_info *ae_vnode_info(void);
/* The first hardware grant of this kind in vi (AE_VNODE_HW_*), or NULL. */
const struct ae_vnode_hw *ae_vnode_hw(const struct ae_vnode_info *vi, uint32_t kind);

/* Packs a service name into three message words; AE_ERR_INVAL when it is
 * empty or too long. */
int ae_ns_pack_name(const char *name, uint64_t w[3]);
/* Makes ep (keep its RECV) reachable as name: AE_OK or the ns error. */
int64_t ae_ns_register(const char *name, ae_handle_t ep);
/* One lookup, no waiting: AE_OK and *ep, *generation; or the ns error. */
int64_t ae_ns_lookup(const char *name, ae_handle_t *ep, uint32_t *generation);
/* The same for init's own names ("initrd", "log"): the handle and the
 * reply's first word whole (the initrd's size). */
int64_t ae_ns_lookup_word(const char *name, ae_handle_t *h, uint64_t *w0);

/* Looks name up, waiting up to AE_SVC_WAIT_NS while it is AE_ERR_AGAIN. */
#define AE_SVC_WAIT_NS (10ull * 1000 * 1000 * 1000)
int64_t ae_svc_connect(struct ae_svc *s, const char *name);
/* ae_ipc_call on the service, reconnecting as described above. */
int64_t ae_svc_call(struct ae_svc *s, struct ae_msg *m);
void ae_svc_close(struct ae_svc *s);

#endif

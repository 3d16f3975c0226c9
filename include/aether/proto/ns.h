/*
 * The name service, served by init on the endpoint every V-Node finds in
 * its info page (ae_vnode_info.ns, badged with its V-Node id, so init knows
 * who asks). Service names are at most AE_NS_NAME_MAX - 1 bytes, carried
 * NUL-padded in w[0..2].
 *
 *   NS_REGISTER  w[0..2] name, h[0] the service's endpoint, with SEND,
 *                DERIVE and GRANT (keep RECV: when the server dies its
 *                clients then see AE_ERR_PEER_CLOSED)
 *                -> AE_OK, w[0] generation;
 *                   AE_ERR_ACCESS (the manifest does not provide it),
 *                   AE_ERR_INVAL (bad name, no or wrong handle)
 *   NS_LOOKUP    w[0..2] name
 *                -> AE_OK, h[0] SEND handle badged with the caller's id,
 *                   w[0] generation (bumped at every restart);
 *                   AE_ERR_ACCESS (the manifest does not need it),
 *                   AE_ERR_NOTFOUND (no V-Node provides it),
 *                   AE_ERR_AGAIN (its provider is starting or restarting)
 *
 * init serves three names itself: "init" (its control service,
 * proto/init.h), "initrd" (h[0] a read-only VMO of the initrd, w[0] its
 * size) and "log" (h[0] a READ handle to the kernel log).
 *
 * The reply's label is the status (AE_OK or an AE_ERR_* code).
 */
#ifndef AETHER_PROTO_NS_H
#define AETHER_PROTO_NS_H

#define AE_NS_NAME_MAX 24

enum ae_ns_op {
    AE_NS_REGISTER = 1,
    AE_NS_LOOKUP = 2,
};

#endif

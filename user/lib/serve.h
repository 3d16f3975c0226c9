/*
 * A service's server loop with a call table:
 *
 *     static const struct ae_serve_op ops[] = {
 *         {AE_VFS_OPEN, op_open}, {AE_VFS_READ, op_read}, ...
 *     };
 *     return ae_serve("vfs", ops, sizeof(ops) / sizeof(ops[0]));
 *
 * ae_serve makes an endpoint, registers it with init's name service under
 * name, and answers requests for ever: the handler for the request's label
 * gets the message (badge = the client's V-Node id) and returns the reply's
 * status; it may set the reply's words in m->w. A label without a handler
 * answers AE_ERR_UNSUPPORTED. Handles a request brought are closed after
 * its handler unless the handler took them (set m->h[i] to 0). A reply
 * carries handles only when the handler says so with ae_serve_reply_handles
 * (it then owns every handle the request brought: it closes or keeps them).
 * Returns only if registering or receiving fails.
 */
#ifndef USER_LIB_SERVE_H
#define USER_LIB_SERVE_H

#include <stdbool.h>

#include "aether.h"

struct ae_serve_op {
    uint32_t label;
    int64_t (*fn)(struct ae_msg *m);
};

int64_t ae_serve(const char *name, const struct ae_serve_op *ops, unsigned nops);

/* In a handler: the reply carries h[0..n) (moved to the client; with share,
 * memory objects stay mapped here). */
void ae_serve_reply_handles(struct ae_msg *m, const ae_handle_t *h, unsigned n, bool share);

#endif

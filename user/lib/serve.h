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
 * its handler unless the handler took them (set m->h[i] to 0). Replies
 * carry no handles. Returns only if registering or receiving fails.
 */
#ifndef USER_LIB_SERVE_H
#define USER_LIB_SERVE_H

#include "aether.h"

struct ae_serve_op {
    uint32_t label;
    int64_t (*fn)(struct ae_msg *m);
};

int64_t ae_serve(const char *name, const struct ae_serve_op *ops, unsigned nops);

#endif

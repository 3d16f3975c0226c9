/*
 * The "scope" service: the V-Node that holds the kernel's trace rings
 * (docs/TRACE.md). It streams them, with a snapshot of every V-Node each
 * second, out of the second serial port for aether-scope, and answers:
 *
 *   SCOPE_SETBUF  h[0] VMO [READ WRITE MAP], w[0] size (4096..65536, pages)
 *   SCOPE_CTL     w[0] SCOPE_OFF, SCOPE_ON or SCOPE_QUERY
 *                 -> AE_OK, w[0] tracing now (0/1), w[1] before (0/1)
 *   SCOPE_DUMP    w[0] n -> AE_OK, w[0] k: the newest k <= n records of all
 *                 CPUs in the buffer (struct ae_trace_rec, oldest first),
 *                 w[1] records the rings dropped before scope read them
 */
#ifndef AETHER_PROTO_SCOPE_H
#define AETHER_PROTO_SCOPE_H

enum ae_scope_op {
    AE_SCOPE_SETBUF = 1,
    AE_SCOPE_CTL = 2,
    AE_SCOPE_DUMP = 3,
};

#define AE_SCOPE_OFF 0
#define AE_SCOPE_ON 1
#define AE_SCOPE_QUERY 2

#endif

/*
 * Supervision policy: what init does when a V-Node's process ends. Pure,
 * so it is unit-tested on the host.
 *
 * A run that lasted POLICY_STABLE_NS or longer counts as healthy and
 * resets the count of restarts in a row. Otherwise, after max_restarts
 * restarts in a row the V-Node is marked failed and left alone. Restart
 * delays start at the manifest's backoff and double with every restart in
 * a row, capped at POLICY_MAX_FACTOR times the backoff.
 */
#ifndef INIT_POLICY_H
#define INIT_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#define POLICY_STABLE_NS (10ull * 1000 * 1000 * 1000)
#define POLICY_MAX_FACTOR 64

enum restart_policy { RESTART_ALWAYS, RESTART_ON_FAILURE, RESTART_NEVER };

enum policy_action {
    POLICY_RESTART,             /* start again after delay_ns */
    POLICY_DONE,                /* ended as its policy allows: stays down */
    POLICY_FAILED,              /* too many restarts in a row: stays down */
};

struct policy {
    enum restart_policy restart;
    uint32_t max_restarts;
    uint64_t backoff_ns;
};

struct policy_state {
    uint32_t in_a_row;          /* restarts since the last healthy run */
    uint32_t restarts;          /* restarts ever (shown by ps) */
};

/* The process ended after running for ran_ns; failed: it faulted, was
 * killed, or exited with a non-zero status. Updates st. */
enum policy_action policy_on_exit(const struct policy *p, struct policy_state *st,
                                  bool failed, uint64_t ran_ns, uint64_t *delay_ns);

#endif

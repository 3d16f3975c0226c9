#include "policy.h"

enum policy_action policy_on_exit(const struct policy *p, struct policy_state *st,
                                  bool failed, uint64_t ran_ns, uint64_t *delay_ns)
{
    uint32_t shift;

    *delay_ns = 0;
    if (p->restart == RESTART_NEVER || (p->restart == RESTART_ON_FAILURE && !failed))
        return POLICY_DONE;
    if (ran_ns >= POLICY_STABLE_NS)
        st->in_a_row = 0;
    if (st->in_a_row >= p->max_restarts)
        return POLICY_FAILED;
    /* 2^shift <= POLICY_MAX_FACTOR (64): shift <= 6. */
    shift = st->in_a_row < 6 ? st->in_a_row : 6;
    *delay_ns = p->backoff_ns << shift;
    if (p->backoff_ns > UINT64_MAX >> shift)
        *delay_ns = UINT64_MAX;
    st->in_a_row++;
    st->restarts++;
    return POLICY_RESTART;
}

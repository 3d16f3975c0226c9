/*
 * Start order for the boot set. Pure, so it is unit-tested on the host.
 *
 * Each V-Node provides and needs services by name. A V-Node that needs a
 * service nobody provides (other than the built-in ones init serves), or
 * that sits on a dependency cycle, or needs a service whose provider was
 * refused, is refused with a reason; the others come out in an order where
 * every provider precedes the V-Nodes that need it (deterministic: passes
 * over the input in order).
 */
#ifndef INIT_ADMIT_H
#define INIT_ADMIT_H

#include <stddef.h>
#include <stdint.h>

#define ADMIT_MAX 32
#define ADMIT_REASON_MAX 96

struct admit_node {
    const char *name;
    const char *const *provides;    /* nprovides names */
    unsigned nprovides;
    const char *const *needs;
    unsigned nneeds;
    int refused;                    /* in: already refused (e.g. bad manifest) */
};

/* builtin: services init provides itself (NULL-terminated list). Fills
 * order[0..*norder) with the indices of the admitted nodes, and for each
 * refused node i (refused[i] = 1) a reason in reasons[i]. n <= ADMIT_MAX. */
void admit_order(const struct admit_node *nodes, unsigned n, const char *const *builtin,
                 unsigned *order, unsigned *norder, int *refused,
                 char reasons[][ADMIT_REASON_MAX]);

/* The CPU shares V-Nodes ask (cpu[i], per-mille of one CPU) are budgets the
 * kernel admits only while their sum fits what init holds, so on a machine
 * with fewer CPUs than the image was sized for the last ones would be
 * refused. Fits them instead: when their sum exceeds avail, each becomes
 * cpu[i] * avail / sum, rounded down and at least ADMIT_CPU_MIN, so every
 * V-Node keeps its proportion. Returns the factor applied in per-mille
 * (1000: unchanged). */
#define ADMIT_CPU_MIN 10
unsigned admit_fit_cpu(uint32_t *cpu, unsigned n, uint64_t avail);

#endif

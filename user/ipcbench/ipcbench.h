/* ipcbench: shared definitions of the IPC micro-benchmark (see main.c). */
#ifndef USER_IPCBENCH_IPCBENCH_H
#define USER_IPCBENCH_IPCBENCH_H

#include "aether.h"
#include "common/string.h"

#define IB_MAX_SAMPLES 100000u

/* Fixed addresses in ipcbench (and in its server child, which has its own
 * address space: it uses only IB_MOVE_VA there). */
#define IB_SAMPLES_VA 0x0000100000000000ull     /* samples + sort buffer */
#define IB_STACKS_VA  0x0000200000000000ull     /* thread stacks, 1 MiB apart */
#define IB_MOVE_VA    0x0000300000000000ull     /* a page that stays mapped ... */
#define IB_MOVE_BUF_VA (IB_MOVE_VA + 4096)       /* ... next to the VMO that travels */
#define IB_LONE_VA    0x0000380000000000ull     /* alone in its 512 GiB slot */
#define IB_COPY_VA    0x0000400000000000ull     /* memcpy source, destination +2 MiB */
#define IB_MAPTEST_VA 0x0000500000000000ull     /* map+unmap of one page */

#define ib_rdtsc ae_rdtsc

extern uint64_t *ib_samples;            /* IB_MAX_SAMPLES deltas */
int ib_stats_init(void);
void ib_report(const char *name, unsigned n);
void ib_fail(const char *what, int64_t err) __attribute__((noreturn));

#endif

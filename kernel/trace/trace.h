/*
 * Kernel tracing (docs/TRACE.md, "Kernel trace points"): per-CPU rings of
 * struct ae_trace_rec (include/aether/trace.h) that trace points write and
 * holders of the TraceBuf capability map read-only.
 *
 * Tracing is off at boot unless the command line says `trace`. Every trace
 * point first tests trace_enabled, so while tracing is off a trace point
 * costs one load and one branch, predicted not taken; the record itself is
 * written out of line (trace_points.c).
 */
#ifndef KERNEL_TRACE_TRACE_H
#define KERNEL_TRACE_TRACE_H

#include <stdbool.h>
#include <stdint.h>

struct kobj;
struct process;

/* Written by trace_set_enabled only; read by every trace point without
 * ordering (a byte load is atomic; a trace point that runs just after a
 * switch may still see the old value, which is harmless). */
extern bool trace_enabled;
/* When tracing was last switched on (TSC): a wait stamped (in a thread)
 * before it is unknown. */
extern uint64_t trace_since;

static inline bool trace_on(void)
{
    return __builtin_expect(trace_enabled, 0);
}

/* Boot, before init is loaded: a ring for each CPU that exists, allocated
 * from the kernel's own memory. on: start tracing now (the `trace`
 * command-line option). Tracing is off before this runs, so trace points
 * find every CPU's ring set. */
void trace_init(bool on);
/* Switches tracing on or off; returns the previous state. */
bool trace_set_enabled(bool on);
/* The TraceBuf object (AE_OBJ_TRACE): static, never destroyed. */
struct kobj *trace_object(void);
/* Maps the header page and every ring read-only at va in p: the number of
 * bytes mapped (AE_TRACE_MAP_BYTES(ncpus)), or the vmo_map error. */
int64_t trace_map(struct process *p, uint64_t va);

#endif

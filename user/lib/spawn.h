/*
 * Child processes that run a function of this program.
 *
 *     static int64_t server(uint64_t arg) { ae_handle_t ep = ae_spawn_handle(0); ... }
 *     struct ae_spawn_opts o = {.give = &ep_copy, .ngive = 1};
 *     int64_t p = ae_spawn(self, server, 42, &o, NULL);
 *     ...
 *     int64_t status = ae_spawn_wait((ae_handle_t)p, AE_WAIT_FOREVER);
 *
 * The child runs on a copy of the caller's image at the same addresses (the
 * program is static and not relocatable):
 *
 *   - text (RX) and rodata (R) come from one copy of the caller's, made at
 *     the first ae_spawn and kept, shared by every child, until
 *     ae_spawn_release(): spawning does not copy code. That copy is charged
 *     to the caller (its page quota) for as long as it is kept;
 *   - data and bss (RW) are a private snapshot of the caller's, taken during
 *     ae_spawn: globals the caller set before the call are seen by the
 *     child, later writes on either side are not. The snapshot is charged to
 *     the caller and freed when the child is gone;
 *   - the child gets a fresh stack of opts->stack_size bytes (default
 *     AE_SPAWN_STACK_SIZE) just below AE_STACK_TOP, with nothing mapped
 *     below it, so an overflow faults. It is charged to the caller too;
 *   - the child has no boot info: ae_bootinfo is NULL there;
 *   - its C library starts afresh (libc_reset_after_spawn): an empty heap
 *     (the caller's is not mapped in the child), empty streams on their
 *     default sinks, no atexit handlers.
 *
 * The child's only thread calls fn(arg) and the process exits with fn's
 * return value, after its atexit handlers and a flush of its streams
 * (ae_process_wait / ae_spawn_wait return it). The child's own
 * page tables and whatever it creates are charged to its own quota
 * (opts->limits, carved from the caller's).
 *
 * Handles: opts->give[0..ngive) are moved into the child (handle_grant: the
 * caller loses them; each needs AE_RIGHT_GRANT) before it starts. The child
 * reads them with ae_spawn_handle(i); the caller learns their values there
 * in given[i] (given may be NULL). If ae_spawn fails after moving them, they
 * are closed with the half-made child.
 *
 * Reserved: ae_spawn maps the new data snapshot for a moment at a scratch
 * address in the caller (scratch.h), in [AE_SPAWN_SCRATCH_VA, +64 GiB); the
 * caller must not map anything there. Several threads of one process may
 * spawn at once.
 */
#ifndef USER_LIB_SPAWN_H
#define USER_LIB_SPAWN_H

#include "aether.h"
#include "scratch.h"

#define AE_SPAWN_MAX_GIVE 8
#define AE_SPAWN_STACK_SIZE (64 * 1024ull)
#define AE_SPAWN_SCRATCH_VA AE_SCRATCH_VA

/* opts->flags */
#define AE_SPAWN_PIN_CPU 1u     /* pin the child's thread to opts->cpu */

struct ae_spawn_opts {
    const char *name;                       /* process name; NULL: "child" */
    const struct ae_quota_limits *limits;   /* NULL: ae_spawn_default_limits */
    const ae_handle_t *give;                /* handles moved into the child */
    unsigned ngive;                         /* at most AE_SPAWN_MAX_GIVE */
    uint32_t flags;                         /* AE_SPAWN_* */
    unsigned cpu;                           /* with AE_SPAWN_PIN_CPU */
    uint64_t stack_size;                    /* bytes, page multiple; 0: AE_SPAWN_STACK_SIZE */
};

/* {pages 256, handles 64, threads 8, cpu 100 permille}. */
extern const struct ae_quota_limits ae_spawn_default_limits;

/* Starts a child process running fn(arg) (see above). self: the caller's own
 * process handle [MANAGE] (a process handle with MANAGE that the new process
 * is carved from). opts may be NULL. Returns the child's process handle (all
 * rights) or a negative AE_ERR_*. */
int64_t ae_spawn(ae_handle_t self, int64_t (*fn)(uint64_t arg), uint64_t arg,
                 const struct ae_spawn_opts *opts, ae_handle_t *given);

/* Waits for the child to exit (timeout_ns as ae_process_wait) and closes its
 * handle unless the wait timed out. Returns its exit status, or an error. */
int64_t ae_spawn_wait(ae_handle_t child, uint64_t timeout_ns);

/* In a child started by ae_spawn: the i-th handle its parent gave, or 0
 * (also 0 in a process that ae_spawn did not start). */
ae_handle_t ae_spawn_handle(unsigned i);

/* Frees the shared copy of text and rodata (children already running keep
 * their mappings of it); the next ae_spawn makes a new one. Do not call it
 * while another thread is in ae_spawn. */
void ae_spawn_release(void);

#endif

/*
 * Supervision. Each V-Node that has run has a supervisor thread in init
 * that does the blocking waits (its process's exit, a backoff sleep, a
 * start request) and reports to the main loop, which decides (policy.c)
 * and answers with what to wait for next.
 */
#include "init.h"
#include "common/fmt.h"
#include "common/string.h"

#define SUPER_STACK_VA 0x0000300000000000ull   /* + id * SUPER_STACK_SIZE */
#define SUPER_STACK_SIZE (32 * 1024ull)

static ae_handle_t super_ep[MAX_VNODES + 1];

static void super_thread(void *arg)
{
    struct vnode *vn = arg;
    struct ae_msg m;
    uint32_t act = vn->state == VN_RUNNING ? ACT_WAIT : ACT_PARK;
    uint64_t delay = 0;

    for (;;) {
        memset(&m, 0, sizeof(m));
        if (act == ACT_WAIT) {
            m.w[0] = (uint64_t)ae_process_wait(vn->proc, AE_WAIT_FOREVER);
            m.info = AE_MSG_INFO(SUPER_EXITED, 0);
        } else {
            if (act == ACT_SLEEP)
                ae_sleep_until((uint64_t)ae_clock_get() + delay);
            else
                ae_notify_wait(vn->wake, AE_WAIT_FOREVER);
            m.info = AE_MSG_INFO(SUPER_DUE, 0);
        }
        if (ae_ipc_call(super_ep[vn->id], &m) != AE_OK) {
            ae_printf("init: supervisor of %s lost the main loop", vn->m.name);
            return;
        }
        act = AE_MSG_LABEL(m.info);
        delay = m.w[0];
    }
}

void super_spawn(struct vnode *vn)
{
    int64_t r;

    if (vn->super_started)
        return;
    r = ae_handle_derive(g.ep, AE_RIGHT_SEND, BADGE_SUPER | vn->id, AE_DERIVE_SET_BADGE);
    if (r > 0) {
        super_ep[vn->id] = (ae_handle_t)r;
        r = ae_notify_create();
    }
    if (r > 0) {
        vn->wake = (ae_handle_t)r;
        r = ae_thread_spawn(g.bi->self, super_thread, vn,
                            SUPER_STACK_VA + vn->id * 2 * SUPER_STACK_SIZE, SUPER_STACK_SIZE);
    }
    if (r < 0) {
        ae_printf("init: cannot supervise %s: %s", vn->m.name, ae_strerror(r));
        return;
    }
    vn->super_started = true;
}

void super_on_fault(struct vnode *vn, const uint64_t words[4])
{
    vn->fault_seen = true;
    memcpy(vn->fault, words, sizeof(vn->fault));
}

static const char *fault_name(uint64_t reason)
{
    switch (reason) {
    case AE_FAULT_PAGE: return "page fault";
    case AE_FAULT_GP: return "general protection fault";
    case AE_FAULT_UD: return "invalid opcode";
    case AE_FAULT_DE: return "divide error";
    case AE_FAULT_STACK: return "stack overflow";
    case AE_FAULT_CPU_BUDGET: return "CPU budget exhausted";
    default: return "fault";
    }
}

/* Records how the run ended in vn->reason and logs it. */
static bool describe_end(struct vnode *vn, int64_t status)
{
    bool failed = status != 0;

    if (vn->fault_seen) {
        failed = true;
        ae_snprintf(vn->reason, sizeof(vn->reason), "%s at %#lx (rip %#lx)",
                    fault_name(vn->fault[0]), (unsigned long)vn->fault[1],
                    (unsigned long)vn->fault[2]);
        ae_printf("init: %s faulted: %s", vn->m.name, vn->reason);
    } else {
        ae_snprintf(vn->reason, sizeof(vn->reason), "exited with status %ld", (long)status);
        ae_printf("init: %s %s", vn->m.name, vn->reason);
    }
    return failed;
}

static void reply(struct ae_msg *m, uint32_t act, uint64_t arg)
{
    m->info = AE_MSG_INFO(act, 0);
    m->w[0] = arg;
}

static void on_exit(struct vnode *vn, struct ae_msg *m)
{
    int64_t status = (int64_t)m->w[0];
    bool failed = describe_end(vn, status);
    uint64_t ran = (uint64_t)ae_clock_get() - vn->started_ns, delay;

    ae_handle_close(vn->proc);          /* its quota comes back with it */
    vn->proc = 0;
    ns_forget(vn);
    pcigrant_release(vn);
    if (!vn->want_up) {
        vn->state = VN_STOPPED;
        reply(m, ACT_PARK, 0);
        return;
    }
    if (vn->restart_now) {
        vn->restart_now = false;
        vn->pst.restarts++;
        vn->state = VN_RESTARTING;
        reply(m, ACT_SLEEP, 0);
        return;
    }
    switch (policy_on_exit(&vn->policy, &vn->pst, failed, ran, &delay)) {
    case POLICY_RESTART:
        vn->state = VN_RESTARTING;
        ae_printf("init: %s: restart %u in %lu ms", vn->m.name, vn->pst.restarts,
                  (unsigned long)(delay / 1000000));
        reply(m, ACT_SLEEP, delay);
        break;
    case POLICY_DONE:
        vn->state = VN_EXITED;
        reply(m, ACT_PARK, 0);
        break;
    case POLICY_FAILED:
        vn->state = VN_FAILED;
        ae_printf("init: %s failed: %u restarts in a row; not restarted", vn->m.name,
                  vn->pst.in_a_row);
        reply(m, ACT_PARK, 0);
        break;
    }
}

static void on_due(struct vnode *vn, struct ae_msg *m)
{
    uint64_t delay;

    if (vn->state == VN_RUNNING) {
        reply(m, ACT_WAIT, 0);
        return;
    }
    if (!vn->want_up || (vn->state != VN_RESTARTING && vn->state != VN_STOPPED &&
                         vn->state != VN_EXITED && vn->state != VN_FAILED)) {
        reply(m, ACT_PARK, 0);
        return;
    }
    if (vnode_start(vn) == AE_OK) {
        reply(m, ACT_WAIT, 0);
        return;
    }
    /* Could not even start: that counts as a failed run. */
    if (policy_on_exit(&vn->policy, &vn->pst, true, 0, &delay) == POLICY_RESTART) {
        vn->state = VN_RESTARTING;
        reply(m, ACT_SLEEP, delay);
    } else {
        vn->state = VN_FAILED;
        reply(m, ACT_PARK, 0);
    }
}

void super_serve(struct vnode *vn, struct ae_msg *m)
{
    switch (AE_MSG_LABEL(m->info)) {
    case SUPER_EXITED:
        on_exit(vn, m);
        break;
    case SUPER_DUE:
        on_due(vn, m);
        break;
    default:
        reply(m, ACT_PARK, 0);
        break;
    }
}

/*
 * The CPU watchdog. The kernel holds every process to its CPU share; a
 * V-Node that spends all of it, period after period, is spinning rather
 * than serving (a real service waits for requests most of the time). It
 * watches the V-Nodes whose manifest says `watchdog = yes`: an I/O-bound
 * service such as the console may rightly spend its whole share for a
 * while when output floods. A thread ticks every WATCH_TICK_NS; on each
 * tick the main loop compares
 * each V-Node's CPU time with its budget, and one that used at least 90% of
 * it for WATCH_HOT_TICKS ticks in a row is killed and reported as having
 * exhausted its CPU budget; its restart policy then applies.
 */
#include "init.h"

#define WATCH_TICK_NS (500ull * 1000 * 1000)
#define WATCH_HOT_TICKS 4
#define WATCH_STACK_VA 0x0000380000000000ull

static ae_handle_t tick_ep;

static void tick_thread(void *arg)
{
    for (;;) {
        struct ae_msg m = {AE_MSG_INFO(WATCH_TICK, 0), {0}, {0}, 0};
        ae_sleep_until((uint64_t)ae_clock_get() + WATCH_TICK_NS);
        if (ae_ipc_call(tick_ep, &m) != AE_OK)
            return;
    }
}

void watchdog_start(void)
{
    int64_t r = ae_handle_derive(g.ep, AE_RIGHT_SEND, BADGE_TICK, AE_DERIVE_SET_BADGE);

    if (r > 0) {
        tick_ep = (ae_handle_t)r;
        r = ae_thread_spawn(g.bi->self, tick_thread, NULL, WATCH_STACK_VA, 32 * 1024);
    }
    if (r < 0)
        ae_printf("init: no CPU watchdog: %s", ae_strerror(r));
}

void watchdog_tick(void)
{
    uint64_t now = (uint64_t)ae_clock_get();

    for (unsigned i = 0; i < g.nvnodes; i++) {
        struct vnode *vn = &g.vnodes[i];
        struct ae_process_info pi;
        uint64_t elapsed = now - vn->watch_at, budget, used;
        if (!vn->m.watchdog || vn->state != VN_RUNNING || !vn->proc ||
            ae_process_info(vn->proc, &pi))
            continue;
        if (vn->watch_at && elapsed < WATCH_TICK_NS / 2)
            continue;                   /* too soon to tell: keep the last sample */
        budget = elapsed / 1000 * vn->m.cpu_permille;      /* ns x permille / 1000 */
        used = pi.cpu_ns >= vn->watch_cpu ? pi.cpu_ns - vn->watch_cpu : 0;
        if (vn->watch_at && budget && used >= budget / 10 * 9)
            vn->hot_ticks++;
        else
            vn->hot_ticks = 0;
        vn->watch_at = now;
        vn->watch_cpu = pi.cpu_ns;
        if (vn->hot_ticks >= WATCH_HOT_TICKS) {
            uint64_t words[4] = {AE_FAULT_CPU_BUDGET, 0, 0, pi.pid};
            vn->hot_ticks = 0;
            super_on_fault(vn, words);
            ae_process_kill(vn->proc, AE_ERR_QUOTA);
        }
    }
}

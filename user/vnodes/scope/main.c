/*
 * scope: holds the kernel's trace rings (its manifest says trace = yes),
 * streams them out of COM2 (pump.c) and serves "scope" (proto/scope.h):
 * tracing on and off, and the newest records for the shell's trace dump.
 */
#include <stdlib.h>
#include <string.h>

#include "scope.h"
#include "clientbuf.h"
#include "serve.h"
#include "svc.h"
#include "trace_read.h"
#include "aether/proto/scope.h"
#include "aether/vnode.h"
#include "common/uart16550.h"

#define RINGS_VA 0x0000200000000000ull
#define BUF_VA 0x0000300000000000ull
#define PUMP_STACK_VA 0x0000120000000000ull
#define PUMP_STACK_SIZE (64 * 1024ull)
#define DUMP_MAX 1024u

const void *scope_rings;
unsigned scope_nrings;
static ae_handle_t trace;
static struct ae_clients clients = {.base_va = BUF_VA};
static struct ae_trace_rec merged[DUMP_MAX * 2];

static int64_t op_setbuf(struct ae_msg *m)
{
    return ae_client_setbuf(&clients, m->badge, m);
}

static int64_t op_ctl(struct ae_msg *m)
{
    int64_t before = ae_trace_ctl(trace, AE_TRACE_CTL_QUERY, 0), r;

    if (before < 0)
        return before;
    if (m->w[0] == AE_SCOPE_ON || m->w[0] == AE_SCOPE_OFF) {
        r = ae_trace_ctl(trace, AE_TRACE_CTL_SET, m->w[0] == AE_SCOPE_ON);
        if (r < 0)
            return r;
    } else if (m->w[0] != AE_SCOPE_QUERY) {
        return AE_ERR_INVAL;
    }
    m->w[0] = (uint64_t)ae_trace_ctl(trace, AE_TRACE_CTL_QUERY, 0);
    m->w[1] = (uint64_t)before;
    return AE_OK;
}

static int by_time(const void *a, const void *b)
{
    const struct ae_trace_rec *x = a, *y = b;
    return x->ts_ns < y->ts_ns ? -1 : x->ts_ns > y->ts_ns;
}

/* Keeps the newest want of merged[0, *total), oldest first. */
static void keep_newest(uint64_t *total, uint64_t want)
{
    qsort(merged, *total, sizeof(merged[0]), by_time);
    if (*total > want) {
        memmove(merged, merged + (*total - want), want * sizeof(merged[0]));
        *total = want;
    }
}

/* The newest n records of every CPU, merged by time, oldest first. */
static int64_t op_dump(struct ae_msg *m)
{
    struct ae_client *c = ae_client_of(&clients, m->badge);
    uint64_t want = m->w[0], total = 0, lost = 0;

    if (!c || !c->buf)
        return AE_ERR_INVAL;
    if (want > c->size / sizeof(merged[0]))
        want = c->size / sizeof(merged[0]);
    if (want > DUMP_MAX)
        want = DUMP_MAX;
    for (unsigned cpu = 0; cpu < scope_nrings && want; cpu++) {
        uint64_t head = ae_trace_head(ae_trace_hdr(scope_rings, cpu));
        uint64_t cur = head > want ? head - want : 0;
        total += ae_trace_read(ae_trace_hdr(scope_rings, cpu), ae_trace_ring(scope_rings, cpu),
                               &cur, merged + total, want, &lost);
        keep_newest(&total, want);      /* room for the next CPU's want */
    }
    memcpy(c->buf, merged, total * sizeof(merged[0]));
    m->w[0] = total;
    m->w[1] = lost;
    return AE_OK;
}

static const struct ae_serve_op ops[] = {
    {AE_SCOPE_SETBUF, op_setbuf},
    {AE_SCOPE_CTL, op_ctl},
    {AE_SCOPE_DUMP, op_dump},
};

int main(const struct ae_bootinfo *bi)
{
    const struct ae_vnode_info *vi = ae_vnode_info();
    int64_t r;

    if (!vi)
        return 1;
    trace = vi->trace;
    r = trace ? ae_trace_map(trace, RINGS_VA) : AE_ERR_BAD_HANDLE;
    if (r < 0) {
        ae_printf("scope: no trace rings: %s", ae_strerror(r));
        return 1;
    }
    scope_rings = (const void *)RINGS_VA;
    scope_nrings = ae_trace_nrings((uint64_t)r);
    /* The ports its manifest grants (COM2) must be switched on first. */
    const struct ae_vnode_hw *ports = ae_vnode_hw(vi, AE_VNODE_HW_IOPORTS);
    r = ports && ports->base == UART_COM2 && ports->count == UART_PORTS
            ? ae_ioport_enable(ports->handle, UART_COM2, UART_PORTS) : AE_ERR_NOTFOUND;
    if (r < 0) {
        ae_printf("scope: no COM2 ports: %s", ae_strerror(r));
        return 1;
    }
    /* A COM2 that is wired up means someone reads the stream (make scope):
     * trace from the start. Otherwise the shell's trace on does it. */
    if (com2_present() && ae_trace_ctl(trace, AE_TRACE_CTL_SET, 1) >= 0)
        ae_printf("scope: COM2 present: tracing on, streaming");
    r = ae_thread_spawn(vi->self, pump_main, NULL, PUMP_STACK_VA, PUMP_STACK_SIZE);
    if (r < 0) {
        ae_printf("scope: no pump thread: %s", ae_strerror(r));
        return 1;
    }
    return (int)ae_serve("scope", ops, sizeof(ops) / sizeof(ops[0]));
}

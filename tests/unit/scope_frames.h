/*
 * Builds trace stream frames (include/aether/trace.h) for the aether-scope
 * unit tests: the same bytes the scope V-Node writes, little-endian.
 */
#ifndef TESTS_UNIT_SCOPE_FRAMES_H
#define TESTS_UNIT_SCOPE_FRAMES_H

#include <stdint.h>
#include <string.h>

#include <aether/trace.h>

#include "user/vnodes/scope/frame.h"

static inline void put_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Frames payload into out with the scope V-Node's own encoder
 * (user/vnodes/scope/frame.c), so the decoder is tested against it;
 * returns the frame's length. */
static inline size_t frame(uint8_t *out, char type, const uint8_t *payload, uint8_t len)
{
    return frame_put(out, type, payload, len);
}

static inline size_t rec_frame(uint8_t *out, const struct ae_trace_rec *r)
{
    uint8_t p[64];

    put_le(p, r->seq, 8);
    put_le(p + 8, r->ts_ns, 8);
    put_le(p + 16, r->type, 2);
    put_le(p + 18, r->cpu, 2);
    put_le(p + 20, r->pid, 4);
    put_le(p + 24, r->tid, 4);
    put_le(p + 28, r->peer, 4);
    for (int i = 0; i < 4; i++)
        put_le(p + 32 + 8 * i, r->arg[i], 8);
    return frame(out, 'R', p, 64);
}

/* A 'V' frame; len 96 (the whole struct) or 88 (without the reserved tail). */
static inline size_t vnode_frame(uint8_t *out, uint64_t ts, uint32_t pid, const char *name,
                                 uint32_t state, uint64_t cpu_ns, uint64_t used, uint64_t quota,
                                 uint8_t len)
{
    uint8_t p[96];

    memset(p, 0, sizeof(p));
    put_le(p, ts, 8);
    put_le(p + 8, pid, 4);
    memcpy(p + 16, name, strlen(name) < 24 ? strlen(name) : 24);  /* NUL-padded, p is zeroed */
    put_le(p + 40, state, 4);
    put_le(p + 44, 1, 4);               /* restarts */
    put_le(p + 48, cpu_ns, 8);
    put_le(p + 56, used, 8);
    put_le(p + 64, quota, 8);
    put_le(p + 72, 11, 8);              /* ipc_sent */
    put_le(p + 80, 22, 8);              /* ipc_received */
    return frame(out, 'V', p, len);
}

/* A 'C' frame: n entries from `first` of pid's list of total; entry i
 * is handle 0x100 + first + i, type i % 11, rights 1 << (i % 11),
 * revoked when i is 3, badge (first + i) * 1000. */
static inline size_t caps_frame(uint8_t *out, uint64_t ts, uint32_t pid, unsigned total,
                                unsigned first, unsigned n)
{
    uint8_t p[255];

    put_le(p, ts, 8);
    put_le(p + 8, pid, 4);
    put_le(p + 12, total, 2);
    put_le(p + 14, first, 2);
    for (unsigned i = 0; i < n; i++) {
        uint8_t *e = p + 16 + 20 * i;
        put_le(e, 0x100 + first + i, 4);
        put_le(e + 4, i % 11, 2);
        put_le(e + 6, i == 3, 2);
        put_le(e + 8, 1u << (i % 11), 4);
        put_le(e + 12, (uint64_t)(first + i) * 1000, 8);
    }
    return frame(out, 'C', p, (uint8_t)(16 + 20 * n));
}

static inline size_t hello_frame(uint8_t *out, const char *text, uint64_t base)
{
    uint8_t p[80];
    size_t n = strlen(text);

    memcpy(p, text, n);
    put_le(p + n, base, 8);
    return frame(out, 'H', p, (uint8_t)(n + 8));
}

static inline struct ae_trace_rec mkrec(uint64_t ts, uint16_t type, uint16_t cpu, uint32_t pid,
                                        uint32_t tid, uint32_t peer, uint64_t a0, uint64_t a1,
                                        uint64_t a2, uint64_t a3)
{
    struct ae_trace_rec r = {.seq = ts + 1, .ts_ns = ts, .type = type, .cpu = cpu, .pid = pid,
                             .tid = tid, .peer = peer, .arg = {a0, a1, a2, a3}};
    return r;
}

#endif

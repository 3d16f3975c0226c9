/*
 * Frame sync for the trace stream. The stream has no escaping, so "AT" can
 * also appear inside a payload; a frame is only believed when its type,
 * length and checksum all agree. On any mismatch the decoder drops a single
 * byte and looks for the next "AT": that way a frame that starts inside a
 * damaged one is still found (trace.h: "skips to the next AT whose frame
 * checks out").
 */
#include <string.h>

#include "decode.h"

uint64_t sd_le64(const uint8_t *p)
{
    return (uint64_t)sd_le32(p) | (uint64_t)sd_le32(p + 4) << 32;
}

uint32_t sd_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint16_t sd_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

void sd_clean_name(char *out, const uint8_t *in, size_t n)
{
    size_t i;

    for (i = 0; i < n && in[i]; i++)
        out[i] = in[i] >= 0x20 && in[i] < 0x7f ? (char)in[i] : '?';
    out[i] = 0;
}

void sd_init(struct sd_decoder *d, sd_emit_fn emit, void *ctx)
{
    memset(d, 0, sizeof(*d));
    d->emit = emit;
    d->ctx = ctx;
}

/* Whether a frame of this type may have this payload length; anything
 * else is garbage that happens to follow an "AT". */
static int length_ok(uint8_t type, uint8_t len)
{
    switch (type) {
    case 'R': return len == sizeof(struct ae_trace_rec);
    case 'V': return len == SD_VNODE_PAYLOAD || len == SD_VNODE_PAYLOAD_MIN;
    case 'H': return len >= sizeof(SD_HELLO_TEXT) && len <= 64;   /* text + at least a digit */
    case 'C':
        return len >= sizeof(struct ae_trace_caps_hdr) &&
               (len - sizeof(struct ae_trace_caps_hdr)) % sizeof(struct ae_trace_cap) == 0 &&
               (len - sizeof(struct ae_trace_caps_hdr)) / sizeof(struct ae_trace_cap) <=
                   AE_TRACE_CAPS_FRAME;
    default: return 0;
    }
}

static void decode_record(struct ae_trace_rec *r, const uint8_t *p)
{
    r->seq = sd_le64(p);
    r->ts_ns = sd_le64(p + 8);
    r->type = sd_le16(p + 16);
    r->cpu = sd_le16(p + 18);
    r->pid = sd_le32(p + 20);
    r->tid = sd_le32(p + 24);
    r->peer = sd_le32(p + 28);
    for (int i = 0; i < 4; i++)
        r->arg[i] = sd_le64(p + 32 + 8 * i);
}

static void decode_vnode(struct sd_vnode *s, const uint8_t *p)
{
    const uint8_t *v = p + 16;

    s->ts_ns = sd_le64(p);
    s->pid = sd_le32(p + 8);
    memcpy(s->v.name, v, sizeof(s->v.name));
    s->v.state = sd_le32(v + 24);
    s->v.restarts = sd_le32(v + 28);
    s->v.cpu_ns = sd_le64(v + 32);
    s->v.pages_used = sd_le64(v + 40);
    s->v.pages_quota = sd_le64(v + 48);
    s->v.ipc_sent = sd_le64(v + 56);
    s->v.ipc_received = sd_le64(v + 64);
    sd_clean_name(s->name, v, sizeof(s->v.name));
}

static void decode_caps(struct sd_caps *c, const uint8_t *p, uint8_t len)
{
    c->h.ts_ns = sd_le64(p);
    c->h.pid = sd_le32(p + 8);
    c->h.total = sd_le16(p + 12);
    c->h.first = sd_le16(p + 14);
    c->n = (len - sizeof(struct ae_trace_caps_hdr)) / sizeof(struct ae_trace_cap);
    for (unsigned i = 0; i < c->n; i++) {
        const uint8_t *e = p + sizeof(struct ae_trace_caps_hdr) + i * sizeof(struct ae_trace_cap);
        c->c[i].handle = sd_le32(e);
        c->c[i].type = sd_le16(e + 4);
        c->c[i].revoked = sd_le16(e + 6);
        c->c[i].rights = sd_le32(e + 8);
        c->c[i].badge = sd_le64(e + 12);
    }
}

/* Hello: "AETHER-TRACE <version>", then the 8-byte clock base when the
 * payload is long enough to hold one. Returns 0 if the text is wrong. */
static int decode_hello(struct sd_event *ev, const uint8_t *p, uint8_t len)
{
    size_t text = len >= sizeof(SD_HELLO_TEXT) + 8 ? len - 8u : len;
    size_t plen = sizeof(SD_HELLO_TEXT) - 1;
    uint32_t v = 0;

    if (memcmp(p, SD_HELLO_TEXT, plen) != 0)
        return 0;
    for (size_t i = plen; i < text && p[i] >= '0' && p[i] <= '9'; i++)
        v = v * 10 + (uint32_t)(p[i] - '0');
    ev->u.hello.version = v;
    ev->u.hello.clock_base_ns = text < len ? sd_le64(p + text) : 0;
    return 1;
}

/* Tries to take one frame from the front of the buffer. Returns bytes
 * consumed (a frame, or 1 to resync), or 0 when more input is needed. */
static size_t step(struct sd_decoder *d)
{
    const uint8_t *b = d->buf;
    struct sd_event ev;
    uint8_t sum = 0;
    size_t need;

    if (d->len == 0)
        return 0;
    if (b[0] != AE_TRACE_FRAME_MAGIC0 || (d->len >= 2 && b[1] != AE_TRACE_FRAME_MAGIC1)) {
        d->stats.garbage++;
        return 1;
    }
    if (d->len < 4)
        return 0;
    if (!length_ok(b[2], b[3])) {
        d->stats.bad_frames++;
        return 1;
    }
    need = 4u + b[3] + 1u;
    if (d->len < need)
        return 0;
    for (size_t i = 0; i < b[3]; i++)
        sum = (uint8_t)(sum + b[4 + i]);
    if (sum != b[need - 1]) {
        d->stats.bad_frames++;
        return 1;
    }
    memset(&ev, 0, sizeof(ev));
    switch (b[2]) {
    case 'R':
        ev.kind = SD_RECORD;
        decode_record(&ev.u.rec, b + 4);
        break;
    case 'V':
        ev.kind = SD_VNODE;
        decode_vnode(&ev.u.vnode, b + 4);
        break;
    case 'C':
        ev.kind = SD_CAPS;
        decode_caps(&ev.u.caps, b + 4, b[3]);
        break;
    default:
        ev.kind = SD_HELLO;
        if (!decode_hello(&ev, b + 4, b[3])) {
            d->stats.bad_frames++;
            return 1;
        }
    }
    d->stats.frames++;
    d->emit(d->ctx, &ev);
    return need;
}

void sd_feed(struct sd_decoder *d, const void *data, size_t n)
{
    const uint8_t *in = data;

    d->stats.bytes += n;
    while (n > 0) {
        size_t room = sizeof(d->buf) - d->len, take = n < room ? n : room, used;

        memcpy(d->buf + d->len, in, take);
        d->len += take;
        in += take;
        n -= take;
        /* Consume everything decidable; the buffer holds two frames' worth,
         * so after this at most one partial frame is left and room > 0. */
        while ((used = step(d)) > 0) {
            d->len -= used;
            memmove(d->buf, d->buf + used, d->len);
        }
    }
}

int sd_switch_of(const struct ae_trace_rec *r, struct ae_trace_rec *sw)
{
    if (r->type == AE_TRACE_SWITCH) {
        *sw = *r;
        return 1;
    }
    if (r->type < AE_TRACE_IPC_SEND || r->type > AE_TRACE_IPC_REPLY ||
        !(r->arg[3] & AE_TRACE_IPC_HANDOFF))
        return 0;
    *sw = (struct ae_trace_rec){
        .seq = r->seq, .ts_ns = r->ts_ns, .type = AE_TRACE_SWITCH, .cpu = r->cpu,
        .pid = r->pid, .tid = r->tid, .peer = r->peer,
        .arg = {AE_TRACE_IPC_RECV_TID(r->arg[3]), 1, 0, 0},
    };
    return 1;
}

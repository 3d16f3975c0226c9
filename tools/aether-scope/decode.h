/*
 * The COM2 trace stream decoder (include/aether/trace.h, docs/TRACE.md):
 * bytes in, whole checked frames out. Pure: no I/O, no allocation, so the
 * unit tests drive it byte by byte and the tool feeds it whatever read()
 * returned, split anywhere.
 */
#ifndef SCOPE_DECODE_H
#define SCOPE_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include <aether/trace.h>

/* Largest frame: magic 2 + type 1 + length 1 + 255 payload + checksum 1. */
#define SD_FRAME_MAX (4u + 255u + 1u)

#define SD_HELLO_TEXT "AETHER-TRACE "
/* 'V' payload: ts 8, pid 4, reserved 4, struct ae_trace_vnode (80). The
 * struct's last 8 bytes are reserved padding (trace.h), so a payload
 * without them (88 bytes) is accepted too: a writer that sends only the
 * fields loses nothing. */
#define SD_VNODE_PAYLOAD 96u
#define SD_VNODE_PAYLOAD_MIN 88u

enum sd_kind { SD_HELLO, SD_RECORD, SD_VNODE, SD_CAPS };

/* Part of a V-Node's handle list, as a 'C' frame carries it. */
struct sd_caps {
    struct ae_trace_caps_hdr h;
    unsigned n;                 /* entries in this frame */
    struct {
        uint32_t handle, type, rights, revoked;
        uint64_t badge;
    } c[AE_TRACE_CAPS_FRAME];
};

/* A V-Node snapshot as the 'V' frame carries it. */
struct sd_vnode {
    uint64_t ts_ns;
    uint32_t pid;               /* 0 when it is not running */
    struct ae_trace_vnode v;    /* name NUL-terminated here (see decode.c) */
    char name[25];              /* v.name made printable, always terminated */
};

struct sd_event {
    enum sd_kind kind;
    union {
        struct {
            uint32_t version;   /* the number after "AETHER-TRACE " */
            uint64_t clock_base_ns;
        } hello;
        struct ae_trace_rec rec;
        struct sd_vnode vnode;
        struct sd_caps caps;
    } u;
};

struct sd_stats {
    uint64_t bytes;             /* fed in */
    uint64_t frames;            /* accepted */
    uint64_t bad_frames;        /* "AT" seen but the frame did not check out */
    uint64_t garbage;           /* bytes skipped while looking for "AT" */
};

typedef void (*sd_emit_fn)(void *ctx, const struct sd_event *ev);

struct sd_decoder {
    uint8_t buf[2 * SD_FRAME_MAX];
    size_t len;
    struct sd_stats stats;
    sd_emit_fn emit;
    void *ctx;
};

void sd_init(struct sd_decoder *d, sd_emit_fn emit, void *ctx);
/* Feeds n bytes; calls emit for every frame completed by them. */
void sd_feed(struct sd_decoder *d, const void *data, size_t n);

/* Little-endian loads, as the guest (x86_64) stores its fields. */
uint64_t sd_le64(const uint8_t *p);
uint32_t sd_le32(const uint8_t *p);
uint16_t sd_le16(const uint8_t *p);

/* The context switch a record stands for: a SWITCH itself, or an IPC
 * message with AE_TRACE_IPC_HANDOFF (the sender blocked, the receiver ran
 * next on that CPU), written out as the SWITCH it replaces. 0 if none. */
int sd_switch_of(const struct ae_trace_rec *r, struct ae_trace_rec *sw);

/* Copies a NUL-padded name of up to n bytes into out (n + 1 bytes), keeping
 * printable ASCII and turning anything else before the first NUL into '?'. */
void sd_clean_name(char *out, const uint8_t *in, size_t n);

#endif

/*
 * Unit tests for aether-scope's stream decoder (tools/aether-scope/decode.c):
 * every field of every frame type, input split at every byte, resync after
 * garbage and damaged frames (also one that starts inside a damaged one),
 * lengths a type cannot have, and random noise with frames between.
 */
#include "unit.h"

#include "tools/aether-scope/decode.h"
#include "scope_frames.h"

#define MAXEV 4096

static struct sd_event evs[MAXEV];
static unsigned nev;
static struct sd_decoder dec;

static void collect(void *ctx, const struct sd_event *ev)
{
    (void)ctx;
    if (nev < MAXEV)
        evs[nev] = *ev;
    nev++;
}

static int setup(void **state)
{
    nev = 0;
    sd_init(&dec, collect, NULL);
    return 0;
}

static void SCD0001_record_fields(void **state)
{
    uint8_t buf[128];
    struct ae_trace_rec r = mkrec(0x1122334455667788ull, AE_TRACE_IPC_CALL, 3, 0xa0b0c0d0u, 7,
                                  9, 1, 0x203, ~0ull, 0x8000000000000001ull);
    size_t n = rec_frame(buf, &r);

    sd_feed(&dec, buf, n);
    assert_int_equal(nev, 1);
    assert_int_equal(evs[0].kind, SD_RECORD);
    assert_memory_equal(&evs[0].u.rec, &r, sizeof(r));
    assert_int_equal(dec.stats.frames, 1);
    assert_int_equal(dec.stats.garbage, 0);
    assert_int_equal(dec.stats.bytes, n);
}

static void SCD0002_split_everywhere(void **state)
{
    uint8_t buf[1024];
    size_t n = 0;
    struct ae_trace_rec r = mkrec(5, AE_TRACE_SWITCH, 1, 2, 3, 4, 5, 1, 0, 0);

    n += hello_frame(buf + n, "AETHER-TRACE 1", 1234);
    n += rec_frame(buf + n, &r);
    n += vnode_frame(buf + n, 9, 4, "shell", 2, 100, 10, 20, 96);
    n += rec_frame(buf + n, &r);
    for (size_t cut = 0; cut <= n; cut++) {
        setup(NULL);
        sd_feed(&dec, buf, cut);
        sd_feed(&dec, buf + cut, n - cut);
        assert_int_equal(nev, 4);
        assert_int_equal(dec.stats.garbage, 0);
        assert_int_equal(dec.stats.bad_frames, 0);
    }
    setup(NULL);                        /* one byte at a time */
    for (size_t i = 0; i < n; i++)
        sd_feed(&dec, buf + i, 1);
    assert_int_equal(nev, 4);
    assert_int_equal(evs[0].kind, SD_HELLO);
    assert_int_equal(evs[2].kind, SD_VNODE);
}

static void SCD0003_garbage_is_skipped(void **state)
{
    uint8_t buf[512];
    size_t n = 0;
    struct ae_trace_rec r = mkrec(5, AE_TRACE_IRQ, 0, 0, 0, 0, 0x20, 1, 0, 0);

    memcpy(buf, "xyzA\x00TT", 7);       /* an 'A' not followed by 'T' too */
    n = 7;
    n += rec_frame(buf + n, &r);
    memcpy(buf + n, "\xff\xfe", 2);
    n += 2;
    n += rec_frame(buf + n, &r);
    sd_feed(&dec, buf, n);
    assert_int_equal(nev, 2);
    assert_int_equal(dec.stats.garbage, 9);
    assert_int_equal(dec.stats.frames, 2);
}

static void SCD0004_bad_checksum_and_frame_inside(void **state)
{
    uint8_t buf[512], inner[128];
    size_t n, k;
    struct ae_trace_rec r = mkrec(77, AE_TRACE_PROC_EXIT, 0, 3, 3, 0, 0, 1, 0, 0);

    /* A damaged frame whose payload holds a whole good frame: the good one
     * must still be found. */
    k = rec_frame(inner, &r);
    buf[0] = 'A'; buf[1] = 'T'; buf[2] = 'R'; buf[3] = 64;
    memset(buf + 4, 0x11, 64);
    memcpy(buf + 10, inner, k);         /* overlaps the bad frame's end */
    n = 10 + k;
    sd_feed(&dec, buf, n);
    assert_int_equal(nev, 1);
    assert_int_equal(evs[0].u.rec.ts_ns, 77);
    assert_true(dec.stats.bad_frames >= 1);

    setup(NULL);
    n = rec_frame(buf, &r);
    buf[n - 1] ^= 1;                    /* wrong checksum */
    n += rec_frame(buf + n, &r);
    sd_feed(&dec, buf, n);
    assert_int_equal(nev, 1);
    assert_int_equal(dec.stats.bad_frames, 1);
}

static void SCD0005_impossible_lengths_and_types(void **state)
{
    uint8_t p[255] = {0}, buf[4096];
    size_t n = 0;
    struct ae_trace_rec r = mkrec(1, AE_TRACE_IRQ, 0, 0, 0, 0, 0, 0, 0, 0);

    n += frame(buf + n, 'R', p, 63);
    n += frame(buf + n, 'R', p, 65);
    n += frame(buf + n, 'V', p, 95);
    n += frame(buf + n, 'V', p, 80);
    n += frame(buf + n, 'H', p, 5);
    n += frame(buf + n, 'H', p, 200);
    n += frame(buf + n, 'Q', p, 64);
    n += frame(buf + n, 'r', p, 64);
    memcpy(p, "AETHER-TRICE 1", 14);    /* wrong hello text */
    n += frame(buf + n, 'H', p, 22);
    n += rec_frame(buf + n, &r);
    sd_feed(&dec, buf, n);
    assert_int_equal(nev, 1);
    assert_int_equal(evs[0].kind, SD_RECORD);
    assert_true(dec.stats.bad_frames >= 9);
}

static void SCD0006_hello(void **state)
{
    uint8_t buf[128];
    size_t n = hello_frame(buf, "AETHER-TRACE 1", 0x0102030405060708ull);

    sd_feed(&dec, buf, n);
    n = hello_frame(buf, "AETHER-TRACE 23", 5);
    sd_feed(&dec, buf, n);
    assert_int_equal(nev, 2);
    assert_int_equal(evs[0].u.hello.version, 1);
    assert_int_equal(evs[0].u.hello.clock_base_ns, 0x0102030405060708ull);
    assert_int_equal(evs[1].u.hello.version, 23);
    assert_int_equal(evs[1].u.hello.clock_base_ns, 5);
}

static void SCD0007_snapshots(void **state)
{
    uint8_t buf[256];
    size_t n = vnode_frame(buf, 1000, 4, "shell", 2, 555, 10, 20, 96);
    const struct sd_vnode *v;

    n += vnode_frame(buf + n, 2000, 0, "bad\x01name\xff", 3, 1, 2, 3, 88);
    sd_feed(&dec, buf, n);
    assert_int_equal(nev, 2);
    v = &evs[0].u.vnode;
    assert_int_equal(v->ts_ns, 1000);
    assert_int_equal(v->pid, 4);
    assert_string_equal(v->name, "shell");
    assert_int_equal(v->v.state, 2);
    assert_int_equal(v->v.restarts, 1);
    assert_int_equal(v->v.cpu_ns, 555);
    assert_int_equal(v->v.pages_used, 10);
    assert_int_equal(v->v.pages_quota, 20);
    assert_int_equal(v->v.ipc_sent, 11);
    assert_int_equal(v->v.ipc_received, 22);
    assert_string_equal(evs[1].u.vnode.name, "bad?name?");   /* printable only */
    assert_int_equal(evs[1].u.vnode.v.state, 3);
}

static void SCD0008_name_of_24_bytes(void **state)
{
    uint8_t buf[256];
    size_t n = vnode_frame(buf, 1, 1, "abcdefghijklmnopqrstuvwx", 2, 0, 0, 0, 96);

    sd_feed(&dec, buf, n);
    assert_int_equal(nev, 1);
    assert_string_equal(evs[0].u.vnode.name, "abcdefghijklmnopqrstuvwx");
}

/* Random noise without 'A' between random frames: every frame is found,
 * every noise byte is counted as garbage, whatever the read sizes. */
static void SCD0009_random_noise_between_frames(void **state)
{
    static uint8_t buf[1 << 16];

    rng_state = 6;
    for (int round = 0; round < 200; round++) {
        size_t n = 0, noise = 0;
        unsigned frames = 0;

        setup(NULL);
        while (n < sizeof(buf) - 512) {
            size_t k = rng() % 12;
            struct ae_trace_rec r = mkrec(rng(), (uint16_t)(rng() % 16), (uint16_t)rng(),
                                          (uint32_t)rng(), (uint32_t)rng(), (uint32_t)rng(),
                                          rng(), rng(), rng(), rng());

            for (size_t i = 0; i < k; i++) {
                uint8_t b = (uint8_t)rng();
                buf[n++] = b == 'A' ? 'B' : b;
            }
            noise += k;
            n += rec_frame(buf + n, &r);
            frames++;
            if (rng() % 8 == 0)
                break;
        }
        for (size_t off = 0; off < n;) {
            size_t k = 1 + rng() % 300;
            if (k > n - off)
                k = n - off;
            sd_feed(&dec, buf + off, k);
            off += k;
        }
        assert_int_equal(nev, frames);
        assert_int_equal(dec.stats.garbage, noise);
    }
}

/* Pure noise: never crashes, never reads out of bounds (ASan), and
 * accounts for every byte: skipped, in a frame, or still buffered. */
static void SCD0010_pure_noise(void **state)
{
    static uint8_t buf[1 << 15];

    rng_state = 66;
    for (int round = 0; round < 100; round++) {
        setup(NULL);
        for (size_t i = 0; i < sizeof(buf); i++) {
            uint8_t b = (uint8_t)rng();
            /* plenty of "AT" and plausible type bytes */
            buf[i] = b < 40 ? 'A' : b < 80 ? 'T' : b < 100 ? 'R' : b < 110 ? 64 : b;
        }
        sd_feed(&dec, buf, sizeof(buf));
        assert_true(dec.len < sizeof(dec.buf));
        assert_true(dec.stats.garbage + dec.stats.bad_frames <= sizeof(buf));
    }
}

/* sd_switch_of: a SWITCH is itself; an IPC hand-off becomes the SWITCH
 * it stands for (sender blocked, receiving tid in); nothing else is one. */
static void SCD0011_switch_of(void **state)
{
    struct ae_trace_rec sw, r = mkrec(5, AE_TRACE_SWITCH, 1, 2, 3, 4, 5, 1, 0, 0);

    assert_int_equal(sd_switch_of(&r, &sw), 1);
    assert_memory_equal(&sw, &r, sizeof(r));
    r = mkrec(77, AE_TRACE_IPC_REPLY, 1, 3, 30, 4, 0, 0, 100,
              AE_TRACE_IPC_HANDOFF | AE_TRACE_IPC_RECEIVER_WAITED | 40ull << 32);
    assert_int_equal(sd_switch_of(&r, &sw), 1);
    assert_int_equal(sw.type, AE_TRACE_SWITCH);
    assert_int_equal(sw.ts_ns, 77);
    assert_int_equal(sw.cpu, 1);
    assert_int_equal(sw.pid, 3);
    assert_int_equal(sw.tid, 30);
    assert_int_equal(sw.peer, 4);
    assert_int_equal(sw.arg[0], 40);
    assert_int_equal(sw.arg[1], 1);             /* the sender blocked */
    r.arg[3] &= ~(uint64_t)AE_TRACE_IPC_HANDOFF;
    assert_int_equal(sd_switch_of(&r, &sw), 0);
    r = mkrec(5, AE_TRACE_IRQ, 0, 0, 0, 0, 32, 0, 0, AE_TRACE_IPC_HANDOFF);
    assert_int_equal(sd_switch_of(&r, &sw), 0);
    r = mkrec(5, AE_TRACE_IPC_RECV, 0, 3, 30, 0, 0, 0, 0, AE_TRACE_IPC_HANDOFF);
    assert_int_equal(sd_switch_of(&r, &sw), 0);
}

/* 'C' frames: header and entries decoded field by field; a length that
 * is not header + whole entries, or more than AE_TRACE_CAPS_FRAME of
 * them, is not a frame. */
static void SCD0012_caps(void **state)
{
    uint8_t buf[1024];
    size_t n = caps_frame(buf, 123456789, 7, 30, 11, AE_TRACE_CAPS_FRAME);

    sd_feed(&dec, buf, n);
    assert_int_equal(nev, 1);
    assert_int_equal(evs[0].kind, SD_CAPS);
    assert_int_equal(evs[0].u.caps.h.ts_ns, 123456789);
    assert_int_equal(evs[0].u.caps.h.pid, 7);
    assert_int_equal(evs[0].u.caps.h.total, 30);
    assert_int_equal(evs[0].u.caps.h.first, 11);
    assert_int_equal(evs[0].u.caps.n, AE_TRACE_CAPS_FRAME);
    assert_int_equal(evs[0].u.caps.c[4].handle, 0x100 + 15);
    assert_int_equal(evs[0].u.caps.c[4].type, 4);
    assert_int_equal(evs[0].u.caps.c[4].rights, 1u << 4);
    assert_int_equal(evs[0].u.caps.c[4].badge, 15000);
    assert_int_equal(evs[0].u.caps.c[3].revoked, 1);
    assert_int_equal(evs[0].u.caps.c[4].revoked, 0);
    /* an empty list is a frame too */
    n = caps_frame(buf, 5, 7, 0, 0, 0);
    sd_feed(&dec, buf, n);
    assert_int_equal(nev, 2);
    assert_int_equal(evs[1].u.caps.n, 0);
    /* bad lengths: 15 bytes, a part entry, 12 entries */
    {
        uint8_t p[255] = {0};
        size_t lens[] = {15, 16 + 19, 16 + 20 * 12};
        for (int i = 0; i < 3; i++) {
            n = frame(buf, 'C', p, (uint8_t)lens[i]);
            sd_feed(&dec, buf, n);
        }
    }
    assert_int_equal(nev, 2);
    assert_true(dec.stats.bad_frames >= 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(SCD0001_record_fields, setup),
        cmocka_unit_test_setup(SCD0002_split_everywhere, setup),
        cmocka_unit_test_setup(SCD0003_garbage_is_skipped, setup),
        cmocka_unit_test_setup(SCD0004_bad_checksum_and_frame_inside, setup),
        cmocka_unit_test_setup(SCD0005_impossible_lengths_and_types, setup),
        cmocka_unit_test_setup(SCD0006_hello, setup),
        cmocka_unit_test_setup(SCD0007_snapshots, setup),
        cmocka_unit_test_setup(SCD0008_name_of_24_bytes, setup),
        cmocka_unit_test_setup(SCD0009_random_noise_between_frames, setup),
        cmocka_unit_test_setup(SCD0010_pure_noise, setup),
        cmocka_unit_test_setup(SCD0011_switch_of, setup),
        cmocka_unit_test_setup(SCD0012_caps, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

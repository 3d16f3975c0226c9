/*
 * Unit tests for user/lib/virtq.c with the test playing the device: the
 * layout's offsets and alignment, buffers posted and used in and out of
 * order, a full queue, and a device that lies (a used index ahead of what
 * was posted, a descriptor id that is not out or out of range, the same
 * one used twice).
 */
#include "unit.h"

#include "virtq.h"

static uint8_t mem[16384] __attribute__((aligned(4096)));

/* The device takes the next available descriptor: its index. */
static uint16_t dev_take(struct virtq *q, uint16_t *seen)
{
    uint16_t idx = q->avail[1];

    assert_true((uint16_t)(idx - *seen) > 0);
    return q->avail[2 + (*seen)++ % q->n];
}

/* The device returns descriptor id having written len bytes. */
static void dev_use(struct virtq *q, uint32_t id, uint32_t len)
{
    uint16_t idx = (uint16_t)(q->used[0] >> 16);

    q->used[1 + 2 * (idx % q->n)] = id;
    q->used[2 + 2 * (idx % q->n)] = len;
    q->used[0] = (uint32_t)(uint16_t)(idx + 1) << 16;
}

static void VIRTQ0001_layout(void **state)
{
    struct virtq q;

    (void)state;
    assert_int_equal(virtq_bytes(256), 4096 + 518 + 2 + 6 + 2048);
    assert_int_equal(virtq_init(&q, mem, 0x100000, 256), AE_OK);
    assert_int_equal(q.desc_phys, 0x100000);
    assert_int_equal(q.avail_phys, 0x100000 + 4096);
    assert_int_equal(q.used_phys % 4, 0);
    assert_int_equal(q.used_phys, 0x100000 + 4616);
    assert_int_equal(virtq_bytes(8), 128 + 22 + 2 + 6 + 64);      /* used ring realigned */
    assert_int_equal(virtq_init(&q, mem, 0, 0), AE_ERR_INVAL);
    assert_int_equal(virtq_init(&q, mem, 0, 12), AE_ERR_INVAL);
    assert_int_equal(virtq_init(&q, mem, 0, 512), AE_ERR_INVAL);
}

static void VIRTQ0002_post_and_reap_out_of_order(void **state)
{
    struct virtq q;
    uint16_t seen = 0, d[8];
    uint32_t tok, len;

    (void)state;
    memset(mem, 0, sizeof(mem));
    virtq_init(&q, mem, 0x200000, 8);
    for (uint32_t i = 0; i < 8; i++)
        assert_int_equal(virtq_post(&q, 0x300000 + i * 2048, 2048, VIRTQ_WRITE, 100 + i), AE_OK);
    assert_int_equal(virtq_post(&q, 0, 1, 0, 0), AE_ERR_AGAIN);        /* full */
    assert_int_equal(virtq_outstanding(&q), 8);
    assert_int_equal(virtq_reap(&q, &tok, &len), AE_ERR_AGAIN);
    for (int i = 0; i < 8; i++) {
        d[i] = dev_take(&q, &seen);
        assert_int_equal(q.desc[d[i]].addr, 0x300000 + i * 2048);
        assert_int_equal(q.desc[d[i]].len, 2048);
        assert_int_equal(q.desc[d[i]].flags, VIRTQ_WRITE);
    }
    /* The device finishes the third one first, then the first. */
    dev_use(&q, d[2], 60);
    dev_use(&q, d[0], 1514);
    assert_int_equal(virtq_reap(&q, &tok, &len), AE_OK);
    assert_int_equal(tok, 102);
    assert_int_equal(len, 60);
    assert_int_equal(virtq_reap(&q, &tok, &len), AE_OK);
    assert_int_equal(tok, 100);
    assert_int_equal(len, 1514);
    assert_int_equal(virtq_reap(&q, &tok, &len), AE_ERR_AGAIN);
    assert_int_equal(virtq_outstanding(&q), 6);
    /* Reposted buffers reuse the freed descriptors; indices wrap past 8. */
    for (uint32_t round = 0; round < 100; round++) {
        assert_int_equal(virtq_post(&q, 0x400000 + round, 64, 0, 1000 + round), AE_OK);
        uint16_t id = dev_take(&q, &seen);
        assert_int_equal(q.desc[id].addr, 0x400000 + round);
        assert_int_equal(q.desc[id].flags, 0);
        dev_use(&q, id, 0);
        assert_int_equal(virtq_reap(&q, &tok, &len), AE_OK);
        assert_int_equal(tok, 1000 + round);
    }
}

static void VIRTQ0003_lying_device(void **state)
{
    struct virtq q;
    uint16_t seen = 0, d;
    uint32_t tok, len;

    (void)state;
    memset(mem, 0, sizeof(mem));
    virtq_init(&q, mem, 0, 4);
    assert_int_equal(virtq_post(&q, 0x1000, 2048, VIRTQ_WRITE, 7), AE_OK);
    d = dev_take(&q, &seen);
    /* Index ahead by two with one out. */
    q.used[1] = d;
    q.used[0] = 2u << 16;
    assert_int_equal(virtq_reap(&q, &tok, &len), AE_ERR_CORRUPT);
    /* An id out of range, then one not out. */
    q.used[0] = 1u << 16;
    q.used[1] = 4;
    assert_int_equal(virtq_reap(&q, &tok, &len), AE_ERR_CORRUPT);
    q.used[1] = (d + 1) % 4;
    assert_int_equal(virtq_reap(&q, &tok, &len), AE_ERR_CORRUPT);
    /* The right one is taken once; the same id again is refused. */
    q.used[1] = d;
    assert_int_equal(virtq_reap(&q, &tok, &len), AE_OK);
    assert_int_equal(tok, 7);
    q.used[3] = d;                       /* the device uses it a second time */
    q.used[0] = 2u << 16;
    assert_int_equal(virtq_reap(&q, &tok, &len), AE_ERR_CORRUPT);
    assert_int_equal(virtq_outstanding(&q), 0);
    q.used[0] = 1u << 16;                /* as it was */
    assert_int_equal(virtq_post(&q, 0x2000, 2048, VIRTQ_WRITE, 8), AE_OK);
    dev_use(&q, d == 0 ? 1 : 0, 10);     /* not the one out now */
    assert_int_equal(virtq_outstanding(&q), 1);
    if (q.desc[d].addr != 0x2000)        /* the freed one was reused */
        fail_msg("descriptor %u not reused", d);
    assert_int_equal(virtq_reap(&q, &tok, &len), AE_ERR_CORRUPT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(VIRTQ0001_layout),
        cmocka_unit_test(VIRTQ0002_post_and_reap_out_of_order),
        cmocka_unit_test(VIRTQ0003_lying_device),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * The trace ring reader (user/lib/trace_read.c) against a writer that
 * follows the kernel's protocol (kernel/trace/trace_ring.h): in order,
 * partial reads, a ring that wrapped, slots caught while being rewritten,
 * the mapping's layout, and a writer thread racing the reader, where every
 * record accepted must be whole.
 */
#include "unit.h"

#include <pthread.h>

#include "trace_read.h"

#define N AE_TRACE_RING_RECORDS

static struct ae_trace_ring_hdr *hdr;
static struct ae_trace_rec *ring;

static int setup(void **state)
{
    hdr = aligned_alloc(64, sizeof(*hdr));
    ring = aligned_alloc(64, AE_TRACE_RING_BYTES);
    assert_non_null(hdr);
    assert_non_null(ring);
    memset(hdr, 0, sizeof(*hdr));
    hdr->tsc_mult = 1ull << 32;         /* TSC = ns: times come out as written */
    hdr->cpu = 3;                       /* records come out with their ring's CPU */
    memset(ring, 0, AE_TRACE_RING_BYTES);
    return 0;
}

static int teardown(void **state)
{
    free(hdr);
    free(ring);
    return 0;
}

/* Every field is a function of seq, so a torn copy shows. Types have bit
 * 15 set: none is an IPC record, whose arg2 the reader converts. */
#define TYPE(seq) ((uint16_t)((seq) | 0x8000))

static uint64_t field(uint64_t seq, int i)
{
    return seq * 0x9e3779b97f4a7c15ull + (uint64_t)i;
}

/* The kernel's protocol: seq 0, fill, seq, head (each store ordered). */
static void put(void)
{
    uint64_t seq = __atomic_load_n(&hdr->head, __ATOMIC_RELAXED) + 1;
    struct ae_trace_rec *r = &ring[seq % N];

    __atomic_store_n(&r->seq, 0, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    __atomic_store_n(&r->ts_ns, field(seq, 0), __ATOMIC_RELAXED);
    __atomic_store_n(&r->type, TYPE(seq), __ATOMIC_RELAXED);
    __atomic_store_n(&r->pid, (uint32_t)seq, __ATOMIC_RELAXED);
    __atomic_store_n(&r->tid, (uint32_t)(seq >> 1), __ATOMIC_RELAXED);
    __atomic_store_n(&r->peer, (uint32_t)(seq >> 2), __ATOMIC_RELAXED);
    for (int i = 0; i < 4; i++)
        __atomic_store_n(&r->arg[i], field(seq, i + 1), __ATOMIC_RELAXED);
    __atomic_store_n(&r->seq, seq, __ATOMIC_RELEASE);
    __atomic_store_n(&hdr->head, seq, __ATOMIC_RELEASE);
}

static void put_n(uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        put();
}

static int whole(const struct ae_trace_rec *r)
{
    uint64_t s = r->seq;
    int ok = r->ts_ns == field(s, 0) && r->type == TYPE(s) && r->cpu == 3 &&
             r->pid == (uint32_t)s && r->tid == (uint32_t)(s >> 1) &&
             r->peer == (uint32_t)(s >> 2);

    for (int i = 0; i < 4; i++)
        ok = ok && r->arg[i] == field(s, i + 1);
    return ok;
}

static struct ae_trace_rec out[2 * N];

static void TRD0001_empty_ring(void **state)
{
    uint64_t cursor = 0, lost = 0;

    assert_int_equal(ae_trace_head(hdr), 0);
    assert_int_equal(ae_trace_read(hdr, ring, &cursor, out, N, &lost), 0);
    assert_int_equal(cursor, 0);
    assert_int_equal(lost, 0);
}

static void TRD0002_in_order_and_continues(void **state)
{
    uint64_t cursor = 0, lost = 0;

    put_n(10);
    assert_int_equal(ae_trace_read(hdr, ring, &cursor, out, 4, &lost), 4);
    assert_int_equal(cursor, 4);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(out[i].seq, i + 1);
        assert_true(whole(&out[i]));
    }
    assert_int_equal(ae_trace_read(hdr, ring, &cursor, out, N, &lost), 6);
    assert_int_equal(out[0].seq, 5);
    assert_int_equal(out[5].seq, 10);
    assert_int_equal(cursor, 10);
    assert_int_equal(ae_trace_read(hdr, ring, &cursor, out, N, &lost), 0);
    assert_int_equal(ae_trace_read(hdr, ring, &cursor, out, 0, &lost), 0);
    put();
    assert_int_equal(ae_trace_read(hdr, ring, &cursor, out, N, &lost), 1);
    assert_int_equal(out[0].seq, 11);
    assert_int_equal(lost, 0);
}

static void TRD0003_wrapped_ring_gives_the_newest_and_counts_the_rest(void **state)
{
    uint64_t cursor = 0, lost = 0;
    size_t got;

    put_n(N + 100);
    got = ae_trace_read(hdr, ring, &cursor, out, 2 * N, &lost);
    assert_int_equal(got, N);
    assert_int_equal(lost, 100);
    assert_int_equal(out[0].seq, 101);
    assert_int_equal(out[N - 1].seq, N + 100);
    assert_int_equal(cursor, N + 100);
    for (size_t i = 0; i < got; i++)
        assert_true(whole(&out[i]));
}

static void TRD0004_reader_lapped_between_reads(void **state)
{
    uint64_t cursor = 0, lost = 0;

    put_n(20);
    assert_int_equal(ae_trace_read(hdr, ring, &cursor, out, 10, &lost), 10);
    put_n(3 * N);                       /* records 21 .. 3N+20 */
    assert_int_equal(ae_trace_read(hdr, ring, &cursor, out, 1, &lost), 1);
    /* 11 .. 2N+20 are gone; the oldest still held is 2N+21. */
    assert_int_equal(lost, 2 * N + 10);
    assert_int_equal(out[0].seq, 2 * N + 21);
    assert_int_equal(ae_trace_read(hdr, ring, &cursor, out, 2 * N, &lost), N - 1);
    assert_int_equal(cursor, 3 * N + 20);
    assert_int_equal(lost, 2 * N + 10);
}

static void TRD0005_slot_being_rewritten_or_newer_is_lost_not_copied(void **state)
{
    uint64_t cursor = 0, lost = 0;

    put_n(8);
    __atomic_store_n(&ring[3].seq, 0, __ATOMIC_RELAXED);        /* being rewritten */
    __atomic_store_n(&ring[5].seq, 5 + N, __ATOMIC_RELAXED);    /* already newer */
    assert_int_equal(ae_trace_read(hdr, ring, &cursor, out, N, &lost), 6);
    assert_int_equal(lost, 2);
    assert_int_equal(cursor, 8);
    assert_int_equal(out[0].seq, 1);
    assert_int_equal(out[1].seq, 2);
    assert_int_equal(out[2].seq, 4);
    assert_int_equal(out[3].seq, 6);
    assert_int_equal(out[5].seq, 8);
}

static void TRD0006_mapping_layout(void **state)
{
    static uint8_t map[64];     /* only addresses are computed */

    assert_int_equal(ae_trace_nrings(0), 0);
    assert_int_equal(ae_trace_nrings(AE_TRACE_MAP_BYTES(1)), 1);
    assert_int_equal(ae_trace_nrings(AE_TRACE_MAP_BYTES(4)), 4);
    assert_int_equal(AE_TRACE_MAP_BYTES(2), 4096 + 2 * 1024 * 1024);
    assert_ptr_equal(ae_trace_hdr(map, 2), (const void *)(map + 128));
    assert_ptr_equal(ae_trace_ring(map, 0), (const void *)(map + 4096));
    assert_ptr_equal(ae_trace_ring(map, 3), (const void *)(map + 4096 + 3 * 1048576));
}

#define RACE_RECORDS 2000000u

static void *writer(void *arg)
{
    for (unsigned i = 0; i < RACE_RECORDS; i++)
        put();
    return NULL;
}

static void TRD0007_racing_writer_never_yields_a_torn_record(void **state)
{
    static struct ae_trace_rec buf[64];
    uint64_t cursor = 0, lost = 0, got = 0, last = 0, torn = 0, unordered = 0;
    pthread_t w;

    assert_int_equal(pthread_create(&w, NULL, writer, NULL), 0);
    while (cursor < RACE_RECORDS) {
        /* Reads of random sizes, so the writer laps the reader now and
         * then. Failures are counted, not asserted, so the writer is
         * always joined before the ring is freed. */
        size_t n = ae_trace_read(hdr, ring, &cursor, buf, 1 + rng() % 64, &lost);
        for (size_t i = 0; i < n; i++) {
            torn += !whole(&buf[i]);
            unordered += buf[i].seq <= last;
            last = buf[i].seq;
        }
        got += n;
    }
    pthread_join(w, NULL);
    assert_int_equal(torn, 0);
    assert_int_equal(unordered, 0);
    assert_int_equal(cursor, RACE_RECORDS);
    assert_int_equal(got + lost, RACE_RECORDS);
    printf("# trace_read race: %lu records read, %lu lost\n", (unsigned long)got,
           (unsigned long)lost);
}

/* The ring holds TSC values; out come nanoseconds, and an IPC record's
 * wait stamp becomes how long it waited. */
static void TRD0008_times_come_out_in_nanoseconds(void **state)
{
    static const struct {
        uint16_t type;
        uint64_t tsc, arg2, want_ns, want_arg2;
    } c[] = {
        {AE_TRACE_IPC_CALL, 1500, 1200, 1000, 600},   /* (1500-1000)*2, (1500-1200)*2 */
        {AE_TRACE_IPC_REPLY, 1500, 0, 1000, 0},       /* stamp unknown */
        {AE_TRACE_IPC_SEND, 1500, 1600, 1000, 0},     /* a stamp after the record: unknown */
        {AE_TRACE_IPC_RECV, 2000, 1000, 2000, 2000},  /* from the clock's base */
        {AE_TRACE_SWITCH, 1500, 1200, 1000, 1200},    /* not a wait: as written */
        {AE_TRACE_IRQ, 900, 7, 0, 7},                 /* before the base: 0 */
    };
    struct ae_trace_rec out[6];
    uint64_t cursor = 0, lost = 0;

    hdr->tsc_base = 1000;
    hdr->tsc_mult = 2ull << 32;
    for (uint64_t i = 0; i < 6; i++) {
        struct ae_trace_rec *r = &ring[i + 1];
        *r = (struct ae_trace_rec){.seq = i + 1, .ts_ns = c[i].tsc, .type = c[i].type,
                                   .arg = {0, 0, c[i].arg2, 0}};
    }
    hdr->head = 6;
    assert_int_equal(ae_trace_read(hdr, ring, &cursor, out, 6, &lost), 6);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(out[i].ts_ns, c[i].want_ns);
        assert_int_equal(out[i].arg[2], c[i].want_arg2);
    }
    assert_int_equal(ae_trace_tsc_to_ns(hdr, 1000 + (1ull << 40)), 1ull << 41);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(TRD0001_empty_ring, setup, teardown),
        cmocka_unit_test_setup_teardown(TRD0002_in_order_and_continues, setup, teardown),
        cmocka_unit_test_setup_teardown(TRD0003_wrapped_ring_gives_the_newest_and_counts_the_rest,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(TRD0004_reader_lapped_between_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(TRD0005_slot_being_rewritten_or_newer_is_lost_not_copied,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(TRD0006_mapping_layout, setup, teardown),
        cmocka_unit_test_setup_teardown(TRD0007_racing_writer_never_yields_a_torn_record,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(TRD0008_times_come_out_in_nanoseconds, setup, teardown),
    };

    rng_state = 0x7ace;
    return cmocka_run_group_tests(tests, NULL, NULL);
}

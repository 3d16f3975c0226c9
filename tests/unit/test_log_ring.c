/*
 * Log ring tests (kernel/lib/log_ring.c): sequence-numbered cursors, the
 * reader that falls behind (resumes at a whole line and sees the gap),
 * writes larger than the ring, sequence numbers past 32 bits, and a
 * randomized comparison with a model that keeps every byte ever written.
 * Rings and read buffers are exact-size heap blocks, so ASan catches a
 * copy past either end.
 */
#include "unit.h"

#include "lib/log_ring.h"

static struct log_ring ring;
static char *ring_mem;

static void make_ring(uint64_t size)
{
    free(ring_mem);
    ring_mem = malloc(size);
    assert_non_null(ring_mem);
    memset(ring_mem, 0x55, size);
    log_ring_init(&ring, ring_mem, size);
}

static int setup(void **state)
{
    make_ring(64);
    return 0;
}

static int teardown(void **state)
{
    free(ring_mem);
    ring_mem = NULL;
    return 0;
}

static void put(const char *s)
{
    log_ring_write(&ring, s, strlen(s));
}

/* Reads up to len bytes into an exact-size buffer; checks the result is
 * NUL-free text and returns it NUL-terminated in out (static). */
static const char *get(uint64_t *cursor, size_t len, int64_t *n)
{
    static char out[4096];
    char *buf = malloc(len ? len : 1);

    assert_non_null(buf);
    *n = log_ring_read(&ring, cursor, buf, len);
    if (*n > 0)
        memcpy(out, buf, (size_t)*n);
    out[*n > 0 ? *n : 0] = '\0';
    free(buf);
    return out;
}

static void LRING0001_read_what_was_written(void **state)
{
    uint64_t cur = 0;
    int64_t n;

    put("one\n");
    put("two\n");
    assert_string_equal(get(&cur, 100, &n), "one\ntwo\n");
    assert_int_equal(n, 8);
    assert_int_equal(cur, 8);
    put("three\n");
    assert_string_equal(get(&cur, 100, &n), "three\n");
    assert_int_equal(cur, 14);
}

static void LRING0002_short_reads_continue(void **state)
{
    uint64_t cur = 0;
    int64_t n;

    put("abcdefghij\n");
    assert_string_equal(get(&cur, 4, &n), "abcd");
    assert_int_equal(cur, 4);
    assert_string_equal(get(&cur, 4, &n), "efgh");
    assert_string_equal(get(&cur, 100, &n), "ij\n");
    assert_int_equal(cur, 11);
}

static void LRING0003_nothing_new_and_zero_length(void **state)
{
    uint64_t cur = 0;
    int64_t n;

    get(&cur, 10, &n);
    assert_int_equal(n, 0);
    assert_int_equal(cur, 0);
    put("x\n");
    get(&cur, 0, &n);
    assert_int_equal(n, 0);
    assert_int_equal(cur, 0);
    get(&cur, 10, &n);
    get(&cur, 10, &n);
    assert_int_equal(n, 0);
    assert_int_equal(cur, 2);
}

static void LRING0004_cursor_past_head_refused(void **state)
{
    uint64_t cur = 3;
    int64_t n;

    put("ab");
    get(&cur, 10, &n);
    assert_int_equal(n, AE_ERR_INVAL);
    assert_int_equal(cur, 3);
    cur = UINT64_MAX;
    get(&cur, 10, &n);
    assert_int_equal(n, AE_ERR_INVAL);
}

/* 64-byte ring, 10-byte lines: the reader at 0 falls behind and resumes
 * at the first whole line held; the jump of its cursor is the loss. */
static void LRING0005_fallen_behind_resumes_at_a_whole_line(void **state)
{
    uint64_t cur = 0;
    int64_t n;
    const char *s;

    for (int i = 0; i < 10; i++) {
        char line[32];
        snprintf(line, sizeof line, "line %03d\n", i);  /* 9 bytes */
        put(line);
    }
    /* 90 bytes written; 26..89 held; byte 26 is inside line 2 (18..26),
     * so line 3 (27..) is the first known whole. */
    assert_int_equal(log_ring_oldest(&ring), 26);
    s = get(&cur, 1000, &n);
    assert_int_equal(cur, 90);
    assert_int_equal(n, 63);
    assert_int_equal(cur - (uint64_t)n, 27);           /* 27 bytes lost */
    assert_memory_equal(s, "line 003\n", 9);
    assert_memory_equal(s + 54, "line 009\n", 9);
}

static void LRING0006_oldest_byte_after_a_newline(void **state)
{
    uint64_t cur = 0;
    int64_t n;

    put("0123456\n");                                   /* 0..7 */
    for (int i = 0; i < 7; i++)
        put("abcdefghi");                               /* 63 bytes, no \n */
    put("\n");                                          /* 71 */
    /* held: 8..71; the first '\n' in it is the last byte: all skipped. */
    get(&cur, 100, &n);
    assert_int_equal(n, 0);
    assert_int_equal(cur, 72);
}

static void LRING0007_no_newline_starts_at_oldest(void **state)
{
    uint64_t cur = 5;
    int64_t n;
    const char *s;

    for (int i = 0; i < 10; i++)
        put("0123456789");
    s = get(&cur, 100, &n);
    assert_int_equal(n, 64);
    assert_int_equal(cur, 100);
    assert_memory_equal(s, "6789012345", 10);          /* byte 36 on */
}

static void LRING0008_write_larger_than_ring(void **state)
{
    char big[200];
    uint64_t cur = 0;
    int64_t n;
    const char *s;

    for (int i = 0; i < 200; i++)
        big[i] = (char)('A' + i % 26);
    log_ring_write(&ring, big, sizeof big);
    assert_int_equal(ring.head, 200);
    assert_int_equal(log_ring_oldest(&ring), 136);
    s = get(&cur, 1000, &n);
    assert_int_equal(n, 64);
    assert_memory_equal(s, big + 136, 64);
    log_ring_write(&ring, big, 0);
    assert_int_equal(ring.head, 200);
}

static void LRING0009_sequence_numbers_past_32_bits(void **state)
{
    uint64_t cur;
    int64_t n;

    ring.head = 0x1fffffffaull;         /* as if 8 GiB had been logged */
    put("wrap\n");
    cur = 0x1fffffffaull;
    assert_string_equal(get(&cur, 100, &n), "wrap\n");
    assert_int_equal(cur, 0x1ffffffffull);
    cur = 0;                            /* far behind */
    get(&cur, 100, &n);
    assert_int_equal(cur, 0x1ffffffffull);
}

/* Random line and chunk sizes, several readers with random buffer sizes,
 * on a 256-byte ring, against a model holding every byte. */
static void LRING0010_random_against_model(void **state)
{
    enum { SIZE = 256, TOTAL = 1 << 20, READERS = 4 };
    char *model = malloc(TOTAL + 1024);
    uint64_t cur[READERS] = {0};
    uint64_t written = 0;

    assert_non_null(model);
    make_ring(SIZE);
    rng_state = 0x106;
    while (written < TOTAL) {
        size_t len = rng() % 3 == 0 ? rng() % 600 : rng() % 80;
        char chunk[600];

        for (size_t i = 0; i < len; i++)
            chunk[i] = rng() % 12 == 0 ? '\n' : (char)('a' + rng() % 26);
        log_ring_write(&ring, chunk, len);
        memcpy(model + written, chunk, len);
        written += len;
        assert_int_equal(ring.head, written);
        for (int r = 0; r < READERS; r++) {
            uint64_t before = cur[r], start;
            size_t want = rng() % (r == 0 ? 8 : 300);
            int64_t n;
            const char *s;

            if (rng() % 3)
                continue;
            s = get(&cur[r], want, &n);
            assert_true(n >= 0 && (size_t)n <= want);
            start = cur[r] - (uint64_t)n;
            assert_true(cur[r] <= written);
            assert_true(start >= before);
            if (start > before) {
                /* Only a reader behind the ring jumps, and only to the
                 * first byte after a newline held (or the oldest byte). */
                assert_true(before < log_ring_oldest(&ring));
                assert_true(start >= log_ring_oldest(&ring));
                assert_true(model[start - 1] == '\n' ||
                            start == log_ring_oldest(&ring));
            }
            assert_memory_equal(s, model + start, (size_t)n);
        }
    }
    free(model);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(LRING0001_read_what_was_written),
        T(LRING0002_short_reads_continue),
        T(LRING0003_nothing_new_and_zero_length),
        T(LRING0004_cursor_past_head_refused),
        T(LRING0005_fallen_behind_resumes_at_a_whole_line),
        T(LRING0006_oldest_byte_after_a_newline),
        T(LRING0007_no_newline_starts_at_oldest),
        T(LRING0008_write_larger_than_ring),
        T(LRING0009_sequence_numbers_past_32_bits),
        T(LRING0010_random_against_model),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The kernel log ring: log_read through init's log handle (LOG0001, in
 * t_basic.c, covers log_write). */
#include "ktest.h"
#include "common/fmt.h"
#include "common/string.h"

#define RING_SIZE (64 * 1024)

static char buf[2 * RING_SIZE];

/* Reads until nothing is left; returns the cursor then (the kernel's
 * count of bytes ever logged, give or take lines logged meanwhile). */
static uint64_t log_end(ae_handle_t log)
{
    uint64_t cursor = 0;

    while (ae_log_read(log, &cursor, buf, 4096) > 0)
        ;
    return cursor;
}

/* Reads from *cursor until caught up, at most max bytes, into buf; returns
 * the bytes read (the cursor only moves forward by reads and jumps). */
static uint64_t read_all(ae_handle_t log, uint64_t *cursor, uint64_t max)
{
    uint64_t got = 0;
    int64_t n;

    while (got < max && (n = ae_log_read(log, cursor, buf + got,
                                         max - got < 4096 ? max - got : 4096)) > 0)
        got += (uint64_t)n;
    buf[got] = '\0';
    return got;
}

static int contains(const char *hay, uint64_t len, const char *needle)
{
    size_t n = strlen(needle);

    for (uint64_t i = 0; i + n <= len; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return 1;
    return 0;
}

KTEST(LOG0002, "init's boot info names the kernel log with READ, DERIVE and GRANT")
{
    struct ae_handle_info hi;

    CHECK_EQ(ae_bootinfo->version, AE_BOOTINFO_VERSION);
    CHECK_OK(ae_handle_info(ae_bootinfo->log, &hi));
    CHECK_EQ(hi.type, AE_OBJ_LOG);
    CHECK_EQ(hi.rights, AE_RIGHT_READ | AE_RIGHT_DERIVE | AE_RIGHT_GRANT);
}

KTEST(LOG0003, "log_read returns a line just written with log_write, name and pid included")
{
    ae_handle_t log = ae_bootinfo->log;
    uint64_t cursor = log_end(log), got;
    static const char line[] = "ktest: LOG0003 marker 7d1c";

    CHECK_OK(ae_log_write(line, sizeof line - 1));
    got = read_all(log, &cursor, sizeof buf - 1);
    CHECK(got > sizeof line);
    CHECK(contains(buf, got, " I [init:1] ktest: LOG0003 marker 7d1c\n"));
}

KTEST(LOG0004, "the cursor: bytes returned are [cursor - n, cursor); short reads continue; caught up reads 0")
{
    ae_handle_t log = ae_bootinfo->log;
    uint64_t start = log_end(log), cursor = start, c2;
    static const char line[] = "ktest: LOG0004 0123456789abcdefghij";
    char whole[256];
    int64_t n, total = 0;

    CHECK_OK(ae_log_write(line, sizeof line - 1));
    n = ae_log_read(log, &cursor, whole, 5);
    CHECK_EQ(n, 5);
    CHECK_EQ(cursor, start + 5);
    while ((n = ae_log_read(log, &cursor, whole + 5 + total, 16)) > 0)
        total += n;
    CHECK_EQ(n, 0);
    CHECK_EQ(cursor, start + 5 + (uint64_t)total);
    CHECK(contains(whole, 5 + (uint64_t)total, line));
    CHECK_EQ(whole[5 + total - 1], '\n');
    /* Caught up: 0, cursor unchanged; len 0 too. */
    c2 = cursor;
    CHECK_EQ(ae_log_read(log, &cursor, whole, sizeof whole), 0);
    CHECK_EQ(ae_log_read(log, &cursor, whole, 0), 0);
    CHECK_EQ(cursor, c2);
}

KTEST(LOG0005, "a cursor past everything logged is INVAL and left as it was")
{
    ae_handle_t log = ae_bootinfo->log;
    uint64_t cursor = log_end(log) + 1000000;
    uint64_t far = cursor;
    char b[16];

    CHECK_EQ(ae_log_read(log, &cursor, b, sizeof b), AE_ERR_INVAL);
    CHECK_EQ(cursor, far);
    cursor = UINT64_MAX - 1;                   /* UINT64_MAX itself is AE_LOG_CURSOR_CONSOLE */
    CHECK_EQ(ae_log_read(log, &cursor, b, sizeof b), AE_ERR_INVAL);
}

KTEST(LOG0006, "log_read checks the handle: 0, wrong type, no READ, revoked")
{
    ae_handle_t log = ae_bootinfo->log;
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t noread = CHECK_HANDLE(ae_handle_derive(log, AE_RIGHT_DERIVE | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t reader = CHECK_HANDLE(ae_handle_derive(log, AE_RIGHT_READ | AE_RIGHT_DERIVE, 0, 0));
    ae_handle_t sub = CHECK_HANDLE(ae_handle_derive(reader, AE_RIGHT_READ, 0, 0));
    uint64_t cursor = 0;
    char b[16];

    CHECK_EQ(ae_log_read(0, &cursor, b, sizeof b), AE_ERR_BAD_HANDLE);
    CHECK_EQ(ae_log_read(ep, &cursor, b, sizeof b), AE_ERR_INVAL);
    CHECK_EQ(ae_log_read(noread, &cursor, b, sizeof b), AE_ERR_ACCESS);
    CHECK_EQ(ae_log_read(sub, &cursor, b, sizeof b), (int64_t)sizeof b);
    CHECK_EQ(ae_handle_revoke(reader), 1);
    CHECK_EQ(ae_log_read(sub, &cursor, b, sizeof b), AE_ERR_REVOKED);
    CHECK_EQ(ae_log_read(reader, &cursor, b, sizeof b), (int64_t)sizeof b);
    CHECK_EQ(ae_hw_subrange(log, 0, 1), AE_ERR_INVAL);     /* not a hardware range */
    ae_handle_close(sub);
    ae_handle_close(reader);
    ae_handle_close(noread);
    ae_handle_close(ep);
}

static const uint64_t rodata_cursor = 1; /* a valid cursor, read-only memory */

KTEST(LOG0007, "log_read refuses kernel, non-canonical, unmapped and read-only buffers and cursors")
{
    ae_handle_t log = ae_bootinfo->log;
    uint64_t cursor = 0;
    char b[16];

    /* There is always something at cursor 0 to copy. */
    CHECK_EQ(ae_log_read(log, &cursor, (char *)KTEST_KERNEL_ADDR, 16), AE_ERR_FAULT);
    CHECK_EQ(ae_log_read(log, &cursor, (char *)KTEST_NONCANONICAL, 16), AE_ERR_FAULT);
    CHECK_EQ(ae_log_read(log, &cursor, (char *)KTEST_UNMAPPED, 16), AE_ERR_FAULT);
    CHECK_EQ(ae_log_read(log, &cursor, (char *)(uintptr_t)&ktest_fail, 16), AE_ERR_FAULT);
    CHECK_EQ(ae_log_read(log, &cursor, (char *)0x00007ffffffffff8ull, 16), AE_ERR_FAULT);
    CHECK_EQ(ae_log_read(log, &cursor, b, UINT64_MAX), AE_ERR_FAULT);   /* wraps */
    CHECK_EQ(cursor, 0);
    CHECK_EQ(ae_log_read(log, (uint64_t *)KTEST_KERNEL_ADDR, b, sizeof b), AE_ERR_FAULT);
    CHECK_EQ(ae_log_read(log, (uint64_t *)KTEST_UNMAPPED, b, sizeof b), AE_ERR_FAULT);
    CHECK_EQ(ae_log_read(log, NULL, b, sizeof b), AE_ERR_FAULT);
    /* The cursor is read, then written back: read-only memory fails. */
    CHECK_EQ(ae_log_read(log, (uint64_t *)(uintptr_t)&rodata_cursor, b, sizeof b), AE_ERR_FAULT);
}

/* Lines of log_write's maximum length, numbered: "ktest: LOG0008 fill N xxx". */
static void fill(const char *tag, int lines)
{
    char line[512];

    for (int i = 0; i < lines; i++) {
        int n = ae_snprintf(line, sizeof line, "ktest: %s fill %d ", tag, i);
        memset(line + n, 'x', sizeof line - (size_t)n);
        ae_log_write(line, sizeof line);
    }
}

KTEST(LOG0008, "writing more than the ring: a reader behind resumes at a whole line and sees what it lost")
{
    ae_handle_t log = ae_bootinfo->log;
    uint64_t start = log_end(log), cursor = start, got, lost;
    char last[40];
    int64_t n;

    fill("LOG0008", 200);               /* ~100 KiB (each line is cut at 511 bytes) */
    n = ae_log_read(log, &cursor, buf, 4096);
    CHECK(n > 0);
    lost = cursor - (uint64_t)n - start;
    CHECK(lost > 32 * 1024);            /* ring 64 KiB: about 36 KiB gone */
    CHECK_EQ(buf[0], '[');              /* a whole line: "[   time] cpuN I ..." */
    got = (uint64_t)n + read_all(log, &cursor, sizeof buf - 1 - (uint64_t)n);
    /* Everything from the resume point on, up to the last line written. */
    CHECK(got <= RING_SIZE + 4096);
    CHECK(got + lost >= 200 * 500);
    ae_snprintf(last, sizeof last, "ktest: LOG0008 fill %d x", 199);
    CHECK(contains(buf, got, last));
    CHECK(!contains(buf, got, "ktest: LOG0008 fill 0 x"));
}

KTEST(LOG0009, "one call copies many chunks, contiguous: the same bytes as small reads")
{
    ae_handle_t log = ae_bootinfo->log;
    static char small[20000];
    uint64_t end, from, c1, c2;
    int64_t n;

    fill("LOG0009", 48);                /* ~26 KiB */
    end = log_end(log);
    from = end - 20000;
    c1 = from;
    CHECK_EQ(ae_log_read(log, &c1, buf, 20000), 20000);
    CHECK_EQ(c1, from + 20000);
    c2 = from;
    for (uint64_t got = 0; got < 20000; got += (uint64_t)n) {
        n = ae_log_read(log, &c2, small + got, 20000 - got < 700 ? 20000 - got : 700);
        CHECK(n > 0);
        if (n <= 0)
            break;
    }
    CHECK_EQ(c2, c1);
    CHECK(memcmp(buf, small, 20000) == 0);
}

static int64_t child_reads_log(uint64_t h)
{
    uint64_t cursor = 0;
    char b[64];
    struct ae_handle_info hi;

    if (ae_handle_info((ae_handle_t)h, &hi) != AE_OK || hi.type != AE_OBJ_LOG ||
        hi.rights != (AE_RIGHT_READ | AE_RIGHT_GRANT))
        return 1;
    if (ae_log_read((ae_handle_t)h, &cursor, b, sizeof b) != (int64_t)sizeof b)
        return 2;
    return 0;
}

KTEST(LOG0010, "a READ handle derived from init's and moved to another process reads the log")
{
    ae_handle_t given = 0, h, p;

    CHECK_EQ(ae_handle_derive(ae_bootinfo->log, AE_RIGHT_READ | AE_RIGHT_WRITE, 0, 0),
             AE_ERR_ACCESS);             /* no rights beyond the root's */
    h = CHECK_HANDLE(ae_handle_derive(ae_bootinfo->log, AE_RIGHT_READ | AE_RIGHT_GRANT, 0, 0));
    p = CHECK_HANDLE(ktest_child(child_reads_log, 0, NULL, h, &given));
    CHECK_EQ(ktest_wait_child(p), 0);
}

/* Takes over showing the log twice and returns both starting points: the
 * second must equal the first (a process takes it once). */
static int64_t child_take_console(uint64_t arg)
{
    ae_handle_t log = (ae_handle_t)arg;
    uint64_t a = AE_LOG_CURSOR_CONSOLE, b = AE_LOG_CURSOR_CONSOLE;
    char c;

    if (ae_log_read(log, &a, &c, 0) != 0 || ae_log_read(log, &b, &c, 0) != 0 || a != b)
        return -1;
    return (int64_t)a;
}

KTEST(LOG0011, "AE_LOG_CURSOR_CONSOLE: a process takes over showing the log from the kernel's current end; when it dies another can take it later on")
{
    ae_handle_t log = ae_bootinfo->log;
    uint64_t end = log_end(log);
    ae_handle_t r1 = CHECK_HANDLE(ae_handle_derive(log, AE_RIGHT_READ | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t r2 = CHECK_HANDLE(ae_handle_derive(log, AE_RIGHT_READ | AE_RIGHT_GRANT, 0, 0));
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_take_console, 0, NULL, r1, NULL));
    int64_t first, second;

    first = p ? ktest_wait_child(p) : -1;
    CHECK(first >= 0 && (uint64_t)first >= end);
    ae_log_write("LOG0011 marker\n", 15);
    p = CHECK_HANDLE(ktest_child(child_take_console, 0, NULL, r2, NULL));
    second = p ? ktest_wait_child(p) : -1;
    CHECK(second > first);
    CHECK(log_end(log) >= (uint64_t)second);
}

/*
 * Unit tests for aether-scope's HTTP request parser (tools/aether-scope/
 * http.c): well-formed heads, heads still arriving, every kind of
 * malformed request line or header, the size limits, query parameters,
 * and random bytes (never a crash or an out-of-bounds read under ASan).
 */
#include "unit.h"

#include "tools/aether-scope/http.h"

static enum http_result parse(const char *s, struct http_req *r)
{
    return http_parse(s, strlen(s), r);
}

static void SCH0001_get_with_query(void **state)
{
    struct http_req r;
    const char *s = "GET /api/node?pid=4&x=y HTTP/1.1\r\nHost: 127.0.0.1:7070\r\n"
                    "Accept: */*\r\n\r\nbody";

    assert_int_equal(parse(s, &r), HTTP_OK);
    assert_string_equal(r.method, "GET");
    assert_string_equal(r.path, "/api/node");
    assert_string_equal(r.query, "pid=4&x=y");
    assert_int_equal(r.minor, 1);
    assert_int_equal(r.head_len, strlen(s) - 4);
    assert_int_equal(parse("HEAD / HTTP/1.0\n\n", &r), HTTP_OK);
    assert_string_equal(r.method, "HEAD");
    assert_string_equal(r.path, "/");
    assert_string_equal(r.query, "");
    assert_int_equal(r.minor, 0);
}

static void SCH0002_incomplete_until_blank_line(void **state)
{
    const char *s = "GET /api/state HTTP/1.1\r\nHost: x\r\n\r\n";
    struct http_req r;

    for (size_t n = 0; n < strlen(s); n++)
        assert_int_equal(http_parse(s, n, &r), HTTP_INCOMPLETE);
    assert_int_equal(http_parse(s, strlen(s), &r), HTTP_OK);
}

static void SCH0003_malformed(void **state)
{
    static const char *const bad[] = {
        "garbage\r\n\r\n",
        "\r\n\r\n",
        "GET\r\n\r\n",
        "GET /\r\n\r\n",
        "GET / HTTP/2.0\r\n\r\n",
        "GET / HTTP/1.\r\n\r\n",
        "GET / HTTP/1.1x\r\n\r\n",
        "GET  / HTTP/1.1\r\n\r\n",
        "get / HTTP/1.1\r\n\r\n",
        "GETTINGLONG / HTTP/1.1\r\n\r\n",
        "GET api/state HTTP/1.1\r\n\r\n",
        "GET http://x/ HTTP/1.1\r\n\r\n",
        "GET /\x01 HTTP/1.1\r\n\r\n",
        "GET /\xc3\xa9 HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
        "GET / HTTP/1.1\r\n: empty name\r\n\r\n",
        "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",
        "GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n",
        "GET / HTTP/1.1\r\nX: a\x7f\r\n\r\n",
        "GET / HTTP/1.1\rX: y\r\n\r\n",
    };
    struct http_req r;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        enum http_result got = parse(bad[i], &r);
        if (got != HTTP_BAD)
            fail_msg("case %zu (%s): got %d, want HTTP_BAD", i, bad[i], got);
    }
}

static void SCH0004_limits(void **state)
{
    static char big[HTTP_MAX_HEAD + 100];
    struct http_req r;
    size_t n;

    /* a head that never ends within the limit */
    n = (size_t)snprintf(big, sizeof(big), "GET / HTTP/1.1\r\nX: ");
    memset(big + n, 'a', sizeof(big) - n);
    assert_int_equal(http_parse(big, HTTP_MAX_HEAD - 1, &r), HTTP_INCOMPLETE);
    assert_int_equal(http_parse(big, HTTP_MAX_HEAD, &r), HTTP_TOO_BIG);
    assert_int_equal(http_parse(big, sizeof(big), &r), HTTP_TOO_BIG);
    /* the longest path, and one byte more */
    n = (size_t)snprintf(big, sizeof(big), "GET /");
    memset(big + n, 'p', HTTP_MAX_PATH - 1);
    n += HTTP_MAX_PATH - 1;
    strcpy(big + n, " HTTP/1.1\r\n\r\n");
    assert_int_equal(parse(big, &r), HTTP_OK);
    assert_int_equal(strlen(r.path), HTTP_MAX_PATH);
    memmove(big + 1 + n - 0, big + n, strlen(big + n) + 1);
    big[n] = 'p';
    assert_int_equal(parse(big, &r), HTTP_URI_TOO_LONG);
}

static void SCH0005_query(void **state)
{
    char v[16];

    assert_int_equal(http_query("pid=4", "pid", v, sizeof(v)), 1);
    assert_string_equal(v, "4");
    assert_int_equal(http_query("a=1&name=my%20v+node&pid=2", "name", v, sizeof(v)), 1);
    assert_string_equal(v, "my v node");
    assert_int_equal(http_query("xpid=4&pi=3", "pid", v, sizeof(v)), 0);
    assert_int_equal(http_query("pid=", "pid", v, sizeof(v)), 1);
    assert_string_equal(v, "");
    assert_int_equal(http_query("", "pid", v, sizeof(v)), 0);
    assert_int_equal(http_query("name=%4", "name", v, sizeof(v)), -1);
    assert_int_equal(http_query("name=%zz", "name", v, sizeof(v)), -1);
    assert_int_equal(http_query("name=%00", "name", v, sizeof(v)), -1);
    assert_int_equal(http_query("name=0123456789abcdefg", "name", v, sizeof(v)), -1);
}

static void SCH0006_response_head(void **state)
{
    struct sb b = {0};

    http_head(&b, 404, "application/json", 12);
    assert_string_equal(b.p, "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
                             "Content-Length: 12\r\nConnection: close\r\n"
                             "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\r\n");
    sb_free(&b);
}

static void SCH0007_random_bytes(void **state)
{
    static char buf[HTTP_MAX_HEAD + 64];
    static const char alphabet[] = "GET /?=&%:\r\n HTTP1.aZ\x01\x7f\xff";
    struct http_req r;

    rng_state = 8;
    for (int round = 0; round < 20000; round++) {
        size_t n = rng() % (round % 100 == 0 ? sizeof(buf) : 64);
        enum http_result got;

        /* heap copies of exactly n bytes, so ASan sees any read past them */
        char *p = malloc(n ? n : 1);
        for (size_t i = 0; i < n; i++)
            buf[i] = alphabet[rng() % (sizeof(alphabet) - 1)];
        if (round % 3 == 0 && n > 20)
            memcpy(buf, "GET /", 5);
        memcpy(p, buf, n);
        got = http_parse(p, n, &r);
        assert_true(got >= HTTP_URI_TOO_LONG && got <= HTTP_OK);
        if (got == HTTP_OK) {
            assert_true(r.head_len <= n);
            assert_true(r.path[0] == '/');
        }
        free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(SCH0001_get_with_query), cmocka_unit_test(SCH0002_incomplete_until_blank_line),
        cmocka_unit_test(SCH0003_malformed), cmocka_unit_test(SCH0004_limits),
        cmocka_unit_test(SCH0005_query), cmocka_unit_test(SCH0006_response_head),
        cmocka_unit_test(SCH0007_random_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for httpd's request-head parser (user/vnodes/httpd/http_req.c):
 * well-formed heads (methods, versions, keep-alive rules, escapes, query
 * strings, pipelined bytes after the head), every refusal (malformed lines,
 * .. segments, control bytes, long paths and heads, bodies), and every
 * truncation and random corruption of a valid head read from an exact-size
 * heap copy (AddressSanitizer catches a read past it).
 */
#include "unit.h"

#include "user/vnodes/httpd/http_req.h"

static int parse(const char *s, size_t len, struct http_req *r)
{
    char *copy = malloc(len ? len : 1);
    int n;

    memcpy(copy, s, len);
    n = http_req_parse(copy, len, r);
    free(copy);
    return n;
}

static int parse_s(const char *s, struct http_req *r)
{
    return parse(s, strlen(s), r);
}

static void HTTP0001_good_heads(void **state)
{
    struct http_req r;
    const char *a = "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\nGET /next";

    assert_int_equal(parse_s(a, &r), 37);
    assert_int_equal(r.method, HTTP_GET);
    assert_string_equal(r.path, "/index.html");
    assert_int_equal(r.minor, 1);
    assert_true(r.keep_alive);
    assert_false(r.has_body);
    assert_int_equal(parse_s("HEAD / HTTP/1.0\r\n\r\n", &r), 19);
    assert_int_equal(r.method, HTTP_HEAD);
    assert_false(r.keep_alive);                     /* 1.0: close unless asked */
    assert_true(parse_s("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &r) > 0);
    assert_true(r.keep_alive);
    assert_true(parse_s("GET / HTTP/1.1\r\nCONNECTION:   close  \r\n\r\n", &r) > 0);
    assert_false(r.keep_alive);
    assert_true(parse_s("POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\n", &r) > 0);
    assert_int_equal(r.method, HTTP_OTHER);
    assert_true(r.has_body);
    assert_true(parse_s("GET /x HTTP/1.1\r\nContent-Length: 0\r\n\r\n", &r) > 0);
    assert_false(r.has_body);
    assert_true(parse_s("GET /x HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n", &r) > 0);
    assert_true(r.has_body);
    assert_true(parse_s("GET /a%20b%2Fc?q=1 HTTP/1.1\r\n\r\n", &r) > 0);
    assert_string_equal(r.path, "/a b/c");
    assert_true(parse_s("GET /a..b/..c/d.. HTTP/1.1\r\n\r\n", &r) > 0);   /* not segments */
    assert_string_equal(r.path, "/a..b/..c/d..");
    assert_int_equal(parse_s("GET / HTTP/1.1\r\nHost: x\r\n", &r), 0);     /* more to come */
    assert_int_equal(parse_s("", &r), 0);
}

static void HTTP0002_refusals(void **state)
{
    static const struct { const char *s; int want; } bad[] = {
        {"GET /../etc HTTP/1.1\r\n\r\n", -400},
        {"GET /a/.. HTTP/1.1\r\n\r\n", -400},
        {"GET /%2e%2e/x HTTP/1.1\r\n\r\n", -400},
        {"GET /a%00b HTTP/1.1\r\n\r\n", -400},
        {"GET /a%5cb HTTP/1.1\r\n\r\n", -400},
        {"GET /a%1 HTTP/1.1\r\n\r\n", -400},
        {"GET /a%zz HTTP/1.1\r\n\r\n", -400},
        {"GET a HTTP/1.1\r\n\r\n", -400},
        {"GET http://x/ HTTP/1.1\r\n\r\n", -400},
        {"GET / HTTP/2.0\r\n\r\n", -505},
        {"GET / HTTP/1.x\r\n\r\n", -400},
        {"GET / FTP/1.1\r\n\r\n", -400},
        {"GET /\r\n\r\n", -400},
        {" / HTTP/1.1\r\n\r\n", -400},
        {"GET  HTTP/1.1\r\n\r\n", -400},
        {"GET / HTTP/1.1\r\nNoColon\r\n\r\n", -400},
        {"GET / HTTP/1.1\r\nA: b\rX\r\n\r\n", -400},
    };
    struct http_req r;
    char big[HTTP_HEAD_MAX + 64];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int n = parse_s(bad[i].s, &r);
        if (n != bad[i].want)
            fail_msg("\"%s\": %d, want %d", bad[i].s, n, bad[i].want);
    }
    /* A path of 255 bytes fits, 256 does not. */
    memset(big, 'a', sizeof(big));
    memcpy(big, "GET /", 5);
    memcpy(big + 5 + 254, " HTTP/1.1\r\n\r\n", 13);
    assert_true(parse(big, 5 + 254 + 13, &r) > 0);
    memset(big, 'a', sizeof(big));
    memcpy(big, "GET /", 5);
    memcpy(big + 5 + 255, " HTTP/1.1\r\n\r\n", 13);
    assert_int_equal(parse(big, 5 + 255 + 13, &r), -414);
    /* No end within the limit; an end past it. */
    memset(big, 'x', sizeof(big));
    assert_int_equal(parse(big, HTTP_HEAD_MAX, &r), -431);
    assert_int_equal(parse(big, HTTP_HEAD_MAX - 1, &r), 0);
    memcpy(big, "GET / HTTP/1.1\r\nA: ", 19);
    memcpy(big + HTTP_HEAD_MAX, "\r\n\r\n", 4);
    assert_int_equal(parse(big, HTTP_HEAD_MAX + 4, &r), -431);
}

static void HTTP0003_truncations_and_corruption(void **state)
{
    const char *good = "GET /big16m.bin?x HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: t\r\n"
                       "Connection: keep-alive\r\nAccept: */*\r\n\r\n";
    size_t len = strlen(good);
    struct http_req r;
    char buf[256];

    for (size_t n = 0; n < len; n++)
        assert_true(parse(good, n, &r) <= 0);       /* never a head before the end */
    assert_int_equal(parse(good, len, &r), (int)len);
    rng_state = 11;
    for (int round = 0; round < 100000; round++) {
        memcpy(buf, good, len);
        for (int k = (int)(rng() % 4); k >= 0; k--)
            buf[rng() % len] = (char)rng();
        int n = parse(buf, rng() % (len + 1), &r);
        if (n > 0) {
            assert_true(r.path[0] == '/');
            assert_null(strstr(r.path, "/../"));
            assert_true(strlen(r.path) < HTTP_PATH_MAX);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(HTTP0001_good_heads),
        cmocka_unit_test(HTTP0002_refusals),
        cmocka_unit_test(HTTP0003_truncations_and_corruption),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * HTTP/1.1 request heads (RFC 9112), parsed from a buffer. Pure: host unit
 * tests (tests/unit/test_http_req.c) feed it hostile input.
 *
 *     struct http_req r;
 *     int n = http_req_parse(buf, len, &r);   // 0: incomplete; < 0: bad; > 0: head length
 */
#ifndef HTTPD_HTTP_REQ_H
#define HTTPD_HTTP_REQ_H

#include <stdbool.h>
#include <stddef.h>

#define HTTP_HEAD_MAX 8192
#define HTTP_PATH_MAX 256

enum http_method { HTTP_GET = 1, HTTP_HEAD, HTTP_OTHER };

struct http_req {
    enum http_method method;
    char path[HTTP_PATH_MAX];   /* decoded, "/..." */
    int minor;                  /* HTTP/1.minor */
    bool keep_alive;            /* the connection stays open after the answer */
    bool has_body;              /* Content-Length > 0 or chunked: refused */
};

/* Status to answer a bad request with, as a negative number: -400 (malformed),
 * -414 (path too long), -431 (head too long), -505 (not HTTP/1.x). */
int http_req_parse(const char *buf, size_t len, struct http_req *r);

#endif

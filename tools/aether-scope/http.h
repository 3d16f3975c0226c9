/*
 * The little HTTP/1.1 the server needs: parse one GET request head from a
 * bounded buffer, read query parameters, write a response head. Pure, so
 * the malformed-request cases are unit-tested without sockets.
 */
#ifndef SCOPE_HTTP_H
#define SCOPE_HTTP_H

#include <stddef.h>

#include "buf.h"

#define HTTP_MAX_HEAD 8192u     /* request line and headers */
#define HTTP_MAX_PATH 255u

enum http_result {
    HTTP_INCOMPLETE = 0,        /* no blank line yet: read more */
    HTTP_OK = 1,
    HTTP_BAD = -1,              /* 400 */
    HTTP_TOO_BIG = -2,          /* 431: the head does not fit HTTP_MAX_HEAD */
    HTTP_URI_TOO_LONG = -3,     /* 414 */
};

struct http_req {
    char method[8];
    char path[HTTP_MAX_PATH + 1];       /* without the query */
    char query[HTTP_MAX_PATH + 1];      /* after '?', may be empty */
    int minor;                  /* HTTP/1.minor */
    size_t head_len;            /* bytes of the head, blank line included */
};

/* Parses the head at the start of buf (len bytes received so far). */
enum http_result http_parse(const char *buf, size_t len, struct http_req *r);
/* Copies query parameter key's value (percent-decoded) into out; 0 if
 * absent, -1 if it does not fit or is malformed. */
int http_query(const char *query, const char *key, char *out, size_t outlen);
const char *http_status_text(int status);
/* "HTTP/1.1 <status> ...\r\n" + Content-Type, Content-Length, Connection:
 * close, Cache-Control: no-store, then the blank line. */
void http_head(struct sb *b, int status, const char *content_type, size_t content_length);

#endif

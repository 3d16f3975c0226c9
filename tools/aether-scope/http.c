/*
 * HTTP request heads. Only what the server uses is read (method, target,
 * version); headers are skipped but must be well-formed lines, and any
 * control byte or oversize part makes the request a 4xx instead of being
 * guessed at.
 */
#include <string.h>

#include "common/hex.h"
#include "http.h"

/* Where the head ends (after the blank line), or 0 if not yet. A bare LF
 * line end is accepted as well as CRLF, as RFC 9112 allows. */
static size_t head_end(const char *b, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (b[i] != '\n')
            continue;
        if (b[i + 1] == '\n')
            return i + 2;
        if (b[i + 1] == '\r' && i + 2 < len && b[i + 2] == '\n')
            return i + 3;
    }
    return 0;
}

static int is_tchar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Each header line: a token, a colon, then visible bytes, spaces or tabs. */
static int headers_ok(const char *p, const char *end)
{
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p)), *c = p;

        if (!eol)
            return 0;
        if (eol == p || (eol == p + 1 && *p == '\r'))
            return 1;           /* the blank line */
        while (c < eol && is_tchar(*c))
            c++;
        if (c == p || c == eol || *c != ':')
            return 0;
        for (c++; c < eol; c++) {
            unsigned char u = (unsigned char)*c;
            if (u < 0x20 && u != '\t' && !(u == '\r' && c + 1 == eol))
                return 0;
            if (u == 0x7f)
                return 0;
        }
        p = eol + 1;
    }
    return 0;
}

enum http_result http_parse(const char *buf, size_t len, struct http_req *r)
{
    size_t end = head_end(buf, len < HTTP_MAX_HEAD ? len : HTTP_MAX_HEAD), i = 0, n;
    const char *target;

    memset(r, 0, sizeof(*r));
    if (!end)
        return len >= HTTP_MAX_HEAD ? HTTP_TOO_BIG : HTTP_INCOMPLETE;
    r->head_len = end;
    /* method */
    for (n = 0; i < end && buf[i] >= 'A' && buf[i] <= 'Z'; i++, n++)
        if (n + 1 >= sizeof(r->method))
            return HTTP_BAD;
    if (n == 0 || buf[i] != ' ')
        return HTTP_BAD;
    memcpy(r->method, buf, n);
    /* target: origin form only ("/..."), visible ASCII */
    target = buf + ++i;
    for (n = 0; i < end && buf[i] > 0x20 && buf[i] < 0x7f; i++)
        n++;
    if (n == 0 || target[0] != '/' || buf[i] != ' ')
        return HTTP_BAD;
    if (n > HTTP_MAX_PATH)
        return HTTP_URI_TOO_LONG;
    {
        const char *q = memchr(target, '?', n);
        size_t plen = q ? (size_t)(q - target) : n;

        memcpy(r->path, target, plen);
        if (q)
            memcpy(r->query, q + 1, n - plen - 1);
    }
    i++;
    if (end - i < 9 || memcmp(buf + i, "HTTP/1.", 7) != 0 || buf[i + 7] < '0' ||
        buf[i + 7] > '9')
        return HTTP_BAD;
    r->minor = buf[i + 7] - '0';
    i += 8;
    if (buf[i] == '\r')
        i++;
    if (buf[i] != '\n')
        return HTTP_BAD;
    return headers_ok(buf + i + 1, buf + end) ? HTTP_OK : HTTP_BAD;
}

int http_query(const char *query, const char *key, char *out, size_t outlen)
{
    size_t klen = strlen(key);
    const char *p = query;

    while (*p) {
        const char *amp = strchr(p, '&'), *stop = amp ? amp : p + strlen(p);

        if ((size_t)(stop - p) > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
            size_t o = 0;

            for (const char *c = p + klen + 1; c < stop; c++) {
                int ch = (unsigned char)*c;

                if (ch == '+') {
                    ch = ' ';
                } else if (ch == '%') {
                    if (stop - c < 3 || ae_hex_digit(c[1]) < 0 || ae_hex_digit(c[2]) < 0)
                        return -1;
                    ch = ae_hex_digit(c[1]) * 16 + ae_hex_digit(c[2]);
                    c += 2;
                }
                if (ch == 0 || o + 1 >= outlen)
                    return -1;
                out[o++] = (char)ch;
            }
            out[o] = 0;
            return 1;
        }
        p = amp ? amp + 1 : stop;
    }
    return 0;
}

const char *http_status_text(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}

void http_head(struct sb *b, int status, const char *content_type, size_t content_length)
{
    sb_printf(b, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
              "Connection: close\r\nCache-Control: no-store\r\n"
              "X-Content-Type-Options: nosniff\r\n\r\n",
              status, http_status_text(status), content_type, content_length);
}

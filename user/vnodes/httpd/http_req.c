/*
 * See http_req.h. The head must end (CRLF CRLF) within HTTP_HEAD_MAX
 * bytes; the request line is METHOD SP TARGET SP HTTP/1.x; the target is
 * an origin-form path whose %XX escapes are decoded, and a path with a
 * NUL, a backslash or a ".." segment is refused, so nothing outside the
 * web root can be named. Header names are matched without case.
 */
#include <string.h>

#include "http_req.h"

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static bool prefix_nocase(const char *s, const char *end, const char *p)
{
    for (; *p; s++, p++)
        if (s >= end || lower(*s) != *p)
            return false;
    return true;
}

static int hexval(int c)
{
    c = lower(c);
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int decode_path(const char *s, const char *end, char *out)
{
    size_t n = 0;

    if (s >= end || *s != '/')
        return -400;
    for (; s < end && *s != '?'; s++) {
        int c = (unsigned char)*s;
        if (c == '%') {
            int h = s + 2 < end ? hexval(s[1]) : -1, l = s + 2 < end ? hexval(s[2]) : -1;
            if (h < 0 || l < 0)
                return -400;
            c = h * 16 + l;
            s += 2;
        }
        if (c == 0 || c == '\\' || c < 0x20 || c == 0x7f)
            return -400;
        if (n + 1 >= HTTP_PATH_MAX)
            return -414;
        out[n++] = (char)c;
    }
    out[n] = 0;
    /* No ".." segment anywhere. */
    for (const char *p = out; (p = strstr(p, "..")); p += 2)
        if ((p == out || p[-1] == '/') && (p[2] == 0 || p[2] == '/'))
            return -400;
    return 0;
}

/* The value of a header line "Name: value", trimmed. */
static void value_of(const char *line, const char *end, const char **v, const char **vend)
{
    const char *c = memchr(line, ':', (size_t)(end - line));

    *v = c ? c + 1 : end;
    while (*v < end && (**v == ' ' || **v == '\t'))
        (*v)++;
    *vend = end;
    while (*vend > *v && ((*vend)[-1] == ' ' || (*vend)[-1] == '\t'))
        (*vend)--;
}

int http_req_parse(const char *buf, size_t len, struct http_req *r)
{
    const char *end = NULL, *p, *sp1, *sp2, *eol;
    int err;

    for (size_t i = 0; i + 3 < len; i++)
        if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
            end = buf + i + 2;      /* the last header line's CRLF included */
            break;
        }
    if (!end)
        return len >= HTTP_HEAD_MAX ? -431 : 0;
    if (end + 2 - buf > HTTP_HEAD_MAX)
        return -431;
    memset(r, 0, sizeof(*r));
    eol = memchr(buf, '\r', (size_t)(end - buf));
    sp1 = memchr(buf, ' ', (size_t)(eol - buf));
    sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1)) : NULL;
    if (!sp1 || !sp2 || sp1 == buf)
        return -400;
    /* HTTP/D.D exactly; another major version than 1 is 505. */
    if (eol - sp2 != 9 || memcmp(sp2 + 1, "HTTP/", 5) || sp2[6] < '0' || sp2[6] > '9' ||
        sp2[7] != '.' || sp2[8] < '0' || sp2[8] > '9')
        return -400;
    if (sp2[6] != '1')
        return -505;
    r->minor = sp2[8] - '0';
    r->method = sp1 - buf == 3 && !memcmp(buf, "GET", 3)    ? HTTP_GET
                : sp1 - buf == 4 && !memcmp(buf, "HEAD", 4) ? HTTP_HEAD
                                                            : HTTP_OTHER;
    if ((err = decode_path(sp1 + 1, sp2, r->path)))
        return err;
    r->keep_alive = r->minor >= 1;
    for (p = eol + 2; p < end; p = eol + 2) {
        const char *v, *vend;
        eol = memchr(p, '\r', (size_t)(end - p));
        if (!eol || eol + 1 >= end + 2 || eol[1] != '\n')
            return -400;
        if (!memchr(p, ':', (size_t)(eol - p)))
            return -400;
        value_of(p, eol, &v, &vend);
        if (prefix_nocase(p, eol, "connection:")) {
            if (prefix_nocase(v, vend, "close"))
                r->keep_alive = false;
            else if (prefix_nocase(v, vend, "keep-alive"))
                r->keep_alive = true;
        } else if (prefix_nocase(p, eol, "content-length:")) {
            if (vend - v != 1 || *v != '0')
                r->has_body = true;
        } else if (prefix_nocase(p, eol, "transfer-encoding:")) {
            r->has_body = true;
        }
    }
    return (int)(end + 2 - buf);
}

/*
 * Manifest lines (contract in manifest.h, format in docs/USERSPACE.md):
 * splits the text into lines, checks their bytes, strips comments and
 * blanks, splits "key = value" and hands the value to the key's parser
 * (manifest_keys.c); then checks that every required key was given.
 *
 * Each line is checked in this order, the first failure deciding: length,
 * then its bytes from the first (NUL, control character, UTF-8), then the
 * shape "key = value", the key, repetition, an empty value, the value.
 * Lines end at "\n"; a "\r" just before it belongs to the line ending.
 */
#include <stdarg.h>

#include "manifest.h"
#include "manifest_keys.h"
#include "common/fmt.h"
#include "common/string.h"
#include "aether/errors.h"

#define WHY_MAX 112

/* Where parsing is: the current line's number, and the first line of each
 * key seen so far (0: not yet). */
struct mf_state {
    unsigned long line;
    unsigned long seen[MF_NKEYS];
    char *err;
    size_t errlen;
};

static int refuse(struct mf_state *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Formats "manifest:LINE: reason" into the caller's buffer. */
static int refuse(struct mf_state *s, const char *fmt, ...)
{
    char why[WHY_MAX];
    va_list ap;

    va_start(ap, fmt);
    ae_vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    if (s->err && s->errlen)
        ae_snprintf(s->err, s->errlen, "manifest:%lu: %s", s->line, why);
    return AE_ERR_INVAL;
}

/* Length of the well-formed UTF-8 sequence at p[0..n) (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), 0 if there is
 * none. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    uint32_t cp, min;
    size_t len;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, cp = c & 0x1f, min = 0x80;
    else if ((c & 0xf0) == 0xe0)
        len = 3, cp = c & 0x0f, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, cp = c & 0x07, min = 0x10000;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/* The bytes of one line (terminator excluded). */
static int check_bytes(struct mf_state *s, struct mf_text t)
{
    const unsigned char *p = (const unsigned char *)t.p;

    if (t.n > MANIFEST_LINE_MAX)
        return refuse(s, "line longer than %d bytes", MANIFEST_LINE_MAX);
    for (size_t i = 0; i < t.n;) {
        size_t len;

        if (p[i] == 0)
            return refuse(s, "NUL byte");
        if ((p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f)
            return refuse(s, "control character 0x%02x", p[i]);
        len = utf8_len(p + i, t.n - i);
        if (!len)
            return refuse(s, "invalid UTF-8");
        i += len;
    }
    return AE_OK;
}

static struct mf_text trim(struct mf_text t)
{
    while (t.n && (t.p[0] == ' ' || t.p[0] == '\t'))
        t.p++, t.n--;
    while (t.n && (t.p[t.n - 1] == ' ' || t.p[t.n - 1] == '\t'))
        t.n--;
    return t;
}

static bool key_chars_ok(struct mf_text k)
{
    for (size_t i = 0; i < k.n; i++)
        if (!((k.p[i] >= 'a' && k.p[i] <= 'z') || k.p[i] == '_'))
            return false;
    return k.n > 0;
}

/* One line, already byte-checked: blank, comment, or "key = value". */
static int parse_line(struct mf_state *s, struct mf_text t, struct manifest *m)
{
    struct mf_text key = {NULL, 0}, value;
    const struct mf_key *k;
    char q[40], why[WHY_MAX];
    unsigned idx;

    for (size_t i = 0; i < t.n; i++)
        if (t.p[i] == '#')
            t.n = i;                    /* the comment runs to the line's end */
    t = trim(t);
    if (!t.n)
        return AE_OK;
    for (size_t i = 0; i < t.n && !key.p; i++)
        if (t.p[i] == '=')
            key = (struct mf_text){t.p, i};
    if (!key.p)
        return refuse(s, "expected \"key = value\"");
    value = trim((struct mf_text){t.p + key.n + 1, t.n - key.n - 1});
    key = trim(key);
    mf_quote(q, sizeof(q), key);
    if (!key_chars_ok(key))
        return refuse(s, "malformed key \"%s\"", q);
    k = mf_key_find(key);
    if (!k)
        return refuse(s, "unknown key \"%s\"", q);
    idx = (unsigned)(k - mf_keys);
    if (s->seen[idx])
        return refuse(s, "repeated key \"%s\" (first on line %lu)", k->name, s->seen[idx]);
    s->seen[idx] = s->line;
    if (!value.n)
        return refuse(s, "%s: no value", k->name);
    if (k->parse(k, value, m, why, sizeof(why)) != 0)
        return refuse(s, "%s: %s", k->name, why);
    return AE_OK;
}

static int parse(struct mf_state *s, const char *text, size_t len, struct manifest *m)
{
    size_t pos = 0;
    int err;

    mf_defaults(m);
    for (s->line = 1;; s->line++) {
        size_t end = pos;
        struct mf_text t;

        while (end < len && text[end] != '\n')
            end++;
        t = (struct mf_text){text + pos, end - pos};
        if (end < len && t.n && t.p[t.n - 1] == '\r')
            t.n--;                      /* "\r\n" ends the line */
        err = check_bytes(s, t);
        if (!err)
            err = parse_line(s, t, m);
        if (err)
            return err;
        if (end == len)
            break;                      /* s->line is where the file ends */
        pos = end + 1;
    }
    for (unsigned i = 0; i < MF_NKEYS; i++)
        if (mf_keys[i].required && !s->seen[i])
            return refuse(s, "missing required key \"%s\"", mf_keys[i].name);
    return AE_OK;
}

int manifest_parse(const char *text, size_t len, struct manifest *out, char *err,
                   size_t errlen)
{
    struct mf_state s = {.err = err, .errlen = errlen};
    int ret;

    if (err && errlen)
        err[0] = '\0';
    if (!out)
        return AE_ERR_INVAL;
    memset(out, 0, sizeof(*out));
    if (!text)
        return refuse(&s, "no text");
    ret = parse(&s, text, len, out);
    if (ret != AE_OK)
        memset(out, 0, sizeof(*out));
    return ret;
}

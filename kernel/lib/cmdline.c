/*
 * Command-line scanning. Works on the string in place and never reads past
 * its NUL, whatever quoting the boot loader passed.
 */
#include "lib/cmdline.h"
#include "lib/string.h"
#include "aether/errors.h"

struct word {
    const char *key;
    size_t key_len;
    const char *val;            /* NULL when no '=' */
    size_t val_len;
};

/* Parses the word starting at *p (after leading spaces); advances *p past
 * it. Returns false at the end of the string. */
static bool next_word(const char **p, struct word *w)
{
    const char *s = *p;

    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return false;
    w->key = s;
    while (*s && *s != ' ' && *s != '\t' && *s != '=')
        s++;
    w->key_len = (size_t)(s - w->key);
    w->val = NULL;
    w->val_len = 0;
    if (*s == '=') {
        s++;
        if (*s == '"') {
            w->val = ++s;
            while (*s && *s != '"')
                s++;
            w->val_len = (size_t)(s - w->val);
            if (*s == '"')
                s++;
        } else {
            w->val = s;
            while (*s && *s != ' ' && *s != '\t')
                s++;
            w->val_len = (size_t)(s - w->val);
        }
    }
    *p = s;
    return true;
}

static bool find_key(const char *cmdline, const char *key, struct word *out)
{
    size_t klen = strlen(key);
    const char *p = cmdline;

    if (!cmdline)
        return false;
    while (next_word(&p, out)) {
        if (out->key_len == klen && memcmp(out->key, key, klen) == 0)
            return true;
    }
    return false;
}

bool cmdline_has(const char *cmdline, const char *key)
{
    struct word w;
    return find_key(cmdline, key, &w);
}

int cmdline_get(const char *cmdline, const char *key, char *buf, size_t size)
{
    struct word w;
    size_t n;

    if (!find_key(cmdline, key, &w) || !w.val)
        return AE_ERR_NOTFOUND;
    if (size == 0)
        return AE_ERR_TRUNCATED;
    n = w.val_len < size - 1 ? w.val_len : size - 1;
    memcpy(buf, w.val, n);
    buf[n] = '\0';
    return w.val_len < size ? (int)w.val_len : AE_ERR_TRUNCATED;
}

/*
 * Rollback high-water marks (bundle.h): per bundle name, the highest
 * version ever accepted. The table is kept sorted by name so its text form
 * does not depend on the order bundles were seen in.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "aether/errors.h"
#include "trust/bundle.h"
#include "trust/version.h"

void ae_hwm_init(struct ae_hwm *t)
{
    memset(t, 0, sizeof(*t));
}

static size_t name_len(const char *name)
{
    size_t n = 0;

    while (n < AE_BUNDLE_NAME_MAX && name[n])
        n++;
    return n;
}

/* Index of name, or where it would go (with *found 0). */
static uint32_t lookup(const struct ae_hwm *t, const char *name, int *found)
{
    uint32_t i;

    for (i = 0; i < t->n; i++) {
        int c = strcmp(t->e[i].name, name);
        if (c >= 0) {
            *found = c == 0;
            return i;
        }
    }
    *found = 0;
    return i;
}

int ae_hwm_check(const struct ae_hwm *t, const char *name, uint64_t version)
{
    int found;
    uint32_t i;

    if (!name || !ae_bundle_name_valid(name, name_len(name)))
        return AE_ERR_INVAL;
    i = lookup(t, name, &found);
    return found && version < t->e[i].version ? AE_ERR_ROLLBACK : 0;
}

int ae_hwm_note(struct ae_hwm *t, const char *name, uint64_t version)
{
    size_t n;
    int found;
    uint32_t i;

    if (!name || !ae_bundle_name_valid(name, n = name_len(name)))
        return AE_ERR_INVAL;
    i = lookup(t, name, &found);
    if (found) {
        if (version > t->e[i].version)
            t->e[i].version = version;
        return 0;
    }
    if (t->n >= AE_HWM_MAX)
        return AE_ERR_NOMEM;
    memmove(&t->e[i + 1], &t->e[i], (t->n - i) * sizeof(t->e[0]));
    memset(t->e[i].name, 0, sizeof(t->e[i].name));
    memcpy(t->e[i].name, name, n);
    t->e[i].version = version;
    t->n++;
    return 0;
}

/* One line "NAME VERSION" (its "\n" excluded) added to t. */
static int parse_line(struct ae_hwm *t, const char *s, size_t n)
{
    char name[AE_BUNDLE_NAME_MAX];
    uint64_t version;
    size_t sp = 0;
    int found;

    while (sp < n && s[sp] != ' ')
        sp++;
    if (sp == n || !ae_bundle_name_valid(s, sp) ||
        ae_bundle_version_parse_n(s + sp + 1, n - sp - 1, &version))
        return AE_ERR_CORRUPT;
    memset(name, 0, sizeof(name));
    memcpy(name, s, sp);
    lookup(t, name, &found);
    if (found || t->n >= AE_HWM_MAX)
        return AE_ERR_CORRUPT;
    return ae_hwm_note(t, name, version) ? AE_ERR_CORRUPT : 0;
}

int ae_hwm_parse(struct ae_hwm *t, const char *text, size_t len)
{
    size_t pos = 0;

    ae_hwm_init(t);
    if (!text && len)
        return AE_ERR_CORRUPT;
    while (pos < len) {
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        if (end == len || parse_line(t, text + pos, end - pos)) {
            ae_hwm_init(t);     /* half a table would lower marks silently */
            return AE_ERR_CORRUPT;
        }
        pos = end + 1;
    }
    return 0;
}

int ae_hwm_format(const struct ae_hwm *t, char *buf, size_t len)
{
    size_t at = 0;              /* <= len throughout */

    if (!buf)
        len = 0;
    for (uint32_t i = 0; i < t->n; i++) {
        char v[AE_BUNDLE_VERSION_TEXT_MAX];
        size_t nn = name_len(t->e[i].name), nv;

        ae_bundle_version_format(t->e[i].version, v, sizeof(v));
        nv = strlen(v);
        if (len - at < nn + 1 + nv + 1 + 1)   /* the line, and a NUL after it */
            return AE_ERR_TRUNCATED;
        memcpy(buf + at, t->e[i].name, nn);
        buf[at + nn] = ' ';
        memcpy(buf + at + nn + 1, v, nv);
        buf[at + nn + 1 + nv] = '\n';
        at += nn + 1 + nv + 1;
    }
    if (at >= len)
        return AE_ERR_TRUNCATED;
    buf[at] = '\0';
    return (int)at;
}

/*
 * The manifest keys and the syntax of their values (docs/USERSPACE.md,
 * "Manifests"). Every parser reads only v.p[0..v.n), which manifest.c has
 * already checked to hold no NUL or control byte, and says why it refuses.
 *
 * Numbers are decimal without a sign or leading zeros ("0" itself is
 * fine) or, for ports and addresses, "0x" and 1-16 hex digits of either
 * case; values too large for their key are "out of range", not malformed.
 */
#include <stdarg.h>

#include "manifest_keys.h"
#include "common/fmt.h"
#include "common/hex.h"
#include "common/string.h"

#define PAGE 4096ull
#define QUOTE_MAX 32

static int fail(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ae_vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
    return -1;
}

void mf_quote(char *dst, size_t dstlen, struct mf_text t)
{
    size_t n = t.n > QUOTE_MAX ? QUOTE_MAX - 3 : t.n, i;

    if (dstlen == 0)
        return;
    for (i = 0; i < n && i + 1 < dstlen; i++) {
        unsigned char c = (unsigned char)t.p[i];
        dst[i] = c >= 0x20 && c < 0x7f && c != '"' ? (char)c : '?';
    }
    if (t.n > QUOTE_MAX)
        for (int k = 0; k < 3 && i + 1 < dstlen; k++)
            dst[i++] = '.';
    dst[i] = '\0';
}

/* ---- words and numbers ----------------------------------------------------- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Splits the next blank-separated word off *rest; false when none is left. */
static bool next_word(struct mf_text *rest, struct mf_text *word)
{
    while (rest->n && is_space(*rest->p)) {
        rest->p++;
        rest->n--;
    }
    if (!rest->n)
        return false;
    word->p = rest->p;
    word->n = 0;
    while (word->n < rest->n && !is_space(rest->p[word->n]))
        word->n++;
    rest->p += word->n;
    rest->n -= word->n;
    return true;
}

/* Splits t at the first c: *head before it, *tail after; false if none. */
static bool split_at(struct mf_text t, char c, struct mf_text *head, struct mf_text *tail)
{
    for (size_t i = 0; i < t.n; i++) {
        if (t.p[i] == c) {
            *head = (struct mf_text){t.p, i};
            *tail = (struct mf_text){t.p + i + 1, t.n - i - 1};
            return true;
        }
    }
    return false;
}

/* t without the suffix s, or {NULL, 0} when t does not end in s. */
static struct mf_text strip_suffix(struct mf_text t, const char *s)
{
    size_t n = strlen(s);

    if (t.n < n || memcmp(t.p + t.n - n, s, n) != 0)
        return (struct mf_text){NULL, 0};
    return (struct mf_text){t.p, t.n - n};
}

enum num { NUM_OK, NUM_SYNTAX, NUM_BIG };

/* A decimal number <= max. */
static enum num decimal(struct mf_text t, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    bool big = false;

    if (t.n == 0 || (t.n > 1 && t.p[0] == '0'))
        return NUM_SYNTAX;
    for (size_t i = 0; i < t.n; i++) {
        unsigned d = (unsigned)(unsigned char)t.p[i] - '0';
        if (d > 9)
            return NUM_SYNTAX;
        if (!big && (d > max || v > (max - d) / 10))
            big = true;
        if (!big)
            v = v * 10 + d;
    }
    *out = v;
    return big ? NUM_BIG : NUM_OK;
}

/* "0x" and hex digits, a value <= max. */
static enum num hex(struct mf_text t, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    bool big = false;

    if (t.n < 3 || t.p[0] != '0' || t.p[1] != 'x')
        return NUM_SYNTAX;
    for (size_t i = 2; i < t.n; i++) {
        int d = ae_hex_digit(t.p[i]);
        if (d < 0)
            return NUM_SYNTAX;
        if (!big && ((uint64_t)d > max || v > (max - (uint64_t)d) / 16))
            big = true;
        if (!big)
            v = v * 16 + (uint64_t)d;
    }
    *out = v;
    return big ? NUM_BIG : NUM_OK;
}

/* ---- names ----------------------------------------------------------------- */

/* [a-z][a-z0-9-]{0,23}: V-Node and service names. */
static bool is_name(struct mf_text t)
{
    if (t.n == 0 || t.n > MANIFEST_NAME_MAX || t.p[0] < 'a' || t.p[0] > 'z')
        return false;
    for (size_t i = 1; i < t.n; i++) {
        char c = t.p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}

/* [A-Za-z0-9_-][A-Za-z0-9._-]{0,46}: a plain file name, never "." or
 * ".." or hidden, never a path. */
static bool is_file_name(struct mf_text t)
{
    if (t.n == 0 || t.n > MANIFEST_BINARY_MAX || t.p[0] == '.')
        return false;
    for (size_t i = 0; i < t.n; i++) {
        char c = t.p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

static void copy_text(char *dst, struct mf_text t)
{
    memcpy(dst, t.p, t.n);
    dst[t.n] = '\0';
}

static int parse_name(const struct mf_key *k, struct mf_text v, struct manifest *m,
                      char *why, size_t whylen)
{
    char q[QUOTE_MAX + 1];

    mf_quote(q, sizeof(q), v);
    if (!is_name(v))
        return fail(why, whylen, "\"%s\" is not a name ([a-z][a-z0-9-]{0,23})", q);
    copy_text(m->name, v);
    return 0;
}

static int parse_binary(const struct mf_key *k, struct mf_text v, struct manifest *m,
                        char *why, size_t whylen)
{
    char q[QUOTE_MAX + 1];

    mf_quote(q, sizeof(q), v);
    if (!is_file_name(v))
        return fail(why, whylen, "\"%s\" is not a file name ([A-Za-z0-9._-], at most %d)",
                    q, MANIFEST_BINARY_MAX);
    copy_text(m->binary, v);
    return 0;
}

/* ---- numbers with units ------------------------------------------------------- */

static int parse_version(const struct mf_key *k, struct mf_text v, struct manifest *m,
                         char *why, size_t whylen)
{
    struct mf_text part[3], rest;
    char q[QUOTE_MAX + 1];
    uint64_t x;

    mf_quote(q, sizeof(q), v);
    if (!split_at(v, '.', &part[0], &rest) || !split_at(rest, '.', &part[1], &part[2]))
        return fail(why, whylen, "\"%s\" is not MAJOR.MINOR.PATCH", q);
    for (int i = 0; i < 3; i++) {
        enum num r = decimal(part[i], UINT16_MAX, &x);
        if (r == NUM_SYNTAX)
            return fail(why, whylen, "\"%s\" is not MAJOR.MINOR.PATCH", q);
        if (r == NUM_BIG)
            return fail(why, whylen, "\"%s\": each part must be below 65536", q);
        m->version[i] = (uint16_t)x;
    }
    return 0;
}

static int parse_memory(const struct mf_key *k, struct mf_text v, struct manifest *m,
                        char *why, size_t whylen)
{
    struct mf_text digits = v;
    uint64_t unit = 1, n, bytes;
    char q[QUOTE_MAX + 1];
    enum num r;

    mf_quote(q, sizeof(q), v);
    if (v.n && (v.p[v.n - 1] == 'K' || v.p[v.n - 1] == 'M')) {
        unit = v.p[v.n - 1] == 'K' ? 1ull << 10 : 1ull << 20;
        digits.n--;
    }
    r = decimal(digits, MANIFEST_MEMORY_MAX / unit, &n);
    if (r == NUM_SYNTAX)
        return fail(why, whylen, "\"%s\" is not a size (N, NK or NM)", q);
    bytes = n * unit;
    if (r == NUM_BIG || bytes < MANIFEST_MEMORY_MIN)
        return fail(why, whylen, "%s is out of range (64K..64G)", q);
    m->memory_pages = (bytes + PAGE - 1) / PAGE;
    return 0;
}

/* threads, handles, cpu, priority, max_restarts, backoff. */
static int parse_int(const struct mf_key *k, struct mf_text v, struct manifest *m,
                     char *why, size_t whylen)
{
    struct mf_text digits = strip_suffix(v, k->suffix);
    char q[QUOTE_MAX + 1];
    uint64_t n;
    enum num r;

    mf_quote(q, sizeof(q), v);
    r = digits.p ? decimal(digits, k->hi, &n) : NUM_SYNTAX;
    if (r == NUM_SYNTAX)
        return fail(why, whylen, "\"%s\" is not a number%s%s", q,
                    *k->suffix ? " followed by " : "", k->suffix);
    if (r == NUM_BIG || n < k->lo)
        return fail(why, whylen, "%s is out of range (%u%s..%u%s)", q, k->lo, k->suffix,
                    k->hi, k->suffix);
    *(uint32_t *)(void *)((char *)m + k->field) = (uint32_t)n * k->scale;
    return 0;
}

/* ---- words ------------------------------------------------------------------ */

static int parse_restart(const struct mf_key *k, struct mf_text v, struct manifest *m,
                         char *why, size_t whylen)
{
    static const enum manifest_restart all[] = {
        MANIFEST_RESTART_ON_FAILURE, MANIFEST_RESTART_ALWAYS, MANIFEST_RESTART_NEVER,
    };
    char q[QUOTE_MAX + 1];

    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        const char *s = manifest_restart_name(all[i]);
        if (strlen(s) == v.n && memcmp(s, v.p, v.n) == 0) {
            m->restart = all[i];
            return 0;
        }
    }
    mf_quote(q, sizeof(q), v);
    return fail(why, whylen, "\"%s\" is not always, on-failure or never", q);
}

/* boot, watchdog, trace, pci_ecam: yes or no, into the bool at the key's
 * field. */
static int parse_yesno(const struct mf_key *k, struct mf_text v, struct manifest *m,
                       char *why, size_t whylen)
{
    bool *b = (bool *)(void *)((char *)m + k->field);
    char q[QUOTE_MAX + 1];

    if (v.n == 3 && memcmp(v.p, "yes", 3) == 0) {
        *b = true;
        return 0;
    }
    if (v.n == 2 && memcmp(v.p, "no", 2) == 0) {
        *b = false;
        return 0;
    }
    mf_quote(q, sizeof(q), v);
    return fail(why, whylen, "\"%s\" is not yes or no", q);
}

/* pci_device: VVVV:DDDD, the vendor and device IDs of the one PCI function
 * the V-Node drives (four hex digits each, no 0x: as lspci prints them). */
static int parse_pci_device(const struct mf_key *k, struct mf_text v, struct manifest *m,
                            char *why, size_t whylen)
{
    char q[QUOTE_MAX + 1];
    uint32_t id = 0;

    for (size_t i = 0; v.n == 9 && i < 9; i++) {
        int d = i == 4 ? (v.p[i] == ':' ? 0 : -1) : ae_hex_digit(v.p[i]);
        if (d < 0)
            break;
        if (i != 4)
            id = id << 4 | (uint32_t)d;
        if (i == 8) {
            if ((id >> 16) == 0xffff)
                return fail(why, whylen, "vendor ffff is no device");
            m->pci_device = id;
            return 0;
        }
    }
    mf_quote(q, sizeof(q), v);
    return fail(why, whylen, "\"%s\" is not VENDOR:DEVICE (4 hex digits each)", q);
}

/* ---- lists ------------------------------------------------------------------ */

static bool listed(const char (*names)[MANIFEST_NAME_MAX + 1], unsigned n, struct mf_text t)
{
    for (unsigned i = 0; i < n; i++)
        if (strlen(names[i]) == t.n && memcmp(names[i], t.p, t.n) == 0)
            return true;
    return false;
}

/* provides and needs: a service may appear once, and not in both (a
 * V-Node needing its own service could never start). */
static int parse_services(const struct mf_key *k, struct mf_text v, struct manifest *m,
                          char *why, size_t whylen)
{
    bool provides = k->name[0] == 'p';
    char (*list)[MANIFEST_NAME_MAX + 1] = provides ? m->provides : m->needs;
    unsigned *n = provides ? &m->nprovides : &m->nneeds;
    const char(*other)[MANIFEST_NAME_MAX + 1] = provides ? m->needs : m->provides;
    unsigned nother = provides ? m->nneeds : m->nprovides;
    char q[QUOTE_MAX + 1];
    struct mf_text w;

    while (next_word(&v, &w)) {
        mf_quote(q, sizeof(q), w);
        if (!is_name(w))
            return fail(why, whylen, "\"%s\" is not a service name ([a-z][a-z0-9-]{0,23})", q);
        if (listed((const char(*)[MANIFEST_NAME_MAX + 1])list, *n, w))
            return fail(why, whylen, "service \"%s\" listed twice", q);
        if (listed(other, nother, w))
            return fail(why, whylen, "service \"%s\" is in both provides and needs", q);
        if (*n == MANIFEST_SERVICES_MAX)
            return fail(why, whylen, "more than %d services", MANIFEST_SERVICES_MAX);
        copy_text(list[(*n)++], w);
    }
    return 0;
}

static int parse_irqs(const struct mf_key *k, struct mf_text v, struct manifest *m,
                      char *why, size_t whylen)
{
    char q[QUOTE_MAX + 1];
    struct mf_text w;
    uint64_t irq;

    while (next_word(&v, &w)) {
        enum num r = decimal(w, MANIFEST_IRQS_MAX - 1, &irq);
        mf_quote(q, sizeof(q), w);
        if (r == NUM_SYNTAX)
            return fail(why, whylen, "\"%s\" is not a number", q);
        if (r == NUM_BIG)
            return fail(why, whylen, "%s is out of range (0..%d)", q, MANIFEST_IRQS_MAX - 1);
        for (unsigned i = 0; i < m->nirqs; i++)
            if (m->irqs[i] == irq)
                return fail(why, whylen, "IRQ %s listed twice", q);
        m->irqs[m->nirqs++] = (uint8_t)irq;    /* distinct and < 16: fits */
    }
    return 0;
}

/* ioports (0xBASE-0xLAST or 0xPORT, up to 0xffff) and devmem (0xBASE-0xLAST,
 * whole pages below MANIFEST_DEVMEM_LIMIT); ranges must not overlap. */
static int parse_ranges(const struct mf_key *k, struct mf_text v, struct manifest *m,
                        char *why, size_t whylen)
{
    bool ports = k->name[0] == 'i';
    struct manifest_range *list = ports ? m->ioports : m->devmem;
    unsigned *n = ports ? &m->nioports : &m->ndevmem;
    uint64_t max = ports ? 0xffff : MANIFEST_DEVMEM_LIMIT - 1;
    struct mf_text w, lo, hi;
    char q[QUOTE_MAX + 1];
    struct manifest_range r;

    while (next_word(&v, &w)) {
        enum num e1, e2;

        mf_quote(q, sizeof(q), w);
        if (!split_at(w, '-', &lo, &hi)) {
            if (!ports)
                return fail(why, whylen, "\"%s\" is not a range 0xBASE-0xLAST", q);
            lo = hi = w;
        }
        e1 = hex(lo, max, &r.base);
        e2 = hex(hi, max, &r.last);
        if (e1 == NUM_SYNTAX || e2 == NUM_SYNTAX)
            return fail(why, whylen, "\"%s\" is not %s", q,
                        ports ? "0xPORT or 0xBASE-0xLAST" : "a range 0xBASE-0xLAST");
        if (e1 == NUM_BIG || e2 == NUM_BIG)
            return fail(why, whylen, "%s is out of range (at most 0x%llx)", q,
                        (unsigned long long)max);
        if (r.base > r.last)
            return fail(why, whylen, "%s ends before it starts", q);
        if (!ports && ((r.base & (PAGE - 1)) || ((r.last + 1) & (PAGE - 1))))
            return fail(why, whylen, "%s is not whole pages", q);
        for (unsigned i = 0; i < *n; i++)
            if (r.base <= list[i].last && list[i].base <= r.last)
                return fail(why, whylen, "%s overlaps 0x%llx-0x%llx", q,
                            (unsigned long long)list[i].base,
                            (unsigned long long)list[i].last);
        if (*n == MANIFEST_RANGES_MAX)
            return fail(why, whylen, "more than %d ranges", MANIFEST_RANGES_MAX);
        list[(*n)++] = r;
    }
    return 0;
}

/* ---- the table -------------------------------------------------------------- */

#define FIELD(f) offsetof(struct manifest, f)

const struct mf_key mf_keys[] = {
    {"name", true, parse_name, 0, 0, 0, 0, "", 0},
    {"version", true, parse_version, 0, 0, 0, 0, "", 0},
    {"binary", true, parse_binary, 0, 0, 0, 0, "", 0},
    {"memory", true, parse_memory, 0, 0, 0, 0, "", 0},
    {"threads", false, parse_int, 1, 256, 1, 1, "", FIELD(threads)},
    {"handles", false, parse_int, 8, 65536, 1, 64, "", FIELD(handles)},
    {"cpu", false, parse_int, 1, 100, 10, 10, "%", FIELD(cpu_permille)},
    {"priority", false, parse_int, 0, 31, 1, 16, "", FIELD(priority)},
    {"provides", false, parse_services, 0, 0, 0, 0, "", 0},
    {"needs", false, parse_services, 0, 0, 0, 0, "", 0},
    {"irq", false, parse_irqs, 0, 0, 0, 0, "", 0},
    {"ioports", false, parse_ranges, 0, 0, 0, 0, "", 0},
    {"devmem", false, parse_ranges, 0, 0, 0, 0, "", 0},
    {"restart", false, parse_restart, 0, 0, 0, 0, "", 0},
    {"max_restarts", false, parse_int, 0, 1000, 1, 5, "", FIELD(max_restarts)},
    {"backoff", false, parse_int, 1, 60000, 1, 100, "ms", FIELD(backoff_ms)},
    {"boot", false, parse_yesno, 0, 0, 0, 0, "", FIELD(boot)},
    {"watchdog", false, parse_yesno, 0, 0, 0, 0, "", FIELD(watchdog)},
    {"trace", false, parse_yesno, 0, 0, 0, 0, "", FIELD(trace)},
    {"pci_ecam", false, parse_yesno, 0, 0, 0, 0, "", FIELD(pci_ecam)},
    {"pci_device", false, parse_pci_device, 0, 0, 0, 0, "", 0},
};
_Static_assert(sizeof(mf_keys) / sizeof(mf_keys[0]) == MF_NKEYS, "MF_NKEYS");

const struct mf_key *mf_key_find(struct mf_text t)
{
    for (unsigned i = 0; i < MF_NKEYS; i++)
        if (strlen(mf_keys[i].name) == t.n && memcmp(mf_keys[i].name, t.p, t.n) == 0)
            return &mf_keys[i];
    return NULL;
}

void mf_defaults(struct manifest *m)
{
    for (unsigned i = 0; i < MF_NKEYS; i++)
        if (mf_keys[i].parse == parse_int)
            *(uint32_t *)(void *)((char *)m + mf_keys[i].field) =
                mf_keys[i].dflt * mf_keys[i].scale;
    m->restart = MANIFEST_RESTART_ON_FAILURE;
    m->boot = true;
}

const char *manifest_restart_name(enum manifest_restart r)
{
    switch (r) {
    case MANIFEST_RESTART_ALWAYS:
        return "always";
    case MANIFEST_RESTART_NEVER:
        return "never";
    case MANIFEST_RESTART_ON_FAILURE:
        return "on-failure";
    }
    return "?";
}

/* Captured ACPI tables for host tests (see acpi_capture.h). */
#include "unit.h"

#include <ctype.h>
#include <inttypes.h>

#include "acpi_capture.h"

#define CAPTURE_MAX 64
#define COPIES_MAX 4096

static struct capture_table tables[CAPTURE_MAX];
static unsigned ntables;
static void *copies[COPIES_MAX];
static unsigned ncopies;
static void *slot;                  /* capture_map_one_slot's live mapping */

void *capture_copy(const void *src, size_t len, uint64_t phys)
{
    size_t pad = (size_t)(phys % 16);
    uint8_t *c;

    assert_true(ncopies < COPIES_MAX);
    c = malloc(pad + len + (pad + len == 0));
    assert_non_null(c);
    copies[ncopies++] = c;
    memcpy(c + pad, src, len);
    return c + pad;
}

void capture_free(void)
{
    free(slot);
    slot = NULL;
    for (unsigned i = 0; i < ncopies; i++)
        free(copies[i]);
    ncopies = 0;
    for (unsigned i = 0; i < ntables; i++)
        free(tables[i].data);
    ntables = 0;
}

static int hexval(char c)
{
    return isdigit((unsigned char)c) ? c - '0'
                                     : tolower((unsigned char)c) - 'a' + 10;
}

/* Bytes of an acpidump data line after "OFFS:": " XX" groups, up to 16;
 * the ASCII column starts after two spaces. */
static size_t hex_bytes(const char *p, uint8_t out[16])
{
    size_t n = 0;

    while (n < 16 && p[0] == ' ' && isxdigit((unsigned char)p[1]) &&
           isxdigit((unsigned char)p[2]) &&
           (p[3] == ' ' || p[3] == '\n' || p[3] == '\r' || p[3] == '\0')) {
        out[n++] = (uint8_t)(hexval(p[1]) * 16 + hexval(p[2]));
        p += 3;
    }
    return n;
}

static void parse_line(const char *line, const char *path)
{
    struct capture_table *t;
    const char *colon;
    char sig[5];
    uint64_t phys;
    unsigned off;
    uint8_t bytes[16];
    size_t n;

    if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
        return;
    if (sscanf(line, "%4s @ 0x%" SCNx64, sig, &phys) == 2) {
        if (ntables == CAPTURE_MAX)
            fail_msg("%s: more than %d tables", path, CAPTURE_MAX);
        t = &tables[ntables++];
        memset(t, 0, sizeof *t);
        memcpy(t->sig, sig, 5);
        t->phys = phys;
        return;
    }
    colon = strchr(line, ':');
    if (!colon || ntables == 0 || sscanf(line, " %x", &off) != 1)
        fail_msg("%s: unparsable line: %s", path, line);
    t = &tables[ntables - 1];
    n = hex_bytes(colon + 1, bytes);
    if (off != t->len || n == 0)
        fail_msg("%s: %s data out of sequence at %x", path, t->sig, off);
    t->data = realloc(t->data, t->len + n);
    assert_non_null(t->data);
    memcpy(t->data + t->len, bytes, n);
    t->len += n;
}

void capture_load(const char *path)
{
    char line[256];
    FILE *f = fopen(path, "r");

    for (unsigned i = 0; i < ntables; i++)
        free(tables[i].data);
    ntables = 0;
    if (!f)
        fail_msg("missing captured ACPI data file %s (acpidump text of a "
                 "real QEMU boot)", path);
    while (fgets(line, sizeof line, f))
        parse_line(line, path);
    fclose(f);
}

const struct capture_table *capture_find(const char *sig)
{
    for (unsigned i = 0; i < ntables; i++)
        if (strcmp(tables[i].sig, sig) == 0)
            return &tables[i];
    return NULL;
}

const void *capture_map(uint64_t phys, size_t len, void *ctx)
{
    for (unsigned i = 0; i < ntables; i++) {
        const struct capture_table *t = &tables[i];

        if (phys >= t->phys && phys - t->phys <= t->len &&
            len <= t->len - (phys - t->phys))
            return capture_copy(t->data + (phys - t->phys), len, phys);
    }
    return NULL;
}

const void *capture_map_one_slot(uint64_t phys, size_t len, void *ctx)
{
    const uint8_t *m = capture_map(phys, len, ctx);
    size_t pad = (size_t)(phys % 16);

    free(slot);
    slot = NULL;
    if (!m)
        return NULL;
    /* Move the copy out of the tracked list into the single slot. */
    slot = copies[--ncopies];
    return (const uint8_t *)slot + pad;
}

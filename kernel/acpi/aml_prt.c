/*
 * PCI routing table reader (contract in aml_prt.h). A byte scan, like
 * aml_sleep.c: a candidate must decode as a well-formed table, and every
 * read is of an index checked against the end of the enclosing package or
 * buffer, never borrowing the bytes after it.
 */
#include <stdbool.h>

#include "acpi/aml_bytes.h"
#include "acpi/aml_prt.h"
#include "lib/string.h"
#include "aether/errors.h"

#define INTI_LEVEL_LOW 0x0f         /* PCI's own: level-triggered, active low */

/* [start, end) of the package or buffer whose opcode is at p[at], and the
 * index after its PkgLength in *body. */
static int pkg_range(const uint8_t *p, size_t len, size_t at, size_t *body, size_t *end)
{
    size_t start = at + 1, lsize;
    uint32_t plen;

    if (start >= len || aml_pkg_length(p + start, len - start, &plen, &lsize))
        return AE_ERR_CORRUPT;
    if (plen < lsize + 1 || plen > len - start)
        return AE_ERR_CORRUPT;
    *body = start + lsize;
    *end = start + plen;
    return AE_OK;
}

static bool lead_char(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || c == '_';
}

static bool name_char(uint8_t c)
{
    return lead_char(c) || (c >= '0' && c <= '9');
}

/* A NameString at p[*off] within end: its last NameSeg in seg, *off past
 * it. Only the forms a _PRT Source takes: prefixes, one, two or N segs. */
static int read_name(const uint8_t *p, size_t end, size_t *off, char seg[4])
{
    size_t at = *off;
    unsigned nseg = 1;

    while (at < end && (p[at] == AML_ROOT || p[at] == AML_PARENT))
        at++;
    if (at >= end)
        return AE_ERR_CORRUPT;
    if (p[at] == AML_DUAL_NAME) {
        nseg = 2;
        at++;
    } else if (p[at] == AML_MULTI_NAME) {
        if (at + 1 >= end)
            return AE_ERR_CORRUPT;
        nseg = p[at + 1];
        at += 2;
    }
    if (nseg == 0 || (size_t)nseg * 4 > end - at)
        return AE_ERR_CORRUPT;
    for (size_t i = 0; i < (size_t)nseg * 4; i++)
        if (!(i % 4 ? name_char(p[at + i]) : lead_char(p[at + i])))
            return AE_ERR_UNSUPPORTED;
    memcpy(seg, p + at + (size_t)(nseg - 1) * 4, 4);
    *off = at + (size_t)nseg * 4;
    return AE_OK;
}

/* The first interrupt in a resource template (ACPI 6.5, 6.4): an Extended
 * Interrupt descriptor (large item 0x09) or an IRQ descriptor (small item
 * 0x04), with its flags as MPS INTI bits. */
static int read_resources(const uint8_t *p, size_t at, size_t end, uint32_t *gsi,
                          uint16_t *flags)
{
    while (at < end) {
        uint8_t tag = p[at];
        size_t n;

        if (tag & 0x80) {                   /* large item: 16-bit length */
            if (end - at < 3)
                return AE_ERR_CORRUPT;
            n = (size_t)p[at + 1] | (size_t)p[at + 2] << 8;
            if (n > end - at - 3)
                return AE_ERR_CORRUPT;
            if ((tag & 0x7f) == 0x09 && n >= 6 && p[at + 4] >= 1) {
                uint8_t f = p[at + 3];
                *gsi = (uint32_t)p[at + 5] | (uint32_t)p[at + 6] << 8 |
                       (uint32_t)p[at + 7] << 16 | (uint32_t)p[at + 8] << 24;
                *flags = (uint16_t)(((f & 4) ? 3 : 1) | ((f & 2) ? 1 : 3) << 2);
                return AE_OK;
            }
            at += 3 + n;
            continue;
        }
        n = tag & 7;
        if (n > end - at - 1)
            return AE_ERR_CORRUPT;
        if (((tag >> 3) & 0x0f) == 0x0f)    /* end tag */
            break;
        if (((tag >> 3) & 0x0f) == 0x04 && n >= 2) {
            uint16_t mask = (uint16_t)(p[at + 1] | p[at + 2] << 8);
            uint8_t f = n >= 3 ? p[at + 3] : 1;     /* none: edge, active high */
            unsigned irq = 0;

            if (!mask)
                return AE_ERR_NOTFOUND;
            while (!(mask & (1u << irq)))
                irq++;
            *gsi = irq;
            *flags = (uint16_t)(((f & 8) ? 3 : 1) | ((f & 1) ? 1 : 3) << 2);
            return AE_OK;
        }
        at += 1 + n;
    }
    return AE_ERR_NOTFOUND;
}

/* Device (seg) { ... Name (_CRS, Buffer () { ... }) ... }: its interrupt. */
static int link_gsi(const uint8_t *p, size_t len, const char seg[4], uint32_t *gsi,
                    uint16_t *flags)
{
    for (size_t i = 0; i + 2 < len; i++) {
        size_t body, end, off;
        char name[4];

        if (p[i] != AML_EXT || p[i + 1] != AML_EXT_DEVICE)
            continue;
        if (pkg_range(p, len, i + 1, &body, &end))
            continue;
        off = body;
        if (read_name(p, end, &off, name) || memcmp(name, seg, 4))
            continue;
        for (size_t k = off; k + 6 < end; k++) {
            size_t bbody, bend, data;
            uint64_t size;

            if (p[k] != AML_NAME || memcmp(p + k + 1, "_CRS", 4) || p[k + 5] != AML_BUFFER)
                continue;
            if (pkg_range(p, end, k + 5, &bbody, &bend))
                return AE_ERR_CORRUPT;
            data = bbody;
            if (aml_read_const(p, bend, &data, &size))
                return AE_ERR_CORRUPT;
            return read_resources(p, data, bend, gsi, flags);
        }
        return AE_ERR_NOTFOUND;         /* _CRS is a method: not run here */
    }
    return AE_ERR_NOTFOUND;
}

/* One Package () { address, pin, source, index } at p[*off] within end. */
static int read_entry(const uint8_t *p, size_t len, size_t end, size_t *off,
                      struct ae_pci_route *r)
{
    size_t body, pend, at;
    uint64_t addr, pin, index;
    char seg[4];
    bool link = false;
    int err;

    if (*off >= end || p[*off] != AML_PACKAGE || pkg_range(p, end, *off, &body, &pend))
        return AE_ERR_CORRUPT;
    at = body;
    if (at >= pend || p[at++] != 4)
        return AE_ERR_CORRUPT;
    if (aml_read_const(p, pend, &at, &addr) || aml_read_const(p, pend, &at, &pin))
        return AE_ERR_CORRUPT;
    if ((addr & 0xffff) != 0xffff || (addr >> 16) > 31 || pin > 3)
        return AE_ERR_RANGE;
    if (at < pend && p[at] != AML_ZERO) {
        if (read_name(p, pend, &at, seg))
            return AE_ERR_CORRUPT;
        link = true;
    } else {
        at++;
    }
    if (aml_read_const(p, pend, &at, &index))
        return AE_ERR_CORRUPT;
    r->dev = (uint8_t)(addr >> 16);
    r->pin = (uint8_t)pin;
    if (link) {
        err = link_gsi(p, len, seg, &r->gsi, &r->inti_flags);
        if (err)
            return err;
    } else {
        if (index > UINT32_MAX)
            return AE_ERR_RANGE;
        r->gsi = (uint32_t)index;
        r->inti_flags = INTI_LEVEL_LOW;
    }
    *off = pend;
    return AE_OK;
}

/* The table whose PackageOp is at p[at], if it is one and resolves. */
static int read_table(const uint8_t *p, size_t len, size_t at, struct ae_pci_route *out,
                      unsigned max)
{
    size_t body, end, off;
    unsigned count, kept = 0;

    if (pkg_range(p, len, at, &body, &end))
        return AE_ERR_CORRUPT;
    off = body;
    if (off >= end || !(count = p[off++]))
        return AE_ERR_CORRUPT;
    for (unsigned i = 0; i < count; i++) {
        struct ae_pci_route r;
        int err = read_entry(p, len, end, &off, &r);

        if (err)
            return err;
        if (kept < max)
            out[kept++] = r;
    }
    return (int)kept;
}

int aml_pci_routes(const void *aml, size_t len, struct ae_pci_route *out, unsigned max)
{
    const uint8_t *p = aml;

    if (!p || !out)
        return AE_ERR_INVAL;
    for (size_t i = 0; i < len; i++) {
        int n;

        if (p[i] != AML_PACKAGE)
            continue;
        n = read_table(p, len, i, out, max);
        if (n > 0)
            return n;
    }
    return AE_ERR_NOTFOUND;
}

/*
 * \_Sx package reader (contract in aml_sleep.h). A byte scan, not a parse:
 * a match in the middle of some other object's bytes is possible in
 * principle, so a candidate must also decode as a well-formed package of
 * constants to count, and a malformed one only makes the scan go on.
 *
 * Every read is of an index already checked against the end of the
 * enclosing range: the AML for the package header, the package's own
 * PkgLength for its elements (never the AML's end: a package is not
 * allowed to borrow the bytes after it).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "acpi/aml_bytes.h"
#include "acpi/aml_sleep.h"
#include "lib/string.h"
#include "aether/errors.h"

#define SLP_TYP_MAX 7u

/* Decodes the package whose PackageOp is at p[at]. */
static int read_package(const uint8_t *p, size_t len, size_t at,
                        uint8_t *a, uint8_t *b)
{
    size_t start = at + 1, lsize, off, end;
    uint32_t plen;
    uint64_t v[2] = {0, 0};
    unsigned count, want;
    int err;

    if (start >= len)
        return AE_ERR_CORRUPT;
    err = aml_pkg_length(p + start, len - start, &plen, &lsize);
    if (err)
        return err;
    /* The package holds its PkgLength, NumElements and one element at
     * least, and ends within the AML. */
    if (plen < lsize + 2 || plen > len - start)
        return AE_ERR_CORRUPT;
    end = start + plen;
    off = start + lsize;
    count = p[off++];
    if (count == 0)
        return AE_ERR_CORRUPT;
    want = count < 2 ? 1 : 2;
    for (unsigned i = 0; i < want; i++) {
        if (off >= end)             /* declared but not initialised */
            return AE_ERR_CORRUPT;
        err = aml_read_const(p, end, &off, &v[i]);
        if (err)
            return err;
    }
    if (count == 1) {               /* both types packed in one integer */
        v[1] = (v[0] >> 8) & 0xff;
        v[0] &= 0xff;
    }
    if (v[0] > SLP_TYP_MAX || v[1] > SLP_TYP_MAX)
        return AE_ERR_RANGE;
    *a = (uint8_t)v[0];
    *b = (uint8_t)v[1];
    return AE_OK;
}

/* If p[at] starts "NameOp [\] name PackageOp", the PackageOp's index. */
static bool name_of_package(const uint8_t *p, size_t len, size_t at,
                            const char name[4], size_t *pkg)
{
    size_t n = at + 1;

    if (p[at] != AML_NAME)
        return false;
    if (n < len && p[n] == AML_ROOT)
        n++;
    if (n > len || len - n < 5 || memcmp(p + n, name, 4) != 0 ||
        p[n + 4] != AML_PACKAGE)
        return false;
    *pkg = n + 4;
    return true;
}

int aml_sleep_type(const void *aml, size_t len, unsigned state,
                   uint8_t *slp_typ_a, uint8_t *slp_typ_b)
{
    const uint8_t *p = aml;
    char name[4] = {'_', 'S', '0', '_'};
    int first_err = AE_ERR_NOTFOUND;

    if (!p || !slp_typ_a || !slp_typ_b || state > 5)
        return AE_ERR_INVAL;
    name[2] = (char)('0' + state);
    for (size_t i = 0; i < len; i++) {
        size_t pkg;
        uint8_t a, b;
        int err;

        if (!name_of_package(p, len, i, name, &pkg))
            continue;
        err = read_package(p, len, pkg, &a, &b);
        if (err == AE_OK) {
            *slp_typ_a = a;
            *slp_typ_b = b;
            return AE_OK;
        }
        if (first_err == AE_ERR_NOTFOUND)
            first_err = err;
    }
    return first_err;
}

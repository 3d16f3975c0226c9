/*
 * AML PkgLength and integer constants (aml_bytes.h). Every read is of an
 * index checked against the bound the caller gives.
 */
#include "acpi/aml_bytes.h"
#include "aether/errors.h"

/* ACPI 6.5, 20.2.4: bits 7-6 of the lead byte count the bytes that
 * follow; with none, bits 5-0 are the length; with some, bits 3-0 are its
 * low nibble and bits 5-4 must be zero. */
int aml_pkg_length(const uint8_t *p, size_t avail, uint32_t *value, size_t *size)
{
    size_t follow;
    uint32_t v;

    if (avail == 0)
        return AE_ERR_CORRUPT;
    follow = p[0] >> 6;
    if (follow == 0) {
        *value = p[0] & 0x3f;
        *size = 1;
        return AE_OK;
    }
    if ((p[0] & 0x30) || follow >= avail)
        return AE_ERR_CORRUPT;
    v = p[0] & 0x0f;
    for (size_t i = 1; i <= follow; i++)
        v |= (uint32_t)p[i] << (4 + 8 * (i - 1));
    *value = v;
    *size = follow + 1;
    return AE_OK;
}

int aml_read_const(const uint8_t *p, size_t end, size_t *off, uint64_t *v)
{
    size_t at = *off, width;

    if (at >= end)
        return AE_ERR_CORRUPT;
    switch (p[at]) {
    case AML_ZERO:  *v = 0;          *off = at + 1; return AE_OK;
    case AML_ONE:   *v = 1;          *off = at + 1; return AE_OK;
    case AML_ONES:  *v = UINT64_MAX; *off = at + 1; return AE_OK;
    case AML_BYTE:  width = 1; break;
    case AML_WORD:  width = 2; break;
    case AML_DWORD: width = 4; break;
    case AML_QWORD: width = 8; break;
    default:        return AE_ERR_UNSUPPORTED;  /* a name, a method call... */
    }
    if (width > end - at - 1)
        return AE_ERR_CORRUPT;
    *v = 0;
    for (size_t i = 0; i < width; i++)
        *v |= (uint64_t)p[at + 1 + i] << (8 * i);
    *off = at + 1 + width;
    return AE_OK;
}

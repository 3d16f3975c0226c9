/*
 * Multiboot2 information parser. Every tag's size is checked against the
 * structure's total size before its body is read, so a corrupt structure
 * gives an error, never an out-of-bounds read.
 */
#include "boot/multiboot2.h"
#include "lib/string.h"
#include "aether/errors.h"

enum {
    TAG_END = 0,
    TAG_CMDLINE = 1,
    TAG_LOADER = 2,
    TAG_MODULE = 3,
    TAG_MEMINFO = 4,
    TAG_MMAP = 6,
    TAG_ACPI_OLD = 14,
    TAG_ACPI_NEW = 15,
};

struct tag {
    uint32_t type;
    uint32_t size;
};

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static void copy_str(char *dst, size_t cap, const uint8_t *src, size_t len)
{
    size_t n = strnlen((const char *)src, len);
    if (n > cap - 1)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static int parse_mmap(const uint8_t *body, size_t len, struct boot_info *out)
{
    uint32_t esize;

    if (len < 8)
        return AE_ERR_CORRUPT;
    esize = rd32(body);
    if (esize < 24 || esize % 8)
        return AE_ERR_CORRUPT;
    for (size_t off = 8; off + esize <= len; off += esize) {
        if (out->nmmap == MB2_MAX_MMAP) {
            out->mmap_truncated = true;
            break;
        }
        struct mem_range *r = &out->mmap[out->nmmap++];
        r->base = rd64(body + off);
        r->len = rd64(body + off + 8);
        r->type = rd32(body + off + 16);
    }
    return AE_OK;
}

static int parse_tag(uint32_t type, const uint8_t *body, size_t len,
                     struct boot_info *out)
{
    switch (type) {
    case TAG_CMDLINE:
        copy_str(out->cmdline, sizeof(out->cmdline), body, len);
        break;
    case TAG_LOADER:
        copy_str(out->loader, sizeof(out->loader), body, len);
        break;
    case TAG_MODULE:
        if (len < 8)
            return AE_ERR_CORRUPT;
        if (out->nmodules < MB2_MAX_MODULES) {
            struct mb2_module *m = &out->modules[out->nmodules++];
            m->start = rd32(body);
            m->end = rd32(body + 4);
            if (m->end < m->start)
                return AE_ERR_CORRUPT;
            copy_str(m->cmdline, sizeof(m->cmdline), body + 8, len - 8);
        }
        break;
    case TAG_MEMINFO:
        if (len < 8)
            return AE_ERR_CORRUPT;
        out->mem_lower_kb = rd32(body);
        out->mem_upper_kb = rd32(body + 4);
        break;
    case TAG_MMAP:
        return parse_mmap(body, len, out);
    case TAG_ACPI_OLD:
        /* The 2.0 copy wins whenever both are present. */
        if (len >= 20 && out->rsdp_len < 36) {
            memcpy(out->rsdp, body, 20);
            out->rsdp_len = 20;
        }
        break;
    case TAG_ACPI_NEW:
        if (len >= 36) {
            memcpy(out->rsdp, body, 36);
            out->rsdp_len = 36;
        }
        break;
    default:
        break;
    }
    return AE_OK;
}

int mb2_parse(const void *mbi, size_t avail, struct boot_info *out)
{
    const uint8_t *base = mbi;
    uint32_t total;

    if (!mbi || !out || ((uintptr_t)mbi & 7) || avail < 16)
        return AE_ERR_INVAL;
    memset(out, 0, sizeof(*out));
    total = rd32(base);
    if (total < 16 || total > avail)
        return AE_ERR_INVAL;
    out->mbi_size = total;

    for (size_t off = 8; off + 8 <= total;) {
        uint32_t type = rd32(base + off);
        uint32_t size = rd32(base + off + 4);
        int err;

        if (size < 8 || size > total - off)
            return AE_ERR_CORRUPT;
        if (type == TAG_END)
            return AE_OK;
        err = parse_tag(type, base + off + 8, size - 8, out);
        if (err)
            return err;
        off += (size + 7) & ~7u;
    }
    return AE_ERR_CORRUPT;      /* ran off the end without an end tag */
}

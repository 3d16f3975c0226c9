/*
 * The bundle directory (payload block 0; bundle.h): which files a bundle
 * holds and where. Only the canonical layout is accepted, so a directory
 * has no freedom left that could hide anything.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "aether/errors.h"
#include "trust/bundle.h"
#include "trust/le.h"

#define DIR_OFF(f) offsetof(struct ae_bundle_dir, f)
#define FILE_OFF(f) offsetof(struct ae_bundle_file, f)
#define DIR_HDR sizeof(struct ae_bundle_dir)
#define ENTRY sizeof(struct ae_bundle_file)
#define MANIFEST "manifest"

/* One entry: a valid name NUL-padded to the field's end. */
static int read_entry(const uint8_t *e, struct ae_bundle_file *f)
{
    size_t n = 0;

    while (n < AE_BUNDLE_FILE_NAME_MAX && e[n])
        n++;
    if (!ae_bundle_file_name_valid((const char *)e, n) ||
        !ae_all_zero(e + n, AE_BUNDLE_FILE_NAME_MAX - n))
        return AE_ERR_CORRUPT;
    memset(f->name, 0, sizeof(f->name));
    memcpy(f->name, e, n);
    f->offset = ae_le64(e + FILE_OFF(offset));
    f->size = ae_le64(e + FILE_OFF(size));
    return 0;
}

int ae_bundle_dir_parse(const void *dir, size_t len, uint64_t payload_size,
                        struct ae_bundle_file *files, uint32_t max)
{
    const uint8_t *d = dir;
    uint64_t pos = AE_BUNDLE_BLOCK;     /* the directory block ends here */
    struct ae_bundle_file prev, cur;
    int have_manifest = 0;
    uint32_t nfiles;

    if (!dir || len < AE_BUNDLE_BLOCK || payload_size < AE_BUNDLE_BLOCK ||
        (max && !files))
        return AE_ERR_CORRUPT;
    nfiles = ae_le32(d + DIR_OFF(nfiles));
    if (memcmp(d + DIR_OFF(magic), AE_BUNDLE_DIR_MAGIC, 8) != 0 || nfiles < 1 ||
        nfiles > AE_BUNDLE_MAX_FILES || ae_le32(d + DIR_OFF(reserved)) != 0 ||
        !ae_all_zero(d + DIR_OFF(pad), sizeof(((struct ae_bundle_dir *)0)->pad)))
        return AE_ERR_CORRUPT;
    /* Unused entries and the tail of the block. */
    if (!ae_all_zero(d + DIR_HDR + nfiles * ENTRY, AE_BUNDLE_BLOCK - DIR_HDR - nfiles * ENTRY))
        return AE_ERR_CORRUPT;
    for (uint32_t i = 0; i < nfiles; i++) {
        if (read_entry(d + DIR_HDR + i * ENTRY, &cur))
            return AE_ERR_CORRUPT;
        if (i > 0 && strcmp(prev.name, cur.name) >= 0)
            return AE_ERR_CORRUPT;      /* out of order, or twice */
        /* Where the file must start: the next block boundary. */
        if (pos > UINT64_MAX - AE_BUNDLE_BLOCK)
            return AE_ERR_CORRUPT;
        pos = (pos + AE_BUNDLE_BLOCK - 1) & ~(uint64_t)(AE_BUNDLE_BLOCK - 1);
        if (cur.offset != pos || cur.offset > payload_size ||
            cur.size > payload_size - cur.offset)
            return AE_ERR_CORRUPT;
        pos = cur.offset + cur.size;
        if (strcmp(cur.name, MANIFEST) == 0)
            have_manifest = 1;
        if (i < max)
            files[i] = cur;
        prev = cur;
    }
    if (pos != payload_size || !have_manifest)
        return AE_ERR_CORRUPT;
    return nfiles > max ? AE_ERR_TRUNCATED : (int)nfiles;
}

int ae_bundle_find(const struct ae_bundle_file *files, uint32_t n, const char *name)
{
    for (uint32_t i = 0; i < n; i++)
        if (strncmp(files[i].name, name, AE_BUNDLE_FILE_NAME_MAX) == 0)
            return (int)i;
    return AE_ERR_NOTFOUND;
}

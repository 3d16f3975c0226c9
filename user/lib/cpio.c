/*
 * cpio "newc" reader (contract in cpio.h; the format, as GNU cpio and
 * Linux's initramfs write it, in docs/USERSPACE.md).
 *
 * Invariants: it->off is a multiple of 4 and <= it->size; every read of
 * the archive is from a range already proven to lie within [0, size); all
 * arithmetic on sizes from the archive is done in uint64_t from 32-bit
 * fields, and compared against what is left rather than added to offsets,
 * so it cannot overflow.
 */
#include <stdbool.h>

#include "cpio.h"
#include "common/string.h"
#include "aether/errors.h"

enum {
    F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJOR,
    F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK, F_COUNT
};
#define MAGIC_LEN 6
#define FIELD_LEN 8

static uint64_t align4(uint64_t x)
{
    return (x + 3) & ~3ull;
}

/* Exactly FIELD_LEN hex digits, either case. */
static bool hex8(const uint8_t *p, uint32_t *out)
{
    uint32_t v = 0;

    for (int i = 0; i < FIELD_LEN; i++) {
        uint8_t c = p[i];
        uint32_t d;

        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return false;
        v = v << 4 | d;
    }
    *out = v;
    return true;
}

static int check_magic(const uint8_t *h)
{
    if (memcmp(h, "070701", MAGIC_LEN) == 0)
        return AE_OK;
    if (memcmp(h, "070702", MAGIC_LEN) == 0 || memcmp(h, "070707", MAGIC_LEN) == 0)
        return AE_ERR_UNSUPPORTED;
    return AE_ERR_CORRUPT;
}

/* A file type POSIX defines; only files and symbolic links carry data. */
static bool mode_ok(uint32_t mode, uint32_t size)
{
    switch (mode & CPIO_MODE_TYPE) {
    case CPIO_MODE_FILE:
    case CPIO_MODE_SYMLINK:
        return mode <= 0177777u;
    case 0010000u:      /* FIFO */
    case 0020000u:      /* character device */
    case CPIO_MODE_DIR:
    case 0060000u:      /* block device */
    case 0140000u:      /* socket */
        return mode <= 0177777u && size == 0;
    default:
        return false;
    }
}

/* A relative path: no leading '/', no empty or ".." component. */
static bool name_ok(const char *name, size_t len)
{
    size_t start = 0;

    for (size_t i = 0; i <= len; i++) {
        if (i < len && name[i] != '/')
            continue;
        if (i == start || (i - start == 2 && name[start] == '.' && name[start + 1] == '.'))
            return false;
        start = i + 1;
    }
    return true;
}

static bool zero(const uint8_t *p, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/* Decodes the entry at it->off and moves past it: 1, 0 (trailer) or an
 * error. */
static int read_entry(struct cpio_iter *it, struct cpio_entry *e)
{
    const uint8_t *h = it->base + it->off;
    uint64_t left = it->size - it->off, name_end, data_off, data_end, next;
    uint32_t f[F_COUNT];
    const char *name;
    int err;

    if (left < CPIO_HEADER_SIZE)
        return AE_ERR_CORRUPT;                  /* ends before its trailer */
    err = check_magic(h);
    if (err)
        return err;
    for (int i = 0; i < F_COUNT; i++)
        if (!hex8(h + MAGIC_LEN + i * FIELD_LEN, &f[i]))
            return AE_ERR_CORRUPT;
    if (f[F_CHECK] != 0 || f[F_NAMESIZE] < 2)
        return AE_ERR_CORRUPT;
    /* Offsets from the header: name, its padding, data, its padding. */
    name_end = CPIO_HEADER_SIZE + (uint64_t)f[F_NAMESIZE];
    data_off = align4(name_end);
    data_end = data_off + f[F_FILESIZE];
    next = align4(data_end);
    if (next > left)
        return AE_ERR_CORRUPT;
    name = (const char *)h + CPIO_HEADER_SIZE;
    if (strnlen(name, f[F_NAMESIZE]) != f[F_NAMESIZE] - 1)     /* first NUL last */
        return AE_ERR_CORRUPT;
    if (!zero(h + name_end, data_off - name_end) || !zero(h + data_end, next - data_end))
        return AE_ERR_CORRUPT;
    if (strcmp(name, CPIO_TRAILER) == 0)
        return f[F_FILESIZE] == 0 ? 0 : AE_ERR_CORRUPT;
    if (!mode_ok(f[F_MODE], f[F_FILESIZE]) || !name_ok(name, f[F_NAMESIZE] - 1))
        return AE_ERR_CORRUPT;
    *e = (struct cpio_entry){
        .name = name,
        .namelen = f[F_NAMESIZE] - 1,
        .data = h + data_off,
        .size = f[F_FILESIZE],
        .mode = f[F_MODE],
        .mtime = f[F_MTIME],
    };
    it->off += next;
    return 1;
}

void cpio_iter_init(struct cpio_iter *it, const void *archive, size_t size)
{
    *it = (struct cpio_iter){archive, size, 0, archive ? 1 : AE_ERR_INVAL};
}

int cpio_next(struct cpio_iter *it, struct cpio_entry *e)
{
    if (!it || !e)
        return AE_ERR_INVAL;
    memset(e, 0, sizeof(*e));
    if (it->state == 1)
        it->state = read_entry(it, e);
    return it->state;
}

int cpio_check(const void *archive, size_t size, size_t *count)
{
    struct cpio_iter it;
    struct cpio_entry e;
    size_t n = 0;
    int r;

    cpio_iter_init(&it, archive, size);
    while ((r = cpio_next(&it, &e)) > 0)
        n++;
    if (count)
        *count = r == 0 ? n : 0;
    return r;
}

int cpio_find(const void *archive, size_t size, const char *path, struct cpio_entry *e)
{
    struct cpio_iter it;
    int r;

    if (!path || !e)
        return AE_ERR_INVAL;
    cpio_iter_init(&it, archive, size);
    while ((r = cpio_next(&it, e)) > 0)
        if (strcmp(e->name, path) == 0)
            return AE_OK;
    memset(e, 0, sizeof(*e));
    return r == 0 ? AE_ERR_NOTFOUND : r;
}

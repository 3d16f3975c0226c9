/*
 * Reading cpio archives in the portable "newc" format (the initrd; format
 * byte by byte in docs/USERSPACE.md). Pure: reads only archive[0..size),
 * checks every header field before using it, never allocates; entries
 * point into the archive.
 *
 *     struct cpio_iter it;
 *     struct cpio_entry e;
 *     int r;
 *     cpio_iter_init(&it, archive, size);
 *     while ((r = cpio_next(&it, &e)) > 0)
 *         use(e.name, e.data, e.size);
 *     if (r < 0)
 *         the archive is malformed from this entry on
 */
#ifndef USER_LIB_CPIO_H
#define USER_LIB_CPIO_H

#include <stddef.h>
#include <stdint.h>

#define CPIO_HEADER_SIZE 110
#define CPIO_TRAILER "TRAILER!!!"

/* The file type bits of cpio_entry.mode (as in POSIX st_mode). */
#define CPIO_MODE_TYPE 0170000u
#define CPIO_MODE_DIR 0040000u
#define CPIO_MODE_FILE 0100000u
#define CPIO_MODE_SYMLINK 0120000u

struct cpio_entry {
    const char *name;           /* NUL-terminated, inside the archive */
    size_t namelen;             /* bytes before the NUL */
    const void *data;           /* the file's bytes, inside the archive */
    size_t size;
    uint32_t mode;              /* type and permission bits */
    uint32_t mtime;             /* seconds since 1970 */
};

struct cpio_iter {
    const uint8_t *base;
    size_t size;
    size_t off;                 /* the next header */
    int state;                  /* 1 going, 0 after the trailer, < 0 error */
};

/* Starts an iteration over archive[0..size). */
void cpio_iter_init(struct cpio_iter *it, const void *archive, size_t size);

/* The next entry: 1 and *e filled; 0 at the trailer (the end; bytes after
 * it are ignored: block padding); or a negative error, after which the
 * archive cannot be read further: AE_ERR_CORRUPT (a header field, a name,
 * a size or the padding is wrong, or the archive ends before its trailer),
 * AE_ERR_UNSUPPORTED (the "070702" crc or "070707" odc formats), AE_ERR_INVAL
 * (archive or e NULL). Once it has returned 0 or an error it keeps
 * returning the same. *e is zeroed unless an entry is returned. */
int cpio_next(struct cpio_iter *it, struct cpio_entry *e);

/* Reads the whole archive: AE_OK and the number of entries (trailer not
 * counted) in *count (may be NULL), or cpio_next's error. */
int cpio_check(const void *archive, size_t size, size_t *count);

/* The first entry named exactly path: AE_OK; AE_ERR_NOTFOUND when the
 * archive ends without one; cpio_next's error when it is malformed before
 * one is found (entries after the one found are not read: use cpio_check
 * first to refuse a malformed archive as a whole). */
int cpio_find(const void *archive, size_t size, const char *path, struct cpio_entry *e);

#endif

/*
 * httpd's file cache (file_cache.h). A file seen to be too big is also
 * remembered, so it is not opened twice per request.
 */
#include <stdlib.h>
#include <string.h>

#include "file_cache.h"
#include "http_req.h"
#include "vfsc.h"

#define PATH_MAX_LEN (HTTP_PATH_MAX + 64)

struct entry {
    char path[PATH_MAX_LEN];
    uint8_t *data;              /* NULL: the file is too big to keep */
    size_t len;
};

static struct entry cache[FCACHE_ENTRIES];
static unsigned used;
static size_t total;

static int64_t read_whole(const char *path, uint8_t **out, size_t *len)
{
    struct vfs_stat st;
    int64_t fd = vfs_open(path, AE_VFS_O_READ, &st), n = 0;
    uint8_t *buf = NULL;
    size_t got = 0;

    if (fd < 0)
        return fd;
    if (st.type != AE_VFS_FILE) {
        vfs_close(fd);
        return -1;
    }
    *len = (size_t)st.size;
    if (st.size <= FCACHE_FILE_MAX && total + st.size <= FCACHE_TOTAL_MAX) {
        buf = malloc(st.size ? (size_t)st.size : 1);
        while (buf && got < st.size) {
            n = vfs_read(fd, got, buf + got, (size_t)st.size - got);
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        if (!buf || got < st.size) {
            free(buf);
            vfs_close(fd);
            return -1;
        }
    }
    vfs_close(fd);
    *out = buf;
    return 0;
}

int fcache_get(const char *path, const uint8_t **data, size_t *len)
{
    struct entry *e;
    uint8_t *buf = NULL;
    size_t size;

    if (strlen(path) >= PATH_MAX_LEN)
        return 0;
    for (unsigned i = 0; i < used; i++) {
        if (!strcmp(cache[i].path, path)) {
            *data = cache[i].data;
            *len = cache[i].len;
            return cache[i].data != NULL;
        }
    }
    if (used == FCACHE_ENTRIES || read_whole(path, &buf, &size) < 0)
        return 0;
    e = &cache[used++];
    strcpy(e->path, path);
    e->data = buf;
    e->len = size;
    if (buf)
        total += size;
    *data = buf;
    *len = size;
    return buf != NULL;
}

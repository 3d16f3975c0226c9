/* Shared helpers of aether-pack (util.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aether/errors.h"
#include "common/hex.h"
#include "util.h"

/* Bigger than any bundle the system loads; keeps a wrong path from eating
 * the machine's memory. */
#define READ_MAX (1ull << 30)

const char *pack_cmd = "aether-pack";

int fail(const char *what, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", pack_cmd);
    if (what)
        fprintf(stderr, "%s: ", what);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return EXIT_FAIL;
}

const char *err_text(int err)
{
    return ae_strerror(err);
}

int read_whole(const char *path, struct buf *out, int missing_ok)
{
    struct stat st;
    size_t got = 0;
    int fd;

    out->p = NULL;
    out->n = 0;
    fd = open(path, O_RDONLY);
    if (fd < 0) {
        if (errno == ENOENT && missing_ok)
            return -2;
        fail(path, "%s", strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0) {
        fail(path, "%s", strerror(errno));
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > READ_MAX) {
        fail(path, "%s", S_ISREG(st.st_mode) ? "larger than 1 GiB" : "not a regular file");
        close(fd);
        return -1;
    }
    out->p = malloc(st.st_size ? (size_t)st.st_size : 1);
    if (!out->p) {
        close(fd);
        fail(path, "out of memory");
        return -1;
    }
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, out->p + got, (size_t)st.st_size - got);
        if (r <= 0) {
            fail(path, "%s", r < 0 ? strerror(errno) : "file shrank while being read");
            close(fd);
            free(out->p);
            out->p = NULL;
            return -1;
        }
        got += (size_t)r;
    }
    close(fd);
    out->n = got;
    return 0;
}

int write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 5);
    const uint8_t *p = data;
    int fd;

    if (!tmp)
        return fail(path, "out of memory"), -1;
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp", 5);
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0)
        goto fail;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            close(fd);
            goto fail;
        }
        p += w;
        len -= (size_t)w;
    }
    if (fchmod(fd, mode) != 0 || fsync(fd) != 0) {
        close(fd);
        goto fail;
    }
    if (close(fd) != 0 || rename(tmp, path) != 0)
        goto fail;
    free(tmp);
    return 0;
fail:
    fail(path, "%s", strerror(errno));
    unlink(tmp);
    free(tmp);
    return -1;
}

void to_hex(const uint8_t *p, size_t n, char *out)
{
    ae_hex_encode(p, n, out);
}

int parse_opts(int argc, char **argv, const struct opt *opts, char **pos, int maxpos)
{
    int npos = 0, only_pos = 0;

    for (const struct opt *o = opts; o->name; o++)
        *o->value = NULL;
    for (int i = 1; i < argc; i++) {
        const struct opt *o = NULL;

        if (!only_pos && strcmp(argv[i], "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (!only_pos && argv[i][0] == '-' && argv[i][1]) {
            for (o = opts; o->name && strcmp(o->name, argv[i]) != 0; o++)
                ;
            if (!o->name || *o->value || i + 1 >= argc)
                return -1;
            *o->value = argv[++i];
            continue;
        }
        if (npos >= maxpos)
            return -1;
        pos[npos++] = argv[i];
    }
    return npos;
}

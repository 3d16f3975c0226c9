/*
 * aether-pack pack: a V-Node directory (its manifest, the binary the
 * manifest names, any other plain files) into an unsigned bundle. The
 * output depends only on the files' names and contents.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aether/bundle.h"
#include "aether/errors.h"
#include "commands.h"
#include "manifest.h"
#include "trust/bundle.h"
#include "trust/le.h"
#include "trust/merkle.h"
#include "util.h"

#define MANIFEST_MAX (64u << 10)

struct entry {
    char name[AE_BUNDLE_FILE_NAME_MAX];
    char *path;
    struct buf data;
};

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);

    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Reads every entry of dir: plain files with bundle file names, no more
 * than a directory holds. */
static int read_dir(const char *dir, struct entry *e, int *n)
{
    DIR *d = opendir(dir);
    struct dirent *de;

    *n = 0;
    if (!d)
        return fail(dir, "%s", strerror(errno));
    while ((de = readdir(d)) != NULL) {
        struct stat st;
        char *path;

        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        path = join(dir, de->d_name);
        if (!path)
            goto nomem;
        if (lstat(path, &st) != 0) {
            fail(path, "%s", strerror(errno));
            goto bad;
        }
        if (!S_ISREG(st.st_mode)) {
            fail(path, "not a regular file (a bundle holds plain files only)");
            goto bad;
        }
        if (!ae_bundle_file_name_valid(de->d_name, strlen(de->d_name))) {
            fail(path, "bad file name for a bundle ([A-Za-z0-9_-][A-Za-z0-9._-]*, "
                       "at most %u bytes)", AE_BUNDLE_FILE_NAME_MAX - 1);
            goto bad;
        }
        if (*n >= (int)AE_BUNDLE_MAX_FILES) {
            fail(dir, "more than %u files", AE_BUNDLE_MAX_FILES);
            goto bad;
        }
        if (read_whole(path, &e[*n].data, 0) != 0)
            goto bad;
        snprintf(e[*n].name, sizeof(e[*n].name), "%s", de->d_name);
        e[*n].path = path;
        ++*n;
        continue;
bad:
        free(path);
        closedir(d);
        return EXIT_FAIL;
    }
    closedir(d);
    qsort(e, (size_t)*n, sizeof(e[0]), by_name);
    return 0;
nomem:
    closedir(d);
    return fail(dir, "out of memory");
}

static int find(const struct entry *e, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(e[i].name, name) == 0)
            return i;
    return -1;
}

static uint64_t align_block(uint64_t v)
{
    return (v + AE_BUNDLE_BLOCK - 1) / AE_BUNDLE_BLOCK * AE_BUNDLE_BLOCK;
}

/* Lays the files out canonically (bundle.h) and writes header and payload
 * into one buffer. */
static uint8_t *build(const struct manifest *m, const struct entry *e, int n, size_t *len)
{
    uint64_t pos = AE_BUNDLE_BLOCK, offs[AE_BUNDLE_MAX_FILES];
    uint8_t *f, *dir, *h;

    for (int i = 0; i < n; i++) {
        offs[i] = align_block(pos);
        pos = offs[i] + e[i].data.n;
    }
    *len = AE_BUNDLE_HEADER_SIZE + pos;
    f = calloc(1, *len);
    if (!f)
        return NULL;
    h = f;
    dir = f + AE_BUNDLE_HEADER_SIZE;
    memcpy(dir + offsetof(struct ae_bundle_dir, magic), AE_BUNDLE_DIR_MAGIC, 8);
    ae_put_le32(dir + offsetof(struct ae_bundle_dir, nfiles), (uint32_t)n);
    for (int i = 0; i < n; i++) {
        uint8_t *ent = dir + sizeof(struct ae_bundle_dir) + i * sizeof(struct ae_bundle_file);
        memcpy(ent + offsetof(struct ae_bundle_file, name), e[i].name, strlen(e[i].name));
        ae_put_le64(ent + offsetof(struct ae_bundle_file, offset), offs[i]);
        ae_put_le64(ent + offsetof(struct ae_bundle_file, size), e[i].data.n);
        if (e[i].data.n)
            memcpy(dir + offs[i], e[i].data.p, e[i].data.n);
    }
    memcpy(h + offsetof(struct ae_bundle_header, magic), AE_BUNDLE_MAGIC, 8);
    ae_put_le32(h + offsetof(struct ae_bundle_header, format), AE_BUNDLE_FORMAT);
    ae_put_le32(h + offsetof(struct ae_bundle_header, header_size), AE_BUNDLE_HEADER_SIZE);
    memcpy(h + offsetof(struct ae_bundle_header, name), m->name, strlen(m->name));
    ae_put_le64(h + offsetof(struct ae_bundle_header, version),
                AE_BUNDLE_VERSION(m->version[0], m->version[1], m->version[2]));
    ae_put_le64(h + offsetof(struct ae_bundle_header, payload_size), pos);
    ae_merkle_root(dir, pos, h + offsetof(struct ae_bundle_header, root));
    return f;
}

int cmd_pack(int argc, char **argv)
{
    static struct entry e[AE_BUNDLE_MAX_FILES];
    const char *out;
    const struct opt opts[] = {{"-o", &out}, {NULL, NULL}};
    char *dir, err[MANIFEST_ERR_MAX], hex[2 * AE_HASH_SIZE + 1], ver[AE_BUNDLE_VERSION_TEXT_MAX];
    struct ae_bundle_info info;
    struct manifest m;
    uint8_t *file = NULL;
    size_t len;
    int n = 0, mi, ret = EXIT_FAIL;

    if (parse_opts(argc, argv, opts, &dir, 1) != 1 || !out)
        return EXIT_USAGE;
    if (read_dir(dir, e, &n) != 0)
        goto out;
    mi = find(e, n, "manifest");
    if (mi < 0) {
        fail(dir, "no manifest");
        goto out;
    }
    if (e[mi].data.n > MANIFEST_MAX ||
        manifest_parse((const char *)e[mi].data.p, e[mi].data.n, &m, err, sizeof(err)) != AE_OK) {
        fail(e[mi].path, "%s", e[mi].data.n > MANIFEST_MAX ? "too large" : err);
        goto out;
    }
    if (!ae_bundle_name_valid(m.name, strlen(m.name))) {
        fail(e[mi].path, "name \"%s\" does not fit a bundle (at most %u bytes)", m.name,
             AE_BUNDLE_NAME_MAX - 1);
        goto out;
    }
    if (find(e, n, m.binary) < 0) {
        fail(dir, "binary \"%s\" named by the manifest is missing", m.binary);
        goto out;
    }
    file = build(&m, e, n, &len);
    if (!file) {
        fail(dir, "out of memory");
        goto out;
    }
    /* What was built must read back through the library as it will be read. */
    if (ae_bundle_parse_header(file, len, &info) != 0 ||
        ae_bundle_check_payload(&info, file + AE_BUNDLE_HEADER_SIZE,
                                len - AE_BUNDLE_HEADER_SIZE) != 0) {
        fail(out, "internal error: the bundle built does not parse");
        goto out;
    }
    if (write_atomic(out, file, len, 0644) != 0)
        goto out;
    to_hex(info.root, AE_HASH_SIZE, hex);
    ae_bundle_version_format(info.version, ver, sizeof(ver));
    printf("pack: %s: %s %s, %d files, payload %llu bytes, root %s\n", out, info.name, ver, n,
           (unsigned long long)info.payload_size, hex);
    ret = EXIT_OK;
out:
    for (int i = 0; i < n; i++) {
        free(e[i].path);
        free(e[i].data.p);
    }
    free(file);
    return ret;
}

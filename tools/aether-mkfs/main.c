/*
 * aether-mkfs: builds an AetherFS image (docs/AETHERFS.md) from signed
 * bundles, successor trust roots and plain files; lists and checks one.
 *
 *   aether-mkfs -o OUT [--hwm FILE] [--trust FILE]... [--file NAME=PATH]... BUNDLE...
 *   aether-mkfs ls IMAGE
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aefs.h"
#include "common/hex.h"
#include "aether/errors.h"
#include "image.h"
#include "trust/bundle.h"
#include "trust/trustroot.h"

static void usage(void)
{
    fprintf(stderr,
            "usage: aether-mkfs -o OUT [--hwm FILE] [--trust FILE]... [--file NAME=PATH]... "
            "BUNDLE.vnode...\n"
            "       aether-mkfs ls IMAGE\n");
    exit(2);
}

static uint8_t *slurp(const char *path, uint64_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0, r;

    if (!f) {
        fprintf(stderr, "aether-mkfs: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            buf = realloc(buf, cap);
            if (!buf) {
                fprintf(stderr, "aether-mkfs: out of memory\n");
                exit(1);
            }
        }
        r = fread(buf + n, 1, cap - n, f);
        n += r;
    } while (r);
    fclose(f);
    *len = n;
    return buf;
}

static void fail(const char *what, const char *path, int err)
{
    fprintf(stderr, "aether-mkfs: %s %s: %s\n", what, path, ae_strerror(err));
    exit(1);
}

static int list(const char *path)
{
    static const char *const kinds[] = {"?", "file", "bundle", "trust"};
    struct aefs fs;
    uint64_t len;
    uint8_t *img = slurp(path, &len);
    int bad = 0, r = aefs_open(&fs, img, len);

    if (r)
        fail("open", path, r);
    printf("%u entries, %u blobs, %llu blocks\n", fs.nentries, fs.nblobs,
           (unsigned long long)(len / AEFS_BLOCK));
    for (uint32_t i = 0; i < fs.nentries; i++) {
        struct aefs_entry e;
        struct aefs_blob b;
        uint64_t at;
        aefs_entry_get(&fs, i, &e);
        aefs_blob_get(&fs, e.blob, &b);
        r = aefs_verify_blob(&fs, &b, &at);
        printf("%-6s %-28s %8llu ", kinds[e.kind <= 3 ? e.kind : 0], e.name,
               (unsigned long long)b.size);
        char root[65];
        ae_hex_encode(b.root, 32, root);
        fputs(root, stdout);
        if (r) {
            printf(" BAD (block %llu: %s)", (unsigned long long)at, ae_strerror(r));
            bad = 1;
        }
        printf("\n");
    }
    free(img);
    return bad;
}

int main(int argc, char **argv)
{
    struct image im;
    const char *out = NULL;
    uint8_t *img;
    uint64_t len;
    int r;

    if (argc == 3 && !strcmp(argv[1], "ls"))
        return list(argv[2]);
    image_init(&im);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-o") && i + 1 < argc) {
            out = argv[++i];
        } else if (!strcmp(a, "--hwm") && i + 1 < argc) {
            uint8_t *d = slurp(argv[++i], &len);
            struct ae_hwm t;
            if ((r = ae_hwm_parse(&t, (const char *)d, len)) != AE_OK)
                fail("high-water marks", argv[i], r);
            if ((r = image_add_file(&im, "hwm", AEFS_KIND_FILE, d, len)) != AE_OK)
                fail("add", argv[i], r);
            free(d);
        } else if (!strcmp(a, "--trust") && i + 1 < argc) {
            uint8_t *d = slurp(argv[++i], &len);
            struct ae_trust_root root;
            char name[32];
            if ((r = ae_trust_parse(d, len, &root)) != AE_OK)
                fail("trust root", argv[i], r);
            snprintf(name, sizeof(name), "trust/%u", root.version);
            if ((r = image_add_file(&im, name, AEFS_KIND_TRUST, d, len)) != AE_OK)
                fail("add", argv[i], r);
            free(d);
        } else if (!strcmp(a, "--file") && i + 1 < argc) {
            char *spec = argv[++i], *eq = strchr(spec, '=');
            if (!eq)
                usage();
            *eq = 0;
            uint8_t *d = slurp(eq + 1, &len);
            if ((r = image_add_file(&im, spec, AEFS_KIND_FILE, d, len)) != AE_OK)
                fail("add", spec, r);
            free(d);
        } else if (a[0] == '-') {
            usage();
        } else {
            uint8_t *d = slurp(a, &len);
            if ((r = image_add_bundle(&im, d, len)) != AE_OK)
                fail("add bundle", a, r);
            free(d);
        }
    }
    if (!out)
        usage();
    if ((r = image_write(&im, &img, &len)) != AE_OK)
        fail("write", out, r);
    FILE *f = fopen(out, "wb");
    if (!f || fwrite(img, 1, len, f) != len || fclose(f)) {
        fprintf(stderr, "aether-mkfs: %s: %s\n", out, strerror(errno));
        return 1;
    }
    free(img);
    image_free(&im);
    return 0;
}

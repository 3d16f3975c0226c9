/*
 * aether-pack inspect: everything a bundle says about itself, and which
 * parts of it hold. Without --trust nothing can be said about whether the
 * signers are trusted, only whether each signature is valid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aether/errors.h"
#include "commands.h"
#include "contents.h"
#include "trust/bundle.h"
#include "trust/merkle.h"
#include "util.h"
#include "verify_util.h"

/* The manifest as text, control bytes but newline and tab shown as '?'. */
static void print_manifest(const uint8_t *p, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++) {
        int c = p[i];
        putchar(c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f) ? c : '?');
    }
    if (n && p[n - 1] != '\n')
        putchar('\n');
}

static void print_sigs(const struct ae_bundle_info *info, const struct ae_trust_root *root)
{
    struct ae_bundle_sigmsg msg;
    char hex[65];

    ae_bundle_sigmsg(info, &msg);
    printf("signatures %u\n", info->nsigs);
    for (uint32_t i = 0; i < info->nsigs; i++) {
        int k = root ? ae_trust_key_index(root, info->sigs[i].key) : -1;

        to_hex(info->sigs[i].key, 32, hex);
        printf("  %s %s", hex, signature_valid(&info->sigs[i], &msg, sizeof(msg)) ? "valid" : "INVALID");
        if (root && k >= 0)
            printf(", trusted (key %d of the trust root)", k + 1);
        else if (root)
            printf(", not in the trust root");
        putchar('\n');
    }
}

int cmd_inspect(int argc, char **argv)
{
    const char *trustfile;
    const struct opt opts[] = {{"--trust", &trustfile}, {NULL, NULL}};
    char *path, hex[2 * AE_HASH_SIZE + 1], ver[AE_BUNDLE_VERSION_TEXT_MAX];
    char why[CONTENTS_WHY_MAX];
    struct ae_bundle_file files[AE_BUNDLE_MAX_FILES];
    struct ae_trust_root root;
    struct ae_bundle_info info;
    struct manifest m;
    struct buf b = {0};
    int ret = EXIT_FAIL, err, n, mi;

    if (parse_opts(argc, argv, opts, &path, 1) != 1)
        return EXIT_USAGE;
    if ((trustfile && load_trust_root(trustfile, &root) != 0) || read_whole(path, &b, 0) != 0)
        goto out;
    err = ae_bundle_parse_header(b.p, b.n, &info);
    if (err) {
        fail(path, "header: %s", err_text(err));
        goto out;
    }
    to_hex(info.root, AE_HASH_SIZE, hex);
    ae_bundle_version_format(info.version, ver, sizeof(ver));
    printf("bundle     %s\nname       %s\nversion    %s\n", path, info.name, ver);
    printf("payload    %llu bytes, %llu blocks\nroot       %s\n",
           (unsigned long long)info.payload_size,
           (unsigned long long)ae_merkle_leaves(info.payload_size), hex);
    err = ae_bundle_check_payload(&info, b.p + AE_BUNDLE_HEADER_SIZE, b.n - AE_BUNDLE_HEADER_SIZE);
    if (!err && bundle_manifest_check(b.p, b.n, &info, &m, why) != 0)
        printf("content    manifest: %s\n", why);
    else
        printf("content    %s\n", err ? err_text(err) : "ok");
    if (trustfile) {
        uint32_t signers = 0;
        int s = ae_bundle_check_sigs(&info, &root, &signers);
        printf("trust      %s (%u of %u, trust root version %u)\n", s ? err_text(s) : "ok",
               count_bits(signers), root.threshold, root.version);
    }
    print_sigs(&info, trustfile ? &root : NULL);
    if (err) {
        ret = EXIT_OK;      /* what could be shown was; "content" says the rest */
        goto out;
    }
    n = bundle_files(b.p, b.n, &info, files);
    printf("files      %d\n", n);
    for (int i = 0; i < n; i++)
        printf("  %10llu %10llu  %s\n", (unsigned long long)files[i].offset,
               (unsigned long long)files[i].size, files[i].name);
    mi = ae_bundle_find(files, (uint32_t)n, "manifest");
    printf("manifest\n");
    print_manifest(b.p + AE_BUNDLE_HEADER_SIZE + files[mi].offset, files[mi].size);
    ret = EXIT_OK;
out:
    free(b.p);
    return ret;
}

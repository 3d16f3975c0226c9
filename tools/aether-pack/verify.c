/*
 * aether-pack verify: is this bundle acceptable under this trust root (and,
 * with --hwm, not older than what was accepted before)? The checks are the
 * library's, in its order; the exit status and one line say the outcome.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aether/errors.h"
#include "commands.h"
#include "contents.h"
#include "trust/bundle.h"
#include "trust/trustroot.h"
#include "util.h"
#include "verify_util.h"

#define HWM_TEXT_MAX (AE_HWM_MAX * (AE_BUNDLE_NAME_MAX + AE_BUNDLE_VERSION_TEXT_MAX + 2) + 1)

/* Rollback check against the mark file; raises the mark when it passes. */
static int check_hwm(const char *hwmfile, const char *path, const struct ae_bundle_info *b)
{
    static char text[HWM_TEXT_MAX];
    char ver[AE_BUNDLE_VERSION_TEXT_MAX], mark[AE_BUNDLE_VERSION_TEXT_MAX];
    struct ae_hwm t;
    struct buf f;
    int r = read_whole(hwmfile, &f, 1), n;

    if (r == -1)
        return EXIT_FAIL;
    /* No file yet: nothing seen yet. */
    if (r == -2)
        ae_hwm_init(&t);
    else if (ae_hwm_parse(&t, (const char *)f.p, f.n) != 0) {
        free(f.p);
        return fail(hwmfile, "%s (not a high-water-mark file)", err_text(AE_ERR_CORRUPT));
    }
    free(f.p);
    if (ae_hwm_check(&t, b->name, b->version) != 0) {
        ae_bundle_version_format(b->version, ver, sizeof(ver));
        for (uint32_t i = 0; i < t.n; i++)
            if (strcmp(t.e[i].name, b->name) == 0)
                ae_bundle_version_format(t.e[i].version, mark, sizeof(mark));
        return fail(path, "%s (%s %s, already seen %s)", err_text(AE_ERR_ROLLBACK), b->name, ver,
                    mark);
    }
    if (ae_hwm_note(&t, b->name, b->version) != 0)
        return fail(hwmfile, "full (%d names)", AE_HWM_MAX);
    n = ae_hwm_format(&t, text, sizeof(text));
    if (n < 0)
        return fail(hwmfile, "%s", err_text(n));
    return write_atomic(hwmfile, text, (size_t)n, 0644) == 0 ? EXIT_OK : EXIT_FAIL;
}

int cmd_verify(int argc, char **argv)
{
    const char *trustfile, *hwmfile;
    const struct opt opts[] = {{"--trust", &trustfile}, {"--hwm", &hwmfile}, {NULL, NULL}};
    char *path, why[CONTENTS_WHY_MAX], ver[AE_BUNDLE_VERSION_TEXT_MAX];
    struct ae_bundle_info info;
    struct ae_trust_root root;
    struct manifest m;
    struct buf b = {0};
    uint32_t signers = 0;
    int ret = EXIT_FAIL, err;

    if (parse_opts(argc, argv, opts, &path, 1) != 1 || !trustfile)
        return EXIT_USAGE;
    if (load_trust_root(trustfile, &root) != 0 || read_whole(path, &b, 0) != 0)
        goto out;
    err = ae_bundle_verify(b.p, b.n, &root, &info);
    if (err == AE_ERR_BAD_SIGNATURE || err == AE_ERR_UNKNOWN_KEY ||
        err == AE_ERR_TOO_FEW_SIGNERS) {
        ae_bundle_check_sigs(&info, &root, &signers);
        fail(path, "%s (%u of %u)", err_text(err), count_bits(signers), root.threshold);
        goto out;
    }
    if (err) {
        fail(path, "%s", err_text(err));
        goto out;
    }
    if (bundle_manifest_check(b.p, b.n, &info, &m, why) != 0) {
        fail(path, "%s", why);
        goto out;
    }
    if (hwmfile && check_hwm(hwmfile, path, &info) != EXIT_OK)
        goto out;
    ae_bundle_check_sigs(&info, &root, &signers);
    ae_bundle_version_format(info.version, ver, sizeof(ver));
    printf("verify: %s: ok: %s %s, signed by %u trusted keys (%u needed, trust root version %u)\n",
           path, info.name, ver, count_bits(signers), root.threshold, root.version);
    ret = EXIT_OK;
out:
    free(b.p);
    return ret;
}

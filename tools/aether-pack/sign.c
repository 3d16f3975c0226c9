/*
 * aether-pack sign: one more signature on a bundle, in place. The signer
 * checks the content against the root it signs first; signatures are not
 * checked (the signer need not trust the others).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "aether/bundle.h"
#include "commands.h"
#include "keys.h"
#include "trust/bundle.h"
#include "trust/le.h"
#include "util.h"

int cmd_sign(int argc, char **argv)
{
    const char *keyfile;
    const struct opt opts[] = {{"-k", &keyfile}, {NULL, NULL}};
    struct ae_bundle_sigmsg msg;
    struct ae_bundle_info info;
    struct secret_key key;
    char *path, hex[65];
    struct buf b = {0};
    int ret = EXIT_FAIL, err;
    uint8_t *slot;

    if (parse_opts(argc, argv, opts, &path, 1) != 1 || !keyfile)
        return EXIT_USAGE;
    if (load_secret_key(keyfile, &key) != 0)
        return EXIT_FAIL;
    if (read_whole(path, &b, 0) != 0)
        goto out;
    err = ae_bundle_parse_header(b.p, b.n, &info);
    if (!err)
        err = ae_bundle_check_payload(&info, b.p + AE_BUNDLE_HEADER_SIZE,
                                      b.n - AE_BUNDLE_HEADER_SIZE);
    if (err) {
        fail(path, "%s; not signing", err_text(err));
        goto out;
    }
    for (uint32_t i = 0; i < info.nsigs; i++)
        if (memcmp(info.sigs[i].key, key.pk, 32) == 0) {
            fail(path, "already signed by this key");
            goto out;
        }
    if (info.nsigs >= AE_BUNDLE_MAX_SIGS) {
        fail(path, "already holds %u signatures, the most a bundle can", AE_BUNDLE_MAX_SIGS);
        goto out;
    }
    ae_bundle_sigmsg(&info, &msg);
    slot = b.p + sizeof(struct ae_bundle_header) + info.nsigs * sizeof(struct ae_signature);
    memcpy(slot, key.pk, 32);
    sign_detached(&key, &msg, sizeof(msg), slot + 32);
    ae_put_le32(b.p + offsetof(struct ae_bundle_header, nsigs), info.nsigs + 1);
    if (ae_bundle_parse_header(b.p, b.n, &info) != 0) {
        fail(path, "internal error: the signed header does not parse");
        goto out;
    }
    if (write_atomic(path, b.p, b.n, 0644) != 0)
        goto out;
    to_hex(key.pk, 32, hex);
    printf("sign: %s: signed by %s (%u signature%s)\n", path, hex, info.nsigs,
           info.nsigs == 1 ? "" : "s");
    ret = EXIT_OK;
out:
    sodium_memzero(&key, sizeof(key));
    free(b.p);
    return ret;
}

/* Shared signature helpers (verify_util.h). */
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "verify_util.h"

int load_trust_root(const char *path, struct ae_trust_root *root)
{
    struct buf f;
    int err;

    if (read_whole(path, &f, 0) != 0)
        return -1;
    err = ae_trust_parse(f.p, f.n, root);
    free(f.p);
    if (err)
        return fail(path, "%s (not a trust root)", err_text(err)), -1;
    return 0;
}

uint32_t count_bits(uint32_t v)
{
    uint32_t n = 0;

    for (; v; v &= v - 1)
        n++;
    return n;
}

int signature_valid(const struct ae_signature *sig, const void *msg, size_t len)
{
    struct ae_trust_root one = {.version = 1, .threshold = 1, .nkeys = 1};

    memcpy(one.keys[0], sig->key, sizeof(sig->key));
    return ae_signers_check(&one, msg, len, sig, 1, NULL) == 0;
}

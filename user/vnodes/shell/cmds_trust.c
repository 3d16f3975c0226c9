/* Shell commands about signed bundles: vnode list, vnode verify, trust
 * (init's INIT_BUNDLES, INIT_VERIFY and INIT_TRUST; docs/BUNDLE.md). */
#include "cmds.h"
#include "aether/proto/init.h"
#include "common/hex.h"
#include "common/string.h"
#include "trust/bundle.h"

/* "0,2": the trust-root keys that signed. */
static void signer_list(uint32_t mask, char *out, size_t len)
{
    size_t n = 0;
    out[0] = 0;
    for (unsigned i = 0; i < 32 && n + 4 < len; i++)
        if (mask & (1u << i))
            n += (size_t)ae_snprintf(out + n, len - n, n ? ",%u" : "%u", i);
}

static int vnode_list(struct sh_io *io)
{
    struct ae_msg m = {AE_MSG_INFO(AE_INIT_BUNDLES, 0), {0}, {0}, 0};
    const struct ae_bundle_status *s = sh_buf(&sh_init);
    struct ae_msg tm = {AE_MSG_INFO(AE_INIT_TRUST, 0), {0}, {0}, 0};
    uint32_t nkeys = 0;
    int64_t r;

    r = sh_call(&sh_init, &tm);
    if (r == 0)
        nkeys = ((const struct ae_trust_status *)sh_buf(&sh_init))->nkeys;
    r = sh_call(&sh_init, &m);
    if (r)
        return sh_fail(io, 1, "vnode", "%s", ae_strerror(r));
    sh_printf(io, "%-12s %-9s %-16s  %-14s %s\n", "NAME", "VERSION", "ROOT", "SIGNERS",
              "STATE");
    for (uint64_t i = 0; i < m.w[0]; i++) {
        char ver[24], root[65], who[40], signers[64];
        ae_bundle_version_format(s[i].version, ver, sizeof(ver));
        ae_hex_encode(s[i].root, 8, root);
        signer_list(s[i].signers, who, sizeof(who));
        ae_snprintf(signers, sizeof(signers), "%u/%u%s%s%s", s[i].nsigners, nkeys,
                    who[0] ? " (" : "", who, who[0] ? ")" : "");
        if (s[i].status)
            sh_printf(io, "%-12s %-9s %-16s  %-14s refused: %s (%s)\n", s[i].name, ver, root,
                      signers, ae_strerror(s[i].status), s[i].stage);
        else
            sh_printf(io, "%-12s %-9s %-16s  %-14s verified\n", s[i].name, ver, root,
                      signers);
    }
    return 0;
}

static int vnode_verify(struct sh_io *io, const char *name)
{
    struct ae_msg m = {AE_MSG_INFO(AE_INIT_VERIFY, 0), {0}, {0}, 0};
    const struct ae_bundle_status *s = sh_buf(&sh_init);
    char ver[24], root[65];
    int64_t r;

    if (ae_ns_pack_name(name, m.w))
        return sh_fail(io, 2, "vnode", "usage: vnode verify NAME");
    r = sh_call(&sh_init, &m);
    if (r == AE_ERR_NOTFOUND || r == AE_ERR_INVAL)
        return sh_fail(io, 1, "vnode", "%s: %s", name, ae_strerror(r));
    ae_bundle_version_format(s->version, ver, sizeof(ver));
    ae_hex_encode(s->root, 32, root);
    if (r)
        return sh_fail(io, 1, "vnode", "%s %s: BAD: %s (%s)", name, ver, ae_strerror(r),
                       s->stage);
    sh_printf(io, "%s %s: good: root %s, %u signers, %lu blocks checked, %lu kcycles\n",
              name, ver, root, s->nsigners, (unsigned long)s->blocks_checked,
              (unsigned long)(s->verify_cycles / 1000));
    return 0;
}

int cmd_vnode(int argc, char **argv, struct sh_io *io)
{
    if (argc == 2 && !strcmp(argv[1], "list"))
        return vnode_list(io);
    if (argc == 3 && !strcmp(argv[1], "verify"))
        return vnode_verify(io, argv[2]);
    return sh_fail(io, 2, "vnode", "usage: vnode list | vnode verify NAME");
}

int cmd_trust(int argc, char **argv, struct sh_io *io)
{
    struct ae_msg m = {AE_MSG_INFO(AE_INIT_TRUST, 0), {0}, {0}, 0};
    const struct ae_trust_status *t = sh_buf(&sh_init);
    int64_t r;

    if (argc != 1)
        return sh_fail(io, 2, "trust", "usage: trust");
    r = sh_call(&sh_init, &m);
    if (r)
        return sh_fail(io, 1, "trust", "%s", ae_strerror(r));
    sh_printf(io, "trust root version %u: %u of %u keys must sign (rotations at boot: %u)\n",
              t->version, t->threshold, t->nkeys, t->rotations);
    for (uint32_t i = 0; i < t->nkeys && i < 16; i++) {
        char key[65];
        ae_hex_encode(t->keys[i], 32, key);
        sh_printf(io, "  key %u: %s\n", i, key);
    }
    return 0;
}

/*
 * What init trusts (docs/BUNDLE.md, docs/AETHERFS.md): the installed trust
 * root (the "trust" boot module, which comes with the kernel), successors
 * found in the AetherFS image that the chain of signatures accepts, and the
 * high-water marks that refuse rollbacks. A bundle is admitted only when its
 * signatures meet the threshold, its version is not below its mark, and
 * every block read of it matches the signed root.
 *
 * Verification runs once per root: the V-Node's binary is read (and checked)
 * into init's own memory, and later starts use that copy, so a restart costs
 * no hashing or signature checks. `vnode verify` checks again from the
 * image, on request.
 */
#include <stdlib.h>

#include "init.h"
#include "common/fmt.h"
#include "common/string.h"
#include "trust/bundle.h"
#include "trust/merkle.h"

static bool have_trust;

const void *trust_map_module(const char *name, uint64_t va, uint64_t *size, ae_handle_t *vmo)
{
    const struct ae_bootinfo *bi = g.bi;

    for (uint32_t i = 0; i < bi->nmodules && i < AE_BOOT_MODULES_MAX; i++) {
        const struct ae_boot_module *mod = &bi->modules[i];
        if (strcmp(mod->name, name) || !mod->size)
            continue;
        if (ae_vmo_map(mod->vmo, 0, va, 0, (mod->size + 4095) & ~4095ull, AE_PROT_READ))
            return NULL;
        *size = mod->size;
        if (vmo)
            *vmo = mod->vmo;
        return (const void *)va;
    }
    return NULL;
}

/* Successor roots in the image, in version order; each must be accepted by
 * the one before. A refused one ends the chain there (later ones would
 * need it). */
static void rotate(void)
{
    for (;;) {
        char name[32];
        struct aefs_entry e;
        struct aefs_blob b;
        struct ae_trust_root next;
        uint8_t buf[sizeof(struct ae_trust_header) + AE_TRUST_MAX_KEYS * 32 +
                    AE_TRUST_MAX_SIGS * sizeof(struct ae_signature)];
        int64_t n;
        int r;

        ae_snprintf(name, sizeof(name), "trust/%u", g.trust.version + 1);
        if (aefs_lookup(&g.fs, name, &e) < 0 || e.kind != AEFS_KIND_TRUST)
            return;
        aefs_blob_get(&g.fs, e.blob, &b);
        if (b.size > sizeof(buf)) {
            ae_printf("init: trust root %s refused: %s", name, ae_strerror(AE_ERR_CORRUPT));
            return;
        }
        n = aefs_read(&g.fs, &b, 0, buf, b.size);
        r = n < 0 ? (int)n : ae_trust_rotate(&g.trust, buf, (size_t)n, &next);
        if (r) {
            ae_printf("init: trust root %s refused: %s", name, ae_strerror(r));
            return;
        }
        ae_printf("init: trust root rotated to version %u (%u of %u keys)", next.version,
                  next.threshold, next.nkeys);
        g.trust = next;
        g.trust_rotations++;
    }
}

static void load_hwm(void)
{
    struct aefs_entry e;
    struct aefs_blob b;
    char *text;
    int64_t n;

    ae_hwm_init(&g.hwm);
    if (aefs_lookup(&g.fs, "hwm", &e) < 0)
        return;
    aefs_blob_get(&g.fs, e.blob, &b);
    text = malloc(b.size + 1);
    if (!text)
        return;
    n = aefs_read(&g.fs, &b, 0, text, b.size);
    if (n < 0 || ae_hwm_parse(&g.hwm, text, (size_t)n)) {
        ae_printf("init: high-water marks unreadable (%s): starting from none",
                  ae_strerror(n < 0 ? n : AE_ERR_CORRUPT));
        ae_hwm_init(&g.hwm);
    }
    free(text);
}

int trust_init(void)
{
    uint64_t size;
    const void *anchor = trust_map_module("trust", TRUST_VA, &size, NULL);
    int r;

    if (!anchor) {
        ae_printf("init: no trust root module: no bundle can be admitted");
        return AE_ERR_NOTFOUND;
    }
    r = ae_trust_parse(anchor, size, &g.trust);
    if (r) {
        ae_printf("init: the installed trust root is malformed: no bundle can be admitted");
        return r;
    }
    have_trust = true;
    ae_printf("init: trust root version %u: %u of %u keys", g.trust.version,
              g.trust.threshold, g.trust.nkeys);
    rotate();
    load_hwm();
    return AE_OK;
}

static int count_bits(uint32_t v)
{
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

/* Reads file f of the bundle payload b (every block checked) into a fresh
 * heap buffer, NUL-terminated for text. */
static int read_file(const struct aefs_blob *b, const struct ae_bundle_file *f,
                     void **out)
{
    char *buf = malloc(f->size + 1);
    int64_t n;

    if (!buf)
        return AE_ERR_NOMEM;
    n = aefs_read(&g.fs, b, f->offset, buf, f->size);
    if (n != (int64_t)f->size) {
        free(buf);
        return n < 0 ? (int)n : AE_ERR_CORRUPT;
    }
    buf[f->size] = 0;
    *out = buf;
    return AE_OK;
}

int trust_check_bundle(struct vnode *vn, const struct aefs_entry *e, bool full,
                       const char **what)
{
    struct vnode_bundle *vb = &vn->bundle;
    struct ae_bundle_info info;
    struct ae_bundle_file files[AE_BUNDLE_MAX_FILES];
    struct aefs_blob b;
    uint8_t dir[AE_BUNDLE_BLOCK];
    int r, blob, nfiles;
    uint64_t t0 = ae_rdtsc();

    *what = "header";
    if (!have_trust)
        return AE_ERR_UNKNOWN_KEY;
    r = ae_bundle_parse_header(aefs_bundle_header(&g.fs, e), AE_BUNDLE_HEADER_SIZE, &info);
    if (r)
        return r;
    memcpy(vb->name, info.name, sizeof(vb->name));
    vb->version = info.version;
    memcpy(vb->root, info.root, sizeof(vb->root));
    vb->payload_size = info.payload_size;
    if (strcmp(e->name + 7, info.name))        /* "vnodes/NAME" */
        return AE_ERR_CORRUPT;

    *what = "version";
    r = ae_hwm_check(&g.hwm, info.name, info.version);
    if (r)
        return r;

    *what = "signatures";
    r = ae_bundle_check_sigs(&info, &g.trust, &vb->signers);
    vb->nsigners = (uint32_t)count_bits(vb->signers);
    if (r)
        return r;

    /* The payload: the blob named by the signed root, nothing else. */
    *what = "content";
    blob = aefs_find_root(&g.fs, info.root);
    if (blob < 0)
        return AE_ERR_ROOT_MISMATCH;
    aefs_blob_get(&g.fs, (uint32_t)blob, &b);
    if (b.size != info.payload_size)
        return AE_ERR_ROOT_MISMATCH;
    if (full) {
        uint64_t bad;
        r = aefs_verify_blob(&g.fs, &b, &bad);
        vb->blocks_checked = r ? bad : ae_merkle_leaves(b.size);
        if (r)
            return r;
    }
    r = (int)aefs_read(&g.fs, &b, 0, dir, sizeof(dir));
    if (r < 0)
        return r;
    nfiles = ae_bundle_dir_parse(dir, (size_t)r, info.payload_size, files,
                                 AE_BUNDLE_MAX_FILES);
    if (nfiles < 0)
        return nfiles;
    vb->nfiles = (uint32_t)nfiles;
    vb->verify_cycles = ae_rdtsc() - t0;
    if (full)
        return AE_OK;

    /* Admission: the manifest, then the binary into init's memory. */
    *what = "manifest";
    char err[MANIFEST_ERR_MAX];
    void *mf = NULL, *elf = NULL;
    int mi = ae_bundle_find(files, (uint32_t)nfiles, "manifest"), bi;
    if (mi < 0)
        return AE_ERR_CORRUPT;
    r = read_file(&b, &files[mi], &mf);
    if (r)
        return r;
    r = manifest_parse(mf, files[mi].size, &vn->m, err, sizeof(err));
    free(mf);
    if (r) {
        ae_snprintf(vn->reason, sizeof(vn->reason), "%s", err);
        return r;
    }
    if (strcmp(vn->m.name, info.name)) {
        ae_snprintf(vn->reason, sizeof(vn->reason),
                    "manifest name \"%s\" is not the bundle's", vn->m.name);
        return AE_ERR_CORRUPT;
    }
    if (AE_BUNDLE_VERSION(vn->m.version[0], vn->m.version[1], vn->m.version[2]) !=
        info.version) {
        ae_snprintf(vn->reason, sizeof(vn->reason),
                    "manifest version %u.%u.%u is not the bundle's", vn->m.version[0],
                    vn->m.version[1], vn->m.version[2]);
        return AE_ERR_CORRUPT;
    }
    *what = "binary";
    bi = ae_bundle_find(files, (uint32_t)nfiles, vn->m.binary);
    if (bi < 0 || !files[bi].size) {
        ae_snprintf(vn->reason, sizeof(vn->reason), "binary %s missing from the bundle",
                    vn->m.binary);
        return AE_ERR_NOTFOUND;
    }
    r = read_file(&b, &files[bi], &elf);
    if (r)
        return r;
    vn->elf = elf;
    vn->elf_size = files[bi].size;
    /* The directory block and every block of the two files were read. */
    vb->blocks_checked = 1 + ae_merkle_leaves(files[mi].size) + ae_merkle_leaves(files[bi].size);
    vb->verify_cycles = ae_rdtsc() - t0;
    ae_hwm_note(&g.hwm, info.name, info.version);
    return AE_OK;
}

int trust_reverify(struct vnode *vn)
{
    struct aefs_entry e;
    char path[AEFS_NAME_MAX];
    const char *what;
    uint8_t admitted[32];
    int r;

    ae_snprintf(path, sizeof(path), "vnodes/%s", vn->m.name);
    if (aefs_lookup(&g.fs, path, &e) < 0 || e.kind != AEFS_KIND_BUNDLE)
        return AE_ERR_NOTFOUND;
    memcpy(admitted, vn->bundle.root, 32);
    r = trust_check_bundle(vn, &e, true, &what);
    /* Admitted once: what the image holds now must still be that. */
    if (!r && vn->state != VN_REFUSED && memcmp(admitted, vn->bundle.root, 32))
        r = AE_ERR_ROOT_MISMATCH;
    vn->bundle.stage = r ? what : NULL;
    return r;
}

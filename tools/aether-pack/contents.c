/* A bundle's manifest against its header (contents.h). */
#include <stdio.h>
#include <string.h>

#include "aether/errors.h"
#include "contents.h"

int bundle_files(const uint8_t *file, size_t len, const struct ae_bundle_info *b,
                 struct ae_bundle_file *files)
{
    return ae_bundle_dir_parse(file + AE_BUNDLE_HEADER_SIZE, len - AE_BUNDLE_HEADER_SIZE,
                               b->payload_size, files, AE_BUNDLE_MAX_FILES);
}

int bundle_manifest_check(const uint8_t *file, size_t len, const struct ae_bundle_info *b,
                          struct manifest *m, char *why)
{
    struct ae_bundle_file files[AE_BUNDLE_MAX_FILES];
    char err[MANIFEST_ERR_MAX], ver[AE_BUNDLE_VERSION_TEXT_MAX];
    const struct ae_bundle_file *mf;
    int n = bundle_files(file, len, b, files), i;

    if (n < 0)
        return snprintf(why, CONTENTS_WHY_MAX, "directory: %s", ae_strerror(n)), -1;
    i = ae_bundle_find(files, (uint32_t)n, "manifest");
    if (i < 0)
        return snprintf(why, CONTENTS_WHY_MAX, "no manifest"), -1;
    mf = &files[i];
    if (manifest_parse((const char *)file + AE_BUNDLE_HEADER_SIZE + mf->offset, mf->size, m,
                       err, sizeof(err)) != AE_OK)
        return snprintf(why, CONTENTS_WHY_MAX, "%s", err), -1;
    if (strcmp(m->name, b->name) != 0)
        return snprintf(why, CONTENTS_WHY_MAX, "manifest names \"%s\", the header \"%s\"",
                        m->name, b->name), -1;
    if (AE_BUNDLE_VERSION(m->version[0], m->version[1], m->version[2]) != b->version) {
        ae_bundle_version_format(b->version, ver, sizeof(ver));
        return snprintf(why, CONTENTS_WHY_MAX,
                        "manifest says version %u.%u.%u, the header %s", m->version[0],
                        m->version[1], m->version[2], ver), -1;
    }
    if (ae_bundle_find(files, (uint32_t)n, m->binary) < 0)
        return snprintf(why, CONTENTS_WHY_MAX, "binary \"%s\" named by the manifest is missing",
                        m->binary), -1;
    return 0;
}

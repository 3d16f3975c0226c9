/*
 * Inside the trust library: version text that is not NUL-terminated (the
 * high-water-mark file's lines). Same rules as ae_bundle_version_parse.
 */
#ifndef AE_TRUST_VERSION_H
#define AE_TRUST_VERSION_H

#include <stddef.h>
#include <stdint.h>

int ae_bundle_version_parse_n(const char *s, size_t n, uint64_t *out);

#endif

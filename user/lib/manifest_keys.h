/*
 * Inside the manifest parser: the table of keys and their value parsers
 * (manifest_keys.c). manifest.c splits lines into key and value and looks
 * the key up here; this file knows what each value may be.
 */
#ifndef USER_LIB_MANIFEST_KEYS_H
#define USER_LIB_MANIFEST_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manifest.h"

/* A piece of the manifest text (not NUL-terminated). */
struct mf_text {
    const char *p;
    size_t n;
};

struct mf_key;

/* Parses value v of key k into m: 0, or -1 with the reason in why. */
typedef int (*mf_parse_fn)(const struct mf_key *k, struct mf_text v, struct manifest *m,
                           char *why, size_t whylen);

struct mf_key {
    const char *name;
    bool required;
    mf_parse_fn parse;
    /* Integer keys: value lo..hi written with suffix, stored times scale in
     * the uint32_t at offset field of struct manifest; dflt when absent. */
    uint32_t lo, hi, scale, dflt;
    const char *suffix;
    size_t field;
};

#define MF_NKEYS 21             /* checked against the table */
extern const struct mf_key mf_keys[];

/* The table's key named t, or NULL. */
const struct mf_key *mf_key_find(struct mf_text t);

/* Sets every optional field of m to its default. */
void mf_defaults(struct manifest *m);

/* Copies t into dst for an error message: at most 32 bytes of it, each
 * byte outside printable ASCII (or a quote) as '?', "..." when cut. */
void mf_quote(char *dst, size_t dstlen, struct mf_text t);

#endif

/*
 * A growable byte buffer with a hard size limit, and the JSON pieces built
 * on it. Failure (out of memory, over the limit) is sticky: writers carry
 * on and the caller checks sb.failed once at the end.
 */
#ifndef SCOPE_BUF_H
#define SCOPE_BUF_H

#include <stddef.h>
#include <stdint.h>

#define SB_DEFAULT_LIMIT (16u << 20)

struct sb {
    char *p;
    size_t len, cap, limit;     /* limit 0: SB_DEFAULT_LIMIT */
    int failed;
};

void sb_free(struct sb *b);
void sb_reset(struct sb *b);    /* empties it, keeps the memory */
void sb_put(struct sb *b, const void *data, size_t n);
void sb_puts(struct sb *b, const char *s);
void sb_printf(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* JSON: a string with quotes and escapes (bytes >= 0x80 as \u00XX, so the
 * output is ASCII whatever the input), and numbers that are always valid
 * JSON (no NaN or infinity). */
void jw_str(struct sb *b, const char *s);
void jw_escape(struct sb *b, const char *s);    /* the inside of jw_str's quotes */
void jw_key(struct sb *b, const char *key);     /* "key": */
void jw_u64(struct sb *b, uint64_t v);
void jw_double(struct sb *b, double v, int decimals);

#endif

/*
 * Freestanding formatted output (the kernel's printf family). Pure: no
 * locks, no I/O, so the same file is unit-tested on the host against glibc.
 *
 * Supported conversions: %d %i %u %x %X %o %c %s %p %%, with flags '-' '0'
 * '+' ' ' '#', a field width and precision (decimal or '*'), and length
 * modifiers hh h l ll z t j (and L, read as long long like ll). Floating
 * point is not supported (the kernel has no FPU state); an unknown
 * conversion is copied to the output as-is.
 * %p prints 0x followed by 16 lowercase hex digits (NULL included; only the
 * width and '-' apply). A NULL %s prints "(null)", or nothing when the
 * precision is below 6, as glibc does. An unknown or unterminated directive
 * is copied from its '%' as written.
 *
 * The C library (user/libc) runs the same engine with struct ae_fmt_opts:
 * C-style %p and %n, and a hook for the conversions the core lacks
 * (floating point, which the kernel cannot touch).
 */
#ifndef COMMON_FMT_H
#define COMMON_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* A parsed directive, as the core and an ae_fmt_opts hook see it. */
enum {
    AE_FMT_LEFT  = 1u << 0, /* '-' */
    AE_FMT_ZERO  = 1u << 1, /* '0' */
    AE_FMT_PLUS  = 1u << 2, /* '+' */
    AE_FMT_SPACE = 1u << 3, /* ' ' */
    AE_FMT_ALT   = 1u << 4, /* '#' */
};

/* AE_LEN_BIG_L is 'L': long double for the hook; the core reads an integer
 * with it as long long, as glibc does. */
enum ae_fmt_length {
    AE_LEN_NONE, AE_LEN_HH, AE_LEN_H, AE_LEN_L, AE_LEN_LL, AE_LEN_Z, AE_LEN_T,
    AE_LEN_J, AE_LEN_BIG_L,
};

struct ae_fmt_spec {
    unsigned flags;             /* AE_FMT_* */
    int width;                  /* 0 when absent */
    int prec;                   /* -1 when absent */
    enum ae_fmt_length len;
    char conv;                  /* the conversion character */
};

typedef void (*ae_emit_fn)(char ch, void *ctx);

struct ae_fmt_opts;

/* Where the characters go: emit(ch, ctx) each, counted. */
struct ae_fmt_out {
    ae_emit_fn emit;
    void *ctx;
    size_t count;               /* size_t so a huge output cannot overflow mid-way */
    const struct ae_fmt_opts *opts;     /* never NULL */
};
void ae_fmt_put(struct ae_fmt_out *o, char c);
void ae_fmt_fill(struct ae_fmt_out *o, char c, long n);     /* n copies of c */

/* What a hook returns. */
#define AE_FMT_DONE      0      /* converted (written through ae_fmt_put) */
#define AE_FMT_NOT_MINE (-1)    /* the core converts it (or copies it if unknown) */
#define AE_FMT_LITERAL  (-2)    /* argument consumed; copy the directive as written */

struct ae_fmt_opts {
    unsigned flags;             /* AE_FMTO_* */
    /* Called for every directive before the core looks at it; *ap is the
     * argument list (va_arg(*ap, T) consumes one). NULL: no hook. */
    int (*conv)(struct ae_fmt_out *out, const struct ae_fmt_spec *s, va_list *ap);
};
/* %p as C libraries print it: "(nil)" for NULL (width and '-' apply),
 * otherwise like %#lx with every flag, '+' and ' ' included (glibc). */
#define AE_FMTO_C_POINTER 1u
/* %n consumes its pointer and writes and prints nothing: a format string
 * must never be able to write memory. */
#define AE_FMTO_SKIP_N    2u

/* Like C99 vsnprintf: writes at most size-1 chars plus a NUL (if size > 0)
 * and returns the length the full output would have had. */
int ae_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int ae_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Streaming form: every produced character goes to emit(ch, ctx); returns
 * the number of characters produced. Used by the console without a buffer. */
int ae_vformat(ae_emit_fn emit, void *ctx, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* The same two with options (opts may be NULL: the kernel's behaviour). */
int ae_vformat_opts(const struct ae_fmt_opts *opts, ae_emit_fn emit, void *ctx,
                    const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
int ae_vsnprintf_opts(const struct ae_fmt_opts *opts, char *buf, size_t size,
                      const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

/* Hex dump helper: "OFFSET: xx xx ... |ascii|" lines of 16 bytes, each
 * ending in '\n'. OFFSET counts from data (8 hex digits, more past 4 GiB);
 * a short last line is padded so its ascii column lines up. */
void ae_hexdump(ae_emit_fn emit, void *ctx, const void *data, size_t len);

#endif

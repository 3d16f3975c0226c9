/*
 * The kernel's printf engine. One formatter (ae_vformat) drives a per-char
 * callback, so the console can print without a buffer and snprintf is just
 * a callback that fills one. Integer output follows glibc byte for byte
 * (the host unit tests check that); %p and unknown conversions are ours.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/fmt.h"
#include "common/string.h"

/* %zd and %tu borrow the other type of the same width: the freestanding
 * headers have no ssize_t, and the va_arg type must match the size. */
_Static_assert(sizeof(size_t) == sizeof(ptrdiff_t), "size_t/ptrdiff_t width");
_Static_assert(sizeof(uintmax_t) == sizeof(uint64_t), "intmax_t is 64 bits");

#define INT_MAX_ ((int)(~0u >> 1))

void ae_fmt_put(struct ae_fmt_out *o, char c)
{
    o->emit(c, o->ctx);
    o->count++;
}

void ae_fmt_fill(struct ae_fmt_out *o, char c, long n)
{
    for (; n > 0; n--)
        ae_fmt_put(o, c);
}

static void put_str(struct ae_fmt_out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ae_fmt_put(o, s[i]);
}

/* ---- parsing ---------------------------------------------------------- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Saturates rather than overflowing: an absurd width in a format string
 * must not be undefined behaviour in the kernel. */
static int parse_num(const char **p)
{
    int v = 0;

    for (; is_digit(**p); (*p)++) {
        int d = **p - '0';
        v = (v > (INT_MAX_ - d) / 10) ? INT_MAX_ : v * 10 + d;
    }
    return v;
}

static unsigned parse_flags(const char **p)
{
    unsigned flags = 0;

    for (;; (*p)++) {
        switch (**p) {
        case '-': flags |= AE_FMT_LEFT; break;
        case '0': flags |= AE_FMT_ZERO; break;
        case '+': flags |= AE_FMT_PLUS; break;
        case ' ': flags |= AE_FMT_SPACE; break;
        case '#': flags |= AE_FMT_ALT; break;
        default: return flags;
        }
    }
}

/* A negative '*' width means '-' plus its magnitude (C says so); INT_MIN
 * has no magnitude in int, so it saturates. */
static void parse_width(const char **p, struct ae_fmt_spec *s, va_list *ap)
{
    if (**p != '*') {
        s->width = parse_num(p);
        return;
    }
    (*p)++;
    int w = va_arg(*ap, int);
    if (w < 0) {
        s->flags |= AE_FMT_LEFT;
        w = (w == -INT_MAX_ - 1) ? INT_MAX_ : -w;
    }
    s->width = w;
}

/* A negative '*' precision counts as no precision at all. */
static void parse_prec(const char **p, struct ae_fmt_spec *s, va_list *ap)
{
    s->prec = -1;
    if (**p != '.')
        return;
    (*p)++;
    if (**p == '*') {
        (*p)++;
        int v = va_arg(*ap, int);
        s->prec = v < 0 ? -1 : v;
    } else {
        s->prec = parse_num(p);
    }
}

static enum ae_fmt_length parse_len(const char **p)
{
    switch (**p) {
    case 'h':
        (*p)++;
        if (**p == 'h') {
            (*p)++;
            return AE_LEN_HH;
        }
        return AE_LEN_H;
    case 'l':
        (*p)++;
        if (**p == 'l') {
            (*p)++;
            return AE_LEN_LL;
        }
        return AE_LEN_L;
    case 'z': (*p)++; return AE_LEN_Z;
    case 't': (*p)++; return AE_LEN_T;
    case 'j': (*p)++; return AE_LEN_J;
    case 'L': (*p)++; return AE_LEN_BIG_L;
    default: return AE_LEN_NONE;
    }
}

/* ---- argument fetching ------------------------------------------------ */

/* Narrow types arrive promoted to int, so hh/h truncate after fetching. */
static int64_t fetch_signed(enum ae_fmt_length len, va_list *ap)
{
    switch (len) {
    case AE_LEN_HH: return (signed char)va_arg(*ap, int);
    case AE_LEN_H:  return (short)va_arg(*ap, int);
    case AE_LEN_L:  return va_arg(*ap, long);
    case AE_LEN_LL:
    case AE_LEN_BIG_L: return va_arg(*ap, long long);
    case AE_LEN_Z:  return va_arg(*ap, ptrdiff_t);
    case AE_LEN_T:  return va_arg(*ap, ptrdiff_t);
    case AE_LEN_J:  return va_arg(*ap, intmax_t);
    default:     return va_arg(*ap, int);
    }
}

static uint64_t fetch_unsigned(enum ae_fmt_length len, va_list *ap)
{
    switch (len) {
    case AE_LEN_HH: return (unsigned char)va_arg(*ap, unsigned int);
    case AE_LEN_H:  return (unsigned short)va_arg(*ap, unsigned int);
    case AE_LEN_L:  return va_arg(*ap, unsigned long);
    case AE_LEN_LL:
    case AE_LEN_BIG_L: return va_arg(*ap, unsigned long long);
    case AE_LEN_Z:  return va_arg(*ap, size_t);
    case AE_LEN_T:  return va_arg(*ap, size_t);
    case AE_LEN_J:  return va_arg(*ap, uintmax_t);
    default:     return va_arg(*ap, unsigned int);
    }
}

/* ---- conversions ------------------------------------------------------ */

/* Writes the digits of v right-aligned ending at end; returns the start.
 * A 64-bit value has at most 22 octal digits. */
static char *to_digits(char *end, uint64_t v, unsigned base, bool upper)
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;

    do {
        *--p = set[v % base];
        v /= base;
    } while (v != 0);
    return p;
}

/* Layout shared by every integer: [spaces][prefix][zeros][digits][spaces].
 * Zero fill from the '0' flag only applies without a precision, as in C. */
static void emit_number(struct ae_fmt_out *o, const struct ae_fmt_spec *s, const char *prefix,
                        const char *digits, int ndigits)
{
    int plen = (int)strlen(prefix);
    int zeros = s->prec > ndigits ? s->prec - ndigits : 0;
    int body = plen + zeros + ndigits;
    int pad = s->width > body ? s->width - body : 0;

    if (!(s->flags & AE_FMT_LEFT) && (s->flags & AE_FMT_ZERO) && s->prec < 0) {
        zeros += pad;
        pad = 0;
    }
    if (!(s->flags & AE_FMT_LEFT))
        ae_fmt_fill(o, ' ', pad);
    put_str(o, prefix, (size_t)plen);
    ae_fmt_fill(o, '0', zeros);
    put_str(o, digits, (size_t)ndigits);
    if (s->flags & AE_FMT_LEFT)
        ae_fmt_fill(o, ' ', pad);
}

/* The sign a signed conversion shows for a non-negative value, if any. */
static const char *plus_sign(const struct ae_fmt_spec *s)
{
    return (s->flags & AE_FMT_PLUS) ? "+" : (s->flags & AE_FMT_SPACE) ? " " : "";
}

/* Lays out magnitude mag in conv's base ('d' 'u' 'o' 'x' 'X') after sign. */
static void emit_int(struct ae_fmt_out *o, const struct ae_fmt_spec *s, char conv,
                     const char *sign, uint64_t mag)
{
    char buf[24], prefix[4];
    char *end = buf + sizeof(buf);
    unsigned base = conv == 'o' ? 8 : (conv == 'x' || conv == 'X') ? 16 : 10;
    size_t plen = strlen(sign);

    memcpy(prefix, sign, plen);
    if ((s->flags & AE_FMT_ALT) && base == 16 && mag != 0) {
        prefix[plen++] = '0';
        prefix[plen++] = conv;
    }

    /* C: precision 0 and value 0 give no digits at all. */
    char *start = end;
    if (!(mag == 0 && s->prec == 0))
        start = to_digits(end, mag, base, conv == 'X');
    int nd = (int)(end - start);

    /* '#' with octal wants a leading zero; unless the precision already
     * gives one, it goes in the prefix, ahead of any '0'-flag fill (so
     * "%#.0o" of 0 is "0" and "%#05o" of 8 is "00010"). */
    if ((s->flags & AE_FMT_ALT) && base == 8 && s->prec <= nd
        && (nd == 0 || *start != '0'))
        prefix[plen++] = '0';
    prefix[plen] = '\0';

    emit_number(o, s, prefix, start, nd);
}

static void conv_int(struct ae_fmt_out *o, const struct ae_fmt_spec *s, char conv,
                     va_list *ap)
{
    if (conv == 'd' || conv == 'i') {
        int64_t v = fetch_signed(s->len, ap);
        /* Negate in unsigned arithmetic so INT64_MIN is not UB. */
        uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
        emit_int(o, s, 'd', v < 0 ? "-" : plus_sign(s), mag);
    } else {
        emit_int(o, s, conv, "", fetch_unsigned(s->len, ap));
    }
}

/* Width only: C leaves '0' undefined for %c/%s and glibc pads with spaces. */
static void emit_padded(struct ae_fmt_out *o, const struct ae_fmt_spec *s, const char *str,
                        size_t n)
{
    int pad = (size_t)s->width > n ? s->width - (int)n : 0;

    if (!(s->flags & AE_FMT_LEFT))
        ae_fmt_fill(o, ' ', pad);
    put_str(o, str, n);
    if (s->flags & AE_FMT_LEFT)
        ae_fmt_fill(o, ' ', pad);
}

/* A NULL string shows as "(null)", or as nothing if the precision cannot
 * hold all of it: a clipped "(nu" would look like real data (glibc does
 * the same). */
static void conv_str(struct ae_fmt_out *o, const struct ae_fmt_spec *s, va_list *ap)
{
    const char *str = va_arg(*ap, const char *);
    size_t n;

    if (str == NULL) {
        str = "(null)";
        n = (s->prec >= 0 && s->prec < 6) ? 0 : 6;
    } else {
        n = s->prec >= 0 ? strnlen(str, (size_t)s->prec) : strlen(str);
    }
    emit_padded(o, s, str, n);
}

static void conv_char(struct ae_fmt_out *o, const struct ae_fmt_spec *s, va_list *ap)
{
    char c = (char)va_arg(*ap, int);

    emit_padded(o, s, &c, 1);
}

/* Fixed width so pointers line up in dumps, NULL included; only the field
 * width and '-' apply. With AE_FMTO_C_POINTER: glibc's form instead. */
static void conv_ptr(struct ae_fmt_out *o, const struct ae_fmt_spec *s, va_list *ap)
{
    char buf[18];
    uintptr_t v = (uintptr_t)va_arg(*ap, void *);

    if (o->opts->flags & AE_FMTO_C_POINTER) {
        struct ae_fmt_spec hex = *s;
        hex.flags |= AE_FMT_ALT;
        if (v == 0)
            emit_padded(o, s, "(nil)", 5);
        else
            emit_int(o, &hex, 'x', plus_sign(s), v);
        return;
    }

    buf[0] = '0';
    buf[1] = 'x';
    for (int i = 17; i >= 2; i--, v >>= 4)
        buf[i] = "0123456789abcdef"[v & 0xf];
    emit_padded(o, s, buf, sizeof(buf));
}

/* Handles the directive starting just after '%'. Returns the position after
 * it. A directive that is unknown or cut off by the end of the format is
 * copied literally from its '%', so a bad format string stays visible. */
static const char *directive(struct ae_fmt_out *o, const char *pct, va_list *ap)
{
    const char *p = pct + 1;
    struct ae_fmt_spec s;

    s.flags = parse_flags(&p);
    parse_width(&p, &s, ap);
    parse_prec(&p, &s, ap);
    s.len = parse_len(&p);
    s.conv = *p;

    if (o->opts->conv && *p != '\0') {
        int r = o->opts->conv(o, &s, ap);
        if (r == AE_FMT_DONE)
            return p + 1;
        if (r == AE_FMT_LITERAL) {
            put_str(o, pct, (size_t)(p - pct + 1));
            return p + 1;
        }
    }

    switch (*p) {
    case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
        conv_int(o, &s, *p, ap);
        break;
    case 'c': conv_char(o, &s, ap); break;
    case 's': conv_str(o, &s, ap); break;
    case 'p': conv_ptr(o, &s, ap); break;
    case '%': ae_fmt_put(o, '%'); break;
    case 'n':
        if (!(o->opts->flags & AE_FMTO_SKIP_N))
            goto unknown;
        (void)va_arg(*ap, void *);
        break;
    case '\0':
        put_str(o, pct, (size_t)(p - pct));
        return p;
    default:
    unknown:
        put_str(o, pct, (size_t)(p - pct + 1));
        break;
    }
    return p + 1;
}

int ae_vformat_opts(const struct ae_fmt_opts *opts, ae_emit_fn emit, void *ctx,
                    const char *fmt, va_list ap)
{
    static const struct ae_fmt_opts kernel_style;
    struct ae_fmt_out o = { .emit = emit, .ctx = ctx, .count = 0,
                     .opts = opts ? opts : &kernel_style };
    va_list args;

    /* A va_list parameter is an array that decayed to a pointer on x86_64,
     * so &ap would have the wrong type for the helpers; copy it instead. */
    va_copy(args, ap);
    while (*fmt != '\0') {
        if (*fmt == '%')
            fmt = directive(&o, fmt, &args);
        else
            ae_fmt_put(&o, *fmt++);
    }
    va_end(args);
    return o.count > (size_t)INT_MAX_ ? INT_MAX_ : (int)o.count;
}

int ae_vformat(ae_emit_fn emit, void *ctx, const char *fmt, va_list ap)
{
    return ae_vformat_opts(NULL, emit, ctx, fmt, ap);
}

/* ---- buffer front end ------------------------------------------------- */

struct sink {
    char *buf;
    size_t size;
    size_t pos;
};

/* Keeps counting past the end so the caller learns the full length. */
static void sink_emit(char ch, void *ctx)
{
    struct sink *k = ctx;

    if (k->pos + 1 < k->size)
        k->buf[k->pos] = ch;
    k->pos++;
}

int ae_vsnprintf_opts(const struct ae_fmt_opts *opts, char *buf, size_t size,
                      const char *fmt, va_list ap)
{
    struct sink k = { .buf = buf, .size = size, .pos = 0 };
    int n = ae_vformat_opts(opts, sink_emit, &k, fmt, ap);

    if (size > 0)
        buf[k.pos < size ? k.pos : size - 1] = '\0';
    return n;
}

int ae_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    return ae_vsnprintf_opts(NULL, buf, size, fmt, ap);
}

int ae_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = ae_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* ---- hex dump --------------------------------------------------------- */

static void emit_hex(ae_emit_fn emit, void *ctx, uint64_t v, int digits)
{
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
        emit("0123456789abcdef"[(v >> shift) & 0xf], ctx);
}

static void hexdump_line(ae_emit_fn emit, void *ctx, const uint8_t *p,
                         size_t off, size_t n)
{
    /* Offsets past 4 GiB grow the column rather than wrapping. */
    int digits = 8;
    while (digits < 16 && (off >> (digits * 4)) != 0)
        digits++;
    emit_hex(emit, ctx, off, digits);
    emit(':', ctx);
    emit(' ', ctx);
    for (size_t i = 0; i < 16; i++) {
        if (i < n) {
            emit_hex(emit, ctx, p[i], 2);
        } else {
            emit(' ', ctx);
            emit(' ', ctx);
        }
        emit(' ', ctx);
    }
    emit('|', ctx);
    for (size_t i = 0; i < n; i++)
        emit(p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.', ctx);
    emit('|', ctx);
    emit('\n', ctx);
}

void ae_hexdump(ae_emit_fn emit, void *ctx, const void *data, size_t len)
{
    const uint8_t *bytes = data;

    for (size_t off = 0; off < len; off += 16) {
        size_t n = len - off < 16 ? len - off : 16;
        hexdump_line(emit, ctx, bytes + off, off, n);
    }
}

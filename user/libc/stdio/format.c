/*
 * The C library's printf dialect on the shared engine (common/fmt.c):
 * C-style %p, %n refused, floating point from float.c; %a and wide
 * characters are not supported, so they consume their argument (the ones
 * after stay right) and print as written.
 */
#include <stdint.h>
#include <string.h>

#include "../internal.h"

static void decompose_double(double v, struct libc_fp *f)
{
    uint64_t bits, frac;
    unsigned e;

    memcpy(&bits, &v, sizeof(bits));
    f->neg = (int)(bits >> 63);
    e = (unsigned)(bits >> 52) & 0x7ff;
    frac = bits & ((1ull << 52) - 1);
    f->kind = e != 0x7ff ? LIBC_FP_FINITE : frac ? LIBC_FP_NAN : LIBC_FP_INF;
    f->mant = e ? frac | (1ull << 52) : frac;
    f->exp2 = e ? (int)e - 1075 : -1074;
}

/* x87 extended: 64-bit significand with an explicit integer bit, 15-bit
 * exponent, sign. */
static void decompose_long_double(long double v, struct libc_fp *f)
{
    struct {
        uint64_t mant;
        uint16_t sign_exp;
    } x;
    unsigned e;

    memcpy(&x, &v, 10);
    f->neg = x.sign_exp >> 15;
    e = x.sign_exp & 0x7fff;
    f->kind = e != 0x7fff ? LIBC_FP_FINITE : (x.mant << 1) ? LIBC_FP_NAN : LIBC_FP_INF;
    f->mant = x.mant;
    f->exp2 = e ? (int)e - 16383 - 63 : 1 - 16383 - 63;
}

static int libc_conv(struct ae_fmt_out *out, const struct ae_fmt_spec *s, va_list *ap)
{
    struct libc_fp v;

    switch (s->conv) {
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G':
        if (s->len == AE_LEN_BIG_L)
            decompose_long_double(va_arg(*ap, long double), &v);
        else
            decompose_double(va_arg(*ap, double), &v);
        libc_format_fp(out, s, &v);
        return AE_FMT_DONE;
    case 'a': case 'A':
        if (s->len == AE_LEN_BIG_L)
            (void)va_arg(*ap, long double);
        else
            (void)va_arg(*ap, double);
        return AE_FMT_LITERAL;
    case 'c':
        if (s->len != AE_LEN_L)
            return AE_FMT_NOT_MINE;
        (void)va_arg(*ap, unsigned int);       /* wint_t */
        return AE_FMT_LITERAL;
    case 's':
        if (s->len != AE_LEN_L)
            return AE_FMT_NOT_MINE;
        (void)va_arg(*ap, void *);
        return AE_FMT_LITERAL;
    default:
        return AE_FMT_NOT_MINE;
    }
}

const struct ae_fmt_opts libc_fmt_opts = {
    .flags = AE_FMTO_C_POINTER | AE_FMTO_SKIP_N,
    .conv = libc_conv,
};

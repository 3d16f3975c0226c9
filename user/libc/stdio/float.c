/*
 * printf's %f %F %e %E %g %G with exact digits. The value mant * 2^exp2 is
 * expanded in decimal exactly (big integers in 32-bit words) and rounded to
 * nearest, ties to even: what glibc prints in the default rounding mode.
 * Each conversion runs the digit generator twice, first to settle the
 * rounding (and so the length the field width needs), then to print.
 * Stack: about 4.5 KiB, for the 4933 integer digits of the largest long
 * double.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "../internal.h"

#define GROUP 1000000000u       /* digits come in groups of 9 */
#define GROUP_DIGITS 9
#define BIG_WORDS 520           /* a long double's 16384 integer or 16445 fraction bits */
#define MAX_GROUPS 560          /* 9-digit groups of 4933 integer digits */

/* The exact decimal digits of a value, most significant (non-zero) first,
 * then zeros forever. */
struct digits {
    int exp10;                      /* the first digit's power of ten */
    uint32_t groups[MAX_GROUPS];    /* integer part, least significant first */
    int gi;                         /* the group in buf; those below are next */
    uint32_t num[BIG_WORDS];        /* fraction = num / 2^sh, words [lo, nw) */
    int lo, nw, sh;                 /* nw 0: no fraction left */
    bool in_frac;
    unsigned char buf[GROUP_DIGITS];
    int bpos, blen;
};

static void load_group(struct digits *g, uint32_t v, bool pad)
{
    unsigned char rev[GROUP_DIGITS];
    int n = 0;

    do {
        rev[n++] = (unsigned char)(v % 10);
        v /= 10;
    } while (v);
    while (pad && n < GROUP_DIGITS)
        rev[n++] = 0;
    for (int i = 0; i < n; i++)
        g->buf[i] = rev[n - 1 - i];
    g->bpos = 0;
    g->blen = n;
}

/* The next 9 fraction digits: multiply by 10^9, take the bits above sh. */
static void frac_refill(struct digits *g)
{
    uint32_t v = 0;

    if (g->nw) {
        int wi = g->sh / 32, bi = g->sh % 32;
        uint64_t carry = 0;
        for (int i = g->lo; i < g->nw; i++) {
            uint64_t t = (uint64_t)g->num[i] * GROUP + carry;
            g->num[i] = (uint32_t)t;
            carry = t >> 32;
        }
        v = (uint32_t)((((uint64_t)g->num[wi + 1] << 32) | g->num[wi]) >> bi);
        g->num[wi] &= (uint32_t)((1ull << bi) - 1);
        g->num[wi + 1] = 0;
        while (g->lo <= wi && g->num[g->lo] == 0)
            g->lo++;                /* low words only ever become zero */
        if (g->lo > wi)
            g->nw = 0;
    }
    load_group(g, v, true);
}

/* mant << exp2 in num, then divided down into groups; returns how many. */
static int big_int_groups(struct digits *g, uint64_t mant, int exp2)
{
    int q = exp2 / 32, r = exp2 % 32, n = q + 3, ng = 0;
    uint64_t low = mant << r, high = r ? mant >> (64 - r) : 0;

    memset(g->num, 0, sizeof(g->num[0]) * (size_t)n);
    g->num[q] = (uint32_t)low;
    g->num[q + 1] = (uint32_t)(low >> 32);
    g->num[q + 2] = (uint32_t)high;
    while (n > 0 && g->num[n - 1] == 0)
        n--;
    while (n > 0) {
        uint64_t rem = 0;
        for (int i = n - 1; i >= 0; i--) {
            uint64_t cur = (rem << 32) | g->num[i];
            g->num[i] = (uint32_t)(cur / GROUP);
            rem = cur % GROUP;
        }
        g->groups[ng++] = (uint32_t)rem;
        while (n > 0 && g->num[n - 1] == 0)
            n--;
    }
    return ng;
}

static void gen_init(struct digits *g, uint64_t mant, int exp2)
{
    int ng = 0;

    g->nw = g->lo = 0;
    g->in_frac = false;
    if (mant == 0) {
        g->exp10 = 0;
        g->in_frac = true;
        g->bpos = g->blen = 0;
        return;
    }
    if (exp2 >= 0) {
        ng = big_int_groups(g, mant, exp2);
    } else {
        int sh = -exp2;
        uint64_t ip = sh < 64 ? mant >> sh : 0;
        uint64_t fr = sh < 64 ? mant & ((1ull << sh) - 1) : mant;
        for (; ip; ip /= GROUP)
            g->groups[ng++] = (uint32_t)(ip % GROUP);
        if (fr) {
            g->sh = sh;
            g->nw = sh / 32 + 2;
            memset(g->num, 0, sizeof(g->num[0]) * (size_t)g->nw);
            g->num[0] = (uint32_t)fr;
            g->num[1] = (uint32_t)(fr >> 32);
        }
    }
    if (ng) {
        g->gi = ng - 1;
        load_group(g, g->groups[ng - 1], false);
        g->exp10 = g->blen - 1 + GROUP_DIGITS * (ng - 1);
        return;
    }
    /* Below one: skip the zeros after the point. */
    g->in_frac = true;
    g->exp10 = -1;
    for (;;) {
        frac_refill(g);
        while (g->bpos < g->blen && g->buf[g->bpos] == 0) {
            g->bpos++;
            g->exp10--;
        }
        if (g->bpos < g->blen)
            return;
    }
}

static int gen_next(struct digits *g)
{
    if (g->bpos == g->blen) {
        if (!g->in_frac && g->gi > 0) {
            g->gi--;
            load_group(g, g->groups[g->gi], true);
        } else {
            g->in_frac = true;
            frac_refill(g);
        }
    }
    return g->buf[g->bpos++];
}

/* Whether any digit after the last one returned is non-zero. */
static bool gen_rest_nonzero(const struct digits *g)
{
    for (int i = g->bpos; i < g->blen; i++)
        if (g->buf[i])
            return true;
    if (!g->in_frac)
        for (int i = g->gi - 1; i >= 0; i--)
            if (g->groups[i])
                return true;
    return g->nw != 0;
}

/* ---- rounding ----------------------------------------------------------- */

/* The digits kept, rounded: KEEP as generated; BUMP: digit bump_at plus
 * one, zeros after it; CARRY: every kept digit was 9, so "1" then zeros,
 * one power of ten up. */
enum { KEEP, BUMP, CARRY };

struct rounded {
    int exp10;                      /* after a carry */
    long keep;                      /* significant digits kept (may be <= 0) */
    int mode;
    long bump_at;
    long last_nz;                   /* last non-zero digit kept, -1: none */
};

/* Rounds v to prec digits after the point (fixed) or prec + 1 significant
 * digits (exponential). */
static void round_to(struct rounded *r, struct digits *g, const struct libc_fp *v, bool fixed,
                     long prec)
{
    long last_non9 = -1, last_nz = -1;
    bool up = false;
    int d = 0;

    gen_init(g, v->mant, v->exp2);
    r->exp10 = g->exp10;
    r->keep = fixed ? g->exp10 + 1 + prec : prec + 1;
    for (long i = 0; i < r->keep; i++) {
        d = gen_next(g);
        if (d != 9)
            last_non9 = i;
        if (d)
            last_nz = i;
    }
    if (r->keep >= 0 && v->mant) {
        int next = gen_next(g);
        bool odd = r->keep > 0 && (d & 1);
        up = next > 5 || (next == 5 && (odd || gen_rest_nonzero(g)));
    }
    r->mode = !up ? KEEP : last_non9 >= 0 ? BUMP : CARRY;
    r->bump_at = last_non9;
    r->last_nz = !up ? last_nz : last_non9 >= 0 ? last_non9 : 0;
    if (r->mode == CARRY)
        r->exp10++;
}

/* Reads the rounded digits in order (the generator restarted first). */
struct cursor {
    struct digits *g;
    const struct rounded *r;
    long i;
};

static int next_digit(struct cursor *c)
{
    long i = c->i++;

    switch (c->r->mode) {
    case CARRY:
        return i == 0;
    case BUMP:
        if (i > c->r->bump_at)
            return 0;
        return gen_next(c->g) + (i == c->r->bump_at);
    default:
        return i < c->r->keep ? gen_next(c->g) : 0;
    }
}

/* ---- layout ------------------------------------------------------------- */

static long pad_of(const struct ae_fmt_spec *s, char sign, long body)
{
    long len = body + (sign != 0);

    return s->width > len ? s->width - len : 0;
}

/* Spaces (unless '-' or zero fill), the sign, zeros for '0' fill. */
static void begin_field(struct ae_fmt_out *e, const struct ae_fmt_spec *s, char sign, long body,
                        bool zero_fill_ok)
{
    long pad = pad_of(s, sign, body);
    bool left = s->flags & AE_FMT_LEFT;
    bool zeros = !left && zero_fill_ok && (s->flags & AE_FMT_ZERO);

    if (!left && !zeros)
        ae_fmt_fill(e, ' ', pad);
    if (sign)
        ae_fmt_put(e, sign);
    if (zeros)
        ae_fmt_fill(e, '0', pad);
}

static void end_field(struct ae_fmt_out *e, const struct ae_fmt_spec *s, char sign, long body)
{
    if (s->flags & AE_FMT_LEFT)
        ae_fmt_fill(e, ' ', pad_of(s, sign, body));
}

static void emit_fixed(struct ae_fmt_out *e, const struct ae_fmt_spec *s, char sign,
                       struct digits *g, const struct libc_fp *v, const struct rounded *r,
                       long frac)
{
    bool point = frac > 0 || (s->flags & AE_FMT_ALT);
    long body = (r->exp10 >= 0 ? r->exp10 + 1 : 1) + point + frac;
    struct cursor c = {g, r, 0};

    gen_init(g, v->mant, v->exp2);
    begin_field(e, s, sign, body, true);
    if (r->exp10 >= 0)
        for (long i = 0; i <= r->exp10; i++)
            ae_fmt_put(e, (char)('0' + next_digit(&c)));
    else
        ae_fmt_put(e, '0');
    if (point)
        ae_fmt_put(e, '.');
    for (long j = 1; j <= frac; j++)
        ae_fmt_put(e, r->exp10 + j < 0 ? '0' : (char)('0' + next_digit(&c)));
    end_field(e, s, sign, body);
}

static void emit_exp(struct ae_fmt_out *e, const struct ae_fmt_spec *s, char sign,
                     struct digits *g, const struct libc_fp *v, const struct rounded *r,
                     long frac, bool upper)
{
    bool point = frac > 0 || (s->flags & AE_FMT_ALT);
    unsigned ax = r->exp10 < 0 ? (unsigned)-r->exp10 : (unsigned)r->exp10;
    int xdigits = ax >= 1000 ? 4 : ax >= 100 ? 3 : 2;
    long body = 1 + point + frac + 2 + xdigits;
    struct cursor c = {g, r, 0};
    char x[4];

    gen_init(g, v->mant, v->exp2);
    begin_field(e, s, sign, body, true);
    ae_fmt_put(e, (char)('0' + next_digit(&c)));
    if (point)
        ae_fmt_put(e, '.');
    for (long j = 1; j <= frac; j++)
        ae_fmt_put(e, (char)('0' + next_digit(&c)));
    ae_fmt_put(e, upper ? 'E' : 'e');
    ae_fmt_put(e, r->exp10 < 0 ? '-' : '+');
    for (int i = xdigits - 1; i >= 0; i--, ax /= 10)
        x[i] = (char)('0' + ax % 10);
    for (int i = 0; i < xdigits; i++)
        ae_fmt_put(e, x[i]);
    end_field(e, s, sign, body);
}

static long clamp(long v, long lo, long hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* C's %g: the style by the exponent X the value has once rounded to P
 * significant digits; trailing zeros go unless '#'. */
static void emit_general(struct ae_fmt_out *e, const struct ae_fmt_spec *s, char sign,
                         struct digits *g, const struct libc_fp *v, long prec, bool upper)
{
    long p = prec == 0 ? 1 : prec, x;
    bool trim = !(s->flags & AE_FMT_ALT);
    struct rounded r;

    round_to(&r, g, v, false, p - 1);
    x = r.exp10;
    if (p > x && x >= -4) {
        round_to(&r, g, v, true, p - 1 - x);
        emit_fixed(e, s, sign, g, v, &r, trim ? clamp(r.last_nz - r.exp10, 0, p - 1 - x) : p - 1 - x);
    } else {
        emit_exp(e, s, sign, g, v, &r, trim ? clamp(r.last_nz, 0, p - 1) : p - 1, upper);
    }
}

void libc_format_fp(struct ae_fmt_out *e, const struct ae_fmt_spec *s,
                    const struct libc_fp *v)
{
    char sign = v->neg ? '-' : (s->flags & AE_FMT_PLUS) ? '+' : (s->flags & AE_FMT_SPACE) ? ' ' : 0;
    bool upper = s->conv == 'F' || s->conv == 'E' || s->conv == 'G';
    long prec = s->prec < 0 ? 6 : s->prec;
    struct digits g;
    struct rounded r;

    if (v->kind != LIBC_FP_FINITE) {
        const char *t = v->kind == LIBC_FP_INF ? (upper ? "INF" : "inf") : (upper ? "NAN" : "nan");
        begin_field(e, s, sign, 3, false);     /* glibc pads these with spaces */
        for (int i = 0; i < 3; i++)
            ae_fmt_put(e, t[i]);
        end_field(e, s, sign, 3);
    } else if (s->conv == 'f' || s->conv == 'F') {
        round_to(&r, &g, v, true, prec);
        emit_fixed(e, s, sign, &g, v, &r, prec);
    } else if (s->conv == 'e' || s->conv == 'E') {
        round_to(&r, &g, v, false, prec);
        emit_exp(e, s, sign, &g, v, &r, prec, upper);
    } else {
        emit_general(e, s, sign, &g, v, prec, upper);
    }
}

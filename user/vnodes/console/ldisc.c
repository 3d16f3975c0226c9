#include "ldisc.h"

#define CTRL_C 0x03
#define CTRL_U 0x15
#define BS 0x08
#define DEL 0x7f

void ldisc_init(struct ldisc *l)
{
    l->raw = 0;
    l->last_cr = 0;
    l->line_len = 0;
    l->head = l->count = 0;
    l->dropped = 0;
}

void ldisc_set_raw(struct ldisc *l, int raw)
{
    l->raw = raw != 0;
}

static int put(struct ldisc *l, uint8_t c)
{
    if (l->count == LDISC_RING) {
        l->dropped++;
        return 0;
    }
    l->ring[(l->head + l->count) % LDISC_RING] = c;
    l->count++;
    return 1;
}

/* A completed line moves whole or not at all: a reader never sees half. */
static void complete_line(struct ldisc *l)
{
    if (LDISC_RING - l->count < l->line_len + 1) {
        l->dropped += l->line_len + 1;
    } else {
        for (size_t i = 0; i < l->line_len; i++)
            put(l, (uint8_t)l->line[i]);
        put(l, '\n');
    }
    l->line_len = 0;
}

static size_t cooked(struct ldisc *l, uint8_t c, char *echo)
{
    size_t n = 0;

    switch (c) {
    case '\n':
        complete_line(l);
        echo[n++] = '\r';
        echo[n++] = '\n';
        break;
    case BS:
    case DEL:
        if (l->line_len) {
            l->line_len--;
            echo[n++] = '\b';
            echo[n++] = ' ';
            echo[n++] = '\b';
        }
        break;
    case CTRL_U:
    case CTRL_C:
        /* The line is gone; say so and start a fresh one on screen. */
        l->line_len = 0;
        echo[n++] = '^';
        echo[n++] = c == CTRL_C ? 'C' : 'U';
        echo[n++] = '\r';
        echo[n++] = '\n';
        break;
    default:
        if (c >= 0x20 && c < 0x7f) {
            if (l->line_len < LDISC_LINE_MAX - 1) {
                l->line[l->line_len++] = (char)c;
                echo[n++] = (char)c;
            } else {
                l->dropped++;
            }
        }
        /* Other control bytes and non-ASCII are ignored in cooked mode. */
        break;
    }
    return n;
}

size_t ldisc_input(struct ldisc *l, uint8_t c, char *echo)
{
    int was_cr = l->last_cr;

    l->last_cr = c == '\r';
    if (c == '\n' && was_cr)
        return 0;                   /* the LF of a CR LF pair */
    if (c == '\r')
        c = '\n';
    if (l->raw) {
        put(l, c);
        return 0;
    }
    return cooked(l, c, echo);
}

size_t ldisc_read(struct ldisc *l, void *dst, size_t max)
{
    uint8_t *d = dst;
    size_t n = max < l->count ? max : l->count;

    for (size_t i = 0; i < n; i++)
        d[i] = l->ring[(l->head + i) % LDISC_RING];
    l->head = (l->head + n) % LDISC_RING;
    l->count -= n;
    return n;
}

size_t ldisc_readable(const struct ldisc *l)
{
    return l->count;
}

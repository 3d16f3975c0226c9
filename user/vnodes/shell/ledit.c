#include "ledit.h"

#define CTRL(c) ((c) & 0x1f)
#define ESC 0x1b

static void out_byte(struct led_out *o, char c)
{
    if (o->len < o->cap)
        o->buf[o->len++] = c;
}

static void out_n(struct led_out *o, char c, size_t n)
{
    while (n--)
        out_byte(o, c);
}

static size_t slen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static void scopy(char *dst, const char *src)
{
    size_t i = 0;
    for (; src[i]; i++)
        dst[i] = src[i];
    dst[i] = 0;
}

void led_reset(struct led *e)
{
    e->line[0] = 0;
    e->len = e->cur = 0;
    e->esc = 0;
    e->browse = 0;
}

void led_init(struct led *e)
{
    led_reset(e);
    e->last_cr = 0;
    e->nhist = e->head = 0;
}

/* The screen shows old_len bytes with the cursor at old_cur; make it show
 * e->line with the cursor at e->cur, rewriting from the first change. */
static void redraw(struct led *e, size_t from, size_t old_len, size_t old_cur,
                   struct led_out *o)
{
    size_t end;

    out_n(o, '\b', old_cur > from ? old_cur - from : 0);
    for (size_t i = from; i < e->len; i++)
        out_byte(o, e->line[i]);
    end = e->len > from ? e->len : from;
    if (old_len > end) {
        out_n(o, ' ', old_len - end);
        end = old_len;
    }
    out_n(o, '\b', end - e->cur);
}

static void move_to(struct led *e, size_t to, struct led_out *o)
{
    if (to < e->cur) {
        out_n(o, '\b', e->cur - to);
    } else {
        for (size_t i = e->cur; i < to; i++)
            out_byte(o, e->line[i]);
    }
    e->cur = to;
}

static void replace_line(struct led *e, const char *s, struct led_out *o)
{
    size_t old_len = e->len, old_cur = e->cur;

    scopy(e->line, s);
    e->len = e->cur = slen(s);
    redraw(e, 0, old_len, old_cur, o);
}

static const char *hist_entry(const struct led *e, int k)
{
    int i = ((e->head - k) % LED_HISTORY + LED_HISTORY) % LED_HISTORY;
    return e->hist[i];
}

static void history_walk(struct led *e, int dir, struct led_out *o)
{
    int k = e->browse + dir;

    if (k < 0 || k > e->nhist)
        return;
    if (e->browse == 0)
        scopy(e->draft, e->line);
    e->browse = k;
    replace_line(e, k ? hist_entry(e, k) : e->draft, o);
}

static void history_add(struct led *e)
{
    int blank = 1;

    for (size_t i = 0; i < e->len; i++)
        if (e->line[i] != ' ' && e->line[i] != '\t')
            blank = 0;
    if (blank || (e->nhist && !__builtin_strcmp(hist_entry(e, 1), e->line)))
        return;
    scopy(e->hist[e->head], e->line);
    e->head = (e->head + 1) % LED_HISTORY;
    if (e->nhist < LED_HISTORY)
        e->nhist++;
}

static void insert(struct led *e, char c, struct led_out *o)
{
    size_t at = e->cur, old_len = e->len;

    if (e->len == LED_MAX)
        return;
    for (size_t i = e->len; i > at; i--)
        e->line[i] = e->line[i - 1];
    e->line[at] = c;
    e->line[++e->len] = 0;
    e->cur = at + 1;
    redraw(e, at, old_len, at, o);
}

static void erase_at(struct led *e, size_t at, struct led_out *o)
{
    size_t old_len = e->len, old_cur = e->cur;

    if (at >= e->len)
        return;
    for (size_t i = at; i < e->len; i++)
        e->line[i] = e->line[i + 1];
    e->len--;
    e->cur = at;
    redraw(e, at, old_len, old_cur, o);
}

static enum led_result escape(struct led *e, unsigned char c, struct led_out *o)
{
    if (e->esc == 1) {
        e->esc = c == '[' ? 2 : 0;
        return LED_MORE;
    }
    if (e->esc == 3) {
        e->esc = 0;
        if (c == '~')
            erase_at(e, e->cur, o);
        return LED_MORE;
    }
    e->esc = 0;
    switch (c) {
    case 'A': history_walk(e, 1, o); break;
    case 'B': history_walk(e, -1, o); break;
    case 'C': if (e->cur < e->len) move_to(e, e->cur + 1, o); break;
    case 'D': if (e->cur > 0) move_to(e, e->cur - 1, o); break;
    case 'H': move_to(e, 0, o); break;
    case 'F': move_to(e, e->len, o); break;
    case '3': e->esc = 3; break;
    default: break;
    }
    return LED_MORE;
}

enum led_result led_input(struct led *e, unsigned char c, struct led_out *o)
{
    int was_cr = e->last_cr;

    e->last_cr = c == '\r';
    if (e->esc)
        return escape(e, c, o);
    switch (c) {
    case '\n':
        if (was_cr)
            return LED_MORE;            /* the LF of CR LF */
        /* fall through */
    case '\r':
        out_byte(o, '\n');
        history_add(e);
        e->esc = 0;
        e->browse = 0;
        e->cur = e->len;
        return LED_LINE;
    case CTRL('C'):
        out_byte(o, '^');
        out_byte(o, 'C');
        out_byte(o, '\n');
        led_reset(e);
        return LED_CANCEL;
    case ESC:
        e->esc = 1;
        return LED_MORE;
    case 0x08:
    case 0x7f:
        if (e->cur > 0)
            erase_at(e, e->cur - 1, o);
        return LED_MORE;
    case CTRL('A'):
        move_to(e, 0, o);
        return LED_MORE;
    case CTRL('E'):
        move_to(e, e->len, o);
        return LED_MORE;
    default:
        if (c >= 0x20 && c < 0x7f)
            insert(e, (char)c, o);
        return LED_MORE;
    }
}

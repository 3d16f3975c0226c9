/*
 * The console's line discipline: turns bytes from the terminal into input
 * for readers and bytes to echo back. Pure (no I/O), so it is unit-tested
 * on the host.
 *
 * Cooked: printable bytes join the line being edited and are echoed;
 * backspace/DEL erase one; Ctrl-U and Ctrl-C abandon the line ("^U",
 * "^C"); Enter (CR, LF, or CR LF) completes it: the line and a '\n' become
 * readable. Raw: every byte is readable at once, nothing is echoed. In both
 * modes CR (and CR LF) reads as '\n'. Input that does not fit is dropped
 * and counted, never overwrites unread input.
 */
#ifndef VNODE_CONSOLE_LDISC_H
#define VNODE_CONSOLE_LDISC_H

#include <stddef.h>
#include <stdint.h>

#define LDISC_LINE_MAX 256
#define LDISC_RING 4096
#define LDISC_ECHO_MAX 8            /* bytes one input byte can echo */

struct ldisc {
    int raw;
    int last_cr;                    /* the previous byte was CR */
    size_t line_len;
    char line[LDISC_LINE_MAX];
    size_t head, count;             /* readable bytes: ring[head..] */
    uint8_t ring[LDISC_RING];
    uint64_t dropped;
};

void ldisc_init(struct ldisc *l);
void ldisc_set_raw(struct ldisc *l, int raw);
/* Feeds one byte from the terminal; writes what to echo into echo (room
 * for LDISC_ECHO_MAX) and returns its length. */
size_t ldisc_input(struct ldisc *l, uint8_t c, char *echo);
/* Takes up to max readable bytes. */
size_t ldisc_read(struct ldisc *l, void *dst, size_t max);
size_t ldisc_readable(const struct ldisc *l);

#endif

/*
 * The shell's line editor: raw terminal bytes in, the line and the bytes
 * that redraw it out. Pure, so it is unit-tested on the host. Redrawing
 * uses only backspace, spaces and the line's own bytes, so it works on any
 * terminal.
 *
 * Keys: printable bytes insert at the cursor; Backspace/DEL erase before
 * it, ESC[3~ at it; Left/Right (ESC[D, ESC[C) move, Home/End (ESC[H, ESC[F,
 * Ctrl-A, Ctrl-E) jump; Up/Down (ESC[A, ESC[B) walk the history (the line
 * being typed comes back after the newest entry); Enter (CR or LF) ends
 * the line; Ctrl-C abandons it. Other bytes and sequences are ignored.
 */
#ifndef SHELL_LEDIT_H
#define SHELL_LEDIT_H

#include <stddef.h>

#define LED_MAX 240             /* bytes in a line, NUL excluded */
#define LED_HISTORY 32

enum led_result { LED_MORE, LED_LINE, LED_CANCEL };

struct led_out {
    char *buf;
    size_t len, cap;            /* bytes that do not fit are dropped */
};

struct led {
    char line[LED_MAX + 1];
    size_t len, cur;
    int esc;                    /* 0, 1 after ESC, 2 after ESC [, 3 after ESC [ 3 */
    int last_cr;
    char hist[LED_HISTORY][LED_MAX + 1];
    int nhist;                  /* entries kept, newest at (head - 1) */
    int head;
    int browse;                 /* 0: editing; k: showing the k-th newest */
    char draft[LED_MAX + 1];    /* the line typed before browsing */
};

void led_init(struct led *e);
/* Clears the line for a new prompt (history stays). */
void led_reset(struct led *e);
/* Feeds one byte. LED_LINE: e->line holds the finished line (NUL-ended),
 * already added to the history if not blank and not the same as the
 * newest entry; take it, then led_reset for the next prompt. */
enum led_result led_input(struct led *e, unsigned char c, struct led_out *o);

#endif

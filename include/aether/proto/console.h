/*
 * The console service ("console"): the serial terminal. Each client (known
 * by the badge of its handle) first gives the server a transfer buffer:
 * a memory object it keeps mapped, sent with AE_MSG_SHARE so both map the
 * same pages; data then moves through it, never through the kernel.
 *
 *   CONSOLE_SETBUF   h[0] VMO [READ WRITE MAP], w[0] its size (>= 4096)
 *                    -> AE_OK; AE_ERR_INVAL; AE_ERR_QUOTA
 *   CONSOLE_WRITE    w[0] n: writes the first n bytes of the buffer
 *                    -> AE_OK, w[0] bytes written (all of them);
 *                       AE_ERR_INVAL (no buffer, n > its size)
 *   CONSOLE_READ     w[0] max: takes up to max bytes of input into the
 *                    buffer; never blocks
 *                    -> AE_OK, w[0] n (0: nothing yet)
 *   CONSOLE_NOTIFY   h[0] notification [SIGNAL], w[0] bits: signalled with
 *                    bits whenever input becomes available (then READ)
 *                    -> AE_OK
 *   CONSOLE_MODE     w[0] CONSOLE_MODE_RAW or CONSOLE_MODE_COOKED
 *                    -> AE_OK
 *
 * Cooked mode (the default) echoes what is typed, handles backspace and
 * delivers whole lines (ending in '\n'); raw mode delivers every byte as
 * it arrives, without echo (the shell edits lines itself). Carriage
 * returns from the terminal arrive as '\n' in both modes; '\n' written is
 * sent as "\r\n".
 */
#ifndef AETHER_PROTO_CONSOLE_H
#define AETHER_PROTO_CONSOLE_H

enum ae_console_op {
    AE_CONSOLE_SETBUF = 1,
    AE_CONSOLE_WRITE = 2,
    AE_CONSOLE_READ = 3,
    AE_CONSOLE_NOTIFY = 4,
    AE_CONSOLE_MODE = 5,
};

#define AE_CONSOLE_MODE_COOKED 0
#define AE_CONSOLE_MODE_RAW 1

#endif

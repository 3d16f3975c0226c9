/* Command output: to the console, or into a pipe buffer. */
#include "sh.h"
#include "common/fmt.h"

void sh_write(struct sh_out *o, const char *s, size_t n)
{
    if (o->to_console) {
        con_write(s, n);
        return;
    }
    if (n > SH_PIPE_MAX - o->len) {
        n = SH_PIPE_MAX - o->len;
        o->truncated = 1;
    }
    for (size_t i = 0; i < n; i++)
        o->buf[o->len + i] = s[i];
    o->len += n;
}

static void vout(struct sh_io *io, const char *fmt, va_list ap)
{
    char line[1024];
    int n = ae_vsnprintf(line, sizeof(line), fmt, ap);

    if (n > 0)
        sh_write(io->out, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

void sh_printf(struct sh_io *io, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vout(io, fmt, ap);
    va_end(ap);
}

/* Errors go to the terminal even from inside a pipeline (stderr). */
int sh_fail(struct sh_io *io, int status, const char *cmd, const char *fmt, ...)
{
    struct sh_out err = {1, NULL, 0, 0};
    struct sh_io eio = {NULL, 0, &err};
    va_list ap;

    sh_printf(&eio, "%s: ", cmd);
    va_start(ap, fmt);
    vout(&eio, fmt, ap);
    va_end(ap);
    sh_write(&err, "\n", 1);
    return status;
}

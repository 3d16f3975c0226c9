/*
 * The shell's pieces: where a command's output goes (the console, or a
 * buffer that feeds the next command of a pipeline), its input, and the
 * clients of the services it uses.
 */
#ifndef SHELL_SH_H
#define SHELL_SH_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "con.h"
#include "bufsvc.h"

#define SH_PIPE_MAX (64 * 1024)

struct sh_out {
    int to_console;
    char *buf;                  /* pipe: what the next command reads */
    size_t len;
    int truncated;
};

struct sh_io {
    const char *in;             /* the previous command's output; NULL: none */
    size_t in_len;
    struct sh_out *out;
};

struct sh_cmd_def {
    const char *name;
    const char *usage;
    const char *help;
    int (*run)(int argc, char **argv, struct sh_io *io);
};

extern const struct sh_cmd_def sh_cmds[];
extern const unsigned sh_ncmds;

void sh_write(struct sh_out *o, const char *s, size_t n);
void sh_printf(struct sh_io *io, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "cmd: message" on the terminal, for errors. Returns status. */
int sh_fail(struct sh_io *io, int status, const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The services the shell uses (main.c), through transfer buffers. */
#define SH_SVC_BUF 65536
extern struct ae_bufsvc sh_init;
#define sh_call ae_bufsvc_call
#define sh_buf ae_bufsvc_buf

#endif

/*
 * shell: the `aether> ` prompt on the console. Reads raw keys, edits the
 * line (ledit.c), parses it (parse.c) and runs built-in commands (cmds*.c);
 * a pipeline hands each command's output to the next as its input.
 */
#include "cmds.h"
#include "ledit.h"
#include "parse.h"
#include "aether/proto/init.h"
#include "vfsc.h"
#include "common/string.h"

#define CON_VA 0x0000100000000000ull
#define VFS_VA 0x0000120000000000ull
#define PROMPT "aether> "

struct ae_bufsvc sh_init = AE_BUFSVC("init", AE_INIT_SETBUF, 0x0000110000000000ull, SH_SVC_BUF);

static char pipe_bufs[2][SH_PIPE_MAX];
static struct sh_line parsed;
static struct led editor;

static const struct sh_cmd_def *find(const char *name)
{
    for (unsigned i = 0; i < sh_ncmds; i++)
        if (!strcmp(sh_cmds[i].name, name))
            return &sh_cmds[i];
    return NULL;
}

static int run_pipeline(struct sh_line *l, const struct sh_pipeline *p)
{
    const char *in = NULL;
    size_t in_len = 0;
    int status = 0;

    for (int i = 0; i < p->ncmds; i++) {
        struct sh_cmd *c = &l->cmds[p->first + i];
        const struct sh_cmd_def *def = find(c->argv[0]);
        struct sh_out out = {i == p->ncmds - 1, pipe_bufs[i % 2], 0, 0};
        struct sh_io io = {in, in_len, &out};

        if (!def)
            status = sh_fail(&io, 127, "shell", "%s: command not found (try help)",
                             c->argv[0]);
        else
            status = def->run(c->argc, c->argv, &io);
        if (out.truncated)
            sh_fail(&io, 0, c->argv[0], "output cut at %d bytes", SH_PIPE_MAX);
        in = out.buf;
        in_len = out.len;
    }
    return status;
}

/* Runs a whole line. "$?" is expanded when each pipeline starts, so the
 * line is parsed again then (its shape cannot change, only the words). */
static int run_line(const char *line, int status)
{
    char err[96];
    int npipelines;

    if (sh_parse(line, status, &parsed, err, sizeof(err))) {
        struct sh_out out = {1, NULL, 0, 0};
        struct sh_io io = {NULL, 0, &out};
        return sh_fail(&io, 2, "shell", "%s", err);
    }
    npipelines = parsed.npipelines;
    for (int k = 0; k < npipelines; k++) {
        if (sh_parse(line, status, &parsed, err, sizeof(err)))
            return 2;
        const struct sh_pipeline *p = &parsed.pipelines[k];
        if ((p->conn == SH_IF_OK && status != 0) || (p->conn == SH_IF_FAILED && status == 0))
            continue;
        status = run_pipeline(&parsed, p);
    }
    return status;
}

int main(const struct ae_bootinfo *bi)
{
    int64_t r = con_open(CON_VA);

    vfs_client_init(VFS_VA);
    int status = 0;

    if (!r)
        r = con_set_raw(1);
    if (r) {
        ae_printf("shell: no console: %s", ae_strerror(r));
        return 1;
    }
    led_init(&editor);
    uint64_t tsc = ae_rdtsc();      /* bench/boot: kernel entry -> first prompt */
    con_write("\nAetherOS shell. Type help for the commands.\n" PROMPT,
              sizeof("\nAetherOS shell. Type help for the commands.\n" PROMPT) - 1);
    ae_printf("shell: first prompt at TSC %lu", (unsigned long)tsc);
    for (;;) {
        unsigned char keys[256];
        char echo[4096];
        int64_t n = con_read(keys, sizeof(keys));

        if (n < 0) {
            ae_printf("shell: console read failed: %s", ae_strerror(n));
            return 1;
        }
        for (int64_t i = 0; i < n; i++) {
            struct led_out o = {echo, 0, sizeof(echo)};
            enum led_result res = led_input(&editor, keys[i], &o);
            if (o.len)
                con_write(echo, o.len);
            if (res == LED_MORE)
                continue;
            if (res == LED_LINE)
                status = run_line(editor.line, status);
            led_reset(&editor);
            con_write(PROMPT, sizeof(PROMPT) - 1);
        }
    }
}

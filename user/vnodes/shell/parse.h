/*
 * The shell's command-line parser. Pure, so it is unit-tested on the host.
 *
 *   line     := [ list ]
 *   list     := pipeline { (";" | "&&" | "||") pipeline } [ ";" ]
 *   pipeline := command { "|" command }
 *   command  := word { word }
 *
 * Words are split on blanks. '...' is literal; in "..." a backslash escapes
 * only '"', '\' and '$'; outside quotes a backslash escapes any byte. "$?"
 * (outside single quotes) becomes the status of the last pipeline. Quoted
 * parts join the word around them ("a"'b'c is one word, abc); an empty
 * quoted word ('') is an argument.
 */
#ifndef SHELL_PARSE_H
#define SHELL_PARSE_H

#include <stddef.h>

#define SH_MAX_ARGS 32          /* per command */
#define SH_MAX_CMDS 16          /* per line */
#define SH_MAX_PIPELINES 16     /* per line */
#define SH_ARENA 2048           /* bytes of words per line, NULs included */

enum sh_conn {
    SH_ALWAYS,                  /* first, or after ';' */
    SH_IF_OK,                   /* after "&&": runs if the last status is 0 */
    SH_IF_FAILED,               /* after "||": runs if it is not */
};

struct sh_cmd {
    int argc;
    char *argv[SH_MAX_ARGS + 1];        /* NULL-terminated */
};

struct sh_pipeline {
    enum sh_conn conn;
    int first;                  /* index of its first command in cmds */
    int ncmds;
};

struct sh_line {
    int npipelines;
    int ncmds;
    struct sh_pipeline pipelines[SH_MAX_PIPELINES];
    struct sh_cmd cmds[SH_MAX_CMDS];
    char arena[SH_ARENA];
};

/* Parses line (NUL-terminated) with last_status for "$?". Returns 0, or -1
 * with a one-line reason in err ("unterminated quote", "syntax error near
 * '|'", "too many arguments", ...). An empty or blank line parses to no
 * pipelines. */
int sh_parse(const char *line, int last_status, struct sh_line *out, char *err,
             size_t errlen);

#endif

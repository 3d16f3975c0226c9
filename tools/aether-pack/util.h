/*
 * What every aether-pack command shares: messages in the tool's one-line
 * style, whole-file reads and atomic writes, hex.
 */
#ifndef AETHER_PACK_UTIL_H
#define AETHER_PACK_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Exit statuses. */
#define EXIT_OK 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2

/* The running command's name ("verify", "trust sign"), prefixed to messages. */
extern const char *pack_cmd;

/* Prints "CMD: WHAT: MESSAGE" to stderr; returns EXIT_FAIL. */
int fail(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct buf {
    uint8_t *p;
    size_t n;
};

/* Reads a whole file; on failure prints why and returns -1. A missing file
 * gives -2 without a message when missing_ok. */
int read_whole(const char *path, struct buf *out, int missing_ok);

/* Replaces path with data (through PATH.tmp and rename, so a reader never
 * sees half a file); prints why and returns -1 on failure. */
int write_atomic(const char *path, const void *data, size_t len, mode_t mode);

/* Lower-case hex of p[0, n) into out (2n + 1 bytes). */
void to_hex(const uint8_t *p, size_t n, char *out);

/* A message for an AE_ERR_* code. */
const char *err_text(int err);



/* Command-line options: every one takes a value ("-k FILE"). */
struct opt {
    const char *name;           /* "-k", "--trust" */
    const char **value;         /* set when given; NULL stays when not */
};

/*
 * Splits argv[1, argc) into the options of opts (NULL-name terminated) and
 * positional arguments (into pos, at most maxpos; "--" ends the options).
 * Returns the number of positional arguments, or -1 for an unknown or
 * repeated option, a missing value, or too many arguments.
 */
int parse_opts(int argc, char **argv, const struct opt *opts, char **pos, int maxpos);

#endif

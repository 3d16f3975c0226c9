/*
 * elfhello: the small program the ELF loader tests load (user/ktest/
 * t_elfload.c embeds its ELF file). It reads its orders from the info page
 * the loader maps at its first argument and exits with a status that
 * proves what it checked.
 */
#ifndef USER_ELFHELLO_ELFHELLO_H
#define USER_ELFHELLO_ELFHELLO_H

#include <stdint.h>

#define ELFHELLO_MAGIC 0x6f6c6c6568666c65ull    /* "elfhello" */

enum elfhello_mode {
    ELFHELLO_RUN,               /* check data, bss and stack; exit value + 1 */
    ELFHELLO_WRITE_INFO,        /* write the info page: must fault */
    ELFHELLO_WRITE_TEXT,        /* write its own code: must fault */
};

/* Exit statuses for a check that failed (the test expects value + 1). */
enum {
    ELFHELLO_NO_INFO = 1000,
    ELFHELLO_BAD_MAGIC,
    ELFHELLO_BAD_DATA,
    ELFHELLO_BSS_NOT_ZERO,
    ELFHELLO_BAD_MODE,
    ELFHELLO_NOT_FAULTED,
};

struct elfhello_info {
    uint64_t magic;
    uint64_t mode;              /* enum elfhello_mode */
    uint64_t value;
};

#endif

/*
 * Address -> symbol lookup over the table the build generates
 * (tools/gen_ksyms.py): addresses sorted ascending, each with the offset of
 * its NUL-terminated name. Pure.
 */
#ifndef KERNEL_LIB_KSYMS_LOOKUP_H
#define KERNEL_LIB_KSYMS_LOOKUP_H

#include <stdbool.h>
#include <stdint.h>

struct ksym_table {
    uint64_t count;
    const uint64_t *addrs;      /* ascending */
    const uint32_t *name_offs;  /* into names */
    const char *names;
    uint64_t text_start;        /* addresses outside [start, end) (the */
    uint64_t text_end;          /* kernel image) have no symbol */
};

/* The symbol at or below addr: its name and addr's offset from it. */
bool ksym_lookup(const struct ksym_table *t, uint64_t addr,
                 const char **name, uint64_t *offset);

#endif

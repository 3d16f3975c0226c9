/* The kernel's own symbol table (generated at link time). */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include <stdbool.h>
#include <stdint.h>

bool ksym_resolve(uint64_t addr, const char **name, uint64_t *offset);
uint64_t ksym_count(void);

#endif

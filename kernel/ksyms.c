/* Wraps the linker-placed table in a struct ksym_table for the lookup. */
#include "ksyms.h"
#include "lib/ksyms_lookup.h"

extern const uint64_t __ksym_count;
extern const uint64_t __ksym_addrs[];
extern const uint32_t __ksym_name_offs[];
extern const char __ksym_names[];
extern char __kernel_start[], __kernel_end[];

bool ksym_resolve(uint64_t addr, const char **name, uint64_t *offset)
{
    const struct ksym_table t = {
        .count = __ksym_count,
        .addrs = __ksym_addrs,
        .name_offs = __ksym_name_offs,
        .names = __ksym_names,
        .text_start = (uint64_t)__kernel_start,
        .text_end = (uint64_t)__kernel_end,
    };
    return ksym_lookup(&t, addr, name, offset);
}

uint64_t ksym_count(void)
{
    return __ksym_count;
}

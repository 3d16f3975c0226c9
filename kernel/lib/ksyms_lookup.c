/* Binary search for the greatest symbol address <= the queried one. */
#include "lib/ksyms_lookup.h"

bool ksym_lookup(const struct ksym_table *t, uint64_t addr,
                 const char **name, uint64_t *offset)
{
    uint64_t lo = 0, hi;

    if (!t || t->count == 0 || addr < t->text_start || addr >= t->text_end ||
        addr < t->addrs[0])
        return false;
    hi = t->count;              /* invariant: addrs[lo] <= addr < addrs[hi] */
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (t->addrs[mid] <= addr)
            lo = mid;
        else
            hi = mid;
    }
    *name = t->names + t->name_offs[lo];
    *offset = addr - t->addrs[lo];
    return true;
}

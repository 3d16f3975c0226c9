/* Range checks here, the copy itself in usercopy.S. */
#include "syscall/uaccess.h"
#include "mm/layout.h"
#include "aether/errors.h"

bool uaccess_smap;

extern int64_t user_copy(void *dst, const void *src, uint64_t n);
extern char user_copy_insn[], user_copy_fault[];

void uaccess_init(bool smap)
{
    uaccess_smap = smap;
}

bool user_range_ok(uint64_t uaddr, uint64_t len)
{
    uint64_t end;
    return !__builtin_add_overflow(uaddr, len, &end) && end <= USER_TOP;
}

int copy_from_user(void *dst, uint64_t usrc, uint64_t len)
{
    if (!user_range_ok(usrc, len))
        return AE_ERR_FAULT;
    if (!len)
        return AE_OK;
    return (int)user_copy(dst, (const void *)usrc, len);
}

int copy_to_user(uint64_t udst, const void *src, uint64_t len)
{
    if (!user_range_ok(udst, len))
        return AE_ERR_FAULT;
    if (!len)
        return AE_OK;
    return (int)user_copy((void *)udst, src, len);
}

bool uaccess_fixup(uint64_t rip, uint64_t *resume)
{
    if (rip != (uint64_t)user_copy_insn)
        return false;
    *resume = (uint64_t)user_copy_fault;
    return true;
}

int copy_string_from_user(char *dst, uint64_t usrc, uint64_t size)
{
    for (uint64_t i = 0; i + 1 < size; i++) {
        int err = copy_from_user(&dst[i], usrc + i, 1);
        if (err) {
            dst[i] = '\0';
            return err;
        }
        if (!dst[i])
            return (int)i;
    }
    if (size)
        dst[size - 1] = '\0';
    return AE_ERR_TRUNCATED;
}

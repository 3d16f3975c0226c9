/*
 * Copies between kernel and user memory. Every user pointer a system call
 * takes goes through these: the range must lie entirely in user space
 * ([0, USER_TOP), no wrap-around: kernel, non-canonical and straddling
 * addresses are refused with AE_ERR_FAULT before any access), and a fault
 * on an unmapped or read-only page is AE_ERR_FAULT too.
 */
#ifndef KERNEL_SYSCALL_UACCESS_H
#define KERNEL_SYSCALL_UACCESS_H

#include <stdbool.h>
#include <stdint.h>

void uaccess_init(bool smap);
bool user_range_ok(uint64_t uaddr, uint64_t len);
int copy_from_user(void *dst, uint64_t usrc, uint64_t len);
int copy_to_user(uint64_t udst, const void *src, uint64_t len);
/* Copies a NUL-terminated string of at most size-1 bytes, never reading
 * past its NUL (a short string may end just before an unmapped page).
 * Returns its length, AE_ERR_FAULT, or AE_ERR_TRUNCATED (dst then holds
 * size-1 bytes). dst is always NUL-terminated. */
int copy_string_from_user(char *dst, uint64_t usrc, uint64_t size);
/* True when rip is the user-copy instruction; then *resume is where to go. */
bool uaccess_fixup(uint64_t rip, uint64_t *resume);

#endif

/*
 * Kernel command line: space-separated words, each `key` or `key=value`
 * (values may be double-quoted to contain spaces). Pure.
 */
#ifndef KERNEL_LIB_CMDLINE_H
#define KERNEL_LIB_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* True when key appears as a bare word or as key=anything. */
bool cmdline_has(const char *cmdline, const char *key);
/* Copies key's value (without quotes) into buf, NUL-terminated. Returns the
 * value's length, AE_ERR_NOTFOUND when key is absent or has no '=', or
 * AE_ERR_TRUNCATED when it does not fit (buf then holds a truncated copy). */
int cmdline_get(const char *cmdline, const char *key, char *buf, size_t size);

#endif

/*
 * The few libc string/memory functions the kernel needs. The compiler may emit
 * calls to memcpy/memset/memmove/memcmp itself, so these keep their standard
 * names and prototypes (identical to the host's, which the unit tests use).
 */
#ifndef COMMON_STRING_H
#define COMMON_STRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
/* Copies at most size-1 bytes of src and always NUL-terminates (size > 0). */
void strncpy_safe(char *dst, const char *src, size_t size);

#endif

/*
 * The compiler's limits.h has every C value, but it also includes the host
 * C library's limits.h unless the C library's own is the one including it
 * (_LIBC_LIMITS_H_): this file is that, so programs never see host headers.
 */
#ifndef _LIBC_LIMITS_H_
#define _LIBC_LIMITS_H_

#include_next <limits.h>

#define SSIZE_MAX __LONG_MAX__

#endif

/* POSIX types the C library's headers share. */
#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H

typedef long ssize_t;

#endif

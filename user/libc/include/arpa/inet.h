/* Text and binary IPv4 addresses (user/libc/net/inet.c, pure). */
#ifndef _ARPA_INET_H
#define _ARPA_INET_H

#include <netinet/in.h>

/* 1 when src is a dotted quad (four decimal parts 0-255, no leading
 * zeros beyond "0"), 0 when not, -1 with EAFNOSUPPORT for another af. */
int inet_pton(int af, const char *src, void *dst);
/* dst, or NULL with ENOSPC (size too small) or EAFNOSUPPORT. */
const char *inet_ntop(int af, const void *src, char *dst, socklen_t size);
/* The address of a dotted quad in network order, INADDR_NONE if not one
 * (the classic forms with fewer parts, hex and octal, are accepted). */
in_addr_t inet_addr(const char *cp);
int inet_aton(const char *cp, struct in_addr *out);
/* A static buffer, overwritten by the next call. */
char *inet_ntoa(struct in_addr in);

#endif

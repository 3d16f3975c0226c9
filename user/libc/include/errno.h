/*
 * errno values are the AetherOS error codes made positive: ENOMEM is
 * -AE_ERR_NOMEM, so a system call's result converts with errno = -err and
 * strerror shares ae_strerror's texts. Codes the kernel has no use for
 * (EDOM, EILSEQ, ...) are numbered from 100 on. errno.c checks the
 * correspondence at compile time.
 *
 * errno is one variable per process: threads of a process share it.
 */
#ifndef _ERRNO_H
#define _ERRNO_H

extern int errno;

/* = -AE_ERR_* (include/aether/errors.h) */
#define ENOMEM      1   /* AE_ERR_NOMEM */
#define EINVAL      2   /* AE_ERR_INVAL */
#define ERANGE      3   /* AE_ERR_RANGE */
#define ENOENT      4   /* AE_ERR_NOTFOUND */
#define EEXIST      5   /* AE_ERR_EXISTS */
#define EBUSY       6   /* AE_ERR_BUSY */
#define EBADMSG     7   /* AE_ERR_CORRUPT */
#define ENOTSUP     8   /* AE_ERR_UNSUPPORTED */
#define EOPNOTSUPP  ENOTSUP
#define ENOSYS      ENOTSUP
#define ETIMEDOUT   9   /* AE_ERR_TIMEOUT */
#define EBADF       10  /* AE_ERR_BAD_HANDLE */
#define EACCES      11  /* AE_ERR_ACCESS */
#define EPERM       EACCES
#define EDQUOT      12  /* AE_ERR_QUOTA */
#define EREVOKED    13  /* AE_ERR_REVOKED (AetherOS only) */
#define EPIPE       14  /* AE_ERR_PEER_CLOSED */
#define EFAULT      15  /* AE_ERR_FAULT */
#define EOVERFLOW   16  /* AE_ERR_TRUNCATED */

/* The C library's own */
#define EDOM        100
#define EILSEQ      101
#define EIO         102
#define EAGAIN      103
#define EWOULDBLOCK EAGAIN
#define EINTR       104
#define ENOSPC      105
#define E2BIG       106
#define ENAMETOOLONG 107
#define EISDIR      108
#define ENOTDIR     109
#define EMFILE      110
/* sockets (sys/socket.h) */
#define EAFNOSUPPORT 111
#define EPROTONOSUPPORT 112
#define ENOTSOCK    113
#define EADDRINUSE  114
#define EADDRNOTAVAIL 115
#define ENOTCONN    116
#define ECONNREFUSED 117
#define ECONNRESET  118
#define EISCONN     119
#define EMSGSIZE    120
#define ENOPROTOOPT 121
#define EHOSTUNREACH 122

#endif

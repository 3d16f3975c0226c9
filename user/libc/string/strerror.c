/* strerror: errno values 0..99 are AE_ERR codes made positive (errno.h),
 * so their texts are ae_strerror's; the C library's own follow. */
#include <errno.h>
#include <stdio.h>

#include "aether/errors.h"

static int is_ae_code(int e)
{
    if (e < 0)
        return 0;
    switch (-e) {
    case AE_OK:
#define AE_X_CASE(name, value, text) case name:
    AE_ERROR_LIST(AE_X_CASE)
#undef AE_X_CASE
        return 1;
    default:
        return 0;
    }
}

static const char *own_text(int e)
{
    switch (e) {
    case EDOM: return "argument out of domain";
    case EILSEQ: return "invalid or incomplete multibyte character";
    case EIO: return "input/output error";
    case EAGAIN: return "resource temporarily unavailable";
    case EINTR: return "interrupted";
    case ENOSPC: return "no space left";
    case E2BIG: return "argument list too long";
    case ENAMETOOLONG: return "name too long";
    case EISDIR: return "is a directory";
    case ENOTDIR: return "not a directory";
    case EMFILE: return "too many open streams";
    case EAFNOSUPPORT: return "address family not supported";
    case EPROTONOSUPPORT: return "protocol not supported";
    case ENOTSOCK: return "not a socket";
    case EADDRINUSE: return "address in use";
    case EADDRNOTAVAIL: return "address not available";
    case ENOTCONN: return "not connected";
    case ECONNREFUSED: return "connection refused";
    case ECONNRESET: return "connection reset by peer";
    case EISCONN: return "already connected";
    case EMSGSIZE: return "message too long";
    case ENOPROTOOPT: return "protocol option not available";
    case EHOSTUNREACH: return "no route to host";
    default: return NULL;
    }
}

char *strerror(int errnum)
{
    static char unknown[32];
    const char *text = NULL;

    if (is_ae_code(errnum))
        text = ae_strerror(-errnum);
    else
        text = own_text(errnum);
    if (text)
        return (char *)text;
    snprintf(unknown, sizeof(unknown), "Unknown error %d", errnum);
    return unknown;
}

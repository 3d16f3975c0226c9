/* errno, and the compile-time check that its values are the AE_ERR_*
 * codes made positive (errno.h). */
#include <errno.h>

#include "aether/errors.h"

int errno;

_Static_assert(ENOMEM == -AE_ERR_NOMEM, "errno");
_Static_assert(EINVAL == -AE_ERR_INVAL, "errno");
_Static_assert(ERANGE == -AE_ERR_RANGE, "errno");
_Static_assert(ENOENT == -AE_ERR_NOTFOUND, "errno");
_Static_assert(EEXIST == -AE_ERR_EXISTS, "errno");
_Static_assert(EBUSY == -AE_ERR_BUSY, "errno");
_Static_assert(EBADMSG == -AE_ERR_CORRUPT, "errno");
_Static_assert(ENOTSUP == -AE_ERR_UNSUPPORTED, "errno");
_Static_assert(ETIMEDOUT == -AE_ERR_TIMEOUT, "errno");
_Static_assert(EBADF == -AE_ERR_BAD_HANDLE, "errno");
_Static_assert(EACCES == -AE_ERR_ACCESS, "errno");
_Static_assert(EDQUOT == -AE_ERR_QUOTA, "errno");
_Static_assert(EREVOKED == -AE_ERR_REVOKED, "errno");
_Static_assert(EPIPE == -AE_ERR_PEER_CLOSED, "errno");
_Static_assert(EFAULT == -AE_ERR_FAULT, "errno");
_Static_assert(EOVERFLOW == -AE_ERR_TRUNCATED, "errno");

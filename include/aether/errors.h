/*
 * AetherOS error codes: the one list shared by the kernel, user space and the
 * host tools. Every fallible function returns AE_OK (0) or a negative
 * AE_ERR_* value; values are part of the ABI and never renumbered.
 */
#ifndef AETHER_ERRORS_H
#define AETHER_ERRORS_H

#define AE_ERROR_LIST(X)                                              \
    X(AE_ERR_NOMEM,        -1,  "out of memory")                      \
    X(AE_ERR_INVAL,        -2,  "invalid argument")                   \
    X(AE_ERR_RANGE,        -3,  "value out of range")                 \
    X(AE_ERR_NOTFOUND,     -4,  "not found")                          \
    X(AE_ERR_EXISTS,       -5,  "already exists")                     \
    X(AE_ERR_BUSY,         -6,  "resource busy")                      \
    X(AE_ERR_CORRUPT,      -7,  "data corrupt or checksum mismatch")  \
    X(AE_ERR_UNSUPPORTED,  -8,  "not supported")                      \
    X(AE_ERR_TIMEOUT,      -9,  "timed out")                          \
    X(AE_ERR_BAD_HANDLE,   -10, "bad handle")                         \
    X(AE_ERR_ACCESS,       -11, "access denied: missing rights")      \
    X(AE_ERR_QUOTA,        -12, "quota exceeded")                     \
    X(AE_ERR_REVOKED,      -13, "handle revoked")                     \
    X(AE_ERR_PEER_CLOSED,  -14, "peer closed")                        \
    X(AE_ERR_FAULT,        -15, "bad user address")                   \
    X(AE_ERR_TRUNCATED,    -16, "buffer too small")                   \
    X(AE_ERR_PEER_RESTARTED, -17, "peer restarted: reconnected, session state lost") \
    X(AE_ERR_AGAIN,        -18, "not available yet: try again")      \
    X(AE_ERR_BAD_SIGNATURE, -19, "bad signature")                     \
    X(AE_ERR_TOO_FEW_SIGNERS, -20, "too few signers")                 \
    X(AE_ERR_ROOT_MISMATCH, -21, "content does not match its Merkle root") \
    X(AE_ERR_ROLLBACK,     -22, "rollback: older than a version already seen") \
    X(AE_ERR_UNKNOWN_KEY,  -23, "signed by a key the trust root does not list")

enum ae_error {
    AE_OK = 0,
#define AE_X_ENUM(name, value, text) name = value,
    AE_ERROR_LIST(AE_X_ENUM)
#undef AE_X_ENUM
};

/* Text of an error code ("out of memory"); "unknown error" for others. */
const char *ae_strerror(long err);

#endif

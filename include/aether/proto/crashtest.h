/*
 * The "crashtest" service: a V-Node that fails on request, to show that a
 * fault stops only it and is reported. Not started at boot.
 *
 *   CRASHTEST_CRASH  w[0] mode -> never answers (the V-Node dies), or
 *                    AE_ERR_INVAL for an unknown mode
 *   CRASHTEST_HANDLE -> AE_OK, w[0] the error it got using a handle it was
 *                    never given (it logs that error too)
 */
#ifndef AETHER_PROTO_CRASHTEST_H
#define AETHER_PROTO_CRASHTEST_H

enum ae_crashtest_op {
    AE_CRASHTEST_CRASH = 1,
    AE_CRASHTEST_HANDLE = 2,
};

enum ae_crash_mode {
    AE_CRASH_NULL = 1,          /* read through a NULL pointer */
    AE_CRASH_ROWRITE,           /* write to its read-only data */
    AE_CRASH_ILLEGAL,           /* an undefined instruction (ud2) */
    AE_CRASH_DIVZERO,           /* integer divide by zero */
    AE_CRASH_STACK,             /* unbounded recursion: stack overflow */
    AE_CRASH_SPIN,              /* an endless loop: spends its CPU budget */
};

#endif

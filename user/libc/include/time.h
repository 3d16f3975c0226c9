/*
 * Time. There is no real-time clock yet: CLOCK_REALTIME and time() count
 * from boot, like CLOCK_MONOTONIC (the kernel's clock_get, in ns).
 */
#ifndef _TIME_H
#define _TIME_H

#include <stddef.h>

typedef long time_t;
typedef int clockid_t;

struct timespec {
    time_t tv_sec;
    long tv_nsec;
};

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1

time_t time(time_t *t);
int clock_gettime(clockid_t clock, struct timespec *ts);
/* Sleeps for *req; never interrupted, so *rem (if given) is set to zero. */
int nanosleep(const struct timespec *req, struct timespec *rem);

#endif

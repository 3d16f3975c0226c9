/* time.h over the kernel's clock: nanoseconds since boot (no RTC yet). */
#include <errno.h>
#include <time.h>

#include "aether.h"

#define NS 1000000000ll

int clock_gettime(clockid_t clock, struct timespec *ts)
{
    int64_t now;

    if (clock != CLOCK_MONOTONIC && clock != CLOCK_REALTIME) {
        errno = EINVAL;
        return -1;
    }
    now = ae_clock_get();
    ts->tv_sec = now / NS;
    ts->tv_nsec = now % NS;
    return 0;
}

time_t time(time_t *t)
{
    time_t now = ae_clock_get() / NS;

    if (t)
        *t = now;
    return now;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
    uint64_t deadline;

    if (req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= NS) {
        errno = EINVAL;
        return -1;
    }
    deadline = (uint64_t)ae_clock_get() + (uint64_t)req->tv_nsec;
    /* A deadline past 2^64 ns (585 years) is as good as forever. */
    if ((uint64_t)req->tv_sec > (UINT64_MAX - deadline) / NS)
        deadline = UINT64_MAX;
    else
        deadline += (uint64_t)req->tv_sec * NS;
    ae_sleep_until(deadline);
    if (rem)
        rem->tv_sec = rem->tv_nsec = 0;
    return 0;
}

/*
 * /init of the reference Linux guest used by bench/boot/run.sh.
 *
 * It is the whole userspace: the kernel runs it straight from the initramfs.
 * It reads the TSC first (so that the figure is as close as possible to "the
 * first instruction of userspace"), then CLOCK_MONOTONIC and /proc/uptime,
 * prints exactly one line
 *
 *     LINUX-REF ready: tsc=<decimal> uptime_ms=<n>
 *
 * to /dev/console (the serial port with console=ttyS0) and powers the
 * machine off. If the power-off fails it waits forever in pause().
 *
 * tsc is the raw time-stamp counter: it counts from CPU reset, so it includes
 * the firmware (SeaBIOS), the kernel's decompression and its whole boot.
 * uptime_ms is the kernel's uptime from /proc/uptime (10 ms resolution);
 * CLOCK_MONOTONIC (same origin, 1 ms resolution here) stands in when /proc
 * cannot be mounted.
 *
 * Built with: gcc -static -O2 (see build.sh). Uses only libc.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "console.h"

static inline uint64_t read_tsc(void)
{
    uint32_t lo, hi;
    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* Writes all of buf to fd; returns 0 or -1. */
static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Kernel uptime in ms from /proc/uptime ("12.34 5.67\n"), or -1. */
static long long proc_uptime_ms(void)
{
    if (mkdir("/proc", 0555) < 0 && errno != EEXIST)
        return -1;
    if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0
        && errno != EBUSY)
        return -1;

    int fd = open("/proc/uptime", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char buf[64];
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';

    /* Parse "<sec>.<frac>" by hand: exact, no floating point. */
    long long sec = 0, frac_ms = 0;
    const char *p = buf;
    if (*p < '0' || *p > '9')
        return -1;
    while (*p >= '0' && *p <= '9')
        sec = sec * 10 + (*p++ - '0');
    if (*p == '.') {
        p++;
        long long scale = 100;
        while (*p >= '0' && *p <= '9') {
            frac_ms += (*p++ - '0') * scale;
            scale /= 10;
        }
    }
    return sec * 1000 + frac_ms;
}

int main(void)
{
    uint64_t tsc = read_tsc();

    struct timespec ts;
    long long mono_ms = -1;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) == 0)
        mono_ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;

    long long uptime_ms = proc_uptime_ms();
    if (uptime_ms < 0)
        uptime_ms = mono_ms;

    char line[128];
    int len = snprintf(line, sizeof(line), "LINUX-REF ready: tsc=%llu uptime_ms=%lld\n",
                       (unsigned long long)tsc, uptime_ms);
    int con = open_console();
    if (len > 0)
        write_all(con, line, (size_t)len);
    fsync(con);

    sync();
    reboot(RB_POWER_OFF);

    /* Power-off failed: never return (init exiting would panic the kernel). */
    for (;;)
        pause();
}

/*
 * For the reference guest's programs that run as /init (init.c,
 * linuxbench.c): opens the console for writing, creating the node through
 * devtmpfs if the initramfs lacks it. Returns an fd, or 1 (stdout, which
 * the kernel points at /dev/console when it exists) as a last resort.
 */
#ifndef LINUXREF_CONSOLE_H
#define LINUXREF_CONSOLE_H

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

static int open_console(void)
{
    int fd = open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd >= 0)
        return fd;
    mkdir("/dev", 0755);
    if (mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, NULL) == 0) {
        fd = open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (fd >= 0)
            return fd;
    }
    return 1;
}

#endif

/* poll() over net-stack's sockets (sys/socket.h). */
#ifndef _POLL_H
#define _POLL_H

typedef unsigned int nfds_t;

struct pollfd {
    int fd;
    short events;
    short revents;
};

#define POLLIN 1
#define POLLPRI 2
#define POLLOUT 4
#define POLLERR 8
#define POLLHUP 16
#define POLLNVAL 32

/* timeout_ms < 0: for ever. Returns how many have revents, or -1. */
int poll(struct pollfd *fds, nfds_t n, int timeout_ms);

#endif

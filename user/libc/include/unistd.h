/* POSIX: so far only getopt. */
#ifndef _UNISTD_H
#define _UNISTD_H

#include <stddef.h>
#include <sys/types.h>
#include <getopt.h>

/* Ends a socket (sys/socket.h): sockets are the only descriptors so far. */
int close(int fd);

#endif

/*
 * BSD sockets over net-stack (docs/NETWORK.md, "Sockets"). A socket is a
 * small number of the process's own (net-stack's socket id); close() ends
 * it. IPv4 only (AF_INET). Calls that would block wait on a notification,
 * up to SO_RCVTIMEO / SO_SNDTIMEO; MSG_DONTWAIT makes them answer EAGAIN.
 */
#ifndef _SYS_SOCKET_H
#define _SYS_SOCKET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef uint32_t socklen_t;
typedef uint16_t sa_family_t;

#define AF_UNSPEC 0
#define AF_INET 2
#define PF_INET AF_INET
#define SOCK_STREAM 1
#define SOCK_DGRAM 2

#define SOL_SOCKET 1
#define SO_REUSEADDR 2
#define SO_ERROR 4
#define SO_KEEPALIVE 9
#define SO_RCVTIMEO 20
#define SO_SNDTIMEO 21

#define MSG_DONTWAIT 0x40

#define SHUT_RD 0
#define SHUT_WR 1
#define SHUT_RDWR 2

struct sockaddr {
    sa_family_t sa_family;
    char sa_data[14];
};

struct sockaddr_storage {
    sa_family_t ss_family;
    char ss_data[126];
};

int socket(int domain, int type, int protocol);
int bind(int s, const struct sockaddr *addr, socklen_t len);
int connect(int s, const struct sockaddr *addr, socklen_t len);
int listen(int s, int backlog);
int accept(int s, struct sockaddr *addr, socklen_t *len);
ssize_t send(int s, const void *buf, size_t len, int flags);
ssize_t recv(int s, void *buf, size_t len, int flags);
ssize_t sendto(int s, const void *buf, size_t len, int flags, const struct sockaddr *to,
               socklen_t tolen);
ssize_t recvfrom(int s, void *buf, size_t len, int flags, struct sockaddr *from,
                 socklen_t *fromlen);
int shutdown(int s, int how);
int setsockopt(int s, int level, int name, const void *val, socklen_t len);
int getsockopt(int s, int level, int name, void *val, socklen_t *len);
int getsockname(int s, struct sockaddr *addr, socklen_t *len);
int getpeername(int s, struct sockaddr *addr, socklen_t *len);

#endif

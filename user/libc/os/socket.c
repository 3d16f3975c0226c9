/*
 * BSD sockets (sys/socket.h, poll.h, netdb.h) over net-stack's "net"
 * service through netc (user/lib/netc.h; docs/NETWORK.md). A socket's
 * number is net-stack's socket id; what the C library must remember of it
 * (type, timeouts, the endpoint it was bound to) is kept here.
 */
#include <errno.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "netc.h"

#define SOCKETS_MAX (512 + 1)          /* net-stack numbers sockets 1..512 */
#define NETC_BUF_VA 0x00005e0000000000ull   /* the C library's own connection */

struct lsock {
    int type;
    uint64_t rcvtimeo_ns, sndtimeo_ns;      /* AE_WAIT_FOREVER: none set */
    uint64_t local, remote;
};

static struct lsock socks[SOCKETS_MAX];
static int ready;

static int fail(int64_t err)
{
    switch (err) {
    case AE_ERR_EXISTS: errno = EADDRINUSE; break;
    case AE_ERR_NOTFOUND: errno = EADDRNOTAVAIL; break;
    case AE_ERR_UNSUPPORTED: errno = EHOSTUNREACH; break;
    case AE_ERR_RANGE: errno = EMSGSIZE; break;
    case AE_ERR_TIMEOUT: errno = EAGAIN; break;
    case AE_ERR_PEER_CLOSED: errno = ECONNRESET; break;
    default: errno = (int)-err; break;
    }
    return -1;
}

static struct lsock *get(int s)
{
    if (s <= 0 || s >= SOCKETS_MAX || !socks[s].type) {
        errno = EBADF;
        return NULL;
    }
    return &socks[s];
}

/* sockaddr_in -> endpoint (host order), or -1 with errno. */
static int64_t ep_of(const struct sockaddr *a, socklen_t len)
{
    const struct sockaddr_in *in = (const struct sockaddr_in *)a;

    if (!a || len < sizeof(*in)) {
        errno = EINVAL;
        return -1;
    }
    if (in->sin_family != AF_INET) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    return (int64_t)AE_NET_EP(ntohl(in->sin_addr.s_addr), ntohs(in->sin_port));
}

static void put_addr(uint64_t ep, struct sockaddr *a, socklen_t *len)
{
    struct sockaddr_in in = {AF_INET, htons(AE_NET_EP_PORT(ep)),
                             {htonl(AE_NET_EP_ADDR(ep))}, {0}};

    if (!a || !len)
        return;
    memcpy(a, &in, *len < sizeof(in) ? *len : sizeof(in));
    *len = sizeof(in);
}

int socket(int domain, int type, int protocol)
{
    int64_t s;

    if (domain != AF_INET)
        return errno = EAFNOSUPPORT, -1;
    if (!(type == SOCK_DGRAM && (!protocol || protocol == IPPROTO_UDP)) &&
        !(type == SOCK_STREAM && (!protocol || protocol == IPPROTO_TCP)))
        return errno = EPROTONOSUPPORT, -1;
    if (!ready) {
        netc_init(NETC_BUF_VA);
        ready = 1;
    }
    s = netc_socket(type == SOCK_STREAM ? AE_NET_TCP : AE_NET_UDP);
    if (s < 0)
        return fail(s);
    if (s >= SOCKETS_MAX) {
        netc_close(s);
        return errno = EMFILE, -1;
    }
    socks[s] = (struct lsock){type, AE_WAIT_FOREVER, AE_WAIT_FOREVER, 0, 0};
    return (int)s;
}

int bind(int s, const struct sockaddr *addr, socklen_t len)
{
    struct lsock *l = get(s);
    int64_t ep = l ? ep_of(addr, len) : -1, r;

    if (ep < 0)
        return -1;
    r = netc_bind(s, (uint64_t)ep);
    if (r < 0)
        return fail(r);
    l->local = (uint64_t)r;
    return 0;
}

/* NET_STATUS of a TCP socket: its AE_NET_ST_* bits, and why it ended. */
static int64_t status(int s, int64_t *why)
{
    struct ae_msg m = {.info = AE_MSG_INFO(AE_NET_STATUS, 0), .w = {(uint64_t)s}};
    int64_t r = netc_call(&m);

    if (r)
        return r;
    *why = (int64_t)m.w[2];
    return (int64_t)m.w[0];
}

/* A stream that ended badly: the errno for it. */
static int stream_error(int64_t why, int refused)
{
    errno = why == AE_ERR_TIMEOUT ? ETIMEDOUT : refused ? ECONNREFUSED : ECONNRESET;
    return -1;
}

int connect(int s, const struct sockaddr *addr, socklen_t len)
{
    struct lsock *l = get(s);
    int64_t ep = l ? ep_of(addr, len) : -1, r, why = 0;
    uint64_t deadline;

    if (ep < 0)
        return -1;
    r = netc_connect(s, (uint64_t)ep);
    if (r < 0)
        return r == AE_ERR_BUSY ? (errno = EISCONN, -1) : fail(r);
    l->remote = (uint64_t)ep;
    if (l->type != SOCK_STREAM)
        return 0;
    /* Wait for the handshake, up to the send timeout. */
    deadline = l->sndtimeo_ns == AE_WAIT_FOREVER ? AE_WAIT_FOREVER
                                                 : (uint64_t)ae_clock_get() + l->sndtimeo_ns;
    for (;;) {
        int64_t st = status(s, &why);
        if (st < 0)
            return fail(st);
        if (st & AE_NET_ST_CONNECTED)
            return 0;
        if (st & AE_NET_ST_CLOSED)
            return stream_error(why, 1);
        uint64_t now = (uint64_t)ae_clock_get();
        if (now >= deadline)
            return errno = ETIMEDOUT, -1;
        netc_wait(deadline == AE_WAIT_FOREVER ? AE_WAIT_FOREVER : deadline - now);
    }
}

int listen(int s, int backlog)
{
    struct lsock *l = get(s);
    struct ae_msg m;
    int64_t r;

    if (!l)
        return -1;
    if (l->type != SOCK_STREAM)
        return errno = ENOTSUP, -1;
    if (!l->local && bind(s, (const struct sockaddr *)&(struct sockaddr_in){AF_INET, 0, {0}, {0}},
                          sizeof(struct sockaddr_in)))
        return -1;
    m = (struct ae_msg){.info = AE_MSG_INFO(AE_NET_LISTEN, 0),
                        .w = {(uint64_t)s, backlog < 1 ? 1 : backlog > 1024 ? 1024 : (uint64_t)backlog}};
    r = netc_call(&m);
    return r ? fail(r) : 0;
}

int accept(int s, struct sockaddr *addr, socklen_t *len)
{
    struct lsock *l = get(s);
    struct ae_msg m;
    int64_t r;

    if (!l)
        return -1;
    if (l->type != SOCK_STREAM)
        return errno = ENOTSUP, -1;
    m = (struct ae_msg){.info = AE_MSG_INFO(AE_NET_ACCEPT, 0), .w = {(uint64_t)s}};
    r = netc_call_wait(&m, l->rcvtimeo_ns);
    if (r)
        return fail(r);
    if (m.w[0] >= SOCKETS_MAX) {
        netc_close((int64_t)m.w[0]);
        return errno = EMFILE, -1;
    }
    socks[m.w[0]] = (struct lsock){SOCK_STREAM, AE_WAIT_FOREVER, AE_WAIT_FOREVER, l->local, m.w[1]};
    put_addr(m.w[1], addr, len);
    return (int)m.w[0];
}

/* TCP: all of buf, a buffer's worth at a time, waiting for room. */
static ssize_t stream_send(int s, struct lsock *l, const uint8_t *buf, size_t len, int flags)
{
    size_t done = 0;

    while (done < len) {
        size_t chunk = len - done < 65536 ? len - done : 65536;
        struct ae_msg m = {.info = AE_MSG_INFO(AE_NET_SENDTO, 0), .w = {(uint64_t)s, chunk}};
        int64_t r;
        memcpy(netc_buf(), buf + done, chunk);
        r = (flags & MSG_DONTWAIT) ? netc_call(&m) : netc_call_wait(&m, l->sndtimeo_ns);
        if (r) {
            if (done)
                return (ssize_t)done;
            if (r == AE_ERR_AGAIN || r == AE_ERR_TIMEOUT)
                return errno = EAGAIN, -1;
            return r == AE_ERR_INVAL ? (errno = EPIPE, -1) : fail(r);
        }
        done += m.w[0];
    }
    return (ssize_t)done;
}

ssize_t sendto(int s, const void *buf, size_t len, int flags, const struct sockaddr *to,
               socklen_t tolen)
{
    struct lsock *l = get(s);
    int64_t ep = 0, r;

    if (!l)
        return -1;
    if (l->type == SOCK_STREAM)
        return stream_send(s, l, buf, len, flags);
    if (to && (ep = ep_of(to, tolen)) < 0)
        return -1;
    if (!to && !l->remote)
        return errno = ENOTCONN, -1;
    r = netc_sendto(s, buf, len, (uint64_t)ep);
    return r < 0 ? fail(r) : (ssize_t)r;
}

ssize_t send(int s, const void *buf, size_t len, int flags)
{
    return sendto(s, buf, len, flags, NULL, 0);
}

ssize_t recvfrom(int s, void *buf, size_t len, int flags, struct sockaddr *from,
                 socklen_t *fromlen)
{
    struct lsock *l = get(s);
    uint64_t ep = 0;
    int64_t r;

    if (!l)
        return -1;
    if (l->type == SOCK_STREAM) {
        /* Asks for at most len: what is not taken stays in net-stack. */
        struct ae_msg m = {.info = AE_MSG_INFO(AE_NET_RECVFROM, 0),
                           .w = {(uint64_t)s, len < 65536 ? len : 65536}};
        size_t n;
        r = (flags & MSG_DONTWAIT) ? netc_call(&m) : netc_call_wait(&m, l->rcvtimeo_ns);
        if (r == AE_ERR_AGAIN || r == AE_ERR_TIMEOUT)
            return errno = EAGAIN, -1;
        if (r)
            return fail(r);
        n = m.w[0] < len ? m.w[0] : len;   /* never more than asked */
        memcpy(buf, netc_buf(), n);
        put_addr(l->remote, from, fromlen);
        return (ssize_t)n;
    }
    r = netc_recvfrom(s, buf, len, &ep, (flags & MSG_DONTWAIT) ? 0 : l->rcvtimeo_ns);
    if (r < 0)
        return fail(r);
    put_addr(ep, from, fromlen);
    return (ssize_t)r;
}

ssize_t recv(int s, void *buf, size_t len, int flags)
{
    return recvfrom(s, buf, len, flags, NULL, NULL);
}

int shutdown(int s, int how)
{
    struct lsock *l = get(s);
    struct ae_msg m = {.info = AE_MSG_INFO(AE_NET_SHUTDOWN, 0), .w = {(uint64_t)s}};
    int64_t r;

    if (!l)
        return -1;
    if (l->type != SOCK_STREAM)
        return errno = ENOTCONN, -1;
    if (how == SHUT_RD)
        return 0;                   /* nothing to tell the peer */
    r = netc_call(&m);
    return r ? (errno = ENOTCONN, -1) : 0;
}

/* The timeouts, as struct timeval { long sec; long usec; }. */
struct lc_timeval {
    long tv_sec, tv_usec;
};

int setsockopt(int s, int level, int name, const void *val, socklen_t len)
{
    struct lsock *l = get(s);
    const struct lc_timeval *tv = val;

    if (!l)
        return -1;
    if (level == SOL_SOCKET && (name == SO_RCVTIMEO || name == SO_SNDTIMEO)) {
        if (!val || len < sizeof(*tv) || tv->tv_sec < 0 || tv->tv_usec < 0)
            return errno = EINVAL, -1;
        uint64_t ns = (uint64_t)tv->tv_sec * 1000000000ull + (uint64_t)tv->tv_usec * 1000;
        *(name == SO_RCVTIMEO ? &l->rcvtimeo_ns : &l->sndtimeo_ns) = ns ? ns : AE_WAIT_FOREVER;
        return 0;
    }
    if (level == SOL_SOCKET && name == SO_REUSEADDR)
        return 0;           /* a port is free as soon as its socket closes */
    if (l->type == SOCK_STREAM && ((level == IPPROTO_TCP && name == TCP_NODELAY) ||
                                   (level == SOL_SOCKET && name == SO_KEEPALIVE))) {
        struct ae_msg m = {.info = AE_MSG_INFO(AE_NET_SETOPT, 0),
                           .w = {(uint64_t)s, name == TCP_NODELAY && level == IPPROTO_TCP
                                                  ? AE_NET_OPT_NODELAY : AE_NET_OPT_KEEPALIVE}};
        int64_t r;
        if (!val || len < sizeof(int))
            return errno = EINVAL, -1;
        m.w[2] = *(const int *)val != 0;
        r = netc_call(&m);
        return r ? fail(r) : 0;
    }
    return errno = ENOPROTOOPT, -1;
}

int getsockopt(int s, int level, int name, void *val, socklen_t *len)
{
    struct lsock *l = get(s);

    if (!l)
        return -1;
    if (level == SOL_SOCKET && name == SO_ERROR && val && len && *len >= sizeof(int)) {
        int64_t why = 0, st = l->type == SOCK_STREAM ? status(s, &why) : 0;
        *(int *)val = st >= 0 && (st & AE_NET_ST_ERROR)
                          ? (why == AE_ERR_TIMEOUT ? ETIMEDOUT : ECONNRESET) : 0;
        *len = sizeof(int);
        return 0;
    }
    return errno = ENOPROTOOPT, -1;
}

int getsockname(int s, struct sockaddr *addr, socklen_t *len)
{
    struct lsock *l = get(s);

    if (!l)
        return -1;
    put_addr(l->local, addr, len);
    return 0;
}

int getpeername(int s, struct sockaddr *addr, socklen_t *len)
{
    struct lsock *l = get(s);

    if (!l)
        return -1;
    if (!l->remote)
        return errno = ENOTCONN, -1;
    put_addr(l->remote, addr, len);
    return 0;
}

int close(int s)
{
    int64_t r;

    if (!get(s))
        return -1;
    r = netc_close(s);
    memset(&socks[s], 0, sizeof(socks[s]));
    return r < 0 ? fail(r) : 0;
}

int poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
    struct ae_net_pollfd *p = netc_buf();
    uint64_t timeout = timeout_ms < 0 ? AE_WAIT_FOREVER : (uint64_t)timeout_ms * 1000000ull;
    int64_t r;

    if (n > 65536 / sizeof(*p))
        return errno = EINVAL, -1;
    for (nfds_t i = 0; i < n; i++)
        p[i] = (struct ae_net_pollfd){(uint32_t)fds[i].fd, (uint16_t)fds[i].events, 0};
    r = netc_poll(n, timeout);
    if (r < 0)
        return fail(r);
    for (nfds_t i = 0; i < n; i++)
        fds[i].revents = (short)p[i].revents;
    return (int)r;
}

/* ---- getaddrinfo: numeric hosts and services only ------------------------- */

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                struct addrinfo **res)
{
    int type = hints ? hints->ai_socktype : 0, flags = hints ? hints->ai_flags : 0;
    struct in_addr addr = {htonl(flags & AI_PASSIVE ? INADDR_ANY : INADDR_LOOPBACK)};
    unsigned long port = 0;
    struct {
        struct addrinfo ai;
        struct sockaddr_in sin;
    } *out;

    if (hints && hints->ai_family != AF_UNSPEC && hints->ai_family != AF_INET)
        return EAI_FAMILY;
    if (type && type != SOCK_DGRAM && type != SOCK_STREAM)
        return EAI_SOCKTYPE;
    if (!node && !service)
        return EAI_NONAME;
    if (node && !inet_aton(node, &addr))
        return EAI_NONAME;              /* no DNS yet */
    if (service) {
        char *end;
        port = strtoul(service, &end, 10);
        if (!*service || *end || port > 65535)
            return EAI_SERVICE;
    }
    out = calloc(1, sizeof(*out));
    if (!out)
        return EAI_MEMORY;
    out->sin = (struct sockaddr_in){AF_INET, htons((uint16_t)port), addr, {0}};
    out->ai = (struct addrinfo){0, AF_INET, type ? type : SOCK_DGRAM,
                                type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP,
                                sizeof(out->sin), (struct sockaddr *)&out->sin, NULL, NULL};
    *res = &out->ai;
    return 0;
}

void freeaddrinfo(struct addrinfo *res)
{
    while (res) {
        struct addrinfo *next = res->ai_next;
        free(res);                      /* the address lives in the same block */
        res = next;
    }
}

const char *gai_strerror(int err)
{
    switch (err) {
    case 0: return "success";
    case EAI_BADFLAGS: return "bad flags";
    case EAI_NONAME: return "not a numeric host (no DNS yet)";
    case EAI_FAMILY: return "address family not supported";
    case EAI_SOCKTYPE: return "socket type not supported";
    case EAI_SERVICE: return "not a numeric port";
    case EAI_MEMORY: return "out of memory";
    default: return "unknown error";
    }
}

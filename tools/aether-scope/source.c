/*
 * Stream input. A regular file is always "readable" to poll(), so a
 * followed file is read on every turn of the loop (the loop wakes every
 * 100 ms for it) instead of being polled; a socket is polled.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "source.h"

#define FOLLOW_POLL_MS 100

uint64_t src_now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

static void reset(struct source *s)
{
    memset(s, 0, sizeof(*s));
    s->fd = -1;
    s->rec_fd = -1;
}

int src_open_file(struct source *s, const char *path, int follow)
{
    src_data_fn fn = s->on_data;
    void *ctx = s->ctx;

    reset(s);
    s->on_data = fn;
    s->ctx = ctx;
    snprintf(s->target, sizeof(s->target), "%s", path);
    s->follow = follow;
    s->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (s->fd < 0) {
        fprintf(stderr, "aether-scope: %s: %s\n", path, strerror(errno));
        return -1;
    }
    s->connected = 1;
    s->connects = 1;
    return 0;
}

int src_open_connect(struct source *s, const char *hostport)
{
    src_data_fn fn = s->on_data;
    void *ctx = s->ctx;
    const char *colon = strrchr(hostport, ':');
    size_t hlen;

    reset(s);
    s->on_data = fn;
    s->ctx = ctx;
    s->is_connect = 1;
    snprintf(s->target, sizeof(s->target), "%s", hostport);
    if (!colon || colon == hostport || !colon[1] || strlen(colon + 1) >= sizeof(s->port)) {
        fprintf(stderr, "aether-scope: --connect wants HOST:PORT, not '%s'\n", hostport);
        return -1;
    }
    hlen = (size_t)(colon - hostport);
    /* [::1]:1234 */
    if (hostport[0] == '[' && hlen >= 2 && hostport[hlen - 1] == ']') {
        hostport++;
        hlen -= 2;
    }
    if (hlen >= sizeof(s->host)) {
        fprintf(stderr, "aether-scope: --connect: host name too long\n");
        return -1;
    }
    memcpy(s->host, hostport, hlen);
    s->host[hlen] = 0;
    snprintf(s->port, sizeof(s->port), "%s", colon + 1);
    return 0;
}

int src_record(struct source *s, const char *path)
{
    s->rec_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (s->rec_fd < 0) {
        fprintf(stderr, "aether-scope: --record %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static void drop_connection(struct source *s, const char *why, uint64_t now_ms)
{
    if (s->connected)
        fprintf(stderr, "aether-scope: %s: connection closed (%s); reconnecting\n", s->target,
                why);
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    s->connected = s->connecting = 0;
    s->retry_at_ms = now_ms + SRC_RETRY_MS;
}

/* Starts a nonblocking connect to the first address that takes one. */
static void start_connect(struct source *s, uint64_t now_ms)
{
    struct addrinfo hints, *res = NULL;
    int rc;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    rc = getaddrinfo(s->host, s->port, &hints, &res);
    s->retry_at_ms = now_ms + SRC_RETRY_MS;
    if (rc != 0) {
        if (!s->warned++)
            fprintf(stderr, "aether-scope: %s: %s; retrying\n", s->target, gai_strerror(rc));
        return;
    }
    for (struct addrinfo *a = res; a; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                        a->ai_protocol);

        if (fd < 0)
            continue;
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0 || errno == EINPROGRESS) {
            s->fd = fd;
            s->connecting = 1;
            break;
        }
        close(fd);
    }
    freeaddrinfo(res);
}

static void deliver(struct source *s, const void *data, size_t n)
{
    if (s->rec_fd >= 0) {
        const char *p = data;
        size_t left = n;

        while (left > 0) {
            ssize_t w = write(s->rec_fd, p, left);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                fprintf(stderr, "aether-scope: --record: %s; recording stopped\n",
                        strerror(errno));
                close(s->rec_fd);
                s->rec_fd = -1;
                break;
            }
            p += w;
            left -= (size_t)w;
        }
    }
    s->on_data(s->ctx, data, n);
}

int src_poll_setup(struct source *s, struct pollfd *p, uint64_t now_ms)
{
    p->fd = -1;
    p->events = 0;
    p->revents = 0;
    if (!s->is_connect) {
        if (s->done || s->fd < 0)
            return -1;
        return s->follow ? FOLLOW_POLL_MS : 0;
    }
    if (s->fd < 0)
        return s->retry_at_ms > now_ms ? (int)(s->retry_at_ms - now_ms) : 0;
    p->fd = s->fd;
    p->events = s->connecting ? POLLOUT : POLLIN;
    return -1;
}

static void step_file(struct source *s)
{
    static char buf[SRC_READ_CHUNK];
    size_t budget = SRC_FILE_BUDGET;

    while (budget > 0 && s->fd >= 0) {
        ssize_t n = read(s->fd, buf, sizeof(buf));

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fprintf(stderr, "aether-scope: %s: %s\n", s->target, strerror(errno));
            n = 0;
        }
        if (n == 0) {
            /* The end, for now: a followed file is read again next turn. */
            if (!s->follow) {
                close(s->fd);
                s->fd = -1;
                s->done = 1;
                s->connected = 0;
            }
            return;
        }
        deliver(s, buf, (size_t)n);
        budget -= (size_t)n < budget ? (size_t)n : budget;
    }
}

void src_step(struct source *s, short revents, uint64_t now_ms)
{
    static char buf[SRC_READ_CHUNK];

    if (!s->is_connect) {
        step_file(s);
        return;
    }
    if (s->fd < 0) {
        if (now_ms >= s->retry_at_ms)
            start_connect(s, now_ms);
        return;
    }
    if (s->connecting) {
        int err = 0;
        socklen_t len = sizeof(err);

        if (!revents)
            return;
        if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
            err = errno;
        if (err) {
            if (!s->warned++)
                fprintf(stderr, "aether-scope: %s: %s; retrying every %u ms\n", s->target,
                        strerror(err), SRC_RETRY_MS);
            close(s->fd);
            s->fd = -1;
            s->connecting = 0;
            s->retry_at_ms = now_ms + SRC_RETRY_MS;
            return;
        }
        s->connecting = 0;
        s->connected = 1;
        s->connects++;
        s->warned = 0;
        fprintf(stderr, "aether-scope: connected to %s\n", s->target);
        return;
    }
    if (!(revents & (POLLIN | POLLHUP | POLLERR)))
        return;
    for (int i = 0; i < 16; i++) {      /* bounded: the HTTP side must get turns too */
        ssize_t n = recv(s->fd, buf, sizeof(buf), 0);

        if (n > 0) {
            deliver(s, buf, (size_t)n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n < 0 && errno == EINTR)
            continue;
        drop_connection(s, n == 0 ? "end of stream" : strerror(errno), now_ms);
        return;
    }
}

void src_close(struct source *s)
{
    if (s->fd >= 0)
        close(s->fd);
    if (s->rec_fd >= 0)
        close(s->rec_fd);
    s->fd = s->rec_fd = -1;
}

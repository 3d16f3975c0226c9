/*
 * The serving loop. Connections are handled one request each
 * (Connection: close): the page polls /api/state a few times a second on
 * the loopback, so keep-alive would buy nothing and cost state. Every
 * connection has a fixed-size input buffer and deadlines; a request that
 * does not parse gets a 4xx, and its socket is drained briefly after the
 * answer so the client reads the answer instead of a reset.
 */
#define _GNU_SOURCE            /* accept4 */
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "decode.h"
#include "http.h"
#include "model.h"
#include "routes.h"
#include "server.h"
#include "source.h"

#define MAX_CONNS 64
#define READ_TIMEOUT_MS 10000u
#define WRITE_TIMEOUT_MS 10000u
#define DRAIN_TIMEOUT_MS 1000u

enum conn_phase { CONN_FREE, CONN_READING, CONN_WRITING, CONN_DRAINING };

struct conn {
    int fd;
    enum conn_phase phase;
    char in[HTTP_MAX_HEAD];
    size_t in_len;
    struct sb out;
    size_t out_off;
    uint64_t deadline_ms;
};

struct scope {
    struct sm_model *model;
    struct sd_decoder dec;
    struct source src;
    int lfd;
    struct conn conns[MAX_CONNS];
};

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    stopping = sig;
}

static void feed(void *ctx, const void *data, size_t n)
{
    struct scope *s = ctx;

    sd_feed(&s->dec, data, n);
}

static int listen_loopback(int port)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof(a);
    int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);     /* never any other interface */
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 64) < 0 ||
        getsockname(fd, (struct sockaddr *)&a, &alen) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int bound_port(int fd)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof(a);

    getsockname(fd, (struct sockaddr *)&a, &alen);
    return ntohs(a.sin_port);
}

static void conn_close(struct conn *c)
{
    close(c->fd);
    sb_free(&c->out);
    c->fd = -1;
    c->phase = CONN_FREE;
}

static void conn_respond(struct scope *s, struct conn *c, const struct http_req *r, int status,
                         uint64_t now)
{
    sb_reset(&c->out);
    if (status) {
        static const char *const why[] = {[400 - 400] = "bad request",
                                          [408 - 400] = "request timeout",
                                          [414 - 400] = "URI too long",
                                          [431 - 400] = "request head too large"};
        route_error(&c->out, status, why[status - 400] ? why[status - 400] : "error");
    } else {
        struct scope_view v = {
            .model = s->model,
            .stream = &s->dec.stats,
            .source = {
                .kind = s->src.is_connect ? "connect" : "file",
                .target = s->src.target,
                .connected = s->src.connected,
                .connects = s->src.connects,
                .follow = s->src.follow,
            },
        };
        route_request(&v, r, &c->out);
    }
    if (c->out.failed) {
        sb_reset(&c->out);
        route_error(&c->out, 500, "out of memory");
    }
    c->out_off = 0;
    c->phase = CONN_WRITING;
    c->deadline_ms = now + WRITE_TIMEOUT_MS;
}

static void conn_read(struct scope *s, struct conn *c, uint64_t now)
{
    struct http_req r;
    enum http_result pr;
    ssize_t n;

    if (c->in_len == sizeof(c->in))
        n = 0;                  /* full: parse says what that means */
    else
        n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n < 0 || (n == 0 && c->in_len < sizeof(c->in))) {
        conn_close(c);          /* gone before a whole request */
        return;
    }
    c->in_len += (size_t)n;
    pr = http_parse(c->in, c->in_len, &r);
    switch (pr) {
    case HTTP_INCOMPLETE: return;
    case HTTP_OK: conn_respond(s, c, &r, 0, now); break;
    case HTTP_TOO_BIG: conn_respond(s, c, &r, 431, now); break;
    case HTTP_URI_TOO_LONG: conn_respond(s, c, &r, 414, now); break;
    default: conn_respond(s, c, &r, 400, now); break;
    }
}

static void conn_write(struct conn *c, uint64_t now)
{
    while (c->out_off < c->out.len) {
        ssize_t n = send(c->fd, c->out.p + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n <= 0) {
            conn_close(c);
            return;
        }
        c->out_off += (size_t)n;
    }
    shutdown(c->fd, SHUT_WR);
    c->phase = CONN_DRAINING;
    c->deadline_ms = now + DRAIN_TIMEOUT_MS;
}

static void conn_drain(struct conn *c)
{
    char junk[4096];
    ssize_t n;

    while ((n = recv(c->fd, junk, sizeof(junk), 0)) > 0)
        ;
    if (n == 0 || (errno != EAGAIN && errno != EINTR))
        conn_close(c);
}

static void accept_all(struct scope *s, uint64_t now)
{
    for (;;) {
        int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC), i;

        if (fd < 0)
            return;
        for (i = 0; i < MAX_CONNS && s->conns[i].phase != CONN_FREE; i++)
            ;
        if (i == MAX_CONNS) {
            /* Full: the connection that has been sending its request the
             * longest gives way, so idle or slow clients cannot lock the
             * page out until their timeouts. */
            int oldest = -1;

            for (int k = 0; k < MAX_CONNS; k++)
                if (s->conns[k].phase == CONN_READING &&
                    (oldest < 0 || s->conns[k].deadline_ms < s->conns[oldest].deadline_ms))
                    oldest = k;
            if (oldest >= 0) {
                conn_close(&s->conns[oldest]);
                i = oldest;
            }
        }
        if (i == MAX_CONNS) {
            static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\n"
                                       "Content-Length: 0\r\nConnection: close\r\n\r\n";
            if (send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
                /* nothing more to do for it either way */
            }
            close(fd);
            continue;
        }
        memset(&s->conns[i], 0, sizeof(s->conns[i]));
        s->conns[i].fd = fd;
        s->conns[i].phase = CONN_READING;
        s->conns[i].deadline_ms = now + READ_TIMEOUT_MS;
    }
}

static int loop(struct scope *s)
{
    struct pollfd p[2 + MAX_CONNS];
    int owner[2 + MAX_CONNS];

    while (!stopping) {
        uint64_t now = src_now_ms();
        int timeout = src_poll_setup(&s->src, &p[1], now), np = 2;

        p[0].fd = s->lfd;
        p[0].events = POLLIN;
        for (int i = 0; i < MAX_CONNS; i++) {
            struct conn *c = &s->conns[i];
            int left;

            if (c->phase == CONN_FREE)
                continue;
            p[np].fd = c->fd;
            p[np].events = c->phase == CONN_WRITING ? POLLOUT : POLLIN;
            owner[np++] = i;
            left = c->deadline_ms > now ? (int)(c->deadline_ms - now) : 0;
            if (timeout < 0 || left < timeout)
                timeout = left;
        }
        if (poll(p, (nfds_t)np, timeout) < 0 && errno != EINTR) {
            perror("aether-scope: poll");
            return 1;
        }
        now = src_now_ms();
        src_step(&s->src, p[1].fd >= 0 ? p[1].revents : 0, now);
        /* Connections first, then new ones: slots of clients that have
         * gone are free again before anyone is turned away. */
        for (int k = 2; k < np; k++) {
            struct conn *c = &s->conns[owner[k]];

            if (c->phase == CONN_FREE || c->fd != p[k].fd)
                continue;
            if (p[k].revents) {
                if (c->phase == CONN_READING)
                    conn_read(s, c, now);
                else if (c->phase == CONN_WRITING)
                    conn_write(c, now);
                else
                    conn_drain(c);
            }
            if (c->phase == CONN_WRITING && c->out_off == 0 && c->out.len)
                conn_write(c, now);     /* answer at once, don't wait a turn */
            if (c->phase != CONN_FREE && now >= c->deadline_ms) {
                if (c->phase == CONN_READING)
                    conn_respond(s, c, NULL, 408, now);
                else
                    conn_close(c);
            }
        }
        if (p[0].revents & POLLIN)
            accept_all(s, now);
    }
    return 0;
}

int scope_serve(const struct serve_opts *o)
{
    struct sigaction sa;
    struct scope *s = calloc(1, sizeof(*s));
    int rc;

    if (!s || !(s->model = calloc(1, sizeof(*s->model)))) {
        fprintf(stderr, "aether-scope: out of memory\n");
        return 1;
    }
    sm_init(s->model);
    sd_init(&s->dec, sm_apply_cb, s->model);
    s->src.on_data = feed;
    s->src.ctx = s;
    if (o->connect ? src_open_connect(&s->src, o->connect) < 0
                   : src_open_file(&s->src, o->input, o->follow) < 0)
        return 1;
    if (o->record && src_record(&s->src, o->record) < 0)
        return 1;
    s->lfd = listen_loopback(o->port);
    if (s->lfd < 0) {
        fprintf(stderr, "aether-scope: cannot listen on 127.0.0.1:%d: %s\n", o->port,
                strerror(errno));
        return 1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;          /* no SA_RESTART: poll() must wake */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    printf("aether-scope: serving on http://127.0.0.1:%d/\n", bound_port(s->lfd));
    fflush(stdout);
    rc = loop(s);
    for (int i = 0; i < MAX_CONNS; i++)
        if (s->conns[i].phase != CONN_FREE)
            conn_close(&s->conns[i]);
    close(s->lfd);
    src_close(&s->src);
    free(s->model);
    free(s);
    return rc;
}

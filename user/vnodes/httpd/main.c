/*
 * httpd: HTTP/1.1 on port 80 (docs/NETWORK.md). One thread, one poll()
 * over the listening socket and every connection: a connection reads its
 * request head, then sends the answer (the head, then the file in pieces
 * as the socket takes them), then, with keep-alive, reads the next. Files
 * come from the file service under /boot/vnodes/httpd (this V-Node's own bundle:
 * every block checked against its signed root as it is read); small ones
 * are kept in memory after their first read (file_cache.h); "/" is
 * index.html. Only GET and HEAD.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "file_cache.h"
#include "http_req.h"
#include "svc.h"
#include "vfsc.h"
#include "common/fmt.h"

#define PORT 80
#define CONNS_MAX 250
#define ROOT "/boot/vnodes/httpd"
#define VFS_VA 0x0000120000000000ull
#define OUT_MAX 16384
#define IDLE_NS (60 * 1000000000ull)    /* a quiet keep-alive connection is closed */

struct conn {
    int fd;                     /* -1: free */
    size_t in_len;
    char in[HTTP_HEAD_MAX];
    int64_t file;               /* the file being sent, -1 none */
    const uint8_t *mem;         /* or its cached content, NULL none */
    uint64_t file_off, file_left;
    size_t out_off, out_len;    /* pending bytes of out[] */
    uint8_t out[OUT_MAX];
    bool close_after;
    uint64_t last_ns;
};

static struct conn conns[CONNS_MAX];
static struct pollfd pfd[CONNS_MAX + 1];
static unsigned pfd_conn[CONNS_MAX + 1];   /* pfd[k] is conns[pfd_conn[k]]'s, k > 0 */
static uint64_t served;

static const char *type_of(const char *path)
{
    const char *dot = strrchr(path, '.');

    if (!dot)
        return "application/octet-stream";
    if (!strcmp(dot, ".html"))
        return "text/html; charset=utf-8";
    if (!strcmp(dot, ".txt") || !strcmp(dot, ".md"))
        return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

static void end_conn(struct conn *c)
{
    if (c->file >= 0)
        vfs_close(c->file);
    close(c->fd);
    c->fd = -1;
    c->file = -1;
}

static void head(struct conn *c, int status, const char *reason, const char *type,
                 uint64_t len)
{
    c->out_off = 0;
    c->out_len = (size_t)ae_snprintf((char *)c->out, OUT_MAX,
                                     "HTTP/1.1 %d %s\r\nServer: AetherOS-httpd\r\n"
                                     "Content-Type: %s\r\nContent-Length: %lu\r\n"
                                     "Connection: %s\r\n\r\n",
                                     status, reason, type, (unsigned long)len,
                                     c->close_after ? "close" : "keep-alive");
}

static void error_page(struct conn *c, int status)
{
    const char *reason = status == 404 ? "Not Found" : status == 405 ? "Method Not Allowed"
                         : status == 414 ? "URI Too Long" : status == 431
                         ? "Request Header Fields Too Large" : status == 505
                         ? "HTTP Version Not Supported" : "Bad Request";
    char body[96];
    int n = ae_snprintf(body, sizeof(body), "%d %s\n", status, reason);

    if (status != 404 && status != 405)
        c->close_after = true;      /* the stream cannot be trusted further */
    head(c, status, reason, "text/plain; charset=utf-8", (uint64_t)n);
    memcpy(c->out + c->out_len, body, (size_t)n);
    c->out_len += (size_t)n;
}

/* A whole request head is in c->in: starts its answer. */
static void answer(struct conn *c)
{
    struct http_req r;
    int n = http_req_parse(c->in, c->in_len, &r);
    char path[sizeof(ROOT) + HTTP_PATH_MAX + 16];
    struct vfs_stat st;
    const uint8_t *data;
    size_t len;

    if (n == 0)
        return;
    if (n < 0) {
        c->in_len = 0;
        error_page(c, -n);
        return;
    }
    memmove(c->in, c->in + n, c->in_len - (size_t)n);  /* a pipelined next one */
    c->in_len -= (size_t)n;
    c->close_after = !r.keep_alive;
    if (r.method == HTTP_OTHER || r.has_body) {
        error_page(c, r.has_body ? 400 : 405);
        return;
    }
    ae_snprintf(path, sizeof(path), "%s%s%s", ROOT, r.path,
                r.path[strlen(r.path) - 1] == '/' ? "index.html" : "");
    if (fcache_get(path, &data, &len)) {
        size_t now;

        head(c, 200, "OK", type_of(path), len);
        c->mem = data;
        c->file_left = r.method == HTTP_GET ? len : 0;
        /* The head and as much of the body as fits go out together. */
        now = c->file_left < OUT_MAX - c->out_len ? (size_t)c->file_left : OUT_MAX - c->out_len;
        memcpy(c->out + c->out_len, data, now);
        c->out_len += now;
        c->file_off = now;
        c->file_left -= now;
        served++;
        return;
    }
    c->file = vfs_open(path, AE_VFS_O_READ, &st);
    if (c->file >= 0 && st.type != AE_VFS_FILE) {
        vfs_close(c->file);
        c->file = -1;
    }
    if (c->file < 0) {
        c->file = -1;
        error_page(c, 404);
        return;
    }
    head(c, 200, "OK", type_of(path), st.size);
    c->file_off = 0;
    c->file_left = r.method == HTTP_GET ? st.size : 0;
    served++;
}

/* Fills out[] from the file when it is empty. */
static bool refill(struct conn *c)
{
    int64_t n;

    if (c->out_off < c->out_len || !c->file_left)
        return c->out_off < c->out_len;
    if (c->mem) {
        n = (int64_t)(c->file_left < OUT_MAX ? c->file_left : OUT_MAX);
        memcpy(c->out, c->mem + c->file_off, (size_t)n);
    } else {
        n = vfs_read(c->file, c->file_off, c->out,
                     c->file_left < OUT_MAX ? (size_t)c->file_left : OUT_MAX);
    }
    if (n <= 0) {
        c->close_after = true;      /* the file failed mid-way: the length was a lie */
        c->file_left = 0;
        return false;
    }
    c->out_off = 0;
    c->out_len = (size_t)n;
    c->file_off += (uint64_t)n;
    c->file_left -= (uint64_t)n;
    return true;
}

/* Sends what the socket takes now; false when the connection is over. */
static bool push(struct conn *c)
{
    while (refill(c)) {
        ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_DONTWAIT);
        if (n < 0)
            return errno == EAGAIN;
        c->out_off += (size_t)n;
    }
    if (c->out_off < c->out_len || c->file_left)
        return true;
    /* Answer complete. */
    if (c->file >= 0) {
        vfs_close(c->file);
        c->file = -1;
    }
    c->mem = NULL;
    c->out_off = c->out_len = 0;
    if (c->close_after)
        return false;
    if (c->in_len)
        answer(c);                  /* pipelined */
    return true;
}

static bool busy(const struct conn *c)
{
    return c->out_off < c->out_len || c->file_left;
}

static void take(struct conn *c)
{
    ssize_t n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, MSG_DONTWAIT);

    if (n == 0 || (n < 0 && errno != EAGAIN)) {
        end_conn(c);
        return;
    }
    if (n > 0)
        c->in_len += (size_t)n;
    c->last_ns = (uint64_t)ae_clock_get();
    answer(c);
    if (!busy(c) && c->in_len == sizeof(c->in))
        error_page(c, 431);
}

static void accept_all(int ls)
{
    for (;;) {
        int fd = accept(ls, NULL, NULL);
        int one = 1;
        if (fd < 0)
            return;
        for (unsigned i = 0; i < CONNS_MAX; i++) {
            if (conns[i].fd < 0) {
                conns[i].fd = fd;
                conns[i].in_len = conns[i].out_off = conns[i].out_len = 0;
                conns[i].file = -1;
                conns[i].mem = NULL;
                conns[i].file_left = 0;
                conns[i].close_after = false;
                conns[i].last_ns = (uint64_t)ae_clock_get();
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
                fd = -1;
                break;
            }
        }
        if (fd >= 0)
            close(fd);              /* full: the client sees the connection end */
    }
}

int main(const struct ae_bootinfo *bi)
{
    struct sockaddr_in a = {AF_INET, htons(PORT), {htonl(INADDR_ANY)}, {0}};
    struct { long sec, usec; } no_wait = {0, 1000};
    int ls;

    vfs_client_init(VFS_VA);
    for (unsigned i = 0; i < CONNS_MAX; i++)
        conns[i].fd = -1;
    ls = socket(AF_INET, SOCK_STREAM, 0);
    if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, CONNS_MAX) ||
        setsockopt(ls, SOL_SOCKET, SO_RCVTIMEO, &no_wait, sizeof(no_wait))) {
        ae_printf("httpd: cannot listen on port %d: %s", PORT, strerror(errno));
        return 1;
    }
    ae_printf("httpd: serving %s on port %d", ROOT, PORT);
    for (;;) {
        unsigned n = 0;
        uint64_t now = (uint64_t)ae_clock_get();

        pfd[n++] = (struct pollfd){ls, POLLIN, 0};
        for (unsigned i = 0; i < CONNS_MAX; i++) {
            struct conn *c = &conns[i];
            if (c->fd < 0)
                continue;
            if (!busy(c) && now - c->last_ns > IDLE_NS) {
                end_conn(c);
                continue;
            }
            pfd_conn[n] = i;
            pfd[n++] = (struct pollfd){c->fd, (short)(busy(c) ? POLLOUT : POLLIN), 0};
        }
        if (poll(pfd, n, 1000) < 0)
            continue;
        for (unsigned k = 1; k < n; k++) {
            struct conn *c = &conns[pfd_conn[k]];

            if (!pfd[k].revents || c->fd != pfd[k].fd)
                continue;
            if (pfd[k].revents & POLLIN)
                take(c);
            if (c->fd >= 0 && busy(c) && !push(c))
                end_conn(c);
            else if (c->fd >= 0 && (pfd[k].revents & (POLLERR | POLLHUP)) && !busy(c))
                end_conn(c);
        }
        if (pfd[0].revents & POLLIN)
            accept_all(ls);
    }
}

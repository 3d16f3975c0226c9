/*
 * TCP from the shell, through the C library's BSD sockets:
 *   fetch [-o FILE | -s] URL
 *                          HTTP/1.1 GET of http://ADDRESS[:PORT]/PATH; the
 *                          body to the console, to FILE, or (-s) nowhere;
 *                          then the status, byte count and SHA-256 of the body
 *   tcpsend ADDR PORT N    N bytes of a fixed pattern (byte i is i*7 mod 251)
 *                          to a TCP peer, then close; their SHA-256
 * Hosts are numeric (no DNS yet).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cmds.h"
#include "vfsc.h"
#include "crypto/sha256.h"

#define IO_TIMEOUT_S 120

static void hex(const uint8_t *d, char *out)
{
    for (int i = 0; i < 32; i++)
        ae_snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* http://A.B.C.D[:P]/path -> address, port, path (default "/"). */
static bool parse_url(const char *url, struct sockaddr_in *a, const char **path)
{
    char host[32];
    const char *p, *slash;
    size_t n;
    unsigned long port = 80;

    if (strncmp(url, "http://", 7))
        return false;
    p = url + 7;
    slash = strchr(p, '/');
    n = slash ? (size_t)(slash - p) : strlen(p);
    if (!n || n >= sizeof(host))
        return false;
    memcpy(host, p, n);
    host[n] = 0;
    char *colon = strchr(host, ':');
    if (colon) {
        char *end;
        *colon = 0;
        port = strtoul(colon + 1, &end, 10);
        if (*end || !port || port > 65535)
            return false;
    }
    *a = (struct sockaddr_in){AF_INET, htons((uint16_t)port), {0}, {0}};
    if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
        return false;
    *path = slash ? slash : "/";
    return true;
}

static int dial(struct sockaddr_in *a)
{
    struct { long sec, usec; } t = {IO_TIMEOUT_S, 0};
    int s = socket(AF_INET, SOCK_STREAM, 0);

    if (s < 0)
        return -1;
    if (setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &t, sizeof(t)) ||
        setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &t, sizeof(t)) ||
        connect(s, (struct sockaddr *)a, sizeof(*a))) {
        int e = errno;
        close(s);
        errno = e;
        return -1;
    }
    return s;
}

int cmd_fetch(int argc, char **argv, struct sh_io *io)
{
    static char buf[16384];
    const char *file = NULL, *path;
    struct sockaddr_in a;
    struct ae_sha256 h;
    uint8_t digest[32];
    char req[512], dig[65];
    size_t have = 0;
    uint64_t body = 0, want = UINT64_MAX, t0;
    int64_t fd = -1;
    int s, status = 0, a1 = 1;
    bool quiet = false;
    char *hdr_end = NULL;

    if (argc == 4 && !strcmp(argv[1], "-o")) {
        file = argv[2];
        a1 = 3;
    } else if (argc == 3 && !strcmp(argv[1], "-s")) {
        quiet = true;
        a1 = 2;
    }
    if (argc != a1 + 1 || !parse_url(argv[a1], &a, &path))
        return sh_fail(io, 2, "fetch", "usage: fetch [-o FILE | -s] http://ADDRESS[:PORT]/PATH");
    if (file && (fd = vfs_open(file, AE_VFS_O_WRITE | AE_VFS_O_CREATE | AE_VFS_O_TRUNC,
                               NULL)) < 0)
        return sh_fail(io, 1, "fetch", "%s: %s", file, ae_strerror(fd));
    t0 = (uint64_t)ae_clock_get();
    s = dial(&a);
    if (s < 0)
        return sh_fail(io, 1, "fetch", "connect: %s", strerror(errno));
    int n = ae_snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: "
                        "AetherOS-fetch\r\nConnection: close\r\n\r\n", path, argv[a1] + 7);
    if (send(s, req, (size_t)n, 0) != n) {
        close(s);
        return sh_fail(io, 1, "fetch", "send: %s", strerror(errno));
    }
    ae_sha256_init(&h);
    for (;;) {
        ssize_t r = recv(s, buf + have, sizeof(buf) - 1 - have, 0);
        if (r < 0) {
            close(s);
            return sh_fail(io, 1, "fetch", "receive: %s", strerror(errno));
        }
        if (r == 0)
            break;
        have += (size_t)r;
        char *data = buf;
        if (!hdr_end) {
            buf[have] = 0;
            if (!(hdr_end = strstr(buf, "\r\n\r\n"))) {
                if (have == sizeof(buf) - 1)
                    break;          /* headers too long */
                continue;
            }
            if (strncmp(buf, "HTTP/1.", 7) || have < 12 || buf[8] != ' ')
                break;
            status = (int)strtol(buf + 9, NULL, 10);
            char *cl = strstr(buf, "Content-Length:");
            if (!cl)
                cl = strstr(buf, "content-length:");
            if (cl && cl < hdr_end)
                want = strtoull(cl + 15, NULL, 10);
            data = hdr_end + 4;
        }
        size_t len = have - (size_t)(data - buf);
        if (len > want - body)
            len = (size_t)(want - body);
        ae_sha256_update(&h, data, len);
        for (size_t off = 0; fd >= 0 && off < len;) {
            int64_t w = vfs_write(fd, body + off, data + off, len - off);
            if (w <= 0) {
                close(s);
                vfs_close(fd);
                return sh_fail(io, 1, "fetch", "%s: %s after %lu bytes", file,
                               ae_strerror(w ? w : AE_ERR_RANGE), (unsigned long)(body + off));
            }
            off += (size_t)w;
        }
        if (fd < 0 && !quiet)
            sh_write(io->out, data, len);
        body += len;
        have = 0;
        if (body == want)
            break;
    }
    close(s);
    if (fd >= 0)
        vfs_close(fd);
    if (!hdr_end || !status)
        return sh_fail(io, 1, "fetch", "no HTTP response");
    if (want != UINT64_MAX && body != want)
        return sh_fail(io, 1, "fetch", "%lu of %lu bytes", (unsigned long)body,
                       (unsigned long)want);
    ae_sha256_final(&h, digest);
    hex(digest, dig);
    sh_printf(io, "%sfetch: HTTP %d, %lu bytes in %lu ms, sha256 %s\n",
              fd < 0 && !quiet && body ? "\n" : "",
              status, (unsigned long)body,
              (unsigned long)(((uint64_t)ae_clock_get() - t0) / 1000000), dig);
    return status >= 200 && status < 300 ? 0 : 1;
}

int cmd_tcpsend(int argc, char **argv, struct sh_io *io)
{
    static uint8_t buf[16384];
    struct sockaddr_in a = {AF_INET, 0, {0}, {0}};
    unsigned long port, total;
    struct ae_sha256 h;
    uint8_t digest[32];
    char dig[65], *end;
    uint64_t sent = 0, t0;
    int s;

    if (argc != 4 || inet_pton(AF_INET, argv[1], &a.sin_addr) != 1 ||
        !(port = strtoul(argv[2], &end, 10)) || *end || port > 65535 ||
        ((total = strtoul(argv[3], &end, 10)), *end))
        return sh_fail(io, 2, "tcpsend", "usage: tcpsend ADDRESS PORT BYTES");
    a.sin_port = htons((uint16_t)port);
    t0 = (uint64_t)ae_clock_get();
    s = dial(&a);
    if (s < 0)
        return sh_fail(io, 1, "tcpsend", "connect: %s", strerror(errno));
    ae_sha256_init(&h);
    while (sent < total) {
        size_t n = total - sent < sizeof(buf) ? (size_t)(total - sent) : sizeof(buf);
        for (size_t i = 0; i < n; i++)
            buf[i] = (uint8_t)((sent + i) * 7 % 251);
        ae_sha256_update(&h, buf, n);
        ssize_t r = send(s, buf, n, 0);
        if (r != (ssize_t)n) {
            close(s);
            return sh_fail(io, 1, "tcpsend", "send: %s after %lu bytes", strerror(errno),
                           (unsigned long)sent);
        }
        sent += n;
    }
    shutdown(s, SHUT_WR);
    /* Wait for the peer's end, so every byte was taken before we report. */
    while (recv(s, buf, sizeof(buf), 0) > 0)
        ;
    close(s);
    ae_sha256_final(&h, digest);
    hex(digest, dig);
    sh_printf(io, "tcpsend: %lu bytes in %lu ms, sha256 %s\n", (unsigned long)sent,
              (unsigned long)(((uint64_t)ae_clock_get() - t0) / 1000000), dig);
    return 0;
}

/*
 * Where the trace stream comes from: a TCP connection to QEMU's socket
 * chardev (reconnected when it drops), or a recorded file (optionally
 * followed as it grows). Every byte read can also be appended to a
 * recording file, so a live session can be replayed or exported later.
 */
#ifndef SCOPE_SOURCE_H
#define SCOPE_SOURCE_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#define SRC_RETRY_MS 1000u
#define SRC_READ_CHUNK 65536u
#define SRC_FILE_BUDGET (1u << 20)      /* file bytes per loop turn */

typedef void (*src_data_fn)(void *ctx, const void *data, size_t n);

struct source {
    int is_connect;
    char target[256];           /* as given: HOST:PORT or the path */
    char host[200], port[16];
    int follow;
    int fd;                     /* -1: none */
    int connecting;             /* nonblocking connect() under way */
    int connected;
    int done;                   /* a file read to its end, not followed */
    int warned;                 /* said once that connecting fails */
    uint64_t connects;
    uint64_t retry_at_ms;
    int rec_fd;                 /* --record, -1: none */
    src_data_fn on_data;
    void *ctx;
};

/* 0, or -1 with a message on stderr. */
int src_open_file(struct source *s, const char *path, int follow);
int src_open_connect(struct source *s, const char *hostport);
int src_record(struct source *s, const char *path);
/* Fills *p with what to poll for (fd -1: nothing) and returns how long
 * the loop may sleep in ms before src_step must run again (-1: forever). */
int src_poll_setup(struct source *s, struct pollfd *p, uint64_t now_ms);
/* Does the work poll found (revents of the pollfd given above, 0 if none). */
void src_step(struct source *s, short revents, uint64_t now_ms);
void src_close(struct source *s);

uint64_t src_now_ms(void);

#endif

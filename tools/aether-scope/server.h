/*
 * `aether-scope` serving: reads the stream from its source into the
 * model and answers HTTP on 127.0.0.1, all in one poll() loop (no threads,
 * so the model needs no locks).
 */
#ifndef SCOPE_SERVER_H
#define SCOPE_SERVER_H

struct serve_opts {
    int port;                   /* 0: any free port */
    const char *connect;        /* HOST:PORT, or NULL */
    const char *input;          /* a file, or NULL */
    int follow;
    const char *record;         /* or NULL */
};

/* Runs until SIGINT or SIGTERM; returns the exit status. */
int scope_serve(const struct serve_opts *o);

#endif

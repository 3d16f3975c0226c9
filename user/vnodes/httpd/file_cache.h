/*
 * httpd's small files, kept in memory after their first read. What httpd
 * serves is its own bundle, signed and immutable, so a copy never goes
 * stale; without it every request costs the file service an open, a read
 * (with each block checked against the bundle's root) and a close.
 */
#ifndef HTTPD_FILE_CACHE_H
#define HTTPD_FILE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#define FCACHE_ENTRIES 32
#define FCACHE_FILE_MAX (64 * 1024)     /* a bigger file is streamed each time */
#define FCACHE_TOTAL_MAX (1024 * 1024)

/* path's whole content if it is a regular file of at most FCACHE_FILE_MAX
 * bytes and fits: returns 1 with *data and *len set. 0: serve it some other
 * way (too big, the cache full, not a file, not found or a read error:
 * nothing is remembered of a file that is not there). */
int fcache_get(const char *path, const uint8_t **data, size_t *len);

#endif

/*
 * Path handling for the file service. Pure, so it is unit-tested on the
 * host. A path is absolute; "." components and repeated or trailing '/'
 * are dropped; ".." is refused (the namespace has no parent links to
 * follow safely, and no client needs one); components are at most
 * PATH_NAME_MAX bytes of printable ASCII other than '/'.
 */
#ifndef VFS_PATH_H
#define VFS_PATH_H

#include <stddef.h>

#define PATH_MAX_PARTS 16
#define PATH_NAME_MAX 63

struct path {
    int n;
    const char *part[PATH_MAX_PARTS];   /* into the caller's copy */
    size_t len[PATH_MAX_PARTS];
};

/* Splits s (NUL-terminated, at most maxlen bytes before the NUL) into
 * components. 0, or -1 for a path that is not absolute, too long, too
 * deep, has "..", or an empty, overlong or non-printable component. */
int path_split(const char *s, size_t maxlen, struct path *p);
/* 1 when component i of p is exactly name. */
int path_is(const struct path *p, int i, const char *name);

#endif

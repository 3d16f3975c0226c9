/*
 * The page's files (tools/aether-scope/web/), compiled into the binary by
 * embed_web.py so the tool is one file that needs nothing beside it.
 */
#ifndef SCOPE_WEB_H
#define SCOPE_WEB_H

#include <stddef.h>

struct web_asset {
    const char *path;           /* "/index.html", ... */
    const char *content_type;
    const unsigned char *data;
    size_t size;
};

extern const struct web_asset web_assets[];
extern const size_t web_nassets;

/* The asset served at path ("/" is "/index.html"), or NULL. */
const struct web_asset *web_find(const char *path);

#endif

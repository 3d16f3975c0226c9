/*
 * What the HTTP server answers (docs/TRACE.md, "HTTP endpoints"): the
 * page's files, /api/state and /api/node. Pure apart from reading the
 * model: a parsed request in, a whole response (head and body) out.
 */
#ifndef SCOPE_ROUTES_H
#define SCOPE_ROUTES_H

#include "buf.h"
#include "decode.h"
#include "http.h"
#include "model.h"
#include "state_json.h"

struct scope_view {
    const struct sm_model *model;
    const struct sd_stats *stream;
    struct sj_source source;
};

void route_request(const struct scope_view *v, const struct http_req *r, struct sb *out);
/* A complete error response with a small JSON body. */
void route_error(struct sb *out, int status, const char *why);

#endif

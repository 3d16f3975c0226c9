/*
 * Request routing. GET and HEAD only; the API answers JSON, errors too,
 * so the page and tests read one format.
 */
#include <stdlib.h>
#include <string.h>

#include "routes.h"
#include "web.h"

static void send_body(struct sb *out, int status, const char *type, const void *body, size_t n,
                      int head_only)
{
    http_head(out, status, type, n);
    if (!head_only)
        sb_put(out, body, n);
}

void route_error(struct sb *out, int status, const char *why)
{
    struct sb body = {0};

    sb_puts(&body, "{\"error\":");
    jw_str(&body, why);
    sb_puts(&body, "}\n");
    send_body(out, status, "application/json", body.p ? body.p : "", body.len, 0);
    sb_free(&body);
}

static void send_json(struct sb *out, struct sb *body, int head_only)
{
    if (body->failed) {
        route_error(out, 500, "response too large");
        return;
    }
    sb_put(body, "\n", 1);
    send_body(out, 200, "application/json", body->p, body->len, head_only);
}

/* /api/node?pid=N or ?name=NAME */
static void node_request(const struct scope_view *v, const struct http_req *r, struct sb *out,
                         int head_only)
{
    char arg[64], *end;
    struct sb body = {0};
    int node = -1, rc;

    if ((rc = http_query(r->query, "pid", arg, sizeof(arg))) > 0) {
        unsigned long pid = strtoul(arg, &end, 10);

        if (!arg[0] || *end || pid == 0 || pid > UINT32_MAX) {
            route_error(out, 400, "pid must be a number from 1 to 4294967295");
            return;
        }
        node = sm_node_of_pid(v->model, (uint32_t)pid);
    } else if (rc == 0 && (rc = http_query(r->query, "name", arg, sizeof(arg))) > 0) {
        node = sm_node_by_name(v->model, arg);
    }
    if (rc < 0) {
        route_error(out, 400, "malformed query");
        return;
    }
    if (rc == 0) {
        route_error(out, 400, "give pid=N or name=NAME");
        return;
    }
    if (node < 0) {
        route_error(out, 404, "no such V-Node");
        return;
    }
    sj_node(&body, v->model, node);
    send_json(out, &body, head_only);
    sb_free(&body);
}

void route_request(const struct scope_view *v, const struct http_req *r, struct sb *out)
{
    int head_only = strcmp(r->method, "HEAD") == 0;
    const struct web_asset *a;

    if (!head_only && strcmp(r->method, "GET") != 0) {
        route_error(out, 405, "only GET and HEAD");
        return;
    }
    if (strcmp(r->path, "/api/state") == 0) {
        struct sb body = {0};

        sj_state(&body, v->model, v->stream, &v->source);
        send_json(out, &body, head_only);
        sb_free(&body);
        return;
    }
    if (strcmp(r->path, "/api/node") == 0) {
        node_request(v, r, out, head_only);
        return;
    }
    a = web_find(r->path);
    if (!a) {
        route_error(out, 404, "not found");
        return;
    }
    send_body(out, 200, a->content_type, a->data, a->size, head_only);
}

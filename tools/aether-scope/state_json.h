/*
 * The model as JSON for the HTTP API (docs/TRACE.md, "HTTP endpoints"):
 * /api/state (everything the page draws) and /api/node (one V-Node's
 * recent IPC). Pure: model in, text out.
 */
#ifndef SCOPE_STATE_JSON_H
#define SCOPE_STATE_JSON_H

#include "buf.h"
#include "decode.h"
#include "model.h"

/* Where the stream comes from, as the server sees it. */
struct sj_source {
    const char *kind;           /* "connect" or "file" */
    const char *target;         /* HOST:PORT or the file name */
    int connected;              /* socket up / file open */
    uint64_t connects;          /* connections made so far */
    int follow;
};

void sj_state(struct sb *b, const struct sm_model *m, const struct sd_stats *ds,
              const struct sj_source *src);
/* One node's details and recent IPC; node is an index into m->nodes. */
void sj_node(struct sb *b, const struct sm_model *m, int node);
/* "ipc_call", "proc_fault", ... for a record or model event type. */
const char *sj_type_name(unsigned type);
/* A one-line description of an event, for the timeline. */
void sj_event_text(struct sb *b, const struct sm_model *m, const struct sm_event *e);

#endif

/*
 * `aether-scope export`: a recorded stream as Chrome trace-event JSON
 * (the JSON Object Format), which ui.perfetto.dev and chrome://tracing
 * open. Layout in docs/TRACE.md ("Export").
 */
#ifndef SCOPE_EXPORT_H
#define SCOPE_EXPORT_H

#include <stdio.h>

/* Decodes the stream in `in` and writes the trace to `out`; 0 on success,
 * else 1 with a message on stderr. */
int scope_export(FILE *in, FILE *out, const char *out_name);

#endif

/* The scope V-Node's parts: the rings it reads, the COM2 stream. */
#ifndef SCOPE_SCOPE_H
#define SCOPE_SCOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aether.h"
#include "aether/trace.h"

extern const void *scope_rings;     /* the TraceBuf mapping (read-only) */
extern unsigned scope_nrings;

/* pump.c: the streaming thread. */
void pump_main(void *arg);
/* com2.c */
bool com2_present(void);
void com2_init(void);
void com2_write(const void *data, size_t n);

#endif

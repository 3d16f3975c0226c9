/*
 * Framing of the trace stream the scope V-Node sends out of COM2
 * (include/aether/trace.h, docs/TRACE.md): "AT", a type byte, a length
 * byte, the payload, and a checksum byte (the payload summed mod 256).
 */
#ifndef SCOPE_FRAME_H
#define SCOPE_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_OVERHEAD 5u
#define FRAME_MAX (FRAME_OVERHEAD + 255u)

/* Writes one frame into out (FRAME_OVERHEAD + len bytes); returns that
 * size. len is at most 255. */
size_t frame_put(uint8_t *out, char type, const void *payload, uint8_t len);

#endif

/* Trace stream frames (frame.h). */
#include <string.h>

#include "aether/trace.h"
#include "frame.h"

size_t frame_put(uint8_t *out, char type, const void *payload, uint8_t len)
{
    const uint8_t *p = payload;
    uint8_t sum = 0;

    out[0] = AE_TRACE_FRAME_MAGIC0;
    out[1] = AE_TRACE_FRAME_MAGIC1;
    out[2] = (uint8_t)type;
    out[3] = len;
    memcpy(out + 4, p, len);
    for (unsigned i = 0; i < len; i++)
        sum = (uint8_t)(sum + p[i]);
    out[4 + len] = sum;
    return FRAME_OVERHEAD + len;
}

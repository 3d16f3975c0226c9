/* There is no environment yet: V-Nodes get their configuration from their
 * manifest and services, so every name is unset. */
#include <stdlib.h>

char *getenv(const char *name)
{
    return NULL;
}

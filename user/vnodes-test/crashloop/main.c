/*
 * crashloop (test image only): faults as soon as it starts, so init's
 * supervision restarts it with growing delays until its manifest's
 * max_restarts, then marks it failed; the rest of the system runs on.
 */
#include "aether.h"

static volatile uintptr_t nowhere = 0x8;     /* the never-mapped first page */

int main(const struct ae_bootinfo *bi)
{
    ae_printf("crashloop: starting, and faulting at once");
    return *(volatile int *)nowhere;
}

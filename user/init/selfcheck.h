/* init's first act: a thread and an IPC round trip, proving the basics
 * before anything else depends on them (the boot tests look for its line). */
#ifndef INIT_SELFCHECK_H
#define INIT_SELFCHECK_H

#include "aether.h"

int selfcheck(const struct ae_bootinfo *bi);

#endif

/* isa-debug-exit at its conventional iobase 0xf4, 32-bit writes. */
#include "arch/x86_64/qemu_exit.h"
#include "arch/x86_64/cpu.h"

#define DEBUG_EXIT_PORT 0xf4

static bool enabled;

void qemu_exit_enable(bool on)
{
    enabled = on;
}

void qemu_exit(unsigned code)
{
    if (enabled)
        outl(DEBUG_EXIT_PORT, code);
}

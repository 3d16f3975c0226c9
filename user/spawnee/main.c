/*
 * spawnee: the child of ipcbench's elf_spawn measurements (user/ipcbench),
 * embedded there as an ELF file (spawnee_image.S) and loaded into a new
 * process each time. The first thing main does is read the TSC; the process
 * exits with its low bits (SPAWNEE_TSC_MASK), from which the parent recovers
 * the TSC at the first instruction of main.
 */
#include "aether.h"
#include "user/spawnee/spawnee.h"

int main(const struct ae_bootinfo *bi)
{
    return (int)(ae_rdtsc() & SPAWNEE_TSC_MASK);
}

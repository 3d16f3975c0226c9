/*
 * CPU feature detection (CPUID) and the protections turned on from it on
 * every CPU: SMEP, SMAP, UMIP when present; WP always.
 */
#ifndef KERNEL_ARCH_X86_64_CPU_FEATURES_H
#define KERNEL_ARCH_X86_64_CPU_FEATURES_H

#include <stdbool.h>

struct cpu_features {
    char vendor[13];
    char brand[49];
    bool nx, smep, smap, umip, fsgsbase, x2apic, invariant_tsc, rdrand;
};

void cpu_features_detect(void);             /* boot CPU, once */
void cpu_features_enable(void);             /* every CPU */
const struct cpu_features *cpu_features(void);

#endif

/*
 * Protections are enabled only when CPUID reports them; setting an
 * unsupported CR4 bit would #GP. The selftests check CR4 against CPUID on
 * every CPU.
 */
#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/cpu.h"
#include "lib/string.h"
#include "log.h"

static struct cpu_features feat;

static void read_brand(void)
{
    uint32_t max, r[12];

    memcpy(feat.brand, "unknown", 8);
    cpuid(0x80000000, 0, &max, &r[0], &r[1], &r[2]);
    if (max < 0x80000004)
        return;
    for (int i = 0; i < 3; i++)
        cpuid(0x80000002 + i, 0, &r[i * 4], &r[i * 4 + 1], &r[i * 4 + 2], &r[i * 4 + 3]);
    if (((const char *)r)[0] == '\0')
        return;
    memcpy(feat.brand, r, 48);
    feat.brand[48] = '\0';
}

void cpu_features_detect(void)
{
    uint32_t a, b, c, d, max, maxext;

    cpuid(0, 0, &max, &b, &c, &d);
    memcpy(feat.vendor, &b, 4);
    memcpy(feat.vendor + 4, &d, 4);
    memcpy(feat.vendor + 8, &c, 4);
    cpuid(1, 0, &a, &b, &c, &d);
    feat.x2apic = c & (1u << 21);
    feat.rdrand = c & (1u << 30);
    if (max >= 7) {
        cpuid(7, 0, &a, &b, &c, &d);
        feat.fsgsbase = b & (1u << 0);
        feat.smep = b & (1u << 7);
        feat.smap = b & (1u << 20);
        feat.umip = c & (1u << 2);
    }
    cpuid(0x80000000, 0, &maxext, &b, &c, &d);
    if (maxext >= 0x80000001) {
        cpuid(0x80000001, 0, &a, &b, &c, &d);
        feat.nx = d & (1u << 20);
    }
    if (maxext >= 0x80000007) {
        cpuid(0x80000007, 0, &a, &b, &c, &d);
        feat.invariant_tsc = d & (1u << 8);
    }
    read_brand();
    log_info("cpu: %s \"%s\"", feat.vendor, feat.brand);
    log_info("cpu: NX %s, SMEP %s, SMAP %s, UMIP %s, invariant TSC %s",
             feat.nx ? "on" : "absent", feat.smep ? "on" : "absent",
             feat.smap ? "on" : "absent", feat.umip ? "on" : "absent",
             feat.invariant_tsc ? "yes" : "no");
}

void cpu_features_enable(void)
{
    uint64_t cr4 = read_cr4();

    if (feat.smep)
        cr4 |= CR4_SMEP;
    if (feat.smap)
        cr4 |= CR4_SMAP;
    if (feat.umip)
        cr4 |= CR4_UMIP;
    write_cr4(cr4 | CR4_PGE);
    write_cr0(read_cr0() | CR0_WP);
}

const struct cpu_features *cpu_features(void)
{
    return &feat;
}

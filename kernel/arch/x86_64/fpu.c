/* The clean state is captured once after FNINIT and a default MXCSR. */
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/cpu.h"
#include "lib/string.h"

#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)

static uint8_t clean_state[512] __attribute__((aligned(16)));
static int have_clean;

void fpu_init_cpu(void)
{
    write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP);
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
    if (!have_clean) {
        uint32_t mxcsr = 0x1f80;    /* all exceptions masked, round to nearest */
        __asm__ volatile("fninit; ldmxcsr %0" : : "m"(mxcsr));
        fpu_save(clean_state);
        have_clean = 1;
    }
}

void fpu_init_state(uint8_t buf[512])
{
    memcpy(buf, clean_state, 512);
}

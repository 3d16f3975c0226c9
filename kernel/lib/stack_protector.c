/*
 * Stack protector support (-fstack-protector-strong with a global guard).
 * The guard starts as a fixed non-zero value and kmain replaces it with a
 * random one (RDRAND when present, else mixed TSC bits) before calling
 * anything that returns.
 */
#include <stdint.h>

#include "lib/stack_protector.h"
#include "panic.h"

uint64_t __stack_chk_guard = 0x595e9fbd94fda766ull;

__attribute__((noreturn)) void __stack_chk_fail(void);

void __stack_chk_fail(void)
{
    panic("stack protector: stack smashing detected in %p",
          __builtin_return_address(0));
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

void stack_protector_init(uint64_t seed)
{
    uint64_t v = 0;
    uint32_t a, b, c, d;
    unsigned char ok = 0;

    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    if (c & (1u << 30)) {
        for (int i = 0; i < 10 && !ok; i++)
            __asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
    }
    v = mix(v ^ seed ^ __stack_chk_guard);
    /* A zero low byte stops string overflows from rewriting the guard. */
    __stack_chk_guard = v & ~0xffull;
}

uint64_t stack_protector_guard(void)
{
    return __stack_chk_guard;
}

#ifndef KERNEL_LIB_STACK_PROTECTOR_H
#define KERNEL_LIB_STACK_PROTECTOR_H

#include <stdint.h>

/* Replaces the guard with a random value. Call only from a function built
 * without the protector that never returns (kmain). */
void stack_protector_init(uint64_t seed);
uint64_t stack_protector_guard(void);

#endif

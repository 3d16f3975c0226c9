/*
 * libc's locks: a test-and-set word. A waiter spins a little (the holder
 * is usually on another CPU and almost done), then yields, then sleeps in
 * short steps, so a waiter of higher priority cannot starve the holder.
 */
#include "aether.h"

#include "../internal.h"

#define SPINS 64
#define YIELDS 16
#define NAP_NS 50000ull

void libc_lock(libc_lock_t *l)
{
    for (unsigned tries = 0; __atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE); tries++) {
        if (tries < SPINS)
            __builtin_ia32_pause();
        else if (tries < SPINS + YIELDS)
            ae_yield();
        else
            ae_sleep_until((uint64_t)ae_clock_get() + NAP_NS);
    }
}

void libc_unlock(libc_lock_t *l)
{
    __atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
}

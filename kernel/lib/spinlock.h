/*
 * Ticket spinlocks: FIFO-fair, so no CPU starves under contention. Header-only
 * and built from GCC atomics, so pure modules that take a lock still build
 * and run in host unit tests. Holders must not sleep; a lock also taken in
 * interrupt context must be taken with spin_lock_irqsave.
 */
#ifndef KERNEL_LIB_SPINLOCK_H
#define KERNEL_LIB_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    volatile uint32_t next;     /* ticket handed to the next arrival */
    volatile uint32_t serving;  /* ticket that owns the lock */
} spinlock_t;

#define SPINLOCK_INIT {0, 0}

static inline void cpu_relax(void)
{
    __asm__ volatile("pause" ::: "memory");
}

static inline void spin_lock(spinlock_t *l)
{
    uint32_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
    while (__atomic_load_n(&l->serving, __ATOMIC_ACQUIRE) != me)
        cpu_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
    uint32_t cur = __atomic_load_n(&l->serving, __ATOMIC_RELAXED);
    uint32_t expect = cur;
    return __atomic_compare_exchange_n(&l->next, &expect, cur + 1, false,
                                       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->serving, l->serving + 1, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(spinlock_t *l)
{
    return __atomic_load_n(&l->next, __ATOMIC_RELAXED) !=
           __atomic_load_n(&l->serving, __ATOMIC_RELAXED);
}

/* Interrupt-safe variants. The host build has no interrupts to mask. */
#ifdef AE_HOST_TEST
static inline uint64_t spin_lock_irqsave(spinlock_t *l)
{
    spin_lock(l);
    return 0;
}
static inline void spin_unlock_irqrestore(spinlock_t *l, uint64_t flags)
{
    (void)flags;
    spin_unlock(l);
}
#else
static inline uint64_t spin_lock_irqsave(spinlock_t *l)
{
    uint64_t flags;
    __asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
    spin_lock(l);
    return flags;
}
static inline void spin_unlock_irqrestore(spinlock_t *l, uint64_t flags)
{
    spin_unlock(l);
    if (flags & (1u << 9))
        __asm__ volatile("sti" ::: "memory");
}
#endif

#endif

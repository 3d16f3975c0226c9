/*
 * Common includes for host unit tests (cmocka). Each test function carries a
 * stable ID in its name, e.g. PMM0003_double_free_refused, and each file is
 * one area. Run a binary alone to see its cmocka report.
 */
#ifndef TESTS_UNIT_UNIT_H
#define TESTS_UNIT_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <aether/errors.h>

/* Path of a file under tests/unit/data, whatever the working directory:
 * the Makefile runs tests from the repository root. */
#define UNIT_DATA(name) "tests/unit/data/" name

/* Deterministic pseudo-random numbers (splitmix64) for randomized tests:
 * seed rng_state, then call rng(). One stream per test binary. */
static uint64_t rng_state;

static inline uint64_t rng(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

#endif

/* rand: a 64-bit LCG (Knuth's MMIX constants), the high 31 bits out. One
 * state per process; threads calling it at once may see repeats. */
#include <stdint.h>
#include <stdlib.h>

static uint64_t state = 1;      /* as if srand(1), which C asks for */

void srand(unsigned seed)
{
    state = seed;
}

int rand(void)
{
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (int)(state >> 33);
}

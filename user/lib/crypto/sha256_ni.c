/*
 * SHA-256 block function on the x86 SHA extensions. SHA256RNDS2 keeps the
 * eight working variables in two registers, packed as ABEF and CDGH (A in
 * the top dword), and does two rounds per instruction; SHA256MSG1/MSG2
 * compute the message schedule four words at a time.
 *
 * Built for every x86-64 target: only these functions carry the "sha" and
 * "sse4.1" target attributes, and sha256.c calls them only after CPUID said
 * the CPU has the instructions.
 */
#include <stddef.h>
#include <stdint.h>

#include "sha256.h"
#include "sha256_impl.h"

#if defined(__x86_64__)

#include <cpuid.h>
#include <immintrin.h>

/* CPUID.1:ECX bit 9 SSSE3 (PSHUFB, PALIGNR), bit 19 SSE4.1 (PBLENDW);
 * CPUID.(7,0):EBX bit 29 SHA. */
#define CPUID1_ECX_SSSE3  (1u << 9)
#define CPUID1_ECX_SSE41  (1u << 19)
#define CPUID7_EBX_SHA    (1u << 29)

int ae_sha256_cpu_has_shani(void)
{
    unsigned int a, b, c, d;

    if (__get_cpuid_max(0, NULL) < 7)
        return 0;
    __cpuid(1, a, b, c, d);
    if ((c & (CPUID1_ECX_SSSE3 | CPUID1_ECX_SSE41)) != (CPUID1_ECX_SSSE3 | CPUID1_ECX_SSE41))
        return 0;
    __cpuid_count(7, 0, a, b, c, d);
    return (b & CPUID7_EBX_SHA) != 0;
}

/* Four rounds: the low two dwords of wk feed the first SHA256RNDS2, the
 * high two the second. Two rounds turn (ABEF, CDGH) into (ABEF', ABEF), so
 * swapping the registers' roles each time avoids a move. */
#define FOUR_ROUNDS(abef, cdgh, wk) do {                                     \
        (cdgh) = _mm_sha256rnds2_epu32((cdgh), (abef), (wk));                \
        (abef) = _mm_sha256rnds2_epu32((abef), (cdgh),                       \
                                       _mm_shuffle_epi32((wk), 0x0e));       \
    } while (0)

__attribute__((target("sha,sse4.1")))
void ae_sha256_blocks_shani(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
    /* Message words are big-endian: reverse the bytes of each dword. */
    const __m128i bswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11,
                                       4, 5, 6, 7, 0, 1, 2, 3);
    __m128i abcd = _mm_loadu_si128((const __m128i *)&h[0]);
    __m128i efgh = _mm_loadu_si128((const __m128i *)&h[4]);
    __m128i badc = _mm_shuffle_epi32(abcd, 0xb1);
    __m128i hgfe = _mm_shuffle_epi32(efgh, 0x1b);
    __m128i abef = _mm_alignr_epi8(badc, hgfe, 8);
    __m128i cdgh = _mm_blend_epi16(hgfe, badc, 0xf0);

    for (; nblocks; nblocks--, p += AE_SHA256_BLOCK) {
        const __m128i abef0 = abef, cdgh0 = cdgh;
        __m128i w[4];

        for (int i = 0; i < 4; i++)
            w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), bswap);

        /* Group g (rounds 4g..4g+3) uses W[4g..4g+3]; from g = 4 on it
         * replaces W[4g-16..] in the ring w[g % 4]:
         * W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], where MSG1
         * adds the s0 terms, PALIGNR fetches W[t-7..t-4] and MSG2 adds the
         * s1 terms (which depend on words of the same group). */
#pragma GCC unroll 16
        for (int g = 0; g < 16; g++) {
            __m128i cur;

            if (g < 4) {
                cur = w[g];
            } else {
                __m128i prev = w[(g + 3) & 3];
                __m128i t = _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]);

                t = _mm_add_epi32(t, _mm_alignr_epi8(prev, w[(g + 2) & 3], 4));
                cur = _mm_sha256msg2_epu32(t, prev);
                w[g & 3] = cur;
            }
            __m128i wk = _mm_add_epi32(cur, _mm_loadu_si128((const __m128i *)&ae_sha256_k[4 * g]));
            FOUR_ROUNDS(abef, cdgh, wk);
        }
        abef = _mm_add_epi32(abef, abef0);
        cdgh = _mm_add_epi32(cdgh, cdgh0);
    }

    __m128i abfe = _mm_shuffle_epi32(abef, 0x1b);  /* dwords A B E F */
    __m128i ghcd = _mm_shuffle_epi32(cdgh, 0xb1);  /* dwords G H C D */
    _mm_storeu_si128((__m128i *)&h[0], _mm_blend_epi16(abfe, ghcd, 0xf0));
    _mm_storeu_si128((__m128i *)&h[4], _mm_alignr_epi8(ghcd, abfe, 8));
}

#else /* no SHA extensions on this architecture */

int ae_sha256_cpu_has_shani(void)
{
    return 0;
}

void ae_sha256_blocks_shani(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
    ae_sha256_blocks_portable(h, p, nblocks);
}

#endif

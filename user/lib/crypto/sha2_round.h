/*
 * The round structure SHA-256 and SHA-512 share (FIPS 180-4, 6.2.2 and
 * 6.4.2), written once. The including file defines SHA2_WORD (uint32_t or
 * uint64_t), SHA2_K (its constant table), BSIG0/BSIG1/SSIG0/SSIG1 (its
 * rotations), and a local array w[16] in the block function. Internal to
 * user/lib/crypto.
 */
#ifndef AE_CRYPTO_SHA2_ROUND_H
#define AE_CRYPTO_SHA2_ROUND_H

/* Ch and Maj with one operation fewer than the textbook forms. */
#define CH(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))

/* The message schedule lives in a 16-word ring: W[t] replaces W[t-16]. */
#define SCHED(t) (w[(t) & 15] += SSIG1(w[((t) - 2) & 15]) + w[((t) - 7) & 15] + \
                  SSIG0(w[((t) - 15) & 15]))
#define LOADED(t) (w[t])

/* One round; the caller rotates the names instead of moving eight words. */
#define ROUND(a, b, c, d, e, f, g, h, t, W) do {                              \
        SHA2_WORD t1_ = (h) + BSIG1(e) + CH(e, f, g) + SHA2_K[t] + W(t);      \
        (d) += t1_;                                                            \
        (h) = t1_ + BSIG0(a) + MAJ(a, b, c);                                   \
    } while (0)

#define ROUNDS8(t, W) do {                                                     \
        ROUND(a, b, c, d, e, f, g, h, (t) + 0, W);                             \
        ROUND(h, a, b, c, d, e, f, g, (t) + 1, W);                             \
        ROUND(g, h, a, b, c, d, e, f, (t) + 2, W);                             \
        ROUND(f, g, h, a, b, c, d, e, (t) + 3, W);                             \
        ROUND(e, f, g, h, a, b, c, d, (t) + 4, W);                             \
        ROUND(d, e, f, g, h, a, b, c, (t) + 5, W);                             \
        ROUND(c, d, e, f, g, h, a, b, (t) + 6, W);                             \
        ROUND(b, c, d, e, f, g, h, a, (t) + 7, W);                             \
    } while (0)

#endif

/*
 * The part SHA-256 and SHA-512 share (FIPS 180-4, Merkle-Damgard): gathering
 * input into whole blocks for the compression function, and the final
 * padding (0x80, zeros, the big-endian bit length in the block's last
 * lenbytes bytes). Internal to user/lib/crypto.
 */
#ifndef AE_CRYPTO_MD_BUFFER_H
#define AE_CRYPTO_MD_BUFFER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Compresses nblocks whole blocks at p into the state st. */
typedef void (*md_blocks_fn)(void *st, const uint8_t *p, size_t nblocks);

/* Feeds len bytes: tops up the partial block in buf (*nbuf bytes), runs
 * whole blocks straight from the input, keeps the rest in buf. */
static inline void md_absorb(void *st, md_blocks_fn blocks, uint8_t *buf, uint32_t *nbuf,
                             size_t block, const uint8_t *p, size_t len)
{
    if (*nbuf) {
        size_t take = block - *nbuf;
        if (take > len)
            take = len;
        memcpy(buf + *nbuf, p, take);
        *nbuf += (uint32_t)take;
        p += take;
        len -= take;
        if (*nbuf < block)
            return;
        blocks(st, buf, 1);
        *nbuf = 0;
    }
    if (len >= block) {
        size_t n = len / block;
        blocks(st, p, n);
        p += n * block;
        len -= n * block;
    }
    if (len) {
        memcpy(buf, p, len);
        *nbuf = (uint32_t)len;
    }
}

/* Pads and compresses the last block(s); bits_hi:bits_lo is the message
 * length in bits, written big-endian into the last lenbytes (8 or 16). */
static inline void md_finish(void *st, md_blocks_fn blocks, uint8_t *buf, uint32_t nbuf,
                             size_t block, size_t lenbytes, uint64_t bits_hi, uint64_t bits_lo)
{
    buf[nbuf++] = 0x80;
    if (nbuf > block - lenbytes) {
        memset(buf + nbuf, 0, block - nbuf);
        blocks(st, buf, 1);
        nbuf = 0;
    }
    memset(buf + nbuf, 0, block - nbuf);
    for (unsigned i = 0; i < 8; i++) {
        buf[block - 1 - i] = (uint8_t)(bits_lo >> (8 * i));
        if (lenbytes == 16)
            buf[block - 9 - i] = (uint8_t)(bits_hi >> (8 * i));
    }
    blocks(st, buf, 1);
}

#endif

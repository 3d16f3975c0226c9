/*
 * Signing keys of aether-pack (docs/BUNDLE.md, "Key files"):
 *   NAME.key  secret: "AESECKEY", the 32-byte Ed25519 seed, the 32-byte
 *             public key (72 bytes, mode 0600);
 *   NAME.pub  public: the 32 raw bytes of the public key.
 */
#ifndef AETHER_PACK_KEYS_H
#define AETHER_PACK_KEYS_H

#include <stddef.h>
#include <stdint.h>

#define KEY_FILE_MAGIC "AESECKEY"
#define KEY_FILE_SIZE 72

struct secret_key {
    uint8_t sk[64];             /* libsodium's form: seed, then public key */
    uint8_t pk[32];
};


/* Loads a .key file, checking its public half against its seed; prints
 * why and returns -1 on failure. */
int load_secret_key(const char *path, struct secret_key *k);

/* Loads a .pub file (exactly 32 bytes). */
int load_public_key(const char *path, uint8_t pk[32]);

/* Ed25519 signature of msg by k. */
void sign_detached(const struct secret_key *k, const void *msg, size_t len, uint8_t sig[64]);

#endif

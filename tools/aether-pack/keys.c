/* Key files and signing (keys.h): the only place the secret key is seen. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "keys.h"
#include "util.h"

/* Writes a new file; O_EXCL so that a key is never silently replaced. */
static int write_new(const char *path, const void *data, size_t len, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
    const uint8_t *p = data;

    if (fd < 0)
        return fail(path, "%s", errno == EEXIST ? "exists; not replacing a key" : strerror(errno)), -1;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            fail(path, "%s", strerror(errno));
            close(fd);
            unlink(path);
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        fail(path, "%s", strerror(errno));
        unlink(path);
        return -1;
    }
    return 0;
}

int cmd_keygen(int argc, char **argv)
{
    uint8_t file[KEY_FILE_SIZE], pk[32], sk[64];
    char *keyp, *pubp;
    size_t n;
    int ret = EXIT_FAIL;

    if (argc != 2)
        return EXIT_USAGE;
    n = strlen(argv[1]);
    keyp = malloc(n + 5);
    pubp = malloc(n + 5);
    if (!keyp || !pubp)
        return fail(NULL, "out of memory");
    snprintf(keyp, n + 5, "%s.key", argv[1]);
    snprintf(pubp, n + 5, "%s.pub", argv[1]);
    if (access(keyp, F_OK) == 0 || access(pubp, F_OK) == 0) {
        fail(argv[1], "%s or %s exists; not replacing a key", keyp, pubp);
        goto out;
    }
    crypto_sign_keypair(pk, sk);
    memcpy(file, KEY_FILE_MAGIC, 8);
    memcpy(file + 8, sk, 64);   /* seed, then public key */
    if (write_new(keyp, file, sizeof(file), 0600) != 0)
        goto out;
    if (write_new(pubp, pk, sizeof(pk), 0644) != 0) {
        unlink(keyp);
        goto out;
    }
    {
        char hex[65];
        to_hex(pk, 32, hex);
        printf("keygen: %s, %s: public key %s\n", keyp, pubp, hex);
    }
    ret = EXIT_OK;
out:
    sodium_memzero(sk, sizeof(sk));
    sodium_memzero(file, sizeof(file));
    free(keyp);
    free(pubp);
    return ret;
}

int load_secret_key(const char *path, struct secret_key *k)
{
    uint8_t pk[32], sk[64];
    struct buf b;
    int ok;

    if (read_whole(path, &b, 0) != 0)
        return -1;
    ok = b.n == KEY_FILE_SIZE && memcmp(b.p, KEY_FILE_MAGIC, 8) == 0;
    if (ok) {
        /* The stored public half must be the seed's, or we would sign with
         * one key and claim another. */
        crypto_sign_seed_keypair(pk, sk, b.p + 8);
        ok = memcmp(pk, b.p + 8 + 32, 32) == 0;
    }
    sodium_memzero(b.p, b.n);
    free(b.p);
    if (!ok) {
        sodium_memzero(sk, sizeof(sk));
        return fail(path, "not an aether-pack secret key (%s)", KEY_FILE_MAGIC), -1;
    }
    memcpy(k->sk, sk, 64);
    memcpy(k->pk, pk, 32);
    sodium_memzero(sk, sizeof(sk));
    return 0;
}

int load_public_key(const char *path, uint8_t pk[32])
{
    struct buf b;

    if (read_whole(path, &b, 0) != 0)
        return -1;
    if (b.n != 32) {
        free(b.p);
        return fail(path, "not a public key (32 bytes)"), -1;
    }
    memcpy(pk, b.p, 32);
    free(b.p);
    return 0;
}

void sign_detached(const struct secret_key *k, const void *msg, size_t len, uint8_t sig[64])
{
    crypto_sign_detached(sig, NULL, msg, len, k->sk);
}

/*
 * Unit tests for Ed25519 verification (user/lib/crypto/ed25519.c and its
 * field, point and scalar code): RFC 8032's examples, djb's sign.input,
 * Wycheproof (tests/unit/data/wycheproof_ed25519.txt), cases built here
 * with libsodium around every strictness rule, and the internal pieces
 * against libsodium's arithmetic. libsodium 1.0.18 is the reference: every
 * verdict is compared with crypto_sign_verify_detached as well.
 */
#include "ed25519_helpers.h"

#include "user/lib/crypto/fe25519.h"
#include "user/lib/crypto/ge25519.h"
#include "user/lib/crypto/sc25519.h"

static int setup(void **state)
{
    return sodium_init() < 0 ? -1 : 0;
}

/* Verdict of both implementations; fails when they differ or when want
 * (0 valid, -1 invalid, 1 don't care) is not met. */
static int expect(const char *what, const uint8_t sig[64], const uint8_t *msg, size_t len,
                  const uint8_t pk[32], int want)
{
    int ours = ae_ed25519_verify(sig, msg, len, pk);
    int ref = sodium_verify(sig, msg, len, pk);

    if (ours != ref || (want != 1 && ours != want)) {
        print_case(what, pk, msg, len, sig);
        fail_msg("%s: ours %d, libsodium %d, expected %d", what, ours, ref, want);
    }
    return ours;
}

/* ---- RFC 8032 section 7.1 ---------------------------------------------- */

static const struct {
    const char *name, *pk, *msg, *sig;
} RFC8032[] = {
    { "TEST 1",
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b" },
    { "TEST 2",
      "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00" },
    { "TEST 3",
      "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
      "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a" },
    { "TEST 1024",
      "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
      "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f77b1"
      "e355f6c50544e23fb1433ddf73be84d879de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
      "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc1a858efcb8550ee3a5e1998bd177e93a"
      "7363c344fe6b199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
      "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bbc10"
      "3b6621fcde2beca1231d206be6cd9ec7aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
      "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2d17ba70eb6248e594e1a2297acbbb39d"
      "502f1a8c6eb6f1ce22b3de1a1f40cc24554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
      "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d9089b"
      "eccf80cfe2df16a2cf65bd92dd597b0707e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
      "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51addd3b75a2b1ae0784504df543af8969b"
      "e3ea7082ff7fc9888c144da2af58429ec96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
      "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c42f58c30c04aafdb038dda0847dd988d"
      "cda6f3bfd15c4b4c4525004aa06eeff8ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
      "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08d78ff4ef5d63653a65040cf9bfd4aca7"
      "984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
      "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a32ef5b52a1ecc820e308aa342721aac09"
      "43bf6686b64b2579376504ccc493d97e6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
      "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50d334ba77c225bc307ba537152f3f161"
      "0e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
      "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c0618983f8741c5ef68d3a101e8a3b8ca"
      "c60c905c15fc910840b94c00a0b9d0",
      "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03" },
    { "TEST SHA(abc)",
      "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
      "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704" },
};

/* Each vector verifies; flipping any one bit of the signature or the key,
 * or of the message (every bit of short ones, 200 of the long one), or
 * appending a byte, makes it fail. */
static void ED0001_rfc8032_vectors(void **state)
{
    long flips = 0;

    for (size_t v = 0; v < sizeof(RFC8032) / sizeof(RFC8032[0]); v++) {
        uint8_t pk[32], sig[64], *msg;
        size_t len;

        unhex(pk, 32, RFC8032[v].pk);
        unhex(sig, 64, RFC8032[v].sig);
        msg = unhex_alloc(RFC8032[v].msg, &len);
        expect(RFC8032[v].name, sig, msg, len, pk, 0);

        for (int bit = 0; bit < 512; bit++, flips++) {
            sig[bit / 8] ^= (uint8_t)(1 << (bit % 8));
            expect("signature bit flipped", sig, msg, len, pk, -1);
            sig[bit / 8] ^= (uint8_t)(1 << (bit % 8));
        }
        for (int bit = 0; bit < 256; bit++, flips++) {
            pk[bit / 8] ^= (uint8_t)(1 << (bit % 8));
            expect("key bit flipped", sig, msg, len, pk, -1);
            pk[bit / 8] ^= (uint8_t)(1 << (bit % 8));
        }
        rng_state = v;
        for (size_t n = 0; n < len * 8 && n < 200; n++, flips++) {
            size_t bit = len * 8 <= 200 ? n : rng() % (len * 8);

            msg[bit / 8] ^= (uint8_t)(1 << (bit % 8));
            expect("message bit flipped", sig, msg, len, pk, -1);
            msg[bit / 8] ^= (uint8_t)(1 << (bit % 8));
        }
        msg = realloc(msg, len + 1);
        assert_non_null(msg);
        msg[len] = 0;
        expect("byte appended", sig, msg, len + 1, pk, -1);
        expect(RFC8032[v].name, sig, msg, len, pk, 0);
        free(msg);
    }
    printf("RFC 8032: 5 vectors valid, %ld one-bit changes invalid\n", flips);
}

/* ---- djb's sign.input ------------------------------------------------------ */

/* Lines "sk||pk:pk:msg:sig||msg:"; every signature is valid, and each with
 * one random bit flipped is not. */
static void ED0002_djb_sign_input(void **state)
{
    FILE *f = open_vectors(VECTORS_ED25519_DIR "sign.input");
    char *buf = NULL, *line;
    size_t cap = 0;
    int count = 0;

    rng_state = 0xd1b;
    while ((line = read_line(f, &buf, &cap))) {
        char *field[5];
        uint8_t pk[32], sig[64], *msg, *sm;
        size_t len, smlen;
        int n = 0;

        for (char *p = line; n < 5; n++) {
            field[n] = p;
            p = strchr(p, ':');
            if (!p)
                break;
            *p++ = '\0';
        }
        if (n < 4)
            fail_msg("sign.input line %d: %d fields", count + 1, n + 1);
        assert_int_equal(strlen(field[0]), 128);
        assert_string_equal(field[0] + 64, field[1]);
        unhex(pk, 32, field[1]);
        msg = unhex_alloc(field[2], &len);
        sm = unhex_alloc(field[3], &smlen);
        assert_int_equal(smlen, 64 + len);
        assert_memory_equal(sm + 64, msg, len);
        memcpy(sig, sm, 64);
        expect("sign.input", sig, msg, len, pk, 0);
        sig[rng() % 64] ^= (uint8_t)(1 << (rng() % 8));
        expect("sign.input, signature bit flipped", sig, msg, len, pk, -1);
        free(msg);
        free(sm);
        count++;
    }
    free(buf);
    fclose(f);
    printf("sign.input: %d signatures valid, each with a bit flipped invalid\n", count);
    assert_int_equal(count, 1024);
}

/* ---- Wycheproof -------------------------------------------------------------- */

/* A signature whose length is not 64 bytes never reaches the API (callers
 * take exactly 64 and refuse other lengths). Such a case still runs: its
 * bytes zero-padded or cut to 64 must get libsodium's verdict. That
 * verdict may be "valid": removing a trailing zero byte (tcId 38) or
 * appending bytes (33, 34, 37) leaves the original signature in the first
 * 64 bytes. */
static void ED0003_wycheproof(void **state)
{
    FILE *f = open_vectors(UNIT_DATA("wycheproof_ed25519.txt"));
    char *buf = NULL, *line;
    size_t cap = 0;
    int count = 0, valid = 0, invalid = 0, acceptable = 0, odd_length = 0, padded_valid = 0;

    while ((line = read_line(f, &buf, &cap))) {
        char id[16], result[16], pkh[80], *msgh, *sigh;
        uint8_t pk[32], sig[64], *msg, *rawsig;
        size_t len, siglen;
        int want;

        if (line[0] == '#' || line[0] == '\0')
            continue;
        msgh = malloc(strlen(line) + 1);
        sigh = malloc(strlen(line) + 1);
        assert_non_null(msgh);
        assert_non_null(sigh);
        if (sscanf(line, "%15s %15s %79s %s %s", id, result, pkh, msgh, sigh) != 5)
            fail_msg("bad line: %.60s", line);
        assert_int_equal(strlen(pkh), 64);
        unhex(pk, 32, pkh);
        msg = strcmp(msgh, "-") ? unhex_alloc(msgh, &len) : (len = 0, malloc(1));
        rawsig = strcmp(sigh, "-") ? unhex_alloc(sigh, &siglen) : (siglen = 0, malloc(1));
        want = !strcmp(result, "valid") ? 0 : !strcmp(result, "invalid") ? -1 : 1;
        if (want == 1)
            assert_string_equal(result, "acceptable");

        memset(sig, 0, 64);
        memcpy(sig, rawsig, siglen < 64 ? siglen : 64);
        if (siglen == 64) {
            expect(id, sig, msg, len, pk, want);
        } else {
            assert_int_equal(want, -1);
            padded_valid += expect(id, sig, msg, len, pk, 1) == 0;
            odd_length++;
        }
        valid += want == 0;
        invalid += want == -1;
        acceptable += want == 1;
        count++;
        free(msg);
        free(rawsig);
        free(msgh);
        free(sigh);
    }
    free(buf);
    fclose(f);
    printf("Wycheproof: %d cases (%d valid, %d invalid of which %d not 64 bytes long, "
           "%d acceptable), all agree; %d of the wrong-length ones are a valid signature "
           "once padded or cut to 64 bytes\n",
           count, valid, invalid, odd_length, acceptable, padded_valid);
    assert_int_equal(count, 151);
}

/* ---- our own cases ---------------------------------------------------------- */

/* Per key, a libsodium signature and its variations around each rule. */
static void ED0004_strictness_rules(void **state)
{
    long cases = 0, forged = 0, mixed_ok = 0, mixed_bad = 0;

    rng_state = 0xed25519;
    for (int key = 0; key < 24; key++) {
        struct ed_key k;
        uint8_t seed[32], msg[100], sig[64], bad[64], pk[32], s[32];
        size_t len = rng() % sizeof(msg);

        rand_bytes(seed, 32);
        rand_bytes(msg, len);
        ed_key_from_seed(&k, seed);
        crypto_sign_detached(sig, NULL, msg, len, k.sk);
        expect("valid", sig, msg, len, k.pk, 0);
        cases++;

        /* S + jL: the same scalar mod L, never canonical. */
        memcpy(s, sig + 32, 32);
        for (int j = 1; !add256(s, s, ED_L); j++, cases++) {
            memcpy(bad, sig, 32);
            memcpy(bad + 32, s, 32);
            expect("S + jL", bad, msg, len, k.pk, -1);
            assert_true(j < 16);
        }
        /* S = L, L - 1, 0: out of range, or in range and wrong. */
        memcpy(bad, sig, 64);
        memcpy(bad + 32, ED_L, 32);
        expect("S = L", bad, msg, len, k.pk, -1);
        bad[32] -= 1;
        expect("S = L - 1", bad, msg, len, k.pk, -1);
        memset(bad + 32, 0, 32);
        expect("S = 0", bad, msg, len, k.pk, -1);
        cases += 3;

        /* R or A of small order, any encoding of it. */
        for (int i = 0; i < N_SMALL_ORDER; i++, cases += 2) {
            memcpy(bad, sig, 64);
            small_order_enc(bad, i, NULL);
            expect("small-order R", bad, msg, len, k.pk, -1);
            small_order_enc(pk, i, NULL);
            expect("small-order A", sig, msg, len, pk, -1);
        }

        /* A non-canonical: y = p + i < 2^255, either sign; and R likewise. */
        for (int i = 0; i < 19; i++) {
            for (int sign = 0; sign < 2; sign++, cases += 2) {
                memset(pk, 0xff, 32);
                pk[0] = (uint8_t)(0xed + i);
                pk[31] = sign ? 0xff : 0x7f;
                expect("non-canonical A", sig, msg, len, pk, -1);
                memcpy(bad, sig, 64);
                memcpy(bad, pk, 32);
                expect("non-canonical R", bad, msg, len, k.pk, -1);
            }
        }

        /* A signature cut short and zero-filled to 64 bytes. */
        for (int n = 0; n < 64; n++) {
            memcpy(bad, sig, 64);
            memset(bad + n, 0, 64 - (size_t)n);
            if (memcmp(bad, sig, 64) != 0) {
                expect("zeroed tail", bad, msg, len, k.pk, -1);
                cases++;
            }
        }

        /* Mixed-order keys A + T: a cofactorless check accepts exactly
         * when [k]T = 0, and both implementations must say the same. */
        for (int i = 0; i < N_SMALL_ORDER; i++) {
            uint8_t t[32];
            int order;

            small_order_enc(t, i, &order);
            if (order == 1 || crypto_core_ed25519_add(pk, k.pk, t) != 0)
                continue;
            for (int m = 0; m < 12; m++, cases++) {
                uint8_t kk[32];

                ed_sign_as(bad, msg, len, k.a, pk);
                ed_challenge(kk, bad, pk, msg, len);
                int want = kk[0] % order == 0 ? 0 : -1;

                if (expect("mixed-order A", bad, msg, len, pk, want) == 0)
                    mixed_ok++;
                else
                    mixed_bad++;
                msg[0] ^= 1;
            }
        }

        /* Small-order A with R = [s]B, S = s: [S]B - [k]A = R whenever
         * [k]A = 0, so only the small-order rule stops these forgeries. Our
         * own arithmetic confirms the equation holds before the verdict. */
        for (int i = 0; i < N_SMALL_ORDER; i++) {
            ge25519_p3 neg_a;
            ge25519_p2 rp;
            uint8_t wide[64], kk[32], enc[32];
            int order;

            small_order_enc(pk, i, &order);
            if (ge25519_frombytes_negate(&neg_a, pk) != 0)
                continue;
            for (int tries = 0;; tries++) {
                assert_true(tries < 200);
                rand_bytes(wide, 64);
                crypto_core_ed25519_scalar_reduce(bad + 32, wide);
                assert_int_equal(crypto_scalarmult_ed25519_base_noclamp(bad, bad + 32), 0);
                ed_challenge(kk, bad, pk, msg, len);
                if (kk[0] % order == 0)
                    break;
            }
            ge25519_double_scalarmult_vartime(&rp, kk, &neg_a, bad + 32);
            ge25519_tobytes(enc, &rp);
            assert_memory_equal(enc, bad, 32);
            expect("forgery under a small-order A", bad, msg, len, pk, -1);
            forged++;
            cases++;
        }

        /* R + T for T of small order: a different encoding, refused. */
        for (int i = 0; i < N_SMALL_ORDER; i++) {
            uint8_t t[32];
            int order;

            small_order_enc(t, i, &order);
            memcpy(bad, sig, 64);
            if (order > 1 && crypto_core_ed25519_add(bad, sig, t) == 0) {
                expect("mixed-order R", bad, msg, len, k.pk, -1);
                cases++;
            }
        }
    }
    printf("own cases: %ld checked; %ld small-order-key forgeries refused; mixed-order keys "
           "%ld accepted, %ld refused (as libsodium)\n", cases, forged, mixed_ok, mixed_bad);
    assert_true(forged > 0 && mixed_ok > 0 && mixed_bad > 0);
}

/* ---- the pieces ----------------------------------------------------------- */

static void ED0005_scalar_reduce_vs_libsodium(void **state)
{
    uint8_t in[64], want[32], got[32];

    rng_state = 0x5c;
    for (int n = 0; n < 20000; n++) {
        switch (n) {
        case 0: memset(in, 0, 64); break;
        case 1: memset(in, 0xff, 64); break;
        case 2: memset(in, 0, 64); memcpy(in, ED_L, 32); break;      /* L */
        case 3: memset(in, 0, 64); memcpy(in, ED_L, 32); in[0]--; break;
        case 4: memset(in, 0, 64); memcpy(in, ED_L, 32); in[0]++; break;
        case 5: memset(in, 0, 64); add256(in, ED_L, ED_L); break;    /* 2L */
        case 6: memset(in, 0, 64); memcpy(in + 32, ED_L, 32); break; /* L 2^256 */
        default:
            rand_bytes(in, 64);
            /* Also numbers with long runs of zeros or ones. */
            if (n % 7 == 0) {
                size_t at = rng() % 64;

                memset(in + at, (n & 8) ? 0xff : 0, rng() % (65 - at));
            }
            if (n % 11 == 0)
                memset(in + 32, 0, 32);
        }
        crypto_core_ed25519_scalar_reduce(want, in);
        sc25519_reduce(got, in);
        if (memcmp(got, want, 32) != 0) {
            hex_print("in", in, 64);
            hex_print("want", want, 32);
            hex_print("got", got, 32);
            fail_msg("reduction differs (case %d)", n);
        }
    }
}

static void ED0006_scalar_canonical(void **state)
{
    uint8_t s[32];

    memcpy(s, ED_L, 32);
    assert_int_equal(sc25519_is_canonical(s), 0);
    s[0]--;
    assert_int_equal(sc25519_is_canonical(s), 1);          /* L - 1 */
    s[0] += 2;
    assert_int_equal(sc25519_is_canonical(s), 0);          /* L + 1 */
    memset(s, 0, 32);
    assert_int_equal(sc25519_is_canonical(s), 1);
    memset(s, 0xff, 32);
    assert_int_equal(sc25519_is_canonical(s), 0);
    memset(s, 0, 32);
    s[31] = 0x10;
    assert_int_equal(sc25519_is_canonical(s), 1);          /* 2^252 < L */
    rng_state = 0xca;
    for (int n = 0; n < 100000; n++) {
        rand_bytes(s, 32);
        s[31] &= (n & 1) ? 0x1f : 0x10;
        if (n % 3 == 0)
            memcpy(s + 16, ED_L + 16, 16 - (n % 2));
        assert_int_equal(sc25519_is_canonical(s), cmp256(s, ED_L) < 0);
    }
}

/* The signed digits must add back up to the scalar, be odd and below
 * 2^(w-1) in size, and be followed by w-1 zeros. */
static void ED0007_wnaf_recoding(void **state)
{
    rng_state = 0x7a;
    for (int n = 0; n < 3000; n++) {
        uint8_t s[32];
        int8_t r[256];
        unsigned w = 2 + n % 7;
        int64_t acc[5] = { 0 };  /* 2^(64 i) limbs, signed during the sum */

        rand_bytes(s, 32);
        s[31] &= 0x1f;                      /* below 2^253 */
        if (n < 4)
            memset(s, n & 1 ? 0 : 0xff, 31), s[31] = n & 1 ? 0 : 0x1f;
        sc25519_wnaf(r, s, w);
        for (int i = 0; i < 256; i++) {
            if (!r[i])
                continue;
            assert_true(r[i] & 1);
            assert_true(r[i] < (1 << (w - 1)) && r[i] > -(1 << (w - 1)));
            for (unsigned j = 1; j < w && i + (int)j < 256; j++)
                assert_int_equal(r[i + j], 0);
        }
        /* sum r[i] 2^i by Horner from the top, in 64-bit limbs with
         * explicit carries. */
        for (int i = 255; i >= 0; i--) {
            unsigned __int128 carry = 0;

            for (int l = 0; l < 5; l++) {
                unsigned __int128 t = ((unsigned __int128)(uint64_t)acc[l] << 1) + carry;

                acc[l] = (int64_t)(uint64_t)t;
                carry = t >> 64;
            }
            {
                /* add the digit, sign-extended */
                uint64_t d = (uint64_t)(int64_t)r[i], ext = r[i] < 0 ? ~0ULL : 0;
                unsigned __int128 t = (unsigned __int128)(uint64_t)acc[0] + d;

                acc[0] = (int64_t)(uint64_t)t;
                carry = t >> 64;
                for (int l = 1; l < 5; l++) {
                    t = (unsigned __int128)(uint64_t)acc[l] + ext + carry;
                    acc[l] = (int64_t)(uint64_t)t;
                    carry = t >> 64;
                }
            }
        }
        for (int l = 0; l < 4; l++) {
            uint64_t v;

            memcpy(&v, s + 8 * l, 8);
            if ((uint64_t)acc[l] != v)
                fail_msg("w = %u: digits do not add up to the scalar (limb %d)", w, l);
        }
        assert_int_equal(acc[4], 0);
    }
}

/* [a]A + [b]B by ours against libsodium's separate operations. */
static void ED0008_double_scalarmult(void **state)
{
    rng_state = 0xd5;
    for (int n = 0; n < 1500; n++) {
        uint8_t wide[64], x[32], a[32], b[32], pa[32], neg_a_enc[32], aa[32], bb[32];
        uint8_t want[32], got[32];
        ge25519_p3 neg_a;
        ge25519_p2 r;

        rand_bytes(wide, 64);
        crypto_core_ed25519_scalar_reduce(x, wide);
        assert_int_equal(crypto_scalarmult_ed25519_base_noclamp(pa, x), 0);
        rand_bytes(wide, 64);
        crypto_core_ed25519_scalar_reduce(a, wide);
        rand_bytes(wide, 64);
        crypto_core_ed25519_scalar_reduce(b, wide);
        if (n == 0)
            memset(a, 0, 32), a[0] = 1;
        if (n == 1)
            memcpy(b, ED_L, 32), b[0]--;
        if (n == 2)
            memcpy(a, ED_L, 32), a[0]--;
        if (n % 5 == 3)
            memset(a + 1 + rng() % 20, 0, 8);       /* sparse digits */

        /* ours computes [a](-A) + [b]B from the encoding of A */
        assert_int_equal(ge25519_frombytes_negate(&neg_a, pa), 0);
        ge25519_double_scalarmult_vartime(&r, a, &neg_a, b);
        ge25519_tobytes(got, &r);

        assert_int_equal(crypto_scalarmult_ed25519_noclamp(aa, a, pa), 0);
        assert_int_equal(crypto_scalarmult_ed25519_base_noclamp(bb, b), 0);
        assert_int_equal(crypto_core_ed25519_sub(want, bb, aa), 0);
        if (memcmp(got, want, 32) != 0) {
            hex_print("A", pa, 32);
            hex_print("a", a, 32);
            hex_print("b", b, 32);
            fail_msg("[b]B - [a]A differs (case %d)", n);
        }
        /* -A encodes as A with the sign bit flipped (x is never 0 here). */
        {
            ge25519_p2 q = { neg_a.X, neg_a.Y, neg_a.Z };

            ge25519_tobytes(neg_a_enc, &q);
            pa[31] ^= 0x80;
            assert_memory_equal(neg_a_enc, pa, 32);
        }
    }
    {
        /* [0]A + [0]B is the identity, encoded y = 1. */
        uint8_t zero[32] = { 0 }, enc[32], id[32] = { 1 }, pa[32] = { 0 };
        ge25519_p3 neg_a;
        ge25519_p2 r;

        pa[0] = 0x58;   /* the base point's y, 4/5: 0x6666...58 */
        memset(pa + 1, 0x66, 31);
        assert_int_equal(ge25519_frombytes_negate(&neg_a, pa), 0);
        ge25519_double_scalarmult_vartime(&r, zero, &neg_a, zero);
        ge25519_tobytes(enc, &r);
        assert_memory_equal(enc, id, 32);
    }
}

/* Field arithmetic at its edges: every non-canonical encoding (y >= p)
 * comes out reduced, inverses and the square-root exponent check out. */
static void ED0009_field(void **state)
{
    uint8_t s[32], out[32];
    fe25519 x, y, z, one;

    fe25519_1(&one);
    for (int i = 0; i < 19; i++) {          /* p + i = i */
        memset(s, 0xff, 32);
        s[0] = (uint8_t)(0xed + i);
        s[31] = 0x7f;
        fe25519_frombytes(&x, s);
        fe25519_tobytes(out, &x);
        memset(s, 0, 32);
        s[0] = (uint8_t)i;
        assert_memory_equal(out, s, 32);
        assert_int_equal(fe25519_iszero(&x), i == 0);
    }
    memset(s, 0xff, 32);                    /* sign bit ignored: 2^255 - 1 = 18 */
    fe25519_frombytes(&x, s);
    fe25519_tobytes(out, &x);
    assert_int_equal(out[0], 18);

    rng_state = 0xfe;
    for (int n = 0; n < 2000; n++) {
        rand_bytes(s, 32);
        s[31] &= 0x7f;
        fe25519_frombytes(&x, s);
        fe25519_tobytes(out, &x);
        if (cmp256(s, (const uint8_t[32]){ 0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f }) < 0)
            assert_memory_equal(out, s, 32);
        if (fe25519_iszero(&x))
            continue;
        fe25519_invert(&y, &x);
        fe25519_mul(&z, &y, &x);
        fe25519_sub(&z, &z, &one);
        assert_true(fe25519_iszero(&z));
        /* t = x^((p-5)/8): t^8 x^4 = x^(p-1) = 1 */
        fe25519_pow22523(&y, &x);
        fe25519_sq(&y, &y);
        fe25519_sq(&y, &y);
        fe25519_sq(&y, &y);
        fe25519_sq(&z, &x);
        fe25519_sq(&z, &z);
        fe25519_mul(&y, &y, &z);
        fe25519_sub(&y, &y, &one);
        assert_true(fe25519_iszero(&y));
        /* (a + b) - b = a with unreduced sums on both sides */
        fe25519_add(&y, &x, &x);
        fe25519_add(&z, &y, &x);
        fe25519_sub(&z, &z, &y);
        fe25519_sub(&z, &z, &x);
        assert_true(fe25519_iszero(&z));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(ED0001_rfc8032_vectors, setup),
        cmocka_unit_test_setup(ED0002_djb_sign_input, setup),
        cmocka_unit_test_setup(ED0003_wycheproof, setup),
        cmocka_unit_test_setup(ED0004_strictness_rules, setup),
        cmocka_unit_test_setup(ED0005_scalar_reduce_vs_libsodium, setup),
        cmocka_unit_test_setup(ED0006_scalar_canonical, setup),
        cmocka_unit_test_setup(ED0007_wnaf_recoding, setup),
        cmocka_unit_test_setup(ED0008_double_scalarmult, setup),
        cmocka_unit_test_setup(ED0009_field, setup),
    };

    return cmocka_run_group_tests_name("ed25519", tests, NULL, NULL);
}

/*
 * Unit tests for the manifest parser (user/lib/manifest.c, manifest_keys.c;
 * format in docs/USERSPACE.md). Every text is handed over in a heap block
 * of exactly its length, without a terminating NUL, so a read past the end
 * is caught by AddressSanitizer. Errors are checked by their whole message,
 * which carries the line number.
 */
#include "unit.h"

#include "user/lib/manifest.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define REQUIRED "name = console\nversion = 1.2.3\nbinary = console.elf\nmemory = 1M\n"

static struct manifest m;
static char err[MANIFEST_ERR_MAX];

/* Parses the first len bytes of s from an exact-size heap copy. */
static int parse_n(const char *s, size_t len)
{
    char *copy = malloc(len ? len : 1);
    int r;

    assert_non_null(copy);
    memcpy(copy, s, len);
    memset(err, 'x', sizeof(err));
    r = manifest_parse(copy, len, &m, err, sizeof(err));
    free(copy);
    return r;
}

static int parse(const char *s)
{
    return parse_n(s, strlen(s));
}

static void expect_ok(const char *s)
{
    int r = parse(s);

    if (r != AE_OK)
        fail_msg("refused: %s\n--- text:\n%s", err, s);
    assert_string_equal(err, "");
}

static void expect_err(const char *s, const char *msg)
{
    static const struct manifest zero;
    int r = parse(s);

    if (r != AE_ERR_INVAL || strcmp(err, msg) != 0)
        fail_msg("result %d, message \"%s\", expected \"%s\"\n--- text:\n%s", r,
                 r ? err : "", msg, s);
    assert_memory_equal(&m, &zero, sizeof(m));
}

/* REQUIRED plus one line "key = value" (line 5). */
static int parse_kv(const char *key, const char *value)
{
    char buf[1024];

    snprintf(buf, sizeof(buf), REQUIRED "%s = %s\n", key, value);
    return parse(buf);
}

static void kv_ok(const char *key, const char *value)
{
    if (parse_kv(key, value) != AE_OK)
        fail_msg("%s = %s refused: %s", key, value, err);
}

/* The message must be "manifest:5: KEY: REASON". */
static void kv_bad(const char *key, const char *value, const char *reason)
{
    char want[256];

    snprintf(want, sizeof(want), "manifest:5: %s: %s", key, reason);
    if (parse_kv(key, value) != AE_ERR_INVAL || strcmp(err, want) != 0)
        fail_msg("%s = %s: got \"%s\", expected \"%s\"", key, value, err, want);
}

/* ---- accepted manifests ------------------------------------------------------ */

static void MAN0001_every_key(void **state)
{
    expect_ok("# the serial console driver\n"
              "name = console\n"
              "version = 1.20.300\n"
              "binary = console.elf\n"
              "memory = 256K\n"
              "threads = 4\n"
              "handles = 128\n"
              "cpu = 25%\n"
              "priority = 20\n"
              "provides = console tty\n"
              "needs = log\n"
              "irq = 4 3\n"
              "ioports = 0x3f8-0x3ff 0x2f8 0x80\n"
              "devmem = 0xfed00000-0xfed00fff\n"
              "restart = always\n"
              "max_restarts = 10\n"
              "backoff = 250ms\n"
              "boot = no\n");
    assert_string_equal(m.name, "console");
    assert_int_equal(m.version[0], 1);
    assert_int_equal(m.version[1], 20);
    assert_int_equal(m.version[2], 300);
    assert_string_equal(m.binary, "console.elf");
    assert_int_equal(m.memory_pages, 64);
    assert_int_equal(m.threads, 4);
    assert_int_equal(m.handles, 128);
    assert_int_equal(m.cpu_permille, 250);
    assert_int_equal(m.priority, 20);
    assert_int_equal(m.nprovides, 2);
    assert_string_equal(m.provides[0], "console");
    assert_string_equal(m.provides[1], "tty");
    assert_int_equal(m.nneeds, 1);
    assert_string_equal(m.needs[0], "log");
    assert_int_equal(m.nirqs, 2);
    assert_int_equal(m.irqs[0], 4);
    assert_int_equal(m.irqs[1], 3);
    assert_int_equal(m.nioports, 3);
    assert_int_equal(m.ioports[0].base, 0x3f8);
    assert_int_equal(m.ioports[0].last, 0x3ff);
    assert_int_equal(m.ioports[1].base, 0x2f8);
    assert_int_equal(m.ioports[1].last, 0x2f8);
    assert_int_equal(m.ioports[2].base, 0x80);
    assert_int_equal(m.ioports[2].last, 0x80);
    assert_int_equal(m.ndevmem, 1);
    assert_int_equal(m.devmem[0].base, 0xfed00000);
    assert_int_equal(m.devmem[0].last, 0xfed00fff);
    assert_int_equal(m.restart, MANIFEST_RESTART_ALWAYS);
    assert_int_equal(m.max_restarts, 10);
    assert_int_equal(m.backoff_ms, 250);
    assert_false(m.boot);
}

static void MAN0002_defaults(void **state)
{
    expect_ok(REQUIRED);
    assert_string_equal(m.name, "console");
    assert_int_equal(m.memory_pages, 256);
    assert_int_equal(m.threads, 1);
    assert_int_equal(m.handles, 64);
    assert_int_equal(m.cpu_permille, 100);
    assert_int_equal(m.priority, 16);
    assert_int_equal(m.nprovides, 0);
    assert_int_equal(m.nneeds, 0);
    assert_int_equal(m.nirqs, 0);
    assert_int_equal(m.nioports, 0);
    assert_int_equal(m.ndevmem, 0);
    assert_int_equal(m.restart, MANIFEST_RESTART_ON_FAILURE);
    assert_int_equal(m.max_restarts, 5);
    assert_int_equal(m.backoff_ms, 100);
    assert_true(m.boot);
    assert_string_equal(manifest_restart_name(m.restart), "on-failure");
    assert_string_equal(manifest_restart_name(MANIFEST_RESTART_ALWAYS), "always");
    assert_string_equal(manifest_restart_name(MANIFEST_RESTART_NEVER), "never");
}

static void MAN0003_comments_blanks_whitespace(void **state)
{
    expect_ok("\n"
              "   # indented comment\n"
              "#name = ignored\n"
              "\t\n"
              "name=console# no blanks at all\n"
              "  version\t=\t1.2.3   \n"
              "binary = console.elf    # trailing comment\n"
              "memory = 1M\n"
              "provides =  a\t\tb   c  \n"
              "# comment: ünïcödé ✓ 𝄞, = and # are fine here\n"
              "\n");
    assert_string_equal(m.name, "console");
    assert_int_equal(m.version[2], 3);
    assert_string_equal(m.binary, "console.elf");
    assert_int_equal(m.nprovides, 3);
    assert_string_equal(m.provides[2], "c");
    /* A comment right after "=" leaves no value. */
    expect_err(REQUIRED "threads = # 4\n", "manifest:5: threads: no value");
}

static void MAN0004_line_endings(void **state)
{
    /* CRLF throughout, mixed, and no newline after the last line. */
    expect_ok("name = console\r\nversion = 1.2.3\r\nbinary = console.elf\r\n"
              "memory = 1M\r\n");
    assert_int_equal(m.memory_pages, 256);
    expect_ok("name = console\r\nversion = 1.2.3\nbinary = console.elf\r\n# c\r\n\r\n"
              "memory = 1M");
    assert_int_equal(m.memory_pages, 256);
    expect_ok("name = console\nversion = 1.2.3\nbinary = console.elf\nmemory = 1M # x\r\n");
    /* A lone CR is not a line ending. */
    expect_err("name = console\rversion = 1.2.3\n", "manifest:1: control character 0x0d");
    expect_err(REQUIRED "boot = yes\r", "manifest:5: control character 0x0d");
    expect_err(REQUIRED "boot = yes\r\r\n", "manifest:5: control character 0x0d");
}

/* ---- each key: accepted values and boundaries ------------------------------------ */

static void MAN0005_name_and_binary(void **state)
{
    static const char *good_names[] = {"a", "z9", "a-b-c", "abcdefghijklmnopqrstuvwx"};
    static const char *bad_names[] = {
        "abcdefghijklmnopqrstuvwxy", "A", "1a", "-a", "a_b", "a.b", "aB", "a b",
    };

    for (size_t i = 0; i < N(good_names); i++) {
        char buf[256];
        snprintf(buf, sizeof(buf), "name = %s\nversion = 0.0.0\nbinary = x\nmemory = 64K\n",
                 good_names[i]);
        expect_ok(buf);
        assert_string_equal(m.name, good_names[i]);
    }
    for (size_t i = 0; i < N(bad_names); i++) {
        char buf[256], want[256];
        snprintf(buf, sizeof(buf), "version = 0.0.0\nname = %s\n", bad_names[i]);
        snprintf(want, sizeof(want),
                 "manifest:2: name: \"%s\" is not a name ([a-z][a-z0-9-]{0,23})",
                 bad_names[i]);
        if (!strchr(bad_names[i], ' '))
            expect_err(buf, want);
        else
            expect_err(buf, "manifest:2: name: \"a b\" is not a name ([a-z][a-z0-9-]{0,23})");
    }

    expect_ok("name = a\nversion = 0.0.0\nbinary = A.b_c-D.9\nmemory = 64K\n");
    assert_string_equal(m.binary, "A.b_c-D.9");
    expect_ok("name = a\nversion = 0.0.0\nmemory = 64K\n"
              "binary = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n");
    assert_int_equal(strlen(m.binary), MANIFEST_BINARY_MAX);
    expect_err("binary = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
               "manifest:1: binary: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\" is not a file "
               "name ([A-Za-z0-9._-], at most 47)");
    expect_err("binary = .hidden\n",
               "manifest:1: binary: \".hidden\" is not a file name ([A-Za-z0-9._-], at most 47)");
    expect_err("binary = ..\n",
               "manifest:1: binary: \"..\" is not a file name ([A-Za-z0-9._-], at most 47)");
    expect_err("binary = bin/x\n",
               "manifest:1: binary: \"bin/x\" is not a file name ([A-Za-z0-9._-], at most 47)");
    expect_err("binary = a b\n",
               "manifest:1: binary: \"a b\" is not a file name ([A-Za-z0-9._-], at most 47)");
}

static void MAN0006_version(void **state)
{
    kv_ok("threads", "1");      /* REQUIRED's 1.2.3 */
    assert_int_equal(m.version[0], 1);
    expect_ok("name = a\nbinary = b\nmemory = 64K\nversion = 0.0.0\n");
    assert_int_equal(m.version[0] | m.version[1] | m.version[2], 0);
    expect_ok("name = a\nbinary = b\nmemory = 64K\nversion = 65535.65535.65535\n");
    assert_int_equal(m.version[0], 65535);
    assert_int_equal(m.version[1], 65535);
    assert_int_equal(m.version[2], 65535);

    static const char *syntax[] = {"1.2", "1.2.3.4", "01.2.3", "1..3", "a.b.c", "1.2.-3",
                                   "+1.2.3", "1.2.3a", "1 .2.3", ".1.2"};
    for (size_t i = 0; i < N(syntax); i++) {
        char buf[128], want[128];
        snprintf(buf, sizeof(buf), "version = %s\n", syntax[i]);
        snprintf(want, sizeof(want), "manifest:1: version: \"%s\" is not MAJOR.MINOR.PATCH",
                 syntax[i]);
        expect_err(buf, want);
    }
    expect_err("version = 65536.0.0\n",
               "manifest:1: version: \"65536.0.0\": each part must be below 65536");
    expect_err("version = 1.2.99999999999999999999999\n",
               "manifest:1: version: \"1.2.99999999999999999999999\": each part must be "
               "below 65536");
}

static void MAN0007_memory(void **state)
{
    static const struct {
        const char *v;
        uint64_t pages;
    } good[] = {
        {"64K", 16}, {"65536", 16}, {"65537", 17}, {"100000", 25}, {"1M", 256},
        {"1025K", 257}, {"65536M", 16ull << 20}, {"68719476736", 16ull << 20},
        {"67108864K", 16ull << 20},
    };
    for (size_t i = 0; i < N(good); i++) {
        char buf[256];
        snprintf(buf, sizeof(buf), "name = a\nversion = 1.0.0\nbinary = b\nmemory = %s\n",
                 good[i].v);
        expect_ok(buf);
        assert_int_equal(m.memory_pages, good[i].pages);
    }
    static const char *range[] = {"65535", "63K", "0", "0K", "0M", "65537M",
                                  "68719476737", "67108865K", "99999999999999999999999M"};
    for (size_t i = 0; i < N(range); i++) {
        char buf[128], want[128];
        snprintf(buf, sizeof(buf), "memory = %s\n", range[i]);
        snprintf(want, sizeof(want), "manifest:1: memory: %s is out of range (64K..64G)",
                 range[i]);
        expect_err(buf, want);
    }
    static const char *syntax[] = {"1G", "1k", "1 M", "K", "M", "-1M", "1MB", "0x100000",
                                   "064K", "1.5M"};
    for (size_t i = 0; i < N(syntax); i++) {
        char buf[128], want[128];
        snprintf(buf, sizeof(buf), "memory = %s\n", syntax[i]);
        snprintf(want, sizeof(want), "manifest:1: memory: \"%s\" is not a size (N, NK or NM)",
                 syntax[i]);
        expect_err(buf, want);
    }
}

/* Integer keys: lowest and highest accepted, one below and one above,
 * and malformed spellings. */
static void MAN0008_integer_keys(void **state)
{
    static const struct {
        const char *key, *lo, *hi, *below, *above, *range, *syntax;
        uint32_t lo_v, hi_v;
        size_t field;
    } k[] = {
        {"threads", "1", "256", "0", "257", "(1..256)", "", 1, 256,
         offsetof(struct manifest, threads)},
        {"handles", "8", "65536", "7", "65537", "(8..65536)", "", 8, 65536,
         offsetof(struct manifest, handles)},
        {"cpu", "1%", "100%", "0%", "101%", "(1%..100%)", "%", 10, 1000,
         offsetof(struct manifest, cpu_permille)},
        {"priority", "0", "31", NULL, "32", "(0..31)", "", 0, 31,
         offsetof(struct manifest, priority)},
        {"max_restarts", "0", "1000", NULL, "1001", "(0..1000)", "", 0, 1000,
         offsetof(struct manifest, max_restarts)},
        {"backoff", "1ms", "60000ms", "0ms", "60001ms", "(1ms..60000ms)", "ms", 1, 60000,
         offsetof(struct manifest, backoff_ms)},
    };
    static const char *syntax[] = {"", "x", "-1", "+1", "01", "1.0", "0x10", "1 2", "1e3"};
    char reason[128];

    for (size_t i = 0; i < N(k); i++) {
        kv_ok(k[i].key, k[i].lo);
        assert_int_equal(*(uint32_t *)((char *)&m + k[i].field), k[i].lo_v);
        kv_ok(k[i].key, k[i].hi);
        assert_int_equal(*(uint32_t *)((char *)&m + k[i].field), k[i].hi_v);
        if (k[i].below) {
            snprintf(reason, sizeof(reason), "%s is out of range %s", k[i].below, k[i].range);
            kv_bad(k[i].key, k[i].below, reason);
        }
        snprintf(reason, sizeof(reason), "%s is out of range %s", k[i].above, k[i].range);
        kv_bad(k[i].key, k[i].above, reason);
        snprintf(reason, sizeof(reason), "99999999999999999999999%s is out of range %s",
                 k[i].syntax, k[i].range);
        {
            char v[64];
            snprintf(v, sizeof(v), "99999999999999999999999%s", k[i].syntax);
            kv_bad(k[i].key, v, reason);
        }
        for (size_t j = 0; j < N(syntax); j++) {
            char v[64];
            snprintf(v, sizeof(v), "%s%s", syntax[j], k[i].syntax);
            if (!*v)
                continue;
            if (*k[i].syntax)
                snprintf(reason, sizeof(reason), "\"%s\" is not a number followed by %s", v,
                         k[i].syntax);
            else
                snprintf(reason, sizeof(reason), "\"%s\" is not a number", v);
            kv_bad(k[i].key, v, reason);
        }
        if (*k[i].syntax) {     /* the unit is required, and exactly spelt */
            char v[64];
            snprintf(reason, sizeof(reason), "\"5\" is not a number followed by %s",
                     k[i].syntax);
            kv_bad(k[i].key, "5", reason);
            snprintf(v, sizeof(v), "5 %s", k[i].syntax);
            snprintf(reason, sizeof(reason), "\"%s\" is not a number followed by %s", v,
                     k[i].syntax);
            kv_bad(k[i].key, v, reason);
        }
    }
}

static void MAN0009_words(void **state)
{
    kv_ok("restart", "always");
    assert_int_equal(m.restart, MANIFEST_RESTART_ALWAYS);
    kv_ok("restart", "never");
    assert_int_equal(m.restart, MANIFEST_RESTART_NEVER);
    kv_ok("restart", "on-failure");
    assert_int_equal(m.restart, MANIFEST_RESTART_ON_FAILURE);
    kv_ok("boot", "yes");
    assert_true(m.boot);
    kv_ok("boot", "no");
    assert_false(m.boot);
}

static void MAN0010_services(void **state)
{
    kv_ok("provides", "a b c d e f g h");
    assert_int_equal(m.nprovides, 8);
    assert_string_equal(m.provides[7], "h");
    kv_ok("needs", "abcdefghijklmnopqrstuvwx z");
    assert_int_equal(m.nneeds, 2);
    assert_string_equal(m.needs[0], "abcdefghijklmnopqrstuvwx");
    /* In both lists: the later line is at fault, whichever comes first. */
    expect_err(REQUIRED "provides = a b\nneeds = c b\n",
               "manifest:6: needs: service \"b\" is in both provides and needs");
    expect_err(REQUIRED "needs = c b\nprovides = a b\n",
               "manifest:6: provides: service \"b\" is in both provides and needs");
}

static void MAN0011_irqs(void **state)
{
    kv_ok("irq", "0 15 7");
    assert_int_equal(m.nirqs, 3);
    assert_int_equal(m.irqs[0], 0);
    assert_int_equal(m.irqs[1], 15);
    assert_int_equal(m.irqs[2], 7);
    kv_ok("irq", "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15");
    assert_int_equal(m.nirqs, 16);
}

static void MAN0012_ioports(void **state)
{
    kv_ok("ioports", "0x0-0xffff");
    assert_int_equal(m.nioports, 1);
    assert_int_equal(m.ioports[0].base, 0);
    assert_int_equal(m.ioports[0].last, 0xffff);
    kv_ok("ioports", "0x3F8-0x3fF 0x00cf8-0x0CFF 0xffff");
    assert_int_equal(m.nioports, 3);
    assert_int_equal(m.ioports[0].base, 0x3f8);
    assert_int_equal(m.ioports[1].base, 0xcf8);
    assert_int_equal(m.ioports[1].last, 0xcff);
    assert_int_equal(m.ioports[2].base, 0xffff);
    kv_ok("ioports", "0x1 0x2 0x3 0x4 0x5 0x6 0x7 0x8");
    assert_int_equal(m.nioports, 8);
    static const char *syntax[] = {"0X3f8", "3f8", "0x", "0x-0x1", "0x1-", "-0x1",
                                   "0x1--0x2", "0x1-0x2-0x3", "0xg", "1016"};
    for (size_t i = 0; i < N(syntax); i++) {
        char reason[128];
        snprintf(reason, sizeof(reason), "\"%s\" is not 0xPORT or 0xBASE-0xLAST", syntax[i]);
        kv_bad("ioports", syntax[i], reason);
    }
}

static void MAN0013_devmem(void **state)
{
    kv_ok("devmem", "0xfed00000-0xfed00fff 0xE0000000-0xEFFFFFFF");
    assert_int_equal(m.ndevmem, 2);
    assert_int_equal(m.devmem[1].base, 0xe0000000);
    assert_int_equal(m.devmem[1].last, 0xefffffff);
    kv_ok("devmem", "0x0-0xfff 0xffffffff000-0xfffffffffff");
    assert_int_equal(m.devmem[1].last, MANIFEST_DEVMEM_LIMIT - 1);
    kv_ok("devmem", "0x0-0xfff 0x1000-0x1fff 0x2000-0x2fff 0x3000-0x3fff 0x4000-0x4fff "
          "0x5000-0x5fff 0x6000-0x6fff 0x7000-0x7fff");
    assert_int_equal(m.ndevmem, 8);
    kv_bad("devmem", "0x0-0xfff 0x1000-0x1fff 0x2000-0x2fff 0x3000-0x3fff 0x4000-0x4fff "
           "0x5000-0x5fff 0x6000-0x6fff 0x7000-0x7fff 0x8000-0x8fff", "more than 8 ranges");
}

/* ---- every kind of error, with its line --------------------------------------- */

static void MAN0014_unknown_key(void **state)
{
    expect_err("# console\nname = console\nversion = 1.0.0\nbinary = c\n\n# quota\n"
               "memroy = 1M\n", "manifest:7: unknown key \"memroy\"");
    expect_err(REQUIRED "Name = x\n", "manifest:5: malformed key \"Name\"");
    expect_err(REQUIRED "max restarts = 3\n", "manifest:5: malformed key \"max restarts\"");
    expect_err(REQUIRED "max-restarts = 3\n", "manifest:5: malformed key \"max-restarts\"");
    expect_err(REQUIRED "= 3\n", "manifest:5: malformed key \"\"");
    expect_err(REQUIRED "nam\xc3\xa9 = 3\n", "manifest:5: malformed key \"nam??\"");
    expect_err(REQUIRED "names = x\n", "manifest:5: unknown key \"names\"");
    expect_err(REQUIRED "_ = x\n", "manifest:5: unknown key \"_\"");
    expect_err(REQUIRED "binary\n", "manifest:5: expected \"key = value\"");
    expect_err(REQUIRED "binary: x\n", "manifest:5: expected \"key = value\"");
    /* Long keys are cut in the message. */
    expect_err("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa = 1\n",
               "manifest:1: unknown key \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\"");
}

static void MAN0015_repeated_key(void **state)
{
    expect_err("name = a\nversion = 1.0.0\n\nname = a\n",
               "manifest:4: repeated key \"name\" (first on line 1)");
    expect_err(REQUIRED "boot = yes\n# x\nboot = yes\n",
               "manifest:7: repeated key \"boot\" (first on line 5)");
    /* Even when the first one was refused for its value, that error comes first. */
    expect_err(REQUIRED "irq = 99\nirq = 1\n", "manifest:5: irq: 99 is out of range (0..15)");
}

static void MAN0016_missing_key(void **state)
{
    /* Reported on the line where the file ends: one more than its "\n"s. */
    expect_err("version = 1.0.0\nbinary = c\nmemory = 1M\n",
               "manifest:4: missing required key \"name\"");
    expect_err("name = a\nversion = 1.0.0\nbinary = c\n",
               "manifest:4: missing required key \"memory\"");
    expect_err("name = a\nversion = 1.0.0\nmemory = 1M\r\n",
               "manifest:4: missing required key \"binary\"");
    expect_err("name = a\nbinary = c\nmemory = 1M",
               "manifest:3: missing required key \"version\"");
    expect_err("name = a\nbinary = c\nmemory = 1M\n\n# end",
               "manifest:5: missing required key \"version\"");
    /* Required keys are named in table order: name first. */
    expect_err("boot = yes\n", "manifest:2: missing required key \"name\"");
}

static void MAN0017_empty_and_blank_files(void **state)
{
    expect_err("", "manifest:1: missing required key \"name\"");
    expect_err("\n\n", "manifest:3: missing required key \"name\"");
    expect_err("\r\n", "manifest:2: missing required key \"name\"");
    expect_err("# only a comment", "manifest:1: missing required key \"name\"");
    expect_err("  \t  ", "manifest:1: missing required key \"name\"");
}

static void MAN0018_no_value(void **state)
{
    static const char *keys[] = {"name", "version", "binary", "memory", "threads",
                                 "handles", "cpu", "priority", "provides", "needs",
                                 "irq", "ioports", "devmem", "restart", "max_restarts",
                                 "backoff", "boot"};
    for (size_t i = 0; i < N(keys); i++) {
        char buf[128], want[128];
        snprintf(buf, sizeof(buf), "\n%s =  \t\n", keys[i]);
        snprintf(want, sizeof(want), "manifest:2: %s: no value", keys[i]);
        expect_err(buf, want);
    }
}

static void MAN0019_line_length(void **state)
{
    char buf[600];
    size_t n;

    /* 255 bytes is fine, 256 is not; "\r\n" does not count. */
    n = (size_t)snprintf(buf, sizeof(buf), REQUIRED "# ");
    memset(buf + n, 'c', 253);
    strcpy(buf + n + 253, "\r\n");
    expect_ok(buf);
    memset(buf + n, 'c', 254);
    strcpy(buf + n + 254, "\r\n");
    expect_err(buf, "manifest:5: line longer than 255 bytes");
    memset(buf + n, 'c', 254);
    buf[n + 254] = '\0';        /* last line without a newline */
    expect_err(buf, "manifest:5: line longer than 255 bytes");
    /* A long value too, even one that would be refused anyway. */
    n = (size_t)snprintf(buf, sizeof(buf), "provides = ");
    memset(buf + n, 'a', 300);
    strcpy(buf + n + 300, "\n");
    expect_err(buf, "manifest:1: line longer than 255 bytes");
}

static void MAN0020_nul_and_control_bytes(void **state)
{
    static const char with_nul[] = REQUIRED "boot = y\0es\n";
    static const char nul_in_comment[] = REQUIRED "# \0\n";

    assert_int_equal(parse_n(with_nul, sizeof(with_nul) - 1), AE_ERR_INVAL);
    assert_string_equal(err, "manifest:5: NUL byte");
    assert_int_equal(parse_n(nul_in_comment, sizeof(nul_in_comment) - 1), AE_ERR_INVAL);
    assert_string_equal(err, "manifest:5: NUL byte");
    assert_int_equal(parse_n("\0", 1), AE_ERR_INVAL);
    assert_string_equal(err, "manifest:1: NUL byte");
    expect_err(REQUIRED "boot = yes\x1b[0m\n", "manifest:5: control character 0x1b");
    expect_err("name = a\x7f\n", "manifest:1: control character 0x7f");
    expect_err("\f\n", "manifest:1: control character 0x0c");
    expect_err("\v", "manifest:1: control character 0x0b");
    /* The first bad byte of the line decides. */
    expect_err("a\x01\xff\n", "manifest:1: control character 0x01");
    expect_err("a\xff\x01\n", "manifest:1: invalid UTF-8");
}

static void MAN0021_utf8(void **state)
{
    static const char *bad[] = {
        "\x80", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
        "\xf5\x80\x80\x80", "\xff", "\xc3", "\xe2\x9c", "\xf0\x9d\x84", "\xc3\x28",
        "\xe2\x28\xa1",
    };
    for (size_t i = 0; i < N(bad); i++) {
        char buf[128];
        snprintf(buf, sizeof(buf), REQUIRED "# %s end\n", bad[i]);
        expect_err(buf, "manifest:5: invalid UTF-8");
        snprintf(buf, sizeof(buf), REQUIRED "# %s", bad[i]);   /* cut at the end of file */
        expect_err(buf, "manifest:5: invalid UTF-8");
    }
    /* Boundaries of each length are fine in comments. */
    expect_ok(REQUIRED "# \xc2\x80 \xdf\xbf \xe0\xa0\x80 \xed\x9f\xbf \xee\x80\x80 \xef\xbf\xbf "
              "\xf0\x90\x80\x80 \xf4\x8f\xbf\xbf\n");
    /* and refused in values, with the bytes shown as '?'. */
    expect_err(REQUIRED "restart = n\xc3\xa9ver\n",
               "manifest:5: restart: \"n??ver\" is not always, on-failure or never");
}

static void MAN0022_first_error_wins(void **state)
{
    expect_err("name = BAD\nmemroy = 1\n\x01\n",
               "manifest:1: name: \"BAD\" is not a name ([a-z][a-z0-9-]{0,23})");
    expect_err("name = a\nmemroy = 1\nname = b\n", "manifest:2: unknown key \"memroy\"");
    expect_err("boot = yes\nthreads = 0\n", "manifest:2: threads: 0 is out of range (1..256)");
}

/* ---- the API -------------------------------------------------------------------- */

static void MAN0023_arguments_and_message_buffer(void **state)
{
    static const char text[] = "memroy = 1\n";
    char small[12];

    assert_int_equal(manifest_parse(NULL, 0, &m, err, sizeof(err)), AE_ERR_INVAL);
    assert_string_equal(err, "manifest:0: no text");
    assert_int_equal(manifest_parse(REQUIRED, strlen(REQUIRED), NULL, err, sizeof(err)),
                     AE_ERR_INVAL);
    /* No message buffer: only the code. */
    assert_int_equal(manifest_parse(text, strlen(text), &m, NULL, 100), AE_ERR_INVAL);
    assert_int_equal(manifest_parse(text, strlen(text), &m, small, 0), AE_ERR_INVAL);
    /* A short one holds the start of the message. */
    assert_int_equal(manifest_parse(text, strlen(text), &m, small, sizeof(small)),
                     AE_ERR_INVAL);
    assert_string_equal(small, "manifest:1:");
    /* Success clears the message. */
    strcpy(err, "old");
    assert_int_equal(manifest_parse(REQUIRED, strlen(REQUIRED), &m, err, sizeof(err)), AE_OK);
    assert_string_equal(err, "");
    /* len bounds the text: bytes after it are never read. */
    assert_int_equal(manifest_parse(REQUIRED "memroy = 1\n", strlen(REQUIRED), &m, err,
                                    sizeof(err)), AE_OK);
}

/* ---- random mutations --------------------------------------------------------- */

static const char fuzz_base[] =
    "# fuzz\n"
    "name = console\n"
    "version = 1.2.3\n"
    "binary = console.elf\n"
    "memory = 256K\n"
    "threads = 4\n"
    "handles = 128\n"
    "cpu = 25%\n"
    "priority = 20\n"
    "provides = console tty\n"
    "needs = log\n"
    "irq = 4 3\n"
    "ioports = 0x3f8-0x3ff 0x2f8\n"
    "devmem = 0xfed00000-0xfed00fff\n"
    "restart = always\r\n"
    "max_restarts = 10\n"
    "backoff = 250ms\n"
    "boot = no\n";

/* Bytes worth inserting: the format's own punctuation and troublemakers. */
static const char fuzz_bytes[] = "=#\n\r \t0x-%.9Kms\0\x01\x7f\xc3\xa9\xff\xed";

static void check_fields_in_range(void)
{
    assert_true(strlen(m.name) >= 1 && strlen(m.name) <= MANIFEST_NAME_MAX);
    assert_true(strlen(m.binary) >= 1 && strlen(m.binary) <= MANIFEST_BINARY_MAX);
    assert_true(m.memory_pages >= 16 && m.memory_pages <= (16ull << 20));
    assert_true(m.threads >= 1 && m.threads <= 256);
    assert_true(m.handles >= 8 && m.handles <= 65536);
    assert_true(m.cpu_permille >= 10 && m.cpu_permille <= 1000 && m.cpu_permille % 10 == 0);
    assert_true(m.priority <= 31);
    assert_true(m.nprovides <= MANIFEST_SERVICES_MAX && m.nneeds <= MANIFEST_SERVICES_MAX);
    for (unsigned i = 0; i < m.nprovides; i++)
        for (unsigned j = 0; j < m.nneeds; j++)
            assert_string_not_equal(m.provides[i], m.needs[j]);
    assert_true(m.nirqs <= MANIFEST_IRQS_MAX);
    for (unsigned i = 0; i < m.nirqs; i++)
        assert_true(m.irqs[i] < 16);
    assert_true(m.nioports <= MANIFEST_RANGES_MAX && m.ndevmem <= MANIFEST_RANGES_MAX);
    for (unsigned i = 0; i < m.nioports; i++)
        assert_true(m.ioports[i].base <= m.ioports[i].last && m.ioports[i].last <= 0xffff);
    for (unsigned i = 0; i < m.ndevmem; i++)
        assert_true(m.devmem[i].base <= m.devmem[i].last &&
                    m.devmem[i].last < MANIFEST_DEVMEM_LIMIT &&
                    m.devmem[i].base % 4096 == 0 && (m.devmem[i].last + 1) % 4096 == 0);
    assert_true(m.restart <= MANIFEST_RESTART_NEVER);
    assert_true(m.max_restarts <= 1000);
    assert_true(m.backoff_ms >= 1 && m.backoff_ms <= 60000);
}

/* The message names a line the text has: 1 .. one more than its "\n"s. */
static void check_error_line(const char *text, size_t len)
{
    unsigned long line = 0, lines = 1;
    int used = 0;

    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    assert_int_equal(sscanf(err, "manifest:%lu: %n", &line, &used), 1);
    assert_true(used > 0 && err[used] != '\0');
    assert_true(line >= 1 && line <= lines);
}

static size_t mutate(char *buf, size_t len, size_t cap)
{
    unsigned n = 1 + (unsigned)(rng() % 4);

    for (unsigned k = 0; k < n; k++) {
        size_t at = len ? (size_t)(rng() % len) : 0;
        switch (rng() % 6) {
        case 0:         /* flip a bit */
            if (len)
                buf[at] ^= (char)(1u << (rng() % 8));
            break;
        case 1:         /* overwrite with an interesting byte */
            if (len)
                buf[at] = fuzz_bytes[rng() % (sizeof(fuzz_bytes) - 1)];
            break;
        case 2:         /* insert one */
            if (len < cap) {
                memmove(buf + at + 1, buf + at, len - at);
                buf[at] = fuzz_bytes[rng() % (sizeof(fuzz_bytes) - 1)];
                len++;
            }
            break;
        case 3: {       /* delete a run */
            size_t run = (size_t)(rng() % 8);
            if (run > len - at)
                run = len - at;
            memmove(buf + at, buf + at + run, len - at - run);
            len -= run;
            break;
        }
        case 4: {       /* duplicate a run (repeats keys, lengthens lines) */
            size_t run = (size_t)(rng() % 40);
            if (run > len - at)
                run = len - at;
            if (len + run <= cap) {
                memmove(buf + at + run, buf + at, len - at);
                len += run;
            }
            break;
        }
        default:        /* cut the end */
            len = at;
            break;
        }
    }
    return len;
}

static void MAN0024_random_mutations(void **state)
{
    enum { ROUNDS = 20000 };
    static char buf[4096];
    unsigned ok = 0, bad = 0;

    rng_state = 0x6d616e6966657374ull;
    for (unsigned r = 0; r < ROUNDS; r++) {
        size_t len = sizeof(fuzz_base) - 1;
        char *copy;
        int ret;

        memcpy(buf, fuzz_base, len);
        len = mutate(buf, len, sizeof(buf));
        copy = malloc(len ? len : 1);
        assert_non_null(copy);
        memcpy(copy, buf, len);
        ret = manifest_parse(copy, len, &m, err, sizeof(err));
        if (ret == AE_OK) {
            ok++;
            assert_string_equal(err, "");
            check_fields_in_range();
        } else {
            bad++;
            assert_int_equal(ret, AE_ERR_INVAL);
            check_error_line(copy, len);
        }
        free(copy);
    }
    printf("MAN0024: %u accepted, %u refused\n", ok, bad);
    assert_true(ok > ROUNDS / 50);
    assert_true(bad > ROUNDS / 4);
}

static const struct {
    const char *key, *value, *reason;
} refused_values[] = {
    {"backoff", "5MS", "\"5MS\" is not a number followed by ms"},
    {"backoff", "5s", "\"5s\" is not a number followed by ms"},
    {"restart", "Always", "\"Always\" is not always, on-failure or never"},
    {"restart", "on_failure", "\"on_failure\" is not always, on-failure or never"},
    {"restart", "always never", "\"always never\" is not always, on-failure or never"},
    {"restart", "alway", "\"alway\" is not always, on-failure or never"},
    {"boot", "true", "\"true\" is not yes or no"},
    {"boot", "Yes", "\"Yes\" is not yes or no"},
    {"boot", "y", "\"y\" is not yes or no"},
    {"boot", "nope", "\"nope\" is not yes or no"},
    {"provides", "a b c d e f g h i", "more than 8 services"},
    {"needs", "a b c d e f g h i", "more than 8 services"},
    {"needs", "log log", "service \"log\" listed twice"},
    {"provides", "a b a", "service \"a\" listed twice"},
    {"needs", "Log", "\"Log\" is not a service name ([a-z][a-z0-9-]{0,23})"},
    {"needs", "a,b", "\"a,b\" is not a service name ([a-z][a-z0-9-]{0,23})"},
    {"provides", "abcdefghijklmnopqrstuvwxy",
     "\"abcdefghijklmnopqrstuvwxy\" is not a service name ([a-z][a-z0-9-]{0,23})"},
    {"irq", "16", "16 is out of range (0..15)"},
    {"irq", "4 4", "IRQ 4 listed twice"},
    {"irq", "3,4", "\"3,4\" is not a number"},
    {"irq", "04", "\"04\" is not a number"},
    {"irq", "0x4", "\"0x4\" is not a number"},
    {"irq", "-1", "\"-1\" is not a number"},
    {"ioports", "0x1 0x2 0x3 0x4 0x5 0x6 0x7 0x8 0x9", "more than 8 ranges"},
    {"ioports", "0x10000", "0x10000 is out of range (at most 0xffff)"},
    {"ioports", "0x0-0x10000", "0x0-0x10000 is out of range (at most 0xffff)"},
    {"ioports", "0xffffffffffffffffffff",
     "0xffffffffffffffffffff is out of range (at most 0xffff)"},
    {"ioports", "0x3ff-0x3f8", "0x3ff-0x3f8 ends before it starts"},
    {"ioports", "0x3f8-0x3ff 0x3ff", "0x3ff overlaps 0x3f8-0x3ff"},
    {"ioports", "0x10 0x0-0x20", "0x0-0x20 overlaps 0x10-0x10"},
    {"devmem", "0xfffffffffff-0x100000000fff",
     "0xfffffffffff-0x100000000fff is out of range (at most 0xfffffffffff)"},
    {"devmem", "0x100000000000-0x100000000fff",
     "0x100000000000-0x100000000fff is out of range (at most 0xfffffffffff)"},
    {"devmem", "0x1000-0x1ffe", "0x1000-0x1ffe is not whole pages"},
    {"devmem", "0x1001-0x1fff", "0x1001-0x1fff is not whole pages"},
    {"devmem", "0x2000-0x1fff", "0x2000-0x1fff ends before it starts"},
    {"devmem", "0x1000", "\"0x1000\" is not a range 0xBASE-0xLAST"},
    {"devmem", "0x1000-", "\"0x1000-\" is not a range 0xBASE-0xLAST"},
    {"devmem", "0x0-0x1fff 0x1000-0x1fff", "0x1000-0x1fff overlaps 0x0-0x1fff"},
};

/* Values refused by each key's syntax and limits (on line 5 of REQUIRED +
 * one line): the message names the key and the reason. */
static void MAN0025_refused_values(void **state)
{
    for (size_t i = 0; i < N(refused_values); i++)
        kv_bad(refused_values[i].key, refused_values[i].value, refused_values[i].reason);
}

static void MAN0026_watchdog(void **state)
{
    assert_int_equal(parse_kv("boot", "yes"), AE_OK);
    assert_false(m.watchdog);                       /* off unless asked for */
    kv_ok("watchdog", "yes");
    assert_true(m.watchdog);
    assert_true(m.boot);
    kv_ok("watchdog", "no");
    assert_false(m.watchdog);
    kv_bad("watchdog", "on", "\"on\" is not yes or no");
    kv_bad("watchdog", "", "no value");
}

static void MAN0027_pci_device(void **state)
{
    assert_int_equal(parse_kv("boot", "yes"), AE_OK);
    assert_int_equal(m.pci_device, 0);              /* none unless asked for */
    kv_ok("pci_device", "1af4:1041");
    assert_int_equal(m.pci_device, 0x1af41041);
    kv_ok("pci_device", "8086:29C0");
    assert_int_equal(m.pci_device, 0x808629c0);
    kv_bad("pci_device", "1af4", "\"1af4\" is not VENDOR:DEVICE (4 hex digits each)");
    kv_bad("pci_device", "1af4:10410", "\"1af4:10410\" is not VENDOR:DEVICE (4 hex digits each)");
    kv_bad("pci_device", "1af4-1041", "\"1af4-1041\" is not VENDOR:DEVICE (4 hex digits each)");
    kv_bad("pci_device", "0x1af4:1041", "\"0x1af4:1041\" is not VENDOR:DEVICE (4 hex digits each)");
    kv_bad("pci_device", "1af4:10g1", "\"1af4:10g1\" is not VENDOR:DEVICE (4 hex digits each)");
    kv_bad("pci_device", "1af4:1041 8086:100e", "\"1af4:1041 8086:100e\" is not VENDOR:DEVICE (4 hex digits each)");
    kv_bad("pci_device", "ffff:1041", "vendor ffff is no device");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(MAN0001_every_key),
        cmocka_unit_test(MAN0002_defaults),
        cmocka_unit_test(MAN0003_comments_blanks_whitespace),
        cmocka_unit_test(MAN0004_line_endings),
        cmocka_unit_test(MAN0005_name_and_binary),
        cmocka_unit_test(MAN0006_version),
        cmocka_unit_test(MAN0007_memory),
        cmocka_unit_test(MAN0008_integer_keys),
        cmocka_unit_test(MAN0009_words),
        cmocka_unit_test(MAN0010_services),
        cmocka_unit_test(MAN0011_irqs),
        cmocka_unit_test(MAN0012_ioports),
        cmocka_unit_test(MAN0013_devmem),
        cmocka_unit_test(MAN0014_unknown_key),
        cmocka_unit_test(MAN0015_repeated_key),
        cmocka_unit_test(MAN0016_missing_key),
        cmocka_unit_test(MAN0017_empty_and_blank_files),
        cmocka_unit_test(MAN0018_no_value),
        cmocka_unit_test(MAN0019_line_length),
        cmocka_unit_test(MAN0020_nul_and_control_bytes),
        cmocka_unit_test(MAN0021_utf8),
        cmocka_unit_test(MAN0022_first_error_wins),
        cmocka_unit_test(MAN0023_arguments_and_message_buffer),
        cmocka_unit_test(MAN0024_random_mutations),
        cmocka_unit_test(MAN0025_refused_values),
        cmocka_unit_test(MAN0026_watchdog),
        cmocka_unit_test(MAN0027_pci_device),
    };

    return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}

/*
 * Unit tests for the cpio "newc" reader (user/lib/cpio.c) and the initrd
 * tool (tools/mkinitrd.py). Archives come from three sources: the tool,
 * the system's GNU cpio (`cpio -o -H newc`), each run on a tree of files
 * made in a temporary directory, and a small builder here for malformed
 * ones. Each archive is read from a heap block of exactly its size, so a
 * read past the end is caught by AddressSanitizer.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

#include "user/lib/cpio.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Header field indexes (each 8 hex digits after the 6-byte magic). */
enum {
    F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJOR,
    F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK, F_COUNT
};
#define FIELD_AT(i) (6 + 8 * (i))

static char tmp[64];            /* the temporary directory */

/* ---- files and commands ---------------------------------------------------- */

/* Runs a shell command (printf-style), returns its exit status. */
static int sh_rc(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh_rc(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    int st;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    st = system(cmd);
    return st == -1 ? -1 : WEXITSTATUS(st);
}

/* Runs a shell command that must succeed. */
#define sh(...) assert_int_equal(sh_rc(__VA_ARGS__), 0)

static void put_file(const char *rel, const void *data, size_t len)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", tmp, rel);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void put_text(const char *rel, const char *text)
{
    put_file(rel, text, strlen(text));
}

/* The whole file in a heap block of exactly its size (at least 1 byte
 * allocated); *len its size. */
static uint8_t *slurp(const char *rel, size_t *len)
{
    char path[512];
    uint8_t *buf;
    FILE *f;
    long n;

    snprintf(path, sizeof(path), "%s/%s", tmp, rel);
    f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc(n ? (size_t)n : 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* ---- the file tree: two V-Nodes -------------------------------------------------- */

static uint8_t console_elf[1000], shell_elf[4096];

/* In archive order (directories, then entries by name, depth first). */
static const struct {
    const char *path;           /* in the archive, and below root/ on disk */
    bool dir;
} tree[] = {
    {"vnodes", true},
    {"vnodes/console", true},
    {"vnodes/console/console.elf", false},
    {"vnodes/console/empty", false},
    {"vnodes/console/etc", true},
    {"vnodes/console/etc/motd", false},
    {"vnodes/console/five", false},
    {"vnodes/console/four", false},
    {"vnodes/console/manifest", false},
    {"vnodes/console/one", false},
    {"vnodes/console/three", false},
    {"vnodes/console/two", false},
    {"vnodes/shell", true},
    {"vnodes/shell/manifest", false},
    {"vnodes/shell/shell.elf", false},
};

static int setup_tree(void **state)
{
    char tmpl[] = "/tmp/aether-cpio-XXXXXX";

    assert_non_null(mkdtemp(tmpl));
    strcpy(tmp, tmpl);
    for (size_t i = 0; i < sizeof(console_elf); i++)
        console_elf[i] = (uint8_t)(i % 7 ? i * 37 : 0);
    for (size_t i = 0; i < sizeof(shell_elf); i++)
        shell_elf[i] = (uint8_t)(i ^ (i >> 8));
    sh("mkdir -p %s/root/vnodes/console/etc %s/root/vnodes/shell", tmp, tmp);
    put_text("root/vnodes/console/manifest",
             "name = console\nversion = 1.0.0\nbinary = console.elf\nmemory = 64K\n");
    put_file("root/vnodes/console/console.elf", console_elf, sizeof(console_elf));
    put_file("root/vnodes/console/empty", "", 0);
    put_file("root/vnodes/console/one", "1", 1);
    put_file("root/vnodes/console/two", "22", 2);
    put_file("root/vnodes/console/three", "333", 3);
    put_file("root/vnodes/console/four", "4444", 4);
    put_file("root/vnodes/console/five", "5\0005\0005", 5);
    put_text("root/vnodes/console/etc/motd", "hello\n");
    put_text("root/vnodes/shell/manifest",
             "# the shell\nname = shell\nversion = 0.1.0\nbinary = shell.elf\nmemory = 1M\n");
    put_file("root/vnodes/shell/shell.elf", shell_elf, sizeof(shell_elf));
    /* The tool's archive and GNU cpio's of the same tree. */
    sh("python3 tools/mkinitrd.py -o %s/tool.cpio %s/root/vnodes/shell "
       "console=%s/root/vnodes/console", tmp, tmp, tmp);
    sh("cd %s/root && find vnodes | LC_ALL=C sort | cpio -o -H newc --quiet > %s/gnu.cpio",
       tmp, tmp);
    return 0;
}

static int teardown_tree(void **state)
{
    if (tmp[0])
        sh("rm -rf %s", tmp);
    return 0;
}

/* Every entry lies inside the archive and is self-consistent, whatever
 * the result; the result is stable and cpio_check agrees with it. */
static int check_consistent(const uint8_t *a, size_t n, size_t *count)
{
    struct cpio_iter it;
    struct cpio_entry e;
    size_t k = 0, k2;
    int r, r2;

    cpio_iter_init(&it, a, n);
    while ((r = cpio_next(&it, &e)) > 0) {
        const uint8_t *name = (const uint8_t *)e.name, *data = e.data;

        assert_true(name >= a + CPIO_HEADER_SIZE && name + e.namelen < a + n);
        assert_int_equal(strlen(e.name), e.namelen);
        assert_true(e.namelen > 0);
        assert_true(data > name + e.namelen && data <= a + n && e.size <= (size_t)(a + n - data));
        assert_int_equal((data - a) % 4, 0);
        k++;
    }
    assert_true(r == 0 || r == AE_ERR_CORRUPT || r == AE_ERR_UNSUPPORTED);
    assert_int_equal(cpio_next(&it, &e), r);            /* sticky */
    assert_null(e.name);
    r2 = cpio_check(a, n, &k2);
    assert_int_equal(r2, r);
    assert_int_equal(k2, r == 0 ? k : 0);
    if (count)
        *count = k;
    return r;
}

/* Reads an archive of the tree and compares it with the files on disk;
 * meta: also check the tool's fixed metadata. */
static void compare_with_tree(const uint8_t *a, size_t n, bool meta)
{
    struct cpio_iter it;
    struct cpio_entry e;
    size_t i = 0;
    int r;

    cpio_iter_init(&it, a, n);
    while ((r = cpio_next(&it, &e)) > 0) {
        assert_true(i < N(tree));
        assert_string_equal(e.name, tree[i].path);
        assert_int_equal(e.mode & CPIO_MODE_TYPE, tree[i].dir ? CPIO_MODE_DIR : CPIO_MODE_FILE);
        if (meta) {
            assert_int_equal(e.mode, tree[i].dir ? 040755 : 0100644);
            assert_int_equal(e.mtime, 0);
        }
        if (tree[i].dir) {
            assert_int_equal(e.size, 0);
        } else {
            char rel[256];
            size_t len;
            uint8_t *want;

            snprintf(rel, sizeof(rel), "root/%s", tree[i].path);
            want = slurp(rel, &len);
            assert_int_equal(e.size, len);
            assert_memory_equal(e.data, want, len);
            free(want);
        }
        i++;
    }
    assert_int_equal(r, 0);
    assert_int_equal(i, N(tree));
}

/* ---- archives from the tool and from GNU cpio ------------------------------------ */

static void CPIO0001_tool_archive_reads_back(void **state)
{
    size_t n, count;
    uint8_t *a = slurp("tool.cpio", &n);

    compare_with_tree(a, n, true);
    assert_int_equal(check_consistent(a, n, &count), 0);
    assert_int_equal(count, N(tree));
    /* Nothing after the trailer: the archive ends at its padding. */
    assert_int_equal(n % 4, 0);
    assert_memory_equal(a + n - 14, "TRAILER!!!\0\0\0\0", 14);
    free(a);
}

static void CPIO0002_tool_is_deterministic(void **state)
{
    size_t n1, n2;
    uint8_t *a1, *a2;

    /* Other times, permissions and argument order: the same bytes. */
    sh("touch -d '2001-02-03 04:05:06' %s/root/vnodes/console/one %s/root/vnodes/shell", tmp, tmp);
    sh("chmod 600 %s/root/vnodes/console/two", tmp);
    sh("python3 tools/mkinitrd.py -o %s/again.cpio %s/root/vnodes/console "
       "%s/root/vnodes/shell", tmp, tmp, tmp);
    sh("chmod 644 %s/root/vnodes/console/two", tmp);
    a1 = slurp("tool.cpio", &n1);
    a2 = slurp("again.cpio", &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(a1, a2, n1);
    free(a1);
    free(a2);
}

static void CPIO0003_gnu_cpio_extracts_tool_archive(void **state)
{
    /* An independent reader of the format agrees with the tool. */
    sh("mkdir -p %s/x && cd %s/x && cpio -id --quiet < %s/tool.cpio", tmp, tmp, tmp);
    sh("diff -r %s/root/vnodes %s/x/vnodes", tmp, tmp);
    sh("cd %s && cpio -t --quiet < tool.cpio > list.txt", tmp);
    sh("cd %s && test \"$(wc -l < list.txt)\" -eq %zu", tmp, N(tree));
}

static void CPIO0004_reads_gnu_cpio_archive(void **state)
{
    size_t n, count;
    uint8_t *a = slurp("gnu.cpio", &n);

    compare_with_tree(a, n, false);
    /* GNU cpio pads the archive to 512-byte blocks after its trailer. */
    assert_int_equal(n % 512, 0);
    assert_int_equal(check_consistent(a, n, &count), 0);
    assert_int_equal(count, N(tree));
    free(a);
}

static void CPIO0005_tool_refuses_bad_vnodes(void **state)
{
    sh("mkdir -p %s/bad/nomanifest %s/bad/wrongname %s/bad/nobinary %s/bad/Upper "
       "%s/bad/link %s/bad/pathbin", tmp, tmp, tmp, tmp, tmp, tmp);
    put_text("bad/wrongname/manifest", "name = other\nbinary = x\n");
    put_text("bad/wrongname/x", "x");
    put_text("bad/nobinary/manifest", "name = nobinary\nbinary = x.elf\n");
    put_text("bad/Upper/manifest", "name = Upper\nbinary = x\n");
    put_text("bad/Upper/x", "x");
    put_text("bad/link/manifest", "name = link\nbinary = x\n");
    put_text("bad/link/x", "x");
    sh("ln -s x %s/bad/link/y", tmp);
    put_text("bad/pathbin/manifest", "name = pathbin\nbinary = ../link/x\n");
    static const char *bad[] = {"nomanifest", "wrongname", "nobinary", "Upper", "link",
                                "pathbin"};
    for (size_t i = 0; i < N(bad); i++) {
        int st = sh_rc("python3 tools/mkinitrd.py -o %s/bad.cpio %s/bad/%s 2>/dev/null",
                       tmp, tmp, bad[i]);
        if (st != 1)
            fail_msg("%s: exit status %d", bad[i], st);
        assert_int_equal(sh_rc("test -e %s/bad.cpio", tmp), 1);    /* nothing written */
    }
    /* The same V-Node twice. */
    assert_int_equal(sh_rc("python3 tools/mkinitrd.py -o %s/bad.cpio %s/root/vnodes/shell "
                           "shell=%s/root/vnodes/shell 2>/dev/null", tmp, tmp, tmp), 1);
    /* No V-Nodes at all: just the directory and the trailer. */
    sh("python3 tools/mkinitrd.py -o %s/none.cpio", tmp);
    {
        size_t n, count;
        uint8_t *a = slurp("none.cpio", &n);
        assert_int_equal(cpio_check(a, n, &count), AE_OK);
        assert_int_equal(count, 1);
        free(a);
    }
}

static void CPIO0006_find(void **state)
{
    size_t n;
    uint8_t *a = slurp("tool.cpio", &n);
    struct cpio_entry e;

    assert_int_equal(cpio_find(a, n, "vnodes/shell/shell.elf", &e), AE_OK);
    assert_int_equal(e.size, sizeof(shell_elf));
    assert_memory_equal(e.data, shell_elf, sizeof(shell_elf));
    assert_int_equal(cpio_find(a, n, "vnodes/console/console.elf", &e), AE_OK);
    assert_memory_equal(e.data, console_elf, sizeof(console_elf));
    assert_int_equal(cpio_find(a, n, "vnodes/console/empty", &e), AE_OK);
    assert_int_equal(e.size, 0);
    assert_int_equal(cpio_find(a, n, "vnodes/console/etc", &e), AE_OK);
    assert_int_equal(e.mode & CPIO_MODE_TYPE, CPIO_MODE_DIR);
    /* Exact names only. */
    static const char *missing[] = {"vnodes/con", "vnodes/console/", "/vnodes/shell",
                                    "vnodes/shell/shell.elf/", "", CPIO_TRAILER,
                                    "vnodes/console/etc/motd2"};
    for (size_t i = 0; i < N(missing); i++) {
        assert_int_equal(cpio_find(a, n, missing[i], &e), AE_ERR_NOTFOUND);
        assert_null(e.name);
    }
    assert_int_equal(cpio_find(a, n, NULL, &e), AE_ERR_INVAL);
    assert_int_equal(cpio_find(a, n, "vnodes", NULL), AE_ERR_INVAL);
    assert_int_equal(cpio_find(NULL, n, "vnodes", &e), AE_ERR_INVAL);
    /* A malformed archive is an error, not "not found". */
    assert_int_equal(cpio_find(a, n - 1, "nothing", &e), AE_ERR_CORRUPT);
    free(a);
}

/* ---- a builder for malformed archives ----------------------------------------------- */

struct ar {
    uint8_t buf[8192];
    size_t len;
};

static void ar_field(struct ar *a, size_t hdr, int field, uint32_t v)
{
    char s[9];

    snprintf(s, sizeof(s), "%08X", v);
    memcpy(a->buf + hdr + FIELD_AT(field), s, 8);
}

/* Appends an entry (name's size from its length + 1); returns its header
 * offset. */
static size_t ar_add(struct ar *a, const char *name, uint32_t mode, const void *data,
                     uint32_t size)
{
    size_t hdr = a->len, nsz = strlen(name) + 1;

    assert_true(a->len + CPIO_HEADER_SIZE + nsz + size + 8 <= sizeof(a->buf));
    memcpy(a->buf + hdr, "070701", 6);
    for (int f = 0; f < F_COUNT; f++)
        ar_field(a, hdr, f, 0);
    ar_field(a, hdr, F_INO, (uint32_t)hdr + 1);
    ar_field(a, hdr, F_MODE, mode);
    ar_field(a, hdr, F_NLINK, 1);
    ar_field(a, hdr, F_FILESIZE, size);
    ar_field(a, hdr, F_NAMESIZE, (uint32_t)nsz);
    a->len += CPIO_HEADER_SIZE;
    memcpy(a->buf + a->len, name, nsz);
    a->len += nsz;
    while (a->len % 4)
        a->buf[a->len++] = 0;
    if (size)
        memcpy(a->buf + a->len, data, size);
    a->len += size;
    while (a->len % 4)
        a->buf[a->len++] = 0;
    return hdr;
}

static size_t ar_trailer(struct ar *a)
{
    return ar_add(a, CPIO_TRAILER, 0, NULL, 0);
}

/* A small valid archive: a directory, three files of sizes 0, 3 and 5
 * (every padding length), the trailer. hdr[] gets the header offsets. */
static void ar_small(struct ar *a, size_t hdr[5])
{
    a->len = 0;
    hdr[0] = ar_add(a, "d", CPIO_MODE_DIR | 0755, NULL, 0);
    hdr[1] = ar_add(a, "d/e", CPIO_MODE_FILE | 0644, NULL, 0);
    hdr[2] = ar_add(a, "d/abc", CPIO_MODE_FILE | 0644, "abc", 3);
    hdr[3] = ar_add(a, "d/l", CPIO_MODE_SYMLINK | 0777, "12345", 5);
    hdr[4] = ar_trailer(a);
}

/* cpio_check of a->buf[0..len) from an exact-size heap copy (shift:
 * placed that many bytes into the block, for unaligned archives). */
static int check_n(const struct ar *a, size_t len, size_t shift, size_t *count)
{
    uint8_t *p = malloc(len + shift ? len + shift : 1);
    int r;

    assert_non_null(p);
    memcpy(p + shift, a->buf, len);
    r = check_consistent(p + shift, len, count);
    free(p);
    return r;
}

static int check(const struct ar *a)
{
    return check_n(a, a->len, 0, NULL);
}

static void CPIO0007_trailer_and_what_follows(void **state)
{
    struct ar a = {.len = 0};
    size_t count = 99, hdr[5];

    ar_trailer(&a);
    assert_int_equal(check_n(&a, a.len, 0, &count), 0);
    assert_int_equal(count, 0);
    /* Whatever follows the trailer is not read. */
    memset(a.buf + a.len, 0xa5, 100);
    assert_int_equal(check_n(&a, a.len + 100, 0, NULL), 0);
    ar_small(&a, hdr);
    memcpy(a.buf + a.len, "070701garbage", 13);
    assert_int_equal(check_n(&a, a.len + 13, 0, &count), 0);
    assert_int_equal(count, 4);
    /* The trailer carries no data; entries after a non-trailer are read. */
    a.len = 0;
    ar_add(&a, CPIO_TRAILER, 0, "x", 1);
    assert_int_equal(check(&a), AE_ERR_CORRUPT);
    a.len = 0;
    ar_add(&a, "TRAILER!!", CPIO_MODE_FILE, NULL, 0);
    ar_add(&a, "TRAILER!!!!", CPIO_MODE_FILE, NULL, 0);
    ar_trailer(&a);
    assert_int_equal(check_n(&a, a.len, 0, &count), 0);
    assert_int_equal(count, 2);
    /* No trailer at all, or nothing. */
    ar_small(&a, hdr);
    assert_int_equal(check_n(&a, hdr[4], 0, NULL), AE_ERR_CORRUPT);
    assert_int_equal(check_n(&a, 0, 0, NULL), AE_ERR_CORRUPT);
    assert_int_equal(cpio_check(NULL, 0, &count), AE_ERR_INVAL);
    assert_int_equal(count, 0);
}

static void CPIO0008_every_field_checked(void **state)
{
    static const char *bad_hex[] = {"g", "G", " ", "-", "x", "\0", "\xff"};
    struct ar a;
    size_t hdr[5];

    /* A non-hex character anywhere in any field of any header. */
    for (size_t h = 0; h < 5; h++)
        for (int f = 0; f < F_COUNT; f++)
            for (int pos = 0; pos < 8; pos++)
                for (size_t b = 0; b < N(bad_hex); b++) {
                    ar_small(&a, hdr);
                    a.buf[hdr[h] + FIELD_AT(f) + pos] = (uint8_t)bad_hex[b][0];
                    assert_int_equal(check(&a), AE_ERR_CORRUPT);
                }
    /* Lowercase hex digits are fine (GNU cpio writes uppercase). */
    ar_small(&a, hdr);
    memcpy(a.buf + hdr[2] + FIELD_AT(F_MODE), "000081a4", 8);
    assert_int_equal(check(&a), 0);
    /* Magic: newc only; crc and odc are recognised and refused. */
    static const struct {
        const char *magic;
        int err;
    } magic[] = {{"070702", AE_ERR_UNSUPPORTED}, {"070707", AE_ERR_UNSUPPORTED},
                 {"070700", AE_ERR_CORRUPT}, {"170701", AE_ERR_CORRUPT},
                 {"07070l", AE_ERR_CORRUPT}, {"\0\0\0\0\0\0", AE_ERR_CORRUPT}};
    for (size_t i = 0; i < N(magic); i++)
        for (size_t h = 0; h < 5; h++) {
            ar_small(&a, hdr);
            memcpy(a.buf + hdr[h], magic[i].magic, 6);
            assert_int_equal(check(&a), magic[i].err);
        }
    /* check must be zero in newc. */
    ar_small(&a, hdr);
    ar_field(&a, hdr[2], F_CHECK, 1);
    assert_int_equal(check(&a), AE_ERR_CORRUPT);
    /* Fields the reader does not use take any value. */
    static const int free_fields[] = {F_INO, F_UID, F_GID, F_NLINK, F_MTIME, F_DEVMAJOR,
                                      F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR};
    for (size_t i = 0; i < N(free_fields); i++) {
        ar_small(&a, hdr);
        ar_field(&a, hdr[2], free_fields[i], 0xffffffff);
        ar_field(&a, hdr[4], free_fields[i], 0xdeadbeef);
        assert_int_equal(check(&a), 0);
    }
    /* File types: POSIX ones only; only files and links carry data. */
    static const struct {
        uint32_t mode;
        uint32_t size;
        int err;
    } modes[] = {
        {0010644, 0, 0}, {0020644, 0, 0}, {0040755, 0, 0}, {0060644, 0, 0}, {0100644, 0, 0},
        {0120777, 0, 0}, {0140644, 0, 0}, {0100644, 3, 0}, {0120777, 3, 0},
        {0, 0, AE_ERR_CORRUPT}, {0644, 0, AE_ERR_CORRUPT}, {0030644, 0, AE_ERR_CORRUPT},
        {0050644, 0, AE_ERR_CORRUPT}, {0160644, 0, AE_ERR_CORRUPT},
        {0170644, 0, AE_ERR_CORRUPT}, {0200644 | 0100000, 0, AE_ERR_CORRUPT},
        {0xffffffff, 0, AE_ERR_CORRUPT}, {0040755, 3, AE_ERR_CORRUPT},
        {0010644, 3, AE_ERR_CORRUPT}, {0020644, 3, AE_ERR_CORRUPT},
        {0060644, 3, AE_ERR_CORRUPT}, {0140644, 3, AE_ERR_CORRUPT},
    };
    for (size_t i = 0; i < N(modes); i++) {
        a.len = 0;
        ar_add(&a, "f", modes[i].mode, "xyz", modes[i].size);
        ar_trailer(&a);
        if (check(&a) != modes[i].err)
            fail_msg("mode 0%o size %u: %d", modes[i].mode, modes[i].size, check(&a));
    }
    /* Names: relative, no empty or ".." component. */
    static const struct {
        const char *name;
        int err;
    } names[] = {
        {"a", 0}, {".", 0}, {"./a", 0}, {"a/./b", 0}, {"...", 0}, {"..a", 0}, {"a..", 0},
        {"a/..b", 0}, {"/a", AE_ERR_CORRUPT}, {"/", AE_ERR_CORRUPT},
        {"..", AE_ERR_CORRUPT}, {"../a", AE_ERR_CORRUPT}, {"a/..", AE_ERR_CORRUPT},
        {"a/../b", AE_ERR_CORRUPT}, {"a//b", AE_ERR_CORRUPT}, {"a/", AE_ERR_CORRUPT},
    };
    for (size_t i = 0; i < N(names); i++) {
        a.len = 0;
        ar_add(&a, names[i].name, CPIO_MODE_FILE | 0644, NULL, 0);
        ar_trailer(&a);
        if (check(&a) != names[i].err)
            fail_msg("name \"%s\": %d", names[i].name, check(&a));
    }
}

static void CPIO0009_names_sizes_and_padding(void **state)
{
    struct ar a;
    size_t hdr[5];

    /* namesize counts the NUL: 0 and 1 (an empty name) are refused. */
    for (uint32_t nsz = 0; nsz < 2; nsz++) {
        ar_small(&a, hdr);
        ar_field(&a, hdr[1], F_NAMESIZE, nsz);
        assert_int_equal(check(&a), AE_ERR_CORRUPT);
    }
    /* One too many or too few: the NUL is not where namesize says. */
    ar_small(&a, hdr);
    ar_field(&a, hdr[2], F_NAMESIZE, 7);            /* "d/abc" is 6 with its NUL */
    assert_int_equal(check(&a), AE_ERR_CORRUPT);
    ar_small(&a, hdr);
    ar_field(&a, hdr[2], F_NAMESIZE, 5);
    assert_int_equal(check(&a), AE_ERR_CORRUPT);
    /* A NUL inside the name. */
    ar_small(&a, hdr);
    a.buf[hdr[2] + CPIO_HEADER_SIZE + 1] = 0;
    assert_int_equal(check(&a), AE_ERR_CORRUPT);
    /* Padding after the name and after the data must be zero. */
    ar_small(&a, hdr);
    a.buf[hdr[3] + CPIO_HEADER_SIZE + 5] = 'x';     /* "d/l" + NUL = 4: 2 bytes pad */
    assert_int_equal(check(&a), AE_ERR_CORRUPT);
    ar_small(&a, hdr);
    a.buf[hdr[1] + CPIO_HEADER_SIZE + 4] = 'x';
    assert_int_equal(check(&a), AE_ERR_CORRUPT);
    ar_small(&a, hdr);
    a.buf[hdr[3] - 1] = 'x';                        /* after "abc" */
    assert_int_equal(check(&a), AE_ERR_CORRUPT);
    ar_small(&a, hdr);
    a.buf[hdr[4] - 1] = 'x';                        /* after "12345" */
    assert_int_equal(check(&a), AE_ERR_CORRUPT);
    /* Sizes reaching past the archive, up to the largest. */
    static const uint32_t big[] = {4, 5, 100, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff};
    for (size_t i = 0; i < N(big); i++) {
        ar_small(&a, hdr);
        ar_field(&a, hdr[3], F_FILESIZE, 5 + big[i] < 5 ? 0xffffffff : 5 + big[i]);
        assert_int_equal(check(&a), AE_ERR_CORRUPT);
        ar_small(&a, hdr);
        ar_field(&a, hdr[4], F_NAMESIZE, big[i] + 11 < 11 ? 0xffffffff : big[i] + 11);
        assert_int_equal(check(&a), AE_ERR_CORRUPT);
    }
    /* The last file may end exactly at the end of the archive... */
    a.len = 0;
    ar_add(&a, "f", CPIO_MODE_FILE, "abcd", 4);
    ar_trailer(&a);
    assert_int_equal(check(&a), 0);
    /* ...but its padding must be there. */
    a.len = 0;
    ar_add(&a, "f", CPIO_MODE_FILE, "abcde", 5);
    ar_trailer(&a);
    assert_int_equal(check_n(&a, a.len - 1, 0, NULL), AE_ERR_CORRUPT);
    assert_int_equal(check_n(&a, a.len - 2, 0, NULL), AE_ERR_CORRUPT);
}

/* ---- every truncation, every byte ------------------------------------------------ */

static void CPIO0010_every_truncation(void **state)
{
    size_t n, end;
    uint8_t *a = slurp("gnu.cpio", &n);
    struct ar small;
    size_t hdr[5];

    /* GNU's archive: the trailer ends before the block padding. */
    for (end = n; end > 0 && a[end - 1] == 0; end--)
        ;
    end = (end + 1 + 3) & ~(size_t)3;       /* the trailer's NUL, its padding */
    for (size_t len = 0; len <= n; len++) {
        uint8_t *p = malloc(len ? len : 1);
        int r;

        memcpy(p, a, len);
        r = check_consistent(p, len, NULL);
        if (r != (len >= end ? 0 : AE_ERR_CORRUPT))
            fail_msg("length %zu of %zu (trailer ends at %zu): %d", len, n, end, r);
        free(p);
    }
    free(a);
    ar_small(&small, hdr);
    for (size_t len = 0; len < small.len; len++)
        assert_int_equal(check_n(&small, len, 0, NULL), AE_ERR_CORRUPT);
}

static void CPIO0011_every_header_byte_every_value(void **state)
{
    struct ar a, orig;
    size_t hdr[5], ok = 0, bad = 0;

    ar_small(&orig, hdr);
    /* Every byte of the archive (headers, names, data, padding) set to
     * every value: an error, or entries all inside the archive. */
    for (size_t at = 0; at < orig.len; at++) {
        for (unsigned v = 0; v < 256; v++) {
            if (v == orig.buf[at])
                continue;
            a = orig;
            a.buf[at] = (uint8_t)v;
            if (check(&a) == 0)
                ok++;
            else
                bad++;
        }
    }
    printf("CPIO0011: %zu readable, %zu refused of %zu\n", ok, bad, ok + bad);
    assert_true(ok > 0 && bad > ok);
}

static void CPIO0012_random_mutations(void **state)
{
    static const char interesting[] = "0123456789abcdefABCDEFgx\0\xff/.";
    size_t n, ok = 0, bad = 0;
    uint8_t *a = slurp("tool.cpio", &n), *p = malloc(n);

    assert_non_null(p);
    rng_state = 0x6370696f6e657763ull;
    for (int round = 0; round < 20000; round++) {
        size_t len = n;
        unsigned k = 1 + (unsigned)(rng() % 8);

        memcpy(p, a, n);
        for (unsigned i = 0; i < k; i++) {
            size_t at = (size_t)(rng() % n);
            switch (rng() % 4) {
            case 0:
                p[at] ^= (uint8_t)(1u << (rng() % 8));
                break;
            case 1:
                p[at] = (uint8_t)interesting[rng() % (sizeof(interesting) - 1)];
                break;
            case 2:         /* a header field made large */
                p[at] = 'F';
                break;
            default:
                len = at;
                break;
            }
        }
        if (check_consistent(p, len, NULL) == 0)
            ok++;
        else
            bad++;
    }
    printf("CPIO0012: %zu readable, %zu refused\n", ok, bad);
    assert_true(ok > 100 && bad > 1000);
    free(p);
    free(a);
}

static void CPIO0013_unaligned_archive(void **state)
{
    struct ar a;
    size_t hdr[5], count;

    ar_small(&a, hdr);
    for (size_t shift = 1; shift < 4; shift++) {
        assert_int_equal(check_n(&a, a.len, shift, &count), 0);
        assert_int_equal(count, 4);
    }
}

static void CPIO0014_iterator_api(void **state)
{
    struct ar a;
    size_t hdr[5];
    struct cpio_iter it;
    struct cpio_entry e;

    ar_small(&a, hdr);
    cpio_iter_init(&it, a.buf, a.len);
    assert_int_equal(cpio_next(&it, NULL), AE_ERR_INVAL);
    assert_int_equal(cpio_next(NULL, &e), AE_ERR_INVAL);
    assert_int_equal(cpio_next(&it, &e), 1);
    assert_string_equal(e.name, "d");
    assert_int_equal(cpio_next(&it, &e), 1);
    assert_int_equal(cpio_next(&it, &e), 1);
    assert_string_equal(e.name, "d/abc");
    assert_int_equal(e.namelen, 5);
    assert_int_equal(e.size, 3);
    assert_memory_equal(e.data, "abc", 3);
    assert_int_equal(e.mode, CPIO_MODE_FILE | 0644);
    assert_int_equal(cpio_next(&it, &e), 1);
    assert_string_equal(e.name, "d/l");
    assert_int_equal(cpio_next(&it, &e), 0);
    assert_null(e.name);
    assert_int_equal(cpio_next(&it, &e), 0);
    /* An error stays. */
    a.buf[hdr[2]] = 'x';
    cpio_iter_init(&it, a.buf, a.len);
    assert_int_equal(cpio_next(&it, &e), 1);
    assert_int_equal(cpio_next(&it, &e), 1);
    assert_int_equal(cpio_next(&it, &e), AE_ERR_CORRUPT);
    assert_int_equal(cpio_next(&it, &e), AE_ERR_CORRUPT);
    /* A NULL archive. */
    cpio_iter_init(&it, NULL, 100);
    assert_int_equal(cpio_next(&it, &e), AE_ERR_INVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(CPIO0001_tool_archive_reads_back),
        cmocka_unit_test(CPIO0002_tool_is_deterministic),
        cmocka_unit_test(CPIO0003_gnu_cpio_extracts_tool_archive),
        cmocka_unit_test(CPIO0004_reads_gnu_cpio_archive),
        cmocka_unit_test(CPIO0005_tool_refuses_bad_vnodes),
        cmocka_unit_test(CPIO0006_find),
        cmocka_unit_test(CPIO0007_trailer_and_what_follows),
        cmocka_unit_test(CPIO0008_every_field_checked),
        cmocka_unit_test(CPIO0009_names_sizes_and_padding),
        cmocka_unit_test(CPIO0010_every_truncation),
        cmocka_unit_test(CPIO0011_every_header_byte_every_value),
        cmocka_unit_test(CPIO0012_random_mutations),
        cmocka_unit_test(CPIO0013_unaligned_archive),
        cmocka_unit_test(CPIO0014_iterator_api),
    };

    return cmocka_run_group_tests_name("cpio", tests, setup_tree, teardown_tree);
}

/*
 * The user-space ELF loader (user/lib/elf_load.c): a real program
 * (user/elfhello, its ELF file embedded in this suite) loaded into a new
 * process, run, and its exit status checked; the charges it makes;
 * corrupted images refused by the validator with the right error; and
 * failures after something was already mapped (an address clash, the
 * child's quota, a missing right) undone exactly: the caller's and the
 * child's quotas and handles as before.
 */
#include "ktest.h"
#include "elf_load.h"
#include "scratch.h"
#include "common/elf64.h"
#include "common/string.h"
#include "user/elfhello/elfhello.h"

#define PAGE 4096ull

extern const uint8_t ktest_elfhello[], ktest_elfhello_end[];
#define IMAGE ktest_elfhello
#define IMAGE_SIZE ((size_t)(ktest_elfhello_end - ktest_elfhello))

/* Room for a corrupted copy of the image. */
static uint8_t copy[512 * 1024];

static const struct ae_quota_limits child_lim = {64, 8, 1, 50};

/* ---- helpers ------------------------------------------------------------------- */

/* A one-page info object holding elfhello's orders. */
static ae_handle_t make_info(uint64_t mode, uint64_t value)
{
    ae_handle_t v = CHECK_HANDLE(ae_vmo_create(PAGE, 0));
    int64_t va = ae_scratch_map(v, 0, PAGE);

    CHECK(va > 0);
    if (va > 0) {
        struct elfhello_info *info = (struct elfhello_info *)va;
        info->magic = ELFHELLO_MAGIC;
        info->mode = mode;
        info->value = value;
        ae_scratch_unmap((uint64_t)va, PAGE);
    }
    return v;
}

/* Starts the loaded child's first thread. */
static void start(ae_handle_t p, const struct ae_elf_loaded *l)
{
    ae_handle_t t = CHECK_HANDLE(ae_thread_create(p, l->entry, l->stack, l->arg));

    if (t) {
        CHECK_OK(ae_thread_start(t));
        ae_handle_close(t);
    }
}

/* Kills a child that never ran (or is no longer wanted) and forgets it. */
static void discard(ae_handle_t p)
{
    ae_process_kill(p, -1);
    ktest_wait_child(p);
}

/* Loads elfhello into a new process with orders (mode, value) and starts
 * it: the process handle (0 on failure), *l as loaded. */
static ae_handle_t load_elfhello(uint64_t mode, uint64_t value, struct ae_elf_loaded *l)
{
    ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, "elfhello", &child_lim));
    ae_handle_t info = make_info(mode, value);
    struct ae_elf_load_opts o = {.info_vmo = info, .info_va = AE_BOOTINFO_VA};
    int err = ae_elf_load(p, IMAGE, IMAGE_SIZE, &o, l);

    CHECK_OK(err);
    ae_handle_close(info);      /* the child's mapping keeps it */
    if (err) {
        discard(p);
        return 0;
    }
    start(p, l);
    return p;
}

/* The pages elfhello's segments span, plus the default stack. */
static uint64_t expected_pages(void)
{
    struct elf_image img;
    uint64_t pages = AE_ELF_STACK_SIZE / PAGE;

    CHECK_OK(elf_parse(IMAGE, IMAGE_SIZE, 0x10000, 0x800000000000ull, &img));
    for (unsigned i = 0; i < img.nsegments; i++) {
        uint64_t lo = img.seg[i].vaddr & ~(PAGE - 1);
        uint64_t hi = (img.seg[i].vaddr + img.seg[i].memsz + PAGE - 1) & ~(PAGE - 1);
        pages += (hi - lo) / PAGE;
    }
    return pages;
}

/* What a failed load must leave exactly as it was. */
struct snapshot {
    uint64_t pages, handles, child_pages, child_handles;
};

static struct snapshot snap(ae_handle_t child)
{
    struct ae_process_info me = ktest_pinfo(ktest_self), c = ktest_pinfo(child);
    return (struct snapshot){me.used.pages, me.used.handles, c.used.pages, c.used.handles};
}

static void check_unchanged(const struct snapshot *before, ae_handle_t child)
{
    struct snapshot after = snap(child);

    CHECK_EQ(after.pages, before->pages);
    CHECK_EQ(after.handles, before->handles);
    CHECK_EQ(after.child_pages, before->child_pages);
    CHECK_EQ(after.child_handles, before->child_handles);
}

/* Loads image[0..size) into the empty child, expecting err, and checks
 * that nothing was left behind. */
static void refused(ae_handle_t child, const void *image, size_t size,
                    const struct ae_elf_load_opts *o, int err)
{
    struct snapshot before = snap(child);
    struct ae_elf_loaded l;
    static const struct ae_elf_loaded zero;

    memset(&l, 0xa5, sizeof(l));
    CHECK_EQ(ae_elf_load(child, image, size, o, &l), err);
    CHECK(memcmp(&l, &zero, sizeof(l)) == 0);
    check_unchanged(&before, child);
}

/* ---- program headers of the copy ------------------------------------------------- */

enum { PH_TYPE = 0, PH_FLAGS = 4, PH_OFFSET = 8, PH_VADDR = 16, PH_FILESZ = 32, PH_MEMSZ = 40 };

static uint64_t get(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    memcpy(&v, p, n);
    return v;
}

static void put(uint8_t *p, uint64_t v, unsigned n)
{
    memcpy(p, &v, n);
}

/* Program header i of copy. */
static uint8_t *phdr(unsigned i)
{
    return copy + get(copy + 32, 8) + 56ull * i;
}

/* The index of the first PT_LOAD with all of flags (ELF_SEG_*). */
static unsigned load_with(uint32_t flags)
{
    unsigned n = (unsigned)get(copy + 56, 2);

    for (unsigned i = 0; i < n; i++)
        if (get(phdr(i) + PH_TYPE, 4) == 1 && (get(phdr(i) + PH_FLAGS, 4) & flags) == flags)
            return i;
    CHECK(0);
    return 0;
}

static void fresh_copy(void)
{
    CHECK(IMAGE_SIZE <= sizeof(copy));
    memcpy(copy, IMAGE, IMAGE_SIZE);
}

/* ---- tests ----------------------------------------------------------------------- */

KTEST(ELD0001, "an ELF file loads into a new process, runs with its info page, data, bss and stack, and exits with its status")
{
    struct ae_elf_loaded l;
    ae_handle_t p = load_elfhello(ELFHELLO_RUN, 41, &l);

    if (!p)
        return;
    CHECK_EQ(ktest_wait_child(p), 42);
    CHECK_EQ(l.entry, get(IMAGE + 24, 8));
    CHECK_EQ(l.stack, AE_STACK_TOP);
    CHECK_EQ(l.arg, AE_BOOTINFO_VA);
    CHECK_EQ(l.nsegments, 3);
    CHECK_EQ(l.pages, expected_pages());
}

KTEST(ELD0002, "in a loaded process the info page is read-only and the code is not writable")
{
    struct ae_elf_loaded l;
    ae_handle_t p = load_elfhello(ELFHELLO_WRITE_INFO, 1, &l);

    if (p)
        CHECK_EQ(ktest_wait_child(p), AE_ERR_FAULT);
    p = load_elfhello(ELFHELLO_WRITE_TEXT, 1, &l);
    if (p)
        CHECK_EQ(ktest_wait_child(p), AE_ERR_FAULT);
}

KTEST(ELD0003, "the segments and stack are charged to the loader, page tables to the child; the loader's scratch mappings are gone")
{
    ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, "eld3", &child_lim));
    uint64_t mine = ktest_frames(ktest_self), theirs = ktest_frames(p);
    uint64_t handles = ktest_pinfo(ktest_self).used.handles;
    struct ae_elf_loaded l;

    CHECK_OK(ae_elf_load(p, IMAGE, IMAGE_SIZE, NULL, &l));
    /* Exactly the objects' pages: no scratch page table is left behind. */
    CHECK_EQ(ktest_frames(ktest_self) - mine, l.pages);
    CHECK_EQ(ktest_pinfo(ktest_self).used.handles, handles);
    /* The child pays only for its page tables. */
    CHECK(ktest_frames(p) > theirs && ktest_frames(p) - theirs < l.pages);
    /* No info page: the first argument is 0, and elfhello says so. */
    CHECK_EQ(l.arg, 0);
    start(p, &l);
    CHECK_EQ(ktest_wait_child(p), ELFHELLO_NO_INFO);
    /* The child is gone: so are its memory objects. */
    CHECK_EQ(ktest_frames(ktest_self), mine);
}

KTEST(ELD0004, "corrupted images are refused with the validator's error and leave both quotas as they were")
{
    ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, "eld4", &child_lim));
    ae_handle_t info = make_info(ELFHELLO_RUN, 0);
    struct ae_elf_load_opts o = {.info_vmo = info, .info_va = AE_BOOTINFO_VA};
    unsigned text, ro, data;

    fresh_copy();
    text = load_with(ELF_SEG_X);
    data = load_with(ELF_SEG_W);
    CHECK_EQ(get(copy + 56, 2), 3);     /* elfhello: text, rodata, data */
    ro = 3 - text - data;

    /* Truncated: inside the ELF header, after the program headers, inside
     * the data segment's bytes. */
    refused(p, copy, 63, &o, AE_ERR_INVAL);
    refused(p, copy, 64 + 3 * 56, &o, AE_ERR_CORRUPT);
    refused(p, copy, get(phdr(data) + PH_OFFSET, 8) + 4, &o, AE_ERR_CORRUPT);
    refused(p, copy, 0, &o, AE_ERR_INVAL);
    /* Bad magic; not x86_64. */
    copy[1] = 'X';
    refused(p, copy, IMAGE_SIZE, &o, AE_ERR_INVAL);
    fresh_copy();
    put(copy + 18, 3, 2);
    refused(p, copy, IMAGE_SIZE, &o, AE_ERR_INVAL);
    /* A segment reaching beyond the file. */
    fresh_copy();
    put(phdr(text) + PH_FILESZ, IMAGE_SIZE, 8);
    put(phdr(text) + PH_MEMSZ, IMAGE_SIZE, 8);
    refused(p, copy, IMAGE_SIZE, &o, AE_ERR_CORRUPT);
    /* More file bytes than memory. */
    fresh_copy();
    put(phdr(data) + PH_MEMSZ, get(phdr(data) + PH_FILESZ, 8) - 1, 8);
    refused(p, copy, IMAGE_SIZE, &o, AE_ERR_CORRUPT);
    /* Overlapping segments: rodata moved into text's first page. */
    fresh_copy();
    put(phdr(ro) + PH_VADDR,
        (get(phdr(text) + PH_VADDR, 8) & ~(PAGE - 1)) | (get(phdr(ro) + PH_OFFSET, 8) & (PAGE - 1)), 8);
    refused(p, copy, IMAGE_SIZE, &o, AE_ERR_CORRUPT);
    /* Writable and executable. */
    fresh_copy();
    put(phdr(text) + PH_FLAGS, ELF_SEG_R | ELF_SEG_W | ELF_SEG_X, 4);
    refused(p, copy, IMAGE_SIZE, &o, AE_ERR_ACCESS);
    /* Outside user space. */
    fresh_copy();
    put(phdr(data) + PH_VADDR,
        0xffffffff80000000ull | (get(phdr(data) + PH_OFFSET, 8) & (PAGE - 1)), 8);
    refused(p, copy, IMAGE_SIZE, &o, AE_ERR_RANGE);
    /* Dynamic. */
    fresh_copy();
    put(phdr(ro) + PH_TYPE, 2, 4);
    refused(p, copy, IMAGE_SIZE, &o, AE_ERR_UNSUPPORTED);
    /* The entry point outside the code. */
    fresh_copy();
    put(copy + 24, get(phdr(data) + PH_VADDR, 8), 8);
    refused(p, copy, IMAGE_SIZE, &o, AE_ERR_CORRUPT);

    ae_handle_close(info);
    discard(p);
}

KTEST(ELD0005, "a load failing after mappings were made (address clash, missing right, the child's quota at each step) undoes all of them")
{
    ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, "eld5", &child_lim));
    ae_handle_t info = make_info(ELFHELLO_RUN, 0);
    struct ae_elf_load_opts o = {.info_vmo = info, .info_va = AE_BOOTINFO_VA};
    unsigned failed = 0, enough = 0;
    ae_handle_t weak;

    /* The stack on top of the code: every segment is mapped first. */
    o.stack_top = get(IMAGE + 24, 8) + 2 * PAGE;
    o.stack_size = 2 * PAGE;
    refused(p, IMAGE, IMAGE_SIZE, &o, AE_ERR_EXISTS);
    /* The info page on the stack: the last step fails. */
    o.stack_top = 0;
    o.stack_size = 0;
    o.info_va = AE_STACK_TOP - PAGE;
    refused(p, IMAGE, IMAGE_SIZE, &o, AE_ERR_EXISTS);
    /* An info handle that may not be mapped: the last step too. */
    weak = CHECK_HANDLE(ae_handle_derive(info, AE_RIGHT_READ, 0, 0));
    o.info_vmo = weak;
    o.info_va = AE_BOOTINFO_VA;
    refused(p, IMAGE, IMAGE_SIZE, &o, AE_ERR_ACCESS);
    ae_handle_close(weak);
    /* A process handle that may not be mapped into: the first step. */
    o.info_vmo = info;
    weak = CHECK_HANDLE(ae_handle_derive(p, AE_RIGHT_READ, 0, 0));
    {
        struct snapshot before = snap(p);
        struct ae_elf_loaded l;
        CHECK_EQ(ae_elf_load(weak, IMAGE, IMAGE_SIZE, &o, &l), AE_ERR_ACCESS);
        check_unchanged(&before, p);
    }
    ae_handle_close(weak);
    /* Children with ever more pages for their page tables and mapping
     * records: each load fails at a later step, until one has enough. */
    for (uint64_t pages = 1; pages <= 32 && !enough; pages++) {
        struct ae_quota_limits lim = {pages, 8, 1, 10};
        int64_t q = ae_process_create(ktest_self, "eld5q", &lim);
        struct snapshot before;
        struct ae_elf_loaded l;
        int err;

        if (q < 0)
            continue;           /* too small even to exist */
        before = snap((ae_handle_t)q);
        err = ae_elf_load((ae_handle_t)q, IMAGE, IMAGE_SIZE, &o, &l);
        if (err == AE_OK) {
            enough = (unsigned)pages;
        } else {
            CHECK_EQ(err, AE_ERR_QUOTA);
            check_unchanged(&before, (ae_handle_t)q);
            failed++;
        }
        discard((ae_handle_t)q);
    }
    CHECK(enough > 0);
    CHECK(failed >= 3);

    ae_handle_close(info);
    discard(p);
}

KTEST(ELD0006, "bad arguments to ae_elf_load are refused and leave nothing behind")
{
    ae_handle_t p = CHECK_HANDLE(ae_process_create(ktest_self, "eld6", &child_lim));
    ae_handle_t info = make_info(ELFHELLO_RUN, 0);
    struct ae_elf_load_opts bad[] = {
        {.stack_top = AE_STACK_TOP - 8},
        {.stack_size = PAGE + 16},
        {.stack_top = 0x10000},
        {.stack_top = 0x20000, .stack_size = 0x20000},
        {.stack_top = 0x0000800000001000ull},
        {.stack_size = 2ull << 30},
        {.info_vmo = info, .info_va = AE_BOOTINFO_VA + 8},
        {.info_vmo = info, .info_va = AE_BOOTINFO_VA, .info_size = 100},
        {.info_vmo = info, .info_va = 0x1000},
        {.info_vmo = info, .info_va = 0x0000800000000000ull},
        {.info_vmo = info, .info_va = 0x00007ffffffff000ull, .info_size = 2 * PAGE},
    };
    struct ae_elf_loaded l;

    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        refused(p, IMAGE, IMAGE_SIZE, &bad[i], AE_ERR_INVAL);
    refused(p, NULL, IMAGE_SIZE, NULL, AE_ERR_INVAL);
    CHECK_EQ(ae_elf_load(p, IMAGE, IMAGE_SIZE, NULL, NULL), AE_ERR_INVAL);
    /* 0 would mean "the caller itself" to vmo_map: refused. */
    CHECK_EQ(ae_elf_load(0, IMAGE, IMAGE_SIZE, NULL, &l), AE_ERR_BAD_HANDLE);
    /* Not a process handle. */
    {
        struct snapshot before = snap(p);
        CHECK_EQ(ae_elf_load(info, IMAGE, IMAGE_SIZE, NULL, &l), AE_ERR_INVAL);
        check_unchanged(&before, p);
    }
    ae_handle_close(info);
    discard(p);
}

KTEST(ELD0007, "two processes loaded from the same image run side by side with their own data")
{
    struct ae_elf_loaded l1, l2;
    ae_handle_t a = load_elfhello(ELFHELLO_RUN, 100, &l1);
    ae_handle_t b = load_elfhello(ELFHELLO_RUN, 200, &l2);

    if (a)
        CHECK_EQ(ktest_wait_child(a), 101);
    if (b)
        CHECK_EQ(ktest_wait_child(b), 201);
}

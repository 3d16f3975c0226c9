/*
 * Unit tests for kernel/mm/memmap.c: the firmware map is untrusted, so the
 * cases cover unsorted, overlapping, unaligned, zero-length and overflowing
 * entries, exclusions, truncation, and realistic QEMU/SeaBIOS maps, plus a
 * randomized comparison with a page-by-page model (fixed seed).
 */
#include "unit.h"

#include "mm/memmap.h"

#define MiB (1024ULL * 1024)
#define GiB (1024ULL * MiB)
#define N(a) (sizeof(a) / sizeof((a)[0]))
#define U MEM_USABLE
#define R MEM_RESERVED

static struct phys_range out[32];

static void expect(int got, const struct phys_range *want, size_t n)
{
    assert_int_equal(got, (int)n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(out[i].start, want[i].start);
        assert_int_equal(out[i].end, want[i].end);
    }
}

static int run(const struct mem_range *map, size_t n,
               const struct phys_range *ex, size_t nex)
{
    memset(out, 0xee, sizeof(out));
    return memmap_usable(map, n, ex, nex, out, N(out));
}

static void MMAP0001_empty_map(void **state)
{
    assert_int_equal(memmap_usable(NULL, 0, NULL, 0, NULL, 0), 0);
    assert_int_equal(run(NULL, 0, NULL, 0), 0);
}

static void MMAP0002_null_with_count_inval(void **state)
{
    struct mem_range m = { 0, 4096, U };
    struct phys_range ex = { 0, 0 };

    assert_int_equal(memmap_usable(NULL, 1, NULL, 0, out, 4), AE_ERR_INVAL);
    assert_int_equal(memmap_usable(&m, 1, NULL, 1, out, 4), AE_ERR_INVAL);
    assert_int_equal(memmap_usable(&m, 1, &ex, 1, NULL, 4), AE_ERR_INVAL);
    /* No room at all is truncation, not a bad argument. */
    assert_int_equal(memmap_usable(&m, 1, &ex, 0, NULL, 0), AE_ERR_TRUNCATED);
}

static void MMAP0003_single_aligned_entry(void **state)
{
    struct mem_range m[] = { { 0x100000, 0x200000, U } };
    struct phys_range want[] = { { 0x100000, 0x300000 } };

    expect(run(m, N(m), NULL, 0), want, N(want));
}

static void MMAP0004_unaligned_entry_shrunk_inward(void **state)
{
    struct mem_range m[] = { { 0x1001, 0x3ffe, U } };   /* 0x1001..0x4fff */
    struct phys_range want[] = { { 0x2000, 0x4000 } };

    expect(run(m, N(m), NULL, 0), want, N(want));
}

static void MMAP0005_sub_page_entries_dropped(void **state)
{
    struct mem_range m[] = {
        { 0x1000, 0xfff, U },          /* short of one page */
        { 0x2001, 0x1000, U },         /* a page long but straddling */
        { 0x5800, 0x1000, U },
    };

    assert_int_equal(run(m, N(m), NULL, 0), 0);
}

static void MMAP0006_zero_length_skipped(void **state)
{
    struct mem_range m[] = {
        { 0x1000, 0, U },
        { 0x3000, 0, R },              /* an empty hole blocks nothing */
        { 0x2000, 0x2000, U },
    };
    struct phys_range want[] = { { 0x2000, 0x4000 } };

    expect(run(m, N(m), NULL, 0), want, N(want));
}

static void MMAP0007_unsorted_input_sorted_output(void **state)
{
    struct mem_range m[] = {
        { 0x900000, 0x1000, U },
        { 0x100000, 0x1000, U },
        { 0x500000, 0x2000, U },
    };
    struct phys_range want[] = {
        { 0x100000, 0x101000 }, { 0x500000, 0x502000 }, { 0x900000, 0x901000 },
    };

    expect(run(m, N(m), NULL, 0), want, N(want));
}

static void MMAP0008_adjacent_entries_merged(void **state)
{
    struct mem_range m[] = {
        { 0x3000, 0x1000, U },
        { 0x1000, 0x1000, U },
        { 0x2000, 0x1000, U },
        { 0x4000, 0x800, U },          /* shrinks to nothing: no effect */
    };
    struct phys_range want[] = { { 0x1000, 0x4000 } };

    expect(run(m, N(m), NULL, 0), want, N(want));
}

static void MMAP0009_overlapping_usable_merged(void **state)
{
    struct mem_range m[] = {
        { 0x10000, 0x8000, U },
        { 0x14000, 0x10000, U },
        { 0x11000, 0x1000, U },        /* nested */
        { 0x10000, 0x8000, U },        /* duplicate */
    };
    struct phys_range want[] = { { 0x10000, 0x24000 } };

    expect(run(m, N(m), NULL, 0), want, N(want));
}

static void MMAP0010_reserved_overlap_cut(void **state)
{
    struct mem_range m[] = {
        { 0x0, 0x100000, U },
        { 0x20800, 0x100, R },         /* inside, unaligned: whole page lost */
        { 0xff000, 0x2000, R },        /* overlaps the end */
        { 0x0, 0x1000, R },            /* overlaps the start */
    };
    struct phys_range want[] = { { 0x1000, 0x20000 }, { 0x21000, 0xff000 } };

    expect(run(m, N(m), NULL, 0), want, N(want));
}

static void MMAP0011_every_non_usable_type_cuts(void **state)
{
    struct mem_range m[] = {
        { 0x0, 0x10000, U },
        { 0x1000, 0x1000, MEM_ACPI_RECLAIMABLE },
        { 0x3000, 0x1000, MEM_ACPI_NVS },
        { 0x5000, 0x1000, MEM_BAD },
        { 0x7000, 0x1000, 0 },         /* types firmware should not use */
        { 0x9000, 0x1000, 99 },
        { 0xb000, 0x5000, R },
    };
    struct phys_range want[] = {
        { 0x0, 0x1000 }, { 0x2000, 0x3000 }, { 0x4000, 0x5000 },
        { 0x6000, 0x7000 }, { 0x8000, 0x9000 }, { 0xa000, 0xb000 },
    };

    expect(run(m, N(m), NULL, 0), want, N(want));
}

static void MMAP0012_exclusions_cut(void **state)
{
    struct mem_range m[] = { { 0x100000, 0x1000000, U } };
    struct phys_range ex[] = {
        { 0x100000, 0x180000 },        /* kernel image */
        { 0x400000, 0x410000 },        /* module */
        { 0x1000000, 0x2000000 },      /* overlaps the end */
    };
    struct phys_range want[] = { { 0x180000, 0x400000 },
                                 { 0x410000, 0x1000000 } };

    expect(run(m, N(m), ex, N(ex)), want, N(want));
}

static void MMAP0013_exclusion_rounding_and_bad_ranges(void **state)
{
    struct mem_range m[] = { { 0x0, 0x20000, U } };
    struct phys_range ex[] = {
        { 0x3010, 0x3020 },            /* unaligned: the whole page goes */
        { 0x8fff, 0xa001 },            /* touches three pages */
        { 0x10000, 0x10000 },          /* empty */
        { 0x18000, 0x11000 },          /* inverted: ignored */
    };
    struct phys_range want[] = { { 0x0, 0x3000 }, { 0x4000, 0x8000 },
                                 { 0xb000, 0x20000 } };

    expect(run(m, N(m), ex, N(ex)), want, N(want));
}

static void MMAP0014_overflowing_usable_clipped(void **state)
{
    struct mem_range m[] = {
        { 0xfffffffffff00000ULL, 0x200000, U },     /* wraps past 2^64 */
        { UINT64_MAX, UINT64_MAX, U },              /* nothing whole fits */
        { 0xfffffffffffff001ULL, 0x10, U },
    };
    /* 2^64 cannot be an end, so the topmost page is given up. */
    struct phys_range want[] = { { 0xfffffffffff00000ULL,
                                   0xfffffffffffff000ULL } };

    expect(run(m, N(m), NULL, 0), want, N(want));
}

static void MMAP0015_overflowing_blocker_blocks_to_top(void **state)
{
    struct mem_range m[] = {
        { 0x0, 0x10000, U },
        { 0x100000000ULL, 0x100000000ULL, U },
        { 0x8000, UINT64_MAX, R },                  /* 0x8000 .. 2^64 */
    };
    struct phys_range ex[] = { { 0x4000, UINT64_MAX } };
    struct phys_range want1[] = { { 0x0, 0x8000 } };
    struct phys_range want2[] = { { 0x0, 0x4000 } };

    expect(run(m, N(m), NULL, 0), want1, N(want1));
    expect(run(m, N(m), ex, N(ex)), want2, N(want2));
}

static void MMAP0016_truncation_keeps_valid_prefix(void **state)
{
    struct mem_range m[] = {
        { 0x5000, 0x1000, U }, { 0x1000, 0x1000, U }, { 0x3000, 0x1000, U },
    };
    struct phys_range small[2] = { { 1, 1 }, { 1, 1 } };

    assert_int_equal(memmap_usable(m, N(m), NULL, 0, small, 2),
                     AE_ERR_TRUNCATED);
    assert_int_equal(small[0].start, 0x1000);
    assert_int_equal(small[0].end, 0x2000);
    assert_int_equal(small[1].start, 0x3000);
    assert_int_equal(small[1].end, 0x4000);
    /* Exactly enough room is not truncation. */
    assert_int_equal(memmap_usable(m, N(m), NULL, 0, out, 3), 3);
    assert_int_equal(out[2].start, 0x5000);
}

static const struct mem_range seabios_128m[] = {
    { 0x0, 0x9fc00, U },
    { 0x9fc00, 0x400, R },
    { 0xf0000, 0x10000, R },
    { 0x100000, 0x7ee0000, U },
    { 0x7fe0000, 0x20000, R },
    { 0xfeffc000, 0x4000, R },
    { 0xfffc0000, 0x40000, R },
};

static void MMAP0017_qemu_seabios_128m(void **state)
{
    struct phys_range want[] = { { 0x0, 0x9f000 }, { 0x100000, 0x7fe0000 } };

    expect(run(seabios_128m, N(seabios_128m), NULL, 0), want, N(want));
    assert_int_equal(memmap_total(out, 2), 0x9f000 + 0x7ee0000);
}

/* QEMU with 6 GiB: 2 GiB below the PCI hole and 4 GiB above 4 GiB. Boot
 * excludes low memory, the kernel image and two modules. */
static void MMAP0018_qemu_seabios_6g_with_exclusions(void **state)
{
    struct mem_range m[] = {
        { 0x100000000ULL, 4 * GiB, U },             /* firmware order kept */
        { 0x0, 0x9fc00, U },
        { 0x9fc00, 0x400, R },
        { 0xf0000, 0x10000, R },
        { 0x100000, 0x7ffe0000 - 0x100000, U },
        { 0x7ffe0000, 0x20000, R },
        { 0xfeffc000, 0x4000, R },
        { 0xfffc0000, 0x40000, R },
    };
    struct phys_range ex[] = {
        { 0x0, 0x100000 },                          /* low memory */
        { 0x100000, 0x2a3456 },                     /* kernel image */
        { 0x2a5000, 0x2b0010 },                     /* initrd module */
        { 0x7ffd0000, 0x7ffd0800 },                 /* boot info */
    };
    struct phys_range want[] = {
        { 0x2a4000, 0x2a5000 }, { 0x2b1000, 0x7ffd0000 },
        { 0x7ffd1000, 0x7ffe0000 }, { 0x100000000ULL, 0x200000000ULL },
    };

    expect(run(m, N(m), ex, N(ex)), want, N(want));
    assert_int_equal(memmap_total(out, N(want)),
                     0x1000 + (0x7ffd0000 - 0x2b1000) + 0xf000 + 4 * GiB);
}

static void MMAP0019_usable_overlapping_reserved(void **state)
{
    /* Some firmware reports a usable entry that a reserved one overlaps;
     * reserved wins wherever they meet, regardless of order. */
    struct mem_range m[] = {
        { 0x7ffe0000, 0x20000, R },
        { 0x100000, 0x7ff00000, U },                /* runs into the hole */
        { 0xa0000, 0x80000, U },                    /* overlaps VGA/BIOS */
        { 0xf0000, 0x10000, R },
        { 0x9f000, 0x2000, R },
    };
    struct phys_range want[] = { { 0xa1000, 0xf0000 },
                                 { 0x100000, 0x7ffe0000 } };

    expect(run(m, N(m), NULL, 0), want, N(want));
}

static void MMAP0020_total(void **state)
{
    struct phys_range r[] = { { 0x1000, 0x3000 }, { 0x10000, 0x11000 },
                              { 0x5000, 0x4000 } };   /* inverted counts 0 */
    struct phys_range big[] = { { 0, UINT64_MAX }, { 0, UINT64_MAX } };

    assert_int_equal(memmap_total(r, 3), 0x3000);
    assert_int_equal(memmap_total(r, 0), 0);
    assert_int_equal(memmap_total(NULL, 5), 0);
    assert_int_equal(memmap_total(big, 2), UINT64_MAX);      /* saturates */
}

static void MMAP0021_type_names(void **state)
{
    assert_string_equal(memmap_type_name(MEM_USABLE), "usable");
    assert_string_equal(memmap_type_name(MEM_RESERVED), "reserved");
    assert_string_equal(memmap_type_name(MEM_ACPI_RECLAIMABLE),
                        "ACPI reclaimable");
    assert_string_equal(memmap_type_name(MEM_ACPI_NVS), "ACPI NVS");
    assert_string_equal(memmap_type_name(MEM_BAD), "bad");
    assert_string_equal(memmap_type_name(0), "unknown");
    assert_string_equal(memmap_type_name(6), "unknown");
    assert_string_equal(memmap_type_name(UINT32_MAX), "unknown");
}

/* ---- randomized comparison with a page-by-page model ----------------- */

#define MP 96                           /* pages where entries may start */
#define MODEL_PAGES (MP + 16)           /* pages they may reach */

static bool page_usable[MODEL_PAGES];

static void model_build(const struct mem_range *m, size_t n,
                        const struct phys_range *ex, size_t nex)
{
    for (uint64_t p = 0; p < MODEL_PAGES; p++) {
        uint64_t lo = p * 4096, hi = lo + 4096;
        bool in = false, blocked = false;

        for (size_t i = 0; i < n; i++) {
            uint64_t end = m[i].base + m[i].len;
            if (m[i].type == U && m[i].base <= lo && end >= hi)
                in = true;
            if (m[i].type != U && m[i].len && m[i].base < hi && end > lo)
                blocked = true;
        }
        for (size_t i = 0; i < nex; i++)
            if (ex[i].start < ex[i].end && ex[i].start < hi && ex[i].end > lo)
                blocked = true;
        page_usable[p] = in && !blocked;
    }
}

static void MMAP0022_random_against_model(void **state)
{
    struct mem_range m[12];
    struct phys_range ex[4], want[MODEL_PAGES];

    srand(0x3a9);
    for (int iter = 0; iter < 3000; iter++) {
        size_t n = (size_t)rand() % 12, nex = (size_t)rand() % 4, nw = 0;

        for (size_t i = 0; i < n; i++) {
            m[i].base = (uint64_t)(rand() % (MP * 4096 - 8192));
            m[i].len = (uint64_t)(rand() % 40000);
            m[i].type = rand() % 3 ? U : (uint32_t)(rand() % 6);
            if (rand() % 2)
                m[i].base &= ~0xfffULL;
        }
        for (size_t i = 0; i < nex; i++) {
            ex[i].start = (uint64_t)(rand() % (MP * 4096 - 8192));
            ex[i].end = ex[i].start + (uint64_t)(rand() % 12000) - 1000;
        }
        model_build(m, n, ex, nex);
        for (uint64_t p = 0; p < MODEL_PAGES; p++) {
            if (!page_usable[p])
                continue;
            if (nw && want[nw - 1].end == p * 4096)
                want[nw - 1].end += 4096;
            else
                want[nw++] = (struct phys_range){ p * 4096, p * 4096 + 4096 };
        }
        memset(out, 0xee, sizeof(out));
        expect(memmap_usable(m, n, ex, nex, out, N(out)), want, nw);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(MMAP0001_empty_map),
        cmocka_unit_test(MMAP0002_null_with_count_inval),
        cmocka_unit_test(MMAP0003_single_aligned_entry),
        cmocka_unit_test(MMAP0004_unaligned_entry_shrunk_inward),
        cmocka_unit_test(MMAP0005_sub_page_entries_dropped),
        cmocka_unit_test(MMAP0006_zero_length_skipped),
        cmocka_unit_test(MMAP0007_unsorted_input_sorted_output),
        cmocka_unit_test(MMAP0008_adjacent_entries_merged),
        cmocka_unit_test(MMAP0009_overlapping_usable_merged),
        cmocka_unit_test(MMAP0010_reserved_overlap_cut),
        cmocka_unit_test(MMAP0011_every_non_usable_type_cuts),
        cmocka_unit_test(MMAP0012_exclusions_cut),
        cmocka_unit_test(MMAP0013_exclusion_rounding_and_bad_ranges),
        cmocka_unit_test(MMAP0014_overflowing_usable_clipped),
        cmocka_unit_test(MMAP0015_overflowing_blocker_blocks_to_top),
        cmocka_unit_test(MMAP0016_truncation_keeps_valid_prefix),
        cmocka_unit_test(MMAP0017_qemu_seabios_128m),
        cmocka_unit_test(MMAP0018_qemu_seabios_6g_with_exclusions),
        cmocka_unit_test(MMAP0019_usable_overlapping_reserved),
        cmocka_unit_test(MMAP0020_total),
        cmocka_unit_test(MMAP0021_type_names),
        cmocka_unit_test(MMAP0022_random_against_model),
    };

    return cmocka_run_group_tests_name("memmap", tests, NULL, NULL);
}

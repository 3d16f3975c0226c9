/*
 * Real ACPI tables captured from QEMU (the .txt files in tests/unit/data, acpidump's
 * text format: "SIG @ 0xADDR" then "OFFS: XX XX ..." lines) for the host
 * tests, and a map function that serves them at their physical addresses.
 */
#ifndef TESTS_UNIT_ACPI_CAPTURE_H
#define TESTS_UNIT_ACPI_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

struct capture_table {
    char sig[5];
    uint64_t phys;
    uint8_t *data;
    size_t len;
};

/* Loads every table of a capture file; a missing or unparsable file fails
 * the running test. Replaces any capture loaded before. */
void capture_load(const char *path);
/* The first table with signature sig, or NULL. */
const struct capture_table *capture_find(const char *sig);
/* An acpi_map_fn over the captured tables only: an exact-size heap copy of
 * the range (ASan flags any read past it) at phys's alignment mod 16
 * (UBSan sees real misalignment); NULL outside every table. */
const void *capture_map(uint64_t phys, size_t len, void *ctx);
/* The same, but each call frees the mapping the previous call returned:
 * ASan then catches a caller that uses a mapping after the next map call
 * (acpi_map_fn's contract allows a single temporary window). */
const void *capture_map_one_slot(uint64_t phys, size_t len, void *ctx);
/* An exact-size copy of len bytes at phys's alignment, freed with the rest. */
void *capture_copy(const void *src, size_t len, uint64_t phys);
/* Frees the tables and every copy handed out (call from teardown). */
void capture_free(void);

#endif

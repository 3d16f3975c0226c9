/*
 * V-Node manifests: the text format of docs/USERSPACE.md ("Manifests")
 * parsed into a fixed-size struct. Pure (no allocation, no system calls),
 * so the same file runs in init and in a host unit test.
 *
 *     struct manifest m;
 *     char err[MANIFEST_ERR_MAX];
 *     if (manifest_parse(text, len, &m, err, sizeof(err)) != AE_OK)
 *         ae_printf("init: %s: %s", path, err);   // "manifest:7: unknown key "memroy""
 *
 * Strict: anything not exactly in the format is refused with the number of
 * the line at fault and the reason; the first fault in the file decides.
 */
#ifndef USER_LIB_MANIFEST_H
#define USER_LIB_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MANIFEST_LINE_MAX 255       /* bytes of a line, its "\n" or "\r\n" excluded */
#define MANIFEST_NAME_MAX 24        /* V-Node and service names: [a-z][a-z0-9-]{0,23} */
#define MANIFEST_BINARY_MAX 47      /* [A-Za-z0-9_-][A-Za-z0-9._-]{0,46} */
#define MANIFEST_SERVICES_MAX 8     /* in provides, and in needs */
#define MANIFEST_IRQS_MAX 16        /* ISA IRQs 0..15, each at most once */
#define MANIFEST_RANGES_MAX 8       /* in ioports, and in devmem */
#define MANIFEST_ERR_MAX 128        /* enough for every message */

#define MANIFEST_MEMORY_MIN (64ull << 10)       /* bytes */
#define MANIFEST_MEMORY_MAX (64ull << 30)
#define MANIFEST_DEVMEM_LIMIT (1ull << 44)      /* devmem below 16 TiB: 2^32 pages */

enum manifest_restart {
    MANIFEST_RESTART_ON_FAILURE = 0,    /* the default */
    MANIFEST_RESTART_ALWAYS,
    MANIFEST_RESTART_NEVER,
};

/* An inclusive range [base, last]: I/O ports, or bytes of device memory
 * (then base and last + 1 are multiples of 4096). */
struct manifest_range {
    uint64_t base;
    uint64_t last;
};

struct manifest {
    char name[MANIFEST_NAME_MAX + 1];
    uint16_t version[3];                /* major, minor, patch */
    char binary[MANIFEST_BINARY_MAX + 1];
    uint64_t memory_pages;              /* memory rounded up to 4 KiB pages */
    uint32_t threads;                   /* default 1 */
    uint32_t handles;                   /* default 64 */
    uint32_t cpu_permille;              /* cpu N% as N * 10; default 100 */
    uint32_t priority;                  /* default 16 */
    unsigned nprovides;
    char provides[MANIFEST_SERVICES_MAX][MANIFEST_NAME_MAX + 1];
    unsigned nneeds;                    /* in the order written */
    char needs[MANIFEST_SERVICES_MAX][MANIFEST_NAME_MAX + 1];
    unsigned nirqs;
    uint8_t irqs[MANIFEST_IRQS_MAX];    /* in the order written */
    unsigned nioports;
    struct manifest_range ioports[MANIFEST_RANGES_MAX];
    unsigned ndevmem;
    struct manifest_range devmem[MANIFEST_RANGES_MAX];
    enum manifest_restart restart;
    uint32_t max_restarts;              /* default 5 */
    uint32_t backoff_ms;                /* default 100 */
    bool boot;                          /* default true */
    bool watchdog;                      /* default false: init's CPU watchdog applies */
    bool trace;                         /* default false: given the kernel's trace
                                         * rings [READ MAP MANAGE] (docs/TRACE.md) */
    bool pci_ecam;                      /* default false: given the PCI Express
                                         * configuration space (docs/PCI.md) */
    uint32_t pci_device;                /* vendor << 16 | device of the PCI function
                                         * it drives; 0: none (docs/PCI.md) */
};

/* Parses text[0..len) (need not be NUL-terminated; a NUL byte is an error)
 * into *out. AE_OK: *out holds every key, absent optional keys at their
 * defaults. AE_ERR_INVAL: the manifest is refused (or text or out is NULL);
 * *out is zeroed and, when err is not NULL and errlen > 0, err holds
 * "manifest:LINE: REASON", NUL-terminated and cut to errlen - 1 bytes.
 * A missing required key is reported on the last line (where the file
 * ends: one more than the number of "\n" in it). */
int manifest_parse(const char *text, size_t len, struct manifest *out, char *err,
                   size_t errlen);

/* The spelling of a restart policy ("on-failure"). */
const char *manifest_restart_name(enum manifest_restart r);

#endif

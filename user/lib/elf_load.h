/*
 * Loading an ELF executable into a new process, from bytes in memory (a
 * file of the mapped initrd, say). The caller makes the process and,
 * after loading, its first thread:
 *
 *     int64_t p = ae_process_create(self, "console", &limits);
 *     struct ae_elf_load_opts o = {.info_vmo = info, .info_va = AE_BOOTINFO_VA};
 *     struct ae_elf_loaded l;
 *     int err = ae_elf_load((ae_handle_t)p, image, size, &o, &l);
 *     int64_t t = err ? err : ae_thread_create((ae_handle_t)p, l.entry, l.stack, l.arg);
 *     ... ae_thread_start((ae_handle_t)t) ...
 *
 * The image is checked by the validator the kernel uses for init
 * (common/elf64.h): a static x86_64 ET_EXEC whose PT_LOAD segments lie in
 * user space, do not overlap, and are never writable and executable.
 *
 * What the child gets, nothing else:
 *   - each PT_LOAD segment in a fresh memory object of its whole pages,
 *     holding the file's bytes (the rest zero: bss), mapped at its address
 *     readable, plus writable (W) or executable (X) as its flags say;
 *   - a stack: a fresh object of stack_size bytes mapped read-write just
 *     below stack_top, with nothing mapped below it by the loader;
 *   - if info_vmo is given, its first info_size bytes mapped read-only at
 *     info_va (the caller keeps its handle: the child gets no handle).
 *
 * Quotas (docs/KERNEL.md, "Quotas"): the memory objects (segments and
 * stack, l.pages pages) and their object bytes are charged to the caller,
 * since the caller creates them, for as long as the child's mappings keep
 * them; the child's page tables and mapping records are charged to the
 * child. The caller's own handles to the objects are closed before
 * ae_elf_load returns.
 *
 * The caller must not map anything in the scratch range (scratch.h): the
 * segments are filled through a moment's mapping there, removed before
 * ae_elf_load returns.
 *
 * Errors leave nothing behind: every mapping made in the child is removed,
 * so the objects are freed and both quotas are as before.
 */
#ifndef USER_LIB_ELF_LOAD_H
#define USER_LIB_ELF_LOAD_H

#include <stddef.h>

#include "aether.h"

#define AE_ELF_STACK_SIZE (64 * 1024ull)    /* the default stack */
#define AE_ELF_SEGMENT_MAX (1ull << 30)     /* a memory object's largest size */

struct ae_elf_load_opts {
    uint64_t stack_top;         /* page-aligned; 0: AE_STACK_TOP */
    uint64_t stack_size;        /* bytes, a page multiple; 0: AE_ELF_STACK_SIZE */
    ae_handle_t info_vmo;       /* 0: no info page; else needs READ and MAP */
    uint64_t info_va;           /* page-aligned, where the info goes in the child */
    uint64_t info_size;         /* bytes, a page multiple; 0: one page */
};

struct ae_elf_loaded {
    uint64_t entry;             /* the ELF entry point */
    uint64_t stack;             /* the first stack pointer: stack_top */
    uint64_t arg;               /* the first argument (rdi): info_va, or 0 */
    unsigned nsegments;         /* PT_LOAD segments mapped */
    uint64_t pages;             /* pages of memory objects charged to the caller */
};

/* Loads image[0..size) into process proc (a process handle with MAP; an
 * empty new process, typically). opts may be NULL (defaults, no info).
 * AE_OK and *out filled, or a negative AE_ERR_* with *out zeroed:
 *   - the validator's: INVAL (not an ELF64 x86_64 executable), CORRUPT,
 *     RANGE, ACCESS (a W+X segment), UNSUPPORTED (elf64.h says which);
 *   - INVAL: image or out NULL, or opts not page-aligned or out of user
 *     space; RANGE: a segment larger than AE_ELF_SEGMENT_MAX; BAD_HANDLE:
 *     proc is 0 (which vmo_map would take as the caller itself);
 *   - from the kernel: QUOTA (the caller's pages, or the child's for its
 *     page tables), NOMEM, EXISTS (the stack or info overlaps a segment),
 *     BAD_HANDLE, ACCESS (proc or info_vmo lacks a right), PEER_CLOSED. */
int ae_elf_load(ae_handle_t proc, const void *image, size_t size,
                const struct ae_elf_load_opts *opts, struct ae_elf_loaded *out);

#endif

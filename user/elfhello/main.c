/*
 * elfhello (elfhello.h): proves that the loader gave it its initialised
 * data, a zeroed bss, a working stack and its info page, and that the
 * info page and its own code are not writable.
 */
#include "aether.h"
#include "user/elfhello/elfhello.h"

#define DATA_WORD 0x0123456789abcdefull

static volatile uint64_t data_word = DATA_WORD;    /* .data: from the file */
static volatile uint64_t bss[2048];                /* .bss: 16 KiB, not in the file */

static int64_t run(const struct elfhello_info *info)
{
    volatile uint64_t on_stack[512];               /* 4 KiB of the stack */

    if (data_word != DATA_WORD)
        return ELFHELLO_BAD_DATA;
    for (unsigned i = 0; i < sizeof(bss) / sizeof(bss[0]); i++) {
        if (bss[i])
            return ELFHELLO_BSS_NOT_ZERO;
        bss[i] = i;
    }
    for (unsigned i = 0; i < 512; i++)
        on_stack[i] = i;
    ae_printf("elfhello: hello from a loaded ELF, value %lu", (unsigned long)info->value);
    return (int64_t)(info->value + 1 + on_stack[0] + bss[0]);
}

int main(const struct ae_bootinfo *bi)
{
    const struct elfhello_info *info = (const void *)bi;

    if (!info)
        return ELFHELLO_NO_INFO;
    if (info->magic != ELFHELLO_MAGIC)
        return ELFHELLO_BAD_MAGIC;
    switch (info->mode) {
    case ELFHELLO_RUN:
        return (int)run(info);
    case ELFHELLO_WRITE_INFO:
        *(volatile uint64_t *)&info->value = 0;
        return ELFHELLO_NOT_FAULTED;
    case ELFHELLO_WRITE_TEXT:
        *(volatile uint8_t *)(uintptr_t)main = 0xc3;
        return ELFHELLO_NOT_FAULTED;
    }
    return ELFHELLO_BAD_MODE;
}

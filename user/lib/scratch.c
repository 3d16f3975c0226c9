/*
 * Scratch mappings (scratch.h). A slot is free when vmo_map succeeds there:
 * the kernel refuses an overlapping mapping (AE_ERR_EXISTS), so taken
 * slots need no bookkeeping of their own, and a thread that races another
 * for a slot moves on to the next.
 */
#include "scratch.h"

static unsigned next_slot;

int64_t ae_scratch_map(ae_handle_t vmo, uint64_t offset, uint64_t len)
{
    if (len > AE_SCRATCH_SLOT_SIZE)
        return AE_ERR_RANGE;
    for (unsigned tries = 0; tries < AE_SCRATCH_SLOTS; tries++) {
        unsigned slot = __atomic_fetch_add(&next_slot, 1, __ATOMIC_RELAXED) % AE_SCRATCH_SLOTS;
        uint64_t va = AE_SCRATCH_VA + slot * AE_SCRATCH_SLOT_SIZE;
        int64_t err = ae_vmo_map(vmo, 0, va, offset, len, AE_PROT_READ | AE_PROT_WRITE);

        if (err == AE_ERR_EXISTS)
            continue;               /* another thread holds this slot */
        return err ? err : (int64_t)va;
    }
    return AE_ERR_BUSY;
}

void ae_scratch_unmap(uint64_t va, uint64_t len)
{
    ae_vmo_unmap(0, va, len);
}

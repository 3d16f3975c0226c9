/*
 * Starts the first user program, init, from the first boot module: checks
 * its ELF, builds its process (the root of the quota tree: all free memory
 * but a kernel reserve), maps its segments, stack and boot-info page, and
 * gives it the root handles. Boot CPU, kernel lock held.
 */
#ifndef KERNEL_PROC_INIT_LOADER_H
#define KERNEL_PROC_INIT_LOADER_H

struct boot_info;
struct thread;

/* AE_OK and the (not yet started) init thread, or an error (logged). */
int init_load(const struct boot_info *bi, struct thread **out);
/* The root process died: log it, and end QEMU in test images. */
void init_exited(long status);

#endif

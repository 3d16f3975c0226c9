/* The console's parts that share the terminal (main.c, klog.c). */
#ifndef VNODE_CONSOLE_CONSOLE_H
#define VNODE_CONSOLE_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#include "aether.h"

/* Writes all of s to the terminal, waiting while the transmit ring is full. */
void console_output(const uint8_t *s, size_t n);
/* Writes s only if all of it fits now; returns 0 if it did not. */
int console_output_whole(const uint8_t *s, size_t n);
/* Starts the thread that shows the kernel log (klog.c). */
int64_t klog_start(ae_handle_t self, uint64_t stack_va, uint64_t stack_size);

#endif

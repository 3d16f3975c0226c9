/*
 * Handle rights. Every handle carries a subset; each system call names the
 * rights it needs (include/aether/syscalls.h) and the kernel checks them
 * before it does anything. derive() can only remove rights.
 */
#ifndef AETHER_RIGHTS_H
#define AETHER_RIGHTS_H

#define AE_RIGHT_READ    (1u << 0)   /* read an object's contents or state */
#define AE_RIGHT_WRITE   (1u << 1)   /* modify contents or state */
#define AE_RIGHT_EXEC    (1u << 2)   /* map memory executable */
#define AE_RIGHT_MAP     (1u << 3)   /* map a memory object; map into a process */
#define AE_RIGHT_SEND    (1u << 4)   /* send/call on an endpoint */
#define AE_RIGHT_RECV    (1u << 5)   /* receive on an endpoint */
#define AE_RIGHT_GRANT   (1u << 6)   /* the handle may be transferred in IPC */
#define AE_RIGHT_DERIVE  (1u << 7)   /* derive weaker handles; revoke them */
#define AE_RIGHT_SIGNAL  (1u << 8)   /* signal a notification */
#define AE_RIGHT_WAIT    (1u << 9)   /* wait on / poll a notification */
#define AE_RIGHT_MANAGE  (1u << 10)  /* control: start, kill, priority, quota */

#define AE_RIGHTS_ALL    0x7ffu

/* The rights as 11 letters, one per bit from READ up, '-' where absent:
 * r read, w write, x exec, m map, s send, v receive, g grant, d derive,
 * S signal, W wait, M manage. out holds 12 bytes. */
static inline void ae_rights_text(unsigned rights, char *out)
{
    static const char letters[] = "rwxmsvgdSWM";

    for (unsigned i = 0; i < sizeof(letters) - 1; i++)
        out[i] = rights & (1u << i) ? letters[i] : '-';
    out[sizeof(letters) - 1] = 0;
}

#endif

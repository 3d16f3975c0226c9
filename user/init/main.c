/*
 * init: the first user program. For now it checks that the basics work
 * (a thread, an IPC round trip through an endpoint) and then waits; the
 * supervisor, manifests and services come with the user-space milestone.
 */
#include "aether.h"
#include "acpi_power.h"
#include "common/string.h"

static ae_handle_t echo_ep;

static void echo_server(void *arg)
{
    struct ae_msg m = {0};
    int64_t r = ae_ipc_recv(echo_ep, &m);

    while (r == AE_OK) {
        m.w[0] += 1;            /* the reply is the request plus one */
        m.info = AE_MSG_INFO(AE_MSG_LABEL(m.info), 0);
        r = ae_ipc_reply_recv(echo_ep, &m);
    }
    ae_printf("echo server: %s", ae_strerror(r));
}

static int has_word(const char *s, const char *w)
{
    size_t n = strlen(w);

    for (const char *p = s; *p; p++) {
        if ((p == s || p[-1] == ' ') && strncmp(p, w, n) == 0 &&
            (p[n] == 0 || p[n] == ' ' || p[n] == '='))
            return 1;
    }
    return 0;
}

int main(const struct ae_bootinfo *bi)
{
    struct ae_msg m = {0};
    int64_t t, r, forever;

    if (bi->magic != AE_BOOTINFO_MAGIC) {
        ae_printf("init: bad boot info");
        return 1;
    }
    ae_printf("init: started on %u CPUs with %lu pages of memory quota",
              bi->ncpus, (unsigned long)bi->quota_pages);
    echo_ep = (ae_handle_t)ae_endpoint_create();
    t = ae_thread_spawn(bi->self, echo_server, NULL, 0x100000000ull, 65536);
    if (t < 0) {
        ae_printf("init: cannot start a thread: %s", ae_strerror(t));
        return 1;
    }
    m.info = AE_MSG_INFO(1, 0);
    m.w[0] = 41;
    r = ae_ipc_call(echo_ep, &m);
    ae_printf("init: IPC round trip: %s, 41 -> %lu", ae_strerror(r), (unsigned long)m.w[0]);
    if (r != AE_OK || m.w[0] != 42)
        return 2;
    ae_printf("init: ready");
    /* Test images acpi-poweroff and acpi-reboot (tests/system/test_boot.py). */
    if (has_word(bi->cmdline, "acpi_poweroff") || has_word(bi->cmdline, "acpi_reboot")) {
        int off = has_word(bi->cmdline, "acpi_poweroff");
        ae_printf("init: ACPI %s", off ? "poweroff" : "reboot");
        r = off ? ae_acpi_poweroff(&bi->acpi, bi->ioports) : ae_acpi_reboot(&bi->acpi, bi->ioports);
        ae_printf("init: ACPI %s failed: %s", off ? "poweroff" : "reboot", ae_strerror(r));
        return 3;
    }
    /* Test images (debug_exit) end here: init's exit status ends QEMU. */
    if (has_word(bi->cmdline, "debug_exit"))
        return 0;
    forever = ae_notify_create();
    for (;;)
        ae_notify_wait((ae_handle_t)forever, AE_WAIT_FOREVER);
}

/*
 * console: the serial terminal as a service. One thread takes the UART's
 * interrupts: it runs received bytes through the line discipline and
 * feeds the transmitter from a ring as it empties. The main thread serves
 * clients (include/aether/proto/console.h); a third copies the kernel log
 * to the terminal (klog.c), so kernel lines and program output never cut
 * into each other. A small lock guards the rings and the UART.
 */
#include "aether.h"
#include "common/uart16550.h"
#include "aelibc.h"
#include "clientbuf.h"
#include "serve.h"
#include "svc.h"
#include "aether/proto/console.h"
#include "common/string.h"
#include "console.h"
#include "ldisc.h"
#include "uart.h"

#define BUF_VA 0x0000100000000000ull        /* client buffers (clientbuf.h) */
#define IRQ_STACK_VA 0x0000200000000000ull
#define KLOG_STACK_VA 0x0000210000000000ull
#define THREAD_STACK_SIZE (64 * 1024ull)
#define TX_RING (16 * 1024)

/* Beside each client's slot (slots are never reused for another badge). */
struct reader {
    ae_handle_t notify;         /* signalled when input arrives; 0: none */
    uint64_t bits;
};

static struct ae_clients clients = {.base_va = BUF_VA};
static struct reader readers[AE_CLIENTS_MAX];
static struct ldisc ld;
static libc_lock_t term_lock;
static uint16_t port_base;
static ae_handle_t irq_handle, irq_notify, tx_space;
static uint32_t irq_gsi;
static uint8_t tx[TX_RING];
static size_t tx_head, tx_count;
static bool tx_waiting;         /* a writer waits for room (tx_space) */

/* Not a spin-and-yield lock: the server thread runs at the manifest's
 * priority, above the others, and on one CPU its yields would never let a
 * lower-priority holder finish. */
static void lock(void)
{
    libc_lock(&term_lock);
}

static void unlock(void)
{
    libc_unlock(&term_lock);
}

/* Lock held. Moves queued bytes into the transmitter while it has room,
 * and asks for its interrupt while bytes are left. */
static void tx_pump(void)
{
    if (tx_count && uart_tx_empty(port_base)) {
        for (int i = 0; i < UART_FIFO && tx_count; i++) {
            uart_put_raw(port_base, tx[tx_head]);
            tx_head = (tx_head + 1) % TX_RING;
            tx_count--;
        }
    }
    uart_tx_irq(port_base, tx_count != 0);
}

/* Lock held. Queues what fits of s[0..n) ('\n' as "\r\n"); returns how
 * many bytes of s were taken. */
static size_t tx_queue(const uint8_t *s, size_t n)
{
    size_t i = 0;

    for (; i < n; i++) {
        size_t need = s[i] == '\n' ? 2 : 1;
        if (TX_RING - tx_count < need)
            break;
        if (s[i] == '\n')
            tx[(tx_head + tx_count++) % TX_RING] = '\r';
        tx[(tx_head + tx_count++) % TX_RING] = s[i];
    }
    tx_pump();
    return i;
}

int console_output_whole(const uint8_t *s, size_t n)
{
    size_t need = n;
    int ok;

    for (size_t i = 0; i < n; i++)
        need += s[i] == '\n';
    lock();
    ok = TX_RING - tx_count >= need;
    if (ok)
        tx_queue(s, n);
    unlock();
    return ok;
}

/* Writes all of s, waiting for room as the transmitter drains. */
void console_output(const uint8_t *s, size_t n)
{
    while (n) {
        size_t k;
        lock();
        k = tx_queue(s, n);
        tx_waiting = k < n;
        unlock();
        s += k;
        n -= k;
        if (n)
            ae_notify_wait(tx_space, AE_WAIT_FOREVER);
    }
}

static void wake_readers(void)
{
    for (int i = 0; i < AE_CLIENTS_MAX; i++)
        if (readers[i].notify)
            ae_notify_signal(readers[i].notify, readers[i].bits);
}

/* Lock held: input through the line discipline (its echo queued), and
 * the transmitter fed. Returns whether input is waiting for readers. */
static bool service(void)
{
    char echo[LDISC_ECHO_MAX];
    int c;

    while ((c = uart_get(port_base)) >= 0) {
        size_t n = ldisc_input(&ld, (uint8_t)c, echo);
        tx_queue((const uint8_t *)echo, n);     /* echo that finds no room is dropped */
    }
    tx_pump();
    return ldisc_readable(&ld) > 0;
}

/*
 * The IRQ line is edge-triggered and masked from the interrupt until our
 * ack, so a condition that arises in between gives no new edge: after each
 * ack the UART is asked again, and served again while it has something.
 */
static void irq_thread(void *arg)
{
    for (;;) {
        bool readable, pending, space;

        ae_notify_wait(irq_notify, AE_WAIT_FOREVER);
        do {
            lock();
            readable = service();
            space = tx_waiting && tx_count < TX_RING / 2;
            if (space)
                tx_waiting = false;
            unlock();
            ae_irq_ack(irq_handle, irq_gsi);
            if (readable)
                wake_readers();
            if (space)
                ae_notify_signal(tx_space, 1);
            lock();
            pending = uart_irq_pending(port_base);
            unlock();
        } while (pending);
    }
}

static int64_t op_setbuf(struct ae_msg *m)
{
    return ae_client_setbuf(&clients, m->badge, m);
}

static int64_t op_write(struct ae_msg *m)
{
    struct ae_client *c = ae_client_of(&clients, m->badge);
    uint64_t n = m->w[0];

    if (!c)
        return AE_ERR_QUOTA;
    if (!c->buf || n > c->size)
        return AE_ERR_INVAL;
    console_output(c->buf, n);
    m->w[0] = n;
    return AE_OK;
}

static int64_t op_read(struct ae_msg *m)
{
    struct ae_client *c = ae_client_of(&clients, m->badge);
    uint64_t max = m->w[0];

    if (!c)
        return AE_ERR_QUOTA;
    if (!c->buf || max > c->size)
        return AE_ERR_INVAL;
    lock();
    m->w[0] = ldisc_read(&ld, c->buf, max);
    unlock();
    return AE_OK;
}

static int64_t op_notify(struct ae_msg *m)
{
    struct ae_client *c = ae_client_of(&clients, m->badge);
    struct reader *r;
    int readable;

    if (!c)
        return AE_ERR_QUOTA;
    if (AE_MSG_NHANDLES(m->info) != 1)
        return AE_ERR_INVAL;
    r = &readers[ae_client_index(&clients, c)];
    if (r->notify)
        ae_handle_close(r->notify);
    r->notify = m->h[0];
    r->bits = m->w[0];
    m->h[0] = 0;                    /* kept */
    lock();
    readable = ldisc_readable(&ld) > 0;
    unlock();
    if (readable)
        ae_notify_signal(r->notify, r->bits);
    return AE_OK;
}

static int64_t op_mode(struct ae_msg *m)
{
    if (m->w[0] != AE_CONSOLE_MODE_RAW && m->w[0] != AE_CONSOLE_MODE_COOKED)
        return AE_ERR_INVAL;
    lock();
    ldisc_set_raw(&ld, m->w[0] == AE_CONSOLE_MODE_RAW);
    unlock();
    return AE_OK;
}

static const struct ae_serve_op ops[] = {
    {AE_CONSOLE_SETBUF, op_setbuf},
    {AE_CONSOLE_WRITE, op_write},
    {AE_CONSOLE_READ, op_read},
    {AE_CONSOLE_NOTIFY, op_notify},
    {AE_CONSOLE_MODE, op_mode},
};

int main(const struct ae_bootinfo *bi)
{
    const struct ae_vnode_info *vi = ae_vnode_info();
    const struct ae_vnode_hw *ports = ae_vnode_hw(vi, AE_VNODE_HW_IOPORTS);
    const struct ae_vnode_hw *irq = ae_vnode_hw(vi, AE_VNODE_HW_IRQ);
    int64_t r;

    if (!ports || !irq || ports->count < UART_PORTS) {
        ae_printf("console: needs an I/O port range and an IRQ line in its manifest");
        return 1;
    }
    port_base = (uint16_t)ports->base;
    irq_handle = irq->handle;
    ldisc_init(&ld);
    r = ae_ioport_enable(ports->handle, port_base, UART_PORTS);
    if (r) {
        ae_printf("console: ports %#x: %s", port_base, ae_strerror(r));
        return 1;
    }
    irq_notify = (ae_handle_t)ae_notify_create();
    r = ae_irq_bind(irq_handle, (uint32_t)irq->base, irq_notify, 1, AE_IRQ_ISA);
    if (r < 0) {
        ae_printf("console: IRQ %lu: %s", (unsigned long)irq->base, ae_strerror(r));
        return 1;
    }
    irq_gsi = (uint32_t)r;
    r = ae_notify_create();
    if (r < 0)
        return 1;
    tx_space = (ae_handle_t)r;
    r = klog_start(vi->self, KLOG_STACK_VA, THREAD_STACK_SIZE);
    if (r < 0)
        ae_printf("console: kernel log not shown here: %s", ae_strerror(r));
    uart_init(port_base);
    r = ae_thread_spawn(vi->self, irq_thread, NULL, IRQ_STACK_VA, THREAD_STACK_SIZE);
    if (r < 0) {
        ae_printf("console: no interrupt thread: %s", ae_strerror(r));
        return 1;
    }
    ae_notify_signal(irq_notify, 1);        /* serve what arrived before us */
    return (int)ae_serve("console", ops, sizeof(ops) / sizeof(ops[0]));
}

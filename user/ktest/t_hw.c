/* Hardware capabilities: I/O ports through the TSS bitmap, IRQ delivery. */
#include "ktest.h"
#include "common/portio.h"

KTEST(HW0001, "init's boot info names an IRQ range and every I/O port")
{
    struct ae_handle_info hi;

    CHECK_OK(ae_handle_info(ae_bootinfo->irq, &hi));
    CHECK_EQ(hi.type, AE_OBJ_IRQ);
    CHECK_EQ(hi.rights, AE_RIGHTS_ALL);
    CHECK_OK(ae_handle_info(ae_bootinfo->ioports, &hi));
    CHECK_EQ(hi.type, AE_OBJ_IOPORTS);
}

static int64_t child_port_without_enable(uint64_t arg)
{
    return inb(0x61);       /* no bitmap: #GP, the child dies */
}

KTEST(HW0002, "a port access without an enabled range is a #GP that kills only the child")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t p = CHECK_HANDLE(ktest_child_after_go(child_port_without_enable, ep, 7));
    struct ae_msg m;

    CHECK_OK(ktest_fault_report(ep, &m));
    CHECK_EQ(AE_MSG_LABEL(m.info), AE_MSG_FAULT);
    CHECK_EQ(m.badge, 7);
    CHECK_EQ(m.w[0], AE_FAULT_GP);
    CHECK_EQ(ktest_wait_child(p), AE_ERR_FAULT);
    ae_handle_close(ep);
}

static int64_t child_port_enabled(uint64_t ports)
{
    /* The handle covers 0x70-0x71 (CMOS): enable, then read the seconds
     * register straight from user mode. */
    if (ae_ioport_enable((ae_handle_t)ports, 0x70, 2) != AE_OK)
        return 1;
    outb(0x70, 0x0a);                   /* status register A */
    (void)inb(0x71);
    if (ae_ioport_enable((ae_handle_t)ports, 0x60, 1) != AE_ERR_RANGE)
        return 2;                       /* outside its range */
    return 0;
}

KTEST(HW0003, "an enabled sub-range of ports is usable without syscalls; outside it is RANGE")
{
    ae_handle_t sub = CHECK_HANDLE(ae_hw_subrange(ae_bootinfo->ioports, 0x70, 2));
    ae_handle_t given = 0;
    ae_handle_t p = CHECK_HANDLE(ktest_child(child_port_enabled, 0, NULL, sub, &given));
    CHECK_EQ(ktest_wait_child(p), 0);
}

KTEST(HW0004, "hw_subrange checks range, type and DERIVE")
{
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t weak = CHECK_HANDLE(ae_handle_derive(ae_bootinfo->ioports,
                                                     AE_RIGHT_WRITE, 0, 0));
    CHECK_EQ(ae_hw_subrange(ae_bootinfo->ioports, 0xfff0, 0x20), AE_ERR_RANGE);
    CHECK_EQ(ae_hw_subrange(ae_bootinfo->ioports, 0x10, 0), AE_ERR_RANGE);
    CHECK_EQ(ae_hw_subrange(ep, 0, 1), AE_ERR_INVAL);
    CHECK_EQ(ae_hw_subrange(weak, 0x70, 2), AE_ERR_ACCESS);
    ae_handle_t sub = CHECK_HANDLE(ae_hw_subrange(ae_bootinfo->ioports, 0x3f8, 8));
    CHECK_EQ(ae_hw_subrange(sub, 0x3f0, 8), AE_ERR_RANGE);   /* not within its parent */
    CHECK_EQ(ae_ioport_enable(weak, 0x10000, 1), AE_ERR_RANGE);
    ae_handle_close(sub);
    ae_handle_close(weak);
    ae_handle_close(ep);
}

KTEST(HW0005, "irq_bind and irq_ack check lines, handles, bits and INTI flags")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    ae_handle_t ep = CHECK_HANDLE(ae_endpoint_create());
    ae_handle_t one = CHECK_HANDLE(ae_hw_subrange(ae_bootinfo->irq, 5, 1));

    CHECK_EQ(ae_irq_bind(one, 6, n, 1, 0), AE_ERR_RANGE);
    CHECK_EQ(ae_irq_bind(one, 5, ep, 1, 0), AE_ERR_INVAL);      /* not a notification */
    CHECK_EQ(ae_irq_bind(one, 5, n, 0, 0), AE_ERR_INVAL);       /* no bits */
    CHECK_EQ(ae_irq_bind(one, 5, n, 1, 0x80), AE_ERR_INVAL);    /* unknown flag */
    CHECK_EQ(ae_irq_bind(one, 16, n, 1, AE_IRQ_ISA), AE_ERR_INVAL);
    CHECK_EQ(ae_irq_bind(one, 5, n, 1, AE_IRQ_INTI(0x2)), AE_ERR_INVAL);   /* polarity 2 */
    CHECK_EQ(ae_irq_bind(one, 5, n, 1, AE_IRQ_INTI(0x9)), AE_ERR_INVAL);   /* trigger 2 */
    CHECK_EQ(ae_irq_bind(one, 5, n, 1, AE_IRQ_ISA | AE_IRQ_INTI(0xf)), AE_ERR_INVAL);
    CHECK_EQ(ae_irq_bind(one, 5, n, 1, 1u << 12), AE_ERR_INVAL);           /* past INTI */
    CHECK_EQ(ae_irq_ack(one, 7), AE_ERR_RANGE);
    CHECK_EQ(ae_irq_ack(ae_bootinfo->irq, 20), AE_ERR_NOTFOUND); /* never bound */
    ae_handle_close(one);
    ae_handle_close(ep);
    ae_handle_close(n);
}

#define PIT_CH0 0x40
#define PIT_CMD 0x43

static int64_t child_pit_oneshot(uint64_t ports)
{
    if (ae_ioport_enable((ae_handle_t)ports, PIT_CH0, 4) != AE_OK)
        return 1;
    outb(PIT_CMD, 0x30);        /* channel 0, lo/hi byte, mode 0: one interrupt */
    outb(PIT_CH0, 0xa9);        /* 1193 ticks: 1 ms */
    outb(PIT_CH0, 0x04);
    return 0;
}

KTEST(HW0006, "PIT IRQ 0 reaches a notification; masked until acked, then fires again")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    int64_t gsi = ae_irq_bind(ae_bootinfo->irq, 0, n, 0x4, AE_IRQ_ISA);

    CHECK(gsi >= 0);
    for (int round = 0; round < 2; round++) {
        ae_handle_t ports = CHECK_HANDLE(ae_hw_subrange(ae_bootinfo->ioports, PIT_CH0, 4));
        ae_handle_t p = CHECK_HANDLE(ktest_child(child_pit_oneshot, 0, NULL, ports, NULL));
        CHECK_EQ(ktest_wait_child(p), 0);
        CHECK_EQ(ae_notify_wait(n, KTEST_WAIT_NS), 0x4);
        if (gsi >= 0)
            CHECK_OK(ae_irq_ack(ae_bootinfo->irq, (uint32_t)gsi));
    }
    ae_handle_close(n);
}

KTEST(HW0007, "a contiguous VMO reports its physical address; others report none")
{
    struct ae_vmo_info vi;
    ae_handle_t dma = CHECK_HANDLE(ae_vmo_create(65536, AE_VMO_CONTIGUOUS));
    ae_handle_t plain = CHECK_HANDLE(ae_vmo_create(8192, 0));

    CHECK_OK(ae_vmo_info(dma, &vi));
    CHECK_EQ(vi.size, 65536);
    CHECK_EQ(vi.flags, AE_VMO_CONTIGUOUS);
    CHECK(vi.phys != 0 && (vi.phys & 4095) == 0);
    CHECK_OK(ae_vmo_info(plain, &vi));
    CHECK_EQ(vi.flags, 0);
    CHECK_EQ(vi.phys, 0);
    CHECK_EQ(ae_vmo_create(4096, 0x80), AE_ERR_INVAL);
    CHECK_OK(ae_vmo_map(dma, 0, 0x2a0000000000ull, 0, 65536, AE_PROT_READ | AE_PROT_WRITE));
    *(volatile uint64_t *)0x2a000000fff8ull = 0x1234;
    CHECK_EQ(*(volatile uint64_t *)0x2a000000fff8ull, 0x1234);
    CHECK_OK(ae_vmo_unmap(0, 0x2a0000000000ull, 65536));
    ae_handle_close(plain);
    ae_handle_close(dma);
}

#define HPET_PHYS 0xfed00000ull

KTEST(HW0008, "device memory: the HPET's ID register read through an uncached mapping")
{
    uint64_t va = 0x2b0000000000ull;
    struct ae_vmo_info vi;
    ae_handle_t dev = CHECK_HANDLE(ae_vmo_create_physical(ae_bootinfo->devmem, HPET_PHYS, 4096));

    CHECK_OK(ae_vmo_info(dev, &vi));
    CHECK_EQ(vi.flags, AE_VMO_DEVICE);
    CHECK_EQ(vi.phys, HPET_PHYS);
    CHECK_OK(ae_vmo_map(dev, 0, va, 0, 4096, AE_PROT_READ));
    uint64_t caps = *(volatile uint64_t *)va;
    uint32_t vendor = (uint32_t)(caps >> 16) & 0xffff;
    CHECK(vendor != 0 && vendor != 0xffff);
    CHECK((caps & 0xff) != 0);                  /* revision */
    CHECK((uint32_t)(caps >> 32) != 0);         /* counter period, fs */
    CHECK_OK(ae_vmo_unmap(0, va, 4096));
    ae_handle_close(dev);
}

KTEST(HW0009, "device memory is refused over RAM, kernel interrupt controllers, bad ranges")
{
    ae_handle_t weak = CHECK_HANDLE(ae_handle_derive(ae_bootinfo->devmem, AE_RIGHT_READ, 0, 0));
    ae_handle_t dev = CHECK_HANDLE(ae_vmo_create_physical(ae_bootinfo->devmem, HPET_PHYS, 4096));

    CHECK_EQ(ae_vmo_create_physical(ae_bootinfo->devmem, 0x200000, 4096), AE_ERR_ACCESS);
    CHECK_EQ(ae_vmo_create_physical(ae_bootinfo->devmem, 0xfee00000ull, 4096), AE_ERR_ACCESS);
    CHECK_EQ(ae_vmo_create_physical(ae_bootinfo->devmem, 0xfec00000ull, 4096), AE_ERR_ACCESS);
    CHECK_EQ(ae_vmo_create_physical(ae_bootinfo->devmem, HPET_PHYS + 8, 4096), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_create_physical(ae_bootinfo->devmem, HPET_PHYS, 0), AE_ERR_INVAL);
    CHECK_EQ(ae_vmo_create_physical(weak, HPET_PHYS, 4096), AE_ERR_ACCESS);
    /* Device objects come without EXEC: no executable mapping of MMIO. */
    CHECK_EQ(ae_vmo_map(dev, 0, 0x2b0000000000ull, 0, 4096, AE_PROT_READ | AE_PROT_EXEC),
             AE_ERR_ACCESS);
    ae_handle_close(dev);
    ae_handle_close(weak);
}

KTEST(HW0010, "MSI lines: init's range, the message for each, binding and acking rules")
{
    ae_handle_t n = CHECK_HANDLE(ae_notify_create());
    struct ae_handle_info hi;
    struct ae_msi_message m, m2;
    uint32_t first = AE_IRQ_MSI_BASE;

    CHECK_OK(ae_handle_info(ae_bootinfo->msi, &hi));
    CHECK_EQ(hi.type, AE_OBJ_IRQ);
    CHECK_EQ(hi.rights, AE_RIGHTS_ALL);
    CHECK_OK(ae_irq_msi_message(ae_bootinfo->msi, first, &m));
    CHECK_EQ(m.address & ~0xff000ull, 0xfee00000ull);       /* physical destination */
    CHECK(m.data >= 0x20 && m.data <= 0xff);
    CHECK_EQ(m.data & ~0xffu, 0);                            /* fixed, edge */
    CHECK_OK(ae_irq_msi_message(ae_bootinfo->msi, first + AE_IRQ_MSI_COUNT - 1, &m2));
    CHECK_EQ(m2.data, m.data + AE_IRQ_MSI_COUNT - 1);        /* a vector each */
    CHECK_EQ(ae_irq_msi_message(ae_bootinfo->msi, first + AE_IRQ_MSI_COUNT, &m), AE_ERR_RANGE);
    CHECK_EQ(ae_irq_msi_message(ae_bootinfo->irq, 0, &m), AE_ERR_INVAL);    /* a GSI */
    CHECK_EQ(ae_irq_msi_message(ae_bootinfo->msi, first, (void *)0x10), AE_ERR_FAULT);

    /* A driver's one line: nothing outside it, not even reading messages. */
    ae_handle_t one = CHECK_HANDLE(ae_hw_subrange(ae_bootinfo->msi, first + 3, 1));
    ae_handle_t weak = CHECK_HANDLE(ae_handle_derive(one, AE_RIGHT_WAIT, 0, 0));
    CHECK_EQ(ae_irq_msi_message(one, first + 2, &m), AE_ERR_RANGE);
    CHECK_EQ(ae_irq_bind(one, first + 4, n, 1, 0), AE_ERR_RANGE);
    CHECK_EQ(ae_irq_msi_message(weak, first + 3, &m), AE_ERR_ACCESS);
    CHECK_EQ(ae_irq_bind(one, first + 3, n, 1, AE_IRQ_ISA), AE_ERR_INVAL);
    CHECK_EQ(ae_irq_ack(one, first + 3), AE_ERR_NOTFOUND);          /* not bound yet */
    CHECK_EQ(ae_irq_bind(one, first + 3, n, 2, 0), first + 3);
    CHECK_OK(ae_irq_ack(weak, first + 3));                          /* nothing to unmask */
    CHECK_OK(ae_irq_msi_message(one, first + 3, &m2));
    CHECK_EQ(m2.data, m.data + 3);
    ae_handle_close(weak);
    ae_handle_close(one);
    ae_handle_close(n);
}

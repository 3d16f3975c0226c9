#!/bin/sh
# /init of the reference Linux guest of the HTTP benchmark (bench/net/http.sh).
# Run by busybox's sh: loads virtio-net from Debian's own modules, gives eth0
# the address AetherOS takes by DHCP (QEMU user networking's 10.0.2.15/24),
# starts busybox httpd on port 80 serving /www (AetherOS httpd's page), says
# so on the console and waits. A failed step is printed and stops the guest
# short of the ready line, so the benchmark reports it instead of a figure.
B=/bin/busybox
$B mount -t proc proc /proc
$B mount -t sysfs sysfs /sys
fail() {
    $B dmesg | $B tail -n 5
    echo "LINUX-NET error: $*"
    exec $B sleep 2147483647
}
# Dependencies first: the virtio core and transport, then the driver.
for m in failover net_failover virtio_ring virtio virtio_pci_legacy_dev \
         virtio_pci_modern_dev virtio_pci virtio_net; do
    $B insmod /lib/modules/$m.ko || fail "insmod $m"
done
$B ifconfig lo 127.0.0.1 up || fail "ifconfig lo"
# The card may take a moment to register after its module loads.
n=0
until $B ifconfig eth0 10.0.2.15 netmask 255.255.255.0 up 2>/dev/null; do
    n=$((n + 1))
    [ $n -lt 100 ] || fail "no eth0"
    $B usleep 100000
done
$B httpd -p 80 -h /www || fail "httpd"
echo "LINUX-NET ready: busybox httpd on 10.0.2.15:80"
exec $B sleep 2147483647

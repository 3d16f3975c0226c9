#!/bin/sh
# `make run`: boots the image with 2 CPUs and the serial console on this
# terminal (Ctrl-A X quits QEMU). Extra QEMU arguments may follow the image.
# The network device is virtio 1.x only (disable-legacy: 1af4:1041) at
# 00:03.0, on QEMU user networking restricted to the host, with host
# 127.0.0.1:8080 forwarded to the guest's port 80.
set -eu
iso=$1
shift
accel=$(sh "$(dirname "$0")/qemu-accel.sh")
cpu=max
[ "$accel" = kvm ] && cpu=host
echo "run: booting $iso (accelerator $accel; quit with Ctrl-A X)"
exec qemu-system-x86_64 -machine q35 -accel "$accel" -cpu "$cpu" -smp 2 -m 2G \
    -nographic -no-reboot \
    -drive format=raw,file="$iso" \
    -netdev user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:8080-:80 \
    -device virtio-net-pci,netdev=net0,mac=02:00:00:00:00:01,disable-legacy=on,addr=0x3 "$@"

#!/bin/sh
# Captures the ACPI tables a QEMU machine gives the kernel, as the kernel
# sees them (the `acpidump` test image: RSDP, root table, every table it
# lists, the DSDT), in acpidump's text format, for tests/unit/data:
#   scripts/capture-acpi.sh q35 tests/unit/data/qemu_q35_seabios_acpi.txt
#   scripts/capture-acpi.sh pc  tests/unit/data/qemu_pc_seabios_acpi.txt
# Extra arguments go to QEMU. The guest exits by itself (debug_exit);
# `timeout` stops it by its PID if it does not.
set -eu
machine=$1 out=$2
shift 2
iso=build/test/acpidump.iso
make -s "$iso"
log=$(mktemp "${TMPDIR:-/tmp}/aether-acpidump.XXXXXX")
trap 'rm -f "$log"' EXIT
status=0
timeout 600 qemu-system-x86_64 -machine "$machine" -accel "$(sh scripts/qemu-accel.sh)" \
    -smp 1 -m 512M -display none -serial stdio -monitor none -no-reboot -nic none \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -drive format=raw,file="$iso" "$@" >"$log" 2>&1 || status=$?
[ "$status" = 33 ] || { echo "capture-acpi: QEMU exit status $status, see:" >&2; cat "$log" >&2; exit 1; }
{
    echo "# ACPI tables of $(qemu-system-x86_64 --version | head -n 1)"
    echo "# -machine $machine -smp 1 -m 512M${*:+ $*}, SeaBIOS, as the kernel reads them"
    echo "# (scripts/capture-acpi.sh: the acpidump boot option). acpidump text format;"
    echo "# the RSDP is the boot loader's copy (address unknown: 0)."
    echo
    sed -n '/acpidump: begin/,/acpidump: end/p' "$log" | sed '1d;$d' | tr -d '\r'
} >"$out"
grep -c ' @ 0x' "$out" | sed "s|^|capture-acpi: tables in $out: |"

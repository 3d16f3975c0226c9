#!/bin/sh
# Builds a GRUB (BIOS, multiboot2) hybrid ISO: bootable as a CD and, through
# the MBR grub-mkrescue writes, as a raw disk.
#   mkiso.sh OUT.iso KERNEL.elf normal      the image `make` builds
#   mkiso.sh OUT.iso KERNEL.elf TESTNAME    a test image (see boot/grub.cfg.in)
set -eu
out=$1 kernel=$2 variant=$3
cfg_in=boot/grub.cfg.in

if [ "$variant" = normal ]; then
    entry=normal extra=""
else
    entry=$(sed -n "s/^#test-image $variant \([a-z0-9_-]*\)\$/\1/p" "$cfg_in")
    [ -n "$entry" ] || { echo "mkiso: unknown test image '$variant'" >&2; exit 1; }
    extra=debug_exit
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/aether-iso.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/boot/grub"
cp "$kernel" "$stage/boot/aether.elf"
# User programs built beside the kernel (build/user/*.elf) go in as modules.
for prog in "$(dirname "$kernel")"/user/*.elf; do
    [ -f "$prog" ] && cp "$prog" "$stage/boot/"
done
# The V-Nodes init starts (AetherFS images, docs/AETHERFS.md) and the trust
# root they are checked against (docs/BUNDLE.md).
rds="initrd.aefs trust.root"
[ "$variant" = normal ] || rds="$rds initrd-test.aefs"     # test images only
for rd in $rds; do
    [ -f "$(dirname "$kernel")/$rd" ] && cp "$(dirname "$kernel")/$rd" "$stage/boot/"
done
sed -e "s/@DEFAULT@/$entry/" -e "s/@EXTRA@/$extra/" "$cfg_in" > "$stage/boot/grub/grub.cfg"
mkdir -p "$(dirname "$out")"
# Only the modules the menu needs: keeps the image small and quick to make.
# Every part_* map: GRUB probes the disks with each one listed at start,
# and each missing one is an error on the screen. serial and terminal:
# without them GRUB is slower to start (measured: 0.84 s from QEMU start to
# the kernel's ready line, against 1.2 s without). grub.cfg turns no GRUB
# serial terminal on: it takes 2.5 s to come up under QEMU on every boot,
# and under -nographic SeaBIOS already carries GRUB's screen and keyboard
# over the serial line.
parts=$(cd /usr/lib/grub/i386-pc && ls part_*.mod | sed 's/\.mod$//' | tr '\n' ' ')
grub-mkrescue --quiet -o "$out.tmp" \
    --install-modules="multiboot2 normal iso9660 biosdisk serial terminal $parts" \
    --locales= --fonts= --themes= "$stage" 2>"$out.log" || {
    cat "$out.log" >&2; rm -f "$out.tmp"; exit 1; }
mv "$out.tmp" "$out"
rm -f "$out.log"

#!/bin/sh
# Builds the reference Linux guest for bench/boot/run.sh under build/linux-ref/:
#
#   vmlinuz            Debian's current amd64 kernel (the one the metapackage
#                      linux-image-amd64 depends on), taken from its .deb
#   initramfs.cpio.gz  /init = bench/linux-ref/init.c (static), /dev/console
#   ipcbench.cpio.gz   the IPC benchmark's (bench/ipc): /init =
#                      linuxbench.c (static), /true = true.c, /dev/console
#   netbench.cpio.gz   the HTTP benchmark's (bench/net/http.sh): /init =
#                      netinit.sh run by busybox, the virtio-net modules of
#                      the same kernel package, /www/index.html = httpd's page
#   cmdline            the kernel command line the benchmark passes
#
# Everything comes from Debian packages: `apt-get download` + `dpkg-deb -x`,
# nothing is installed into the host for the guest. Idempotent: each step is
# skipped when its output is up to date (stamp files hold the package versions).
#
# Environment:
#   LINUXREF_BUSYBOX=1  also pack busybox (/bin/busybox, /bin/sh) into the
#                       initramfs, for debugging with `-append 'rdinit=/bin/sh'`;
#                       off by default, since it only makes the image bigger.
set -eu

cd "$(dirname "$0")/../.."
OUT=build/linux-ref
DEB=$OUT/deb
CMDLINE="console=ttyS0 quiet panic=-1"
BUSYBOX=${LINUXREF_BUSYBOX:-0}

log() { echo "linux-ref: $*"; }
die() { echo "linux-ref: error: $*" >&2; exit 1; }

# ---- host packages ---------------------------------------------------------
sh scripts/deps.sh

need_root() {
    [ "$(id -u)" -eq 0 ] && return 0
    echo "linux-ref: error: $1 needs root (apt-get), and this is uid $(id -u)." >&2
    echo "linux-ref: run as root:  $2" >&2
    exit 1
}

apt_updated=0
apt_update() {
    [ "$apt_updated" -eq 1 ] && return 0
    need_root "refreshing the package lists" "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -q || die "apt-get update failed"
    apt_updated=1
}

# Extra packages of this script only: libc6-dev for the static libc.a the
# init program links against.
EXTRA="libc6-dev"
missing=""
for p in $EXTRA; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    need_root "installing$missing" "apt-get install -y$missing"
    apt_update
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing \
        || die "apt-get install failed for:$missing"
fi

# ---- resolving the packages ------------------------------------------------
# The real kernel package behind the metapackage, e.g. linux-image-6.1.0-56-amd64.
resolve_kernel_pkg() {
    apt-cache depends linux-image-amd64 2>/dev/null |
        sed -n 's/^ *Depends: <\{0,1\}\(linux-image-[0-9][^ >]*\)>\{0,1\}$/\1/p' | head -n 1
}
candidate_version() {
    apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p' | head -n 1
}

KPKG=$(resolve_kernel_pkg)
if [ -z "$KPKG" ] || [ -z "$(candidate_version "$KPKG")" ] \
   || [ "$(candidate_version busybox-static)" = "" ] \
   || [ "$(candidate_version busybox-static)" = "(none)" ]; then
    log "package lists do not know linux-image-amd64 / busybox-static: refreshing them"
    apt_update
    KPKG=$(resolve_kernel_pkg)
fi
[ -n "$KPKG" ] || die "cannot resolve the package linux-image-amd64 depends on (apt-cache depends linux-image-amd64)"
KVER=$(candidate_version "$KPKG")
BVER=$(candidate_version busybox-static)
case "$KVER" in ""|"(none)") die "no installable version of $KPKG";; esac
case "$BVER" in ""|"(none)") die "no installable version of busybox-static";; esac
log "kernel package: $KPKG $KVER (from linux-image-amd64); busybox-static $BVER"

mkdir -p "$OUT" "$DEB"

# fetch PKG VERSION: downloads PKG's .deb into $DEB (once) and prints its path.
fetch() {
    pkg=$1 ver=$2
    # apt writes the epoch's ':' as %3a in file names.
    file="$DEB/${pkg}_$(echo "$ver" | sed 's/:/%3a/')_amd64.deb"
    if [ ! -s "$file" ]; then
        log "downloading $pkg=$ver" >&2
        # Remove other versions of the same package first.
        rm -f "$DEB/${pkg}_"*.deb
        # As root, apt would drop to the _apt user, who cannot write here.
        sandbox=""
        [ "$(id -u)" -eq 0 ] && sandbox="-o APT::Sandbox::User=root"
        # shellcheck disable=SC2086
        (cd "$DEB" && apt-get download -q $sandbox "$pkg=$ver" >&2) || die "apt-get download $pkg=$ver failed"
        [ -s "$file" ] || file=$(ls "$DEB/${pkg}_"*_amd64.deb 2>/dev/null | head -n 1)
        [ -s "$file" ] || die "downloaded .deb of $pkg not found in $DEB"
    fi
    echo "$file"
}

# ---- kernel ----------------------------------------------------------------
kstamp="$KPKG $KVER"
if [ -s "$OUT/vmlinuz" ] && [ "$(cat "$OUT/.kernel.stamp" 2>/dev/null)" = "$kstamp" ]; then
    log "vmlinuz up to date ($kstamp)"
else
    kdeb=$(fetch "$KPKG" "$KVER")
    log "unpacking $(basename "$kdeb")"
    tree="$OUT/kernel-tree"
    rm -rf "$tree"
    dpkg-deb -x "$kdeb" "$tree"
    kimg=$(ls "$tree"/boot/vmlinuz-* 2>/dev/null | head -n 1)
    [ -n "$kimg" ] || die "no boot/vmlinuz-* in $kdeb"
    cp "$kimg" "$OUT/vmlinuz.tmp" && mv "$OUT/vmlinuz.tmp" "$OUT/vmlinuz"
    kcfg=$(ls "$tree"/boot/config-* 2>/dev/null | head -n 1)
    [ -n "$kcfg" ] && cp "$kcfg" "$OUT/config"
    basename "$kimg" | sed 's/^vmlinuz-//' > "$OUT/kernel-release"
    # The modules (hundreds of MB) are not needed: everything the guest uses
    # (8250 serial, initramfs, ACPI power-off) is built in.
    rm -rf "$tree"
    echo "$kstamp" > "$OUT/.kernel.stamp"
fi

# ---- busybox ---------------------------------------------------------------
bstamp="busybox-static $BVER"
if [ -s "$OUT/busybox" ] && [ "$(cat "$OUT/.busybox.stamp" 2>/dev/null)" = "$bstamp" ]; then
    log "busybox up to date ($bstamp)"
else
    bdeb=$(fetch busybox-static "$BVER")
    log "unpacking $(basename "$bdeb")"
    tree="$OUT/busybox-tree"
    rm -rf "$tree"
    dpkg-deb -x "$bdeb" "$tree"
    [ -x "$tree/bin/busybox" ] || die "no bin/busybox in $bdeb"
    cp "$tree/bin/busybox" "$OUT/busybox"
    rm -rf "$tree"
    echo "$bstamp" > "$OUT/.busybox.stamp"
fi

# ---- init ------------------------------------------------------------------
SRC=bench/linux-ref/init.c
if [ -x "$OUT/init" ] && [ ! "$SRC" -nt "$OUT/init" ] && [ ! "$0" -nt "$OUT/init" ] \
   && [ ! bench/linux-ref/console.h -nt "$OUT/init" ]; then
    log "init up to date"
else
    log "compiling $SRC"
    gcc -static -O2 -s -Wall -Wextra -Werror -o "$OUT/init.tmp" "$SRC"
    mv "$OUT/init.tmp" "$OUT/init"
fi

# ---- initramfs -------------------------------------------------------------
spec="$OUT/initramfs.spec"
{
    echo "# generated by bench/linux-ref/build.sh"
    echo "dir /dev 0755"
    echo "nod /dev/console 0600 c 5 1"
    echo "dir /proc 0555"
    echo "file /init 0755 $OUT/init"
    if [ "$BUSYBOX" = 1 ]; then
        echo "dir /bin 0755"
        echo "file /bin/busybox 0755 $OUT/busybox"
        echo "slink /bin/sh busybox"
    fi
} > "$spec.new"
if [ -s "$OUT/initramfs.cpio.gz" ] && cmp -s "$spec.new" "$spec" \
   && [ ! "$OUT/init" -nt "$OUT/initramfs.cpio.gz" ] \
   && { [ "$BUSYBOX" != 1 ] || [ ! "$OUT/busybox" -nt "$OUT/initramfs.cpio.gz" ]; } \
   && [ ! bench/linux-ref/mkinitramfs.py -nt "$OUT/initramfs.cpio.gz" ]; then
    rm -f "$spec.new"
    log "initramfs up to date"
else
    mv "$spec.new" "$spec"
    log "packing initramfs (busybox: $([ "$BUSYBOX" = 1 ] && echo yes || echo no))"
    python3 bench/linux-ref/mkinitramfs.py "$spec" "$OUT/initramfs.cpio.gz"
fi

# pack_initramfs SPEC OUTPUT WHAT DEP...: packs SPEC.new into OUTPUT unless
# OUTPUT exists, the spec is the same as last time and no DEP (nor the
# packer) is newer than OUTPUT.
pack_initramfs() {
    pk_spec=$1 pk_out=$2 pk_what=$3
    shift 3
    pk_fresh=0
    if [ -s "$pk_out" ] && cmp -s "$pk_spec.new" "$pk_spec"; then
        pk_fresh=1
    fi
    for pk_dep in "$@" bench/linux-ref/mkinitramfs.py; do
        if [ "$pk_dep" -nt "$pk_out" ]; then
            pk_fresh=0
        fi
    done
    if [ "$pk_fresh" = 1 ]; then
        rm -f "$pk_spec.new"
        log "$pk_what up to date"
    else
        mv "$pk_spec.new" "$pk_spec"
        log "packing $pk_what"
        python3 bench/linux-ref/mkinitramfs.py "$pk_spec" "$pk_out"
    fi
}

# ---- IPC benchmark image (bench/ipc/run.sh) --------------------------------
# A second initramfs, so the boot benchmark's stays as it was: /init =
# linuxbench.c (static), /true = true.c and /tsc = tsc.c (static, no libc),
# /dev/console.
# build_prog OUT SRC GCC-FLAGS...: compiles SRC when OUT is missing or older.
build_prog() {
    bp_out=$1 bp_src=$2
    shift 2
    if [ -x "$bp_out" ] && [ ! "$bp_src" -nt "$bp_out" ] && [ ! "$0" -nt "$bp_out" ] \
       && [ ! bench/linux-ref/console.h -nt "$bp_out" ]; then
        log "$(basename "$bp_out") up to date"
    else
        log "compiling $bp_src"
        gcc "$@" -o "$bp_out.tmp" "$bp_src"
        mv "$bp_out.tmp" "$bp_out"
    fi
}
build_prog "$OUT/linuxbench" bench/linux-ref/linuxbench.c \
    -static -O2 -s -pthread -Wall -Wextra -Werror
for prog in true tsc; do
    build_prog "$OUT/$prog" bench/linux-ref/$prog.c \
        -static -nostdlib -O2 -s -fno-stack-protector -fno-asynchronous-unwind-tables \
        -Wall -Wextra -Werror
done

bspec="$OUT/ipcbench.spec"
{
    echo "# generated by bench/linux-ref/build.sh"
    echo "dir /dev 0755"
    echo "nod /dev/console 0600 c 5 1"
    echo "dir /proc 0555"
    echo "file /init 0755 $OUT/linuxbench"
    echo "file /true 0755 $OUT/true"
    echo "file /tsc 0755 $OUT/tsc"
} > "$bspec.new"
pack_initramfs "$bspec" "$OUT/ipcbench.cpio.gz" "the IPC benchmark initramfs" \
    "$OUT/linuxbench" "$OUT/true" "$OUT/tsc"

# ---- HTTP benchmark image (bench/net/http.sh) -------------------------------
# Debian builds virtio-net as modules; only those it needs are taken from the
# kernel's .deb (the rest of /lib/modules is hundreds of MB).
NETMODS="failover net_failover virtio virtio_ring virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_net"
mstamp="$KPKG $KVER $NETMODS"
if [ -s "$OUT/modules/virtio_net.ko" ] && [ "$(cat "$OUT/.modules.stamp" 2>/dev/null)" = "$mstamp" ]; then
    log "virtio-net modules up to date"
else
    kdeb=$(fetch "$KPKG" "$KVER")
    log "taking the virtio-net modules from $(basename "$kdeb")"
    rm -rf "$OUT/modules" "$OUT/modules-tree"
    mkdir -p "$OUT/modules" "$OUT/modules-tree"
    pats=""
    for m in $NETMODS; do pats="$pats */$m.ko"; done
    # shellcheck disable=SC2086
    dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$OUT/modules-tree" --wildcards $pats \
        || die "virtio-net modules not found in $kdeb"
    for m in $NETMODS; do
        f=$(find "$OUT/modules-tree" -name "$m.ko" | head -n 1)
        [ -n "$f" ] || die "no $m.ko in $kdeb"
        cp "$f" "$OUT/modules/$m.ko"
    done
    rm -rf "$OUT/modules-tree"
    echo "$mstamp" > "$OUT/.modules.stamp"
fi

nspec="$OUT/netbench.spec"
{
    echo "# generated by bench/linux-ref/build.sh"
    echo "dir /dev 0755"
    echo "nod /dev/console 0600 c 5 1"
    echo "dir /proc 0555"
    echo "dir /sys 0555"
    echo "dir /bin 0755"
    echo "file /bin/busybox 0755 $OUT/busybox"
    echo "slink /bin/sh busybox"
    echo "file /init 0755 bench/linux-ref/netinit.sh"
    echo "dir /lib 0755"
    echo "dir /lib/modules 0755"
    for m in $NETMODS; do echo "file /lib/modules/$m.ko 0644 $OUT/modules/$m.ko"; done
    echo "dir /www 0755"
    echo "file /www/index.html 0644 user/vnodes/httpd/index.html"
} > "$nspec.new"
pack_initramfs "$nspec" "$OUT/netbench.cpio.gz" "the HTTP benchmark initramfs" \
    "$OUT/busybox" "$OUT/modules/virtio_net.ko" bench/linux-ref/netinit.sh \
    user/vnodes/httpd/index.html

echo "$CMDLINE" > "$OUT/cmdline"
log "ready: $OUT/vmlinuz ($(cat "$OUT/kernel-release")), $OUT/initramfs.cpio.gz ($(wc -c < "$OUT/initramfs.cpio.gz") bytes), cmdline '$CMDLINE'"

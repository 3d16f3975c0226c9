#!/bin/sh
# Trust-check benchmark (bench/crypto/README.md): what checking signed
# bundles costs in AetherOS, next to the same code and libsodium on the
# host. Three parts, printed in turn; it never passes or fails on figures
# (non-zero exit only if a guest does not finish or an input cannot be built).
#   1. user/cryptobench as init of the "cryptobench" test image, under QEMU
#      TCG -icount shift=0 -smp 1 (TSC = instructions: figures repeat
#      exactly): SHA-256 per byte, Merkle leaf and root, Ed25519 verify.
#   2. make run's image under the same -icount: init's "verified NAME"
#      lines, the cost of checking each bundle at its first start
#      (signatures, every block read, the copy into init), beside the
#      start itself ("started" lines are not timed; see bench/ipc's
#      elf_spawn_to_main for a V-Node start).
#   3. build/bench/crypto_host: the same crypto and libsodium on the host
#      (cycles, with SHA-NI where the host has it).
# Environment: BUILD=dir (default build), CRYPTO_TIMEOUT=S (default 900).
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
TIMEOUT=${CRYPTO_TIMEOUT:-900}

make -s BUILD="$BUILD" "$BUILD/test/cryptobench.iso" "$BUILD/aetheros.iso" "$BUILD/bench/crypto_host"
work=$(mktemp -d "${TMPDIR:-/tmp}/aether-cryptobench.XXXXXX")
qpid=""
cleanup() { [ -n "$qpid" ] && kill "$qpid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# icount_boot ISO PATTERN: boots a private copy under -icount until a line
# matches PATTERN (or TIMEOUT), output in $work/out.
icount_boot() {
    cp "$1" "$work/img.iso"
    : > "$work/out"
    qemu-system-x86_64 -machine q35 -accel tcg -icount shift=0 -cpu max -smp 1 -m 512M \
        -display none -serial "file:$work/out" -monitor none -no-reboot -nic none \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -drive format=raw,file="$work/img.iso" 2>"$work/err" &
    qpid=$!
    waited=0
    until grep -q -E "$2" "$work/out"; do
        if ! kill -0 "$qpid" 2>/dev/null; then break; fi
        if [ "$waited" -ge "$TIMEOUT" ]; then
            echo "crypto bench: no /$2/ within $TIMEOUT s" >&2; exit 1
        fi
        sleep 1; waited=$((waited + 1))
    done
    kill "$qpid" 2>/dev/null || true
    wait "$qpid" 2>/dev/null || true
    qpid=""
    grep -q -E "$2" "$work/out" || { echo "crypto bench: guest ended without /$2/" >&2; exit 1; }
    tr -d '\r' < "$work/out" > "$work/out.txt" && mv "$work/out.txt" "$work/out"
}

echo "== in AetherOS (QEMU TCG -icount shift=0 -smp 1: ticks = instructions)"
icount_boot "$BUILD/test/cryptobench.iso" 'cryptobench: (done|error)'
grep -q 'cryptobench: error' "$work/out" && { grep 'cryptobench: error' "$work/out" >&2; exit 1; }
sed -n 's/.*cryptobench: //p' "$work/out" | grep -v -e '^done' -e '^tsc_hz'
# The per-byte and per-second figures, from the medians above.
sed -n 's/.*cryptobench: \([a-z0-9_]*\) median=\([0-9]*\) .*bytes=\([0-9]*\)$/\1 \2 \3/p' "$work/out" |
    awk '$3 > 0 { printf "  %-22s %6.2f instructions/byte\n", $1, $2 / $3 }
         $1 == "ed25519_verify" { printf "  %-22s %6.0f verifies/s at 1 instruction/ns\n", $1, 1e9 / $2 }'

echo "== a V-Node's first start in AetherOS: checking its bundle (same -icount)"
icount_boot "$BUILD/aetheros.iso" 'init: ready'
sed -n 's/.*\(init: verified .*\)/  \1/p' "$work/out"
echo "  (kcycles = thousands of instructions here; a restart reuses the checked copy: 0)"

echo "== on the host: the same code and libsodium (TSC cycles)"
"$BUILD/bench/crypto_host"

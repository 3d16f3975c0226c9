#!/bin/sh
# Boot benchmark: AetherOS against a reference Linux guest, in the same QEMU
# configuration. Prints figures and writes build/bench/boot.json; it never
# passes or fails on time (non-zero exit only if a guest does not boot or an
# input cannot be built). See bench/README.md.
#
# Environment:
#   RUNS=N              boots per guest (default 10)
#   ACCEL=tcg|kvm       accelerator (default: kvm only with VMX/SVM and a usable
#                       /dev/kvm, else tcg); the -icount runs are always tcg
#   BENCH_ONLY=aether|linux   boot one guest only
#   BENCH_ICOUNT=0      skip the instruction-counted runs
#   AETHER_ISO=path     boot this image instead of building build/aetheros.iso
#   BOOT_TIMEOUT=S      seconds to wait for a ready line (default 300)
#   SHELL_CMDS=N        AetherOS shell command round trips to time (default
#                       50; 0: none)
set -eu

cd "$(dirname "$0")/../.."

RUNS=${RUNS:-10}
ONLY=${BENCH_ONLY:-all}
TIMEOUT=${BOOT_TIMEOUT:-300}
case "$RUNS" in ''|*[!0-9]*) echo "bench: RUNS must be a number, not '$RUNS'" >&2; exit 2;; esac
case "$ONLY" in all|aether|linux) ;; *) echo "bench: BENCH_ONLY must be aether or linux" >&2; exit 2;; esac

ISO=${AETHER_ISO:-build/aetheros.iso}
if [ "$ONLY" != linux ]; then
    if [ -z "${AETHER_ISO:-}" ]; then
        make -s build/aetheros.iso
    fi
    [ -f "$ISO" ] || { echo "bench: $ISO not found" >&2; exit 1; }
fi
if [ "$ONLY" != aether ]; then
    sh bench/linux-ref/build.sh
fi

SHELL_CMDS=${SHELL_CMDS:-50}
case "$SHELL_CMDS" in ''|*[!0-9]*) echo "bench: SHELL_CMDS must be a number" >&2; exit 2;; esac
set -- --runs "$RUNS" --iso "$ISO" --only "$ONLY" --timeout "$TIMEOUT" \
    --shell-cmds "$SHELL_CMDS" --out build/bench/boot.json
[ "${BENCH_ICOUNT:-1}" = 0 ] && set -- "$@" --no-icount

# The driver stops every QEMU it starts by PID, on success, timeout, error,
# SIGINT, SIGTERM and SIGHUP (and its QEMUs get SIGKILL from the kernel if it
# dies outright). It runs in the background so that this shell can pass a
# signal on to it and wait for its cleanup.
PYTHONDONTWRITEBYTECODE=1 python3 bench/boot/boot_bench.py "$@" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; exit 130' INT TERM HUP
rc=0
wait "$pid" || rc=$?
trap - INT TERM HUP
exit "$rc"

#!/bin/sh
# IPC benchmark: AetherOS's primitives (user/ipcbench, as init of the
# "ipcbench" test image) against the same things on the reference Linux guest
# (bench/linux-ref/linuxbench.c), both under QEMU -icount on one CPU, plus an
# indicative -smp 2 run. Prints a table and writes $BUILD/bench/ipc.json; it
# never passes or fails on the figures (non-zero exit only if a guest does not
# finish or an input cannot be built). See bench/README.md.
#
# Environment:
#   BUILD=dir           AetherOS build directory (default build), as for make
#   BENCH_ONLY=aether|linux   run one guest only
#   BENCH_SMP=0         skip the -smp 2 runs
#   BENCH_SEQUENTIAL=1  run the two -icount guests one after the other
#                       (default: at once; their figures do not depend on it)
#   ACCEL=tcg|kvm       accelerator of the -smp 2 runs (default: kvm only with
#                       VMX/SVM and a usable /dev/kvm); -icount runs are tcg
#   IPC_TIMEOUT=S       seconds to wait for a guest's "done" line (default 1800)
set -eu

cd "$(dirname "$0")/../.."

BUILD=${BUILD:-build}
ONLY=${BENCH_ONLY:-all}
TIMEOUT=${IPC_TIMEOUT:-1800}
case "$ONLY" in all|aether|linux) ;; *) echo "ipc bench: BENCH_ONLY must be aether or linux" >&2; exit 2;; esac
case "$TIMEOUT" in ''|*[!0-9]*) echo "ipc bench: IPC_TIMEOUT must be a number of seconds" >&2; exit 2;; esac

ISO=$BUILD/test/ipcbench.iso
if [ "$ONLY" != linux ]; then
    make -s BUILD="$BUILD" "$ISO"
    [ -f "$ISO" ] || { echo "ipc bench: $ISO not found" >&2; exit 1; }
fi
if [ "$ONLY" != aether ]; then
    sh bench/linux-ref/build.sh
fi

set -- --iso "$ISO" --only "$ONLY" --timeout "$TIMEOUT" --out "$BUILD/bench/ipc.json"
[ "${BENCH_SMP:-1}" = 0 ] && set -- "$@" --no-smp
[ "${BENCH_SEQUENTIAL:-0}" = 1 ] && set -- "$@" --sequential

# The driver stops every QEMU it starts by PID, on success, timeout, error,
# SIGINT, SIGTERM and SIGHUP. It runs in the background so that this shell
# can pass a signal on to it and wait for its cleanup.
PYTHONDONTWRITEBYTECODE=1 python3 bench/ipc/ipc_bench.py "$@" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; exit 130' INT TERM HUP
rc=0
wait "$pid" || rc=$?
trap - INT TERM HUP
exit "$rc"

#!/bin/sh
# HTTP requests per second and latency percentiles: wrk against AetherOS's
# httpd and, in the same run and QEMU configuration, the reference Linux
# guest's busybox httpd serving the same file (bench/README.md, "Network:
# HTTP"). Builds both guests first. WRK_DURATION (s, default 30) and
# WRK_CONNS (default 16) change the wrk run.
set -eu
cd "$(dirname "$0")/../.."
sh scripts/deps.sh
make -s build/aetheros.iso
sh bench/linux-ref/build.sh
exec python3 bench/net/http_bench.py

#!/bin/sh
# Bytes copied per packet on the socket path and the zero-copy path
# (bench/README.md, "Network"). Builds the image first.
set -eu
cd "$(dirname "$0")/../.."
make -s build/aetheros.iso
exec python3 bench/net/copies.py

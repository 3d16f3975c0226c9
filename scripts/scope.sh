#!/bin/sh
# `make scope`: boots the image like `make run`, with the guest's second
# serial port (COM2, where the scope V-Node streams the kernel's trace
# rings) on a loopback socket, and the aether-scope dashboard reading it
# (docs/TRACE.md). The dashboard's address is printed before the boot; the
# raw stream is also saved to build/scope.stream (aether-scope export turns
# it into a Perfetto trace). Quit QEMU with Ctrl-A X; the dashboard stops
# with it.
#   SCOPE_PORT=N         the dashboard's port on 127.0.0.1 (default 7070)
#   SCOPE_STREAM_PORT=N  the COM2 socket's port on 127.0.0.1 (default 5555)
set -eu
iso=$1
build=$(dirname "$iso")
http=${SCOPE_PORT:-7070}
stream=${SCOPE_STREAM_PORT:-5555}
case "$http$stream" in *[!0-9]*) echo "scope: ports must be numbers" >&2; exit 2;; esac

"$build/tools/aether-scope" --connect "127.0.0.1:$stream" --port "$http" \
    --record "$build/scope.stream" &
scope_pid=$!
trap 'kill "$scope_pid" 2>/dev/null; wait "$scope_pid" 2>/dev/null' EXIT INT TERM HUP
echo "scope: dashboard at http://127.0.0.1:$http/ (stream saved to $build/scope.stream)"
sh "$(dirname "$0")/run-qemu.sh" "$iso" \
    -chardev "socket,id=scope,host=127.0.0.1,port=$stream,server=on,wait=off" \
    -serial mon:stdio -serial chardev:scope

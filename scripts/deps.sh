#!/bin/sh
# Installs the Debian packages that building, running and testing AetherOS
# need, and only those that are missing. Called by make before every target
# that needs them; a no-op (a few dpkg queries) when everything is present.
set -eu

# curl: the network tests fetch from httpd as a host user would. wrk: the
# HTTP benchmark (bench/net/http.sh).
# chromium and nodejs (+ npm): the browser test of aether-scope's page
# (playwright-core from the npm registry drives Debian's chromium).
PKGS="gcc make binutils python3 qemu-system-x86 grub-pc-bin grub-common \
xorriso mtools libcmocka-dev libsodium-dev python3-cryptography-vectors \
chromium nodejs curl wrk"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done
# Debian's nodejs comes without npm (a package of its own); other builds of
# nodejs (NodeSource's) include it and conflict with Debian's npm.
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -z "$missing" ] && exit 0

echo "deps: installing missing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "deps: error: packages missing ($missing) and not running as root." >&2
        echo "deps: run as root:  apt-get install -y$missing" >&2
        exit 1
    fi
else
    SUDO=""
fi
export DEBIAN_FRONTEND=noninteractive
# An old package list makes installs fail with 404s; refresh it first.
$SUDO apt-get update -q || { echo "deps: error: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing || {
    echo "deps: error: apt-get install failed for:$missing" >&2; exit 1; }

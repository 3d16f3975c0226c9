#!/bin/sh
# Builds the `vnodes` test image's initrd (docs/TESTING.md, SHL0013 and
# SHL0015): the normal bundles plus
#   crashloop, toobig  signed like the others; they misbehave at run time
#   tampered   signed, then one byte of its binary changed in the image
#   rogue      signed by two keys the trust root does not list
#   lonely     signed by one key of the two needed
#   forged     signed by two listed keys, one signature then corrupted
#   oldie      version 0.0.1 where the high-water mark says 0.2.0
#   trust/2    a good rotation: the dev keys plus dev4, 2 of 4, signed by
#              dev1 and dev2 (2 of the old root, 2 of its own)
#   trust/3    a forged one: signed by dev1 alone (1 of the 2 needed)
# usage: mk-test-initrd.sh BUILD OUT BUNDLE...
set -eu
build=$1 out=$2
shift 2
pack=$build/tools/aether-pack
mkfs=$build/tools/aether-mkfs
keys=$build/keys
work=$build/test-initrd
rm -rf "$work"
mkdir -p "$work"
quiet() { "$@" >/dev/null; }

# Keys the trust root does not list (made once, like the dev keys).
for k in dev4 rogue1 rogue2; do
    [ -f "$keys/$k.key" ] || quiet "$pack" keygen "$keys/$k"
done

# bundle NAME VERSION KEY...: crashloop's binary under another name.
bundle() {
    name=$1 version=$2
    shift 2
    mkdir -p "$work/$name"
    cp "$build/pack/crashloop/crashloop.elf" "$work/$name/crashloop.elf"
    sed -e "s/^name = .*/name = $name/" -e "s/^version = .*/version = $version/" \
        "$build/pack/crashloop/manifest" > "$work/$name/manifest"
    quiet "$pack" pack -o "$work/$name.vnode" "$work/$name"
    for k in "$@"; do
        quiet "$pack" sign -k "$keys/$k.key" "$work/$name.vnode"
    done
}

bundle crashloop 0.1.0 dev1 dev2
mkdir -p "$work/toobig-src"
cp "$build/pack/crashloop/crashloop.elf" "$work/toobig-src/toobig.elf"
cp user/vnodes-test/toobig/manifest "$work/toobig-src/manifest"
quiet "$pack" pack -o "$work/toobig.vnode" "$work/toobig-src"
quiet "$pack" sign -k "$keys/dev1.key" "$work/toobig.vnode"
quiet "$pack" sign -k "$keys/dev2.key" "$work/toobig.vnode"
bundle tampered 0.1.0 dev1 dev2
bundle rogue 0.1.0 rogue1 rogue2
bundle lonely 0.1.0 dev1
bundle forged 0.1.0 dev1 dev2
bundle oldie 0.0.1 dev1 dev2
# forged: byte 8 of the second signature's Ed25519 signature (header 104
# bytes, each signature 96: key 32, signature 64).
python3 - "$work/forged.vnode" <<'PY'
import sys
with open(sys.argv[1], 'r+b') as f:
    f.seek(104 + 96 + 32 + 8)
    b = f.read(1)
    f.seek(104 + 96 + 32 + 8)
    f.write(bytes([b[0] ^ 0x80]))
PY

quiet "$pack" trust new -k 2 --version 2 -o "$work/trust2.root" \
    "$keys/dev1.pub" "$keys/dev2.pub" "$keys/dev3.pub" "$keys/dev4.pub"
quiet "$pack" trust sign -k "$keys/dev1.key" "$work/trust2.root"
quiet "$pack" trust sign -k "$keys/dev2.key" "$work/trust2.root"
quiet "$pack" trust new -k 1 --version 3 -o "$work/trust3.root" "$keys/dev1.pub" "$keys/rogue1.pub"
quiet "$pack" trust sign -k "$keys/dev1.key" "$work/trust3.root"

cp "$build/hwm" "$work/hwm"
echo "oldie 0.2.0" >> "$work/hwm"
LC_ALL=C sort -o "$work/hwm" "$work/hwm"

"$mkfs" -o "$out.tmp" --hwm "$work/hwm" --trust "$work/trust2.root" --trust "$work/trust3.root" \
    "$@" "$work/crashloop.vnode" "$work/toobig.vnode" "$work/tampered.vnode" \
    "$work/rogue.vnode" "$work/lonely.vnode" "$work/forged.vnode" "$work/oldie.vnode"
# The binary is the payload's first file (4096: after the directory block).
quiet python3 tests/system/aefs_tamper.py "$out.tmp" vnodes/tampered 4200
mv "$out.tmp" "$out"

#!/usr/bin/env python3
"""Changes one byte of an entry's data inside an AetherFS image, as a
corrupt disk or an attacker would: aefs_tamper.py IMAGE ENTRY OFFSET.
The test image uses it to hold a bundle whose content no longer matches
its signed root (docs/TESTING.md). Layouts: include/aether/aefs.h."""
import struct
import sys

BLOCK = 4096


def main():
    path, name, offset = sys.argv[1], sys.argv[2].encode(), int(sys.argv[3], 0)
    with open(path, 'r+b') as f:
        img = bytearray(f.read())
        magic, fmt, bs, nblocks, nblobs, nentries, blob_table, entry_table = \
            struct.unpack_from('<8sIIQIIQQ', img, 0)
        if magic != b'AETHERFS' or bs != BLOCK:
            sys.exit(f'{path}: not an AetherFS image')
        for i in range(nentries):
            rec = entry_table * BLOCK + 64 * i
            ename = img[rec:rec + 40].rstrip(b'\0')
            kind, blob = struct.unpack_from('<II', img, rec + 40)
            if ename != name:
                continue
            root = img[blob_table * BLOCK + 64 * blob:][:32]
            size, data = struct.unpack_from('<QQ', img, blob_table * BLOCK + 64 * blob + 32)
            if offset >= size:
                sys.exit(f'{name.decode()}: offset {offset} past its {size} bytes')
            img[data * BLOCK + offset] ^= 0x01
            f.seek(0)
            f.write(img)
            print(f'aefs_tamper: flipped bit 0 of byte {offset} of {name.decode()} '
                  f'(blob {root.hex()[:16]})')
            return
        sys.exit(f'{path}: no entry {name.decode()}')


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Writes N bytes of a fixed pseudo-random pattern to stdout: block k of
32 bytes is SHA-256(b'aetheros-www' + k as 8 little-endian bytes). httpd's
bundle carries 16 MiB of it (big16m.bin); the tests compute the same."""
import hashlib
import sys


def pattern(n):
    out = bytearray()
    k = 0
    while len(out) < n:
        out += hashlib.sha256(b'aetheros-www' + k.to_bytes(8, 'little')).digest()
        k += 1
    return bytes(out[:n])


if __name__ == '__main__':
    sys.stdout.buffer.write(pattern(int(sys.argv[1])))

#!/usr/bin/env python3
"""Writes a gzip-compressed cpio "newc" archive (a Linux initramfs) from a
spec, without needing root for device nodes and with fixed timestamps, so the
same inputs give the same bytes.

Spec: one entry per line, '#' comments and blank lines ignored:

    dir   <path> <mode>
    nod   <path> <mode> c|b <major> <minor>
    file  <path> <mode> <host-file>
    slink <path> <target>

Modes are octal. Owner is always root (0:0).

Usage: mkinitramfs.py SPEC OUTPUT.cpio.gz
"""
import gzip
import os
import stat
import sys

_NEWC_MAGIC = b"070701"


def _pad4(n):
    return (4 - n % 4) % 4


def _entry(ino, mode, name, data=b"", nlink=1, rdevmajor=0, rdevminor=0):
    name_b = name.encode() + b"\0"
    fields = (ino, mode, 0, 0, nlink, 0, len(data), 0, 0,
              rdevmajor, rdevminor, len(name_b), 0)
    hdr = _NEWC_MAGIC + b"".join(b"%08X" % f for f in fields)
    out = hdr + name_b + b"\0" * _pad4(len(hdr) + len(name_b))
    out += data + b"\0" * _pad4(len(data))
    return out


def build(spec_lines, base_dir="."):
    """Returns the uncompressed newc archive for the given spec lines."""
    parts = []
    ino = 1
    for lineno, raw in enumerate(spec_lines, 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        f = line.split()
        kind, path = f[0], f[1].lstrip("/")
        try:
            if kind == "dir":
                parts.append(_entry(ino, stat.S_IFDIR | int(f[2], 8), path, nlink=2))
            elif kind == "nod":
                typ = {"c": stat.S_IFCHR, "b": stat.S_IFBLK}[f[3]]
                parts.append(_entry(ino, typ | int(f[2], 8), path,
                                    rdevmajor=int(f[4]), rdevminor=int(f[5])))
            elif kind == "file":
                with open(os.path.join(base_dir, f[3]), "rb") as fh:
                    data = fh.read()
                parts.append(_entry(ino, stat.S_IFREG | int(f[2], 8), path, data))
            elif kind == "slink":
                parts.append(_entry(ino, stat.S_IFLNK | 0o777, path, f[2].encode()))
            else:
                raise ValueError("unknown entry type %r" % kind)
        except (IndexError, KeyError, ValueError) as e:
            raise SystemExit("mkinitramfs: spec line %d: %r: %s" % (lineno, raw.rstrip(), e))
        ino += 1
    parts.append(_entry(0, 0, "TRAILER!!!"))
    return b"".join(parts)


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    spec, out = argv[1], argv[2]
    with open(spec) as fh:
        archive = build(fh.readlines())
    tmp = out + ".tmp"
    # mtime=0 keeps the gzip header free of the build time.
    with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                                               compresslevel=9, mtime=0) as gz:
        gz.write(archive)
    os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""Builds the initrd: a cpio "newc" archive of V-Node directories.

    mkinitrd.py -o OUT [NAME=]DIR...

Each DIR holds one V-Node's files as they are to be shipped: its manifest
and the binary the manifest names, plus anything else (subdirectories
too). NAME (by default DIR's own name) is the V-Node's name; every file
under DIR goes in as vnodes/NAME/<path below DIR>. The archive holds, in
this order: the directory "vnodes", then for each V-Node by name its
directory and its entries, depth first, each directory's entries sorted
by name (bytes), then the trailer.

The output depends on the files' contents and names only: every entry
has mtime 0, uid and gid 0, mode 0100644 (files) or 040755 (directories),
inode numbers 1, 2, ... in archive order. docs/USERSPACE.md describes the
format byte by byte; user/lib/cpio.c reads it.

Checks (an error names the file): NAME is [a-z][a-z0-9-]{0,23} and
unique; DIR has a file "manifest" whose "name" is NAME and whose "binary"
names a file in DIR; only regular files and directories (no symbolic
links, devices, ...); every path is valid UTF-8 without NUL; every file
is below 4 GiB (the format's size field is 32 bits).
"""
import argparse
import os
import re
import stat
import sys

NAME_RE = re.compile(r'[a-z][a-z0-9-]{0,23}\Z')
MODE_FILE = 0o100644
MODE_DIR = 0o040755
TRAILER = 'TRAILER!!!'
MAX_FILE = 0xffffffff


class InitrdError(Exception):
    pass


def pad4(n):
    return b'\0' * (-n % 4)


def header(ino, mode, nlink, size, name):
    """One newc header, its name and the name's padding. Field order:
    ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor
    rdevminor namesize check, each 8 uppercase hex digits."""
    encoded = name.encode('utf-8') + b'\0'
    fields = (ino, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, len(encoded), 0)
    h = b'070701' + b''.join(b'%08X' % f for f in fields) + encoded
    return h + pad4(len(h))


def manifest_values(path):
    """The "name" and "binary" of a manifest, read loosely (the C parser in
    user/lib/manifest.c is the strict one): key = value, # comments."""
    values = {}
    try:
        with open(path, 'rb') as f:
            text = f.read().decode('utf-8')
    except (OSError, UnicodeDecodeError) as e:
        raise InitrdError(f'{path}: cannot read: {e}')
    for line in text.splitlines():
        key, eq, value = line.split('#', 1)[0].partition('=')
        if eq and key.strip() in ('name', 'binary'):
            values[key.strip()] = value.strip()
    return values


def check_vnode(name, top):
    if not NAME_RE.match(name):
        raise InitrdError(f'{top}: V-Node name "{name}" is not [a-z][a-z0-9-]{{0,23}}')
    manifest = os.path.join(top, 'manifest')
    if not os.path.isfile(manifest):
        raise InitrdError(f'{top}: no manifest')
    values = manifest_values(manifest)
    if values.get('name') != name:
        raise InitrdError(f'{manifest}: name is "{values.get("name")}", not "{name}"')
    binary = values.get('binary', '')
    if not binary or '/' in binary or not os.path.isfile(os.path.join(top, binary)):
        raise InitrdError(f'{manifest}: binary "{binary}" is not a file in {top}')


def walk(top, rel=''):
    """(relative path, full path, is_dir) of everything under top, depth
    first, each directory's entries sorted by name as bytes."""
    here = os.path.join(top, rel) if rel else top
    names = sorted(os.listdir(here), key=lambda n: n.encode('utf-8', 'surrogateescape'))
    for n in names:
        path = os.path.join(here, n)
        sub = f'{rel}/{n}' if rel else n
        try:
            sub.encode('utf-8')
        except UnicodeEncodeError:
            raise InitrdError(f'{path}: name is not UTF-8')
        st = os.lstat(path)
        if stat.S_ISDIR(st.st_mode):
            yield sub, path, True
            yield from walk(top, sub)
        elif stat.S_ISREG(st.st_mode):
            yield sub, path, False
        else:
            raise InitrdError(f'{path}: not a regular file or directory')


def build(vnodes):
    """The archive's bytes; vnodes is a list of (name, directory)."""
    seen = set()
    for name, top in vnodes:
        if name in seen:
            raise InitrdError(f'V-Node "{name}" given twice')
        seen.add(name)
        check_vnode(name, top)
    out = bytearray()
    ino = 0

    def add(path, mode, nlink, data=b''):
        nonlocal ino
        ino += 1
        out.extend(header(ino, mode, nlink, len(data), path))
        out.extend(data)
        out.extend(pad4(len(data)))

    add('vnodes', MODE_DIR, 2)
    for name, top in sorted(vnodes):
        add(f'vnodes/{name}', MODE_DIR, 2)
        for rel, path, is_dir in walk(top):
            if is_dir:
                add(f'vnodes/{name}/{rel}', MODE_DIR, 2)
                continue
            with open(path, 'rb') as f:
                data = f.read()
            if len(data) > MAX_FILE:
                raise InitrdError(f'{path}: larger than 4 GiB')
            add(f'vnodes/{name}/{rel}', MODE_FILE, 1, data)
    # As GNU cpio writes it: every field zero but nlink and namesize.
    out.extend(header(0, 0, 1, 0, TRAILER))
    return bytes(out)


def parse_vnode_arg(arg):
    name, eq, top = arg.partition('=')
    if not eq:
        top = arg
        name = os.path.basename(os.path.normpath(arg))
    if not os.path.isdir(top):
        raise InitrdError(f'{top}: not a directory')
    return name, top


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('-o', '--output', required=True, help='the archive to write')
    ap.add_argument('vnodes', nargs='*', metavar='[NAME=]DIR',
                    help='a V-Node directory (NAME: the directory name by default)')
    args = ap.parse_args(argv)
    try:
        data = build([parse_vnode_arg(a) for a in args.vnodes])
    except (InitrdError, OSError) as e:
        print(f'mkinitrd: {e}', file=sys.stderr)
        return 1
    tmp = args.output + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(data)
    os.replace(tmp, args.output)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

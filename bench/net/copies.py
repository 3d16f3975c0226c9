#!/usr/bin/env python3
"""Bytes copied per packet: boots the release image with its network card
on a test-driven wire (tests/system/netwire.py), has the shell's udpecho
echo N datagrams of each size back through the copying calls and then
through the zero-copy calls, and prints what net-stack counted it copied
for the socket (`udpecho` reads net-stack's own counter), per packet
received and sent. Exits non-zero only if the guest does not answer."""
import os
import random
import re
import struct
import sys
import threading

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'system'))

from netwire import Wire, eth, ipv4, udp                   # noqa: E402
from test_shell import ISO, BOOT_TIMEOUT, Shell, NET_UP    # noqa: E402

SIZES = (64, 512, 1472)
COUNT = 50
TIMEOUT = 300


class Ctx:
    name = 'bench-net'
    log_dir = os.path.join(ROOT, 'build', 'bench', 'net')


def peer(sh, wire, mode, port, payloads, errors):
    try:
        sh.q.wait_line(rf'udpecho: port {port}, {mode}', BOOT_TIMEOUT)
        for i, data in enumerate(payloads):
            sport = 41000 + i % 1000
            wire.send(eth(ipv4(udp(sport, port, data), 17, ident=i)))
            r = wire.expect(lambda f: len(f) >= 42 and f[23] == 17 and
                            struct.unpack('!HH', f[34:38]) == (port, sport), TIMEOUT)
            if r[42:42 + len(data)] != data:
                errors.append(f'datagram {i} came back different')
    except Exception as e:
        errors.append(repr(e))


def main():
    wire = Wire()
    sh = Shell(Ctx(), ISO, extra=wire.qemu_args())
    rows = []
    try:
        sh.q.wait_for(NET_UP, BOOT_TIMEOUT)
        port = 7000
        for size in SIZES:
            payloads = [bytes(random.Random(size + i).getrandbits(8) for _ in range(size))
                        for i in range(COUNT)]
            for mode, flag in (('copying', ''), ('zero copy', '-z ')):
                port += 1
                errors = []
                t = threading.Thread(target=peer, args=(sh, wire, mode, port, payloads, errors))
                t.start()
                out = sh.ok(f'udpecho {flag}-n {COUNT} {port}', timeout=TIMEOUT)
                t.join(TIMEOUT)
                if errors:
                    raise SystemExit(f'bench-net: {errors[0]}')
                m = re.search(r'udpecho: (\d+) datagrams, (\d+) bytes echoed; '
                              r'net-stack copied (\d+) bytes', out[-1])
                n, echoed, copied = (int(x) for x in m.groups())
                rows.append((mode, size, n, echoed, copied))
    finally:
        sh.stop()
        wire.close()
    print('Bytes net-stack copied per UDP datagram, received and sent back by udpecho')
    print(f'({COUNT} datagrams per row; net-bridge copies no frame on any path)')
    print()
    print(f'{"path":<10} {"payload":>8} {"datagrams":>10} {"copied":>10} {"per packet in+out":>18}')
    for mode, size, n, echoed, copied in rows:
        print(f'{mode:<10} {size:>8} {n:>10} {copied:>10} {copied / n:>18.1f}')
    return 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
"""Joins stdin/stdout to a TCP connection to 127.0.0.1:PORT. QEMU runs one
for each guest connection to a `guestfwd=...-cmd:` forward, so a guest
can reach a server on the host's loopback once per connection; it ends
when either side closes."""
import os
import select
import socket
import sys


def main():
    s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=60)
    s.settimeout(None)
    inp, out = sys.stdin.fileno(), sys.stdout.fileno()
    open_in = True
    while True:
        r, _, _ = select.select([s] + ([inp] if open_in else []), [], [])
        if inp in r:
            data = os.read(inp, 65536)
            if not data:
                open_in = False
                s.shutdown(socket.SHUT_WR)
            else:
                s.sendall(data)
        if s in r:
            data = s.recv(65536)
            if not data:
                return
            os.write(out, data)


if __name__ == '__main__':
    main()

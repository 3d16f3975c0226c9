"""Network tests with the test as the other end of the wire
(tests/system/netwire.py: QEMU's socket netdev over host loopback): the
test answers DHCP and ARP as 10.0.2.2 would, then sends the guest frames
it builds itself, right and wrong, and watches what comes back."""
import os
import random
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

from netwire import (Wire, eth, ipv4, icmp, udp, arp, tcp, tcp_fields, GUEST_IP, GUEST_MAC,
                     PEER_IP, PEER_MAC, BCAST, ip_bytes, TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH,
                     TCP_ACK, TCP_URG)
from qemu import ROOT
from test_shell import ISO, BOOT_TIMEOUT, Shell, NET_UP, kill_net_bridge

ICMP, UDP = 1, 17
REPLY_TIMEOUT = 120


def is_echo_reply(ident, seq):
    def match(f):
        return (len(f) >= 42 and f[12:14] == b'\x08\x00' and f[23] == ICMP and f[34] == 0 and
                struct.unpack('!HH', f[38:42]) == (ident, seq))
    return match


def counters(sh):
    """ifconfig's drop counters: malformed, bad checksum, unroutable, rx held."""
    line = sh.ok('ifconfig')[-1]
    m = re.search(r'dropped: (\d+) malformed, (\d+) bad checksum, (\d+) unroutable; '
                  r'rx buffers held (\d+)$', line)
    assert m, line
    return tuple(int(x) for x in m.groups())


def battery():
    """(name, frame, what the guest must count it as)."""
    good_icmp = icmp(8, 7, 1, b'x' * 32)
    good_ip = ipv4(good_icmp, ICMP)
    out = [
        ('IPv4 header cut at 10 bytes', eth(good_ip[:10]), 'malformed'),
        ('IPv4 total length past the frame', eth(ipv4(good_icmp, ICMP, total=200)), 'malformed'),
        ('IPv4 total length below the header', eth(ipv4(good_icmp, ICMP, total=12)), 'malformed'),
        ('IPv4 IHL 4', eth(ipv4(good_icmp, ICMP, ihl=4)), 'malformed'),
        ('IPv4 IHL past the data', eth(ipv4(b'', ICMP, ihl=15, total=20)), 'malformed'),
        ('IP version 6 in an IPv4 frame', eth(ipv4(good_icmp, ICMP, version=6)), 'malformed'),
        ('IPv4 source broadcast', eth(ipv4(good_icmp, ICMP, src=0xffffffff)), 'malformed'),
        ('IPv4 bad header checksum', eth(ipv4(good_icmp, ICMP, check=0x1234)), 'csum'),
        ('ICMP cut to 4 bytes', eth(ipv4(good_icmp[:4], ICMP)), 'malformed'),
        ('ICMP bad checksum', eth(ipv4(icmp(8, 7, 1, b'x' * 32, check=0xbeef), ICMP)), 'csum'),
        ('UDP cut to 5 bytes', eth(ipv4(udp(1, 2, b'abc')[:5], UDP)), 'malformed'),
        ('UDP length past the datagram', eth(ipv4(udp(1, 2, b'abc', length=40), UDP)),
         'malformed'),
        ('UDP length below its header', eth(ipv4(udp(1, 2, b'abc', length=4), UDP)), 'malformed'),
        ('UDP bad checksum', eth(ipv4(udp(1, 2, b'abc', check=0x0bad), UDP)), 'csum'),
        ('ARP cut to 10 bytes', eth(arp(1, PEER_MAC, PEER_IP, b'\0' * 6, GUEST_IP)[:10], 0x0806),
         'malformed'),
        ('ARP for another protocol', eth(b'\x00\x01\x86\xdd' + arp(1, PEER_MAC, PEER_IP,
                                                                    b'\0' * 6, GUEST_IP)[4:],
                                         0x0806), 'malformed'),
        ('fragment past 65535 bytes', eth(ipv4(b'y' * 16, ICMP, ident=0x900, frag=65528)),
         'malformed'),
        ('fragment not a multiple of 8 with MF', eth(ipv4(b'y' * 13, ICMP, ident=0x901, mf=True)),
         'malformed'),
        ('a frame for another MAC', eth(good_ip, dst=bytes.fromhex('020000000099')), 'ignored'),
        ('IPv4 for another address', eth(ipv4(good_icmp, ICMP, dst=(10 << 24) | (2 << 8) | 99)),
         'ignored'),
    ]
    # Overlapping fragments: the second overlaps the first; the datagram goes.
    out.append(('fragment A', eth(ipv4(b'z' * 16, ICMP, ident=0x902, mf=True)), 'ignored'))
    out.append(('fragment B overlapping A', eth(ipv4(b'z' * 16, ICMP, ident=0x902, frag=8)),
                'malformed'))
    return out


def fragmented_echo(seq, size=1400):
    """An echo request whose IPv4 datagram comes in two fragments, the first
    sent twice (an exact duplicate is ignored), the second before the first."""
    msg = icmp(8, 0x77, seq, bytes(random.Random(seq).getrandbits(8) for _ in range(size)))
    a, b = msg[:1000], msg[1000:]
    fa = eth(ipv4(a, ICMP, ident=0x4000 + seq, mf=True))
    fb = eth(ipv4(b, ICMP, ident=0x4000 + seq, frag=1000))
    return [fb, fa, fa], msg


def net0001(ctx):
    """NET0001 hostile frames from the wire (a test process as 10.0.2.2 on QEMU's socket netdev): truncated and inconsistent IPv4/ICMP/UDP/ARP headers, bad checksums, oversized, misaligned and overlapping fragments are each counted as malformed or bad checksum, exactly, and answered by nothing; a fragmented echo request (out of order, a duplicate) is reassembled and answered whole; UDP to a closed port gets ICMP port unreachable quoting it; 3000 random corruptions of a valid frame later the guest still answers ping, serves HTTP and holds no rx buffer"""
    wire = Wire()
    sh = None
    try:
        sh = Shell(ctx, ISO, extra=wire.qemu_args())
        m = sh.q.wait_for(NET_UP, BOOT_TIMEOUT)
        assert m.group(1) == '10.0.2.15/24', m.group(0)
        # The path works: an echo request from the wire is answered.
        wire.send(eth(ipv4(icmp(8, 0x55, 1, b'hello'), ICMP)))
        r = wire.expect(is_echo_reply(0x55, 1), REPLY_TIMEOUT)
        assert r[:6] == PEER_MAC and r[6:12] == GUEST_MAC and r[42:47] == b'hello', r.hex()
        before = counters(sh)
        frames = battery()
        for _, f, _ in frames:
            wire.send(f)
        # Frames are handled in order: once this answer comes, all were seen.
        wire.send(eth(ipv4(icmp(8, 0x55, 2, b''), ICMP)))
        wire.expect(is_echo_reply(0x55, 2), REPLY_TIMEOUT)
        after = counters(sh)
        want_bad = sum(1 for f in frames if f[2] == 'malformed')
        want_csum = sum(1 for f in frames if f[2] == 'csum')
        assert after[0] - before[0] == want_bad, (before, after, want_bad)
        assert after[1] - before[1] == want_csum, (before, after, want_csum)
        assert after[2] == before[2] and after[3] == 0, (before, after)
        # Reassembly.
        parts, msg = fragmented_echo(3)
        for f in parts:
            wire.send(f)
        r = wire.expect(is_echo_reply(0x77, 3), REPLY_TIMEOUT, 'reply to the fragmented echo')
        ihl = (r[14] & 15) * 4
        assert r[14 + ihl + 8:] == msg[8:], 'echo data differs'
        # UDP to a closed port.
        dgram = ipv4(udp(4000, 9, b'anyone?'), UDP, ident=0x1111)
        wire.send(eth(dgram))
        r = wire.expect(lambda f: len(f) >= 42 and f[23] == ICMP and f[34] == 3, REPLY_TIMEOUT)
        assert r[35] == 3, r.hex()                          # port unreachable
        assert r[42:42 + 28] == dgram[:28], r.hex()         # its header and 8 bytes
        # Fuzz: random bytes changed in a valid echo request, or cut short.
        rng = random.Random(7)
        base = eth(ipv4(icmp(8, 0x66, 9, b'f' * 40), ICMP))
        for _ in range(3000):
            f = bytearray(base)
            for _ in range(rng.randint(1, 6)):
                f[rng.randrange(14, len(f))] = rng.randrange(256)
            if rng.random() < 0.3:
                f = f[:rng.randrange(14, len(f))]
            wire.send(bytes(f))
        wire.send(eth(ipv4(icmp(8, 0x55, 4, b'still'), ICMP)))
        wire.expect(is_echo_reply(0x55, 4), REPLY_TIMEOUT)
        end = counters(sh)
        assert end[3] == 0, end
        out = sh.ok('ps')
        assert any(re.match(r'net-stack\s+\d+ running\s+0 ', l) for l in out), out
        assert any(re.match(r'net-bridge\s+\d+ running\s+0 ', l) for l in out), out
        # And it still serves HTTP, its buffers back where they were.
        page = open(os.path.join(ROOT, 'user/vnodes/httpd/index.html'), 'rb').read()
        got = wire_http_get(wire, 40200, 90000)
        assert got.startswith(b'HTTP/1.1 200 OK') and got.endswith(page), got[:200]
        assert counters(sh)[3] == 0
        assert 'KERNEL PANIC' not in sh.q.output()
    finally:
        if sh:
            sh.stop()
        wire.close()
    return (f'{want_bad} malformed and {want_csum} bad checksums counted exactly; reassembled '
            f'echo, port unreachable; {end[0] - after[0]} more malformed and '
            f'{end[1] - after[1]} bad checksums among 3000 fuzzed frames')


def echo_peer(sh, wire, mode, payloads, port, results):
    """Once udpecho says it listens, sends each payload from our port
    40000 + i and waits for it to come back; results gets (sent, echoed)."""
    try:
        sh.q.wait_line(rf'udpecho: port {port}, {mode}', BOOT_TIMEOUT)
        for i, data in enumerate(payloads):
            sport = 40000 + i
            wire.send(eth(ipv4(udp(sport, port, data), UDP, ident=0x2000 + i)))
            r = wire.expect(lambda f: len(f) >= 42 and f[23] == UDP and
                            struct.unpack('!HH', f[34:38]) == (port, sport), REPLY_TIMEOUT)
            ulen = struct.unpack('!H', r[38:40])[0]
            results.append((data, r[42:34 + ulen]))
    except Exception as e:      # reported by the main thread
        results.append(e)


def run_udpecho(sh, flag, port, n, peer):
    """udpecho [flag]-n n port in the guest while peer(results) plays the
    other end in a thread: (udpecho's output, results), with no exception
    among the results and one per datagram."""
    results = []
    t = threading.Thread(target=peer, args=(results,))
    t.start()
    out = sh.ok(f'udpecho {flag}-n {n} {port}')
    t.join(timeout=REPLY_TIMEOUT)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert len(results) == n, results
    return out, results


def net0002(ctx):
    """NET0002 UDP sockets both ways, copying and zero copy: udpecho echoes datagrams of 1 to 1472 bytes from the wire back to their senders byte for byte; net-stack's own count of payload bytes copied is exactly 2 per byte echoed on the copying path (into the client's buffer and out of it) and 0 on the zero-copy path (the frame's page itself goes to the program and a page of the card's comes back); afterwards no UDP socket is left and no rx buffer is held"""
    wire = Wire()
    sh = None
    rng = random.Random(2)
    payloads = [bytes(rng.getrandbits(8) for _ in range(n)) for n in (1, 64, 512, 1000, 1472)]
    total = sum(len(p) for p in payloads)
    try:
        sh = Shell(ctx, ISO, extra=wire.qemu_args())
        sh.q.wait_for(NET_UP, BOOT_TIMEOUT)
        copied = {}
        for mode, flag, port in (('copying', '', 7), ('zero copy', '-z ', 9)):
            out, results = run_udpecho(sh, flag, port, len(payloads),
                                       lambda res: echo_peer(sh, wire, mode, payloads, port, res))
            for sent, back in results:
                assert sent == back, (len(sent), len(back))
            m = re.match(rf'udpecho: {len(payloads)} datagrams, (\d+) bytes echoed; '
                         r'net-stack copied (\d+) bytes$', out[-1])
            assert m and int(m.group(1)) == total, out
            copied[mode] = int(m.group(2))
        assert copied['copying'] == 2 * total, copied
        assert copied['zero copy'] == 0, copied
        out = sh.ok('netstat')
        assert out[0].startswith('Proto Local'), out
        assert not [l for l in out[1:] if l.startswith('udp')], out    # httpd's listener only
        assert all(re.match(r'tcp\s+0\.0\.0\.0:80\s', l) for l in out[1:]), out
        assert counters(sh)[3] == 0
    finally:
        if sh:
            sh.stop()
        wire.close()
    return (f'{len(payloads)} datagrams ({total} bytes) each way twice; net-stack copied '
            f'{copied["copying"]} bytes copying, {copied["zero copy"]} zero copy')


def fragments(ip_payload, proto, ident, per=1480):
    """ip_payload as IPv4 fragments of at most per bytes (a multiple of 8),
    last first, then the rest in order."""
    fr = [eth(ipv4(ip_payload[o:o + per], proto, ident=ident, frag=o,
                   mf=o + per < len(ip_payload)))
          for o in range(0, len(ip_payload), per)]
    return fr[-1:] + fr[:-1]


def guest_udp_datagram(wire, timeout):
    """The next UDP datagram from the guest, put together from its
    fragments: (UDP header and payload, number of frames). Checks each
    fragment as RFC 791 wants it: one ident, offsets in 8-byte units, no
    frame over 1514 bytes, only the last without MF."""
    parts, last_end, ident = {}, None, None
    while True:
        f = wire.expect(lambda f: len(f) >= 34 and f[12:14] == b'\x08\x00' and f[23] == UDP and
                        (ident is None or struct.unpack('!H', f[18:20])[0] == ident),
                        timeout, 'a UDP fragment')
        assert len(f) <= 1514, len(f)
        total, ident, flags = struct.unpack('!HHH', f[16:22])
        off, mf = (flags & 0x1fff) * 8, bool(flags & 0x2000)
        data = f[34:14 + total]
        assert mf or last_end is None, 'two last fragments'
        assert not mf or len(data) % 8 == 0, len(data)
        parts[off] = data
        if not mf:
            last_end = off + len(data)
        got = b''.join(parts[o] for o in sorted(parts))
        if last_end is not None and len(got) == last_end:
            return got, len(parts)


def net0006(ctx):
    """NET0006 UDP datagrams bigger than a frame, both ways: datagrams of 1473, 4000 and 65507 bytes reach udpecho in IPv4 fragments (the last first) and are delivered whole; its answers leave as fragments (one ident, 8-byte offsets, no frame over 1514 bytes) that put together give the same bytes; with -z the program takes such a datagram by the copying call (it is in net-stack's own buffer, not a card page); afterwards no socket and no rx buffer is held"""
    wire = Wire()
    sh = None
    rng = random.Random(6)
    sizes = (1473, 4000, 65507)
    payloads = [bytes(rng.getrandbits(8) for _ in range(n)) for n in sizes]
    frames = {}
    try:
        sh = Shell(ctx, ISO, extra=wire.qemu_args())
        sh.q.wait_for(NET_UP, BOOT_TIMEOUT)
        for mode, flag, port in (('copying', '', 7), ('zero copy', '-z ', 9)):
            def peer(results):
                try:
                    sh.q.wait_line(rf'udpecho: port {port}, {mode}', BOOT_TIMEOUT)
                    for i, data in enumerate(payloads):
                        sport = 41000 + i
                        for fr in fragments(udp(sport, port, data), UDP, 0x5000 + i):
                            wire.send(fr)
                        got, n = guest_udp_datagram(wire, REPLY_TIMEOUT)
                        results.append((sport, data, got, n))
                except Exception as e:      # reported by run_udpecho
                    results.append(e)
            out, results = run_udpecho(sh, flag, port, len(payloads), peer)
            for sport, data, got, n in results:
                sp, dp, ulen = struct.unpack('!HHH', got[:6])
                assert (sp, dp, ulen) == (port, sport, 8 + len(data)), (sp, dp, ulen)
                assert got[8:] == data, (len(data), len(got) - 8)
                frames[len(data)] = n
            m = re.match(rf'udpecho: {len(payloads)} datagrams, (\d+) bytes echoed', out[-1])
            assert m and int(m.group(1)) == sum(sizes), out
        out = sh.ok('netstat')
        assert not [l for l in out[1:] if l.startswith('udp')], out
        assert counters(sh)[3] == 0
    finally:
        if sh:
            sh.stop()
        wire.close()
    return ', '.join(f'{n} bytes back in {frames[n]} fragments' for n in sizes)


def net0007(ctx):
    """NET0007 a virtio-net card without MSI-X (vectors=0) is driven through its legacy INTx pin: the kernel reads the pin's GSI from the ACPI _PRT, init grants net-bridge that one line (level-triggered as the _PRT says), net-bridge acks it after reading the ISR; DHCP, ping, the page and the 16 MiB file (right SHA-256) over it; killed, the driver's INTx is turned off and the restarted driver takes the line again"""
    import hashlib
    sys.path.insert(0, os.path.join(ROOT, 'tools'))
    import gen_pattern
    port = free_port()
    sh = Shell(ctx, ISO, extra=['-netdev', f'user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:{port}-:80',
                                '-device', 'virtio-net-pci,netdev=n0,vectors=0,disable-legacy=on,'
                                'addr=0x3'])
    try:
        # q35's _PRT: device 3, INTA is link GSIH, GSI 23 (APRT0001).
        sh.q.wait_for(r'init: net-bridge drives PCI 0000:00:03\.0 \(1af4:1041\), MSI lines 0, '
                      r'INTx GSI 23$', BOOT_TIMEOUT)
        sh.q.wait_for(r'net-bridge: \S+ on PCI 00:03\.0, \d+ rx / \d+ tx descriptors, '
                      r'INTx on GSI 23$', BOOT_TIMEOUT)
        sh.q.wait_for(NET_UP, BOOT_TIMEOUT)
        sh.q.wait_for(r'httpd: serving /boot/vnodes/httpd on port 80', BOOT_TIMEOUT)
        out = sh.ok('ping -c 3 10.0.2.2')
        assert out[-1] == '3 packets transmitted, 3 received, 0% packet loss', out
        page = open(os.path.join(ROOT, 'user/vnodes/httpd/index.html'), 'rb').read()
        r = subprocess.run(['curl', '-sS', '--max-time', str(HTTP_TIMEOUT),
                            f'http://127.0.0.1:{port}/'], capture_output=True)
        assert r.returncode == 0 and r.stdout == page, (r.returncode, r.stderr, r.stdout[:200])
        r = subprocess.run(['curl', '-sS', '--max-time', str(HTTP_TIMEOUT),
                            f'http://127.0.0.1:{port}/big16m.bin'], capture_output=True)
        want = hashlib.sha256(gen_pattern.pattern(16 << 20)).hexdigest()
        assert r.returncode == 0 and hashlib.sha256(r.stdout).hexdigest() == want, \
            (r.returncode, len(r.stdout), r.stderr)
        kill_net_bridge(sh, r'net-bridge: \S+ on PCI 00:03\.0, .*INTx on GSI 23$')
        assert counters(sh)[3] == 0
    finally:
        sh.stop()
    return 'INTx on GSI 23: ping, page, 16 MiB (SHA-256 right); again after the driver was killed'


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


HTTP_TIMEOUT = 600


def recv_all(s):
    """Everything the peer sends until it closes; the socket is closed."""
    data = b''
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return data


def read_response(s):
    """One HTTP response on a connection that stays open: (status, body),
    the body as long as Content-Length says; b'' as status when the peer
    closed first."""
    data = b''
    while b'\r\n\r\n' not in data:
        chunk = s.recv(65536)
        if not chunk:
            return b'', data
        data += chunk
    head, _, body = data.partition(b'\r\n\r\n')
    m = re.search(rb'\r\nContent-Length: (\d+)', head)
    want = int(m.group(1)) if m else 0
    while len(body) < want:
        chunk = s.recv(65536)
        if not chunk:
            break
        body += chunk
    return head.split(b' ')[1] if b' ' in head else b'', body


def http_get_all(port, n, path='/'):
    """n keep-alive connections, each sending a GET as soon as it is open
    and all held open until every one is, then each answer read: (status,
    body) per connection. QEMU's user network accepts forwarded
    connections slowly (a listen backlog of one: the host's SYNs are
    dropped and retried), so opening n can take longer than the server's
    idle timeout: a connection that waited idle for the others would be
    closed unanswered, which is right of the server, not what is tested."""
    socks = []
    try:
        for _ in range(n):
            s = socket.create_connection(('127.0.0.1', port), timeout=HTTP_TIMEOUT)
            socks.append(s)
            s.sendall(f'GET {path} HTTP/1.1\r\nHost: x\r\n\r\n'.encode())
        return [read_response(s) for s in socks]
    finally:
        for s in socks:
            s.close()


def net0003(ctx):
    """NET0003 httpd from the host, through QEMU's forward of a loopback port to the guest's port 80: curl gets the page; the 16 MiB file arrives with the right SHA-256; 200 keep-alive connections, opened one after another and each held until the last is open, all get the page; one keep-alive connection carries three requests in turn and two pipelined; a bad request gets 400 and the connection ends; afterwards the guest holds no rx buffer"""
    import hashlib
    import http.client
    import sys
    sys.path.insert(0, os.path.join(ROOT, 'tools'))
    import gen_pattern
    port = free_port()
    sh = Shell(ctx, ISO, extra=['-netdev', f'user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:{port}-:80',
                                '-device', 'virtio-net-pci,netdev=n0,disable-legacy=on,addr=0x3'])
    try:
        sh.q.wait_for(r'httpd: serving /boot/vnodes/httpd on port 80', BOOT_TIMEOUT)
        page = open(os.path.join(ROOT, 'user/vnodes/httpd/index.html'), 'rb').read()
        r = subprocess.run(['curl', '-sS', '-i', '--max-time', str(HTTP_TIMEOUT),
                            f'http://127.0.0.1:{port}/'], capture_output=True)
        assert r.returncode == 0, r.stderr
        head, _, body = r.stdout.partition(b'\r\n\r\n')
        assert head.startswith(b'HTTP/1.1 200 OK') and body == page, r.stdout[:300]
        assert b'Content-Length: %d' % len(page) in head, head
        r = subprocess.run(['curl', '-sS', '--max-time', str(HTTP_TIMEOUT),
                            f'http://127.0.0.1:{port}/big16m.bin'], capture_output=True)
        want = hashlib.sha256(gen_pattern.pattern(16 << 20)).hexdigest()
        got = hashlib.sha256(r.stdout).hexdigest()
        assert r.returncode == 0 and len(r.stdout) == 16 << 20 and got == want, \
            (r.returncode, len(r.stdout), r.stderr)
        results = http_get_all(port, 200)
        bad = [i for i, (st, body) in enumerate(results) if st != b'200' or body != page]
        assert not bad, (len(bad), results[bad[0]][0] if bad else None)
        c = http.client.HTTPConnection('127.0.0.1', port, timeout=HTTP_TIMEOUT)
        first = None
        for path, status in (('/', 200), ('/nothing-here', 404), ('/index.html', 200)):
            c.request('GET', path)
            resp = c.getresponse()
            data = resp.read()
            assert resp.status == status, (path, resp.status)
            assert resp.getheader('Connection') == 'keep-alive', resp.getheaders()
            assert status == 404 or data == page, (path, data[:80])
            # http.client opens a new socket when the server closed the
            # last: the same one all along means one connection carried all.
            first = first or c.sock
            assert c.sock is first and c.sock is not None, path
        c.close()
        s = socket.create_connection(('127.0.0.1', port), timeout=HTTP_TIMEOUT)
        s.sendall(b'GET / HTTP/1.1\r\nHost: x\r\n\r\nHEAD /index.html HTTP/1.1\r\nHost: x\r\n'
                  b'Connection: close\r\n\r\n')
        data = recv_all(s)
        # The GET's answer with the page, then the HEAD's head alone.
        get, sep, head_answer = data.partition(page)
        assert sep and get.startswith(b'HTTP/1.1 200 OK'), data[:200]
        assert head_answer.startswith(b'HTTP/1.1 200 OK') and head_answer.endswith(b'\r\n\r\n'), \
            head_answer
        assert b'Content-Length: %d' % len(page) in head_answer, head_answer
        s = socket.create_connection(('127.0.0.1', port), timeout=HTTP_TIMEOUT)
        s.sendall(b'GET /../../etc HTTP/1.1\r\nHost: x\r\n\r\n')
        data = recv_all(s)
        assert data.startswith(b'HTTP/1.1 400 Bad Request') and b'Connection: close' in data, data
        assert counters(sh)[3] == 0
    finally:
        sh.stop()
    return 'page, 16 MiB (SHA-256 right), 200 connections, keep-alive, pipelining, 400'


class Sink:
    """A TCP server on the host's loopback that takes one connection and
    hashes everything it sends."""

    def __init__(self):
        import hashlib
        self.srv = socket.socket()
        self.srv.bind(('127.0.0.1', 0))
        self.srv.listen(1)
        self.port = self.srv.getsockname()[1]
        self.h = hashlib.sha256()
        self.n = 0
        self.done = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        self.srv.settimeout(HTTP_TIMEOUT)
        try:
            c, _ = self.srv.accept()
            c.settimeout(HTTP_TIMEOUT)
            while True:
                data = c.recv(65536)
                if not data:
                    break
                self.h.update(data)
                self.n += len(data)
            c.close()
        finally:
            self.done.set()
            self.srv.close()


def net0004(ctx):
    """NET0004 TCP from the guest to the host's loopback (QEMU guest forwards, nothing else reachable): fetch gets a file from a Python http.server with the right SHA-256; tcpsend sends 16 MiB to a host sink that receives every byte intact"""
    import hashlib
    www = tempfile.mkdtemp(prefix='aether-www-')
    data = bytes(random.Random(5).getrandbits(8) for _ in range(300000))
    open(os.path.join(www, 'data.bin'), 'wb').write(data)
    hport = free_port()
    server = subprocess.Popen([sys.executable, '-m', 'http.server', str(hport), '--bind',
                               '127.0.0.1', '--directory', www],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sink = Sink()
    bridge = f'{sys.executable} {os.path.join(ROOT, "tests/system/tcpbridge.py")}'
    sh = None
    try:
        for _ in range(100):
            try:
                socket.create_connection(('127.0.0.1', hport), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)     # the server's own start-up, not the guest's
        sh = Shell(ctx, ISO, extra=[
            # cmd: one bridge process per guest connection (a tcp: forward
            # is one connection, made when QEMU starts)
            '-netdev', f'user,id=n0,restrict=on,guestfwd=tcp:10.0.2.100:80-cmd:{bridge} {hport},'
                       f'guestfwd=tcp:10.0.2.101:9000-cmd:{bridge} {sink.port}',
            '-device', 'virtio-net-pci,netdev=n0,disable-legacy=on,addr=0x3'])
        sh.q.wait_for(NET_UP, BOOT_TIMEOUT)
        out = sh.ok('fetch -s http://10.0.2.100/data.bin', timeout=HTTP_TIMEOUT)
        want = hashlib.sha256(data).hexdigest()
        assert re.match(rf'fetch: HTTP 200, {len(data)} bytes in \d+ ms, sha256 {want}$',
                        out[-1]), out
        st, out = sh.run('fetch -s http://10.0.2.100/missing', timeout=HTTP_TIMEOUT)
        assert st == 1 and re.match(r'fetch: HTTP 404, ', out[-1]), (st, out)
        n = 16 << 20
        out = sh.ok(f'tcpsend 10.0.2.101 9000 {n}', timeout=HTTP_TIMEOUT)
        assert sink.done.wait(HTTP_TIMEOUT)
        pattern = bytes(i * 7 % 251 for i in range(251 * 256))     # period 251: tile it
        h = hashlib.sha256()
        done = 0
        while done < n:
            k = min(len(pattern) - (done % 251), n - done)
            h.update(pattern[done % 251:done % 251 + k])
            done += k
        assert sink.n == n and sink.h.hexdigest() == h.hexdigest(), (sink.n, n)
        assert out[-1].endswith('sha256 ' + h.hexdigest()), out
    finally:
        if sh:
            sh.stop()
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(www, ignore_errors=True)
    return f'{len(data)} bytes fetched, 16 MiB sent, both hashes right'


TCP = 6


def from_port(sport, dport):
    def match(f):
        return (len(f) >= 54 and f[12:14] == b'\x08\x00' and f[23] == TCP and
                struct.unpack('!HH', f[34:38]) == (sport, dport))
    return match


def wire_http_get(wire, me, seq):
    """GET / from httpd over a connection made by hand from our port me
    (ISS seq): the whole answer, once the server has closed."""
    wire.send(eth(ipv4(tcp(me, 80, seq, 0, TCP_SYN, options=b'\x02\x04\x05\xb4'), TCP)))
    f = tcp_fields(wire.expect(from_port(80, me), REPLY_TIMEOUT))
    assert f[4] == TCP_SYN | TCP_ACK and f[3] == seq + 1, f
    theirs, seq = f[2] + 1, seq + 1
    req = b'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
    wire.send(eth(ipv4(tcp(me, 80, seq, theirs, TCP_ACK | TCP_PSH, req), TCP)))
    seq += len(req)
    got, fin = b'', False
    while not fin:
        f = tcp_fields(wire.expect(from_port(80, me), REPLY_TIMEOUT))
        if f[2] == theirs and f[6]:
            got += f[6]
            theirs += len(f[6])
        if f[4] & TCP_FIN and f[2] + len(f[6]) == theirs:
            fin = True
            theirs += 1
        wire.send(eth(ipv4(tcp(me, 80, seq, theirs, TCP_ACK), TCP)))
    wire.send(eth(ipv4(tcp(me, 80, seq, theirs, TCP_ACK | TCP_FIN), TCP)))
    return got


def wire_http_many(sh, wire, n, first=41000):
    """n connections to httpd made by hand at once from ports first..,
    each sending GET / once all are established: (how many connections
    to port 80 the guest's netstat listed as ESTABLISHED at that moment,
    {port: the whole answer}). A SYN or a request with no answer in 2 s
    is sent again (the card's receive ring may drop some of a burst)."""
    import queue as q
    ports = list(range(first, first + n))
    iss = {p: 0x100000 * (i + 1) for i, p in enumerate(ports)}
    theirs, got, done = {}, {p: b'' for p in ports}, set()
    req = b'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'

    def from_guest(f):
        return (len(f) >= 54 and f[12:14] == b'\x08\x00' and f[23] == TCP and
                struct.unpack('!H', f[34:36])[0] == 80 and
                struct.unpack('!H', f[36:38])[0] in iss)

    def next_segment(wait):
        try:
            return tcp_fields(wire.expect(from_guest, wait))
        except AssertionError:
            return None                 # nothing within wait

    deadline = time.monotonic() + REPLY_TIMEOUT
    while len(theirs) < n:
        assert time.monotonic() < deadline, f'{n - len(theirs)} SYNs never answered'
        for p in ports:
            if p not in theirs:
                wire.send(eth(ipv4(tcp(p, 80, iss[p], 0, TCP_SYN,
                                       options=b'\x02\x04\x05\xb4'), TCP)))
        while (f := next_segment(2)) is not None:
            if f[4] == TCP_SYN | TCP_ACK and f[3] == iss[f[1]] + 1:
                theirs[f[1]] = f[2] + 1
                wire.send(eth(ipv4(tcp(f[1], 80, iss[f[1]] + 1, theirs[f[1]], TCP_ACK), TCP)))
            if len(theirs) == n:
                break
    # Every handshake done: the server holds n connections at once.
    established = 0
    for _ in range(60):
        out = sh.ok('netstat')
        established = len([l for l in out if re.match(r'tcp\s+10\.0\.2\.15:80\s+10\.0\.2\.2:\d+\s+'
                                                   r'ESTABLISHED', l)])
        if established >= n:
            break
    seq = {p: iss[p] + 1 for p in ports}
    while len(done) < n:
        assert time.monotonic() < deadline, f'{n - len(done)} answers never came whole'
        for p in ports:
            if not got[p] and p not in done:
                wire.send(eth(ipv4(tcp(p, 80, seq[p], theirs[p], TCP_ACK | TCP_PSH, req), TCP)))
        while (f := next_segment(2)) is not None:
            p = f[1]
            if p not in theirs:
                continue
            if f[2] == theirs[p] and f[6]:
                got[p] += f[6]
                theirs[p] += len(f[6])
            if f[4] & TCP_FIN and f[2] + len(f[6]) == theirs[p]:
                theirs[p] += 1
                done.add(p)
            wire.send(eth(ipv4(tcp(p, 80, seq[p] + len(req), theirs[p], TCP_ACK), TCP)))
            if len(done) == n:
                break
    for p in ports:
        wire.send(eth(ipv4(tcp(p, 80, seq[p] + len(req), theirs[p], TCP_ACK | TCP_FIN), TCP)))
    return established, got


def net0008(ctx):
    """NET0008 200 TCP connections to httpd at once, made by hand on the wire (no QEMU forward in between): 200 SYNs together, all answered; netstat then lists 200 ESTABLISHED connections to port 80 at the same moment; then each sends GET and each gets the whole page; afterwards no rx buffer is held"""
    wire = Wire()
    sh = None
    try:
        sh = Shell(ctx, ISO, extra=wire.qemu_args())
        sh.q.wait_for(NET_UP, BOOT_TIMEOUT)
        sh.q.wait_for(r'httpd: serving /boot/vnodes/httpd on port 80', BOOT_TIMEOUT)
        page = open(os.path.join(ROOT, 'user/vnodes/httpd/index.html'), 'rb').read()
        established, got = wire_http_many(sh, wire, 200)
        assert established >= 200, established
        bad = [p for p, a in got.items() if not (a.startswith(b'HTTP/1.1 200 OK') and
                                                   a.endswith(page))]
        assert not bad, (len(bad), got[bad[0]][:200])
        assert counters(sh)[3] == 0
    finally:
        if sh:
            sh.stop()
        wire.close()
    return f'{established} established at once; 200 pages whole'


def net0005(ctx):
    """NET0005 hostile TCP from the wire: a SYN and an ACK to a closed port get RSTs with the sequence numbers RFC 9293 gives; a header cut short, data offsets below 5 and past the segment, an option of length 0 and one running past the header are counted malformed and a bad checksum as such, exactly; SYN+FIN gets nothing; then a hand-made connection to httpd whose request carries an urgent pointer far past its data and advertises a zero window: the server waits (at most 1-byte persist probes) until the window opens, then answers in full and closes"""
    wire = Wire()
    sh = None
    try:
        sh = Shell(ctx, ISO, extra=wire.qemu_args())
        sh.q.wait_for(NET_UP, BOOT_TIMEOUT)
        sh.q.wait_for(r'httpd: serving /boot/vnodes/httpd on port 80', BOOT_TIMEOUT)
        before = counters(sh)
        # Closed port: RST, ACK = SYN's seq + 1; an ACK gets RST with seq = its ack.
        wire.send(eth(ipv4(tcp(40000, 81, 1000, 0, TCP_SYN), TCP)))
        f = tcp_fields(wire.expect(from_port(81, 40000), REPLY_TIMEOUT))
        assert f[4] == TCP_RST | TCP_ACK and f[2] == 0 and f[3] == 1001, f
        wire.send(eth(ipv4(tcp(40001, 81, 5, 777, TCP_ACK), TCP)))
        f = tcp_fields(wire.expect(from_port(81, 40001), REPLY_TIMEOUT))
        assert f[4] == TCP_RST and f[2] == 777, f
        # Malformed segments to a listening port, and SYN+FIN.
        syn = tcp(40002, 80, 1, 0, TCP_SYN)
        bad = [ipv4(syn[:10], TCP),                                     # header cut
               ipv4(tcp(40002, 80, 1, 0, TCP_SYN, offset=4), TCP),      # offset < 5
               ipv4(tcp(40002, 80, 1, 0, TCP_SYN, offset=15), TCP),     # past the segment
               ipv4(tcp(40002, 80, 1, 0, TCP_SYN, options=b'\x02\x00\x00\x00'), TCP),
               ipv4(tcp(40002, 80, 1, 0, TCP_SYN, options=b'\x01\x01\x02\x04'), TCP)]
        for seg in bad:
            wire.send(eth(seg))
        wire.send(eth(ipv4(tcp(40002, 80, 1, 0, TCP_SYN, check=0x1234), TCP)))
        wire.send(eth(ipv4(tcp(40003, 80, 1, 0, TCP_SYN | TCP_FIN), TCP)))
        # In order: once this RST comes, all of the above were handled.
        wire.send(eth(ipv4(tcp(40004, 82, 50, 0, TCP_SYN), TCP)))
        f = wire.expect(lambda fr: from_port(82, 40004)(fr) or from_port(80, 40003)(fr) or
                        from_port(80, 40002)(fr), REPLY_TIMEOUT)
        assert from_port(82, 40004)(f), tcp_fields(f)      # nothing answered the others
        after = counters(sh)
        assert after[0] - before[0] == 5 and after[1] - before[1] == 1, (before, after)
        # A connection to httpd by hand.
        me, seq = 40100, 70000
        wire.send(eth(ipv4(tcp(me, 80, seq, 0, TCP_SYN, options=b'\x02\x04\x05\xb4'), TCP)))
        f = tcp_fields(wire.expect(from_port(80, me), REPLY_TIMEOUT))
        assert f[4] == TCP_SYN | TCP_ACK and f[3] == seq + 1, f
        theirs = f[2] + 1
        seq += 1
        req = b'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
        wire.send(eth(ipv4(tcp(me, 80, seq, theirs, TCP_ACK, window=0), TCP)))
        wire.send(eth(ipv4(tcp(me, 80, seq, theirs, TCP_ACK | TCP_PSH | TCP_URG, req, window=0,
                               urg=60000), TCP)))
        seq += len(req)
        # With the window shut, only 1-byte persist probes come (each
        # answered: still shut); after two of them, open it.
        probes = 0
        while probes < 2:
            f = tcp_fields(wire.expect(from_port(80, me), REPLY_TIMEOUT))
            assert len(f[6]) <= 1, ('sent into a zero window', f)
            if len(f[6]) == 1:
                assert f[2] == theirs, ('a probe of the wrong byte', f)
                probes += 1
                wire.send(eth(ipv4(tcp(me, 80, seq, theirs, TCP_ACK, window=0), TCP)))
        wire.send(eth(ipv4(tcp(me, 80, seq, theirs, TCP_ACK, window=65535), TCP)))
        got, fin = b'', False
        while not fin:
            f = tcp_fields(wire.expect(from_port(80, me), REPLY_TIMEOUT))
            if f[2] == theirs and f[6]:
                got += f[6]
                theirs += len(f[6])
            if f[4] & TCP_FIN and f[2] + len(f[6]) == theirs:
                fin = True
                theirs += 1
            wire.send(eth(ipv4(tcp(me, 80, seq, theirs, TCP_ACK), TCP)))
        page = open(os.path.join(ROOT, 'user/vnodes/httpd/index.html'), 'rb').read()
        assert got.startswith(b'HTTP/1.1 200 OK') and got.endswith(page), got[:200]
        wire.send(eth(ipv4(tcp(me, 80, seq, theirs, TCP_ACK | TCP_FIN), TCP)))
        wire.send(eth(ipv4(icmp(8, 0x55, 9, b'end'), ICMP)))
        wire.expect(is_echo_reply(0x55, 9), REPLY_TIMEOUT)
        assert counters(sh)[3] == 0
        assert 'KERNEL PANIC' not in sh.q.output()
    finally:
        if sh:
            sh.stop()
        wire.close()
    return 'RSTs right, 5 malformed and 1 bad checksum counted, zero window held, page whole'


TESTS = [net0001, net0002, net0003, net0004, net0005, net0006, net0007, net0008]

"""A test's own piece of Ethernet: QEMU's socket netdev in UDP mode sends
each frame the guest transmits as one datagram to us and takes each
datagram we send as a frame for the guest. Nothing leaves the host's
loopback. `Wire` answers the guest's DHCP and ARP as a gateway would
(10.0.2.2) and keeps every other frame for the test to look at; the
functions below build frames byte by byte, right or deliberately wrong."""
import queue
import socket
import struct
import threading

GUEST_MAC = bytes.fromhex('020000000042')
PEER_MAC = bytes.fromhex('525500000202')
BCAST = b'\xff' * 6
GUEST_IP = (10 << 24) | (2 << 8) | 15
PEER_IP = (10 << 24) | (2 << 8) | 2
MASK = 0xffffff00


def ip_bytes(a):
    return struct.pack('!I', a)


def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack(f'!{len(data) // 2}H', data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def eth(payload, etype=0x0800, dst=GUEST_MAC, src=PEER_MAC):
    return dst + src + struct.pack('!H', etype) + payload


def ipv4(payload, proto, src=PEER_IP, dst=GUEST_IP, ident=0x4242, frag=0, mf=False,
         ttl=64, ihl=5, total=None, check=None, version=4):
    total = 20 + len(payload) if total is None else total
    flags = (0x2000 if mf else 0) | (frag // 8)
    hdr = struct.pack('!BBHHHBBH4s4s', version << 4 | ihl, 0, total & 0xffff, ident, flags,
                      ttl, proto, 0, ip_bytes(src), ip_bytes(dst))
    c = csum(hdr) if check is None else check
    return hdr[:10] + struct.pack('!H', c) + hdr[12:] + payload


def icmp(itype, ident, seq, data, check=None):
    body = struct.pack('!BBHHH', itype, 0, 0, ident, seq) + data
    c = csum(body) if check is None else check
    return body[:2] + struct.pack('!H', c) + body[4:]


def udp(sport, dport, data, src=PEER_IP, dst=GUEST_IP, length=None, check=None):
    length = 8 + len(data) if length is None else length
    hdr = struct.pack('!HHHH', sport, dport, length, 0)
    pseudo = ip_bytes(src) + ip_bytes(dst) + struct.pack('!BBH', 0, 17, 8 + len(data))
    c = csum(pseudo + hdr + data) if check is None else check
    if check is None and c == 0:
        c = 0xffff
    return hdr[:6] + struct.pack('!H', c) + data


TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK, TCP_URG = 1, 2, 4, 8, 16, 32


def tcp(sport, dport, seq, ack, flags, data=b'', window=65535, urg=0, options=b'',
        src=PEER_IP, dst=GUEST_IP, check=None, offset=None):
    """A TCP segment; offset (in words) and check may lie on purpose."""
    off = (20 + len(options)) // 4 if offset is None else offset
    hdr = struct.pack('!HHIIBBHHH', sport, dport, seq & 0xffffffff, ack & 0xffffffff,
                      off << 4, flags, window, 0, urg) + options
    seg = hdr + data
    pseudo = ip_bytes(src) + ip_bytes(dst) + struct.pack('!BBH', 0, 6, len(seg))
    c = csum(pseudo + seg) if check is None else check
    return seg[:16] + struct.pack('!H', c) + seg[18:]


def tcp_fields(f):
    """(sport, dport, seq, ack, flags, window, payload) of a frame from the guest."""
    ihl = (f[14] & 15) * 4
    t = f[14 + ihl:]
    total = struct.unpack('!H', f[16:18])[0]
    sport, dport, seq, ack, off, flags, win = struct.unpack('!HHIIBBH', t[:16])
    return sport, dport, seq, ack, flags, win, t[(off >> 4) * 4:total - ihl]


def arp(op, sha, spa, tha, tpa):
    return struct.pack('!HHBBH6s4s6s4s', 1, 0x0800, 6, 4, op, sha, ip_bytes(spa), tha,
                       ip_bytes(tpa))


def dhcp_reply(req, msg_type):
    """An OFFER (2) or ACK (5) for the guest's DISCOVER or REQUEST payload."""
    xid, chaddr = req[4:8], req[28:44]
    fixed = struct.pack('!BBBB', 2, 1, 6, 0) + xid + b'\0' * 4 + b'\0' * 4 + \
        ip_bytes(GUEST_IP) + ip_bytes(PEER_IP) + b'\0' * 4 + chaddr + b'\0' * 192
    opts = bytes([53, 1, msg_type, 54, 4]) + ip_bytes(PEER_IP) + \
        bytes([51, 4]) + struct.pack('!I', 3600) + bytes([1, 4]) + ip_bytes(MASK) + \
        bytes([3, 4]) + ip_bytes(PEER_IP) + b'\xff'
    return fixed + b'\x63\x82\x53\x63' + opts


class Wire:
    """Our end of the link. frames: every frame from the guest that the
    wire did not answer itself (ARP requests for 10.0.2.2 and DHCP are
    answered), as (ethertype, frame)."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(('127.0.0.1', 0))
        self.port = self.sock.getsockname()[1]
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        probe.bind(('127.0.0.1', 0))
        self.qemu_port = probe.getsockname()[1]
        probe.close()
        self.frames = queue.Queue()
        self.stopping = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def qemu_args(self):
        return ['-netdev', f'socket,id=w0,udp=127.0.0.1:{self.port},'
                           f'localaddr=127.0.0.1:{self.qemu_port}',
                '-device', 'virtio-net-pci,netdev=w0,mac=02:00:00:00:00:42,'
                           'disable-legacy=on,addr=0x3']

    def send(self, frame):
        self.sock.sendto(frame, ('127.0.0.1', self.qemu_port))

    def _answer(self, f):
        etype = struct.unpack('!H', f[12:14])[0]
        if etype == 0x0806 and len(f) >= 42 and f[20:22] == b'\0\1' and \
                f[38:42] == ip_bytes(PEER_IP):
            self.send(eth(arp(2, PEER_MAC, PEER_IP, f[22:28],
                              struct.unpack('!I', f[28:32])[0]), 0x0806, dst=f[6:12]))
            return True
        if etype == 0x0800 and len(f) >= 42 and f[23] == 17 and f[36:38] == b'\0\x43':
            payload = f[42:]
            kind = None
            i = 240
            while i + 1 < len(payload) and payload[i] != 255:
                if payload[i] == 0:
                    i += 1
                    continue
                if payload[i] == 53:
                    kind = payload[i + 2]
                i += 2 + payload[i + 1]
            reply = {1: 2, 3: 5}.get(kind)
            if reply:
                self.send(eth(ipv4(udp(67, 68, dhcp_reply(payload, reply), dst=0xffffffff),
                                   17, dst=0xffffffff), dst=BCAST))
            return True
        return False

    def _run(self):
        self.sock.settimeout(0.5)
        while not self.stopping:
            try:
                f, _ = self.sock.recvfrom(65536)
            except socket.timeout:
                continue
            except OSError:
                return
            if len(f) >= 14 and not self._answer(f):
                self.frames.put((struct.unpack('!H', f[12:14])[0], f))

    def expect(self, match, timeout, what='the frame expected'):
        """The first frame from the guest for which match(frame) is true,
        waiting up to timeout seconds; others are dropped (the last few are
        named in the error, to tell what came instead)."""
        import time
        end = time.monotonic() + timeout
        others = []
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f'no {what} from the guest in {timeout} s; '
                                     f'{len(others)} other frames, the last: '
                                     f'{[o.hex()[:120] for o in others[-3:]]}')
            try:
                _, f = self.frames.get(timeout=left)
            except queue.Empty:
                continue
            if match(f):
                return f
            others.append(f)

    def close(self):
        self.stopping = True
        self.thread.join(timeout=5)
        self.sock.close()

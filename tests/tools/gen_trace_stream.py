#!/usr/bin/env python3
"""Writes a synthetic AetherOS trace stream (include/aether/trace.h, the
COM2 framing; docs/TRACE.md) with a scripted workload, for the tests of
aether-scope, and says what a correct reader must find in it.

The workload, in three parts (trace time):
  1. 0-3 s: init(1) has started console(2), vfs(3) and shell(4); shell
     calls vfs (vfs replies) and sends to console; context switches on two
     CPUs; V-Node snapshots every second. Garbage, a frame with a bad
     checksum, a frame of an unknown type and a cut-off frame sit in the
     middle: a reader must resync and lose no real frame.
  2. 3-4.5 s: console is killed by a fault (PROC_FAULT, PROC_EXIT; the
     snapshot says "restarting"); shell keeps calling vfs.
  3. 4.5-7 s: init starts console again as pid 5 (PROC_SPAWN,
     PROC_RESTART; snapshot "running"); traffic as in part 1.

  gen_trace_stream.py --out FILE [--parts DIR] [--expect FILE]
                      [--calls N] [--sends M]

--parts writes part1.bin..part3.bin (FILE is their concatenation), for a
test that plays the stream in steps. --expect writes the exact counts as
JSON: messages per edge by V-Node name, records, snapshots, flows.
"""
import argparse
import json
import os
import random
import struct

# enum ae_trace_type
SEND, CALL, REPLY, RECV, SWITCH, PAGE_FAULT, QUOTA_DENY, IRQ = 1, 2, 3, 4, 5, 6, 7, 8
SPAWN, EXIT, FAULT, RESTART, LOST = 9, 10, 11, 12, 13
# AE_TRACE_IPC_* flags in arg3 of an IPC record
HANDOFF, RECEIVER_WAITED, SENDER_WAITED = 1, 2, 4
# enum ae_vnode_state
RUNNING, RESTARTING = 2, 3

MS = 1_000_000
US = 1_000
SEC = 1_000_000_000

INIT, CONSOLE, VFS, SHELL, CONSOLE2 = 1, 2, 3, 4, 5
TID = {INIT: 10, CONSOLE: 20, VFS: 30, SHELL: 40, CONSOLE2: 50}
QUOTA = {'init': 4096, 'console': 256, 'vfs': 1024, 'shell': 512}


def frame(kind, payload):
    assert len(payload) < 256
    return b'AT' + kind + bytes([len(payload)]) + payload + bytes([sum(payload) & 0xff])


def hello(base_ns):
    return frame(b'H', b'AETHER-TRACE 1' + struct.pack('<Q', base_ns))


# Each V-Node's handles (handle, AE_OBJ_* type, rights, badge): what its
# 'C' frames list. shell's needs two frames (11 entries a frame).
OBJ_NAMES = {3: 'endpoint', 4: 'notification', 5: 'vmo', 7: 'ioports'}
HANDLES = {
    'init': [(0x1, 3, 0x0f0, 0), (0x2, 5, 0x00b, 0)],
    'console': [(0x1, 3, 0x060, 0), (0x2, 7, 0x003, 0), (0x3, 5, 0x00b, 0)],
    'vfs': [(0x1, 3, 0x060, 0), (0x4, 3, 0x050, 3)],
    'shell': [(0x10 + i, (3, 5, 4)[i % 3], (0x050, 0x00b, 0x300)[i % 3], i * 0x100)
              for i in range(14)],
}


def rights_text(r):
    return ''.join(c if r >> i & 1 else '-' for i, c in enumerate('rwxmsvgdSWM'))


def caps(ts, pid, handles):
    """A V-Node's handle list as 'C' frames of up to 11 entries."""
    out = b''
    for first in range(0, max(len(handles), 1), 11):
        part = handles[first:first + 11]
        body = struct.pack('<QIHH', ts, pid, len(handles), first)
        for h, t, r, b in part:
            body += struct.pack('<IHHIII', h, t, 0, r, b & 0xffffffff, b >> 32)
        out += frame(b'C', body)
    return out


def vnode(ts, pid, name, state, restarts, cpu_ns, pages, quota, sent, received):
    body = struct.pack('<24sIIQQQQQQ', name.encode(), state, restarts, cpu_ns, pages, quota,
                       sent, received, 0)
    return frame(b'V', struct.pack('<QII', ts, pid, 0) + body)


class Stream:
    def __init__(self):
        self.seq = {}
        self.events = []            # (ts, order, bytes, record-or-None)
        self.order = 0

    def rec(self, ts, typ, cpu, pid, tid, peer=0, a0=0, a1=0, a2=0, a3=0):
        self.seq[cpu] = self.seq.get(cpu, 0) + 1
        raw = struct.pack('<QQHHIII4Q', self.seq[cpu], ts, typ, cpu, pid, tid, peer,
                          a0, a1, a2, a3)
        self.add(ts, frame(b'R', raw), (typ, pid, peer))

    def add(self, ts, data, info=None):
        self.events.append((ts, self.order, data, info))
        self.order += 1

    def take(self):
        """The frames so far in time order (CPU 1's records of each 50 ms
        batch after CPU 0's, as rings drained in turn would give them)."""
        ev = sorted(self.events, key=lambda e: (e[0] // (50 * MS), e[1]))
        self.events = []
        return ev


def name_args(name):
    raw = name.encode().ljust(24, b'\0')
    return struct.unpack('<3Q', raw)


class Workload:
    def __init__(self, calls, sends):
        self.s = Stream()
        self.calls, self.sends = calls, sends
        self.names = {INIT: 'init', CONSOLE: 'console', VFS: 'vfs', SHELL: 'shell',
                      CONSOLE2: 'console'}
        self.edges = {}
        self.cpu_ns = {n: 0 for n in QUOTA}
        self.sent = {n: 0 for n in QUOTA}
        self.received = {n: 0 for n in QUOTA}
        self.restarts = 0
        self.console_pid = CONSOLE
        self.console_state = RUNNING

    def msg(self, ts, typ, cpu, src, dst, label, flags, waited):
        """One message: a single record, its receipt included (arg1 the
        info word, arg3 flags | receiving tid << 32)."""
        self.s.rec(ts, typ, cpu, src, TID[src], dst, a0=src, a1=label, a2=waited,
                   a3=flags | TID[dst] << 32)
        key = f'{self.names[src]}->{self.names[dst]}'
        self.edges[key] = self.edges.get(key, 0) + 1
        self.sent[self.names[src]] += 1
        self.received[self.names[dst]] += 1

    def call_vfs(self, t):
        # vfs works 2 ms on each call, shell 1 ms between calls: enough CPU
        # for the bars to show. Both messages hand the CPU straight over.
        self.msg(t, CALL, 0, SHELL, VFS, 0x201, HANDOFF | RECEIVER_WAITED, 40 * US)
        self.msg(t + 2 * MS, REPLY, 0, VFS, SHELL, 0, HANDOFF | RECEIVER_WAITED, 2 * MS)
        self.cpu_ns['vfs'] += 2 * MS
        self.cpu_ns['shell'] += 1 * MS

    def send_console(self, t):
        s, c = self.s, self.console_pid
        self.msg(t, SEND, 0, SHELL, c, 0x301, RECEIVER_WAITED, 3 * MS)
        s.rec(t + 5 * US, SWITCH, 1, 0, 0, c, a0=TID[c], a1=0)
        # console is preempted with output still to write (not blocked), so
        # it shows as running between messages
        s.rec(t + 3 * MS, SWITCH, 1, c, TID[c], 0, a0=0, a1=0)
        self.cpu_ns['console'] += 3 * MS

    def snapshots(self, t):
        pages = {'init': 900, 'console': 40, 'vfs': 300 + t // SEC * 20, 'shell': 120}
        for pid, name in ((INIT, 'init'), (self.console_pid, 'console'), (VFS, 'vfs'),
                          (SHELL, 'shell')):
            state = self.console_state if name == 'console' else RUNNING
            live_pid = 0 if name == 'console' and state != RUNNING else pid
            self.s.add(t, vnode(t, live_pid, name, state,
                                self.restarts if name == 'console' else 0,
                                self.cpu_ns[name], pages[name], QUOTA[name],
                                self.sent[name], self.received[name]))
            if live_pid:
                data = caps(t, live_pid, HANDLES[name])
                while data:             # one event per frame
                    n = 4 + data[3] + 1
                    self.s.add(t, data[:n])
                    data = data[n:]

    def traffic(self, t0, t1, calls, sends):
        """calls and sends spread evenly over [t0, t1), snapshots each
        second, made in time order so each snapshot counts what came
        before it."""
        todo = [(t0 + (t1 - t0) * i // calls, 0, self.call_vfs) for i in range(calls)]
        todo += [(t0 + (t1 - t0) * i // sends + 7 * MS, 1, self.send_console)
                 for i in range(sends)]
        todo += [(t, 2, self.snapshots) for t in range((t0 + SEC - 1) // SEC * SEC, t1, SEC)]
        for t, _, fn in sorted(todo, key=lambda x: (x[0], x[1])):
            fn(t)

    def part1(self):
        s = self.s
        s.add(0, hello(0))
        for pid in (CONSOLE, VFS, SHELL):
            s.rec(pid * 100 * US, SPAWN, 0, INIT, TID[INIT], pid, *name_args(self.names[pid]))
        s.rec(400 * US, IRQ, 1, 0, 0, 0, a0=0x24, a1=4)
        self.traffic(1 * MS, 3 * SEC, self.calls * 3 // 7, self.sends * 3 // 6)
        return s.take()

    def part2(self):
        s = self.s
        t = 3 * SEC
        s.rec(t, FAULT, 1, CONSOLE, TID[CONSOLE], 0, a0=14, a1=0xdead0000, a2=0x401234)
        s.rec(t + 10 * US, EXIT, 1, CONSOLE, TID[CONSOLE], 0, a0=(1 << 64) - 1, a1=1)
        s.rec(t + 50 * US, QUOTA_DENY, 0, SHELL, TID[SHELL], 0, a0=0, a1=64, a2=10)
        self.console_state = RESTARTING
        self.restarts = 1
        self.cpu_ns['console'] = 0
        self.snapshots(t + 50 * MS)
        self.traffic(t + 1 * MS, 4500 * MS, self.calls * 1 // 7, 0)
        return s.take()

    def part3(self):
        s = self.s
        t = 4500 * MS
        self.console_pid = CONSOLE2
        s.rec(t, SPAWN, 0, INIT, TID[INIT], CONSOLE2, *name_args('console'))
        s.rec(t + 5 * US, RESTART, 0, INIT, TID[INIT], CONSOLE, a0=CONSOLE2)
        self.console_state = RUNNING
        self.snapshots(t + 100 * MS)
        self.traffic(t + 1 * MS, 7 * SEC, self.calls - self.calls * 4 // 7,
                     self.sends - self.sends * 3 // 6)
        return s.take()


def garbage(rng):
    """Bytes a reader must skip: noise without 'A' (so no accidental frame
    start), an "AT" of an unknown type, a record frame with a wrong
    checksum, a magic with an impossible length."""
    noise = bytes(rng.choice(b'0123456789BCDEFxyz\x00\xff\n') for _ in range(37))
    payload = bytes(rng.choice(b'BCDEFGH\x01\x02') for _ in range(64))
    bad_sum = b'ATR' + bytes([64]) + payload + bytes([(sum(payload) + 1) & 0xff])
    return noise + b'ATZ\x05hello' + bad_sum + b'ATR\x07' + noise


def decode(data):
    """A reference decoder (the rule of trace.h: skip to the next "AT"
    whose frame checks out), to prove the stream decodes as intended."""
    out, i = [], 0
    sizes = {ord('R'): (64,), ord('V'): (96, 88), ord('H'): tuple(range(14, 65)),
             ord('C'): tuple(16 + 20 * k for k in range(12))}
    while i + 4 <= len(data):
        if data[i:i + 2] != b'AT' or data[i + 3] not in sizes.get(data[i + 2], ()):
            i += 1
            continue
        n = data[i + 3]
        end = i + 4 + n
        if end >= len(data) or sum(data[i + 4:end]) & 0xff != data[end]:
            i += 1
            continue
        out.append(data[i:end + 1])
        i = end + 1
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', required=True)
    ap.add_argument('--parts')
    ap.add_argument('--expect')
    ap.add_argument('--calls', type=int, default=280)
    ap.add_argument('--sends', type=int, default=120)
    args = ap.parse_args()
    rng = random.Random(6)
    w = Workload(args.calls, args.sends)
    parts, frames = [], []
    for make in (w.part1, w.part2, w.part3):
        evs = make()
        blob = bytearray()
        for k, (_, _, data, _) in enumerate(evs):
            if make == w.part1 and k == len(evs) // 2:
                blob += garbage(rng)
                cut = next(d for _, _, d, _ in evs[k:] if d[2:3] == b'R')
                blob += cut[:30]            # a frame cut off by a reset
            blob += data
            frames.append(data)
        parts.append(bytes(blob))
    stream = b''.join(parts)
    # Every real frame, and nothing else, must come out of the reader.
    if decode(stream) != frames:
        raise SystemExit('gen_trace_stream: the garbage swallowed a real frame; change it')
    with open(args.out, 'wb') as f:
        f.write(stream)
    if args.parts:
        os.makedirs(args.parts, exist_ok=True)
        for i, p in enumerate(parts, 1):
            with open(os.path.join(args.parts, f'part{i}.bin'), 'wb') as f:
                f.write(p)
    n_rec = sum(1 for d in frames if d[2:3] == b'R')
    expect = {
        'edges': w.edges,
        'messages': sum(w.edges.values()),
        'records': n_rec,
        'snapshots': sum(1 for d in frames if d[2:3] == b'V'),
        'caps_frames': sum(1 for d in frames if d[2:3] == b'C'),
        'handles': {n: [[f'0x{h:x}', OBJ_NAMES[t], rights_text(r), f'0x{b:x}'] for h, t, r, b in hs]
                    for n, hs in HANDLES.items()},
        'frames': len(frames),
        'nodes': {'init': [INIT], 'console': [CONSOLE, CONSOLE2], 'vfs': [VFS], 'shell': [SHELL]},
        'parts': [len(p) for p in parts],
        'end_ns': 7 * SEC,
    }
    text = json.dumps(expect, indent=1, sort_keys=True)
    if args.expect:
        with open(args.expect, 'w') as f:
            f.write(text + '\n')
    else:
        print(text)


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Tests of build/tools/aether-scope (docs/TRACE.md) on the synthetic
stream of gen_trace_stream.py: the trace-event export (valid format, flows
that pair up, IPC counts exactly as generated), and the server
(/api/state, /api/node, the page's files, --follow, --record, --connect
with a reconnect) including malformed and hostile HTTP requests.

Run alone:  python3 tests/tools/test_aether_scope.py -v
(AETHER_SCOPE=PATH picks another binary; `make tool-test` builds and runs it.)
"""
import collections
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scope_util import TOOL, Server, make_stream, parse_response  # noqa: E402

NAMES = {1: 'init', 2: 'console', 3: 'vfs', 4: 'shell', 5: 'console'}


def run_tool(*args, expect=0):
    p = subprocess.run([TOOL, *args], capture_output=True, text=True, timeout=60)
    if expect is not None and p.returncode != expect:
        raise AssertionError(f'aether-scope {" ".join(args)}: exit {p.returncode}, expected '
                             f'{expect}\nstdout: {p.stdout}\nstderr: {p.stderr}')
    return p


class Export(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix='aether-scope-test-')
        cls.stream, cls.parts, cls.expect = make_stream(cls.dir)
        cls.out = os.path.join(cls.dir, 'trace.json')
        run_tool('export', '--input', cls.stream, '--output', cls.out)
        with open(cls.out) as f:
            cls.trace = json.load(f)
        cls.events = cls.trace['traceEvents']

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def test_object_format(self):
        self.assertEqual(self.trace['displayTimeUnit'], 'ns')
        self.assertIsInstance(self.events, list)
        self.assertGreater(len(self.events), 1000)
        for e in self.events:
            self.assertIn(e['ph'], 'XsfiCM', e)
            for k in ('ts', 'pid', 'tid', 'name'):
                self.assertIn(k, e, e)
            self.assertIsInstance(e['pid'], int)
            self.assertIsInstance(e['tid'], int)
            self.assertIsInstance(e['ts'], (int, float))
            self.assertGreaterEqual(e['ts'], 0)
            if e['ph'] == 'X':
                self.assertGreaterEqual(e['dur'], 0, e)
            if e['ph'] == 'i':
                self.assertIn(e['s'], ('t', 'p', 'g'))
            if e['ph'] in 'sf':
                self.assertIn('id', e)
            if e['ph'] == 'M':
                self.assertIn(e['name'], ('process_name', 'thread_name', 'process_sort_index',
                                          'thread_sort_index'))
                self.assertIn('args', e)
        other = self.trace['otherData']
        self.assertEqual(other['frames'], self.expect['frames'])
        self.assertEqual(other['records'], self.expect['records'])
        self.assertEqual(other['snapshots'], self.expect['snapshots'])
        self.assertGreater(other['bad_frames'], 0)      # the generator's damaged frames
        self.assertGreater(other['garbage_bytes'], 0)

    def test_process_name_for_each_vnode(self):
        names = {e['pid']: e['args']['name'] for e in self.events
                 if e['ph'] == 'M' and e['name'] == 'process_name'}
        for pid, name in NAMES.items():
            self.assertEqual(names.get(pid), name, names)
        self.assertEqual(names.get(0), 'CPUs')
        threads = [e['args']['name'] for e in self.events
                   if e['ph'] == 'M' and e['name'] == 'thread_name' and e['pid'] == 0]
        self.assertEqual(sorted(threads), ['CPU 0', 'CPU 1'])

    def test_flows_pair_up_and_bind_to_slices(self):
        starts = {e['id']: e for e in self.events if e['ph'] == 's'}
        ends = {e['id']: e for e in self.events if e['ph'] == 'f'}
        self.assertEqual(len(starts), sum(1 for e in self.events if e['ph'] == 's'))
        self.assertEqual(len(ends), sum(1 for e in self.events if e['ph'] == 'f'))
        self.assertEqual(set(starts), set(ends))
        slices = collections.defaultdict(list)
        for e in self.events:
            if e['ph'] == 'X':
                slices[(e['pid'], e['tid'])].append(e)

        def enclosing(ev):
            return [x for x in slices[(ev['pid'], ev['tid'])]
                    if x['ts'] <= ev['ts'] <= x['ts'] + x['dur'] and x['cat'] == 'ipc']

        for fid, s in starts.items():
            f = ends[fid]
            self.assertEqual((s['cat'], s['name']), (f['cat'], f['name']))
            self.assertEqual(f.get('bp'), 'e')
            self.assertLessEqual(s['ts'], f['ts'])
            self.assertEqual(len(enclosing(s)), 1, s)
            self.assertEqual(len(enclosing(f)), 1, f)
            self.assertEqual(NAMES[s['pid']], s['args']['src'])
            self.assertEqual(NAMES[f['pid']], f['args']['dst'])

    def test_ipc_counts_match_the_generator(self):
        got = collections.Counter(f"{e['args']['src']}->{e['args']['dst']}"
                                  for e in self.events if e['ph'] == 's')
        self.assertEqual(dict(got), self.expect['edges'])
        ipc_slices = sum(1 for e in self.events if e['ph'] == 'X' and e['cat'] == 'ipc')
        self.assertEqual(ipc_slices, 2 * self.expect['messages'])

    def test_context_switch_slices(self):
        running = [e for e in self.events if e['ph'] == 'X' and e['name'] == 'running']
        on_cpus = [e for e in self.events if e['ph'] == 'X' and e['pid'] == 0]
        self.assertGreater(len(running), 500)
        self.assertEqual(len(running), len(on_cpus))
        self.assertEqual({e['pid'] for e in running}, {2, 3, 4, 5})
        self.assertEqual({e['name'] for e in on_cpus}, {'shell', 'vfs', 'console'})
        # one thread never runs on two CPUs at once
        by_thread = collections.defaultdict(list)
        for e in running:
            by_thread[(e['pid'], e['tid'])].append((e['ts'], e['ts'] + e['dur']))
        for spans in by_thread.values():
            spans.sort()
            for a, b in zip(spans, spans[1:]):
                self.assertLessEqual(a[1], b[0] + 1e-6)

    def test_instant_events(self):
        inst = collections.Counter((e['name'], e['pid']) for e in self.events if e['ph'] == 'i')
        self.assertEqual(inst[('proc_spawn', 1)], 4)
        self.assertEqual(inst[('proc_fault', 2)], 1)
        self.assertEqual(inst[('proc_exit', 2)], 1)
        self.assertEqual(inst[('proc_restart', 1)], 1)
        self.assertEqual(inst[('quota_deny', 4)], 1)
        fault = next(e for e in self.events if e['name'] == 'proc_fault')
        self.assertIn('console (pid 2) killed by a fault', fault['args']['text'])

    def test_memory_counters(self):
        c = [e for e in self.events if e['ph'] == 'C']
        self.assertTrue(c)
        self.assertTrue(all(set(e['args']) == {'used', 'quota'} for e in c))

    def test_export_of_garbage_and_empty_input(self):
        junk = os.path.join(self.dir, 'junk.bin')
        rng = random.Random(1)
        with open(junk, 'wb') as f:
            f.write(bytes(rng.choice(b'ATRVH\x40\x60\x00\xff') for _ in range(200000)))
        out = os.path.join(self.dir, 'junk.json')
        run_tool('export', '--input', junk, '--output', out)
        with open(out) as f:
            t = json.load(f)
        self.assertFalse([e for e in t['traceEvents'] if e['ph'] in 'sfX'])
        empty = os.path.join(self.dir, 'empty.bin')
        open(empty, 'wb').close()
        run_tool('export', '--input', empty, '--output', out)
        with open(out) as f:
            self.assertEqual(json.load(f)['otherData']['frames'], 0)

    def test_export_usage_errors(self):
        run_tool('export', '--input', os.path.join(self.dir, 'missing'), '--output',
                 os.path.join(self.dir, 'x.json'), expect=1)
        self.assertFalse(os.path.exists(os.path.join(self.dir, 'x.json')))
        run_tool('export', '--input', self.stream, expect=2)
        run_tool('export', '--bogus', expect=2)
        run_tool(expect=2)
        run_tool('--input', self.stream, '--connect', '127.0.0.1:1', expect=2)
        run_tool('--connect', 'no-port', '--port', '0', expect=1)
        run_tool('--input', self.stream, '--port', '70000', expect=2)


class Serve(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix='aether-scope-test-')
        cls.stream, cls.parts, cls.expect = make_stream(cls.dir)
        cls.srv = Server('--input', cls.stream)
        cls.state = cls.srv.wait_for(lambda s: s['stream']['frames'] == cls.expect['frames'],
                                     'the whole file')

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()
        shutil.rmtree(cls.dir)

    def test_state_nodes(self):
        nodes = {n['name']: n for n in self.state['nodes']}
        self.assertEqual(sorted(nodes), ['console', 'init', 'shell', 'vfs'])
        self.assertEqual(nodes['console']['pid'], 5)
        self.assertEqual(nodes['console']['state'], 'running')
        self.assertEqual(nodes['console']['restarts'], 1)
        self.assertEqual(nodes['vfs']['state'], 'blocked')   # waits for calls
        self.assertEqual(nodes['shell']['pages_quota'], 512)
        self.assertGreater(nodes['vfs']['cpu_pct'], 1)
        for n in nodes.values():
            self.assertIn(n['state'], ('running', 'blocked', 'faulted', 'restarting'))
            self.assertNotIn('handles', n)      # lists only in /api/node
        st = self.state['stream']
        self.assertEqual(st['records'], self.expect['records'])
        self.assertEqual(st['snapshots'], self.expect['snapshots'])
        self.assertEqual(st['caps_frames'], self.expect['caps_frames'])
        self.assertGreater(st['bad_frames'], 0)
        self.assertEqual(self.state['source'], {'kind': 'file', 'target': self.stream,
                                                'connected': False, 'follow': False,
                                                'connects': 1})

    def test_state_edges(self):
        edges = {f"{e['src']}->{e['dst']}": e for e in self.state['edges']}
        self.assertEqual({k: e['count'] for k, e in edges.items()}, self.expect['edges'])
        for e in edges.values():
            self.assertGreater(e['rate'], 0, e)
        # the last part: 120 calls in 2.5 s, so 48/s over any 2 s of it
        self.assertAlmostEqual(edges['shell->vfs']['rate'], 48.0, delta=8)

    def test_events(self):
        ev = self.state['events']
        types = [e['type'] for e in ev]
        for t in ('hello', 'proc_spawn', 'proc_fault', 'proc_exit', 'proc_restart', 'state'):
            self.assertIn(t, types)
        texts = [e['text'] for e in ev]
        self.assertIn('console: running -> restarting', texts)
        self.assertIn('console: restarting -> running', texts)
        self.assertEqual(ev, sorted(ev, key=lambda e: -e['ts_ns']))

    def test_node_endpoint(self):
        for q in ('pid=2', 'pid=5', 'name=console'):
            d = self.srv.json('/api/node?' + q)
            self.assertEqual(d['name'], 'console')
            self.assertEqual(sorted(d['pids']), [2, 5])
            self.assertTrue(d['ipc'])
            self.assertTrue(all(m['dir'] == 'in' and m['peer'] == 'shell' for m in d['ipc']))
        shell = self.srv.json('/api/node?pid=4')
        self.assertEqual(len(shell['ipc']), 64)
        # its handles: the newest list, two frames' worth, as scope sent them
        self.assertEqual([[hex(h['handle']), h['type'], h['rights'], hex(h['badge'])]
                          for h in shell['handles']], self.expect['handles']['shell'])
        self.assertEqual((shell['handles_total'], shell['handles_pid']), (14, 4))
        self.assertFalse(any(h['revoked'] for h in shell['handles']))
        self.assertEqual(len(self.srv.json('/api/node?name=console')['handles']), 3)
        self.assertEqual({m['type'] for m in shell['ipc']} - {'call', 'reply', 'send'}, set())
        for q, status in (('pid=999', 404), ('pid=abc', 400), ('pid=', 400), ('', 400),
                          ('pid=99999999999', 400), ('name=%zz', 400), ('name=nobody', 404)):
            self.assertEqual(self.srv.get('/api/node?' + q)[0], status, q)

    def test_page_files(self):
        status, h, body = self.srv.get('/')
        self.assertEqual(status, 200)
        self.assertTrue(h['content-type'].startswith('text/html'))
        self.assertIn(b'/scope.js', body)
        status, h, body = self.srv.get('/scope.js')
        self.assertEqual(status, 200)
        self.assertTrue(h['content-type'].startswith('text/javascript'))
        status, h, body = self.srv.get('/index.html', method='HEAD')
        self.assertEqual((status, body), (200, b''))
        self.assertGreater(int(h['content-length']), 1000)

    def test_malformed_requests(self):
        srv = self.srv
        cases = [
            (b'garbage\r\n\r\n', 400),
            (b'\x00\x01\x02\xff\r\n\r\n', 400),
            (b'GET /../../etc/passwd HTTP/1.1\r\n\r\n', 404),
            (b'GET /nope HTTP/1.1\r\n\r\n', 404),
            (b'POST /api/state HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc', 405),
            (b'GET /' + b'a' * 5000 + b' HTTP/1.1\r\n\r\n', 414),
            (b'GET / HTTP/1.1\r\nX: ' + b'a' * 100000 + b'\r\n\r\n', 431),
            (b'GET / HTTP/9.9\r\n\r\n', 400),
            (b'GET / HTTP/1.1\r\nBad header\r\n\r\n', 400),
        ]
        for req, want in cases:
            status, h, body = parse_response(srv.raw(req))
            self.assertEqual(status, want, req[:60])
            self.assertIn(b'"error"', body)
        # a client that sends half a request and goes away
        with socket.create_connection(('127.0.0.1', srv.port)) as s:
            s.sendall(b'GET /api/sta')
        # more idle or unfinished connections than the server keeps: the
        # oldest give way, so a real request is still answered meanwhile
        idle = [socket.create_connection(('127.0.0.1', srv.port)) for _ in range(100)]
        try:
            for s in idle[:50]:
                s.sendall(b'GET / HTTP/1.1\r\n')
            time.sleep(0.2)
            self.assertEqual(srv.get('/api/state')[0], 200)
        finally:
            for s in idle:
                s.close()
        self.assertTrue(srv.alive())
        self.assertEqual(srv.get('/api/state')[0], 200)

    def test_random_requests(self):
        rng = random.Random(3)
        for _ in range(200):
            n = rng.randrange(0, 3000)
            req = bytes(rng.choice(b'GET /api?=&%:\r\n HTTP/1.\x00\xff') for _ in range(n))
            try:
                self.srv.raw(req + b'\r\n\r\n', timeout=5)
            except socket.timeout:
                pass
        self.assertTrue(self.srv.alive())
        self.assertEqual(self.srv.get('/api/state')[0], 200)


class Live(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='aether-scope-test-')
        self.stream, self.parts, self.expect = make_stream(self.dir)
        self.srv = None

    def tearDown(self):
        if self.srv:
            self.srv.stop()
        shutil.rmtree(self.dir)

    def read(self, path):
        with open(path, 'rb') as f:
            return f.read()

    def test_follow_and_record(self):
        live = os.path.join(self.dir, 'live.bin')
        rec = os.path.join(self.dir, 'rec.bin')
        open(live, 'wb').close()
        self.srv = Server('--input', live, '--follow', '--record', rec)
        with open(live, 'ab') as f:
            data = self.read(self.parts[0])
            # in odd pieces, as a growing file gives them
            for i in range(0, len(data), 7777):
                f.write(data[i:i + 7777])
                f.flush()
                time.sleep(0.01)
        s = self.srv.wait_for(lambda s: s['stream']['bytes'] == len(data), 'part 1')
        console = next(n for n in s['nodes'] if n['name'] == 'console')
        self.assertEqual(console['state'], 'running')
        with open(live, 'ab') as f:
            f.write(self.read(self.parts[1]))
        s = self.srv.wait_for(
            lambda s: any(n['name'] == 'console' and n['state'] == 'restarting'
                          for n in s['nodes']), 'console restarting')
        with open(live, 'ab') as f:
            f.write(self.read(self.parts[2]))
        s = self.srv.wait_for(lambda s: s['stream']['records'] == self.expect['records'],
                              'all records')
        self.assertEqual({f"{e['src']}->{e['dst']}": e['count'] for e in s['edges']},
                         self.expect['edges'])
        self.assertTrue(s['source']['follow'])
        self.srv.stop()
        self.srv = None
        self.assertEqual(self.read(rec), self.read(self.stream))

    def test_connect_and_reconnect(self):
        # A TCP server plays QEMU's chardev: part 1 on the first connection,
        # which then drops; parts 2 and 3 on the next. (A comment, not a
        # docstring: unittest -v would print it and run_tests.py would not
        # see the result line.)
        lsock = socket.socket()
        lsock.bind(('127.0.0.1', 0))
        lsock.listen(2)
        lsock.settimeout(20)
        port = lsock.getsockname()[1]
        conns = []

        def feeder():
            c, _ = lsock.accept()
            conns.append(c)
            c.sendall(self.read(self.parts[0]))
            time.sleep(0.3)
            c.close()
            c, _ = lsock.accept()
            conns.append(c)
            c.sendall(self.read(self.parts[1]) + self.read(self.parts[2]))
            time.sleep(0.5)

        t = threading.Thread(target=feeder, daemon=True)
        t.start()
        rec = os.path.join(self.dir, 'rec.bin')
        self.srv = Server('--connect', f'127.0.0.1:{port}', '--record', rec)
        try:
            s = self.srv.wait_for(lambda s: s['stream']['records'] == self.expect['records'],
                                  'all records over two connections')
            self.assertEqual(s['source']['connects'], 2)
            self.assertEqual(s['source']['kind'], 'connect')
            self.assertEqual({f"{e['src']}->{e['dst']}": e['count'] for e in s['edges']},
                             self.expect['edges'])
        finally:
            t.join(timeout=20)
            lsock.close()
            for c in conns:
                c.close()
        err = self.srv.stop()
        self.srv = None
        self.assertIn('connection closed', err)
        self.assertEqual(self.read(rec), self.read(self.stream))


if __name__ == '__main__':
    unittest.main()

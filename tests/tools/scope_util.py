"""Helpers shared by the aether-scope tests: the synthetic stream, the
server run as a user would (a child process on a free port), HTTP by
raw sockets so malformed requests can be sent too."""
import json
import os
import re
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.environ.get('AETHER_SCOPE', os.path.join(ROOT, 'build', 'tools', 'aether-scope'))
GEN = os.path.join(ROOT, 'tests', 'tools', 'gen_trace_stream.py')


def make_stream(dirname):
    """Writes stream.bin, parts/part1..3.bin and expect.json into dirname;
    returns (stream path, parts paths, expected counts)."""
    out = os.path.join(dirname, 'stream.bin')
    exp = os.path.join(dirname, 'expect.json')
    parts = os.path.join(dirname, 'parts')
    subprocess.run([sys.executable, GEN, '--out', out, '--parts', parts, '--expect', exp],
                   check=True, timeout=60)
    with open(exp) as f:
        expect = json.load(f)
    return out, [os.path.join(parts, f'part{i}.bin') for i in (1, 2, 3)], expect


class Server:
    """aether-scope serving on a free port; stop() ends it and returns its
    stderr."""

    def __init__(self, *args):
        self.proc = subprocess.Popen([TOOL, *args, '--port', '0'], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.match(r'aether-scope: serving on http://127\.0\.0\.1:(\d+)/$', line.strip())
        if not m:
            self.proc.kill()
            raise AssertionError(f'no "serving on" line: {line!r} {self.proc.stderr.read()}')
        self.port = int(m.group(1))
        self.url = f'http://127.0.0.1:{self.port}/'

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        err = self.proc.stderr.read()
        self.proc.stdout.close()
        self.proc.stderr.close()
        return err

    def raw(self, data, timeout=10):
        """Sends data, returns everything the server answers before it closes."""
        with socket.create_connection(('127.0.0.1', self.port), timeout=timeout) as s:
            try:
                s.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass
            chunks = []
            while True:
                try:
                    c = s.recv(65536)
                except ConnectionResetError:
                    break
                if not c:
                    break
                chunks.append(c)
        return b''.join(chunks)

    def get(self, path, method='GET'):
        """(status, headers dict, body bytes)"""
        resp = self.raw(f'{method} {path} HTTP/1.1\r\nHost: x\r\n\r\n'.encode())
        return parse_response(resp, head=method == 'HEAD')

    def json(self, path):
        status, _, body = self.get(path)
        if status != 200:
            raise AssertionError(f'GET {path}: {status} {body[:200]!r}')
        return json.loads(body)

    def wait_for(self, pred, what, timeout=20):
        """Polls /api/state until pred(state) holds."""
        end = time.monotonic() + timeout
        state = None
        while time.monotonic() < end:
            state = self.json('/api/state')
            if pred(state):
                return state
            time.sleep(0.1)
        raise AssertionError(f'timed out waiting for {what}; last state: '
                             f'{json.dumps(state)[:2000] if state else None}')


def parse_response(resp, head=False):
    head, _, body = resp.partition(b'\r\n\r\n')
    lines = head.decode('latin-1').split('\r\n')
    m = re.match(r'HTTP/1\.1 (\d{3}) ', lines[0] if lines else '')
    if not m:
        raise AssertionError(f'not an HTTP response: {resp[:200]!r}')
    headers = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(':')
        headers[k.strip().lower()] = v.strip()
    if not head and 'content-length' in headers and int(headers['content-length']) != len(body):
        raise AssertionError(f'Content-Length {headers["content-length"]} but {len(body)} bytes')
    return int(m.group(1)), headers, body

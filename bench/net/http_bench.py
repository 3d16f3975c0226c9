#!/usr/bin/env python3
"""HTTP requests per second and latency: wrk against AetherOS's httpd and,
in the same run and the same QEMU configuration, against busybox httpd in
the reference Linux guest (bench/linux-ref/build.sh, netbench.cpio.gz),
both serving the same file (user/vnodes/httpd/index.html) through QEMU
user networking's forward of a loopback port (bench/README.md, "Network:
HTTP").

Each guest is booted once; wrk runs against it with keep-alive and then
with a new connection per request ("Connection: close"). busybox httpd
closes every connection after its answer whatever the client asks, so
against Linux both runs make a connection per request. Prints a table and
the ratios, and writes build/bench/http.json. Never passes or fails on the
figures: the exit status is non-zero only when a guest does not boot, does
not serve the file byte for byte, or wrk fails."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'bench', 'lib'))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'system'))
import qemu_boot_time as qbt   # noqa: E402
from test_net import free_port  # noqa: E402

OUT = os.path.join(ROOT, 'build', 'bench', 'http')
LINUX = os.path.join(ROOT, 'build', 'linux-ref')
PAGE = os.path.join(ROOT, 'user', 'vnodes', 'httpd', 'index.html')
DURATION = int(os.environ.get('WRK_DURATION', '30'))
CONNS = int(os.environ.get('WRK_CONNS', '16'))
BOOT_TIMEOUT = 600
SMP = 2
MEM = '1G'


def qemu_cmd(accel, port, log):
    cpu = 'host' if accel == 'kvm' else 'max'
    return ['qemu-system-x86_64', '-machine', 'q35', '-m', MEM, '-smp', str(SMP),
            '-accel', accel, '-cpu', cpu, '-display', 'none', '-monitor', 'none',
            '-serial', 'file:' + log, '-no-reboot',
            '-netdev', f'user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:{port}-:80',
            '-device', 'virtio-net-pci,netdev=n0,disable-legacy=on,addr=0x3']


def guests(accel):
    """(name, server, what to add to the QEMU line, its ready line)."""
    iso = os.path.join(OUT, 'aetheros.iso')
    # A private copy: the same image throughout even if the ISO is rebuilt,
    # and no other QEMU holds its lock.
    shutil.copyfile(os.path.join(ROOT, 'build', 'aetheros.iso'), iso)
    cmdline = open(os.path.join(LINUX, 'cmdline')).read().strip()
    return [
        ('AetherOS', 'httpd V-Node', ['-drive', 'format=raw,file=' + iso],
         r'httpd: serving /boot/vnodes/httpd on port 80'),
        ('Linux', 'busybox httpd', ['-kernel', os.path.join(LINUX, 'vmlinuz'),
                                    '-initrd', os.path.join(LINUX, 'netbench.cpio.gz'),
                                    '-append', cmdline],
         r'LINUX-NET ready'),
    ]


def wait_ready(proc, log, pattern, timeout):
    rx = re.compile(pattern)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f'bench-http: QEMU exited ({proc.returncode}); see {log}')
        try:
            text = open(log, errors='replace').read()
        except OSError:
            text = ''
        if 'LINUX-NET error' in text:
            raise SystemExit(f'bench-http: the Linux guest failed; see {log}')
        if rx.search(text):
            return
        time.sleep(0.2)
    raise SystemExit(f'bench-http: no /{pattern}/ within {timeout} s; see {log}')


def fetch_page(port, want, timeout):
    """The page over HTTP, retried until it comes (the forward is there
    before the guest's server is); it must be the file, byte for byte."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f'http://127.0.0.1:{port}/index.html', timeout=60) as r:
                body = r.read()
            if body != want:
                raise SystemExit(f'bench-http: the guest served {len(body)} bytes, '
                                 f'not the {len(want)} of {PAGE}')
            return
        except OSError as e:
            last = e
            time.sleep(0.5)
    raise SystemExit(f'bench-http: the page never came: {last}')


UNITS = {'us': 1e-3, 'ms': 1.0, 's': 1e3, 'm': 60e3}


def ms(text):
    m = re.fullmatch(r'([\d.]+)(us|ms|s|m)', text)
    return float(m.group(1)) * UNITS[m.group(2)]


def parse_wrk(out):
    r = {}
    m = re.search(r'(\d+) requests in ([\d.]+)(s|m)', out)
    r['requests'] = int(m.group(1))
    r['rps'] = float(re.search(r'Requests/sec:\s+([\d.]+)', out).group(1))
    for p in ('50', '75', '90', '99'):
        r['p' + p] = ms(re.search(rf'^\s+{p}%\s+(\S+)\s*$', out, re.M).group(1))
    m = re.search(r'Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)', out)
    r['errors'] = dict(zip(('connect', 'read', 'write', 'timeout'),
                           (int(x) for x in m.groups()))) if m else {}
    m = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
    r['non2xx'] = int(m.group(1)) if m else 0
    return r


def run_wrk(port, close, save):
    cmd = ['wrk', '-t1', f'-c{CONNS}', f'-d{DURATION}s', '--latency', '--timeout', '10s']
    if close:
        cmd += ['-H', 'Connection: close']
    cmd.append(f'http://127.0.0.1:{port}/index.html')
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=DURATION + 120)
    with open(save, 'w') as f:
        f.write(' '.join(cmd) + '\n' + p.stdout + p.stderr)
    if p.returncode != 0 or 'Requests/sec' not in p.stdout:
        raise SystemExit(f'bench-http: wrk failed ({p.returncode}): {p.stderr.strip()}')
    try:
        return parse_wrk(p.stdout)
    except (AttributeError, KeyError) as e:
        raise SystemExit(f'bench-http: cannot read wrk\'s output ({e!r}); see {save}')


def bench_guest(accel, name, server, extra, ready, want):
    port = free_port()
    log = os.path.join(OUT, name.lower() + '.log')
    if os.path.exists(log):
        os.unlink(log)
    # Its own process group, stopped by its PID whatever happens here.
    proc = subprocess.Popen(qemu_cmd(accel, port, log) + extra, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                            start_new_session=True)
    rows = {}
    try:
        wait_ready(proc, log, ready, BOOT_TIMEOUT)
        fetch_page(port, want, BOOT_TIMEOUT)
        for mode, close in (('keep-alive', False), ('close', True)):
            print(f'bench-http: {name} ({server}), {mode}: wrk -c{CONNS} for {DURATION} s',
                  flush=True)
            rows[mode] = run_wrk(port, close, os.path.join(OUT, f'{name.lower()}-{mode}.txt'))
        fetch_page(port, want, 60)      # still serving, still right
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return rows


def main():
    qbt.install_signal_handlers()
    os.makedirs(OUT, exist_ok=True)
    accel = qbt.choose_accel()
    want = open(PAGE, 'rb').read()
    results = {}
    gl = guests(accel)
    for name, server, extra, ready in gl:
        results[name] = bench_guest(accel, name, server, extra, ready, want)
    a, l = results['AetherOS'], results['Linux']
    print()
    print(f'wrk -t1 -c{CONNS} -d{DURATION}s against /index.html ({len(want)} bytes) through '
          f'QEMU user networking: q35, -smp {SMP}, -m {MEM}, {accel}, virtio-net')
    print()
    print(f'{"guest":<9} {"server":<14} {"mode":<11} {"requests/s":>11} {"p50 ms":>8} '
          f'{"p75 ms":>8} {"p90 ms":>8} {"p99 ms":>8} {"errors":>7}')
    for name, server, _, _ in gl:
        for mode in ('keep-alive', 'close'):
            r = results[name][mode]
            errs = sum(r['errors'].values()) + r['non2xx']
            print(f'{name:<9} {server:<14} {mode:<11} {r["rps"]:>11.1f} {r["p50"]:>8.2f} '
                  f'{r["p75"]:>8.2f} {r["p90"]:>8.2f} {r["p99"]:>8.2f} {errs:>7}')
    print()
    ratios = {}
    for mode in ('keep-alive', 'close'):
        ratios[mode] = {'rps': a[mode]['rps'] / l[mode]['rps'] if l[mode]['rps'] else None,
                        'p50': l[mode]['p50'] / a[mode]['p50'] if a[mode]['p50'] else None}
        print(f'{mode}: AetherOS/Linux requests/s {ratios[mode]["rps"]:.2f}; '
              f'Linux/AetherOS median latency {ratios[mode]["p50"]:.2f} (above 1: AetherOS ahead)')
    print('(busybox httpd closes every connection: both Linux rows make one per request)')
    with open(os.path.join(ROOT, 'build', 'bench', 'http.json'), 'w') as f:
        json.dump({'config': {'machine': 'q35', 'smp': SMP, 'memory': MEM, 'accel': accel,
                              'wrk': {'threads': 1, 'connections': CONNS,
                                      'duration_s': DURATION},
                              'file': 'user/vnodes/httpd/index.html', 'bytes': len(want)},
                   'results': results, 'ratios': ratios}, f, indent=1)
    return 0


if __name__ == '__main__':
    sys.exit(main())

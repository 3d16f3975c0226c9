"""System tests of user space: boot to the shell, drive it over the serial
console as a person would, and check what it and init print. Each shell
command is followed by `echo =END=$?=`, whose line marks where the
command's output ends and carries its exit status."""
import json
import os
import re
import shutil
import socket
import tempfile
import time
import subprocess

from qemu import Qemu, GuestError, ROOT

BUILD = os.path.join(ROOT, 'build')
ISO = os.path.join(BUILD, 'aetheros.iso')
VNODES_ISO = os.path.join(BUILD, 'test', 'vnodes.iso')
BOOT_TIMEOUT = 300
CMD_TIMEOUT = 120
BANNER = r'AetherOS shell\. Type help for the commands\.'
KLOG = re.compile(r'\[\s*\d+\.\d+\] cpu\d+ [A-Z] ')
READY = r'\[init:1\] init: ready: '


def uncut(lines):
    """Console lines without the kernel's log lines. A kernel line may cut
    into the echo or the output: its text runs to the end of that line,
    and what it cut resumes on the next line (after any further whole
    kernel lines); the two parts are joined again."""
    out, cut = [], ''
    for line in lines:
        k = KLOG.search(line)
        if k:
            cut += line[:k.start()]
            continue
        out.append(cut + line)
        cut = ''
    return out


def typed(line, prompted, sent):
    """True when line is what was typed, echoed back after the prompt (or
    the start of it, when the rest never came)."""
    return any(line == s or (prompted and line and s.startswith(line)) for s in sent)


class Shell:
    def __init__(self, ctx, image, smp=2, debug_exit=False, extra=()):
        # A private copy: a QEMU still dying from the last test holds a
        # lock on the image it booted.
        self.image = os.path.join(ctx.log_dir, ctx.name + '.iso')
        os.makedirs(ctx.log_dir, exist_ok=True)
        shutil.copyfile(image, self.image)
        self.q = Qemu.boot(ctx.name, ctx.log_dir, self.image, smp=smp, mem='1G',
                           debug_exit=debug_exit, extra=extra)
        self.n = 0
        try:
            self.q.wait_for(BANNER, BOOT_TIMEOUT)
            self.q.wait_for(READY, BOOT_TIMEOUT)     # the boot's own lines are out
        except Exception:
            self.stop()
            raise

    def run(self, cmd, timeout=CMD_TIMEOUT, settle=None):
        """Runs cmd; returns (status, its output lines without kernel log
        lines and without the echoed command line). settle: a pattern (a
        log line the command causes) to wait for before typing on."""
        self.n += 1
        start = self.q.line_count()
        self.q.send(cmd + '\r')
        if settle:
            self.q.wait_line(settle, timeout, after=start)
        end_cmd = f'echo =END{self.n}=$?='
        self.q.send(end_cmd + '\r')
        marker = re.compile(rf'^(aether> )?=END{self.n}=(-?\d+)=$')

        def find(lines):
            text = uncut(lines[start:])
            for i, line in enumerate(text):
                m = marker.search(line)
                if m:
                    return text[:i], m
            return None
        text, m = self.q.wait_until(find, timeout, f'=END{self.n}=')
        out = []
        for line in text:
            prompted = line.startswith('aether> ')
            while line.startswith('aether> '):
                line = line[len('aether> '):]
            if line == '' or typed(line, prompted, (cmd, end_cmd)):
                continue
            out.append(line)
        return int(m.group(2)), out

    def ok(self, cmd, timeout=CMD_TIMEOUT, settle=None):
        status, out = self.run(cmd, timeout, settle)
        if status != 0:
            raise AssertionError(f'`{cmd}` exited {status}: {out}')
        return out

    def stop(self):
        if getattr(self, 'q', None):
            self.q.stop()
        if os.path.exists(self.image):
            os.unlink(self.image)


def has(lines, pattern):
    return any(re.search(pattern, l) for l in lines)


def expect(lines, pattern, what):
    if not has(lines, pattern):
        raise AssertionError(f'{what}: no /{pattern}/ in {lines}')


def ps_row(sh, name):
    for l in sh.ok('ps'):
        f = l.split()
        if f and f[0] == name:
            return {'pid': int(f[1]), 'state': f[2], 'restarts': int(f[3]),
                    'mem': f[4], 'line': l}
    raise AssertionError(f'ps has no row for {name}')


def with_shell(image=ISO, **kw):
    def wrap(fn):
        def test(ctx):
            sh = Shell(ctx, image, **kw)
            try:
                return fn(sh)
            finally:
                sh.stop()
        test.__doc__ = fn.__doc__
        return test
    return wrap


@with_shell()
def shl0001(sh):
    """SHL0001 make run's image boots to the aether> prompt; ps lists init, console, vfs and shell running, with pids, memory used/quota, CPU time and IPC messages out/in"""
    out = sh.ok('ps')
    expect(out, r'^NAME\s+PID\s+STATE\s+RESTARTS\s+MEM KiB\s+CPU ms\s+IPC OUT/IN', 'ps header')
    for name in ('init', 'console', 'vfs', 'shell'):
        expect(out, rf'^{name}\s+\d+\s+running\s+0\s+\d+/\d+\s+\d+\s+[1-9]\d*/[1-9]\d*',
               f'ps row of {name} (with IPC messages sent and received)')
    expect(out, r'^crashtest\s+0\s+stopped', 'crashtest is admitted, not started')
    return f'{len(out) - 1} V-Nodes listed'


@with_shell()
def shl0002(sh):
    """SHL0002 help lists every command and explains one; an unknown command or bad arguments give a one-line error and a status, never a crash"""
    out = sh.ok('help')
    for c in ('help', 'echo', 'ls', 'cat', 'ps', 'caps', 'start', 'stop', 'restart', 'kill',
              'mem', 'uptime', 'log', 'poweroff', 'reboot', 'crash', 'grep', 'wc', 'head', 'tee'):
        expect(out, rf'^  {c}\b', f'help lists {c}')
    expect(sh.ok('help caps'), r'^usage: caps NAME', 'help caps')
    st, out = sh.run('frobnicate now')
    assert st == 127 and out == ['shell: frobnicate: command not found (try help)'], (st, out)
    for cmd, want in (('caps', r'^caps: usage: caps NAME'), ('kill', r'^kill: usage'),
                      ('ps extra', r'^ps: usage: ps'), ('head -n x', r"^head: bad count 'x'"),
                      ('kill shell 0', r"^kill: bad status '0'"),
                      ('start nosuch', r'^start: nosuch: not found'),
                      ('echo "open', r'^shell: unterminated quote'),
                      ('ls |', r'^shell: syntax error near end of line')):
        st, out = sh.run(cmd)
        assert st != 0 and len(out) == 1 and re.search(want, out[0]), (cmd, st, out)
    expect(sh.ok('echo still here'), r'^still here$', 'the shell still answers')


@with_shell()
def shl0003(sh):
    """SHL0003 quoting, $?, ';', '&&', '||' and pipes (ps | grep | wc, cat of a pipe, head)"""
    assert sh.ok("echo 'a  b' \"c d\" e\\ f") == ['a  b c d e f']
    assert sh.ok('false; echo $?') == ['1']
    assert sh.ok('true && echo yes || echo no') == ['yes']
    assert sh.ok('false && echo yes || echo no') == ['no']
    assert sh.ok("echo '$?' \"$?\"") == ['$? 0']
    expect(sh.ok('ps | grep console'), r'^console\s', 'ps | grep')
    out = sh.ok('ps | grep running | wc')
    lines, words, chars = (int(x) for x in out[0].split())
    assert lines >= 4 and words >= 6 * lines and chars > 0, out
    assert sh.ok('echo one two | cat | cat') == ['one two']
    assert sh.ok('help | head -n 2 | wc')[0].split()[0] == '2'
    st, out = sh.run('ps | grep nosuchthing')
    assert st == 1 and out == [], (st, out)


@with_shell()
def shl0004(sh):
    """SHL0004 the file service: ls / and /boot (the AetherFS image: each V-Node bundle's files), cat of a manifest from /boot, the /sys files, writing and reading back a /tmp file; /boot and /sys refuse writes; a missing file is an error"""
    assert sh.ok('ls /') == ['boot/', 'sys/', 'tmp/']
    boot = sh.ok('ls /boot')
    assert len(boot) == 2 and re.match(r'hwm\s+\d+$', boot[0]) and boot[1] == 'vnodes/', boot
    assert sh.ok('cat /boot/hwm') == ['console 0.1.0', 'crashtest 0.1.0', 'httpd 0.1.0',
                                      'net-bridge 0.1.0',
                                      'net-stack 0.1.0', 'pci 0.1.0', 'scope 0.1.0',
                                      'shell 0.1.0', 'vfs 0.1.0']
    boot = sh.ok('ls /boot/vnodes')
    for v in ('console/', 'crashtest/', 'shell/', 'vfs/'):
        assert v in boot, boot
    out = sh.ok('ls /boot/vnodes/shell')
    expect(out, r'^manifest\s+\d+$', 'the manifest in /boot/vnodes/shell')
    expect(out, r'^shell\.elf\s+\d+$', 'the binary in /boot/vnodes/shell')
    with open(os.path.join(ROOT, 'user/vnodes/shell/manifest')) as f:
        want = f.read().splitlines()
    assert sh.ok('cat /boot/vnodes/shell/manifest') == want
    assert sh.ok('cat /boot/vnodes/shell/manifest | grep needs') == [l for l in want if 'needs' in l]
    expect(sh.ok('ls /sys'), r'^vnodes\b', '/sys/vnodes')
    expect(sh.ok('cat /sys/vnodes'), r'^shell \d+ running 0 \d+ 512 \d+ \d+ \d+$', '/sys/vnodes row')
    expect(sh.ok('cat /sys/memory'), r'^total_kib \d+$', '/sys/memory')
    assert sh.ok('cat /sys/cpus') == ['2']
    t1 = float(sh.ok('cat /sys/uptime')[0])
    t2 = float(sh.ok('cat /sys/uptime')[0])
    assert 0 < t1 < t2, (t1, t2)
    assert sh.ok('ls /tmp') == []
    assert sh.ok('echo hello file | tee /tmp/note') == ['hello file']
    assert sh.ok('cat /tmp/note') == ['hello file']
    expect(sh.ok('ls /tmp'), r'^note\s+11$', 'the file written, 11 bytes')
    assert sh.ok('echo again | tee /tmp/note; cat /tmp/note') == ['again', 'again']
    st, out = sh.run('echo x | tee /boot/vnodes/shell/manifest')
    assert st == 1 and out == ['tee: /boot/vnodes/shell/manifest: access denied: missing rights'], out
    st, out = sh.run('echo x | tee /sys/uptime')
    assert st == 1 and 'access denied' in out[0], out
    st, out = sh.run('cat /boot/nosuch')
    assert st == 1 and out == ['cat: /boot/nosuch: not found'], (st, out)
    st, out = sh.run('ls /boot/../sys')
    assert st == 1 and out == ['ls: /boot/../sys: invalid argument'], (st, out)


@with_shell()
def shl0005(sh):
    """SHL0005 caps shell shows only what its manifest grants (endpoints badged with its id, itself, its buffers; no hardware); caps console shows its IRQ and I/O ports"""
    out = sh.ok('caps shell')
    rows = [l.split() for l in out[1:-1]]
    types = {r[1] for r in rows}
    assert types <= {'endpoint', 'process', 'notification', 'vmo'}, out
    badges = {r[3] for r in rows if r[1] == 'endpoint'}
    assert len(badges) == 1 and badges != {'0'}, f'all its endpoints carry its id: {out}'
    assert sum(r[1] == 'process' for r in rows) == 1, out
    assert not any(r[2][5] == 'v' for r in rows if r[1] == 'endpoint'), \
        f'the shell receives on nothing: {out}'
    out = sh.ok('caps console')
    expect(out, r'^0x[0-9a-f]+\s+irq\s', 'console holds its IRQ')
    expect(out, r'^0x[0-9a-f]+\s+ioports\s', 'console holds its I/O ports')
    assert not has(out, r'\sdevmem\s'), out


@with_shell()
def shl0006(sh):
    """SHL0006 kill a service (console, then vfs): init logs it and restarts it with its restart count incremented, and the shell keeps answering through it"""
    before = ps_row(sh, 'console')
    # What is typed while the console is down is lost with it: wait.
    sh.ok('kill console', settle=r'init: started console \(pid \d+, start 2\)')
    sh.q.wait_for(r'init: console exited with status -1000', CMD_TIMEOUT)
    assert sh.ok('echo through the new console') == ['through the new console']
    after = ps_row(sh, 'console')
    assert after['restarts'] == before['restarts'] + 1 and after['state'] == 'running', after
    assert after['pid'] != before['pid'], (before, after)
    sh.ok('kill vfs 7', settle=r'init: started vfs \(pid \d+, start 2\)')
    sh.q.wait_for(r'init: vfs exited with status 7', CMD_TIMEOUT)
    assert sh.ok('ls /') == ['boot/', 'sys/', 'tmp/']
    assert ps_row(sh, 'vfs')['restarts'] == 1


@with_shell()
def shl0007(sh):
    """SHL0007 start, stop and restart: crashtest starts on request, stops and stays stopped, restarts with a new pid"""
    sh.ok('start crashtest', settle=r'init: started crashtest')
    assert ps_row(sh, 'crashtest')['state'] == 'running'
    st, out = sh.run('start crashtest')
    assert st == 1 and out == ['start: crashtest: resource busy'], out
    pid = ps_row(sh, 'crashtest')['pid']
    sh.ok('restart crashtest', settle=r'init: started crashtest \(pid \d+, start 2\)')
    row = ps_row(sh, 'crashtest')
    assert row['state'] == 'running' and row['pid'] != pid, row
    sh.ok('stop crashtest', settle=r'init: crashtest exited with status -1000')
    assert ps_row(sh, 'crashtest')['state'] == 'stopped'


CRASHES = [('null', r'page fault at 0 '), ('rowrite', r'page fault at 0x4'),
           ('illegal', r'invalid opcode'), ('divzero', r'divide error'),
           ('stack', r'stack overflow|page fault'), ('spin', r'CPU budget exhausted')]


@with_shell()
def shl0008(sh):
    """SHL0008 each crashtest fault mode (null, read-only write, illegal instruction, divide by zero, stack overflow, a CPU-budget spin) is reported by init and contained"""
    done = []
    for mode, report in CRASHES:
        out = sh.ok(f'crash {mode}', timeout=300,
                    settle=rf'init: crashtest faulted: ({report})')
        assert out == [f'crashtest is gone ({mode}); `log` and `ps` tell how'], out
        assert ps_row(sh, 'crashtest')['state'] == 'exited'
        for name in ('init', 'console', 'vfs', 'shell'):
            assert ps_row(sh, name)['restarts'] == 0, name
        done.append(mode)
    return ', '.join(done)


@with_shell()
def shl0009(sh):
    """SHL0009 a V-Node using a handle it was not granted gets AE_ERR_BAD_HANDLE and logs it"""
    out = sh.ok('crash handle', settle=r'crashtest: a handle it was not given')
    assert out == ['crashtest used a handle it was not given: bad handle'], out
    sh.q.wait_for(r'\[crashtest:\d+\] crashtest: a handle it was not given: bad handle',
                  CMD_TIMEOUT)


@with_shell()
def shl0010(sh):
    """SHL0010 mem and uptime report plausible figures; log shows the kernel's and V-Nodes' lines"""
    m = re.match(r'total (\d+) KiB, free (\d+) KiB, given to V-Nodes (\d+) KiB, init (\d+) KiB',
                 sh.ok('mem')[0])
    total, free, given, own = (int(x) for x in m.groups())
    assert total > 900 * 1024 and free + given + own == total and given >= 7 * 1024, m.groups()
    u1 = float(re.match(r'up (\d+\.\d+) s', sh.ok('uptime')[0]).group(1))
    u2 = float(re.match(r'up (\d+\.\d+) s', sh.ok('uptime')[0]).group(1))
    assert 0 < u1 < u2, (u1, u2)
    # Log lines look like the kernel's own, which run() drops: count them.
    def count(cmd):
        return int(sh.ok(cmd + ' | wc')[0].split()[0])
    assert count("log 200 | grep 'AetherOS 0.1.0 ready'") == 1
    assert count("log 200 | grep '[init:1] init: started shell'") == 1
    assert count('log 3') == 3
    assert count('log 200') > 20


def ends_qemu(ctx, cmd):
    """Types cmd at the prompt; QEMU must then exit by itself with status 0."""
    sh = Shell(ctx, ISO)
    try:
        sh.q.send(cmd + '\r')
        status = sh.q.wait_exit(BOOT_TIMEOUT)
        if status != 0:
            raise AssertionError(f'QEMU exit status {status}, expected 0')
    finally:
        sh.stop()


def shl0011(ctx):
    """SHL0011 poweroff ends QEMU by ACPI, with status 0"""
    ends_qemu(ctx, 'poweroff')


def shl0012(ctx):
    """SHL0012 reboot restarts the machine (QEMU -no-reboot exits at the reset)"""
    ends_qemu(ctx, 'reboot')


@with_shell(VNODES_ISO, debug_exit=True)
def shl0013(sh):
    """SHL0013 a V-Node whose quota does not fit is refused with the reason, a crash-looping one is stopped after its max_restarts, and everything else runs"""
    sh.q.wait_for(r'init: refused toobig: quota does not fit: memory 61440000 KiB, \d+ KiB left',
                  BOOT_TIMEOUT)
    sh.q.wait_for(r'init: crashloop failed: 3 restarts in a row; not restarted', BOOT_TIMEOUT)
    row = ps_row(sh, 'toobig')
    assert row['state'] == 'refused' and 'quota does not fit' in row['line'], row
    row = ps_row(sh, 'crashloop')
    assert row['state'] == 'failed' and row['restarts'] == 3, row
    for name in ('init', 'console', 'vfs', 'shell'):
        assert ps_row(sh, name)['state'] == 'running', name
    assert sh.ok('echo alive') == ['alive']


def bundle_root(name):
    """The Merkle root aether-pack reports for build/vnodes/NAME.vnode."""
    out = subprocess.run([os.path.join(BUILD, 'tools', 'aether-pack'), 'inspect',
                          os.path.join(BUILD, 'vnodes', name + '.vnode')],
                         capture_output=True, text=True, check=True).stdout
    m = re.search(r'\broot:?\s+([0-9a-f]{64})', out)
    assert m, out
    return m.group(1)


def vnode_rows(sh):
    rows = {}
    for l in sh.ok('vnode list')[1:]:
        m = re.match(r'(\S+)\s+(\S+)\s+([0-9a-f]{16})\s+(\d+/\d+(?: \([\d,]+\))?)\s+(.*)$', l)
        assert m, l
        rows[m.group(1)] = {'version': m.group(2), 'root': m.group(3), 'signers': m.group(4),
                            'rest': m.group(5)}
    return rows


@with_shell()
def shl0014(sh):
    """SHL0014 signed bundles: trust shows the installed root (2 of 3 keys); vnode list shows every V-Node verified with its version, root and signers; vnode verify checks one again (the root is the one aether-pack computed on the host); a restart reuses the verified copy (no second check)"""
    out = sh.ok('trust')
    assert re.match(r'trust root version 1: 2 of 3 keys must sign \(rotations at boot: 0\)$',
                    out[0]), out
    assert len(out) == 4 and all(re.match(r'  key \d: [0-9a-f]{64}$', l) for l in out[1:]), out
    rows = vnode_rows(sh)
    assert sorted(rows) == ['console', 'crashtest', 'httpd', 'net-bridge', 'net-stack', 'pci',
                            'scope', 'shell', 'vfs'], rows
    for name, r in rows.items():
        assert r['version'] == '0.1.0' and r['rest'].endswith('verified'), r
        assert r['signers'] == '2/3 (0,1)', r
        assert bundle_root(name).startswith(r['root']), (name, r)
    out = sh.ok('vnode verify shell')
    assert re.match(r'shell 0\.1\.0: good: root ([0-9a-f]{64}), 2 signers, \d+ blocks checked, '
                    r'\d+ kcycles$', out[0]), out
    assert bundle_root('shell') in out[0], out
    st, out = sh.run('vnode verify nosuch')
    assert st == 1 and out == ['vnode: nosuch: not found'], out
    st, out = sh.run('vnode frobnicate')
    assert st == 2 and out == ['vnode: usage: vnode list | vnode verify NAME'], out
    # Each was checked once at boot; a restart starts from init's checked copy.
    verified = r'init: verified console 0\.1\.0'
    before = len([l for l in sh.q.lines if re.search(verified, l)])
    assert before == 1, before
    sh.ok('kill console', settle=r'init: started console \(pid \d+, start 2\)')
    assert sh.ok('echo still here') == ['still here']
    assert len([l for l in sh.q.lines if re.search(verified, l)]) == 1


@with_shell(VNODES_ISO, debug_exit=True)
def shl0015(sh):
    """SHL0015 an image with bundles that must be refused (tampered content, an unknown key, too few signers, a bad signature, a rollback) and a forged trust-root rotation: each refused with its reason logged, a good rotation accepted, everything else runs, vnode verify reports the others good, and /boot serves the tampered bundle's intact blocks but not the changed one"""
    for pat in (r'init: trust root rotated to version 2 \(2 of 4 keys\)',
                r'init: trust root trust/3 refused: too few signers',
                r'init: refused tampered: content does not match its Merkle root \(binary\)',
                r'init: refused rogue: signed by a key the trust root does not list \(signatures\)',
                r'init: refused lonely: too few signers \(signatures\)',
                r'init: refused forged: bad signature \(signatures\)',
                r'init: refused oldie: rollback: older than a version already seen'):
        sh.q.wait_for(pat, BOOT_TIMEOUT)
    rows = vnode_rows(sh)
    for name in ('tampered', 'rogue', 'lonely', 'forged', 'oldie'):
        assert 'refused' in rows[name]['rest'], rows[name]
        assert ps_row(sh, name)['state'] == 'refused', name
    assert rows['rogue']['signers'] == '0/4', rows['rogue']
    assert rows['lonely']['signers'] == '1/4 (0)', rows['lonely']
    assert rows['oldie']['version'] == '0.0.1', rows['oldie']
    for name in ('console', 'vfs', 'shell', 'crashtest', 'crashloop'):
        assert rows[name]['rest'].endswith('verified'), rows[name]
        out = sh.ok(f'vnode verify {name}')
        assert re.search(r': good: root [0-9a-f]{64}, 2 signers', out[0]), out
    for name in ('init', 'console', 'vfs', 'shell'):
        assert ps_row(sh, name)['state'] == 'running', name
    st, out = sh.run('vnode verify tampered')
    assert st == 1 and out == ['vnode: tampered 0.1.0: BAD: content does not match its Merkle '
                               'root (content)'], out
    st, out = sh.run('vnode verify rogue')
    assert st == 1 and 'signed by a key the trust root does not list' in out[0], out
    out = sh.ok('trust')
    assert out[0].startswith('trust root version 2: 2 of 4 keys must sign (rotations at boot: 1)'), out
    # The changed byte is in the binary's first block; the manifest's block
    # is intact and still reads.
    expect(sh.ok('cat /boot/vnodes/tampered/manifest'), r'^name = tampered$', 'intact block')
    st, out = sh.run('cat /boot/vnodes/tampered/crashloop.elf')
    assert st == 1 and out[-1] == ('cat: /boot/vnodes/tampered/crashloop.elf: content does not '
                                   'match its Merkle root'), out
    assert sh.ok('echo alive') == ['alive']


@with_shell()
def shl0016(sh):
    """SHL0016 top: per-V-Node CPU %, memory and state; -n N prints N snapshots (one into a pipe); on the terminal it refreshes every second until a key is pressed"""
    out = sh.ok('top -n 2')
    heads = [i for i, l in enumerate(out) if l.startswith('top: ')]
    assert len(heads) == 2, out
    rows = out[heads[1] + 2:]
    names = {l.split()[0]: l for l in rows}
    for name in ('init', 'console', 'vfs', 'shell'):
        assert re.match(rf'{name}\s+\d+ running\s+\d+\.\d\s+\d+/\d+\s+\d+$', names[name]), names
    assert re.match(r'crashtest\s+0 stopped\s+0\.0\s+0/\d+\s+0$', names['crashtest']), names
    # top asks init for the list once a refresh: the shell's IPC rate is not 0.
    assert int(names['shell'].split()[-1]) > 0, names['shell']
    piped = sh.ok('top | wc')
    assert int(piped[0].split()[0]) == 2 + len(rows), (piped, rows)   # one snapshot
    st, out = sh.run('top -n 0')
    assert st == 2 and out == ["top: bad count '0' (1 to 1000)"], out
    # Interactive: two refreshes, then a key ends it and the prompt is back.
    start = sh.q.line_count()
    sh.q.send('top\r')
    first, _ = sh.q.wait_line(r'top: \d+ V-Nodes', CMD_TIMEOUT, after=start)
    second, _ = sh.q.wait_line(r'top: \d+ V-Nodes', CMD_TIMEOUT, after=first + 1)
    sh.q.wait_line(r'^vfs\s', CMD_TIMEOUT, after=second)     # the refresh's last row
    sh.q.send('q')
    out = sh.ok('echo back')
    assert out == ['back'], out


def qmp_query_pci(path, timeout=60):
    """QEMU's own view of the PCI functions (QMP query-pci), to check the
    guest's against: {(bus, slot, fn): device}."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            c = socket.socket(socket.AF_UNIX)
            c.connect(path)
            break
        except OSError:
            c.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    with c, c.makefile('rw') as f:
        json.loads(f.readline())                            # greeting
        for cmd in ('qmp_capabilities', 'query-pci'):
            f.write(json.dumps({'execute': cmd}) + '\n')
            f.flush()
            while True:
                reply = json.loads(f.readline())
                if 'return' in reply or 'error' in reply:
                    break
        out = {}
        for bus in reply['return']:
            for d in bus['devices']:
                out[(d['bus'], d['slot'], d['function'])] = d
        return out


UNITS = {'B': 1, 'KiB': 1 << 10, 'MiB': 1 << 20, 'GiB': 1 << 30, 'TiB': 1 << 40}


def lspci_v(lines):
    """lspci -v's lines: {(bus, dev, fn): {'id', 'class', 'bars': {i: (kind, base, size,
    prefetch)}, 'caps'}}."""
    out, cur = {}, None
    for l in lines:
        m = re.match(r'^0000:([0-9a-f]{2}):([0-9a-f]{2})\.(\d) ([0-9a-f]{4}:[0-9a-f]{4}) .*'
                     r'\(class ([0-9a-f]{4})[0-9a-f]{2} rev [0-9a-f]{2}\)$', l)
        if m:
            cur = out[(int(m[1], 16), int(m[2], 16), int(m[3]))] = {
                'id': m[4], 'class': int(m[5], 16), 'bars': {}, 'caps': ''}
            continue
        m = re.match(r'^    BAR(\d) (I/O ports|memory64|memory) (0x[0-9a-f]+|0), (\d+) (\w+)'
                     r'(, prefetchable)?$', l)
        if m and cur is not None:
            cur['bars'][int(m[1])] = ('io' if m[2] == 'I/O ports' else m[2], int(m[3], 16),
                                      int(m[4]) * UNITS[m[5]], bool(m[6]))
        elif l.startswith('    capabilities:') and cur is not None:
            cur['caps'] = l
        elif l.startswith('    virtio:') and cur is not None:
            cur['virtio'] = l.strip()
    return out


NET_UP = r'\[net-stack:\d+\] net-stack: (\S+) gateway (\S+) \((DHCP|static)\)'


def kill_net_bridge(sh, restarted):
    """Kills net-bridge; init must turn the card's bus mastering and INTx
    off, the log must show restarted (a pattern), net-stack its lease
    again, and ping must answer."""
    start = sh.q.line_count()
    sh.ok('kill net-bridge')
    sh.q.wait_line(r'init: PCI 0000:00:03\.0: bus mastering and INTx off \(net-bridge ended\)',
                   BOOT_TIMEOUT, after=start)
    sh.q.wait_line(restarted, BOOT_TIMEOUT, after=start)
    sh.q.wait_line(NET_UP, BOOT_TIMEOUT, after=start)
    out = sh.ok('ping -c 2 10.0.2.2')
    assert out[-1] == '2 packets transmitted, 2 received, 0% packet loss', out


def shl0018(ctx):
    """SHL0018 networking through the virtio-net driver V-Node and net-stack: DHCP from QEMU user networking gives 10.0.2.15/24; ifconfig (or net) shows the address, the MAC and frame counters; ping 10.0.2.2 gets 3 replies of 3 (slirp answers them itself); a ping to an address nobody has gets none; no rx buffer stays held; killing net-bridge turns the device's bus mastering and INTx off, both V-Nodes start over and ping answers again"""
    sh = Shell(ctx, ISO, extra=['-netdev', 'user,id=n0,restrict=on',
                                '-device', 'virtio-net-pci,netdev=n0,mac=02:00:00:00:00:42,'
                                'disable-legacy=on,addr=0x3'])
    try:
        m = sh.q.wait_for(NET_UP, BOOT_TIMEOUT)
        assert m.group(1) == '10.0.2.15/24' and m.group(3) == 'DHCP', m.group(0)
        out = sh.ok('ifconfig')
        assert out[0] == 'eth0: link up  mtu 1500', out
        assert out[1].split() == ['inet', '10.0.2.15', 'netmask', '255.255.255.0', 'gateway',
                                  'none', '(DHCP)'], out
        assert out[2].split() == ['ether', '02:00:00:00:00:42'], out
        rx0 = int(out[3].split()[2])
        assert rx0 >= 1, out                  # the DHCP offer and ack at least
        assert sh.ok('net')[:3] == out[:3]    # its other name
        st, bad = sh.run('net eth0')
        assert st == 2 and bad == ['net: usage: net'], (st, bad)
        out = sh.ok('ping -c 3 10.0.2.2')
        assert out[0] == 'PING 10.0.2.2: 56 data bytes', out
        for seq in (1, 2, 3):
            assert re.match(rf'64 bytes from 10\.0\.2\.2: icmp_seq={seq} ttl=\d+ time=\d+\.\d{{3}} ms$',
                            out[seq]), out
        assert out[-1] == '3 packets transmitted, 3 received, 0% packet loss', out
        st, out = sh.run('ping -c 1 10.0.2.77')
        assert st == 1 and 'no reply for icmp_seq=1' in out, (st, out)
        assert out[-1] == '1 packets transmitted, 0 received, 100% packet loss', out
        st, out = sh.run('ping 10.0.2')
        assert st == 2 and out == ['ping: 10.0.2: not an IPv4 address'], (st, out)
        out = sh.ok('ifconfig')
        assert int(out[3].split()[2]) >= rx0 + 3, out     # the three echo replies
        assert out[-1].endswith('rx buffers held 0'), out
        assert ' 0 malformed, 0 bad checksum' in out[-1], out
        # Self-healing: the driver dies; init stops the device mastering the
        # bus, restarts the driver; net-stack notices, starts over, and
        # gets its lease again.
        kill_net_bridge(sh, r'net-stack: net-bridge went away: starting over')
    finally:
        sh.stop()
    return 'DHCP 10.0.2.15, 3 of 3 echo replies from 10.0.2.2; again after the driver was killed'


def shl0017(ctx):
    """SHL0017 lspci -v lists every PCI function QEMU has (QMP query-pci as the reference): address, vendor:device, class, and each BAR's kind, address, size and prefetchability, the q35 chipset and a virtio 1.x network device (1af4:1041 with MSI-X and vendor-specific capabilities, and its common, notify, ISR and device structures where QEMU puts them)"""
    tmp = tempfile.mkdtemp(prefix='aether-qmp-')
    qmp = os.path.join(tmp, 'qmp.sock')
    sh = Shell(ctx, ISO, extra=['-netdev', 'user,id=n0,restrict=on',
                                '-device', 'virtio-net-pci,netdev=n0,disable-legacy=on,addr=0x3',
                                '-qmp', f'unix:{qmp},server=on,wait=off'])
    try:
        guest = lspci_v(sh.ok('lspci -v'))
        want = qmp_query_pci(qmp)
    finally:
        sh.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    assert sorted(guest) == sorted(want), (sorted(guest), sorted(want))
    for addr, d in want.items():
        g = guest[addr]
        assert g['id'] == f"{d['id']['vendor']:04x}:{d['id']['device']:04x}", (addr, g, d['id'])
        assert g['class'] == d['class_info']['class'], (addr, g, d['class_info'])
        qbars = {}
        for r in d.get('regions', []):
            if r['bar'] == 6:
                continue                    # the expansion ROM: pci does not list it
            kind = 'io' if r['type'] == 'io' else ('memory64' if r.get('mem_type_64') else 'memory')
            qbars[r['bar']] = (kind, r['address'], r['size'], bool(r.get('prefetch')))
        assert g['bars'] == qbars, (addr, g['bars'], qbars)
    virtio = guest.get((0, 3, 0))
    assert virtio and virtio['id'] == '1af4:1041', virtio
    assert 'MSI-X' in virtio['caps'] and 'vendor-specific' in virtio['caps'], virtio
    # Where QEMU 7.2's virtio-pci puts the virtio 1.x structures: all in
    # the 16 KiB BAR4 (hw/virtio/virtio-pci.c: 4 KiB each, notify last).
    assert virtio.get('virtio') == ('virtio: common BAR4+0 (0x1000) notify BAR4+0x3000 (0x1000) '
                                    'ISR BAR4+0x1000 (0x1000) device BAR4+0x2000 (0x1000), '
                                    'notify multiplier 4'), virtio
    assert guest[(0, 0, 0)]['id'] == '8086:29c0', guest[(0, 0, 0)]
    return f'{len(guest)} functions, each as QEMU has it'


def shl0019(ctx):
    """SHL0019 on one CPU (QEMU's default) the V-Nodes' CPU shares, sized for two, are scaled to fit what init has to give, and it says so: every boot V-Node runs, httpd serves and ping answers"""
    sh = Shell(ctx, ISO, smp=1, extra=['-netdev', 'user,id=n0,restrict=on',
                                       '-device', 'virtio-net-pci,netdev=n0,disable-legacy=on,'
                                       'addr=0x3'])
    try:
        m = sh.q.wait_for(r'init: the V-Nodes ask (\d+)% of a CPU and (\d+)% is there to give: '
                          r"each one's CPU share is scaled to (\d+)\.(\d)% of its manifest's",
                          BOOT_TIMEOUT)
        asked, there, whole, tenth = (int(x) for x in m.groups())
        assert asked > there and whole * 10 + tenth == there * 1000 // asked, m.group(0)
        sh.q.wait_for(r'httpd: serving /boot/vnodes/httpd on port 80', BOOT_TIMEOUT)
        sh.q.wait_for(NET_UP, BOOT_TIMEOUT)
        out = sh.ok('ps')
        for name in ('init', 'console', 'vfs', 'shell', 'pci', 'net-bridge', 'net-stack', 'httpd'):
            expect(out, rf'^{name}\s+\d+\s+running\s', f'{name} runs')
        assert 'refused' not in sh.q.output(), 'a V-Node was refused'
        expect(sh.ok('ping -c 1 10.0.2.2'), r'1 packets transmitted, 1 received', 'ping')
    finally:
        sh.stop()
    return f'asked {asked}%, {there}% there, scaled to {whole}.{tenth}%'


TESTS = [shl0001, shl0002, shl0003, shl0004, shl0005, shl0006, shl0007, shl0008,
         shl0009, shl0010, shl0011, shl0012, shl0013, shl0014, shl0015, shl0016, shl0017,
         shl0018, shl0019]

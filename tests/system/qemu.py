"""Runs one QEMU guest for a system test and watches its serial console.

The guest's serial port is QEMU's stdout; a reader thread copies every line
to a log file and to memory, and tests wait for regular expressions with
generous deadlines (never sleeps). A QEMU still running when the test ends
is killed by its own PID, never by name.
"""
import os
import re
import signal
import subprocess
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# QEMU's exit status when the kernel writes code to isa-debug-exit:
# (code << 1) | 1. See kernel/arch/x86_64/qemu_exit.h.
EXIT_SUCCESS = 33
EXIT_FAILURE = 35
EXIT_PANIC = 37


def accelerator():
    out = subprocess.run(['sh', os.path.join(ROOT, 'scripts/qemu-accel.sh')],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


class GuestError(Exception):
    pass


class Qemu:
    def __init__(self, name, args, log_dir):
        self.name = name
        self.args = args
        self.log_path = os.path.join(log_dir, name + '.log')
        self.lines = []
        self.cond = threading.Condition()
        self.proc = None
        self.reader = None

    @classmethod
    def boot(cls, name, log_dir, image, media='disk', smp=2, mem='2G',
             cpu=None, debug_exit=True, extra=(), machine='q35'):
        accel = accelerator()
        if cpu is None:
            cpu = 'host' if accel == 'kvm' else 'max'
        args = ['qemu-system-x86_64', '-machine', machine, '-accel', accel,
                '-smp', str(smp), '-m', mem, '-display', 'none',
                '-serial', 'stdio', '-monitor', 'none', '-no-reboot',
                '-nic', 'none']
        if cpu:
            args += ['-cpu', cpu]
        if debug_exit:
            args += ['-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04']
        if media == 'cdrom':
            args += ['-cdrom', image]
        else:
            args += ['-drive', 'format=raw,file=' + image]
        args += list(extra)
        q = cls(name, args, log_dir)
        q.start()
        return q

    def start(self):
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        self.log = open(self.log_path, 'w', encoding='utf-8', errors='replace')
        self.log.write('# ' + ' '.join(self.args) + '\n')
        self.proc = subprocess.Popen(self.args, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, cwd=ROOT)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for raw in self.proc.stdout:
            line = raw.decode('utf-8', errors='replace').rstrip('\r\n')
            with self.cond:
                self.lines.append(line)
                self.log.write(line + '\n')
                self.log.flush()
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def send(self, text):
        """Types text on the guest's serial console."""
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def line_count(self):
        with self.cond:
            return len(self.lines)

    def output(self):
        with self.cond:
            return '\n'.join(self.lines)

    def wait_for(self, pattern, timeout):
        """Returns the first match of pattern in any console line, waiting up
        to timeout seconds; raises GuestError on timeout or guest exit."""
        return self.wait_line(pattern, timeout)[1]

    def wait_line(self, pattern, timeout, after=0):
        """Like wait_for, among the lines from index `after` on; returns
        (index of the line, match)."""
        rx = re.compile(pattern)
        seen = [after]

        def find(lines):
            for i in range(seen[0], len(lines)):
                m = rx.search(lines[i])
                if m:
                    return i, m
            seen[0] = max(seen[0], len(lines))
            return None
        return self.wait_until(find, timeout, f'/{pattern}/')

    def wait_until(self, find, timeout, what):
        """Calls find(lines) (all console lines so far) as lines arrive
        until it returns something other than None, and returns that;
        raises GuestError after timeout seconds or when the guest exits."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                r = find(self.lines)
                if r is not None:
                    return r
                if self.proc.poll() is not None and not self.reader.is_alive():
                    raise GuestError(f'QEMU exited (status {self.proc.returncode}) '
                                     f'before {what} appeared')
                left = deadline - time.monotonic()
                if left <= 0:
                    raise GuestError(f'no {what} within {timeout} s')
                self.cond.wait(min(left, 1.0))

    def wait_exit(self, timeout):
        """Waits for QEMU to exit by itself; returns its status."""
        try:
            status = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise GuestError(f'QEMU still running after {timeout} s')
        self.reader.join(timeout=10)
        return status

    def stop(self):
        """Kills this QEMU (by its PID) if it is still running."""
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if self.reader:
            self.reader.join(timeout=10)
        if getattr(self, 'log', None):
            self.log.close()

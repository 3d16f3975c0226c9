#!/usr/bin/env python3
"""Boot-time measurement of one QEMU guest, standard library only.

boot_time() starts a QEMU command line with the guest's serial console on
QEMU's stdout, takes time.monotonic() just before the spawn, reads the serial
output until a line matches a regular expression (or a timeout passes), and
returns the wall time from spawn to that line together with the match groups.
Whatever happens (match, timeout, QEMU exiting early, an exception, SIGTERM to
this process) the QEMU it started is then stopped by its own PID and reaped.
The whole serial output of the run, and QEMU's stderr, go to a log file.

The serial/display flags are added here (-serial stdio -display none
-monitor none -no-reboot), and so is -nic none: without it QEMU gives the
machine a default NIC on user-mode networking. Command lines that ask for any
network (-netdev, -net, -nic other than none) are refused: a benchmark guest
never reaches the network.

As a program:

    qemu_boot_time.py [--timeout S] [--log FILE] --pattern REGEX -- QEMU ARGS...

prints one JSON object {"wall_ms", "groups", "line", "log"} and exits 0, or
prints the reason on stderr and exits 1.
"""
import argparse
import json
import os
import re
import select
import signal
import subprocess
import sys
import time

SERIAL_FLAGS = ["-serial", "stdio", "-display", "none", "-monitor", "none", "-no-reboot"]
DEFAULT_TIMEOUT = 300.0


class BootError(Exception):
    """The guest did not print the expected line: timeout, or QEMU exited."""

    def __init__(self, message, log_path=None, tail=""):
        super().__init__(message)
        self.log_path = log_path
        self.tail = tail

    def __str__(self):
        s = super().__str__()
        if self.log_path:
            s += " (serial log: %s)" % self.log_path
        if self.tail:
            s += "\n--- last serial output ---\n" + self.tail
        return s


class BootResult:
    """wall_s: seconds from just before spawn to reading the matching line.
    groups: the match's groups; line: the matching line; output: the serial
    output up to and including that line (text); log_path: the log file."""

    def __init__(self, wall_s, match, line, output, log_path):
        self.wall_s = wall_s
        self.wall_ms = wall_s * 1000.0
        self.match = match
        self.groups = match.groups()
        self.line = line
        self.output = output
        self.log_path = log_path

    def __repr__(self):
        return "BootResult(wall_ms=%.1f, groups=%r)" % (self.wall_ms, self.groups)


def _check_no_network(cmd):
    for i, a in enumerate(cmd):
        opt = a.lstrip("-") if a.startswith("-") else None
        if opt in ("netdev", "net"):
            raise ValueError("network option %r refused: benchmark guests get no network" % a)
        if opt == "nic":
            val = cmd[i + 1] if i + 1 < len(cmd) else ""
            if val != "none":
                raise ValueError("'-nic %s' refused: only '-nic none' is allowed" % val)


def full_command(cmd):
    """The command line actually run: cmd + serial/display flags + -nic none."""
    cmd = list(cmd)
    _check_no_network(cmd)
    for flag in ("-serial", "-display", "-monitor", "-nographic"):
        if flag in cmd:
            raise ValueError("%s is set by qemu_boot_time itself; leave it out" % flag)
    out = cmd + SERIAL_FLAGS
    if "-nic" not in cmd:
        out += ["-nic", "none"]
    return out


def _stop(proc, grace=5.0):
    """Stops proc by its PID and reaps it. While proc is unreaped its PID
    cannot be reused, so signalling proc.pid hits only our QEMU."""
    if proc.poll() is None:
        try:
            os.kill(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            try:
                os.kill(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
    return proc.returncode


def _die_with_parent():
    """Runs in the child before exec: asks Linux to SIGKILL it if this process
    dies (even by SIGKILL, where no cleanup of ours can run). Best effort."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except Exception:
        pass


class Session:
    """One QEMU run with its serial console on stdout (and, with stdin=True,
    its serial input on our pipe). wait_for() reads until the output matches
    a pattern; send() types into the serial port; close() stops QEMU by its
    PID, reaps it and writes the log. Use it as a context manager."""

    def __init__(self, cmd, log_path=None, stdin=False):
        self.argv = full_command(cmd)
        self.log_path = log_path
        if log_path:
            os.makedirs(os.path.dirname(os.path.abspath(log_path)), exist_ok=True)
        self.serial = bytearray()   # everything read from stdout
        self.errout = bytearray()   # everything read from stderr
        self.arrivals = []          # (end offset in serial, time.monotonic()) per read
        self.status = "running"
        self.notes = []             # "# ..." lines for the log
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(
            self.argv, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, close_fds=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
        self.fds = {self.proc.stdout.fileno(): "out", self.proc.stderr.fileno(): "err"}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _read(self, wait_s):
        """One select() round of at most wait_s seconds."""
        ready, _, _ = select.select(list(self.fds), [], [], wait_s)
        for fd in ready:
            chunk = os.read(fd, 65536)
            now = time.monotonic()
            if not chunk:
                del self.fds[fd]
            elif self.fds[fd] == "err":
                self.errout += chunk
            else:
                self.serial += chunk
                self.arrivals.append((len(self.serial), now))

    def _arrival(self, offset):
        """When the byte before `offset` was read."""
        for end, t in self.arrivals:
            if end >= offset:
                return t
        return time.monotonic()

    def _search(self, regex, start, partial):
        """The first line from offset start matching regex (with partial, the
        incomplete last line too): (match, line, end offset), or None."""
        pos = start
        while True:
            nl = self.serial.find(b"\n", pos)
            if nl < 0 and not partial:
                return None
            stop = len(self.serial) if nl < 0 else nl
            line = bytes(self.serial[pos:stop]).decode("utf-8", "replace").rstrip("\r")
            m = regex.search(line)
            if m:
                return m, line, stop if partial and nl < 0 else stop + 1
            if nl < 0:
                return None
            pos = nl + 1

    def wait_for(self, pattern, timeout=DEFAULT_TIMEOUT, start=0, partial=False):
        """Reads until a serial line from byte offset `start` matches pattern
        (with partial=True, also a line not ended yet: a prompt). Returns
        (seconds from spawn to reading the match, match, line, end offset).
        Raises BootError on timeout or QEMU's exit."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        while True:
            found = self._search(regex, start, partial)
            if found:
                m, line, end = found
                return self._arrival(end - 1 if end > 0 else 0) - self.t0, m, line, end
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.status = "timeout"
                raise self._error("no line matching %r within %.0f s" % (regex.pattern, timeout))
            if not self.fds:
                rc = self.proc.wait()
                self.status = "exited %d" % rc
                raise self._error("QEMU exited (status %d) before a line matched %r"
                                  % (rc, regex.pattern))
            self._read(min(remaining, 1.0))

    def send(self, data):
        """Writes data to the guest's serial input; returns time.monotonic()."""
        self.proc.stdin.write(data)
        self.proc.stdin.flush()
        return time.monotonic()

    def _error(self, message):
        return BootError(message, self.log_path,
                         bytes(self.serial[-2000:]).decode("utf-8", "replace"))

    def close(self):
        # Pick up whatever else is already there, for the log only.
        while self.fds and select.select(list(self.fds), [], [], 0)[0]:
            self._read(0)
        rc = _stop(self.proc)
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if f:
                try:
                    f.close()
                except OSError:
                    pass
        if self.status == "running":
            self.status = "stopped"
        if self.log_path:
            with open(self.log_path, "wb") as f:
                f.write(("# command: %s\n# result: %s; QEMU exit status %s\n"
                         % (" ".join(self.argv), self.status, rc)).encode())
                for n in self.notes:
                    f.write(("# %s\n" % n).encode())
                f.write(b"# ---- serial output ----\n")
                f.write(bytes(self.serial))
                if self.errout:
                    f.write(b"\n# ---- QEMU stderr ----\n")
                    f.write(bytes(self.errout))


def boot_time(cmd, pattern, timeout=DEFAULT_TIMEOUT, log_path=None, marks=(),
              marks_timeout=None):
    """Boots `cmd` (a QEMU argv without serial/display flags) and measures the
    wall time until a serial line matches `pattern` (str or compiled regex).
    marks: (name, pattern, partial) to wait for after that line too (partial:
    also in a line not ended yet, e.g. a prompt), for marks_timeout more
    seconds (default: timeout);
    their times and matches go to result.marks[name] = (wall_ms, match), and
    a mark not seen is left out (the log says so). Returns a BootResult; raises
    BootError on timeout or early QEMU exit."""
    with Session(cmd, log_path) as s:
        try:
            wall_s, m, line, end = s.wait_for(pattern, timeout)
            deadline = time.monotonic() + (marks_timeout or timeout)
            s.notes.append("pattern: %s; wall time to match: %.1f ms"
                           % (m.re.pattern, wall_s * 1000))
            marks_out = {}
            s.status = "matched"
            for name, mpat, partial in marks:
                try:
                    t, mm, _, _ = s.wait_for(mpat, max(deadline - time.monotonic(), 0.1),
                                             start=end, partial=partial)
                except BootError as e:      # booted, but a mark is missing: no figure
                    s.status = "matched; mark %s missing: %s" % (name, e.args[0])
                    continue
                marks_out[name] = (t * 1000.0, mm)
                s.notes.append("%s: wall time %.1f ms" % (name, t * 1000))
        except KeyboardInterrupt:
            s.status = "interrupted"
            raise
    r = BootResult(wall_s, m, line, bytes(s.serial[:end]).decode("utf-8", "replace"), log_path)
    r.marks = marks_out
    return r


def choose_accel():
    """'kvm' only if the host CPU has VMX/SVM and /dev/kvm is usable (an
    emulated /dev/kvm without them is far slower than TCG); ACCEL=tcg|kvm in
    the environment overrides."""
    forced = os.environ.get("ACCEL", "").strip()
    if forced:
        if forced not in ("tcg", "kvm"):
            raise ValueError("ACCEL must be tcg or kvm, not %r" % forced)
        return forced
    try:
        with open("/proc/cpuinfo") as f:
            flags = set()
            for line in f:
                if line.startswith("flags"):
                    flags.update(line.split(":", 1)[1].split())
    except OSError:
        flags = set()
    if ({"vmx", "svm"} & flags) and os.access("/dev/kvm", os.R_OK | os.W_OK):
        return "kvm"
    return "tcg"


def install_signal_handlers():
    """Turns SIGTERM/SIGHUP into KeyboardInterrupt so that boot_time()'s
    cleanup (stopping its QEMU) runs when this process is told to stop."""
    def handler(signum, frame):
        raise KeyboardInterrupt("signal %d" % signum)
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, handler)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pattern", required=True, help="regex a serial line must match")
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    ap.add_argument("--log", help="file for the full serial output")
    ap.add_argument("cmd", nargs=argparse.REMAINDER, help="-- qemu-system-x86_64 ARGS...")
    a = ap.parse_args(argv)
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    if not cmd:
        ap.error("no QEMU command given")
    install_signal_handlers()
    try:
        r = boot_time(cmd, a.pattern, a.timeout, a.log)
    except (BootError, ValueError, OSError) as e:
        print("qemu_boot_time: %s" % e, file=sys.stderr)
        return 1
    print(json.dumps({"wall_ms": round(r.wall_ms, 1), "groups": r.groups,
                      "line": r.line, "log": r.log_path}))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)

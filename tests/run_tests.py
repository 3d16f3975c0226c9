#!/usr/bin/env python3
"""Runs AetherOS's tests and prints one line per test plus a final
"N passed, M failed" summary; exits non-zero when anything failed.

  --unit BIN...   host unit test binaries (cmocka); each cmocka test counts
  --tools         host tool tests (tests/tools/test_*.py, unittest, run
                  against build/tools/); each test method counts
  --system        QEMU system tests (tests/system/test_*.py); each test and
                  each kernel self test it reports counts
  --only PATTERN  run only system tests whose description matches PATTERN

Logs go to build/test-logs/.
"""
import argparse
import importlib.util
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOG_DIR = os.path.join(ROOT, 'build', 'test-logs')
UNIT_TIMEOUT = 600


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.failures = []

    def record(self, ok, label, detail=''):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            self.failures.append(label)
        print(f"{'PASS' if ok else 'FAIL'} {label}{(': ' + detail) if detail else ''}",
              flush=True)


def run_unit(binary, tally):
    name = os.path.basename(binary)
    log = os.path.join(LOG_DIR, 'unit', name + '.log')
    os.makedirs(os.path.dirname(log), exist_ok=True)
    try:
        p = subprocess.run([binary], cwd=ROOT, capture_output=True, text=True,
                           timeout=UNIT_TIMEOUT)
        out, code = p.stdout + p.stderr, p.returncode
    except subprocess.TimeoutExpired as e:
        out, code = f'timed out after {UNIT_TIMEOUT} s\n{e.stdout or ""}', -1
    with open(log, 'w') as f:
        f.write(out)
    oks = re.findall(r'^\[\s+OK\s+\] (\S+)', out, re.M)
    fails = re.findall(r'^\[\s+FAILED\s+\] (\S+)$', out, re.M)
    ran = re.search(r'^\[=+\] (\d+) test\(s\) run\.', out, re.M)
    for t in oks:
        tally.passed += 1
    for t in fails:
        tally.record(False, f'unit/{name}/{t}', f'see {os.path.relpath(log, ROOT)}')
    if not ran or code != 0 and not fails:
        # A crash (sanitizer report, abort) ends the binary before its summary.
        tally.record(False, f'unit/{name}', f'exit status {code}; see {os.path.relpath(log, ROOT)}')
        sys.stdout.write(''.join(out.splitlines(True)[-30:]))
        return
    print(f"{'PASS' if not fails else 'FAIL'} unit/{name}: {len(oks)} passed, "
          f"{len(fails)} failed", flush=True)


def run_tools(tally):
    tdir = os.path.join(ROOT, 'tests', 'tools')
    for fn in sorted(os.listdir(tdir)):
        if not (fn.startswith('test_') and fn.endswith('.py')):
            continue
        name = fn[:-3]
        log = os.path.join(LOG_DIR, 'tools', name + '.log')
        os.makedirs(os.path.dirname(log), exist_ok=True)
        try:
            p = subprocess.run([sys.executable, os.path.join(tdir, fn), '-v'], cwd=ROOT,
                               capture_output=True, text=True, timeout=UNIT_TIMEOUT)
            out, code = p.stdout + p.stderr, p.returncode
        except subprocess.TimeoutExpired as e:
            out, code = f'timed out after {UNIT_TIMEOUT} s\n{e.stdout or ""}', -1
        with open(log, 'w') as f:
            f.write(out)
        results = re.findall(r'^(test\w+) \(.*\) \.\.\. (ok|FAIL|ERROR)$', out, re.M)
        for test, status in results:
            if status == 'ok':
                tally.passed += 1
            else:
                tally.record(False, f'tools/{name}/{test}', f'see {os.path.relpath(log, ROOT)}')
        nfail = sum(1 for _, st in results if st != 'ok')
        if not results or (code != 0 and not nfail):
            tally.record(False, f'tools/{name}', f'exit status {code}; see {os.path.relpath(log, ROOT)}')
            sys.stdout.write(''.join(out.splitlines(True)[-30:]))
            continue
        print(f"{'PASS' if not nfail else 'FAIL'} tools/{name}: {len(results) - nfail} passed, "
              f"{nfail} failed", flush=True)


class Context:
    def __init__(self, name, tally):
        self.name = name
        self.log_dir = os.path.join(LOG_DIR, 'system')
        self.tally = tally

    def subresult(self, label, ok, detail=''):
        self.tally.record(ok, label, detail)


def load_system_tests():
    tests = []
    sdir = os.path.join(ROOT, 'tests', 'system')
    sys.path.insert(0, sdir)
    for fn in sorted(os.listdir(sdir)):
        if fn.startswith('test_') and fn.endswith('.py'):
            spec = importlib.util.spec_from_file_location(fn[:-3], os.path.join(sdir, fn))
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            tests += mod.TESTS
    return tests


def run_system(tally, only):
    for test in load_system_tests():
        desc = test.__doc__.strip()
        if only and not re.search(only, desc):
            continue
        tid = desc.split()[0]
        ctx = Context(tid, tally)
        t0 = time.monotonic()
        try:
            detail = test(ctx) or ''
            ok = True
        except Exception as e:      # a failed assertion or a guest error
            detail, ok = f'{type(e).__name__}: {e}', False
        took = time.monotonic() - t0
        log = os.path.relpath(os.path.join(ctx.log_dir, tid + '.log'), ROOT)
        tally.record(ok, desc, f'{detail} [{took:.1f} s]' + ('' if ok else f' log: {log}'))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--unit', nargs='*', default=[])
    ap.add_argument('--tools', action='store_true')
    ap.add_argument('--system', action='store_true')
    ap.add_argument('--only')
    args = ap.parse_args()
    tally = Tally()
    for b in args.unit:
        run_unit(b, tally)
    if args.tools:
        run_tools(tally)
    if args.system:
        run_system(tally, args.only)
    if tally.failures:
        print('failed:')
        for f in tally.failures:
            print('  ' + f)
    print(f'{tally.passed} passed, {tally.failed} failed')
    return 1 if tally.failed or tally.passed == 0 else 0


if __name__ == '__main__':
    sys.exit(main())

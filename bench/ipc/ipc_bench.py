#!/usr/bin/env python3
"""IPC benchmark driver (run it through bench/ipc/run.sh).

Boots AetherOS's ipcbench test image and the reference Linux guest's
benchmark initramfs, each once under -icount (one CPU, instruction-counted:
cycles = instructions, repeatable), and once more with -smp 2 without icount
(wall-clock TSC, indicative only: same-CPU against cross-CPU round trips).
Reads the guests' "<guest>: <name> median=.. min=.. n=.." lines, prints a
side-by-side table and the ambitions of the issue checked as facts, and writes
the JSON. Figures only: the exit status is non-zero only when a guest did not
finish (timeout, error line, crash) or an input is missing.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "boot"))
import qemu_boot_time as qbt  # noqa: E402
# The deterministic configuration is the boot benchmark's, to the letter.
from boot_bench import ICOUNT_ARGS, ICOUNT_CPU, QEMU, host_cpu_model, qemu_version  # noqa: E402

LINE = re.compile(r"\b(ipcbench|linuxbench): (\w+) median=(\d+) min=(\d+) n=(\d+)"
                  r"(?: mean=(\d+) p99=(\d+) max=(\d+))?")
AE_END = re.compile(r"ipcbench: (done|error: .*)")
LINUX_END = re.compile(r"linuxbench: (done|error: .*)")
DEBUG_EXIT = ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]

# The side-by-side table: label, AetherOS measurement, Linux measurement.
ROWS = [
    ("null system call", "null_syscall", "getppid"),
    ("yield, nothing else ready", "yield", None),
    ("IPC round trip, 2 processes", "ipc_call_xproc", "pipe_pingpong"),
    ("IPC round trip, 2 processes, tracing on", "ipc_call_xproc_traced", None),
    ("IPC round trip, 2 threads", "ipc_call_xthread", None),
    ("notification round trip, 2 threads", "notify_pingpong", "futex_pingpong"),
    ("map + unmap 1 page", "map_unmap_4k", "mmap_munmap_4k"),
    ("MOVE 4 KiB VMO, round trip", "vmo_move_4k", None),
    ("MOVE 4 KiB, page tables freed", "vmo_move_4k_lone", None),
    ("MOVE 1 MiB VMO, round trip", "vmo_move_1m", None),
    ("MOVE 1 MiB + map both sides", "vmo_move_1m_map", None),
    ("memcpy 1 MiB (the libc's)", "memcpy_1m", "memcpy_1m"),
    ("copy 1 MiB, SSE2 loop", "memcpy_1m_sse2", None),
    ("process create+run+exit+wait", "process_spawn", "fork_exec_wait"),
    ("ELF spawn: request -> child's main", "elf_spawn_to_main", "fork_exec_to_main"),
    ("ELF spawn+run+exit+wait", "elf_spawn_wait", "fork_exec_wait"),
    ("rdtsc overhead (in each figure)", "rdtsc_overhead", "rdtsc_overhead"),
]

NOTES = {
    "null_syscall": "AetherOS: syscall with an unknown number (refused with "
                    "AE_ERR_UNSUPPORTED after the full entry, lock, dispatch, unlock, iretq); "
                    "Linux: getppid()",
    "ipc_call_xproc": "AetherOS: ae_call to a server process looping on ae_reply_recv; "
                      "Linux: fork, two pipes, 1-byte write + read back",
    "ipc_call_xproc_traced": "the same with kernel tracing on (trace_ctl): each round "
                             "trip writes two records, CALL and REPLY (each also marks "
                             "its hand-off switch)",
    "notify_pingpong": "AetherOS: signal notification A, wait on B, partner thread "
                       "mirrors; Linux: the same with two futex words (FUTEX_WAKE/WAIT)",
    "map_unmap_4k": "AetherOS: vmo_map + vmo_unmap of one page (mapping is eager); "
                    "Linux: mmap(MAP_POPULATE) + munmap",
    "vmo_move_4k": "ae_call carrying a mapped VMO without AE_MSG_SHARE (MOVE: unmapped "
                   "from the sender, charge moved), server replies with it (MOVE back); "
                   "the re-map before the next iteration is not timed",
    "vmo_move_4k_lone": "same, buffer alone in its 512 GiB slot: each MOVE also frees "
                        "PT+PD+PDPT (emptiness found by scanning 512 entries each)",
    "vmo_move_1m_map": "map 1 MiB here + call (MOVE) + server maps it + reply (MOVE back): "
                       "the whole hand-over of a mapped buffer and back",
    "memcpy_1m": "AetherOS: common/string.c memcpy = rep movsb, which -icount counts as "
                 "1 instruction per byte; Linux: glibc memcpy (vector loop)",
    "memcpy_1m_sse2": "AetherOS: 16-byte SSE2 moves, 64 bytes per loop (no AVX: the "
                      "kernel does not enable XSAVE)",
    "process_spawn": "AetherOS: ae_spawn (process_create, shared text, data snapshot, "
                     "64 KiB stack, thread) + exit + process_wait; Linux: fork + execve "
                     "of a static no-libc /true + waitpid",
    "elf_spawn_to_main": "AetherOS: process_create + ae_elf_load of a tiny ELF (user/spawnee, "
                         "with an info page) + thread_create + thread_start, to the rdtsc at "
                         "the start of the child's main (after crt0); Linux: fork + execve of "
                         "a static no-libc /tsc, to the rdtsc at its entry point",
    "elf_spawn_wait": "AetherOS: the same ELF spawn + the child's exit + process_wait; Linux: "
                      "fork + execve(/true) + waitpid (200 runs)",
}


def parse(text):
    """{name: {median, min, n[, mean, p99, max]}} from a guest's serial text."""
    out = {}
    for m in LINE.finditer(text):
        d = {"median": int(m.group(3)), "min": int(m.group(4)), "n": int(m.group(5))}
        if m.group(6) is not None:
            d.update(mean=int(m.group(6)), p99=int(m.group(7)), max=int(m.group(8)))
        out[m.group(2)] = d
    return out


def base_cmd(accel, smp, cpu):
    return [QEMU, "-machine", "q35", "-m", "2G", "-smp", str(smp), "-accel", accel,
            "-cpu", cpu]


def aether_cmd(iso, accel, smp, cpu, extra=()):
    return base_cmd(accel, smp, cpu) + list(extra) + DEBUG_EXIT + [
        "-drive", "format=raw,file=%s" % iso]


def linux_cmd(linux_dir, cmdline, accel, smp, cpu, extra=()):
    return base_cmd(accel, smp, cpu) + list(extra) + [
        "-kernel", os.path.join(linux_dir, "vmlinuz"),
        "-initrd", os.path.join(linux_dir, "ipcbench.cpio.gz"),
        "-append", cmdline]


class Guest:
    """One benchmark boot. start() runs it in a child process (the
    qemu_boot_time helper as a program, which stops its QEMU by PID on
    SIGTERM), so two instruction-counted guests can run at once;
    run() boots it here. finish() returns the parsed figures."""

    def __init__(self, name, cmd, end, timeout, log):
        self.name, self.cmd, self.end, self.timeout, self.log = name, cmd, end, timeout, log
        self.proc = None
        self.wall_ms = None

    def start(self):
        argv = [sys.executable, os.path.join(HERE, "..", "lib", "qemu_boot_time.py"),
                "--pattern", self.end.pattern, "--timeout", str(self.timeout),
                "--log", self.log, "--"] + self.cmd
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     stdin=subprocess.DEVNULL, text=True,
                                     env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"),
                                     preexec_fn=qbt._die_with_parent)

    def stop(self):
        """Stops a started helper by its PID (it then stops its QEMU)."""
        if self.proc and self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.kill(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait()

    def finish(self):
        if self.proc is None:
            r = qbt.boot_time(self.cmd, self.end, timeout=self.timeout, log_path=self.log)
            self.wall_ms = r.wall_ms
            text, status = r.output, r.groups[0]
        else:
            out, err = self.proc.communicate()
            if self.proc.returncode != 0:
                raise qbt.BootError("%s: %s" % (self.name, err.strip()), self.log)
            res = json.loads(out)
            self.wall_ms = res["wall_ms"]
            status = res["groups"][0]
            with open(self.log, encoding="utf-8", errors="replace") as f:
                text = f.read()
        if status != "done":
            raise qbt.BootError("%s reported %r" % (self.name, status), self.log)
        return parse(text)


def fmt(v):
    return "{:,}".format(v) if v is not None else "-"


def median_of(d, name):
    return d[name]["median"] if name in d else None


def build_table(ae, lx):
    rows = []
    for label, a, l in ROWS:
        av = median_of(ae, a) if a else None
        lv = median_of(lx, l) if l else None
        rows.append({"metric": label, "aetheros": a, "linux": l,
                     "aetheros_median": av, "linux_median": lv,
                     "aetheros_min": ae[a]["min"] if a in ae else None,
                     "linux_min": lx[l]["min"] if l and l in lx else None,
                     "ratio_linux_over_aetheros":
                         round(lv / av, 2) if av and lv else None})
    return rows


def ambitions(ae, lx):
    """The issue's targets, as measured facts (None when a side is missing)."""
    out = []

    def add(text, left, right, ok):
        out.append({"ambition": text, "aetheros": left, "reference": right,
                    "met": ok if left is not None and right is not None else None})

    ns, gp = median_of(ae, "null_syscall"), median_of(lx, "getppid")
    add("null system call <= Linux getppid", ns, gp,
        ns is not None and gp is not None and ns <= gp)
    ipc, pipe = median_of(ae, "ipc_call_xproc"), median_of(lx, "pipe_pingpong")
    add("IPC round trip (2 processes) <= 1/10 of Linux's pipe round trip", ipc,
        pipe / 10 if pipe is not None else None,
        ipc is not None and pipe is not None and ipc * 10 <= pipe)
    traced = median_of(ae, "ipc_call_xproc_traced")
    add("IPC round trip with tracing on <= +10% of it with tracing off", traced,
        ipc * 1.1 if ipc is not None else None,
        traced is not None and ipc is not None and traced * 10 <= ipc * 11)
    mv = median_of(ae, "vmo_move_1m")
    for what, ref in (("AetherOS memcpy (rep movsb)", median_of(ae, "memcpy_1m")),
                      ("AetherOS SSE2 copy loop", median_of(ae, "memcpy_1m_sse2")),
                      ("Linux glibc memcpy", median_of(lx, "memcpy_1m"))):
        add("MOVE 1 MiB round trip < copying 1 MiB once (%s)" % what, mv, ref,
            mv is not None and ref is not None and mv < ref)
    return out


def print_report(result, ae, lx, smp):
    print()
    print("IPC benchmark: %s, one CPU, instruction-counted"
          % ("AetherOS against Linux %s" % result["linux_kernel"] if "linux_kernel" in result
             else "AetherOS only" if ae else "Linux only"))
    print("host CPU : %s (%s cores)" % (result["host"]["cpu_model"], result["host"]["host_cores"]))
    print("QEMU     : %s" % result["host"]["qemu_version"])
    print("config   : -machine q35 -m 2G -smp 1 -accel tcg -cpu %s %s"
          % (ICOUNT_CPU, " ".join(ICOUNT_ARGS)))
    print("units    : guest TSC ticks; under -icount shift=0 the TSC advances 1 per executed")
    print("           instruction, so cycles = instructions (no cache or memory cost). Median")
    print("           of one delta per iteration (no batching); n iterations after warm-up.")
    print()
    print("%-36s %13s %13s %8s" % ("metric (median)", "AetherOS", "Linux", "Lx/Ae"))
    for r in result["table"]:
        ratio = "%.2f" % r["ratio_linux_over_aetheros"] if r["ratio_linux_over_aetheros"] else "-"
        print("%-36s %13s %13s %8s" % (r["metric"], fmt(r["aetheros_median"]),
                                         fmt(r["linux_median"]), ratio))
    print()
    print("Ambitions (facts from the medians above):")
    for a in result["ambitions"]:
        met = {True: "MET    ", False: "NOT MET", None: "n/a    "}[a["met"]]
        print("  %s %s: %s vs %s" % (met, a["ambition"], fmt(a["aetheros"]),
                                     fmt(int(a["reference"]) if a["reference"] is not None
                                         else None)))
    if smp:
        print()
        print("-smp 2, no icount (accel %s): TSC ticks of the emulated clock, "
              "noisy, indicative only" % smp["accel"])
        print("(host load average when these runs started: %.1f on %s cores; AetherOS's "
              "TSC: %s)" % (smp["loadavg_at_start"][0], result["host"]["host_cores"],
                            smp.get("aetheros_tsc_hz", "?")))
        print("%-44s %12s %12s %12s %13s" % ("metric", "median", "min", "p99", "n"))
        for guest, d in (("AetherOS", smp.get("aetheros", {})), ("Linux", smp.get("linux", {}))):
            for name, v in sorted(d.items()):
                print("%-44s %12s %12s %12s %13s" % ("%s %s" % (guest, name), fmt(v["median"]),
                                                     fmt(v["min"]), fmt(v.get("p99")),
                                                     fmt(v["n"])))
    print()
    print("JSON: %s; serial logs: %s/" % (result["out"], result["logdir"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--iso", required=True, help="the ipcbench test image")
    ap.add_argument("--linux-dir", default="build/linux-ref")
    ap.add_argument("--only", choices=["all", "aether", "linux"], default="all")
    ap.add_argument("--no-smp", action="store_true", help="skip the -smp 2 runs")
    ap.add_argument("--sequential", action="store_true",
                    help="run the two icount guests one after the other")
    ap.add_argument("--timeout", type=float, default=1800.0)
    ap.add_argument("--out", default="build/bench/ipc.json")
    a = ap.parse_args()

    qbt.install_signal_handlers()
    logdir = os.path.join(os.path.dirname(a.out) or ".", "ipc")
    os.makedirs(logdir, exist_ok=True)
    for name in os.listdir(logdir):      # logs of an earlier run would mislead
        if name.endswith(".log"):
            os.remove(os.path.join(logdir, name))
    do_ae = a.only in ("all", "aether")
    do_lx = a.only in ("all", "linux")
    result = {"host": {"cpu_model": host_cpu_model(), "host_cores": os.cpu_count(),
                       "qemu_version": qemu_version(), "loadavg_at_start": os.getloadavg()},
              "out": a.out, "logdir": logdir,
              "icount": {"args": " ".join(["-smp", "1", "-cpu", ICOUNT_CPU] + ICOUNT_ARGS),
                         "note": "guest TSC = QEMU's virtual clock: +1 per executed "
                                 "instruction (shift=0), so cycles = instructions; "
                                 "idle (HLT) time jumps to the next timer deadline"},
              "notes": NOTES}
    iso = None
    cmdline = None
    if do_ae:
        # A private copy: the image stays the same even if it is rebuilt meanwhile,
        # and no other QEMU holds its lock.
        iso = os.path.join(logdir, "ipcbench.iso")
        shutil.copyfile(a.iso, iso)
    if do_lx:
        with open(os.path.join(a.linux_dir, "cmdline")) as f:
            cmdline = f.read().strip()
        krel = os.path.join(a.linux_dir, "kernel-release")
        result["linux_kernel"] = open(krel).read().strip() if os.path.exists(krel) else "?"
        if not os.path.exists(os.path.join(a.linux_dir, "ipcbench.cpio.gz")):
            print("ipcbench: %s/ipcbench.cpio.gz missing (sh bench/linux-ref/build.sh)"
                  % a.linux_dir, file=sys.stderr)
            return 1
    t_start = time.monotonic()

    # ---- instruction-counted runs, one CPU ------------------------------------
    guests = []
    if do_ae:
        guests.append(Guest("AetherOS", aether_cmd(iso, "tcg", 1, ICOUNT_CPU, ICOUNT_ARGS),
                            AE_END, a.timeout, os.path.join(logdir, "aetheros-icount.log")))
    if do_lx:
        guests.append(Guest("Linux", linux_cmd(a.linux_dir, cmdline, "tcg", 1, ICOUNT_CPU,
                                               ICOUNT_ARGS),
                            LINUX_END, a.timeout, os.path.join(logdir, "linux-icount.log")))
    how = ""
    if len(guests) > 1:
        how = (" (one after the other)" if a.sequential else
               " (at the same time: their figures do not depend on host load)")
    print("ipc benchmark: %s under -icount%s; serial logs in %s/"
          % (" and ".join(g.name for g in guests), how, logdir), flush=True)
    figures = {}
    try:
        if not a.sequential:
            for g in guests:
                g.start()
        for g in guests:
            figures[g.name] = g.finish()
            print("  %-8s icount run: %9.1f ms wall, %d measurements"
                  % (g.name, g.wall_ms, len(figures[g.name])), flush=True)
    finally:
        for g in guests:
            g.stop()
    ae = figures.get("AetherOS", {})
    lx = figures.get("Linux", {})
    result["aetheros_cmd"] = " ".join(qbt.full_command(guests[0].cmd)) if do_ae else None
    result["linux_ref_cmd"] = " ".join(qbt.full_command(guests[-1].cmd)) if do_lx else None
    result["aetheros"] = ae
    result["linux_ref"] = lx
    result["table"] = build_table(ae, lx)
    result["ambitions"] = ambitions(ae, lx)

    # ---- -smp 2, wall clock: same CPU against cross CPU ------------------------
    smp = None
    if not a.no_smp:
        accel = qbt.choose_accel()
        smp = {"accel": accel, "loadavg_at_start": os.getloadavg(),
               "note": "no icount: the guest TSC is the emulated clock (host TSC rate "
                       "under TCG), so these move with host load; indicative only"}
        if do_ae:
            g = Guest("AetherOS -smp 2", aether_cmd(iso, accel, 2, "max"), AE_END,
                      a.timeout, os.path.join(logdir, "aetheros-smp2.log"))
            smp["aetheros"] = g.finish()
            with open(g.log, encoding="utf-8", errors="replace") as f:
                hz = re.search(r"ipcbench: start: \d+ CPUs, TSC (\d+) Hz", f.read())
            smp["aetheros_tsc_hz"] = int(hz.group(1)) if hz else None
            smp["aetheros_cmd"] = " ".join(qbt.full_command(g.cmd))
            print("  AetherOS -smp 2 run: %9.1f ms wall" % g.wall_ms, flush=True)
        if do_lx:
            g = Guest("Linux -smp 2", linux_cmd(a.linux_dir, cmdline, accel, 2, "max"),
                      LINUX_END, a.timeout, os.path.join(logdir, "linux-smp2.log"))
            smp["linux"] = g.finish()
            smp["linux_cmd"] = " ".join(qbt.full_command(g.cmd))
            print("  Linux    -smp 2 run: %9.1f ms wall" % g.wall_ms, flush=True)
        result["smp2"] = smp
    result["bench_duration_s"] = round(time.monotonic() - t_start, 1)

    os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
    with open(a.out + ".tmp", "w") as f:
        json.dump(result, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(a.out + ".tmp", a.out)
    print_report(result, ae, lx, smp)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except qbt.BootError as e:
        print("ipc benchmark: %s" % e, file=sys.stderr)
        sys.exit(1)
    except (ValueError, OSError) as e:
        print("ipc benchmark: %s" % e, file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)

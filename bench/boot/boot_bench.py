#!/usr/bin/env python3
"""Boot benchmark driver (run it through bench/boot/run.sh).

Boots AetherOS and the reference Linux guest RUNS times each in the same QEMU
configuration, measures the wall time from QEMU start to each guest's ready
line, then boots each once more under -icount (instruction-counted, repeatable)
to read the guest TSC at ready. Prints a table and writes build/bench/boot.json.
Figures only: nothing here passes or fails on time. The exit status is non-zero
only when a guest failed to boot (timeout, crash) or an input is missing.
"""
import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import qemu_boot_time as qbt  # noqa: E402

QEMU = os.environ.get("QEMU", "qemu-system-x86_64")

AETHER_READY = re.compile(r"AetherOS \S+ ready: (\d+) CPUs, (\d+) MiB free")
AETHER_E2R = re.compile(r"boot: entry to ready (\d+) TSC ticks(?: \((\d+)\.(\d+) ms\))?")
AETHER_ABS = re.compile(r"TSC at ready (\d+)")
# After the ready line: the shell's first prompt (no newline after it), and
# the shell's log line with its TSC just before it wrote that prompt (it
# reaches the serial port through the console, possibly after the prompt).
AETHER_PROMPT = re.compile(r"aether> ")
AETHER_SHELL_TSC = re.compile(r"shell: first prompt at TSC (\d+)")
AETHER_MARKS = [("prompt", AETHER_PROMPT, True), ("shell_tsc", AETHER_SHELL_TSC, False)]
# Under -icount the console V-Node exhausts its CPU budget while printing the
# shell's banner and is restarted (bench/README.md), so the prompt does not
# reach the serial port there: that run waits for the shell's TSC line only.
AETHER_ICOUNT_MARKS = AETHER_MARKS[1:]
# Seconds to wait for them after the ready line (they come within a second or
# two); a boot where the console faults before the prompt (seen once in ten
# TCG boots, see bench/README.md) then gives no prompt figure instead of
# stopping the benchmark.
MARKS_TIMEOUT = 60
LINUX_READY = re.compile(r"LINUX-REF ready: tsc=(\d+) uptime_ms=(\d+)")

# The deterministic run. Under -icount the guest TSC is QEMU's virtual clock,
# which advances 2^shift ns per executed instruction (shift=0: one tick per
# instruction), counted from CPU reset. Three more things make a boot repeat
# bit for bit (checked on the Linux guest: without any of them the figure
# moves by ~0.01% between runs):
#   sleep=off   idle time (HLT) jumps to the next timer deadline instead of
#               advancing with the host's real time;
#   -rtc ...clock=vm   the CMOS clock follows virtual time, not the host's;
#   -rdrand,-rdseed    TCG's RDRAND returns host randomness (Linux feeds it to
#               KASLR and more, so code paths differ run to run).
ICOUNT_ARGS = ["-icount", "shift=0,sleep=off", "-rtc", "base=2000-01-01T00:00:00,clock=vm"]
ICOUNT_CPU = "max,-rdrand,-rdseed"


def host_cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def qemu_version():
    try:
        out = subprocess.run([QEMU, "--version"], capture_output=True, text=True,
                             timeout=30).stdout
        return out.splitlines()[0].strip() if out else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def base_cmd(accel, smp, cpu):
    return [QEMU, "-machine", "q35", "-m", "2G", "-smp", str(smp), "-accel", accel,
            "-cpu", cpu]


def aether_cmd(iso, accel, smp=2, cpu="max"):
    return base_cmd(accel, smp, cpu) + ["-drive", "format=raw,file=%s" % iso]


def linux_cmd(linux_dir, cmdline, accel, smp=2, cpu="max"):
    return base_cmd(accel, smp, cpu) + [
        "-kernel", os.path.join(linux_dir, "vmlinuz"),
        "-initrd", os.path.join(linux_dir, "initramfs.cpio.gz"),
        "-append", cmdline]


def summary(values):
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def run_series(name, cmd, regex, runs, timeout, logdir, extract, marks=()):
    """Boots cmd `runs` times; returns a list of per-run dicts."""
    out = []
    for i in range(1, runs + 1):
        log = os.path.join(logdir, "%s-%02d.log" % (name, i))
        r = qbt.boot_time(cmd, regex, timeout=timeout, log_path=log, marks=marks,
                          marks_timeout=MARKS_TIMEOUT)
        row = {"wall_ms": round(r.wall_ms, 1), "log": log}
        row.update(extract(r))
        out.append(row)
        extra = " ".join("%s=%s" % (k, v) for k, v in row.items() if k not in ("wall_ms", "log"))
        print("  %-9s run %2d/%d: %8.1f ms  %s" % (name, i, runs, r.wall_ms, extra), flush=True)
    return out


def aether_extract(r):
    e2r = AETHER_E2R.search(r.output)
    ms = None
    if e2r and e2r.group(2) is not None:
        ms = int(e2r.group(2)) + int(e2r.group(3)) / 10 ** len(e2r.group(3))
    absolute = AETHER_ABS.search(r.output)
    out = {"entry_to_ready_tsc": int(e2r.group(1)) if e2r else None,
           "tsc_at_ready": int(absolute.group(1)) if absolute else None,
           "entry_to_ready_kernel_ms": ms,
           "cpus": int(r.groups[0]), "free_mib": int(r.groups[1])}
    marks = getattr(r, "marks", {})
    if "prompt" in marks:
        out["prompt_wall_ms"] = round(marks["prompt"][0], 1)
    if "shell_tsc" in marks:
        out["tsc_at_prompt"] = int(marks["shell_tsc"][1].group(1))
        if e2r and absolute:     # the TSC at kernel entry = at ready - entry to ready
            out["entry_to_prompt_tsc"] = (out["tsc_at_prompt"] - out["tsc_at_ready"]
                                          + out["entry_to_ready_tsc"])
    return out


def shell_roundtrip(cmd, n, timeout, log, line=b"true\r"):
    """Boots AetherOS to its first prompt, then types `line` n times, each
    time timing (host wall clock) from the write to QEMU's serial input to
    reading the next prompt. Returns the list of ms."""
    out = []
    with qbt.Session(cmd, log, stdin=True) as s:
        _, _, _, end = s.wait_for(AETHER_READY, timeout)
        _, _, _, end = s.wait_for(AETHER_PROMPT, timeout, start=end, partial=True)
        s.wait_for(AETHER_SHELL_TSC, timeout, start=end)   # the boot's log is done
        for _ in range(n):
            sent = s.send(line)
            t, _, _, end = s.wait_for(AETHER_PROMPT, timeout, start=end, partial=True)
            out.append(round((s.t0 + t - sent) * 1000.0, 2))
        s.status = "matched"
        s.notes.append("round trips (ms): %s" % out)
    return out


def linux_extract(r):
    return {"tsc": int(r.groups[0]), "uptime_ms": int(r.groups[1])}


def fmt_ms(v):
    return "%10.1f" % v if v is not None else "%10s" % "n/a"


def fmt_int(v):
    return "{:,}".format(v) if v is not None else "n/a (line not printed)"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--iso", default="build/aetheros.iso")
    ap.add_argument("--linux-dir", default="build/linux-ref")
    ap.add_argument("--only", choices=["all", "aether", "linux"], default="all")
    ap.add_argument("--no-icount", action="store_true", help="skip the -icount runs")
    ap.add_argument("--shell-cmds", type=int, default=50,
                    help="shell command round trips to time (0: none)")
    ap.add_argument("--timeout", type=float, default=qbt.DEFAULT_TIMEOUT)
    ap.add_argument("--out", default="build/bench/boot.json")
    a = ap.parse_args()
    if a.runs < 1:
        ap.error("--runs must be at least 1")

    qbt.install_signal_handlers()
    accel = qbt.choose_accel()
    logdir = os.path.join(os.path.dirname(a.out) or ".", "boot")
    os.makedirs(logdir, exist_ok=True)
    for name in os.listdir(logdir):      # logs of an earlier run would mislead
        if name.endswith(".log"):
            os.remove(os.path.join(logdir, name))
    do_aether = a.only in ("all", "aether")
    do_linux = a.only in ("all", "linux")
    cmdline = None
    if do_linux:
        with open(os.path.join(a.linux_dir, "cmdline")) as f:
            cmdline = f.read().strip()
        krel_path = os.path.join(a.linux_dir, "kernel-release")
        krel = open(krel_path).read().strip() if os.path.exists(krel_path) else "unknown"

    host = {"cpu_model": host_cpu_model(), "host_cores": os.cpu_count(),
            "qemu_version": qemu_version()}
    config = {"machine": "q35", "memory": "2G", "smp": 2, "accel": accel, "cpu": "max",
              "runs": a.runs, "timeout_s": a.timeout}
    print("boot benchmark: %d runs each, accel %s; serial logs in %s/" % (a.runs, accel, logdir),
          flush=True)
    if accel == "tcg":
        print("  (TCG: the guest CPU is emulated; wall times measure QEMU's emulation "
              "speed on this host as much as the guest)", flush=True)

    result = {"host": host, "config": config}
    t_start = time.monotonic()

    # ---- wall time, standard configuration ---------------------------------
    if do_aether:
        # Boot a private copy: every run then boots the same image even if the
        # ISO is rebuilt meanwhile, and no other QEMU holds its write lock.
        iso = os.path.join(logdir, "aetheros.iso")
        shutil.copyfile(a.iso, iso)
        cmd = aether_cmd(iso, accel)
        result["aetheros_cmd"] = " ".join(qbt.full_command(cmd))
        rows = run_series("aetheros", cmd, AETHER_READY, a.runs, a.timeout, logdir,
                          aether_extract, AETHER_MARKS)
        e2r = [r["entry_to_ready_tsc"] for r in rows if r["entry_to_ready_tsc"] is not None]
        e2r_ms = [r["entry_to_ready_kernel_ms"] for r in rows
                  if r["entry_to_ready_kernel_ms"] is not None]
        result["aetheros"] = {
            "iso": a.iso,
            "runs": rows,
            "wall_ms": summary([r["wall_ms"] for r in rows]),
            "prompt_wall_ms": summary([r["prompt_wall_ms"] for r in rows
                                       if r.get("prompt_wall_ms") is not None]),
            "entry_to_ready_tsc_median": int(round(statistics.median(e2r))) if e2r else None,
            "entry_to_ready_kernel_ms_median": statistics.median(e2r_ms) if e2r_ms else None,
            "cpus": rows[-1]["cpus"], "free_mib": rows[-1]["free_mib"]}
        if a.shell_cmds > 0:
            try:
                rt = shell_roundtrip(cmd, a.shell_cmds, a.timeout,
                                     os.path.join(logdir, "aetheros-shell.log"))
            except qbt.BootError as e:      # e.g. the console faulted: no figure
                print("  aetheros  shell round trips: no figure: %s" % e.args[0], flush=True)
            else:
                result["aetheros"]["shell_true_roundtrip_ms"] = dict(summary(rt), n=len(rt),
                                                                     all=rt)
                print("  aetheros  shell 'true' x%d: median %.1f ms"
                      % (len(rt), statistics.median(rt)), flush=True)
    if do_linux:
        cmd = linux_cmd(a.linux_dir, cmdline, accel)
        result["linux_ref_cmd"] = " ".join(qbt.full_command(cmd))
        rows = run_series("linux", cmd, LINUX_READY, a.runs, a.timeout, logdir, linux_extract)
        result["linux_ref"] = {
            "kernel": krel, "cmdline": cmdline, "runs": rows,
            "wall_ms": summary([r["wall_ms"] for r in rows]),
            "uptime_ms_median": int(round(statistics.median([r["uptime_ms"] for r in rows])))}
    if do_aether and do_linux:
        result["ratio_linux_over_aetheros_median_wall"] = round(
            result["linux_ref"]["wall_ms"]["median"] / result["aetheros"]["wall_ms"]["median"], 2)

    # ---- instruction-counted run (TCG only) --------------------------------
    icount = None
    if not a.no_icount:
        icount = {"args": " ".join(ICOUNT_ARGS + ["-smp", "1", "-cpu", ICOUNT_CPU]),
                  "note": "guest TSC = QEMU's virtual clock under icount shift=0: +1 per "
                          "executed instruction, idle (HLT) periods jump to the next timer "
                          "deadline; counted from CPU reset. "
                          "linux_tsc_at_init is the absolute TSC at /init, so it includes "
                          "the firmware (SeaBIOS), the bzImage loader and the kernel's "
                          "decompression. aetheros_entry_to_ready_tsc is the kernel's own "
                          "difference (TSC at ready - TSC at its first instruction), so it "
                          "excludes the firmware and GRUB; aetheros_tsc_at_ready is its absolute "
                          "TSC, from CPU reset like Linux's."}
        if do_aether:
            cmd = aether_cmd(iso, "tcg", smp=1, cpu=ICOUNT_CPU) + ICOUNT_ARGS
            r = qbt.boot_time(cmd, AETHER_READY, timeout=a.timeout,
                              log_path=os.path.join(logdir, "aetheros-icount.log"),
                              marks=AETHER_ICOUNT_MARKS, marks_timeout=MARKS_TIMEOUT)
            ax = aether_extract(r)
            icount["aetheros_entry_to_ready_tsc"] = ax["entry_to_ready_tsc"]
            icount["aetheros_tsc_at_ready"] = ax["tsc_at_ready"]
            icount["aetheros_entry_to_prompt_tsc"] = ax.get("entry_to_prompt_tsc")
            icount["aetheros_tsc_at_prompt"] = ax.get("tsc_at_prompt")
            icount["aetheros_wall_ms"] = round(r.wall_ms, 1)
            print("  aetheros  icount run: %8.1f ms  entry_to_ready_tsc=%s"
                  % (r.wall_ms, icount["aetheros_entry_to_ready_tsc"]), flush=True)
        if do_linux:
            cmd = linux_cmd(a.linux_dir, cmdline, "tcg", smp=1, cpu=ICOUNT_CPU) + ICOUNT_ARGS
            r = qbt.boot_time(cmd, LINUX_READY, timeout=a.timeout,
                              log_path=os.path.join(logdir, "linux-icount.log"))
            li = linux_extract(r)
            icount["linux_tsc_at_init"] = li["tsc"]
            icount["linux_uptime_ms_at_init"] = li["uptime_ms"]
            icount["linux_wall_ms"] = round(r.wall_ms, 1)
            print("  linux     icount run: %8.1f ms  tsc=%d uptime_ms=%d"
                  % (r.wall_ms, li["tsc"], li["uptime_ms"]), flush=True)
        result["icount"] = icount
    result["bench_duration_s"] = round(time.monotonic() - t_start, 1)

    # ---- report ------------------------------------------------------------
    print()
    print("Boot time: wall clock from QEMU start to the guest's ready line")
    print("host CPU : %s (%s cores)" % (host["cpu_model"], host["host_cores"]))
    print("QEMU     : %s" % host["qemu_version"])
    print("config   : -machine q35 -m 2G -smp 2 -accel %s -cpu max, no network, %d runs each"
          % (accel, a.runs))
    print()
    print("%-22s %10s %10s %10s" % ("guest", "median ms", "min ms", "max ms"))
    if do_aether:
        w = result["aetheros"]["wall_ms"]
        print("%-22s %s %s %s" % ("AetherOS", fmt_ms(w["median"]), fmt_ms(w["min"]),
                                  fmt_ms(w["max"])))
        w = result["aetheros"]["prompt_wall_ms"]
        if w:
            print("%-22s %s %s %s" % ("AetherOS shell prompt", fmt_ms(w["median"]),
                                      fmt_ms(w["min"]), fmt_ms(w["max"])))
    if do_linux:
        w = result["linux_ref"]["wall_ms"]
        print("%-22s %s %s %s" % ("Linux %s" % krel, fmt_ms(w["median"]), fmt_ms(w["min"]),
                                  fmt_ms(w["max"])))
    if "ratio_linux_over_aetheros_median_wall" in result:
        print("ratio Linux/AetherOS (medians): %.2f" % result["ratio_linux_over_aetheros_median_wall"])
        if result["aetheros"]["prompt_wall_ms"]:
            result["ratio_linux_init_over_aetheros_prompt_median_wall"] = round(
                result["linux_ref"]["wall_ms"]["median"]
                / result["aetheros"]["prompt_wall_ms"]["median"], 2)
            print("ratio Linux /init / AetherOS prompt (medians): %.2f"
                  % result["ratio_linux_init_over_aetheros_prompt_median_wall"])
    rt = result.get("aetheros", {}).get("shell_true_roundtrip_ms")
    if rt:
        print("AetherOS shell command 'true', host wall time from writing the line to QEMU's")
        print("serial input to reading the next prompt (indicative), %d runs: median %.1f ms,"
              " min %.1f, max %.1f" % (rt["n"], rt["median"], rt["min"], rt["max"]))
    print()
    print("Guests' own figures (medians):")
    if do_aether:
        ae = result["aetheros"]
        ms = ae["entry_to_ready_kernel_ms_median"]
        print("  AetherOS kernel entry -> ready : %s TSC ticks%s"
              % (fmt_int(ae["entry_to_ready_tsc_median"]),
                 " = %.3f ms by the kernel's calibrated clock" % ms if ms is not None else ""))
    if do_linux:
        print("  Linux uptime at /init          : %d ms (kernel clock; starts after the "
              "firmware and the decompression)" % result["linux_ref"]["uptime_ms_median"])
    if icount:
        print()
        print("Instruction-counted run, one boot each (TCG, %s):" % icount["args"])
        print("the guest TSC is QEMU's virtual clock from CPU reset: +1 per executed instruction,")
        print("and an idle CPU (HLT) jumps it to the next timer deadline; so these figures repeat")
        print("exactly for the same image and QEMU, whatever the host's load.")
        if do_aether:
            print("  AetherOS 'entry to ready'      : %s ticks (the kernel's difference:"
                  % fmt_int(icount["aetheros_entry_to_ready_tsc"]))
            print("                                   kernel entry to ready; excludes "
                  "firmware and GRUB)")
            if icount.get("aetheros_tsc_at_ready") is not None:
                print("  AetherOS TSC at ready          : %s ticks (absolute: from CPU reset,"
                      % fmt_int(icount["aetheros_tsc_at_ready"]))
                print("                                   incl. firmware (SeaBIOS) and GRUB)")
            if icount.get("aetheros_entry_to_prompt_tsc") is not None:
                print("  AetherOS kernel entry -> prompt: %s ticks (to the shell's rdtsc just "
                      "before" % fmt_int(icount["aetheros_entry_to_prompt_tsc"]))
                print("                                   writing its first prompt)")
                print("  AetherOS TSC at prompt         : %s ticks (absolute: from CPU reset)"
                      % fmt_int(icount["aetheros_tsc_at_prompt"]))
        if do_linux:
            print("  Linux tsc= at /init            : %s ticks (absolute: from CPU reset,"
                  % fmt_int(icount["linux_tsc_at_init"]))
            print("                                   incl. firmware (SeaBIOS), bzImage loading "
                  "and decompression)")
        if icount.get("aetheros_tsc_at_ready") and icount.get("linux_tsc_at_init"):
            icount["ratio_linux_over_aetheros_tsc_from_reset"] = round(
                icount["linux_tsc_at_init"] / icount["aetheros_tsc_at_ready"], 2)
            print("  ratio Linux/AetherOS, both from CPU reset: %.2f"
                  % icount["ratio_linux_over_aetheros_tsc_from_reset"])
        if icount.get("aetheros_tsc_at_prompt") and icount.get("linux_tsc_at_init"):
            icount["ratio_linux_init_over_aetheros_prompt_from_reset"] = round(
                icount["linux_tsc_at_init"] / icount["aetheros_tsc_at_prompt"], 2)
            print("  ratio Linux /init / AetherOS prompt, both from CPU reset: %.2f"
                  % icount["ratio_linux_init_over_aetheros_prompt_from_reset"])

    os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    os.replace(tmp, a.out)
    print()
    print("written: %s" % a.out)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except qbt.BootError as e:
        print("boot benchmark: error: a guest did not boot: %s" % e, file=sys.stderr)
        sys.exit(1)
    except (OSError, ValueError) as e:
        print("boot benchmark: error: %s" % e, file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("boot benchmark: interrupted", file=sys.stderr)
        sys.exit(130)

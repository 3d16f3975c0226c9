#!/bin/sh
# Prints the QEMU accelerator to use: kvm only when /dev/kvm is usable AND
# the host CPU has hardware virtualisation (vmx/svm); otherwise tcg. (Some
# hosts expose an emulated /dev/kvm without vmx/svm that is far slower than
# TCG.) ACCEL=tcg|kvm overrides.
if [ -n "${ACCEL:-}" ]; then
    case "$ACCEL" in
        tcg|kvm) echo "$ACCEL"; exit 0 ;;
        *) echo "qemu-accel: ACCEL must be tcg or kvm, not '$ACCEL'" >&2; exit 1 ;;
    esac
fi
if [ -r /dev/kvm ] && [ -w /dev/kvm ] && grep -qw -E 'vmx|svm' /proc/cpuinfo; then
    echo kvm
else
    echo tcg
fi

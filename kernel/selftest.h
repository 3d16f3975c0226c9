/*
 * In-kernel self tests, run by the boot option `selftest` once every CPU is
 * up. Each prints "selftest: PASS|FAIL <id> <description>" and the run ends
 * with "selftest: N passed, M failed". Returns M.
 */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

int selftest_run(void);

#endif

/*
 * POSIX getopt: options are scanned in order and scanning stops at the
 * first operand or at "--" (no GNU permutation). A leading ':' in
 * optstring silences the messages and makes a missing argument return ':'.
 * "x::" (an optional argument, only in the same word) is accepted too.
 * Setting optind to 1 (or 0) starts a new scan. An option byte above 127
 * reads as 128..255 in optopt (glibc: negative).
 */
#ifndef _GETOPT_H
#define _GETOPT_H

extern char *optarg;
extern int optind, opterr, optopt;

int getopt(int argc, char *const argv[], const char *optstring);

#endif

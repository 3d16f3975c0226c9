/* POSIX getopt (getopt.h), with glibc's messages. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

char *optarg;
int optind = 1, opterr = 1, optopt;

/* Where the scan is inside a word of grouped options ("-abc"): the word's
 * index and the next character's offset; 0 between words. */
static int scan_word, scan_pos;

/* Steps to the next character of the current word, or to the next word
 * when this one is used up. */
static void advance(char *const argv[])
{
    if (argv[optind][scan_pos] == '\0') {
        optind++;
        scan_pos = 0;
    }
}

int getopt(int argc, char *const argv[], const char *optstring)
{
    const char *spec;
    int quiet, c;

    optarg = NULL;
    if (optind == 0) {
        optind = 1;
        scan_pos = 0;
    }
    if (*optstring == '+')
        optstring++;        /* glibc's "POSIX order": already ours */
    quiet = *optstring == ':';
    if (scan_pos == 0 || scan_word != optind) {
        const char *w = optind < argc ? argv[optind] : NULL;
        scan_pos = 0;
        if (w == NULL || w[0] != '-' || w[1] == '\0')
            return -1;
        if (strcmp(w, "--") == 0) {
            optind++;
            return -1;
        }
        scan_word = optind;
        scan_pos = 1;
    }

    c = (unsigned char)argv[optind][scan_pos++];
    spec = c == ':' ? NULL : strchr(optstring, c);
    if (spec == NULL) {
        optopt = c;
        if (opterr && !quiet)
            fprintf(stderr, "%s: invalid option -- '%c'\n", argv[0], c);
        advance(argv);
        return '?';
    }
    if (spec[1] != ':') {
        advance(argv);
        return c;
    }
    if (spec[2] == ':') {                       /* optional: same word only */
        const char *rest = argv[optind] + scan_pos;
        optarg = *rest ? (char *)rest : NULL;
        optind++;
        scan_pos = 0;
        return c;
    }
    if (argv[optind][scan_pos] != '\0') {       /* "-ovalue" */
        optarg = argv[optind] + scan_pos;
        optind++;
        scan_pos = 0;
        return c;
    }
    optind++;
    scan_pos = 0;
    if (optind >= argc) {
        optopt = c;
        if (quiet)
            return ':';
        if (opterr)
            fprintf(stderr, "%s: option requires an argument -- '%c'\n", argv[0], c);
        return '?';
    }
    optarg = argv[optind++];
    return c;
}

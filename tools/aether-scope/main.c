/*
 * aether-scope: shows the AetherOS trace stream (include/aether/trace.h,
 * docs/TRACE.md) live in a browser, or exports a recorded stream as a
 * Chrome trace-event file for Perfetto.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "server.h"

static const char usage_text[] =
    "usage: aether-scope (--connect HOST:PORT | --input FILE [--follow]) [--record FILE]\n"
    "                    [--port N]\n"
    "       aether-scope export --input FILE --output TRACE.json\n"
    "  --connect HOST:PORT  read the stream from a TCP socket (QEMU's -chardev socket);\n"
    "                       reconnects when it drops\n"
    "  --input FILE         read a recorded stream\n"
    "  --follow             keep reading FILE as it grows\n"
    "  --record FILE        save the raw stream to FILE as it is read\n"
    "  --port N             HTTP port on 127.0.0.1 (default 7070; 0 picks a free one)\n"
    "  export               write Chrome trace-event JSON (open it in ui.perfetto.dev)\n"
    "exit status: 0 ok, 1 failed, 2 bad arguments\n";

static int usage(void)
{
    fputs(usage_text, stderr);
    return 2;
}

static int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {
        {"input", required_argument, NULL, 'i'},
        {"output", required_argument, NULL, 'o'},
        {0, 0, 0, 0},
    };
    const char *input = NULL, *output = NULL;
    FILE *in, *out;
    int c, rc;

    while ((c = getopt_long(argc, argv, "i:o:", opts, NULL)) != -1) {
        if (c == 'i')
            input = optarg;
        else if (c == 'o')
            output = optarg;
        else
            return usage();
    }
    if (!input || !output || optind != argc)
        return usage();
    in = fopen(input, "rb");
    if (!in) {
        perror(input);
        return 1;
    }
    out = strcmp(output, "-") == 0 ? stdout : fopen(output, "w");
    if (!out) {
        perror(output);
        fclose(in);
        return 1;
    }
    rc = scope_export(in, out, output);
    fclose(in);
    if (out != stdout && fclose(out) != 0) {
        perror(output);
        rc = 1;
    }
    if (rc && out != stdout)
        remove(output);         /* never leave half a trace behind */
    return rc;
}

static int parse_port(const char *s, int *port)
{
    char *end;
    long v = strtol(s, &end, 10);

    if (!*s || *end || v < 0 || v > 65535)
        return -1;
    *port = (int)v;
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"connect", required_argument, NULL, 'c'},
        {"input", required_argument, NULL, 'i'},
        {"follow", no_argument, NULL, 'f'},
        {"record", required_argument, NULL, 'r'},
        {"port", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    struct serve_opts o = {.port = 7070};
    int c;

    if (argc >= 2 && strcmp(argv[1], "export") == 0)
        return cmd_export(argc - 1, argv + 1);
    while ((c = getopt_long(argc, argv, "c:i:fr:p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': o.connect = optarg; break;
        case 'i': o.input = optarg; break;
        case 'f': o.follow = 1; break;
        case 'r': o.record = optarg; break;
        case 'p':
            if (parse_port(optarg, &o.port) < 0) {
                fprintf(stderr, "aether-scope: --port wants 0..65535\n");
                return 2;
            }
            break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: return usage();
        }
    }
    if (optind != argc || !o.connect == !o.input || (o.follow && !o.input))
        return usage();
    return scope_serve(&o);
}

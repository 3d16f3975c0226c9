/*
 * aether-pack: builds, signs and checks V-Node bundles and trust roots
 * (docs/BUNDLE.md). Every parse and every check goes through the trust
 * library (user/lib/trust), the same code init runs; libsodium is used
 * only to make keys, to sign, and for randomness.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "commands.h"
#include "util.h"

static const char usage_text[] =
    "usage: aether-pack COMMAND ...\n"
    "  keygen OUT                              make OUT.key (secret) and OUT.pub\n"
    "  pack -o OUT.vnode DIR                   bundle DIR (manifest + files), unsigned\n"
    "  sign -k KEY.key BUNDLE                  add a signature to BUNDLE\n"
    "  verify --trust ROOT [--hwm FILE] BUNDLE check BUNDLE (and its version)\n"
    "  inspect [--trust ROOT] BUNDLE           show what BUNDLE holds\n"
    "  trust new -k K -o OUT [--version V] PUB...  make a trust root: K of the PUBs\n"
    "  trust sign -k KEY.key ROOT              add a signature to a trust root\n"
    "  trust verify --trust CURRENT NEXT...    check a chain of successors\n"
    "  trust inspect ROOT                      show a trust root\n"
    "exit status: 0 ok, 1 refused or failed, 2 bad arguments\n";

static const struct {
    const char *name;
    int (*run)(int, char **);
} commands[] = {
    {"keygen", cmd_keygen}, {"pack", cmd_pack},       {"sign", cmd_sign},
    {"verify", cmd_verify}, {"inspect", cmd_inspect}, {"trust", cmd_trust},
};

int main(int argc, char **argv)
{
    int ret;

    if (sodium_init() < 0) {
        fprintf(stderr, "aether-pack: libsodium failed to initialise\n");
        return EXIT_FAIL;
    }
    if (argc < 2)
        goto usage;
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(argv[1], commands[i].name) != 0)
            continue;
        pack_cmd = commands[i].name;
        ret = commands[i].run(argc - 1, argv + 1);
        if (ret != EXIT_USAGE)
            return ret;
        goto usage;
    }
usage:
    fputs(usage_text, stderr);
    return EXIT_USAGE;
}

/*
 * The aether-pack commands (docs/BUNDLE.md has the reference). Each takes
 * its own arguments (argv[0] is the command's name) and returns the exit
 * status: EXIT_OK, EXIT_FAIL, or EXIT_USAGE for bad arguments (main then
 * prints the usage).
 */
#ifndef AETHER_PACK_COMMANDS_H
#define AETHER_PACK_COMMANDS_H

int cmd_keygen(int argc, char **argv);
int cmd_pack(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_trust(int argc, char **argv);

#endif

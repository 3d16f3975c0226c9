/* The shell's built-in commands (table in cmds.c). */
#ifndef SHELL_CMDS_H
#define SHELL_CMDS_H

#include "sh.h"
#include "common/fmt.h"

#define SH_CMD(name) int cmd_##name(int argc, char **argv, struct sh_io *io)
SH_CMD(help); SH_CMD(echo); SH_CMD(ls); SH_CMD(cat); SH_CMD(grep); SH_CMD(wc);
SH_CMD(head); SH_CMD(ps); SH_CMD(caps); SH_CMD(start); SH_CMD(stop);
SH_CMD(restart); SH_CMD(kill); SH_CMD(mem); SH_CMD(uptime); SH_CMD(log);
SH_CMD(poweroff); SH_CMD(reboot); SH_CMD(true); SH_CMD(false); SH_CMD(crash);
SH_CMD(tee); SH_CMD(vnode); SH_CMD(trust); SH_CMD(top); SH_CMD(trace); SH_CMD(lspci);
SH_CMD(ifconfig); SH_CMD(ping); SH_CMD(netstat); SH_CMD(udpecho);
SH_CMD(fetch); SH_CMD(tcpsend);

/* A decimal, or 0x hex, integer with an optional '-': 0 or -1. */
int sh_parse_long(const char *s, long *out);

#endif

/* TCP socket options (setsockopt level IPPROTO_TCP). */
#ifndef _NETINET_TCP_H
#define _NETINET_TCP_H

#define TCP_NODELAY 1

#endif

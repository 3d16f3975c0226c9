/*
 * The network (net-stack's "net" service, include/aether/proto/net.h;
 * docs/NETWORK.md):
 *   ifconfig           the interface: address, mask, gateway, MAC, counters
 *   ping [-c N] ADDR   ICMP echo to an IPv4 address, N (4) times
 *   netstat            every socket: protocol, endpoints, TCP state, queues,
 *                      counters (UDP: datagrams and zero-copy pages held;
 *                      TCP: bytes queued each way, bytes, retransmits)
 *   udpecho [-z] [-n N] PORT
 *                      echo N (1) UDP datagrams back to their senders,
 *                      through the copying calls or (-z) zero copy
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cmds.h"
#include "netc.h"
#include "svc.h"
#include "aether/proto/net.h"
#include "common/string.h"

static struct ae_svc netsvc;

static int64_t net_call(struct ae_msg *m)
{
    int64_t r;

    if (!netsvc.ep && (r = ae_svc_connect(&netsvc, "net")) != AE_OK)
        return r;
    r = ae_svc_call(&netsvc, m);
    if (r == AE_ERR_PEER_RESTARTED)         /* net-stack started over: ask the new one */
        r = ae_svc_call(&netsvc, m);
    return r ? r : AE_MSG_STATUS(m->info);
}

static void ip_text(uint32_t a, char *out, size_t len)
{
    ae_snprintf(out, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

/* Dotted quad, four decimal numbers 0-255, nothing else. */
static bool parse_ip(const char *s, uint32_t *out)
{
    uint32_t a = 0;

    for (int part = 0; part < 4; part++) {
        unsigned v = 0, digits = 0;
        while (*s >= '0' && *s <= '9' && digits < 4) {
            v = v * 10 + (unsigned)(*s++ - '0');
            digits++;
        }
        if (!digits || digits > 3 || v > 255 || *s != (part < 3 ? '.' : '\0'))
            return false;
        s += part < 3;
        a = a << 8 | v;
    }
    *out = a;
    return true;
}

int cmd_ifconfig(int argc, char **argv, struct sh_io *io)
{
    struct ae_msg c = {AE_MSG_INFO(AE_NET_IFCONFIG, 0), {0}, {0}, 0};
    struct ae_msg s = {AE_MSG_INFO(AE_NET_IFSTATS, 0), {0}, {0}, 0};
    struct ae_msg e = {AE_MSG_INFO(AE_NET_IFERRORS, 0), {0}, {0}, 0};
    char ip[16], mask[16], gw[16];
    int64_t r;

    if (argc != 1)
        return sh_fail(io, 2, argv[0], "usage: %s", argv[0]);
    if ((r = net_call(&c)) || (r = net_call(&s)) || (r = net_call(&e)))
        return sh_fail(io, 1, argv[0], "%s", ae_strerror(r));
    ip_text((uint32_t)c.w[0], ip, sizeof(ip));
    ip_text((uint32_t)(c.w[0] >> 32), mask, sizeof(mask));
    ip_text((uint32_t)c.w[1], gw, sizeof(gw));
    sh_printf(io, "eth0: %s  mtu 1500\n", c.w[3] & AE_NET_IF_LINK ? "link up" : "link down");
    if ((uint32_t)c.w[0])
        sh_printf(io, "    inet %s  netmask %s  gateway %s  (%s)\n", ip, mask,
                  (uint32_t)c.w[1] ? gw : "none",
                  c.w[3] & AE_NET_IF_DHCP ? "DHCP" : "static");
    else
        sh_printf(io, "    inet none (waiting for DHCP)\n");
    sh_printf(io, "    ether %02x:%02x:%02x:%02x:%02x:%02x\n", (unsigned)(c.w[2] & 255),
              (unsigned)(c.w[2] >> 8 & 255), (unsigned)(c.w[2] >> 16 & 255),
              (unsigned)(c.w[2] >> 24 & 255), (unsigned)(c.w[2] >> 32 & 255),
              (unsigned)(c.w[2] >> 40 & 255));
    sh_printf(io, "    RX packets %lu  bytes %lu\n", (unsigned long)s.w[0], (unsigned long)s.w[1]);
    sh_printf(io, "    TX packets %lu  bytes %lu\n", (unsigned long)s.w[2], (unsigned long)s.w[3]);
    sh_printf(io, "    dropped: %lu malformed, %lu bad checksum, %lu unroutable; "
              "rx buffers held %lu", (unsigned long)e.w[0], (unsigned long)e.w[1],
              (unsigned long)e.w[2], (unsigned long)(uint32_t)e.w[3]);
    if (e.w[3] >> 32)
        sh_printf(io, " (%lu written off by closed zero-copy sockets)",
                  (unsigned long)(e.w[3] >> 32));
    sh_printf(io, "\n");
    return 0;
}

#define PING_WAIT_NS 1000000000ull
#define PING_INTERVAL_NS 200000000ull

/* Waits for the reply to seq: AE_OK with m->w filled, or TIMEOUT. */
static int64_t ping_wait(uint16_t seq, uint64_t deadline, struct ae_msg *m)
{
    for (;;) {
        int64_t r;
        *m = (struct ae_msg){AE_MSG_INFO(AE_NET_PING_POLL, 0), {seq}, {0}, 0};
        r = net_call(m);
        if (r == AE_ERR_NOTFOUND)           /* net-stack started over: it is lost */
            return AE_ERR_TIMEOUT;
        if (r != AE_ERR_AGAIN)
            return r;
        if ((uint64_t)ae_clock_get() >= deadline)
            return AE_ERR_TIMEOUT;
        ae_sleep_until((uint64_t)ae_clock_get() + 1000000ull);
    }
}

int cmd_ping(int argc, char **argv, struct sh_io *io)
{
    unsigned count = 4, got = 0, sent = 0;
    uint32_t dst;
    int a = 1;

    if (argc == 4 && !strcmp(argv[1], "-c")) {
        char *end;
        unsigned long n = strtoul(argv[2], &end, 10);
        if (*end || !n || n > 1000)
            return sh_fail(io, 2, "ping", "-c takes 1..1000");
        count = (unsigned)n;
        a = 3;
    }
    if (argc != a + 1)
        return sh_fail(io, 2, "ping", "usage: ping [-c N] ADDRESS");
    if (!parse_ip(argv[a], &dst))
        return sh_fail(io, 2, "ping", "%s: not an IPv4 address", argv[a]);
    sh_printf(io, "PING %s: 56 data bytes\n", argv[a]);
    for (unsigned seq = 1; seq <= count; seq++) {
        struct ae_msg m = {AE_MSG_INFO(AE_NET_PING, 0), {dst, seq, 56}, {0}, 0};
        uint64_t t0 = (uint64_t)ae_clock_get();
        int64_t r = net_call(&m);

        /* Not configured (yet, or again after net-stack started over), or
         * no buffer free: this one is lost, the next may go. */
        if (r == AE_ERR_UNSUPPORTED || r == AE_ERR_AGAIN) {
            sent++;
            sh_printf(io, "icmp_seq=%u not sent: %s\n", seq,
                      r == AE_ERR_AGAIN ? "no buffer free" : "no address yet");
            if (seq < count)
                ae_sleep_until(t0 + PING_INTERVAL_NS);
            continue;
        }
        if (r)
            return sh_fail(io, 1, "ping", "%s", ae_strerror(r));
        sent++;
        r = ping_wait((uint16_t)seq, t0 + PING_WAIT_NS, &m);
        if (r == AE_OK) {
            char from[16];
            got++;
            ip_text((uint32_t)m.w[1], from, sizeof(from));
            sh_printf(io, "64 bytes from %s: icmp_seq=%u ttl=%lu time=%lu.%03lu ms\n", from,
                      seq, (unsigned long)m.w[2], (unsigned long)(m.w[0] / 1000000),
                      (unsigned long)(m.w[0] / 1000 % 1000));
        } else if (r == AE_ERR_TIMEOUT) {
            sh_printf(io, "no reply for icmp_seq=%u\n", seq);
        } else {
            return sh_fail(io, 1, "ping", "%s", ae_strerror(r));
        }
        if (seq < count)
            ae_sleep_until(t0 + PING_INTERVAL_NS);
    }
    sh_printf(io, "--- %s ping statistics ---\n%u packets transmitted, %u received, %u%% "
              "packet loss\n", argv[a], sent, got, sent ? (sent - got) * 100 / sent : 0);
    return got ? 0 : 1;
}

#define NETC_BUF_VA 0x0000170000000000ull
#define ZC_RX_VA 0x0000171000000000ull
#define ZC_TX_VA 0x0000171000100000ull
#define UDPECHO_WAIT_NS (120 * 1000000000ull)

static void netc_ready(void)
{
    static bool done;

    if (!done)
        netc_init(NETC_BUF_VA);
    done = true;
}

static void ep_text(uint64_t ep, char *out, size_t len)
{
    char ip[16];

    if (!ep) {
        ae_snprintf(out, len, "*:*");
        return;
    }
    ip_text(AE_NET_EP_ADDR(ep), ip, sizeof(ip));
    ae_snprintf(out, len, "%s:%u", ip, AE_NET_EP_PORT(ep));
}

int cmd_netstat(int argc, char **argv, struct sh_io *io)
{
    struct ae_msg m = {AE_MSG_INFO(AE_NET_SOCKETS, 0), {0}, {0}, 0};
    const struct ae_net_sockinfo *s;
    int64_t r;

    if (argc != 1)
        return sh_fail(io, 2, "netstat", "usage: netstat");
    netc_ready();
    if ((r = netc_call(&m)))
        return sh_fail(io, 1, "netstat", "%s", ae_strerror(r));
    /* RFC 9293's states, in the order NET_STATUS numbers them. */
    static const char *const states[] = {"CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED",
                                         "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2",
                                         "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"};
    s = netc_buf();
    sh_printf(io, "Proto Local                 Remote                State        Recv-Q Send-Q "
              "Client       In      Out  Drop/Re   Copied\n");
    for (uint64_t i = 0; i < m.w[0]; i++) {
        char l[24], rem[24], who[8];
        bool tcp = s[i].type == AE_NET_TCP;
        ep_text(s[i].local, l, sizeof(l));
        ep_text(s[i].remote, rem, sizeof(rem));
        ae_snprintf(who, sizeof(who), "%u", s[i].client);
        sh_printf(io, "%-5s %-21s %-21s %-12s %6u %6u %6s %8lu %8lu %8lu %8lu\n",
                  tcp ? "tcp" : "udp", l, rem,
                  tcp ? (s[i].state < 11 ? states[s[i].state] : "?") : "",
                  s[i].rx_queued, s[i].zc_held, s[i].client ? who : "-",
                  (unsigned long)s[i].rx_datagrams, (unsigned long)s[i].tx_datagrams,
                  (unsigned long)s[i].rx_dropped, (unsigned long)s[i].copied);
    }
    return 0;
}

/* One datagram in and back out through the copying calls, as any BSD
 * sockets program would. */
static int64_t echo_copy(int64_t s, uint64_t *bytes)
{
    static uint8_t buf[65536];     /* a datagram that came in fragments may be this big */
    struct sockaddr_in from;
    socklen_t len = sizeof(from);
    ssize_t n = recvfrom((int)s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);

    if (n < 0)
        return errno == EAGAIN ? AE_ERR_TIMEOUT : -errno;
    *bytes += (uint64_t)n;
    if (sendto((int)s, buf, (size_t)n, 0, (struct sockaddr *)&from, len) != n)
        return -errno;
    return AE_OK;
}

/* The same with pages: the datagram is read where the card put it, and
 * sent from a page of the card's; the only copy is this program's own,
 * from one page to the other. */
static int64_t echo_zc(int64_t s, uint64_t *bytes)
{
    struct netc_page in, out;
    int64_t r = netc_zc_recv(s, ZC_RX_VA, &in, UDPECHO_WAIT_NS);

    if (r == AE_ERR_RANGE)
        return echo_copy(s, bytes);     /* reassembled: not in a page of the card's */
    if (r)
        return r;
    r = netc_zc_txbuf(s, ZC_TX_VA, &out);
    if (!r) {
        uint32_t n = in.len < out.len ? in.len : out.len;
        memcpy(out.va + out.off, in.va + in.off, n);
        *bytes += n;
        r = netc_zc_send(s, &out, n, in.ep);
    }
    int64_t r2 = netc_zc_release(s, &in);
    return r ? r : r2;
}

int cmd_udpecho(int argc, char **argv, struct sh_io *io)
{
    bool zc = false;
    unsigned long count = 1, port;
    uint64_t bytes = 0;
    int a = 1;
    char *end;
    int64_t s, r = 0;
    unsigned long done = 0;

    for (; a < argc - 1; a++) {
        if (!strcmp(argv[a], "-z")) {
            zc = true;
        } else if (!strcmp(argv[a], "-n") && a + 1 < argc - 1) {
            count = strtoul(argv[++a], &end, 10);
            if (*end || !count || count > 1000000)
                return sh_fail(io, 2, "udpecho", "-n takes 1..1000000");
        } else {
            break;
        }
    }
    if (a != argc - 1)
        return sh_fail(io, 2, "udpecho", "usage: udpecho [-z] [-n N] PORT");
    port = strtoul(argv[a], &end, 10);
    if (*end || !port || port > 65535)
        return sh_fail(io, 2, "udpecho", "%s: not a port", argv[a]);
    netc_ready();
    {
        struct sockaddr_in a = {AF_INET, htons((uint16_t)port), {htonl(INADDR_ANY)}, {0}};
        struct { long sec, usec; } wait = {UDPECHO_WAIT_NS / 1000000000ull, 0};
        s = socket(AF_INET, SOCK_DGRAM, 0);
        if (s >= 0 && (bind((int)s, (struct sockaddr *)&a, sizeof(a)) ||
                       setsockopt((int)s, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof(wait))))
            r = -errno;
        if (s < 0)
            s = -errno;
    }
    if (s < 0 || r < 0)
        return sh_fail(io, 1, "udpecho", "%s", ae_strerror(s < 0 ? s : r));
    sh_printf(io, "udpecho: port %lu, %s\n", port, zc ? "zero copy" : "copying");
    for (; done < count; done++) {
        r = zc ? echo_zc(s, &bytes) : echo_copy(s, &bytes);
        if (r < 0)
            break;
    }
    /* What net-stack copied for this socket, from its own count. */
    struct ae_msg m = {AE_MSG_INFO(AE_NET_SOCKETS, 0), {0}, {0}, 0};
    uint64_t copied = ~0ull;
    if (netc_call(&m) == AE_OK) {
        const struct ae_net_sockinfo *si = netc_buf();
        for (uint64_t i = 0; i < m.w[0]; i++)
            if (si[i].sock == (uint32_t)s && AE_NET_EP_PORT(si[i].local) == port)
                copied = si[i].copied;
    }
    close((int)s);
    sh_printf(io, "udpecho: %lu datagrams, %lu bytes echoed; net-stack copied %lu bytes\n",
              done, (unsigned long)bytes, (unsigned long)copied);
    if (r < 0)
        return sh_fail(io, 1, "udpecho", "%s", ae_strerror(r));
    return 0;
}

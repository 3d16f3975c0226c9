/*
 * See dhcp.h. dhcp_poll loops over the states so one call catches up with
 * any amount of elapsed time (a client asleep past T1, T2 and expiry
 * lands in INIT and sends a DISCOVER in the same call).
 */
#include <string.h>

#include "aether/errors.h"
#include "net/dhcp.h"
#include "net/ipv4.h"

#define NS_PER_S 1000000000ull

static uint64_t add_sat(uint64_t a, uint64_t b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

/* splitmix64: a tiny PRNG whose whole state is one word in the struct. */
static uint64_t next_rand(struct dhcp_client *c)
{
    uint64_t z = (c->rng += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint64_t dhcp_backoff_ns(unsigned attempt, uint32_t rnd)
{
    uint64_t base = attempt >= 4 ? DHCP_BACKOFF_MAX_NS : DHCP_BACKOFF_FIRST_NS << attempt;

    return base - DHCP_JITTER_NS + (uint64_t)(rnd % 2001) * 1000000ull;
}

void dhcp_start(struct dhcp_client *c, const struct dhcp_config *cfg,
                const uint8_t mac[ETH_ALEN], uint64_t seed, uint64_t now_ns)
{
    memset(c, 0, sizeof(*c));
    if (cfg)
        c->cfg = *cfg;
    if (!c->cfg.fallback_after)
        c->cfg.fallback_after = DHCP_FALLBACK_AFTER;
    if (!c->cfg.request_tries)
        c->cfg.request_tries = DHCP_REQUEST_TRIES;
    if (!c->cfg.max_msg_size)
        c->cfg.max_msg_size = DHCP_MAX_MSG_SIZE;
    memcpy(c->mac, mac, ETH_ALEN);
    c->rng = seed;
    c->state = DHCP_INIT;
    c->next_ns = now_ns;
}

const struct dhcp_lease *dhcp_lease(const struct dhcp_client *c)
{
    if (c->state == DHCP_BOUND || c->state == DHCP_RENEWING || c->state == DHCP_REBINDING)
        return &c->lease;
    return NULL;
}

static void new_exchange(struct dhcp_client *c, enum dhcp_state state, uint64_t now_ns)
{
    c->state = state;
    c->xid = (uint32_t)next_rand(c);
    c->tries = 0;
    c->xchg_start_ns = now_ns;
    c->next_ns = now_ns;
}

static void to_init(struct dhcp_client *c, uint64_t now_ns)
{
    memset(&c->lease, 0, sizeof(c->lease));
    c->state = DHCP_INIT;
    c->next_ns = now_ns;
}

/* Builds the message for the current state into out and says where it
 * goes; counts it as this exchange's next try. */
static void send_msg(struct dhcp_client *c, uint64_t now_ns, uint8_t *out,
                     struct dhcp_poll_out *po)
{
    uint64_t secs = (now_ns - c->xchg_start_ns) / NS_PER_S;
    struct dhcp_tx tx = {
        .type = c->state == DHCP_SELECTING ? DHCP_DISCOVER : DHCP_REQUEST,
        .xid = c->xid,
        .secs = (uint16_t)(secs > 0xffff ? 0xffff : secs),
        .client_id = !c->cfg.omit_client_id,
        .max_size = c->cfg.max_msg_size,
    };

    memcpy(tx.mac, c->mac, ETH_ALEN);
    po->dst_ip = IPV4_BROADCAST;
    switch (c->state) {
    case DHCP_SELECTING:
        tx.broadcast = true;    /* no address yet: unicast cannot reach us */
        tx.requested_ip = c->last_addr;
        c->discovers++;
        break;
    case DHCP_REQUESTING:
        tx.broadcast = true;
        tx.requested_ip = c->offer_addr;
        tx.server_id = c->offer_server;
        break;
    case DHCP_RENEWING:
        po->dst_ip = c->lease.server_id;
        /* fall through */
    default:                    /* REBINDING */
        tx.ciaddr = c->lease.addr;
        po->src_ip = c->lease.addr;
        break;
    }
    if (c->tries == 0)
        c->req_sent_ns = now_ns;
    c->tries++;
    c->stats.sent++;
    po->len = (size_t)dhcp_build(out, DHCP_MSG_LEN, &tx);
}

/* RFC 2131 4.4.5: half the time left to the next deadline, at least 60 s
 * (deadline() stops it at that deadline itself). */
static uint64_t renew_retry(uint64_t now_ns, uint64_t until)
{
    uint64_t wait = (until - now_ns) / 2;

    return add_sat(now_ns, wait > DHCP_RENEW_MIN_NS ? wait : DHCP_RENEW_MIN_NS);
}

static uint64_t deadline(const struct dhcp_client *c)
{
    switch (c->state) {
    case DHCP_INIT:
    case DHCP_SELECTING:
    case DHCP_REQUESTING: return c->next_ns;
    case DHCP_BOUND: return c->lease.t1_ns;
    case DHCP_RENEWING: return min64(c->next_ns, c->lease.t2_ns);
    case DHCP_REBINDING: return min64(c->next_ns, c->lease.expiry_ns);
    default: return UINT64_MAX;
    }
}

int dhcp_poll(struct dhcp_client *c, uint64_t now_ns, uint8_t *out, size_t cap,
              struct dhcp_poll_out *po)
{
    int ev = DHCP_EV_NONE;

    if (cap < DHCP_MSG_LEN)
        return AE_ERR_TRUNCATED;
    memset(po, 0, sizeof(*po));
    for (bool again = true; again;) {
        again = false;
        switch (c->state) {
        case DHCP_INIT:
            new_exchange(c, DHCP_SELECTING, now_ns);
            again = true;
            break;
        case DHCP_SELECTING:
            if (now_ns < c->next_ns)
                break;
            if (c->discovers >= c->cfg.fallback_after && !c->fallback_told) {
                c->fallback_told = true;
                ev = DHCP_EV_FALLBACK;
            }
            send_msg(c, now_ns, out, po);
            c->next_ns = now_ns + dhcp_backoff_ns(c->tries - 1, (uint32_t)next_rand(c));
            break;
        case DHCP_REQUESTING:
            if (now_ns < c->next_ns)
                break;
            if (c->tries >= c->cfg.request_tries) {
                c->state = DHCP_INIT;
                again = true;
                break;
            }
            send_msg(c, now_ns, out, po);
            c->next_ns = now_ns + dhcp_backoff_ns(c->tries - 1, (uint32_t)next_rand(c));
            break;
        case DHCP_BOUND:
            if (now_ns >= c->lease.t1_ns) {
                new_exchange(c, DHCP_RENEWING, now_ns);
                again = true;
            }
            break;
        case DHCP_RENEWING:
            if (now_ns >= c->lease.t2_ns) {
                /* Same exchange, now asking every server. */
                c->state = DHCP_REBINDING;
                c->next_ns = now_ns;
                again = true;
            } else if (now_ns >= c->next_ns) {
                send_msg(c, now_ns, out, po);
                c->next_ns = renew_retry(now_ns, c->lease.t2_ns);
            }
            break;
        case DHCP_REBINDING:
            if (now_ns >= c->lease.expiry_ns) {
                ev = DHCP_EV_EXPIRED;   /* the fallback count restarted at binding */
                to_init(c, now_ns);
                again = true;
            } else if (now_ns >= c->next_ns) {
                send_msg(c, now_ns, out, po);
                c->next_ns = renew_retry(now_ns, c->lease.expiry_ns);
            }
            break;
        default:
            break;
        }
    }
    po->next_ns = deadline(c);
    return ev;
}

static uint32_t classful_mask(uint32_t a)
{
    if (a >> 31 == 0)
        return 0xff000000u;
    if (a >> 30 == 2)
        return 0xffff0000u;
    return 0xffffff00u;
}

/* Turns an ACK into the lease, or refuses it. */
static int take_lease(struct dhcp_client *c, const struct dhcp_reply *r, uint32_t server)
{
    struct dhcp_lease l = {0};
    uint64_t lease_ns, t1, t2;
    bool same = c->lease.addr == r->yiaddr;

    if (!ipv4_is_unicast(r->yiaddr) || !(r->have & DHCP_HAVE_LEASE))
        return AE_ERR_INVAL;
    l.addr = r->yiaddr;
    l.mask = (r->have & DHCP_HAVE_MASK) ? r->mask : classful_mask(r->yiaddr);
    if (ipv4_is_unicast(r->router) && r->router != r->yiaddr)
        l.router = r->router;
    for (unsigned i = 0; i < r->dns_count; i++)
        if (ipv4_is_unicast(r->dns[i]))
            l.dns[l.dns_count++] = r->dns[i];
    l.server_id = (r->have & DHCP_HAVE_SERVER_ID) ? r->server_id : server;
    l.lease_s = r->lease_s < DHCP_MIN_LEASE_S ? DHCP_MIN_LEASE_S : r->lease_s;
    l.start_ns = c->req_sent_ns;
    if (l.lease_s == DHCP_INFINITE) {
        l.t1_ns = l.t2_ns = l.expiry_ns = UINT64_MAX;
    } else {
        lease_ns = (uint64_t)l.lease_s * NS_PER_S;
        t1 = (r->have & DHCP_HAVE_T1) ? (uint64_t)r->t1_s * NS_PER_S : lease_ns / 2;
        t2 = (r->have & DHCP_HAVE_T2) ? (uint64_t)r->t2_s * NS_PER_S : lease_ns / 8 * 7;
        if (t1 > t2 || t2 > lease_ns) {
            t1 = lease_ns / 2;
            t2 = lease_ns / 8 * 7;
        }
        l.t1_ns = add_sat(l.start_ns, t1);
        l.t2_ns = add_sat(l.start_ns, t2);
        l.expiry_ns = add_sat(l.start_ns, lease_ns);
    }
    c->lease = l;
    c->last_addr = l.addr;
    c->discovers = 0;
    c->fallback_told = false;
    c->state = DHCP_BOUND;
    return same ? DHCP_EV_RENEWED : DHCP_EV_BOUND;
}

int dhcp_input(struct dhcp_client *c, const uint8_t *p, size_t len, uint64_t now_ns)
{
    struct dhcp_reply r;
    bool renewing = c->state == DHCP_RENEWING || c->state == DHCP_REBINDING;
    int err;

    if (c->state != DHCP_SELECTING && c->state != DHCP_REQUESTING && !renewing) {
        c->stats.ignored++;     /* nothing outstanding */
        return DHCP_EV_NONE;
    }
    err = dhcp_parse(p, len, c->xid, c->mac, &r);
    if (err < 0) {
        c->stats.bad++;
        return err;
    }
    if (c->state == DHCP_SELECTING) {
        if (r.type != DHCP_OFFER || !ipv4_is_unicast(r.yiaddr) ||
            !(r.have & DHCP_HAVE_SERVER_ID) || !ipv4_is_unicast(r.server_id)) {
            c->stats.ignored++;
            return DHCP_EV_NONE;
        }
        c->stats.offers++;
        c->offer_addr = r.yiaddr;
        c->offer_server = r.server_id;
        c->state = DHCP_REQUESTING;
        c->tries = 0;
        c->next_ns = now_ns;
        return DHCP_EV_OFFERED;
    }
    /* Only the server asked may answer, except while rebinding. */
    if ((r.have & DHCP_HAVE_SERVER_ID) && c->state != DHCP_REBINDING &&
        r.server_id != (renewing ? c->lease.server_id : c->offer_server)) {
        c->stats.ignored++;
        return DHCP_EV_NONE;
    }
    if (r.type == DHCP_NAK) {
        c->stats.naks++;
        c->last_addr = 0;       /* refused: do not ask for it again */
        to_init(c, now_ns);
        return DHCP_EV_NAK;
    }
    if (r.type != DHCP_ACK || (!renewing && r.yiaddr != c->offer_addr)) {
        c->stats.ignored++;
        return DHCP_EV_NONE;
    }
    err = take_lease(c, &r, renewing ? c->lease.server_id : c->offer_server);
    if (err < 0) {
        c->stats.bad++;
        return err;
    }
    c->stats.acks++;
    return err;
}

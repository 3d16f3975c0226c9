/*
 * See arp_cache.h. The table is small (32), so every operation is a linear
 * scan: simpler than hashing and fast enough at this size.
 */
#include <string.h>

#include "aether/errors.h"
#include "net/arp_cache.h"
#include "net/ipv4.h"

void arp_cache_init(struct arp_cache *c, uint64_t ttl_ns, uint64_t retry_ns, unsigned max_tries)
{
    memset(c, 0, sizeof(*c));
    c->ttl_ns = ttl_ns ? ttl_ns : ARP_TTL_NS;
    c->retry_ns = retry_ns ? retry_ns : ARP_RETRY_NS;
    if (max_tries == 0)
        max_tries = ARP_MAX_TRIES;
    c->max_tries = max_tries > 255 ? 255 : max_tries;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

static struct arp_entry *find(struct arp_cache *c, uint32_t ip)
{
    for (int i = 0; i < ARP_CACHE_SIZE; i++)
        if (c->e[i].state != ARP_ENTRY_FREE && c->e[i].ip == ip)
            return &c->e[i];
    return NULL;
}

const struct arp_entry *arp_cache_find(const struct arp_cache *c, uint32_t ip)
{
    return find((struct arp_cache *)c, ip);
}

/* A free entry, else the resolved one confirmed longest ago, else NULL. */
static struct arp_entry *take_slot(struct arp_cache *c)
{
    struct arp_entry *old = NULL;

    for (int i = 0; i < ARP_CACHE_SIZE; i++) {
        struct arp_entry *e = &c->e[i];

        if (e->state == ARP_ENTRY_FREE)
            return e;
        if (e->state == ARP_ENTRY_RESOLVED && (!old || e->stamp_ns < old->stamp_ns))
            old = e;
    }
    if (old)
        c->stats.replaced++;
    else
        c->stats.table_full++;
    return old;
}

static void set_resolved(struct arp_cache *c, struct arp_entry *e, uint32_t ip,
                         const uint8_t mac[ETH_ALEN], uint64_t now_ns)
{
    e->ip = ip;
    memcpy(e->mac, mac, ETH_ALEN);
    e->state = ARP_ENTRY_RESOLVED;
    e->tries = 0;
    e->deadline_ns = add_sat(now_ns, c->ttl_ns);
    e->stamp_ns = now_ns;
}

static void start_request(struct arp_cache *c, struct arp_entry *e, uint32_t ip, uint64_t now_ns)
{
    memset(e, 0, sizeof(*e));
    e->ip = ip;
    e->state = ARP_ENTRY_INCOMPLETE;
    e->tries = 1;
    e->deadline_ns = add_sat(now_ns, c->retry_ns);
    e->stamp_ns = now_ns;
}

int arp_lookup(struct arp_cache *c, uint32_t ip, uint64_t now_ns, uint8_t mac[ETH_ALEN])
{
    struct arp_entry *e;

    if (!ipv4_is_unicast(ip))
        return AE_ERR_INVAL;
    e = find(c, ip);
    if (e && e->state == ARP_ENTRY_INCOMPLETE)
        return ARP_WAITING;
    if (e && now_ns < e->deadline_ns) {
        memcpy(mac, e->mac, ETH_ALEN);
        return ARP_FOUND;
    }
    if (e) {
        c->stats.expired++;     /* found stale: reuse its slot */
    } else {
        e = take_slot(c);
        if (!e)
            return AE_ERR_BUSY;
    }
    start_request(c, e, ip, now_ns);
    return ARP_SEND_REQUEST;
}

int arp_input(struct arp_cache *c, uint32_t my_ip, const uint8_t my_mac[ETH_ALEN],
              const uint8_t *pkt, size_t len, uint64_t now_ns,
              uint8_t *reply, size_t reply_cap, struct arp_input_result *res)
{
    struct arp_pkt a;
    struct arp_entry *e;
    bool merged = false, for_me;
    int err = arp_parse(pkt, len, &a);

    if (err < 0)
        return err;
    memset(res, 0, sizeof(*res));
    if (my_ip != 0 && a.spa == my_ip) {
        /* Our own broadcast looped back is harmless; another station
         * using our address is a conflict, and never a cache entry. */
        if (!eth_mac_equal(a.sha, my_mac)) {
            res->conflict = true;
            memcpy(res->conflict_mac, a.sha, ETH_ALEN);
            c->stats.conflicts++;
        }
        return AE_OK;
    }
    for_me = my_ip != 0 && a.tpa == my_ip;
    if (for_me && a.op == ARP_OP_REQUEST && (!reply || reply_cap < ARP_PKT_LEN))
        return AE_ERR_TRUNCATED;

    if (ipv4_is_unicast(a.spa)) {
        e = find(c, a.spa);
        if (e) {
            if (e->state == ARP_ENTRY_INCOMPLETE) {
                res->resolved = true;
                res->resolved_ip = a.spa;
                memcpy(res->resolved_mac, a.sha, ETH_ALEN);
                c->stats.resolved++;
            }
            set_resolved(c, e, a.spa, a.sha, now_ns);
            merged = true;
        }
        if (!merged && for_me) {
            e = take_slot(c);
            if (e) {
                set_resolved(c, e, a.spa, a.sha, now_ns);
                c->stats.learned++;
            }
        }
    }

    if (for_me && a.op == ARP_OP_REQUEST) {
        struct arp_pkt r = {.op = ARP_OP_REPLY, .spa = my_ip, .tpa = a.spa};

        memcpy(r.sha, my_mac, ETH_ALEN);
        memcpy(r.tha, a.sha, ETH_ALEN);
        arp_build(reply, reply_cap, &r);
        res->reply = true;
        memcpy(res->reply_dst, a.sha, ETH_ALEN);
    }
    return AE_OK;
}

bool arp_tick(struct arp_cache *c, uint64_t now_ns, struct arp_tick_event *ev)
{
    for (int i = 0; i < ARP_CACHE_SIZE; i++) {
        struct arp_entry *e = &c->e[i];

        if (e->state == ARP_ENTRY_RESOLVED && now_ns >= e->deadline_ns) {
            e->state = ARP_ENTRY_FREE;
            c->stats.expired++;
        }
    }
    for (int i = 0; i < ARP_CACHE_SIZE; i++) {
        struct arp_entry *e = &c->e[i];

        if (e->state != ARP_ENTRY_INCOMPLETE || now_ns < e->deadline_ns)
            continue;
        ev->ip = e->ip;
        if (e->tries >= c->max_tries) {
            ev->kind = ARP_TICK_FAILED;
            e->state = ARP_ENTRY_FREE;
            c->stats.failed++;
        } else {
            ev->kind = ARP_TICK_RESEND;
            e->tries++;
            /* From now, not from the missed deadline: a late tick must
             * not cause a burst of requests. */
            e->deadline_ns = add_sat(now_ns, c->retry_ns);
        }
        return true;
    }
    return false;
}

uint64_t arp_next_deadline(const struct arp_cache *c)
{
    uint64_t next = UINT64_MAX;

    for (int i = 0; i < ARP_CACHE_SIZE; i++)
        if (c->e[i].state != ARP_ENTRY_FREE && c->e[i].deadline_ns < next)
            next = c->e[i].deadline_ns;
    return next;
}

#include "admit.h"

static int same(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static void say(char *dst, const char *a, const char *b, const char *c)
{
    size_t n = 0;
    const char *parts[3] = {a, b, c};

    for (int k = 0; k < 3; k++)
        for (const char *s = parts[k]; s && *s && n + 1 < ADMIT_REASON_MAX; s++)
            dst[n++] = *s;
    dst[n] = 0;
}

static int is_builtin(const char *svc, const char *const *builtin)
{
    for (; builtin && *builtin; builtin++)
        if (same(svc, *builtin))
            return 1;
    return 0;
}

/* The node providing svc, or -1. */
static int provider(const struct admit_node *nodes, unsigned n, const char *svc)
{
    for (unsigned i = 0; i < n; i++)
        for (unsigned k = 0; k < nodes[i].nprovides; k++)
            if (same(nodes[i].provides[k], svc))
                return (int)i;
    return -1;
}

void admit_order(const struct admit_node *nodes, unsigned n, const char *const *builtin,
                 unsigned *order, unsigned *norder, int *refused,
                 char reasons[][ADMIT_REASON_MAX])
{
    int placed[ADMIT_MAX] = {0};
    unsigned count = 0;
    int progress = 1;

    for (unsigned i = 0; i < n; i++) {
        refused[i] = nodes[i].refused;
        if (refused[i])
            say(reasons[i], "refused earlier", NULL, NULL);
        for (unsigned k = 0; !refused[i] && k < nodes[i].nneeds; k++) {
            const char *svc = nodes[i].needs[k];
            if (!is_builtin(svc, builtin) && provider(nodes, n, svc) < 0) {
                refused[i] = 1;
                say(reasons[i], "needs \"", svc, "\", which no V-Node provides");
            }
        }
    }
    /* Place a node once every provider it needs is placed; a needed
     * provider that is refused refuses it. Repeat until nothing moves: what
     * is left waits on a cycle. */
    while (progress) {
        progress = 0;
        for (unsigned i = 0; i < n; i++) {
            int ready = 1;
            if (refused[i] || placed[i])
                continue;
            for (unsigned k = 0; k < nodes[i].nneeds && ready; k++) {
                const char *svc = nodes[i].needs[k];
                int p = is_builtin(svc, builtin) ? -1 : provider(nodes, n, svc);
                if (p < 0 || (unsigned)p == i)
                    continue;           /* built in, or itself */
                if (refused[p]) {
                    refused[i] = 1;
                    say(reasons[i], "needs \"", svc, "\", whose provider was refused");
                    ready = 0;
                    progress = 1;
                } else if (!placed[p]) {
                    ready = 0;
                }
            }
            if (ready && !refused[i]) {
                placed[i] = 1;
                order[count++] = i;
                progress = 1;
            }
        }
    }
    for (unsigned i = 0; i < n; i++) {
        if (!refused[i] && !placed[i]) {
            refused[i] = 1;
            say(reasons[i], "dependency cycle", NULL, NULL);
        }
    }
    *norder = count;
}

unsigned admit_fit_cpu(uint32_t *cpu, unsigned n, uint64_t avail)
{
    uint64_t sum = 0;

    for (unsigned i = 0; i < n; i++)
        sum += cpu[i];
    if (sum <= avail)
        return 1000;
    for (unsigned i = 0; i < n; i++) {
        uint64_t c = (uint64_t)cpu[i] * avail / sum;

        cpu[i] = (uint32_t)(c < ADMIT_CPU_MIN ? ADMIT_CPU_MIN : c);
    }
    return (unsigned)(avail * 1000 / sum);
}

/* Searching memory and strings. */
#include <stdint.h>
#include <string.h>

void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;

    for (; n > 0; n--, p++)
        if (*p == (unsigned char)c)
            return (void *)p;
    return NULL;
}

char *strrchr(const char *s, int c)
{
    const char *last = NULL;

    for (;; s++) {
        if (*s == (char)c)
            last = s;
        if (*s == '\0')
            return (char *)last;
    }
}

char *strstr(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);

    if (n == 0)
        return (char *)haystack;
    for (; (haystack = strchr(haystack, *needle)) != NULL; haystack++)
        if (strncmp(haystack, needle, n) == 0)
            return (char *)haystack;
    return NULL;
}

/* A set of bytes, so the span functions are linear in both strings. */
struct byteset {
    uint64_t bits[4];
};

static void set_of(struct byteset *set, const char *chars)
{
    memset(set, 0, sizeof(*set));
    for (const unsigned char *p = (const unsigned char *)chars; *p; p++)
        set->bits[*p / 64] |= 1ull << (*p % 64);
}

static int in_set(const struct byteset *set, unsigned char c)
{
    return (set->bits[c / 64] >> (c % 64)) & 1;
}

size_t strspn(const char *s, const char *accept)
{
    struct byteset set;
    size_t n = 0;

    set_of(&set, accept);
    while (s[n] && in_set(&set, (unsigned char)s[n]))
        n++;
    return n;
}

size_t strcspn(const char *s, const char *reject)
{
    struct byteset set;
    size_t n = 0;

    set_of(&set, reject);
    while (s[n] && !in_set(&set, (unsigned char)s[n]))
        n++;
    return n;
}

char *strpbrk(const char *s, const char *accept)
{
    s += strcspn(s, accept);
    return *s ? (char *)s : NULL;
}

#include "path.h"

int path_is(const struct path *p, int i, const char *name)
{
    size_t k = 0;

    if (i >= p->n)
        return 0;
    for (; k < p->len[i]; k++)
        if (name[k] != p->part[i][k])
            return 0;
    return name[k] == 0;
}

int path_split(const char *s, size_t maxlen, struct path *p)
{
    size_t i = 0;

    p->n = 0;
    if (s[0] != '/')
        return -1;
    while (s[i]) {
        size_t start, len;
        while (s[i] == '/')
            i++;
        start = i;
        while (s[i] && s[i] != '/') {
            if (s[i] < 0x21 || s[i] > 0x7e)
                return -1;
            i++;
        }
        if (i > maxlen)
            return -1;
        len = i - start;
        if (len == 0 || (len == 1 && s[start] == '.'))
            continue;
        if ((len == 2 && s[start] == '.' && s[start + 1] == '.') || len > PATH_NAME_MAX ||
            p->n == PATH_MAX_PARTS)
            return -1;
        p->part[p->n] = s + start;
        p->len[p->n] = len;
        p->n++;
    }
    return 0;
}

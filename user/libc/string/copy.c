/* Copying and concatenating strings. */
#include <string.h>

char *strcpy(char *restrict dst, const char *restrict src)
{
    memcpy(dst, src, strlen(src) + 1);
    return dst;
}

/* C's strncpy: pads with NULs to n and leaves dst unterminated when src
 * is n bytes or longer. */
char *strncpy(char *restrict dst, const char *restrict src, size_t n)
{
    size_t k = strnlen(src, n);

    memcpy(dst, src, k);
    memset(dst + k, 0, n - k);
    return dst;
}

char *strcat(char *restrict dst, const char *restrict src)
{
    strcpy(dst + strlen(dst), src);
    return dst;
}

char *strncat(char *restrict dst, const char *restrict src, size_t n)
{
    char *end = dst + strlen(dst);
    size_t k = strnlen(src, n);

    memcpy(end, src, k);
    end[k] = '\0';
    return dst;
}

/*
 * The names a bundle may carry (bundle.h): its own, and its files'. Kept
 * narrow on purpose: a file name is never a path, so a bundle can be
 * unpacked or served by name without any path handling.
 */
#include <stddef.h>

#include "aether/bundle.h"
#include "trust/bundle.h"

static int is_lower_or_digit(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int ae_bundle_name_valid(const char *s, size_t n)
{
    if (n == 0 || n >= AE_BUNDLE_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_lower_or_digit(s[i]) && s[i] != '_' && s[i] != '-')
            return 0;
    return 1;
}

int ae_bundle_file_name_valid(const char *s, size_t n)
{
    if (n == 0 || n >= AE_BUNDLE_FILE_NAME_MAX || s[0] == '.')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!is_lower_or_digit(c) && !(c >= 'A' && c <= 'Z') && c != '.' && c != '_' &&
            c != '-')
            return 0;
    }
    return 1;
}

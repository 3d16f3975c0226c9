/*
 * For tests of the C library (user/libc) on the host: its pure part is
 * linked in with every symbol renamed lc_NAME (the Makefile's LIBC_HOST),
 * so lc_snprintf is AetherOS's and snprintf is glibc's. This header
 * declares the lc_ functions the tests call and stands in for the os/ part
 * the pure code needs: the locks, and the kernel-log sink (here a capture
 * buffer). Include it once per test program.
 */
#ifndef TESTS_UNIT_LIBC_HOST_H
#define TESTS_UNIT_LIBC_HOST_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

/* string.h */
void *lc_memcpy(void *dst, const void *src, size_t n);
void *lc_memmove(void *dst, const void *src, size_t n);
void *lc_memset(void *dst, int c, size_t n);
int lc_memcmp(const void *a, const void *b, size_t n);
void *lc_memchr(const void *s, int c, size_t n);
size_t lc_strlen(const char *s);
size_t lc_strnlen(const char *s, size_t max);
int lc_strcmp(const char *a, const char *b);
int lc_strncmp(const char *a, const char *b, size_t n);
char *lc_strcpy(char *dst, const char *src);
char *lc_strncpy(char *dst, const char *src, size_t n);
char *lc_strcat(char *dst, const char *src);
char *lc_strncat(char *dst, const char *src, size_t n);
char *lc_strchr(const char *s, int c);
char *lc_strrchr(const char *s, int c);
char *lc_strstr(const char *h, const char *n);
size_t lc_strspn(const char *s, const char *accept);
size_t lc_strcspn(const char *s, const char *reject);
char *lc_strpbrk(const char *s, const char *accept);
char *lc_strtok(char *s, const char *delim);
char *lc_strtok_r(char *s, const char *delim, char **save);
char *lc_strdup(const char *s);
char *lc_strndup(const char *s, size_t n);
char *lc_strerror(int errnum);

/* ctype.h */
#define LC_CTYPE_LIST(X) \
    X(isalnum) X(isalpha) X(iscntrl) X(isdigit) X(isgraph) X(islower) \
    X(isprint) X(ispunct) X(isspace) X(isupper) X(isxdigit) X(isblank) \
    X(tolower) X(toupper)
#define LC_DECLARE_CTYPE(name) int lc_##name(int c);
LC_CTYPE_LIST(LC_DECLARE_CTYPE)
#undef LC_DECLARE_CTYPE

/* errno.h (values: user/libc/include/errno.h) */
extern int lc_errno;
#define LC_ENOMEM 1
#define LC_EINVAL 2
#define LC_ERANGE 3
#define LC_ENOSPC 105
#define LC_EAFNOSUPPORT 111

/* arpa/inet.h (struct in_addr is one uint32_t in both libraries) */
struct in_addr;
int lc_inet_pton(int af, const char *src, void *dst);
const char *lc_inet_ntop(int af, const void *src, char *dst, unsigned size);
uint32_t lc_inet_addr(const char *cp);
int lc_inet_aton(const char *cp, struct in_addr *out);
char *lc_inet_ntoa(struct in_addr in);

/* stdio.h */
typedef struct lc_file lc_FILE;
extern lc_FILE *lc_stdin, *lc_stdout, *lc_stderr;
int lc_snprintf(char *buf, size_t size, const char *fmt, ...);
int lc_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int lc_sprintf(char *buf, const char *fmt, ...);
int lc_printf(const char *fmt, ...);
int lc_fprintf(lc_FILE *f, const char *fmt, ...);
int lc_fputc(int c, lc_FILE *f);
int lc_putchar(int c);
int lc_fputs(const char *s, lc_FILE *f);
int lc_puts(const char *s);
size_t lc_fwrite(const void *p, size_t size, size_t n, lc_FILE *f);
int lc_fflush(lc_FILE *f);
int lc_fgetc(lc_FILE *f);
int lc_getchar(void);
char *lc_fgets(char *s, int size, lc_FILE *f);
int lc_ungetc(int c, lc_FILE *f);
size_t lc_fread(void *p, size_t size, size_t n, lc_FILE *f);
int lc_feof(lc_FILE *f);
int lc_ferror(lc_FILE *f);
void lc_clearerr(lc_FILE *f);
int lc_setvbuf(lc_FILE *f, char *buf, int mode, size_t size);
void lc_perror(const char *s);
void lc_libc_set_stdout(ssize_t (*write)(const void *, size_t));
void lc_libc_set_stderr(ssize_t (*write)(const void *, size_t));
void lc_libc_set_stdin(ssize_t (*read)(void *, size_t));
void lc_libc_streams_reset(void);

/* stdlib.h */
long lc_strtol(const char *s, char **end, int base);
long long lc_strtoll(const char *s, char **end, int base);
unsigned long lc_strtoul(const char *s, char **end, int base);
unsigned long long lc_strtoull(const char *s, char **end, int base);
int lc_atoi(const char *s);
long lc_atol(const char *s);
long long lc_atoll(const char *s);
void lc_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
void *lc_bsearch(const void *key, const void *base, size_t n, size_t size,
                 int (*cmp)(const void *, const void *));
int lc_rand(void);
void lc_srand(unsigned seed);

/* getopt.h */
extern char *lc_optarg;
extern int lc_optind, lc_opterr, lc_optopt;
int lc_getopt(int argc, char *const argv[], const char *optstring);

/* ---- the os/ part, simulated ------------------------------------------- */

/* Locks: the tests are single-threaded, so taking a held lock is a bug (a
 * function re-entering its own stream, say). */
void libc_lock(int *held);
void libc_unlock(int *held);

void libc_lock(int *held)
{
    if (*held) {
        fprintf(stderr, "libc_host: lock taken twice\n");
        abort();
    }
    *held = 1;
}

void libc_unlock(int *held)
{
    *held = 0;
}

/* The kernel log: each call is one "line", kept in order. */
static struct {
    char text[1 << 16];
    size_t len;
    unsigned calls;
} lc_log;

ssize_t libc_log_write(const void *buf, size_t len);

ssize_t libc_log_write(const void *buf, size_t len)
{
    if (lc_log.len + len + 1 < sizeof(lc_log.text)) {
        memcpy(lc_log.text + lc_log.len, buf, len);
        lc_log.len += len;
        lc_log.text[lc_log.len++] = '|';        /* marks where each call ended */
        lc_log.text[lc_log.len] = '\0';
    }
    lc_log.calls++;
    return (ssize_t)len;
}

static inline void lc_log_clear(void)
{
    lc_log.len = 0;
    lc_log.calls = 0;
    lc_log.text[0] = '\0';
}

#endif

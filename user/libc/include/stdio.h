/*
 * Standard streams and formatted output. There are no files yet: stdin,
 * stdout and stderr are the only streams. Their bytes go to and come from
 * replaceable hooks (aelibc.h): by default stdout and stderr write the
 * kernel log, one log line per text line, and stdin is at end of file.
 *
 * printf conversions: d i u o x X c s p n % with flags "-+ #0", width and
 * precision (also '*'), length modifiers hh h l ll z j t (and L for long
 * double), and f F e E g G (double and long double, digits exact as
 * glibc's). %n writes nothing and prints nothing; %a %A and wide
 * characters (%lc %ls) are not supported and print the directive as
 * written. An unknown directive is printed as written.
 */
#ifndef _STDIO_H
#define _STDIO_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct __libc_file FILE;

extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;
#define stdin stdin
#define stdout stdout
#define stderr stderr

#define EOF (-1)
#define BUFSIZ 512

/* Buffering modes (setvbuf). Unbuffered still writes each call's output
 * in one piece, so a line printed by one call stays one line. */
#define _IOFBF 0
#define _IOLBF 1
#define _IONBF 2

int printf(const char *restrict fmt, ...) __attribute__((format(printf, 1, 2)));
int fprintf(FILE *restrict f, const char *restrict fmt, ...)
    __attribute__((format(printf, 2, 3)));
int vprintf(const char *restrict fmt, va_list ap) __attribute__((format(printf, 1, 0)));
int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int sprintf(char *restrict buf, const char *restrict fmt, ...)
    __attribute__((format(printf, 2, 3)));
int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int putchar(int c);
int fputs(const char *restrict s, FILE *restrict f);
int puts(const char *s);
size_t fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f);
int fflush(FILE *f);                    /* NULL: every stream */

int fgetc(FILE *f);
int getc(FILE *f);
int getchar(void);
char *fgets(char *restrict s, int size, FILE *restrict f);
int ungetc(int c, FILE *f);             /* one character of push-back */
size_t fread(void *restrict p, size_t size, size_t n, FILE *restrict f);

int feof(FILE *f);
int ferror(FILE *f);
void clearerr(FILE *f);
/* Only the mode is used: the stream keeps its own BUFSIZ buffer. */
int setvbuf(FILE *restrict f, char *restrict buf, int mode, size_t size);
void perror(const char *s);

#endif

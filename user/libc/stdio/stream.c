/*
 * The three standard streams: a BUFSIZ buffer each, a lock, and a hook
 * their bytes go to or come from (aelibc.h). stdout is line-buffered,
 * stderr unbuffered (each call's output in one write), stdin reads through
 * its hook (default: end of file).
 */
#include <aelibc.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../internal.h"

struct __libc_file {
    libc_lock_t lock;
    int mode;                   /* _IOFBF, _IOLBF, _IONBF */
    bool output;
    bool eof, error;
    int unget;                  /* a pushed-back byte, or EOF */
    libc_write_fn write;
    libc_read_fn read;
    size_t pos, len;            /* output: buf[0, len); input: buf[pos, len) */
    unsigned char buf[BUFSIZ];
};

static ssize_t no_input(void *buf, size_t len)
{
    return 0;
}

#define IN_INIT {.mode = _IOLBF, .unget = EOF, .read = no_input}
#define OUT_INIT(m) {.mode = (m), .output = true, .unget = EOF, .write = libc_log_write}

static FILE files[3] = {IN_INIT, OUT_INIT(_IOLBF), OUT_INIT(_IONBF)};

FILE *stdin = &files[0];
FILE *stdout = &files[1];
FILE *stderr = &files[2];

/* ---- output ------------------------------------------------------------- */

static int flush_locked(FILE *f)
{
    size_t off = 0;

    if (!f->output)
        return 0;
    while (off < f->len) {
        ssize_t n = f->write(f->buf + off, f->len - off);
        if (n <= 0 || (size_t)n > f->len - off) {
            f->error = true;
            f->len = 0;
            return EOF;
        }
        off += (size_t)n;
    }
    f->len = 0;
    return 0;
}

static int put_locked(FILE *f, unsigned char c)
{
    if (!f->output) {
        f->error = true;
        return EOF;
    }
    if (f->len == sizeof(f->buf) && flush_locked(f))
        return EOF;
    f->buf[f->len++] = c;
    if (c == '\n' && f->mode == _IOLBF)
        return flush_locked(f);
    return 0;
}

/* Every call ends here: an unbuffered stream writes what it produced. */
static int end_call(FILE *f)
{
    return f->mode == _IONBF ? flush_locked(f) : 0;
}

static void emit_to_stream(char c, void *ctx)
{
    put_locked(ctx, (unsigned char)c);
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
    bool had_error;
    int n;

    libc_lock(&f->lock);
    had_error = f->error;
    f->error = false;
    n = ae_vformat_opts(&libc_fmt_opts, emit_to_stream, f, fmt, ap);
    end_call(f);
    if (f->error)
        n = -1;
    f->error |= had_error;
    libc_unlock(&f->lock);
    return n;
}

size_t fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f)
{
    const unsigned char *b = p;
    size_t total = size * n, done = 0;

    if (size == 0 || n == 0)
        return 0;
    if (total / size != n)
        return 0;
    libc_lock(&f->lock);
    while (done < total && put_locked(f, b[done]) == 0)
        done++;
    if (end_call(f))
        done = 0;               /* an unbuffered write failed: none left */
    libc_unlock(&f->lock);
    return done / size;
}

int fputc(int c, FILE *f)
{
    int r;

    libc_lock(&f->lock);
    r = put_locked(f, (unsigned char)c);
    if (!r)
        r = end_call(f);
    libc_unlock(&f->lock);
    return r ? EOF : (unsigned char)c;
}

int putc(int c, FILE *f)
{
    return fputc(c, f);
}

int putchar(int c)
{
    return fputc(c, stdout);
}

int fputs(const char *restrict s, FILE *restrict f)
{
    size_t n = strlen(s);

    return n == 0 || fwrite(s, 1, n, f) == n ? 0 : EOF;
}

int puts(const char *s)
{
    size_t n = strlen(s);
    int r;

    libc_lock(&stdout->lock);
    r = 0;
    for (size_t i = 0; i < n && !r; i++)
        r = put_locked(stdout, (unsigned char)s[i]);
    if (!r)
        r = put_locked(stdout, '\n');
    if (!r)
        r = end_call(stdout);
    libc_unlock(&stdout->lock);
    return r ? EOF : (n < 0x7fffffff ? (int)n + 1 : 0x7fffffff);
}

int fflush(FILE *f)
{
    int r = 0;

    if (f == NULL)
        return fflush(stdout) | fflush(stderr);
    libc_lock(&f->lock);
    r = flush_locked(f);
    libc_unlock(&f->lock);
    return r;
}

/* ---- input -------------------------------------------------------------- */

static int get_locked(FILE *f)
{
    ssize_t n;

    if (f->output) {
        f->error = true;
        return EOF;
    }
    if (f->unget != EOF) {
        int c = f->unget;
        f->unget = EOF;
        return c;
    }
    if (f->pos == f->len) {
        if (f->eof)
            return EOF;         /* C11: end of file is sticky */
        if (f == stdin)
            fflush(stdout);     /* a prompt shows before the program waits */
        n = f->read(f->buf, sizeof(f->buf));
        if (n <= 0 || (size_t)n > sizeof(f->buf)) {
            if (n == 0)
                f->eof = true;
            else
                f->error = true;
            return EOF;
        }
        f->pos = 0;
        f->len = (size_t)n;
    }
    return f->buf[f->pos++];
}

int fgetc(FILE *f)
{
    int c;

    libc_lock(&f->lock);
    c = get_locked(f);
    libc_unlock(&f->lock);
    return c;
}

int getc(FILE *f)
{
    return fgetc(f);
}

int getchar(void)
{
    return fgetc(stdin);
}

char *fgets(char *restrict s, int size, FILE *restrict f)
{
    int n = 0, c = 0;

    if (size <= 0)
        return NULL;
    libc_lock(&f->lock);
    while (n < size - 1 && (c = get_locked(f)) != EOF) {
        s[n++] = (char)c;
        if (c == '\n')
            break;
    }
    libc_unlock(&f->lock);
    if (n == 0 && size > 1)
        return NULL;
    s[n] = '\0';
    return s;
}

size_t fread(void *restrict p, size_t size, size_t n, FILE *restrict f)
{
    unsigned char *b = p;
    size_t total = size * n, done = 0;
    int c;

    if (size == 0 || n == 0 || total / size != n)
        return 0;
    libc_lock(&f->lock);
    while (done < total && (c = get_locked(f)) != EOF)
        b[done++] = (unsigned char)c;
    libc_unlock(&f->lock);
    return done / size;
}

int ungetc(int c, FILE *f)
{
    if (c == EOF)
        return EOF;
    libc_lock(&f->lock);
    if (f->output || f->unget != EOF) {
        libc_unlock(&f->lock);
        return EOF;
    }
    f->unget = (unsigned char)c;
    f->eof = false;
    libc_unlock(&f->lock);
    return (unsigned char)c;
}

/* ---- state -------------------------------------------------------------- */

int feof(FILE *f)
{
    return f->eof;
}

int ferror(FILE *f)
{
    return f->error;
}

void clearerr(FILE *f)
{
    libc_lock(&f->lock);
    f->eof = f->error = false;
    libc_unlock(&f->lock);
}

int setvbuf(FILE *restrict f, char *restrict buf, int mode, size_t size)
{
    if (mode != _IOFBF && mode != _IOLBF && mode != _IONBF)
        return -1;
    libc_lock(&f->lock);
    flush_locked(f);
    f->mode = mode;
    libc_unlock(&f->lock);
    return 0;
}

/* ---- hooks -------------------------------------------------------------- */

static void set_writer(FILE *f, libc_write_fn write)
{
    libc_lock(&f->lock);
    flush_locked(f);            /* what was written so far goes the old way */
    f->write = write ? write : libc_log_write;
    libc_unlock(&f->lock);
}

void libc_set_stdout(libc_write_fn write)
{
    set_writer(stdout, write);
}

void libc_set_stderr(libc_write_fn write)
{
    set_writer(stderr, write);
}

void libc_set_stdin(libc_read_fn read)
{
    libc_lock(&stdin->lock);
    stdin->read = read ? read : no_input;
    stdin->pos = stdin->len = 0;
    stdin->eof = false;
    libc_unlock(&stdin->lock);
}

void libc_stderr_raw(const char *s, size_t len)
{
    stderr->write(s, len);
}

/* A child's streams start empty and unhooked: the parent's pending bytes
 * are the parent's to write, and its hooks may use handles the child does
 * not have. */
void libc_streams_reset(void)
{
    static const FILE fresh[3] = {IN_INIT, OUT_INIT(_IOLBF), OUT_INIT(_IONBF)};

    memcpy(files, fresh, sizeof(files));
}

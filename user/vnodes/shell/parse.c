#include "parse.h"

enum tok { T_WORD, T_PIPE, T_AND, T_OR, T_SEMI, T_END, T_ERROR };

struct lexer {
    const char *p;
    int status;
    char *arena;
    size_t used;
    const char *err;
};

static void copy_err(char *err, size_t errlen, const char *a, const char *b)
{
    size_t n = 0;

    if (!errlen)
        return;
    for (const char *s = a; s && *s && n + 1 < errlen; s++)
        err[n++] = *s;
    for (const char *s = b; s && *s && n + 1 < errlen; s++)
        err[n++] = *s;
    err[n] = 0;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_op(char c)
{
    return c == '|' || c == '&' || c == ';';
}

static int put(struct lexer *lx, char c)
{
    if (lx->used >= SH_ARENA) {
        lx->err = "line too long";
        return 0;
    }
    lx->arena[lx->used++] = c;
    return 1;
}

static int put_status(struct lexer *lx)
{
    char digits[12];
    int n = 0;
    unsigned v = lx->status < 0 ? (unsigned)-lx->status : (unsigned)lx->status;

    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (lx->status < 0 && !put(lx, '-'))
        return 0;
    while (n)
        if (!put(lx, digits[--n]))
            return 0;
    return 1;
}

/* Reads one word into the arena (NUL-terminated) starting at a non-blank,
 * non-operator byte. */
static enum tok lex_word(struct lexer *lx, char **word)
{
    *word = lx->arena + lx->used;
    for (;;) {
        char c = *lx->p;
        if (!c || is_blank(c) || is_op(c))
            break;
        lx->p++;
        if (c == '\'') {
            while (*lx->p && *lx->p != '\'')
                if (!put(lx, *lx->p++))
                    return T_ERROR;
            if (!*lx->p) {
                lx->err = "unterminated quote";
                return T_ERROR;
            }
            lx->p++;
        } else if (c == '"') {
            while (*lx->p && *lx->p != '"') {
                char d = *lx->p++;
                if (d == '\\' && (*lx->p == '"' || *lx->p == '\\' || *lx->p == '$')) {
                    d = *lx->p++;
                } else if (d == '$' && *lx->p == '?') {
                    lx->p++;
                    if (!put_status(lx))
                        return T_ERROR;
                    continue;
                }
                if (!put(lx, d))
                    return T_ERROR;
            }
            if (!*lx->p) {
                lx->err = "unterminated quote";
                return T_ERROR;
            }
            lx->p++;
        } else if (c == '\\') {
            if (!*lx->p) {
                lx->err = "backslash at end of line";
                return T_ERROR;
            }
            if (!put(lx, *lx->p++))
                return T_ERROR;
        } else if (c == '$' && *lx->p == '?') {
            lx->p++;
            if (!put_status(lx))
                return T_ERROR;
        } else if (!put(lx, c)) {
            return T_ERROR;
        }
    }
    return put(lx, 0) ? T_WORD : T_ERROR;
}

static enum tok lex(struct lexer *lx, char **word)
{
    while (is_blank(*lx->p))
        lx->p++;
    switch (*lx->p) {
    case 0:
        return T_END;
    case ';':
        lx->p++;
        return T_SEMI;
    case '|':
        lx->p++;
        if (*lx->p == '|') {
            lx->p++;
            return T_OR;
        }
        return T_PIPE;
    case '&':
        if (lx->p[1] == '&') {
            lx->p += 2;
            return T_AND;
        }
        lx->err = "'&' alone is not supported (no background jobs)";
        return T_ERROR;
    default:
        return lex_word(lx, word);
    }
}

static const char *tok_text(enum tok t)
{
    switch (t) {
    case T_PIPE: return "'|'";
    case T_AND: return "'&&'";
    case T_OR: return "'||'";
    case T_SEMI: return "';'";
    default: return "end of line";
    }
}

/* Starts a command: in the current pipeline after '|', else in a new one
 * joined to the previous by conn. NULL (and err) when a limit is hit. */
static struct sh_cmd *new_cmd(struct sh_line *out, int after_pipe, enum sh_conn conn)
{
    struct sh_cmd *cmd;

    if (out->ncmds == SH_MAX_CMDS)
        return NULL;
    if (!after_pipe) {
        struct sh_pipeline *pl;
        if (out->npipelines == SH_MAX_PIPELINES)
            return NULL;
        pl = &out->pipelines[out->npipelines++];
        pl->conn = conn;
        pl->first = out->ncmds;
        pl->ncmds = 0;
    }
    out->pipelines[out->npipelines - 1].ncmds++;
    cmd = &out->cmds[out->ncmds++];
    cmd->argc = 0;
    cmd->argv[0] = NULL;
    return cmd;
}

int sh_parse(const char *line, int last_status, struct sh_line *out, char *err,
             size_t errlen)
{
    struct lexer lx = {line, last_status, out->arena, 0, NULL};
    struct sh_cmd *cmd = NULL;          /* the command being filled */
    enum sh_conn conn = SH_ALWAYS;      /* joins the next pipeline */
    int after_pipe = 0;
    int need_cmd = 0;                   /* after | && ||: a command must follow */

    out->npipelines = out->ncmds = 0;
    for (;;) {
        char *word = NULL;
        enum tok t = lex(&lx, &word);

        switch (t) {
        case T_ERROR:
            copy_err(err, errlen, lx.err, NULL);
            return -1;
        case T_WORD:
            if (!cmd) {
                cmd = new_cmd(out, after_pipe, conn);
                if (!cmd) {
                    copy_err(err, errlen, "too many commands", NULL);
                    return -1;
                }
                need_cmd = 0;
            }
            if (cmd->argc == SH_MAX_ARGS) {
                copy_err(err, errlen, "too many arguments", NULL);
                return -1;
            }
            cmd->argv[cmd->argc++] = word;
            cmd->argv[cmd->argc] = NULL;
            break;
        case T_END:
            if (need_cmd) {
                copy_err(err, errlen, "syntax error near end of line", NULL);
                return -1;
            }
            return 0;
        default:                        /* an operator */
            if (!cmd) {
                copy_err(err, errlen, "syntax error near ", tok_text(t));
                return -1;
            }
            cmd = NULL;
            after_pipe = t == T_PIPE;
            need_cmd = t != T_SEMI;
            conn = t == T_AND ? SH_IF_OK : t == T_OR ? SH_IF_FAILED : SH_ALWAYS;
            break;
        }
    }
}

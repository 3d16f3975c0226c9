/* Console client (con.h): a buffered service connection whose session
 * also registers an input notification and the terminal mode. */
#include "con.h"
#include "bufsvc.h"
#include "aether/proto/console.h"
#include "common/string.h"

static int64_t session_setup(struct ae_bufsvc *s);

static struct ae_bufsvc con = {"console", AE_CONSOLE_SETBUF, 0, CON_BUF_SIZE, session_setup,
                               {{0}, 0, 0}, 0, 0};
static ae_handle_t input;       /* notification the console signals */
static int raw_mode;

static int64_t session_setup(struct ae_bufsvc *s)
{
    struct ae_msg m = {AE_MSG_INFO(AE_CONSOLE_NOTIFY, 1), {1}, {0}, 0};
    int64_t h = ae_handle_derive(input, AE_RIGHT_SIGNAL | AE_RIGHT_GRANT, 0, 0), r;

    if (h < 0)
        return h;
    m.h[0] = (ae_handle_t)h;
    r = ae_ipc_call(s->svc.ep, &m);
    if (r) {
        ae_handle_close((ae_handle_t)h);
        return r;
    }
    if (AE_MSG_STATUS(m.info))
        return AE_MSG_STATUS(m.info);
    m = (struct ae_msg){AE_MSG_INFO(AE_CONSOLE_MODE, 0), {0}, {0}, 0};
    m.w[0] = raw_mode ? AE_CONSOLE_MODE_RAW : AE_CONSOLE_MODE_COOKED;
    r = ae_ipc_call(s->svc.ep, &m);
    return r ? r : AE_MSG_STATUS(m.info);
}

int64_t con_open(uint64_t buf_va)
{
    int64_t r = ae_notify_create();

    if (r < 0)
        return r;
    input = (ae_handle_t)r;
    con.va = buf_va;
    return ae_bufsvc_connect(&con);
}

int64_t con_write(const void *data, size_t n)
{
    const char *p = data;
    size_t done = 0;

    while (done < n) {
        size_t k = n - done < CON_BUF_SIZE ? n - done : CON_BUF_SIZE;
        struct ae_msg m = {AE_MSG_INFO(AE_CONSOLE_WRITE, 0), {k, 0, 0, 0}, {0}, 0};
        int64_t r;
        memcpy(ae_bufsvc_buf(&con), p + done, k);
        r = ae_bufsvc_call(&con, &m);
        if (r)
            return r;
        done += k;
    }
    return (int64_t)done;
}

int64_t con_read(void *dst, size_t max)
{
    return con_read_wait(dst, max, AE_WAIT_FOREVER);
}

int64_t con_read_wait(void *dst, size_t max, uint64_t timeout_ns)
{
    if (max > CON_BUF_SIZE)
        max = CON_BUF_SIZE;
    for (;;) {
        struct ae_msg m = {AE_MSG_INFO(AE_CONSOLE_READ, 0), {max, 0, 0, 0}, {0}, 0};
        int64_t r = ae_bufsvc_call(&con, &m);
        if (r)
            return r;
        if (m.w[0]) {
            memcpy(dst, ae_bufsvc_buf(&con), m.w[0]);
            return (int64_t)m.w[0];
        }
        r = ae_notify_wait(input, timeout_ns);
        if (r == AE_ERR_TIMEOUT)
            return 0;
        if (r < 0)
            return r;
    }
}

int64_t con_set_raw(int raw)
{
    struct ae_msg m = {AE_MSG_INFO(AE_CONSOLE_MODE, 0), {0}, {0}, 0};

    raw_mode = raw;
    m.w[0] = raw ? AE_CONSOLE_MODE_RAW : AE_CONSOLE_MODE_COOKED;
    return ae_bufsvc_call(&con, &m);
}

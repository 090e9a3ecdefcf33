/*
 * smtp_conn.c - commands and replies on one SMTP session (RFC 5321 4.1,
 * 4.2).
 *
 * Commands are written whole (several at once when pipelining, RFC
 * 2920); replies are read a chunk at a time and pushed through the
 * parser (smtp_reply.c), which keeps at most one line and one reply.
 *
 * Time: each reply must arrive whole within the wait its caller gives
 * (the greeting timeout, the operation timeout, or the longer one for
 * the final dot), so neither a silent server nor a drip of bytes keeps
 * petrel waiting; every read is also cut short by the wake fd.
 *
 * Trace (-d smtp): replies line by line, commands as sent with AUTH's
 * argument and every SASL response replaced by "<redacted>", message
 * data only as a count (smtp_send.c).
 *
 * What it must not do: interpret replies (the callers do), or log a
 * secret.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "net/smtp_conn.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define SMTP_READ_CHUNK		(16 * 1024)

/* Milliseconds on a monotonic clock. */
int64_t
smtp_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wrap a connected stream. */
struct smtp_conn *
smtp_conn_new(struct stream *s, const char *host, int timeout_ms)
{
	struct smtp_conn	*c;

	c = xcalloc(1, sizeof *c);
	c->s = s;
	c->host = xstrdup(host != NULL ? host : "");
	c->in = xmalloc(SMTP_READ_CHUNK);
	c->timeout_ms = timeout_ms;
	smtp_parser_init(&c->pr);
	return c;
}

/* Free the connection and its stream. */
void
smtp_conn_free(struct smtp_conn *c)
{
	if (c == NULL)
		return;
	stream_free(c->s);
	smtp_parser_fini(&c->pr);
	free(c->in);
	free(c->host);
	free(c);
}

/* Mark the connection broken and make the error account-wide. */
int
smtp_conn_fail(struct smtp_conn *c, struct error *err)
{
	c->broken = true;
	error_widen(err, ERR_SCOPE_ACCOUNT);
	return -1;
}

/* The trace form of a command: "AUTH MECH x" keeps the mechanism. */
void
smtp_redact(const char *line, size_t len, struct buf *out)
{
	size_t	 keep = 0, i;

	if (len < 4 || strncasecmp(line, "AUTH", 4) != 0 ||
	    (len > 4 && line[4] != ' ' && line[4] != '\r')) {
		buf_add(out, line, len);
		return;
	}
	for (i = 0; i < 2; i++) {
		while (keep < len && line[keep] == ' ')
			keep++;
		while (keep < len && line[keep] != ' ' && line[keep] != '\r')
			keep++;
	}
	buf_add(out, line, keep);
	if (keep < len && line[keep] == ' ')
		buf_adds(out, " <redacted>");
}

/* Trace each CRLF-ended command line of (p, len), redacted. */
static void
smtp_conn_trace_cmds(const char *p, size_t len)
{
	const char	*nl;
	struct buf	 t;
	size_t		 n;

	if (!log_enabled(LOG_TRACE, "smtp"))
		return;
	buf_init(&t, 0);
	while (len > 0) {
		nl = memchr(p, '\n', len);
		n = nl != NULL ? (size_t)(nl - p) + 1 : len;
		buf_reset(&t);
		smtp_redact(p, n, &t);
		log_proto("smtp", '>', t.data != NULL ? t.data : "", t.len);
		p += n;
		len -= n;
	}
	buf_fini(&t);
}

/* Write bytes, failing for good on error. */
int
smtp_conn_write(struct smtp_conn *c, const char *p, size_t len,
    struct error *err)
{
	if (c->broken)
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "%s: connection already failed", c->host);
	if (stream_write_all(c->s, p, len, err) == -1) {
		if (err->code == ERR_SYS)	/* EPIPE, ECONNRESET */
			err->code = ERR_NET;
		return smtp_conn_fail(c, err);
	}
	return 0;
}

/* Send a command line. */
int
smtp_conn_send(struct smtp_conn *c, struct error *err, const char *fmt,
    ...)
{
	char	 line[SMTP_CMD_MAX];
	va_list	 ap;
	int	 n, rc;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line - 2, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof line - 2) {
		xwipe(line, sizeof line);
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_OP,
		    "SMTP command too long");
	}
	memcpy(line + n, "\r\n", 2);
	smtp_conn_trace_cmds(line, (size_t)n + 2);
	rc = smtp_conn_write(c, line, (size_t)n + 2, err);
	xwipe(line, sizeof line);
	return rc;
}

/* Send pipelined command lines at once. */
int
smtp_conn_send_batch(struct smtp_conn *c, const struct buf *b,
    struct error *err)
{
	smtp_conn_trace_cmds(buf_str(b), b->len);
	return smtp_conn_write(c, buf_str(b), b->len, err);
}

/* Send a line of an AUTH exchange, traced "<redacted>" ("*" as is). */
int
smtp_conn_respond(struct smtp_conn *c, const char *resp, struct error *err)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b, 0);
	buf_reserve(&b, strlen(resp) + 3);	/* never regrown: wiped once */
	buf_adds(&b, resp);
	buf_adds(&b, "\r\n");
	log_proto("smtp", '>', strcmp(resp, "*") == 0 ? "*" : "<redacted>",
	    strcmp(resp, "*") == 0 ? 1 : 10);
	rc = smtp_conn_write(c, b.data, b.len, err);
	buf_fini_secret(&b);
	return rc;
}

/* The timeout error of a reply that did not come in time. */
static int
smtp_conn_timeout(struct smtp_conn *c, int wait_ms, struct error *err)
{
	if (c->verb[0] == '\0')
		return error_set(err, ERR_TIMEOUT, ERR_SCOPE_ACCOUNT,
		    "%s: timed out: no greeting within %d s", c->host,
		    (wait_ms + 999) / 1000);
	return error_set(err, ERR_TIMEOUT, ERR_SCOPE_ACCOUNT,
	    "%s: timed out: no answer to %s within %d s", c->host, c->verb,
	    (wait_ms + 999) / 1000);
}

/* Read a chunk, waiting no longer than the deadline allows. */
static int
smtp_conn_fill(struct smtp_conn *c, int64_t deadline, int wait_ms,
    struct error *err)
{
	int64_t		 left = 0;
	ssize_t		 n;

	if (deadline != 0) {
		if ((left = deadline - smtp_now()) <= 0)
			return smtp_conn_timeout(c, wait_ms, err);
		stream_set_timeout(c->s, left > INT32_MAX ? INT32_MAX :
		    (int)left);
	} else
		stream_set_timeout(c->s, 0);
	n = stream_read(c->s, c->in, SMTP_READ_CHUNK, err);
	stream_set_timeout(c->s, c->timeout_ms);
	if (n == -1 && err->code == ERR_SYS)	/* ECONNRESET */
		err->code = ERR_NET;
	if (n == -1)
		return err->code == ERR_TIMEOUT && deadline != 0 ?
		    smtp_conn_timeout(c, wait_ms, err) : -1;
	if (n == 0)
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "%s: server closed the connection %s%s", c->host,
		    c->verb[0] != '\0' ? "instead of answering " :
		    "before its greeting", c->verb);
	c->inoff = 0;
	c->inlen = (size_t)n;
	return 0;
}

/* Trace a complete reply, line by line. */
static void
smtp_conn_trace_reply(const struct smtp_reply *r)
{
	const char	*p;
	size_t		 pos = 0, len, i = 0;
	struct buf	 b;

	if (!log_enabled(LOG_TRACE, "smtp"))
		return;
	buf_init(&b, LOG_PROTO_MAX + 64);
	while (smtp_reply_line(r, &pos, &p, &len)) {
		buf_reset(&b);
		buf_printf(&b, "%d%c", r->code, ++i < r->nlines ? '-' : ' ');
		buf_add(&b, p, len > LOG_PROTO_MAX ? LOG_PROTO_MAX : len);
		log_proto("smtp", '<', b.data, b.len);
	}
	buf_fini(&b);
}

/* Read the next reply. */
int
smtp_conn_reply(struct smtp_conn *c, const char *verb, int wait_ms,
    struct error *err)
{
	int64_t	 deadline = wait_ms > 0 ? smtp_now() + wait_ms : 0;
	size_t	 used;
	int	 rc;

	snprintf(c->verb, sizeof c->verb, "%s", verb);
	if (c->broken && c->inoff == c->inlen)
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "%s: connection already failed", c->host);
	for (;;) {
		if (c->inoff < c->inlen) {
			rc = smtp_parser_feed(&c->pr, c->in + c->inoff,
			    c->inlen - c->inoff, &used, err);
			c->inoff += used;
			if (rc == -1) {
				error_prefix(err, "%s", c->host);
				return smtp_conn_fail(c, err);
			}
			if (rc == 1)
				break;
		}
		if (smtp_conn_fill(c, deadline, wait_ms, err) == -1)
			return smtp_conn_fail(c, err);
	}
	smtp_conn_trace_reply(&c->pr.reply);
	if (c->pr.reply.code == 421)
		c->broken = true;	/* RFC 5321 3.8: it is closing */
	return 0;
}

/* The last reply's code. */
int
smtp_conn_code(const struct smtp_conn *c)
{
	return c->pr.done ? c->pr.reply.code : 0;
}

/* Append the last reply, sanitised. */
void
smtp_conn_text(const struct smtp_conn *c, struct buf *b)
{
	size_t	 len;

	if (!c->pr.done) {
		buf_adds(b, "(no reply)");
		return;
	}
	buf_printf(b, "%d ", c->pr.reply.code);
	len = b->len;
	smtp_reply_append(&c->pr.reply, b, SMTP_TEXT_MAX);
	if (b->len == len && len > 0)
		b->data[--b->len] = '\0';	/* no text: no space */
}

/* An error quoting the last reply. */
int
smtp_conn_refused(struct smtp_conn *c, struct error *err,
    enum error_code code, enum error_scope scope, const char *what)
{
	struct buf	 b;

	buf_init(&b, 0);
	smtp_conn_text(c, &b);
	error_set(err, code, scope, "%s: %s: %s", c->host, what,
	    buf_str(&b));
	buf_fini(&b);
	return -1;
}

/* Whether reply bytes are buffered. */
bool
smtp_conn_buffered(struct smtp_conn *c)
{
	return c->inoff < c->inlen || smtp_parser_partial(&c->pr) ||
	    stream_pending(c->s) > 0;
}

/* Forget what was read and learned. */
void
smtp_conn_forget(struct smtp_conn *c)
{
	smtp_parser_reset(&c->pr);
	c->inoff = c->inlen = 0;
	memset(&c->caps, 0, sizeof c->caps);
	c->esmtp = false;
}

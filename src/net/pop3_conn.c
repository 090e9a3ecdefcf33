/*
 * pop3_conn.c - commands and replies on one POP3 session.
 *
 * Commands are written at once and queued with what their reply is (RFC
 * 1939 does not say in the reply); replies come back in the order the
 * commands were sent (RFC 2449 6.6, PIPELINING), so the oldest queued
 * command owns the next reply.  Bytes are read from the stream a chunk at
 * a time and pushed through the parser (pop3_parse.c), which keeps at most
 * one line: memory is the chunk, that line and whatever the caller keeps
 * of the data.
 *
 * Time: the stream's timeout bounds each wait, and each reply must make
 * progress within timeout_ms (an event, or a MiB of one message), so
 * neither a silent server nor a drip of bytes keeps petrel waiting.
 *
 * Trace (-d pop3): status lines and listing lines as received, message
 * data as a byte count, commands as sent with PASS, APOP and AUTH
 * credentials and every SASL response replaced by "<redacted>".
 *
 * What it must not do: interpret replies for the cache, or log a secret.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "net/pop3_conn.h"
#include "util/log.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

#define POP3_READ_CHUNK		(64 * 1024)
#define POP3_TEXT_MAX		300
/* Bytes of one reply that count as progress. */
#define POP3_PROGRESS_BYTES	(1024 * 1024)
/* Longest command line petrel sends (RFC 2449 4: 255 octets). */
#define POP3_CMD_MAX		1024

/* Milliseconds on a monotonic clock. */
int64_t
pop3_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wrap a connected stream. */
struct pop3_conn *
pop3_conn_new(struct stream *s, const char *host)
{
	struct pop3_conn	*c;

	c = xcalloc(1, sizeof *c);
	c->s = s;
	c->host = xstrdup(host != NULL ? host : "");
	c->in = xmalloc(POP3_READ_CHUNK);
	pop3_parser_init(&c->pr);
	c->used_ms = pop3_now();
	return c;
}

/* Free the connection and its stream. */
void
pop3_conn_free(struct pop3_conn *c)
{
	if (c == NULL)
		return;
	stream_free(c->s);
	pop3_parser_fini(&c->pr);
	free(c->in);
	free(c->host);
	free(c->timestamp);
	free(c);
}

/* Mark the connection broken and make the error account-wide. */
int
pop3_conn_fail(struct pop3_conn *c, struct error *err)
{
	c->broken = true;
	error_widen(err, ERR_SCOPE_ACCOUNT);
	return -1;
}

/* The reply awaited made progress: a fresh deadline. */
static void
pop3_conn_progress(struct pop3_conn *c)
{
	c->deadline = c->timeout_ms > 0 ? pop3_now() + c->timeout_ms : 0;
	c->rx = 0;
}

/*
 * The trace form of a command: "PASS x" keeps the verb, "APOP user x"
 * the user, "AUTH MECH x" the mechanism.
 */
void
pop3_redact(const char *line, size_t len, struct buf *out)
{
	size_t	 vlen = 0, keep, words, i;

	while (vlen < len && line[vlen] != ' ' && line[vlen] != '\r')
		vlen++;
	if (vlen == 4 && strncasecmp(line, "PASS", 4) == 0)
		words = 1;
	else if ((vlen == 4 && strncasecmp(line, "APOP", 4) == 0) ||
	    (vlen == 4 && strncasecmp(line, "AUTH", 4) == 0))
		words = 2;
	else {
		buf_add(out, line, len);
		return;
	}
	for (keep = 0, i = 0; keep < len && i < words; i++) {
		while (keep < len && line[keep] == ' ')
			keep++;
		while (keep < len && line[keep] != ' ' && line[keep] != '\r')
			keep++;
	}
	buf_add(out, line, keep);
	if (keep < len && line[keep] == ' ')
		buf_adds(out, " <redacted>");
}

/* Write a whole line, traced as trace says (NULL: redacted line). */
static int
pop3_conn_write(struct pop3_conn *c, const char *line, size_t len,
    const char *trace, struct error *err)
{
	struct buf	 t;

	if (c->broken)
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "%s: connection already failed", c->host);
	if (trace != NULL)
		log_proto("pop3", '>', trace, strlen(trace));
	else if (log_enabled(LOG_TRACE, "pop3")) {
		buf_init(&t, 0);
		pop3_redact(line, len, &t);
		log_proto("pop3", '>', buf_str(&t), t.len);
		buf_fini(&t);
	}
	if (stream_write_all(c->s, line, len, err) == -1)
		return pop3_conn_fail(c, err);
	return 0;
}

/* Queue what the next reply is. */
static int
pop3_conn_queue(struct pop3_conn *c, enum pop3_expect expect,
    size_t data_max, const char *verb, size_t vlen, struct error *err)
{
	struct pop3_inflight	*fl;

	if (c->nfl == POP3_INFLIGHT_MAX)
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_OP,
		    "too many POP3 commands in flight");
	fl = &c->fl[c->nfl++];
	fl->expect = expect;
	fl->data_max = data_max;
	snprintf(fl->verb, sizeof fl->verb, "%.*s", (int)vlen, verb);
	if (c->nfl == 1)
		pop3_conn_progress(c);
	return 0;
}

/* Queue a reply nothing was sent for (the greeting). */
void
pop3_conn_await(struct pop3_conn *c, enum pop3_expect expect,
    size_t data_max, const char *verb)
{
	struct error	 err;

	(void)pop3_conn_queue(c, expect, data_max, verb, strlen(verb), &err);
}

/* Send a command and queue its reply. */
int
pop3_conn_send(struct pop3_conn *c, enum pop3_expect expect,
    size_t data_max, struct error *err, const char *fmt, ...)
{
	struct buf		 line;
	va_list			 ap;
	int			 rc;

	if (c->nfl == POP3_INFLIGHT_MAX)
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_OP,
		    "too many POP3 commands in flight");
	buf_init(&line, POP3_CMD_MAX);
	va_start(ap, fmt);
	rc = buf_reserve(&line, POP3_CMD_MAX - 2) == NULL ? -1 : 0;
	if (rc == 0 && vsnprintf(line.data, POP3_CMD_MAX - 2, fmt, ap) >=
	    POP3_CMD_MAX - 2)
		rc = -1;
	va_end(ap);
	if (rc == -1) {
		buf_fini_secret(&line);
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_OP,
		    "POP3 command too long");
	}
	line.len = strlen(line.data);
	buf_adds(&line, "\r\n");
	rc = pop3_conn_write(c, line.data, line.len, NULL, err);
	if (rc == 0)
		rc = pop3_conn_queue(c, expect, data_max, line.data,
		    strcspn(line.data, " \r"), err);
	buf_fini_secret(&line);
	return rc;
}

/* Send a line of an AUTH exchange, traced "<redacted>" ("*" as is). */
int
pop3_conn_respond(struct pop3_conn *c, const char *resp, struct error *err)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b, 0);
	buf_reserve(&b, strlen(resp) + 3);	/* never regrown: wiped once */
	buf_adds(&b, resp);
	buf_adds(&b, "\r\n");
	rc = pop3_conn_write(c, b.data, b.len, strcmp(resp, "*") == 0 ? "*" :
	    "<redacted>", err);
	buf_fini_secret(&b);
	if (rc == 0)
		pop3_conn_progress(c);
	return rc;
}

/* The timeout error of a reply that stopped making progress. */
static int
pop3_conn_timeout(struct pop3_conn *c, struct error *err)
{
	return error_set(err, ERR_TIMEOUT, ERR_SCOPE_ACCOUNT,
	    "%s: timed out: no answer to %s for %d s", c->host,
	    c->cmd[0] != '\0' ? c->cmd : "the greeting",
	    (c->timeout_ms + 999) / 1000);
}

/* Read a chunk, waiting no longer than the deadline allows. */
static int
pop3_conn_fill(struct pop3_conn *c, struct error *err)
{
	int64_t		 left = 0;
	ssize_t		 n;

	if (c->deadline != 0 && c->timeout_ms > 0) {
		if ((left = c->deadline - pop3_now()) <= 0)
			return pop3_conn_timeout(c, err);
		stream_set_timeout(c->s, left < c->timeout_ms ? (int)left :
		    c->timeout_ms);
	}
	n = stream_read(c->s, c->in, POP3_READ_CHUNK, err);
	if (left > 0)
		stream_set_timeout(c->s, c->timeout_ms);
	if (n == -1)
		return err->code == ERR_TIMEOUT && left > 0 ?
		    pop3_conn_timeout(c, err) : -1;
	if (n == 0)
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "%s: server closed the connection%s%s", c->host,
		    c->cmd[0] != '\0' ? " while answering " : "", c->cmd);
	c->inoff = 0;
	c->inlen = (size_t)n;
	c->rx += (size_t)n;
	if (c->rx >= POP3_PROGRESS_BYTES)
		pop3_conn_progress(c);	/* a big message is flowing */
	return 0;
}

/* Trace an event as the line it came from. */
static void
pop3_conn_trace_event(struct pop3_conn *c, const struct pop3_event *ev)
{
	static const char *const ind[] = {
		[POP3_EV_OK] = "+OK", [POP3_EV_ERR] = "-ERR",
		[POP3_EV_CONT] = "+",
	};
	struct buf	 b;

	if (!log_enabled(LOG_TRACE, "pop3"))
		return;
	if (ev->type == POP3_EV_DATA) {
		if (c->fl[0].expect == POP3_EXPECT_LINES)
			log_proto("pop3", '<', ev->text.p, ev->text.len);
		return;
	}
	buf_init(&b, LOG_PROTO_MAX + 64);
	if (ev->type == POP3_EV_END) {
		if (c->fl[0].expect == POP3_EXPECT_BLOB)
			buf_printf(&b, "(%zu bytes of message data)", c->blob);
		log_proto("pop3", '<', b.data, b.len);
		buf_reset(&b);
		buf_addc(&b, '.');
	} else {
		buf_adds(&b, ind[ev->type]);
		if (ev->code.len > 0)
			buf_printf(&b, " [%.*s]", (int)ev->code.len,
			    ev->code.p);
		if (ev->text.len > 0)
			buf_addc(&b, ' ');
		buf_add(&b, ev->text.p, ev->text.len > LOG_PROTO_MAX ?
		    LOG_PROTO_MAX : ev->text.len);
	}
	log_proto("pop3", '<', b.data, b.len);
	buf_fini(&b);
}

/* An event arrived: progress, trace, and the queue when the reply ends. */
static void
pop3_conn_event(struct pop3_conn *c)
{
	pop3_conn_progress(c);
	if (c->ev.type == POP3_EV_DATA)
		c->blob += c->ev.text.len + (c->ev.eol ? 2 : 0);
	pop3_conn_trace_event(c, &c->ev);
	if (!c->ev.last)
		return;
	memmove(&c->fl[0], &c->fl[1], (c->nfl - 1) * sizeof c->fl[0]);
	c->nfl--;
	c->started = false;
	c->used_ms = pop3_now();
	if (c->nfl > 0)
		pop3_conn_progress(c);
}

/* Read the next event of the oldest command's reply. */
int
pop3_conn_next(struct pop3_conn *c, struct error *err)
{
	size_t	 used;
	int	 rc;

	if (c->broken)
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "%s: connection already failed", c->host);
	if (c->nfl == 0)
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_OP,
		    "%s: no POP3 command awaits a reply", c->host);
	if (!c->started) {
		pop3_parser_expect(&c->pr, c->fl[0].expect, c->fl[0].data_max);
		snprintf(c->cmd, sizeof c->cmd, "%s", c->fl[0].verb);
		c->started = true;
		c->blob = 0;
	}
	for (;;) {
		if (c->inoff < c->inlen) {
			rc = pop3_parser_feed(&c->pr, c->in + c->inoff,
			    c->inlen - c->inoff, &used, &c->ev, err);
			c->inoff += used;
			if (rc == -1) {
				error_prefix(err, "%s", c->host);
				return pop3_conn_fail(c, err);
			}
			if (rc == 1) {
				pop3_conn_event(c);
				return 0;
			}
		}
		if (pop3_conn_fill(c, err) == -1)
			return pop3_conn_fail(c, err);
	}
}

/* Append the last status's code and text, sanitised. */
void
pop3_conn_text(const struct pop3_conn *c, struct buf *b)
{
	const struct pop3_event	*ev = &c->ev;
	size_t			 len = ev->text.len;

	if (ev->code.len > 0) {
		buf_addc(b, '[');
		(void)sanitize_append(b, ev->code.p, ev->code.len, 0);
		buf_adds(b, "] ");
	}
	if (ev->text.p != NULL)
		(void)sanitize_append(b, ev->text.p, len > POP3_TEXT_MAX ?
		    POP3_TEXT_MAX : len, 0);
	if (b->len == 0)
		buf_adds(b, "(no text)");
}

/* The -ERR of a command as an error (the session goes on). */
static int
pop3_conn_error(struct pop3_conn *c, const char *verb, struct error *err)
{
	struct buf	 b;

	buf_init(&b, 0);
	pop3_conn_text(c, &b);
	error_set(err, ERR_SERVER, ERR_SCOPE_OP, "%s: %s: %s", c->host, verb,
	    buf_str(&b));
	buf_fini(&b);
	return -1;
}

/* Read a single-line reply. */
int
pop3_conn_status(struct pop3_conn *c, struct error *err)
{
	char	 verb[8];

	snprintf(verb, sizeof verb, "%s", c->nfl > 0 ? c->fl[0].verb : "");
	if (pop3_conn_next(c, err) == -1)
		return -1;
	if (c->ev.type == POP3_EV_ERR)
		return pop3_conn_error(c, verb, err);
	if (c->ev.type != POP3_EV_OK || !c->ev.last) {
		error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "%s: unexpected reply to %s", c->host, verb);
		return pop3_conn_fail(c, err);
	}
	return 0;
}

/* Send a single-line command and read its reply. */
int
pop3_conn_simple(struct pop3_conn *c, struct error *err, const char *fmt,
    ...)
{
	char	 line[POP3_CMD_MAX];
	va_list	 ap;
	int	 n, rc;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof line) {
		xwipe(line, sizeof line);
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_OP,
		    "POP3 command too long");
	}
	rc = pop3_conn_send(c, POP3_EXPECT_SINGLE, 0, err, "%s", line);
	xwipe(line, sizeof line);
	if (rc == -1)
		return -1;
	return pop3_conn_status(c, err);
}

/* Read a multi-line reply, handing data to fn. */
int
pop3_conn_data(struct pop3_conn *c, pop3_data_fn fn, void *arg,
    struct error *err)
{
	struct error	 ferr;
	char		 verb[8];
	bool		 failed = false;

	snprintf(verb, sizeof verb, "%s", c->nfl > 0 ? c->fl[0].verb : "");
	if (pop3_conn_next(c, err) == -1)
		return -1;
	if (c->ev.type == POP3_EV_ERR)
		return pop3_conn_error(c, verb, err);
	while (!c->ev.last) {
		if (pop3_conn_next(c, err) == -1)
			return -1;
		if (c->ev.type == POP3_EV_DATA && !failed && fn != NULL &&
		    fn(arg, &c->ev, &ferr) == -1)
			failed = true;
	}
	if (failed) {
		*err = ferr;
		return -1;
	}
	return 0;
}

/* Whether reply bytes are already here. */
bool
pop3_conn_buffered(struct pop3_conn *c)
{
	return c->inoff < c->inlen || stream_pending(c->s) > 0;
}

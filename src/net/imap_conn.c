/*
 * imap_conn.c - sending tagged commands and matching the responses that
 * answer them.
 *
 * Responses are read by imap_input.c; here each one is routed: a tagged
 * completion to its command, an untagged one to the running command's
 * handler and, if that does not consume it, to the connection's
 * unsolicited handler (the driver's cache updates).  A response the
 * handler consumes is the command's progress; anything else is unrelated,
 * and a command may see at most IMAP_UNRELATED_MAX unrelated responses (a
 * server flooding EXISTS, [ALERT] or FETCH without ever answering must not
 * keep petrel busy forever).
 *
 * Pipelining (RFC 3501 5.5): several tagged commands may be in flight;
 * each tagged completion is matched to its command by tag, in any order.
 *
 * What it must not do: interpret mailbox data for the cache, or log a
 * credential (imap_redact runs on every line sent).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/imap_conn.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define IMAP_READ_CHUNK		(64 * 1024)

/* How a sent command is tracked. */
enum imap_track {
	IMAP_UNTRACKED,		/* the caller reads the answer itself */
	IMAP_TRACKED,		/* awaited by tag */
	IMAP_QUIET		/* nobody awaits it */
};

static int	imap_conn_vsend(struct imap_conn *, enum imap_track,
		    struct error *,
		    const char *, va_list)
		    __attribute__((format(printf, 4, 0)));

/* Wrap a connected stream. */
struct imap_conn *
imap_conn_new(struct stream *s, const char *host)
{
	struct imap_conn	*c;

	c = xcalloc(1, sizeof *c);
	c->s = s;
	c->host = xstrdup(host != NULL ? host : "");
	buf_init(&c->in, IMAP_RESP_MAX + IMAP_LINE_MAX + 2 * IMAP_READ_CHUNK);
	imap_frame_init(&c->fr);
	c->resp.args.type = IMAP_V_LIST;
	return c;
}

/* Free the connection and its stream. */
void
imap_conn_free(struct imap_conn *c)
{
	if (c == NULL)
		return;
	imap_response_fini(&c->resp);
	for (size_t i = 0; i < c->nfl; i++)
		free(c->fl[i].text);
	stream_free(c->s);
	buf_fini(&c->in);
	free(c->host);
	free(c->bye);
	free(c);
}

/* Whether an earlier failure left the connection unusable. */
bool
imap_conn_broken(const struct imap_conn *c)
{
	return c->broken;
}

/* Mark the connection broken and make the error account-wide. */
int
imap_conn_fail(struct imap_conn *c, struct error *err)
{
	c->broken = true;
	error_widen(err, ERR_SCOPE_ACCOUNT);
	return -1;
}

/* Send a whole line (already ending in CRLF), traced redacted. */
static int
imap_conn_write_line(struct imap_conn *c, const char *line, size_t len,
    struct error *err)
{
	struct buf	 t;

	if (log_enabled(LOG_TRACE, "imap")) {
		buf_init(&t, 4096);
		imap_redact(line, len, &t);
		log_proto("imap", '>', t.data != NULL ? t.data : "", t.len);
		buf_fini(&t);
	}
	if (stream_write_all(c->s, line, len, err) == -1)
		return imap_conn_fail(c, err);
	return 0;
}

/*
 * The command's name for messages: the first word of the command as
 * sent (not of its format, which may be "%s"), the second after "UID".
 */
static void
imap_conn_verb(const char *cmd, char *out, size_t size)
{
	size_t	 n = strcspn(cmd, " \r\n");

	if (n == 3 && strncmp(cmd, "UID", 3) == 0 && cmd[n] == ' ') {
		cmd += 4;
		n = strcspn(cmd, " \r\n");
	}
	if (n >= size)
		n = size - 1;
	memcpy(out, cmd, n);
	out[n] = '\0';
}

/* Format and send a tagged command, recording it as in flight. */
static int
imap_conn_vsend(struct imap_conn *c, enum imap_track track,
    struct error *err, const char *fmt, va_list ap)
{
	struct imap_inflight	*fl;
	struct buf		 line;
	va_list			 ap2;
	char			*p, verb[16];
	int			 n, rc;

	if (c->broken) {
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "%s: connection already failed", c->host);
	}
	if (c->ztag[0] != '\0') {
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "%s: a command while COMPRESS is unanswered", c->host);
	}
	/* COMPRESS still to do, and this command cannot carry it: now. */
	if (c->compress_wanted && track != IMAP_UNTRACKED) {
		c->compress_wanted = false;
		if (imap_conn_compress(c, err) == -1)
			return -1;
	}
	if (track != IMAP_UNTRACKED && c->nfl == IMAP_INFLIGHT_MAX) {
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_OP,
		    "too many IMAP commands in flight");
	}
	c->tagn++;
	snprintf(c->tag, sizeof c->tag, "a%u", c->tagn);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	buf_init(&line, 0);
	buf_printf(&line, "%s ", c->tag);
	if (n < 0 || (p = buf_reserve(&line, (size_t)n + 2)) == NULL) {
		buf_fini(&line);
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_OP,
		    "IMAP command too long");
	}
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	buf_commit(&line, (size_t)n);
	buf_adds(&line, "\r\n");
	imap_conn_verb(line.data + strlen(c->tag) + 1, verb, sizeof verb);
	rc = imap_conn_write_line(c, line.data, line.len, err);
	buf_fini_secret(&line);
	if (rc == -1)
		return -1;
	imap_conn_started(c, verb);
	if (track == IMAP_UNTRACKED)
		return 0;
	fl = &c->fl[c->nfl++];
	memset(fl, 0, sizeof *fl);
	memcpy(fl->tag, c->tag, sizeof fl->tag);
	memcpy(fl->verb, verb, sizeof fl->verb);
	fl->quiet = track == IMAP_QUIET;
	return 0;
}

/* Send "TAG command"; the caller reads the answer with imap_conn_read. */
int
imap_conn_send(struct imap_conn *c, struct error *err, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = imap_conn_vsend(c, IMAP_UNTRACKED, err, fmt, ap);
	va_end(ap);
	return rc;
}

/* Send a command without waiting; tag NULL: quiet. */
int
imap_conn_submit(struct imap_conn *c, char *tag, size_t tagsize,
    struct error *err, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = imap_conn_vsend(c, tag == NULL ? IMAP_QUIET : IMAP_TRACKED, err,
	    fmt, ap);
	va_end(ap);
	if (rc == 0 && tag != NULL)
		snprintf(tag, tagsize, "%s", c->tag);
	return rc;
}

/* The in-flight entry for a tag, or NULL. */
static struct imap_inflight *
imap_conn_inflight(struct imap_conn *c, struct imap_slice tag)
{
	for (size_t i = 0; i < c->nfl; i++) {
		if (imap_slice_is(tag, c->fl[i].tag))
			return &c->fl[i];
	}
	return NULL;
}

/* Forget an in-flight entry. */
static void
imap_conn_forget(struct imap_conn *c, struct imap_inflight *fl)
{
	size_t	 i = (size_t)(fl - c->fl);

	free(fl->text);
	memmove(&c->fl[i], &c->fl[i + 1], (c->nfl - i - 1) * sizeof *fl);
	c->nfl--;
}

/* Record a tagged response; quiet commands are finished here. */
static int
imap_conn_tagged(struct imap_conn *c, struct error *err)
{
	const struct imap_response	*r = &c->resp;
	struct imap_inflight		*fl;
	struct error			 aerr;

	if ((fl = imap_conn_inflight(c, r->tag)) == NULL) {
		error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "%s: response for unknown tag %.*s", c->host,
		    (int)(r->tag.len > 32 ? 32 : r->tag.len), r->tag.p);
		return imap_conn_fail(c, err);
	}
	imap_conn_progress(c);
	/* RFC 3501 7.1: [ALERT] text must reach the user, tagged or not. */
	if (imap_slice_is(r->code, "ALERT") && c->unsolicited != NULL)
		(void)c->unsolicited(c->unsolicited_arg, r, &aerr);
	fl->done = true;
	fl->status = r->status;
	if (r->status != IMAP_STATUS_OK)
		fl->text = xstrndup(r->text.p, r->text.len > 400 ? 400 :
		    r->text.len);
	if (fl->quiet) {
		if (r->status != IMAP_STATUS_OK)
			log_info("imap", "%s: %s failed: %s", c->host,
			    fl->verb, fl->text);
		imap_conn_forget(c, fl);
	}
	/* After COMPRESS's OK the very next byte is deflated (r is gone). */
	if (c->ztag[0] != '\0' && imap_slice_is(r->tag, c->ztag)) {
		c->ztag[0] = '\0';
		if (r->status == IMAP_STATUS_OK &&
		    imap_conn_compress_switch(c, err) == -1)
			return -1;
	}
	return 0;
}

/*
 * Hand an untagged response to fn, then (if not consumed) onwards.  What
 * fn consumes is the command's progress; too much else fails the command
 * and the connection (the stream can only be left by reading it).
 */
static int
imap_conn_dispatch(struct imap_conn *c, imap_untagged_fn fn, void *arg,
    struct error *herr, bool *failed, struct error *err)
{
	struct error	 uerr;
	int		 rc = 0;

	if (fn != NULL && !*failed) {
		rc = fn(arg, &c->resp, herr);
		if (rc == -1)
			*failed = true;
	}
	if (rc == 1) {
		imap_conn_progress(c);
		return 0;
	}
	if (rc == 0 && c->unsolicited != NULL &&
	    c->unsolicited(c->unsolicited_arg, &c->resp, &uerr) == -1)
		log_info("imap", "%s: ignoring an update: %s", c->host,
		    uerr.msg);
	if (++c->unrelated > IMAP_UNRELATED_MAX) {
		error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "%s: more than %d responses unrelated to %s: giving up",
		    c->host, IMAP_UNRELATED_MAX, c->cmd);
		return imap_conn_fail(c, err);
	}
	return 0;
}

/* The result of a finished command; forgets it. */
static int
imap_conn_result(struct imap_conn *c, struct imap_inflight *fl,
    bool failed, struct error *herr, struct error *err)
{
	int	 rc = 0;

	if (fl->status != IMAP_STATUS_OK) {
		rc = error_set(err, ERR_SERVER, ERR_SCOPE_OP, "%s: %s: %s",
		    c->host, fl->verb, fl->text != NULL ? fl->text : "");
	} else if (failed) {
		*err = *herr;
		rc = -1;
	}
	imap_conn_forget(c, fl);
	return rc;
}

/* Await a tag; with cont, a continuation request returns 1. */
static int
imap_conn_await1(struct imap_conn *c, const char *tag, bool cont,
    imap_untagged_fn fn, void *arg, struct error *err)
{
	struct imap_slice	 ts = { tag, strlen(tag) };
	struct imap_inflight	*fl;
	struct error		 herr;
	bool			 failed = false;

	error_clear(&herr);
	for (;;) {
		if ((fl = imap_conn_inflight(c, ts)) == NULL)
			return error_set(err, ERR_PROTOCOL, ERR_SCOPE_OP,
			    "no IMAP command %s in flight", tag);
		if (fl->done)
			return imap_conn_result(c, fl, failed, &herr, err);
		if (imap_conn_read(c, err) == -1)
			return -1;
		if (c->resp.type == IMAP_RESP_TAGGED) {
			if (imap_conn_tagged(c, err) == -1)
				return -1;
		} else if (c->resp.type == IMAP_RESP_CONTINUE) {
			if (cont && !failed) {
				imap_conn_progress(c);
				return 1;
			}
			error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
			    "%s: unexpected continuation request", c->host);
			return imap_conn_fail(c, err);
		} else if (imap_conn_dispatch(c, fn, arg, &herr, &failed,
		    err) == -1)
			return -1;
	}
}

/* Read until the command with this tag completed. */
int
imap_conn_await(struct imap_conn *c, const char *tag, imap_untagged_fn fn,
    void *arg, struct error *err)
{
	return imap_conn_await1(c, tag, false, fn, arg, err);
}

/* As imap_conn_await; 1 on a continuation request. */
int
imap_conn_await_cont(struct imap_conn *c, const char *tag,
    imap_untagged_fn fn, void *arg, struct error *err)
{
	return imap_conn_await1(c, tag, true, fn, arg, err);
}

/* Read and handle one response (IDLE's loop): as await does. */
int
imap_conn_step(struct imap_conn *c, imap_untagged_fn fn, void *arg,
    struct error *err)
{
	struct error	 herr;
	bool		 failed = false;

	/* Called once data is there (IDLE polled): a fresh deadline. */
	imap_conn_progress(c);
	if (imap_conn_read(c, err) == -1)
		return -1;
	if (c->resp.type == IMAP_RESP_TAGGED)
		return imap_conn_tagged(c, err);
	if (c->resp.type == IMAP_RESP_CONTINUE) {
		error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "%s: unexpected continuation request", c->host);
		return imap_conn_fail(c, err);
	}
	if (imap_conn_dispatch(c, fn, arg, &herr, &failed, err) == -1)
		return -1;
	if (failed) {
		*err = herr;
		return -1;
	}
	return 0;
}

/* Whether the command with this tag has completed. */
bool
imap_conn_done(struct imap_conn *c, const char *tag)
{
	struct imap_slice	 ts = { tag, strlen(tag) };
	struct imap_inflight	*fl = imap_conn_inflight(c, ts);

	return fl == NULL || fl->done;
}

/* Read until nothing is in flight; the first failure is returned. */
int
imap_conn_drain(struct imap_conn *c, imap_untagged_fn fn, void *arg,
    struct error *err)
{
	struct error	 herr, e;
	bool		 failed = false;
	int		 rc = 0;

	error_clear(&herr);
	for (;;) {
		for (size_t i = 0; i < c->nfl;) {
			if (!c->fl[i].done) {
				i++;
				continue;
			}
			if (imap_conn_result(c, &c->fl[i], false, &herr,
			    &e) == -1 && rc == 0) {
				*err = e;
				rc = -1;
			}
		}
		if (c->nfl == 0)
			break;
		if (imap_conn_read(c, err) == -1)
			return -1;
		if (c->resp.type == IMAP_RESP_TAGGED) {
			if (imap_conn_tagged(c, err) == -1)
				return -1;
		} else if (c->resp.type == IMAP_RESP_CONTINUE) {
			error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
			    "%s: unexpected continuation request", c->host);
			return imap_conn_fail(c, err);
		} else if (imap_conn_dispatch(c, fn, arg, &herr, &failed,
		    err) == -1)
			return -1;
	}
	if (rc == 0 && failed) {
		*err = herr;
		rc = -1;
	}
	return rc;
}

/* Send a command and read to its tagged completion. */
int
imap_conn_run(struct imap_conn *c, imap_untagged_fn fn, void *arg,
    struct error *err, const char *fmt, ...)
{
	va_list		 ap;
	char		 tag[16], ztag[16];
	bool		 z = c->compress_wanted;
	struct error	 zerr;
	int		 rc;

	c->compress_wanted = false;
	va_start(ap, fmt);
	rc = imap_conn_vsend(c, IMAP_TRACKED, err, fmt, ap);
	va_end(ap);
	if (rc == -1) {
		c->compress_wanted = z;		/* for the next command */
		return -1;
	}
	memcpy(tag, c->tag, sizeof tag);
	/*
	 * The COMPRESS asked for at login goes right behind the first
	 * command: its answer arrives with the command's, not a round trip
	 * later (a first sync's SELECT).
	 */
	if (z && imap_conn_compress_begin(c, ztag, sizeof ztag, err) == -1)
		return -1;
	rc = imap_conn_await(c, tag, fn, arg, err);
	if (z && imap_conn_compress_end(c, ztag, &zerr) == -1 && rc == 0) {
		*err = zerr;
		rc = -1;
	}
	return rc;
}

/* Send raw bytes, traced as given (or as the bytes if trace is NULL). */
int
imap_conn_write(struct imap_conn *c, const char *p, size_t len,
    const char *trace, struct error *err)
{
	if (c->broken) {
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "%s: connection already failed", c->host);
	}
	if (trace != NULL)
		log_proto("imap", '>', trace, strlen(trace));
	else
		log_proto("imap", '>', p, len);
	if (stream_write_all(c->s, p, len, err) == -1)
		return imap_conn_fail(c, err);
	imap_conn_progress(c);	/* the server has more to answer now */
	return 0;
}

/* Whether the next response can be read without waiting on the socket. */
bool
imap_conn_buffered(struct imap_conn *c)
{
	if (c->in.len > c->off + c->used)
		return true;
	return stream_pending(c->s) > 0;
}

/* Append s quoted, escaping \ and "; -1 if it holds CR, LF or 8-bit. */
int
imap_quote(struct buf *b, const char *s)
{
	return imap_quote8(b, s, false);
}

/*
 * Append s quoted; -1 if it holds CR or LF, or 8-bit bytes unless allow8
 * (RFC 6855 3: UTF-8 in quoted strings once UTF8=ACCEPT is enabled).
 */
int
imap_quote8(struct buf *b, const char *s, bool allow8)
{
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '\r' || *p == '\n' ||
		    (!allow8 && (unsigned char)*p >= 0x80))
			return -1;
	}
	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
	return b->too_big ? -1 : 0;
}

/*
 * The trace form of a sent line.  "TAG LOGIN ..." keeps only the verb;
 * "TAG AUTHENTICATE MECH ..." keeps the mechanism.  Lines that are not
 * commands (a SASL response after "+") are wholly replaced by the caller.
 */
void
imap_redact(const char *line, size_t len, struct buf *out)
{
	size_t	 i = 0, verb, vlen, end;

	while (i < len && line[i] != ' ')
		i++;			/* tag */
	while (i < len && line[i] == ' ')
		i++;
	verb = i;
	while (i < len && line[i] != ' ' && line[i] != '\r' && line[i] != '\n')
		i++;
	vlen = i - verb;
	if (vlen == 5 && strncasecmp(line + verb, "LOGIN", 5) == 0) {
		buf_add(out, line, verb + vlen);
		buf_adds(out, " <redacted>");
		return;
	}
	if (vlen == 12 && strncasecmp(line + verb, "AUTHENTICATE", 12) == 0) {
		while (i < len && line[i] == ' ')
			i++;
		end = i;
		while (end < len && line[end] != ' ' && line[end] != '\r' &&
		    line[end] != '\n')
			end++;
		buf_add(out, line, end);
		if (end < len && line[end] == ' ')
			buf_adds(out, " <redacted>");
		return;
	}
	buf_add(out, line, len);
}

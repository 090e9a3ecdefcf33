/*
 * imap_input.c - reading responses: the input buffer, the per-command
 * deadline, and what responses say about the connection.
 *
 * Bytes are read from the stream until the framer (imap_frame.c) says a
 * whole response is there; literal bytes the framer refuses to hold are
 * cut out of the buffer as they arrive.  The response is then parsed in
 * place and handed out until the next read.  A response that was framed
 * but cannot be read is, if it is a FETCH, handed out as a "bad" FETCH
 * (sequence number and UID only) so one broken message costs that message,
 * not the connection; anything else unreadable breaks the connection.
 *
 * Time: the stream's timeout bounds each wait, and the command's deadline
 * (imap_conn_progress) bounds how long a command may go without progress,
 * so neither a drip of one byte every few seconds nor a flood of responses
 * that answer nothing keeps petrel reading forever.  Every MiB of a single
 * response counts as progress too: a big message on a slow link is fine.
 *
 * Untagged data that describes the connection (CAPABILITY, ENABLED, BYE,
 * EXISTS, EXPUNGE, [UIDVALIDITY], [UIDNEXT], [HIGHESTMODSEQ], [CLOSED]) is
 * recorded here whichever command is running (RFC 3501 section 7).
 *
 * After a response of more than IMAP_IN_KEEP bytes the buffer is given
 * back, so one big message does not pin ~128 MiB for the session.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/imap_conn.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define IMAP_READ_CHUNK		(64 * 1024)
/* Bytes of one response that count as progress. */
#define IMAP_PROGRESS_BYTES	(1024 * 1024)
/* Input buffer capacity kept between responses. */
#define IMAP_IN_KEEP		(4 * 1024 * 1024)

/* Milliseconds on a monotonic clock. */
int64_t
imap_conn_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The command made progress: it has another timeout to make more. */
void
imap_conn_progress(struct imap_conn *c)
{
	c->deadline = c->timeout_ms > 0 ? imap_conn_now() + c->timeout_ms : 0;
}

/* A command was sent: a fresh deadline and budget of unrelated data. */
void
imap_conn_started(struct imap_conn *c, const char *verb)
{
	snprintf(c->cmd, sizeof c->cmd, "%s", verb);
	c->unrelated = 0;
	imap_conn_progress(c);
}

/* Keep a number from a response code ("[UIDNEXT 5]"). */
static void
imap_conn_code_number(const struct imap_response *r, uint64_t max,
    uint64_t *out)
{
	uint64_t	 n;

	if (imap_parse_number(r->code_args, max, &n) == 0)
		*out = n;
}

/* Keep what a response code says about the selected mailbox. */
static void
imap_conn_note_code(struct imap_conn *c, const struct imap_response *r)
{
	uint64_t	 n;

	if (imap_slice_is(r->code, "UIDVALIDITY")) {
		n = c->uidvalidity;
		imap_conn_code_number(r, UINT32_MAX, &n);
		c->uidvalidity = (uint32_t)n;
	} else if (imap_slice_is(r->code, "UIDNEXT")) {
		n = c->uidnext;
		imap_conn_code_number(r, UINT32_MAX, &n);
		c->uidnext = (uint32_t)n;
	} else if (imap_slice_is(r->code, "HIGHESTMODSEQ"))
		imap_conn_code_number(r, UINT64_MAX / 2, &c->highestmodseq);
	else if (imap_slice_is(r->code, "NOMODSEQ"))
		c->nomodseq = true;
	else if (imap_slice_is(r->code, "READ-ONLY"))
		c->readonly = true;
	else if (imap_slice_is(r->code, "CLOSED")) {
		/* RFC 7162 3.2.11: what follows is the new mailbox's. */
		c->exists = c->uidvalidity = c->uidnext = 0;
		c->highestmodseq = 0;
		c->nomodseq = c->readonly = false;
	}
}

/* Record an "* ENABLED ..." response (RFC 5161 3.2). */
static void
imap_conn_note_enabled(struct imap_conn *c, const struct imap_value *list)
{
	for (size_t i = 0; i < list->n; i++) {
		if (imap_value_is(&list->items[i], "QRESYNC"))
			c->enabled |= IMAP_CAP_QRESYNC | IMAP_CAP_CONDSTORE;
		else if (imap_value_is(&list->items[i], "CONDSTORE"))
			c->enabled |= IMAP_CAP_CONDSTORE;
		else if (imap_value_is(&list->items[i], "UTF8=ACCEPT"))
			c->enabled |= IMAP_CAP_UTF8_ACCEPT;
	}
}

/* Keep what an untagged or tagged response says about the connection. */
static void
imap_conn_note(struct imap_conn *c, const struct imap_response *r)
{
	struct imap_slice	 s;

	if (imap_slice_is(r->code, "CAPABILITY"))
		imap_caps_parse(c, r->code_args.p, r->code_args.len);
	if (r->type != IMAP_RESP_UNTAGGED)
		return;
	if (r->status == IMAP_STATUS_BYE) {
		free(c->bye);
		c->bye = xstrndup(r->text.p, r->text.len);
	} else if (r->status == IMAP_STATUS_OK && r->code.p != NULL)
		imap_conn_note_code(c, r);
	else if (imap_slice_is(r->name, "CAPABILITY")) {
		imap_caps_parse(c, NULL, 0);
		for (size_t i = 0; i < r->args.n; i++) {
			s = imap_value_slice(&r->args.items[i]);
			if (r->args.items[i].type == IMAP_V_ATOM)
				imap_caps_add(c, s.p, s.len);
		}
	} else if (imap_slice_is(r->name, "ENABLED"))
		imap_conn_note_enabled(c, &r->args);
	else if (r->has_number && imap_slice_is(r->name, "EXISTS"))
		c->exists = r->number;
	else if (r->has_number && imap_slice_is(r->name, "EXPUNGE") &&
	    c->exists > 0)
		c->exists--;
}

/* The timeout error of a command that stopped making progress. */
static int
imap_conn_timeout(struct imap_conn *c, struct error *err)
{
	return error_set(err, ERR_TIMEOUT, ERR_SCOPE_ACCOUNT,
	    "%s: timed out: no answer to %s for %d s", c->host,
	    c->cmd[0] != '\0' ? c->cmd : "the greeting",
	    (c->timeout_ms + 999) / 1000);
}

/* Set the per-wait timeout of every layer of the stream. */
static void
imap_conn_set_timeout(struct stream *s, int timeout_ms)
{
	for (; s != NULL; s = s->lower)
		s->timeout_ms = timeout_ms;
}

/* Read from the stream, waiting no longer than the deadline allows. */
static ssize_t
imap_conn_recv(struct imap_conn *c, char *p, struct error *err)
{
	int64_t		 left;
	ssize_t		 n;

	if (c->deadline == 0 || c->timeout_ms <= 0)
		return stream_read(c->s, p, IMAP_READ_CHUNK, err);
	if ((left = c->deadline - imap_conn_now()) <= 0)
		return imap_conn_timeout(c, err);
	imap_conn_set_timeout(c->s, left < c->timeout_ms ? (int)left :
	    c->timeout_ms);
	n = stream_read(c->s, p, IMAP_READ_CHUNK, err);
	imap_conn_set_timeout(c->s, c->timeout_ms);
	if (n == -1 && err->code == ERR_TIMEOUT)
		return imap_conn_timeout(c, err);
	return n;
}

/* Read more bytes from the stream into the input buffer. */
static int
imap_conn_fill(struct imap_conn *c, struct error *err)
{
	char	*p;
	ssize_t	 n;

	if (c->off > 0) {
		buf_consume(&c->in, c->off);
		c->off = 0;
	}
	if ((p = buf_reserve(&c->in, IMAP_READ_CHUNK)) == NULL) {
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_ACCOUNT,
		    "%s: IMAP response too large", c->host);
	}
	if ((n = imap_conn_recv(c, p, err)) == -1)
		return -1;
	if (n == 0) {
		if (c->bye != NULL) {
			return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
			    "%s: server closed the connection: %s", c->host,
			    c->bye);
		}
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "%s: server closed the connection", c->host);
	}
	buf_commit(&c->in, (size_t)n);
	c->rx += (size_t)n;
	if (c->rx >= IMAP_PROGRESS_BYTES) {
		c->rx = 0;		/* a big response is flowing */
		imap_conn_progress(c);
	}
	return 0;
}

/* Cut the bytes of a literal the framer will not hold out of the buffer. */
static void
imap_conn_drop(struct imap_conn *c)
{
	char	*base = c->in.data + c->off;
	size_t	 have = c->in.len - c->off, at = c->fr.drop_at, n;

	n = have - at;
	if (n > c->fr.drop_left)
		n = (size_t)c->fr.drop_left;
	memmove(base + at, base + at + n, have - at - n);
	c->in.len -= n;
	c->in.data[c->in.len] = '\0';
	imap_frame_dropped(&c->fr, n);
}

/* Give back a buffer grown by a big response once it is used. */
static void
imap_conn_shrink(struct imap_conn *c)
{
	struct buf	 nb;

	if (c->in.cap <= IMAP_IN_KEEP || c->in.len - c->off > IMAP_IN_KEEP / 4)
		return;
	buf_init(&nb, c->in.max);
	buf_reserve(&nb, c->in.len - c->off + IMAP_READ_CHUNK);
	buf_add(&nb, c->in.data + c->off, c->in.len - c->off);
	buf_fini(&c->in);
	c->in = nb;
	c->off = 0;
}

/* Frame the next response; its length in *len. */
static int
imap_conn_frame(struct imap_conn *c, size_t *len, struct error *err)
{
	int	 r;

	for (;;) {
		r = imap_frame_next(&c->fr, c->in.data + c->off,
		    c->in.len - c->off, len, err);
		if (r == 1)
			break;
		if (r == 2) {
			imap_conn_drop(c);
			continue;
		}
		if (r == -1 || imap_conn_fill(c, err) == -1)
			return -1;
	}
	c->rx = 0;
	return 0;
}

/*
 * Parse the framed response; a FETCH that cannot be read is handed out
 * as a bad FETCH (logged), anything else unreadable fails.
 */
static int
imap_conn_parse(struct imap_conn *c, size_t len, struct error *err)
{
	const char	*p = c->in.data + c->off;
	struct error	 perr;

	if (!c->fr.truncated && imap_parse_response(p, len, &c->resp,
	    &perr) == 0)
		return 0;
	if (c->fr.truncated)
		error_set(&perr, ERR_TOOBIG, ERR_SCOPE_MESSAGE,
		    "a literal of more than %d bytes where no body belongs",
		    IMAP_LITERAL_MAX);
	if (imap_parse_salvage(p, len, &c->resp) == 0) {
		log_warn("imap", "%s: unreadable FETCH of message %u "
		    "(UID %u): %s", c->host, c->resp.number,
		    c->resp.bad_uid, perr.msg);
		return 0;
	}
	*err = perr;
	error_prefix(err, "%s", c->host);
	return -1;
}

/* Read and parse the next response. */
int
imap_conn_read(struct imap_conn *c, struct error *err)
{
	size_t	 len;

	if (c->broken) {
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "%s: connection already failed", c->host);
	}
	imap_response_fini(&c->resp);
	c->resp.args.type = IMAP_V_LIST;
	c->off += c->used;
	c->used = 0;
	imap_conn_shrink(c);
	if (imap_conn_frame(c, &len, err) == -1)
		return imap_conn_fail(c, err);
	c->used = len;
	log_proto("imap", '<', c->in.data + c->off, len);
	if (imap_conn_parse(c, len, err) == -1)
		return imap_conn_fail(c, err);
	imap_conn_note(c, &c->resp);
	return 0;
}

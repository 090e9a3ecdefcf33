/*
 * imap_conn.c - reading responses and sending tagged commands.
 *
 * Owns the input buffer of a connection: bytes are read from the stream
 * until the framer (imap_frame.c) says a whole response is there, which is
 * then parsed in place and handed out until the next read.  Untagged data
 * that describes the connection (CAPABILITY, BYE, EXISTS, EXPUNGE,
 * [UIDVALIDITY]) is recorded here whichever command is running
 * (RFC 3501 section 7: untagged responses may arrive at any time).
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
#define IMAP_TRACE_MAX		2048

static int	imap_conn_vsend(struct imap_conn *, struct error *,
		    const char *, va_list)
		    __attribute__((format(printf, 3, 0)));

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
static int
imap_conn_fail(struct imap_conn *c, struct error *err)
{
	c->broken = true;
	error_widen(err, ERR_SCOPE_ACCOUNT);
	return -1;
}

/* Trace one response or sent line, shortened if long. */
static void
imap_conn_trace(char dir, const char *p, size_t len)
{
	struct buf	 b;

	if (!log_enabled(LOG_TRACE, "imap"))
		return;
	while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r'))
		len--;
	if (len <= IMAP_TRACE_MAX) {
		log_proto("imap", dir, p, len);
		return;
	}
	buf_init(&b, IMAP_TRACE_MAX + 64);
	buf_add(&b, p, IMAP_TRACE_MAX);
	buf_printf(&b, " ... [%zu bytes]", len);
	log_proto("imap", dir, b.data, b.len);
	buf_fini(&b);
}

/* Add the capability named by one word. */
static void
imap_conn_add_cap(struct imap_conn *c, const char *p, size_t len)
{
	static const struct {
		const char	*name;
		unsigned	 bit;
	} map[] = {
		{ "IMAP4rev1", IMAP_CAP_IMAP4REV1 },
		{ "STARTTLS", IMAP_CAP_STARTTLS },
		{ "LOGINDISABLED", IMAP_CAP_LOGINDISABLED },
		{ "AUTH=PLAIN", IMAP_CAP_AUTH_PLAIN },
		{ "SASL-IR", IMAP_CAP_SASL_IR },
		{ "LITERAL+", IMAP_CAP_LITERALPLUS },
		{ "IDLE", IMAP_CAP_IDLE },
		{ "UIDPLUS", IMAP_CAP_UIDPLUS },
		{ "CONDSTORE", IMAP_CAP_CONDSTORE },
	};

	for (size_t j = 0; j < sizeof map / sizeof map[0]; j++) {
		if (strlen(map[j].name) == len &&
		    strncasecmp(p, map[j].name, len) == 0)
			c->caps |= map[j].bit;
	}
}

/* Replace the capabilities with those of a "[CAPABILITY a b c]" code. */
static void
imap_conn_caps_text(struct imap_conn *c, const char *p, size_t len)
{
	size_t	 i = 0, start;

	c->caps = 0;
	c->have_caps = true;
	while (i < len) {
		while (i < len && p[i] == ' ')
			i++;
		start = i;
		while (i < len && p[i] != ' ')
			i++;
		imap_conn_add_cap(c, p + start, i - start);
	}
}

/* Replace the capabilities with those of a CAPABILITY response. */
static void
imap_conn_caps_list(struct imap_conn *c, const struct imap_value *list)
{
	struct imap_slice	 s;

	c->caps = 0;
	c->have_caps = true;
	for (size_t i = 0; i < list->n; i++) {
		s = imap_value_slice(&list->items[i]);
		if (list->items[i].type == IMAP_V_ATOM)
			imap_conn_add_cap(c, s.p, s.len);
	}
}

/* Keep what an untagged or tagged response says about the connection. */
static void
imap_conn_note(struct imap_conn *c, const struct imap_response *r)
{
	uint64_t	 n;

	if (imap_slice_is(r->code, "CAPABILITY"))
		imap_conn_caps_text(c, r->code_args.p, r->code_args.len);
	if (r->type != IMAP_RESP_UNTAGGED)
		return;
	if (r->status == IMAP_STATUS_BYE) {
		free(c->bye);
		c->bye = xstrndup(r->text.p, r->text.len);
	} else if (r->status == IMAP_STATUS_OK &&
	    imap_slice_is(r->code, "UIDVALIDITY") &&
	    imap_parse_number(r->code_args, UINT32_MAX, &n) == 0)
		c->uidvalidity = (uint32_t)n;
	else if (imap_slice_is(r->name, "CAPABILITY"))
		imap_conn_caps_list(c, &r->args);
	else if (r->has_number && imap_slice_is(r->name, "EXISTS"))
		c->exists = r->number;
	else if (r->has_number && imap_slice_is(r->name, "EXPUNGE") &&
	    c->exists > 0)
		c->exists--;
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
	if ((n = stream_read(c->s, p, IMAP_READ_CHUNK, err)) == -1)
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
	return 0;
}

/* Read and parse the next response. */
int
imap_conn_read(struct imap_conn *c, struct error *err)
{
	size_t	 len;
	int	 r;

	if (c->broken) {
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "%s: connection already failed", c->host);
	}
	imap_response_fini(&c->resp);
	c->resp.args.type = IMAP_V_LIST;
	c->off += c->used;
	c->used = 0;
	for (;;) {
		r = imap_frame_next(&c->fr, c->in.data + c->off,
		    c->in.len - c->off, &len, err);
		if (r == 1)
			break;
		if (r == -1 || imap_conn_fill(c, err) == -1)
			return imap_conn_fail(c, err);
	}
	c->used = len;
	imap_conn_trace('<', c->in.data + c->off, len);
	if (imap_parse_response(c->in.data + c->off, len, &c->resp,
	    err) == -1) {
		error_prefix(err, "%s", c->host);
		return imap_conn_fail(c, err);
	}
	imap_conn_note(c, &c->resp);
	return 0;
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
		imap_conn_trace('>', t.data != NULL ? t.data : "", t.len);
		buf_fini(&t);
	}
	if (stream_write_all(c->s, line, len, err) == -1)
		return imap_conn_fail(c, err);
	return 0;
}

/* Format and send a tagged command. */
static int
imap_conn_vsend(struct imap_conn *c, struct error *err, const char *fmt,
    va_list ap)
{
	struct buf	 line;
	va_list		 ap2;
	char		*p;
	int		 n, rc;

	if (c->broken) {
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "%s: connection already failed", c->host);
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
	rc = imap_conn_write_line(c, line.data, line.len, err);
	buf_fini_secret(&line);
	return rc;
}

/* Send "TAG command". */
int
imap_conn_send(struct imap_conn *c, struct error *err, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = imap_conn_vsend(c, err, fmt, ap);
	va_end(ap);
	return rc;
}

/* The first word of the command in flight, for messages. */
static void
imap_conn_verb(const char *fmt, char *out, size_t size)
{
	size_t	 n = strcspn(fmt, " ");

	if (n >= size)
		n = size - 1;
	memcpy(out, fmt, n);
	out[n] = '\0';
}

/* Send a command and read to its tagged completion. */
int
imap_conn_run(struct imap_conn *c, imap_untagged_fn fn, void *arg,
    struct error *err, const char *fmt, ...)
{
	struct error	 herr;
	va_list		 ap;
	char		 verb[32];
	int		 rc, failed = 0;

	imap_conn_verb(fmt, verb, sizeof verb);
	va_start(ap, fmt);
	rc = imap_conn_vsend(c, err, fmt, ap);
	va_end(ap);
	if (rc == -1)
		return -1;
	error_clear(&herr);
	for (;;) {
		if (imap_conn_read(c, err) == -1)
			return -1;
		if (c->resp.type == IMAP_RESP_TAGGED)
			break;
		if (c->resp.type == IMAP_RESP_CONTINUE) {
			error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
			    "%s: unexpected continuation request", c->host);
			return imap_conn_fail(c, err);
		}
		if (fn != NULL && !failed && fn(arg, &c->resp, &herr) == -1)
			failed = 1;
	}
	if (!imap_slice_is(c->resp.tag, c->tag)) {
		error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "%s: response for unknown tag %.*s", c->host,
		    (int)(c->resp.tag.len > 32 ? 32 : c->resp.tag.len),
		    c->resp.tag.p);
		return imap_conn_fail(c, err);
	}
	if (c->resp.status != IMAP_STATUS_OK) {
		return error_set(err, ERR_SERVER, ERR_SCOPE_OP, "%s: %s: %.*s",
		    c->host, verb, (int)c->resp.text.len, c->resp.text.p);
	}
	if (failed) {
		*err = herr;
		return -1;
	}
	return 0;
}

/* Append s quoted, escaping \ and "; -1 if it holds CR, LF or 8-bit. */
int
imap_quote(struct buf *b, const char *s)
{
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '\r' || *p == '\n' || (unsigned char)*p >= 0x80)
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

/*
 * pop3_parse.c - the POP3 reply parser (pop3_parse.h).
 *
 * RFC 1939 3: a reply is a status line, "+OK" or "-ERR" and text; the
 * replies to some commands go on with lines of data ended by a line
 * holding only ".".  A data line that starts with "." had one prepended
 * ("byte-stuffed"): when octets other than CRLF follow the first ".", it
 * is removed.  So ".." is ".", ".x" is "x" (a server that forgot to stuff
 * loses a dot, as the RFC says), and only ".\r\n" (or ".\n") ends the
 * data.  RFC 2449 8: status text may start with a response code
 * "[IN-USE]", "[SYS/TEMP]".  RFC 5034 4: during AUTH the server sends
 * "+ base64" continuations.
 *
 * Line ends: CRLF, and a bare LF is accepted as one too (some servers);
 * a CR not followed by LF is data.  The indicators are matched without
 * regard to case.
 *
 * What it must not do: read anything outside the bytes fed, hold more
 * than one line, or accept a reply past its caller's data_max.
 */
#include <string.h>
#include <strings.h>

#include "net/pop3_parse.h"
#include "util/sanitize.h"
#include "util/xmalloc.h"

/* Parser states. */
enum {
	P_STATUS = 0,		/* in a status line (or between replies) */
	P_BOL,			/* at the start of a data line */
	P_DOT,			/* after "." at the start of a data line */
	P_DOT_CR,		/* after ".\r" */
	P_LINE			/* inside a data line */
};

/* Longest response code kept (RFC 2449 8 codes are short words). */
#define POP3_CODE_MAX	64

/* Start between replies, expecting a status line. */
void
pop3_parser_init(struct pop3_parser *pp)
{
	memset(pp, 0, sizeof *pp);
	buf_init(&pp->line, POP3_STATUS_MAX + 2);	/* and the CR */
}

/* Free the line buffer. */
void
pop3_parser_fini(struct pop3_parser *pp)
{
	buf_fini(&pp->line);
}

/* Forget any partial reply. */
void
pop3_parser_reset(struct pop3_parser *pp)
{
	buf_reset(&pp->line);
	pp->state = P_STATUS;
	pp->expect = POP3_EXPECT_SINGLE;
	pp->data_max = pp->data_len = 0;
	pp->held = pp->cr = pp->failed = false;
}

/* Say what the next reply is. */
void
pop3_parser_expect(struct pop3_parser *pp, enum pop3_expect e,
    size_t data_max)
{
	pp->expect = e;
	pp->data_max = data_max;
	pp->data_len = 0;
}

/* Whether no byte of a reply has been read. */
bool
pop3_parser_between(const struct pop3_parser *pp)
{
	return pp->state == P_STATUS && (pp->held || pp->line.len == 0);
}

/* Whether a slice equals s, ASCII case ignored. */
bool
pop3_slice_is(struct pop3_slice sl, const char *s)
{
	size_t	 n = strlen(s);

	return sl.p != NULL && sl.len == n && strncasecmp(sl.p, s, n) == 0;
}

/* Fail for good with a message; -1. */
static int
pop3_parse_fail(struct pop3_parser *pp, struct error *err,
    enum error_code code, const char *what)
{
	pp->failed = true;
	return error_set(err, code, ERR_SCOPE_ACCOUNT, "%s", what);
}

/* A "not a POP3 reply" error quoting the start of the line, sanitised. */
static int
pop3_parse_junk(struct pop3_parser *pp, const char *p, size_t len,
    struct error *err)
{
	struct buf	 b;

	buf_init(&b, 0);
	(void)sanitize_append(&b, p, len > 40 ? 40 : len, 0);
	pp->failed = true;
	error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
	    "server sent something that is not a POP3 reply: \"%s\"%s",
	    buf_str(&b), len > 40 ? "..." : "");
	buf_fini(&b);
	return -1;
}

/* Whether c may be in a response code level (RFC 2449 8: ALPHA DIGIT -). */
static bool
pop3_code_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '/';
}

/* Split "[CODE] text" into code and text (text stays if no code). */
static void
pop3_parse_code(struct pop3_event *ev)
{
	const char	*p = ev->text.p;
	size_t		 len = ev->text.len, i;

	if (len < 3 || p[0] != '[')
		return;
	for (i = 1; i < len && i <= POP3_CODE_MAX && pop3_code_char(p[i]); i++)
		;
	if (i == 1 || i >= len || p[i] != ']' || p[1] == '/' ||
	    p[i - 1] == '/')
		return;
	ev->code.p = p + 1;
	ev->code.len = i - 1;
	for (i++; i < len && p[i] == ' '; i++)
		;
	ev->text.p = p + i;
	ev->text.len = len - i;
}

/* Whether line (len) starts with the indicator ind and then ends or SP. */
static bool
pop3_indicator(const char *line, size_t len, const char *ind)
{
	size_t	 n = strlen(ind);

	return len >= n && strncasecmp(line, ind, n) == 0 &&
	    (len == n || line[n] == ' ');
}

/* The text after an indicator of n bytes. */
static void
pop3_status_text(struct pop3_event *ev, const char *line, size_t len,
    size_t n)
{
	ev->text.p = line + n;
	ev->text.len = len - n;
	while (ev->text.len > 0 && ev->text.p[0] == ' ') {
		ev->text.p++;
		ev->text.len--;
	}
}

/* A whole status line is in pp->line: make it an event. */
static int
pop3_parse_status(struct pop3_parser *pp, struct pop3_event *ev,
    struct error *err)
{
	const char	*line = pp->line.data != NULL ? pp->line.data : "";
	size_t		 len = pp->line.len;
	bool		 data = pp->expect == POP3_EXPECT_LINES ||
	    pp->expect == POP3_EXPECT_BLOB;

	pp->held = true;
	if (pop3_indicator(line, len, "+OK")) {
		ev->type = POP3_EV_OK;
		pop3_status_text(ev, line, len, 3);
		pop3_parse_code(ev);
		ev->last = !data;
		pp->state = data ? P_BOL : P_STATUS;
	} else if (pop3_indicator(line, len, "-ERR")) {
		ev->type = POP3_EV_ERR;
		pop3_status_text(ev, line, len, 4);
		pop3_parse_code(ev);
		ev->last = true;
	} else if (pp->expect == POP3_EXPECT_AUTH &&
	    pop3_indicator(line, len, "+")) {
		ev->type = POP3_EV_CONT;
		pop3_status_text(ev, line, len, 1);
		while (ev->text.len > 0 && ev->text.p[ev->text.len - 1] == ' ')
			ev->text.len--;
		return 1;
	} else
		return pop3_parse_junk(pp, line, len, err);
	if (ev->last)
		pop3_parser_expect(pp, POP3_EXPECT_SINGLE, 0);
	return 1;
}

/* Count data bytes against the reply's limit. */
static int
pop3_parse_count(struct pop3_parser *pp, size_t n, struct error *err)
{
	if (n > pp->data_max - pp->data_len) {
		pp->failed = true;
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_ACCOUNT,
		    "POP3 reply longer than %zu bytes: giving up",
		    pp->data_max);
	}
	pp->data_len += n;
	return 0;
}

/* Read a status line; 1 with an event once it is whole. */
static int
pop3_feed_status(struct pop3_parser *pp, const char *p, size_t len,
    size_t *i, struct pop3_event *ev, struct error *err)
{
	const char	*nl = memchr(p + *i, '\n', len - *i);
	size_t		 n = nl != NULL ? (size_t)(nl - (p + *i)) : len - *i;

	/* The limit is on the text; room for its CR. */
	if (pp->line.len + n > POP3_STATUS_MAX + 1)
		return pop3_parse_fail(pp, err, ERR_TOOBIG,
		    "POP3 status line too long: giving up");
	buf_add(&pp->line, p + *i, n);
	*i += n;
	if (nl == NULL)
		return 0;
	(*i)++;
	if (pp->line.len > 0 && pp->line.data[pp->line.len - 1] == '\r')
		pp->line.data[--pp->line.len] = '\0';
	if (pp->line.len > POP3_STATUS_MAX)
		return pop3_parse_fail(pp, err, ERR_TOOBIG,
		    "POP3 status line too long: giving up");
	return pop3_parse_status(pp, ev, err);
}

/* The "." line: the data is complete. */
static int
pop3_feed_end(struct pop3_parser *pp, size_t *i, struct pop3_event *ev)
{
	(*i)++;
	ev->type = POP3_EV_END;
	ev->last = true;
	pp->state = P_STATUS;
	pop3_parser_expect(pp, POP3_EXPECT_SINGLE, 0);
	return 1;
}

/* A data piece that is not in the input (a held-back CR). */
static int
pop3_feed_cr(struct pop3_parser *pp, struct pop3_event *ev,
    struct error *err)
{
	if (pp->expect == POP3_EXPECT_LINES) {
		if (pp->line.len + 1 > POP3_DATA_LINE_MAX)
			return pop3_parse_fail(pp, err, ERR_TOOBIG,
			    "POP3 listing line too long: giving up");
		buf_addc(&pp->line, '\r');
		return pop3_parse_count(pp, 1, err);
	}
	if (pop3_parse_count(pp, 1, err) == -1)
		return -1;
	ev->type = POP3_EV_DATA;
	ev->text.p = "\r";
	ev->text.len = 1;
	return 1;
}

/* A line of a listing (LINES): kept whole in pp->line. */
static int
pop3_feed_listing(struct pop3_parser *pp, const char *p, size_t len,
    size_t *i, struct pop3_event *ev, struct error *err)
{
	const char	*nl = memchr(p + *i, '\n', len - *i);
	size_t		 n = nl != NULL ? (size_t)(nl - (p + *i)) : len - *i;

	if (pp->line.len + n > POP3_DATA_LINE_MAX + 1)
		return pop3_parse_fail(pp, err, ERR_TOOBIG,
		    "POP3 listing line too long: giving up");
	if (pop3_parse_count(pp, n + (nl != NULL ? 1 : 0), err) == -1)
		return -1;
	buf_add(&pp->line, p + *i, n);
	*i += n;
	if (nl == NULL)
		return 0;
	(*i)++;
	if (pp->line.len > 0 && pp->line.data[pp->line.len - 1] == '\r')
		pp->line.data[--pp->line.len] = '\0';
	if (pp->line.len > POP3_DATA_LINE_MAX)
		return pop3_parse_fail(pp, err, ERR_TOOBIG,
		    "POP3 listing line too long: giving up");
	ev->type = POP3_EV_DATA;
	ev->text.p = pp->line.data != NULL ? pp->line.data : "";
	ev->text.len = pp->line.len;
	ev->eol = true;
	pp->held = true;
	pp->state = P_BOL;
	return 1;
}

/*
 * A piece of message data (BLOB), straight from the input: up to the line
 * end, or to the end of the input with a final CR held back (it may be
 * the CR of CRLF).
 */
static int
pop3_feed_piece(struct pop3_parser *pp, const char *p, size_t len,
    size_t *i, struct pop3_event *ev, struct error *err)
{
	const char	*start = p + *i;
	const char	*nl = memchr(start, '\n', len - *i);
	size_t		 n = nl != NULL ? (size_t)(nl - start) : len - *i;

	*i += n;
	if (nl != NULL) {
		(*i)++;
		if (n > 0 && start[n - 1] == '\r')
			n--;
		ev->eol = true;
		pp->state = P_BOL;
	} else if (n > 0 && start[n - 1] == '\r') {
		n--;
		pp->cr = true;
	}
	if (pop3_parse_count(pp, n + (ev->eol ? 2 : 0), err) == -1)
		return -1;
	if (n == 0 && !ev->eol)
		return 0;
	ev->type = POP3_EV_DATA;
	ev->text.p = start;
	ev->text.len = n;
	return 1;
}

/* Inside a data line. */
static int
pop3_feed_line(struct pop3_parser *pp, const char *p, size_t len,
    size_t *i, struct pop3_event *ev, struct error *err)
{
	if (pp->expect == POP3_EXPECT_LINES)
		return pop3_feed_listing(pp, p, len, i, ev, err);
	if (pp->cr) {
		/* The CR held back: a line end if LF follows, else data. */
		pp->cr = false;
		if (p[*i] != '\n')
			return pop3_feed_cr(pp, ev, err);
		(*i)++;
		if (pop3_parse_count(pp, 2, err) == -1)
			return -1;
		ev->type = POP3_EV_DATA;
		ev->text.p = "";
		ev->eol = true;
		pp->state = P_BOL;
		return 1;
	}
	return pop3_feed_piece(pp, p, len, i, ev, err);
}

/* One step of the data state machine; 1 event, 0 go on, -1 error. */
static int
pop3_feed_data(struct pop3_parser *pp, const char *p, size_t len,
    size_t *i, struct pop3_event *ev, struct error *err)
{
	switch (pp->state) {
	case P_BOL:
		buf_reset(&pp->line);
		if (p[*i] == '.') {
			pp->state = P_DOT;
			(*i)++;
		} else
			pp->state = P_LINE;
		return 0;
	case P_DOT:
		if (p[*i] == '\n')
			return pop3_feed_end(pp, i, ev);
		if (p[*i] == '\r') {
			pp->state = P_DOT_CR;
			(*i)++;
		} else
			pp->state = P_LINE;	/* the stuffed dot goes */
		return 0;
	case P_DOT_CR:
		if (p[*i] == '\n')
			return pop3_feed_end(pp, i, ev);
		/* ".\r" and more: the dot goes, the CR is data. */
		pp->state = P_LINE;
		return pop3_feed_cr(pp, ev, err);
	default:
		return pop3_feed_line(pp, p, len, i, ev, err);
	}
}

/* Feed bytes (pop3_parse.h). */
int
pop3_parser_feed(struct pop3_parser *pp, const char *p, size_t len,
    size_t *used, struct pop3_event *ev, struct error *err)
{
	size_t	 i = 0;
	int	 rc = 0;

	memset(ev, 0, sizeof *ev);
	*used = 0;
	if (pp->failed)
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "POP3 connection unusable after an earlier error");
	if (pp->held) {
		/* The last event's text lived in line: it is used now. */
		buf_reset(&pp->line);
		pp->held = false;
	}
	while (i < len && rc == 0) {
		if (pp->state == P_STATUS)
			rc = pop3_feed_status(pp, p, len, &i, ev, err);
		else
			rc = pop3_feed_data(pp, p, len, &i, ev, err);
	}
	*used = i;
	return rc;
}

/* The APOP timestamp: the first "<...>" of the greeting, if sound. */
char *
pop3_parse_timestamp(struct pop3_slice text)
{
	const char	*lt, *gt;
	size_t		 n;

	if (text.p == NULL || (lt = memchr(text.p, '<', text.len)) == NULL)
		return NULL;
	n = text.len - (size_t)(lt - text.p);
	if ((gt = memchr(lt, '>', n)) == NULL)
		return NULL;
	n = (size_t)(gt - lt) + 1;
	/* msg-id (RFC 1939 7, RFC 822): printable, no blanks, an "@". */
	if (n < 5 || n > 512 || memchr(lt, '@', n) == NULL)
		return NULL;
	for (size_t i = 1; i + 1 < n; i++) {
		if (lt[i] <= ' ' || lt[i] > '~' || lt[i] == '<')
			return NULL;
	}
	return xstrndup(lt, n);
}

/* Read a message number (1 .. UINT32_MAX) at *i. */
static int
pop3_parse_num(struct pop3_slice s, size_t *i, uint32_t *num)
{
	uint64_t	 v = 0;
	size_t		 start = *i;

	while (*i < s.len && s.p[*i] >= '0' && s.p[*i] <= '9') {
		v = v * 10 + (uint64_t)(s.p[*i] - '0');
		if (v > UINT32_MAX || *i - start >= 10)
			return -1;
		(*i)++;
	}
	if (*i == start || v == 0)
		return -1;
	*num = (uint32_t)v;
	return 0;
}

/* Skip one or more spaces at *i; -1 if there is none. */
static int
pop3_parse_sp(struct pop3_slice s, size_t *i)
{
	size_t	 start = *i;

	while (*i < s.len && (s.p[*i] == ' ' || s.p[*i] == '\t'))
		(*i)++;
	return *i == start ? -1 : 0;
}

/* A UIDL listing line. */
int
pop3_parse_uidl(struct pop3_slice s, uint32_t *num, struct pop3_slice *uidl)
{
	size_t	 i = 0, start;

	if (pop3_parse_num(s, &i, num) == -1 || pop3_parse_sp(s, &i) == -1)
		return -1;
	for (start = i; i < s.len && s.p[i] > ' ' && s.p[i] <= '~'; i++)
		;
	uidl->p = s.p + start;
	uidl->len = i - start;
	while (i < s.len && (s.p[i] == ' ' || s.p[i] == '\t'))
		i++;
	if (i != s.len || uidl->len == 0 || uidl->len > POP3_UIDL_MAX)
		return -1;
	return 0;
}

/* A LIST listing line. */
int
pop3_parse_list(struct pop3_slice s, uint32_t *num, uint64_t *size)
{
	size_t		 i = 0, start;
	uint64_t	 v = 0;

	if (pop3_parse_num(s, &i, num) == -1 || pop3_parse_sp(s, &i) == -1)
		return -1;
	for (start = i; i < s.len && s.p[i] >= '0' && s.p[i] <= '9'; i++) {
		if (i - start >= 18)
			return -1;
		v = v * 10 + (uint64_t)(s.p[i] - '0');
	}
	if (i == start)
		return -1;
	/* RFC 1939 5 allows more after the size; it is ignored. */
	if (i < s.len && s.p[i] != ' ' && s.p[i] != '\t')
		return -1;
	*size = v;
	return 0;
}

/* A CAPA line: keyword and arguments. */
int
pop3_parse_capa(struct pop3_slice s, struct pop3_slice *kw,
    struct pop3_slice *args)
{
	size_t	 i = 0;

	while (i < s.len && s.p[i] == ' ')
		i++;
	kw->p = s.p + i;
	while (i < s.len && s.p[i] != ' ' && s.p[i] != '\t')
		i++;
	kw->len = (size_t)(s.p + i - kw->p);
	while (i < s.len && (s.p[i] == ' ' || s.p[i] == '\t'))
		i++;
	args->p = s.p + i;
	args->len = s.len - i;
	return kw->len == 0 ? -1 : 0;
}

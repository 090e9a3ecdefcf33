/*
 * compose_edit.c - the file the editor works on: writing a draft out as
 * headers, a blank line and the body, and reading the user's version
 * back (the format is described in compose.h).
 *
 * The header part is RFC 5322 section 2.2 in spirit, kept small: the six
 * fields a person edits, names in any case, folded lines (a line starting
 * with a blank continues the one above; joined with one blank, the
 * section 2.2.3 unfolding without the run of blanks), LF or CRLF line
 * ends.  Everything else is an error naming the line, so a typo in a
 * header never slips into the body, and a body that lost its blank line
 * does not turn into headers.  Header values may be UTF-8 (the builder
 * encodes them); the text is checked to be UTF-8 everywhere.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compose/compose.h"
#include "compose/compose_int.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

/* One header of the editor file. */
struct compose_edit_field {
	const char	*name;
	size_t		 off;		/* of the char * in the draft */
	bool		 list;		/* an address list: repeats join */
};

static const struct compose_edit_field compose_edit_fields[] = {
	{ "From", offsetof(struct compose_draft, from), false },
	{ "To", offsetof(struct compose_draft, to), true },
	{ "Cc", offsetof(struct compose_draft, cc), true },
	{ "Bcc", offsetof(struct compose_draft, bcc), true },
	{ "Reply-To", offsetof(struct compose_draft, reply_to), true },
	{ "Subject", offsetof(struct compose_draft, subject), false }
};
#define COMPOSE_EDIT_NFIELDS \
	(sizeof compose_edit_fields / sizeof compose_edit_fields[0])

/* What the parser has read so far. */
struct compose_edit_state {
	struct buf	 val[COMPOSE_EDIT_NFIELDS];
	bool		 seen[COMPOSE_EDIT_NFIELDS];
	int		 cur;		/* field of the last header, or -1 */
	size_t		 line;		/* 1-based number of the line */
};

/* The field slot i of a draft. */
static char **
compose_edit_slot(struct compose_draft *d, size_t i)
{
	return (char **)(void *)((char *)d + compose_edit_fields[i].off);
}

/* The field slot i of a draft, read-only. */
static const char *
compose_edit_get(const struct compose_draft *d, size_t i)
{
	return *(char *const *)(const void *)((const char *)d +
	    compose_edit_fields[i].off);
}

/* Whether a line holds only blanks (the blank line, whatever the editor
 * left on it). */
static bool
compose_edit_blank(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	}
	return true;
}

/* Write the draft as the editor file (see compose.h). */
char *
compose_edit_format(const struct compose_draft *d)
{
	struct buf	 b = BUF_INITIALIZER(0);
	const char	*v;
	size_t		 i;

	for (i = 0; i < COMPOSE_EDIT_NFIELDS; i++) {
		v = compose_edit_get(d, i);
		buf_printf(&b, "%s: ", compose_edit_fields[i].name);
		for (; v != NULL && *v != '\0'; v++)
			buf_addc(&b, *v == '\n' || *v == '\r' ? ' ' : *v);
		buf_addc(&b, '\n');
	}
	buf_addc(&b, '\n');
	if (d->body != NULL)
		buf_adds(&b, d->body);
	return buf_take(&b);
}

/* Check one line's bytes: UTF-8, and in a header no control character
 * but TAB.  NULL, or why not. */
static const char *
compose_edit_check(const char *s, size_t n, bool header)
{
	size_t		i = 0, k;
	uint32_t	cp;

	while (i < n) {
		k = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (cp == UTF8_BAD)
			return "not valid UTF-8";
		if (cp == 0)
			return "a NUL byte";
		if (header && ((cp < 0x20 && cp != '\t') ||
		    (cp >= 0x7f && cp <= 0x9f)))
			return "a control character in a header";
		i += k;
	}
	return NULL;
}

/* Append s (blanks trimmed) to a value; between two parts, sep. */
static void
compose_edit_append(struct buf *v, const char *s, size_t n, const char *sep)
{
	size_t	i;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	if (n == 0)
		return;
	if (v->len > 0)
		buf_adds(v, sep);
	for (i = 0; i < n; i++)
		buf_addc(v, s[i] == '\t' ? ' ' : s[i]);
}

/* Read one header line "Name: value" into st. */
static int
compose_edit_header(struct compose_edit_state *st, const char *s, size_t n,
    struct error *err)
{
	const struct compose_edit_field	*f;
	const char			*colon;
	size_t				 i, nlen;

	colon = memchr(s, ':', n);
	nlen = colon != NULL ? (size_t)(colon - s) : 0;
	while (nlen > 0 && (s[nlen - 1] == ' ' || s[nlen - 1] == '\t'))
		nlen--;
	for (i = 0; i < nlen; i++) {
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			break;
	}
	if (nlen == 0 || i < nlen)
		return error_set(err, ERR_PARSE, ERR_SCOPE_OP, "line %zu: "
		    "not a header (a blank line must come between the "
		    "headers and the body)", st->line);
	for (i = 0; i < COMPOSE_EDIT_NFIELDS; i++) {
		f = &compose_edit_fields[i];
		if (strlen(f->name) == nlen &&
		    strncasecmp(f->name, s, nlen) == 0)
			break;
	}
	if (i == COMPOSE_EDIT_NFIELDS)
		return error_set(err, ERR_PARSE, ERR_SCOPE_OP, "line %zu: "
		    "unknown header \"%.*s\" (the headers are From, To, Cc, "
		    "Bcc, Reply-To and Subject)", st->line,
		    (int)(nlen > 64 ? 64 : nlen), s);
	if (st->seen[i] && !compose_edit_fields[i].list)
		return error_set(err, ERR_PARSE, ERR_SCOPE_OP, "line %zu: a "
		    "second %s: header", st->line, compose_edit_fields[i].name);
	st->seen[i] = true;
	st->cur = (int)i;
	compose_edit_append(&st->val[i], colon + 1, n - (size_t)(colon - s) - 1,
	    ", ");
	return 0;
}

/* Read the header part; *pos is set to the start of the body.  Returns 0,
 * or -1 with err. */
static int
compose_edit_headers(struct compose_edit_state *st, const char *text,
    size_t len, size_t *pos, struct error *err)
{
	const char	*nl, *why;
	size_t		 eol, n;

	for (*pos = 0, st->line = 1; *pos < len; st->line++) {
		nl = memchr(text + *pos, '\n', len - *pos);
		eol = nl != NULL ? (size_t)(nl - text) : len;
		n = eol - *pos;
		if (n > 0 && text[*pos + n - 1] == '\r')
			n--;
		if ((why = compose_edit_check(text + *pos, n, true)) != NULL)
			return error_set(err, ERR_PARSE, ERR_SCOPE_OP,
			    "line %zu: %s", st->line, why);
		if (compose_edit_blank(text + *pos, n)) {
			*pos = eol < len ? eol + 1 : len;
			st->line++;
			return 0;
		}
		if (text[*pos] == ' ' || text[*pos] == '\t') {
			if (st->cur == -1)
				return error_set(err, ERR_PARSE, ERR_SCOPE_OP,
				    "line %zu: a continued line with no "
				    "header above", st->line);
			compose_edit_append(&st->val[st->cur], text + *pos, n,
			    " ");
		} else if (compose_edit_header(st, text + *pos, n, err) == -1)
			return -1;
		if (st->cur != -1 && st->val[st->cur].too_big)
			return error_set(err, ERR_TOOBIG, ERR_SCOPE_OP,
			    "line %zu: the %s: header is too long", st->line,
			    compose_edit_fields[st->cur].name);
		*pos = eol < len ? eol + 1 : len;
	}
	return 0;
}

/* The body from text[pos]: CRLF (and CRs before an LF) read as LF, each
 * line checked. */
static char *
compose_edit_body(struct compose_edit_state *st, const char *text,
    size_t len, size_t pos, struct error *err)
{
	struct buf	 b = BUF_INITIALIZER(0);
	const char	*nl, *why;
	size_t		 eol, n;

	buf_adds(&b, "");
	for (; pos < len; st->line++) {
		nl = memchr(text + pos, '\n', len - pos);
		eol = nl != NULL ? (size_t)(nl - text) : len;
		n = eol - pos;
		/* All of "\r\r\n": written back, it must read the same. */
		while (nl != NULL && n > 0 && text[pos + n - 1] == '\r')
			n--;
		if ((why = compose_edit_check(text + pos, n, false)) != NULL) {
			buf_fini(&b);
			error_set(err, ERR_PARSE, ERR_SCOPE_OP, "line %zu: %s",
			    st->line, why);
			return NULL;
		}
		buf_add(&b, text + pos, n);
		if (nl != NULL)
			buf_addc(&b, '\n');
		pos = eol < len ? eol + 1 : len;
	}
	return buf_take(&b);
}

/* Read the editor file back into d (see compose.h). */
int
compose_edit_parse(struct compose_draft *d, const char *text, size_t len,
    struct error *err)
{
	struct compose_edit_state	 st;
	char				*body = NULL, **slot;
	size_t				 i, pos;
	int				 rc = -1;

	memset(&st, 0, sizeof st);
	st.cur = -1;
	for (i = 0; i < COMPOSE_EDIT_NFIELDS; i++)
		buf_init(&st.val[i], COMPOSE_LINE_MAX);
	if (len > COMPOSE_EDIT_MAX) {
		error_set(err, ERR_TOOBIG, ERR_SCOPE_OP, "the message is too "
		    "large (%zu bytes, at most %u)", len, COMPOSE_EDIT_MAX);
		goto out;
	}
	if (compose_edit_headers(&st, text, len, &pos, err) == -1 ||
	    (body = compose_edit_body(&st, text, len, pos, err)) == NULL)
		goto out;
	for (i = 0; i < COMPOSE_EDIT_NFIELDS; i++) {
		slot = compose_edit_slot(d, i);
		free(*slot);
		*slot = st.val[i].len > 0 ? buf_take(&st.val[i]) : NULL;
	}
	free(d->body);
	d->body = body;
	rc = 0;
out:
	for (i = 0; i < COMPOSE_EDIT_NFIELDS; i++)
		buf_fini(&st.val[i]);
	return rc;
}

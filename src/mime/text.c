/*
 * text.c - what the pager shows of a message: decoded headers and the text
 * of one chosen part (RFC 2045, RFC 2046 section 5.1, RFC 2049).
 *
 * The walk goes through multiparts (RFC 2046 section 5.1.1 delimiters) and
 * message/rfc822 parts, at most MIME_DEPTH_MAX deep and MIME_PARTS_MAX parts
 * in all, and picks the first inline text/plain part, else the first inline
 * text/html (rendered by html.c), else the same among the last-resort
 * parts (marked "Content-Disposition: attachment", blank, or text/ of
 * another subtype, shown as plain), else writes a short note.  A multipart
 * without a boundary or without any delimiter line in its body counts as
 * such a last-resort text/plain: showing the raw text beats hiding it.  Parts of
 * multipart/digest default to message/rfc822 (section 5.1.5).  An unknown
 * Content-Transfer-Encoding is left undone (RFC 2045 section 6.4).  The body
 * is UTF-8 with CRLF turned into LF; it is never NULL and never fails, and
 * a body cut at MIME_BODY_MAX ends in a note saying so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime/mime.h"
#include "mime/mime_int.h"
#include "util/xmalloc.h"

/* Candidates, in order of preference. */
enum mime_pick {
	MIME_PICK_PLAIN,
	MIME_PICK_HTML,
	MIME_PICK_PLAIN_ATTACHED,	/* or blank, other text, no parts */
	MIME_PICK_HTML_ATTACHED,
	MIME_PICK_COUNT
};

/* One part: its header block and body, inside the message. */
struct mime_part {
	const char	*hdr;
	size_t		 hlen;
	const char	*body;
	size_t		 blen;
	bool		 set;
};

/* The state of one walk over a message. */
struct mime_walk {
	struct mime_part pick[MIME_PICK_COUNT];
	size_t		 parts;		/* parts seen, all depths */
	char		 top[100];	/* the outermost type, for the note */
	size_t		 top_parts;	/* its direct children */
};

static void	mime_walk_entity(struct mime_walk *, const char *, size_t,
		    int, bool);

/* The unfolded value of a field in a part's header block, or NULL. */
static char *
mime_part_header(const char *hdr, size_t hlen, const char *name)
{
	const char	*val;
	size_t		 vlen;

	if (!mime_header_find(hdr, hlen, name, &val, &vlen))
		return NULL;
	return mime_header_unfold(val, vlen);
}

/* Whether the part's Content-Disposition is "attachment". */
static bool
mime_part_attached(const char *hdr, size_t hlen)
{
	char	*v;
	bool	 att;

	if ((v = mime_part_header(hdr, hlen, "Content-Disposition")) == NULL)
		return false;
	att = strncasecmp(v, "attachment", 10) == 0;
	free(v);
	return att;
}

/* Find the end of the line at off: returns where the next line starts and
 * sets *eol to the end of the line's text (before CRLF or LF). */
static size_t
mime_walk_line(const char *s, size_t len, size_t off, size_t *eol)
{
	const char	*nl;
	size_t		 e;

	nl = memchr(s + off, '\n', len - off);
	e = nl != NULL ? (size_t)(nl - s) : len;
	*eol = e > off && s[e - 1] == '\r' ? e - 1 : e;
	return nl != NULL ? e + 1 : len;
}

/* Whether s[off, eol) is a delimiter line for boundary b: 0 no, 1 a
 * delimiter, 2 the close delimiter.  Only blanks may follow. */
static int
mime_walk_delim(const char *s, size_t off, size_t eol, const char *b,
    size_t blen)
{
	size_t	i = off + 2 + blen;
	int	kind = 1;

	if (eol - off < 2 + blen || s[off] != '-' || s[off + 1] != '-' ||
	    memcmp(s + off + 2, b, blen) != 0)
		return 0;
	if (i + 2 <= eol && s[i] == '-' && s[i + 1] == '-') {
		kind = 2;
		i += 2;
	}
	for (; i < eol; i++) {
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	}
	return kind;
}

/* Walk one part [start, end) whose delimiter line begins at end. */
static void
mime_walk_part(struct mime_walk *w, const char *s, size_t start, size_t end,
    int depth, bool digest)
{
	/* The line break before a delimiter belongs to the delimiter. */
	if (end > start && s[end - 1] == '\n')
		end--;
	if (end > start && s[end - 1] == '\r')
		end--;
	mime_walk_entity(w, s + start, end - start, depth + 1, digest);
}

/* Split a multipart body on its boundary and walk the parts; returns the
 * number of parts, or -1 if no delimiter line was found. */
static int
mime_walk_multipart(struct mime_walk *w, const char *s, size_t len,
    const char *b, int depth, bool digest)
{
	size_t	off = 0, next, eol, start = 0, blen = strlen(b);
	int	kind, n = -1;

	while (off < len) {
		next = mime_walk_line(s, len, off, &eol);
		kind = mime_walk_delim(s, off, eol, b, blen);
		if (kind != 0) {
			if (n >= 0)
				mime_walk_part(w, s, start, off, depth, digest);
			n++;
			if (kind == 2)
				return n;
			start = next;
		}
		if (w->pick[MIME_PICK_PLAIN].set || w->parts >= MIME_PARTS_MAX)
			return n;
		off = next;
	}
	if (n >= 0) {
		mime_walk_part(w, s, start, len, depth, digest);
		n++;
	}
	return n;
}

/* Whether the bytes are only blanks and line breaks. */
static bool
mime_walk_blank(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	}
	return true;
}

/* Remember a text part in the first free slot of its kind.  Attachments,
 * blank parts, multiparts that had no parts and text subtypes other than
 * plain and html (shown as plain, RFC 2046 section 4.1.4) go to the
 * last-resort slots. */
static void
mime_walk_leaf(struct mime_walk *w, const struct mime_ctype *ct,
    const struct mime_part *p, bool fallback)
{
	int	k;

	if (strcmp(ct->type, "text") != 0)
		return;
	if (strcmp(ct->subtype, "html") == 0)
		k = MIME_PICK_HTML;
	else {
		k = MIME_PICK_PLAIN;
		if (strcmp(ct->subtype, "plain") != 0)
			fallback = true;
	}
	if (fallback || mime_walk_blank(p->body, p->blen) ||
	    mime_part_attached(p->hdr, p->hlen))
		k += MIME_PICK_PLAIN_ATTACHED;
	if (!w->pick[k].set)
		w->pick[k] = *p;
}

/* Walk one entity (a message or a part): recurse into multiparts and
 * message/rfc822, remember text leaves. */
static void
mime_walk_entity(struct mime_walk *w, const char *s, size_t len, int depth,
    bool digest)
{
	struct mime_part	 p;
	struct mime_ctype	 ct;
	char			*v, *b = NULL;
	size_t			 boff;
	int			 n = -1;
	bool			 partless = false;

	if (w->parts++ >= MIME_PARTS_MAX)
		return;
	memset(&p, 0, sizeof p);
	p.hdr = s;
	p.hlen = mime_header_end(s, len, &boff);
	p.body = s + boff;
	p.blen = len - boff;
	p.set = true;
	if ((v = mime_part_header(p.hdr, p.hlen, "Content-Type")) != NULL)
		mime_ctype_parse(v, strlen(v), &ct);
	else if (digest) {
		memcpy(ct.type, "message", 8);
		memcpy(ct.subtype, "rfc822", 7);
	} else
		mime_ctype_parse("", 0, &ct);
	if (depth == 0)
		snprintf(w->top, sizeof w->top, "%s/%s", ct.type, ct.subtype);
	if (strcmp(ct.type, "multipart") == 0 && depth < MIME_DEPTH_MAX &&
	    v != NULL && (b = mime_param_get(v, strlen(v), "boundary")) != NULL &&
	    b[0] != '\0')
		n = mime_walk_multipart(w, p.body, p.blen, b,
		    depth, strcmp(ct.subtype, "digest") == 0);
	if (depth == 0 && n >= 0)
		w->top_parts = (size_t)n;
	if (n < 0 && strcmp(ct.type, "multipart") == 0) {
		mime_ctype_parse("", 0, &ct);	/* no parts: show it */
		partless = true;
	}
	if (strcmp(ct.type, "message") == 0 &&
	    (strcmp(ct.subtype, "rfc822") == 0 ||
	    strcmp(ct.subtype, "global") == 0) && depth < MIME_DEPTH_MAX)
		mime_walk_entity(w, p.body, p.blen, depth + 1, false);
	else if (n < 0)
		mime_walk_leaf(w, &ct, &p, partless);
	free(b);
	free(v);
}

/* Undo the part's Content-Transfer-Encoding into dec; returns the bytes to
 * read from (dec's, or the body itself when there is nothing to undo). */
static const char *
mime_text_cte(const struct mime_part *p, struct buf *dec, size_t *len)
{
	char		*cte;
	const char	*src = p->body;
	size_t		 i;

	*len = p->blen;
	if ((cte = mime_part_header(p->hdr, p->hlen,
	    "Content-Transfer-Encoding")) == NULL)
		return src;
	for (i = 0; cte[i] != '\0' && cte[i] != ' ' && cte[i] != '\t' &&
	    cte[i] != '(' && cte[i] != ';'; i++)
		;
	cte[i] = '\0';
	if (strcasecmp(cte, "base64") == 0)
		mime_base64_decode(p->body, p->blen, dec);
	else if (strcasecmp(cte, "quoted-printable") == 0)
		mime_qp_decode(p->body, p->blen, dec);
	else {
		free(cte);
		return src;
	}
	free(cte);
	*len = dec->len;
	return buf_str(dec);
}

/* Turn CRLF into LF in place; returns the new length. */
static size_t
mime_text_lf(char *s, size_t len)
{
	size_t	i, n = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
			continue;
		s[n++] = s[i];
	}
	s[n] = '\0';
	return n;
}

/* Decode the chosen part into out: transfer encoding, charset, HTML. */
static void
mime_text_body(const struct mime_part *p, bool html, struct buf *out)
{
	struct buf	 dec = BUF_INITIALIZER(MIME_BODY_MAX);
	struct buf	 txt = BUF_INITIALIZER(MIME_BODY_MAX);
	const char	*src;
	char		*ct, *cs = NULL;
	size_t		 len;
	bool		 cut;

	src = mime_text_cte(p, &dec, &len);
	if ((ct = mime_part_header(p->hdr, p->hlen, "Content-Type")) != NULL)
		cs = mime_param_get(ct, strlen(ct), "charset");
	if (cs != NULL && cs[0] == '\0') {
		free(cs);
		cs = NULL;
	}
	if (len > MIME_BODY_MAX) {
		len = MIME_BODY_MAX;
		dec.too_big = true;
	}
	mime_charset_to_utf8(cs, src, len, &txt);
	cut = dec.too_big || txt.too_big;
	buf_fini(&dec);
	if (html)
		mime_html_to_text(buf_str(&txt), txt.len, out);
	else
		buf_add(out, buf_str(&txt), txt.len);
	buf_fini(&txt);
	if (out->len > 0)
		out->len = mime_text_lf(out->data, out->len);
	if (cut || out->too_big) {
		/* The short note may pass the maximum: it must be seen. */
		out->too_big = false;
		out->max = 0;
		buf_adds(out, "\n[message truncated]\n");
	}
	free(cs);
	free(ct);
}

/* The decoded value of a message header, or NULL. */
static char *
mime_text_header(const char *msg, size_t len, const char *name)
{
	char	*raw, *v;

	if ((raw = mime_header_get(msg, len, name)) == NULL)
		return NULL;
	v = mime_rfc2047_decode(raw, strlen(raw));
	free(raw);
	return v;
}

/* Pick and decode the text of a message for the pager; never fails. */
void
mime_text_extract(const char *msg, size_t len, struct mime_text *mt)
{
	struct mime_walk	 w;
	struct buf		 out = BUF_INITIALIZER(MIME_BODY_MAX);
	int			 k;

	memset(mt, 0, sizeof *mt);
	if (msg == NULL)
		len = 0;
	if (msg == NULL)
		msg = "";
	mt->from = mime_text_header(msg, len, "From");
	mt->to = mime_text_header(msg, len, "To");
	mt->cc = mime_text_header(msg, len, "Cc");
	mt->date = mime_text_header(msg, len, "Date");
	mt->subject = mime_text_header(msg, len, "Subject");

	memset(&w, 0, sizeof w);
	mime_walk_entity(&w, msg, len, 0, false);
	for (k = 0; k < MIME_PICK_COUNT; k++) {
		if (w.pick[k].set)
			break;
	}
	if (k < MIME_PICK_COUNT)
		mime_text_body(&w.pick[k], k == MIME_PICK_HTML ||
		    k == MIME_PICK_HTML_ATTACHED, &out);
	else if (strncmp(w.top, "multipart/", 10) == 0)
		buf_printf(&out, "[no text part: %s with %zu part%s]", w.top,
		    w.top_parts, w.top_parts == 1 ? "" : "s");
	else
		buf_printf(&out, "[no text part: %s]", w.top);
	mt->body_len = out.len;
	mt->body = buf_take(&out);
}

/* Free what mime_text_extract filled in. */
void
mime_text_fini(struct mime_text *mt)
{
	free(mt->from);
	free(mt->to);
	free(mt->cc);
	free(mt->date);
	free(mt->subject);
	free(mt->body);
	memset(mt, 0, sizeof *mt);
}

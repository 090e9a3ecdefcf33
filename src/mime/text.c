/*
 * text.c - what the pager shows of a message: decoded headers and the text
 * of one chosen part (RFC 2045, RFC 2046 section 5.1, RFC 2049).
 *
 * The parts come from the part tree (part.c: multipart delimiters,
 * message/rfc822, depth and part caps).  The choice is the first inline
 * text/plain leaf, else the first inline text/html (rendered by html.c),
 * else the same among the last-resort parts (marked "Content-Disposition:
 * attachment", blank, or text/ of another subtype, shown as plain), else a
 * short note.  A multipart the tree could not split (no boundary, no
 * delimiter line, too deep) counts as such a last-resort text/plain:
 * showing the raw text beats hiding it.  An unknown
 * Content-Transfer-Encoding is left undone (RFC 2045 section 6.4).  The
 * body is UTF-8 with CRLF turned into LF; it is never NULL and never
 * fails, and a body cut at MIME_BODY_MAX ends in a note saying so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "mime/mime_int.h"
#include "mime/part.h"

/* Candidates, in order of preference. */
enum mime_pick {
	MIME_PICK_PLAIN,
	MIME_PICK_HTML,
	MIME_PICK_PLAIN_ATTACHED,	/* or blank, other text, no parts */
	MIME_PICK_HTML_ATTACHED,
	MIME_PICK_COUNT
};

/* Whether the bytes are only blanks and line breaks. */
static bool
mime_text_blank(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	}
	return true;
}

/* The candidate slot of a leaf, or -1 if it is no text.  Attachments,
 * blank parts, multiparts that had no parts and text subtypes other than
 * plain and html (shown as plain, RFC 2046 section 4.1.4) go to the
 * last-resort slots. */
static int
mime_text_slot(const struct mime_part *p)
{
	bool	fallback = false;
	int	k;

	if (p->kind != MIME_PART_LEAF)
		return -1;
	if (strcmp(p->type, "multipart") == 0)
		return MIME_PICK_PLAIN_ATTACHED;
	if (strcmp(p->type, "text") != 0)
		return -1;
	if (strcmp(p->subtype, "html") == 0)
		k = MIME_PICK_HTML;
	else {
		k = MIME_PICK_PLAIN;
		if (strcmp(p->subtype, "plain") != 0)
			fallback = true;
	}
	if (fallback || mime_text_blank(p->body, p->blen) ||
	    strcmp(p->disposition, "attachment") == 0)
		k += MIME_PICK_PLAIN_ATTACHED;
	return k;
}

/* Undo the part's transfer encoding into dec; returns the bytes to read
 * from (dec's, or the body itself when there is nothing to undo). */
static const char *
mime_text_cte(const struct mime_part *p, struct buf *dec, size_t *len)
{
	if (p->cte != MIME_CTE_BASE64 && p->cte != MIME_CTE_QP) {
		*len = p->blen;
		return p->body;
	}
	mime_part_decode(p, dec);
	*len = dec->len;
	return buf_str(dec);
}

/* The charset parameter of a part, or NULL if none or empty. */
static char *
mime_text_charset(const struct mime_part *p)
{
	const char	*val;
	char		*ct, *cs = NULL;
	size_t		 vlen;

	if (!mime_header_find(p->hdr, p->hlen, "Content-Type", &val, &vlen))
		return NULL;
	ct = mime_header_unfold(val, vlen);
	cs = mime_param_get(ct, strlen(ct), "charset");
	free(ct);
	if (cs != NULL && cs[0] == '\0') {
		free(cs);
		cs = NULL;
	}
	return cs;
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
	char		*cs;
	size_t		 len;
	bool		 cut;

	src = mime_text_cte(p, &dec, &len);
	cs = mime_text_charset(p);
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

/* The part the pager shows, or MIME_PART_NONE. */
size_t
mime_tree_text_part(const struct mime_tree *t, bool *html)
{
	size_t	pick[MIME_PICK_COUNT], i;
	int	k;

	for (k = 0; k < MIME_PICK_COUNT; k++)
		pick[k] = MIME_PART_NONE;
	for (i = 0; i < t->n; i++) {
		if ((k = mime_text_slot(&t->v[i])) >= 0 &&
		    pick[k] == MIME_PART_NONE)
			pick[k] = i;
	}
	*html = false;
	for (k = 0; k < MIME_PICK_COUNT; k++) {
		if (pick[k] != MIME_PART_NONE) {
			*html = k == MIME_PICK_HTML ||
			    k == MIME_PICK_HTML_ATTACHED;
			return pick[k];
		}
	}
	return MIME_PART_NONE;
}

/* Decode the text part of a parsed message into out, or write the note
 * saying there is none. */
static void
mime_text_pick(const struct mime_tree *t, struct buf *out)
{
	const struct mime_part	*root = &t->v[0];
	size_t			 i;
	bool			 html;

	if ((i = mime_tree_text_part(t, &html)) != MIME_PART_NONE)
		mime_text_body(&t->v[i], html, out);
	else if (root->kind == MIME_PART_MULTIPART)
		buf_printf(out, "[no text part: %s/%s with %zu part%s]",
		    root->type, root->subtype, root->nchild,
		    root->nchild == 1 ? "" : "s");
	else
		buf_printf(out, "[no text part: %s/%s]", root->type,
		    root->subtype);
}

/* Pick and decode the text of a message for the pager; never fails. */
void
mime_text_extract(const char *msg, size_t len, struct mime_text *mt)
{
	struct mime_tree	 t;
	struct buf		 out = BUF_INITIALIZER(MIME_BODY_MAX);

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

	mime_tree_parse(msg, len, &t);
	mime_text_pick(&t, &out);
	mime_tree_fini(&t);
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

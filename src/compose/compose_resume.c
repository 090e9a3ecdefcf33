/*
 * compose_resume.c - resuming a postponed draft: a message that petrel
 * (mime_build) or another client (mutt, Thunderbird) saved unsent, read
 * back into a compose_draft.
 *
 * Headers: From, To, Cc, Bcc (a draft keeps it, RFC 5322 section
 * 3.6.3), Reply-To are read with mime_address_list_parse and written
 * back as compose_reply.c writes lists (groups flattened, members
 * without an address dropped, so "undisclosed-recipients:;" goes);
 * Subject is RFC 2047-decoded; In-Reply-To and References are their
 * msg-ids (section 3.6.4).  Everything is a clean line.
 *
 * Which part is the text, from the part tree (mime/part.h):
 * - a single part: a text/ part is the body, any other part is one
 *   attachment and the body is empty;
 * - a multipart/alternative (RFC 2046 section 5.1.4) or
 *   multipart/related (RFC 2387), as an HTML client saves: the body is
 *   taken from it and the rest (the HTML, its inline images) dropped,
 *   since the composer writes plain text only;
 * - any other multipart (mixed, section 5.1.3): its first part is the
 *   body's when it is text not marked as an attachment (no filename,
 *   disposition not "attachment", RFC 2183) or an alternative/related;
 *   every other leaf under it, at any depth, is an attachment, and a
 *   message/rfc822 part is one attachment (is_message) whatever it
 *   holds (section 5.2.1).
 * Within the body's part (never inside an encapsulated message) the
 * text is the first text/plain not marked as an attachment, else the
 * first text/html, else the first other text.  It is decoded as the
 * pager decodes it (mime_text_extract on that part alone: transfer
 * encoding, charset to UTF-8, CRLF to LF, HTML rendered), un-flowed when
 * the part says format=flowed (RFC 3676 sections 4.2, 4.4, 4.5;
 * delsp=yes honoured), and cleaned of control characters but LF and TAB.
 *
 * A part with neither header fields nor body (what a missing close
 * delimiter leaves behind) is nothing.  Attachments keep their decoded
 * bytes (mime_part_decode), their filename (RFC 2231/2047-decoded by the
 * part tree; control characters made "_", then named as
 * compose_attach_file names a file: the last path component, none for
 * "." or ".."), their type (application/octet-stream when it is no valid
 * type) and, for text/, their charset.  Nothing here writes into the
 * draft's bytes; all is bounded by the part tree's caps and the maxima
 * in compose.h.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compose/compose.h"
#include "compose/compose_int.h"
#include "mime/address.h"
#include "mime/mime.h"
#include "mime/part.h"
#include "util/buf.h"
#include "util/sanitize.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

/* Longest parameter value looked at (format=, delsp=). */
#define COMPOSE_PARAM_MAX	16

/* Where the text of a leaf ranks when picking the body (lower first). */
enum compose_pick {
	COMPOSE_PICK_PLAIN,
	COMPOSE_PICK_HTML,
	COMPOSE_PICK_OTHER,
	COMPOSE_PICK_COUNT
};

/* An address header of the draft as a list, or NULL. */
static char *
compose_resume_list(const char *orig, size_t len, const char *name)
{
	struct mime_address_list	 l;
	char				*raw, *s;

	if ((raw = mime_header_get(orig, len, name)) == NULL)
		return NULL;
	mime_address_list_parse(raw, strlen(raw), &l);
	s = compose_list_line(&l);
	mime_address_list_fini(&l);
	free(raw);
	return s;
}

/* Read the header fields of the draft into d (From replaced only when
 * the draft has one). */
static void
compose_resume_headers(struct compose_draft *d, const char *orig, size_t len)
{
	char	*from;

	if ((from = compose_resume_list(orig, len, "From")) != NULL) {
		free(d->from);
		d->from = from;
	}
	d->to = compose_resume_list(orig, len, "To");
	d->cc = compose_resume_list(orig, len, "Cc");
	d->bcc = compose_resume_list(orig, len, "Bcc");
	d->reply_to = compose_resume_list(orig, len, "Reply-To");
	d->subject = compose_header(orig, len, "Subject");
	d->in_reply_to = compose_ids(orig, len, "In-Reply-To");
	d->references = compose_ids(orig, len, "References");
}

/* Whether j is top or lies under it, and not inside a message/rfc822
 * part (top included; j itself may be one). */
static bool
compose_resume_under(const struct mime_tree *t, size_t j, size_t top)
{
	size_t	p;

	for (p = j; p != MIME_PART_NONE && p < t->n; p = t->v[p].parent) {
		if (p != j && t->v[p].kind == MIME_PART_MESSAGE)
			return false;
		if (p == top)
			return true;
	}
	return false;
}

/* Whether a part holds text: a text/ leaf, or a multipart the tree
 * could not split (its raw text is all there is). */
static bool
compose_resume_textual(const struct mime_part *p)
{
	return p->kind == MIME_PART_LEAF && (strcmp(p->type, "text") == 0 ||
	    strcmp(p->type, "multipart") == 0);
}

/* Whether a part is marked as an attachment (RFC 2183). */
static bool
compose_resume_attached(const struct mime_part *p)
{
	return p->filename != NULL ||
	    strcmp(p->disposition, "attachment") == 0;
}

/* Whether a multipart holds one body in several forms. */
static bool
compose_resume_container(const struct mime_part *p)
{
	return p->kind == MIME_PART_MULTIPART &&
	    (strcmp(p->subtype, "alternative") == 0 ||
	    strcmp(p->subtype, "related") == 0);
}

/* The part the body comes from (its subtree), or MIME_PART_NONE when
 * every part is an attachment. */
static size_t
compose_resume_text_top(const struct mime_tree *t)
{
	const struct mime_part	*r = &t->v[0], *c;

	if (r->kind == MIME_PART_LEAF)
		return compose_resume_textual(r) ? 0 : MIME_PART_NONE;
	if (r->kind != MIME_PART_MULTIPART || r->nchild == 0 || t->n < 2)
		return MIME_PART_NONE;
	if (compose_resume_container(r))
		return 0;
	c = &t->v[1];		/* the first child follows its parent */
	if (compose_resume_container(c) || (compose_resume_textual(c) &&
	    !compose_resume_attached(c)))
		return 1;
	return MIME_PART_NONE;
}

/* The text leaf under top (see the file comment), or MIME_PART_NONE. */
static size_t
compose_resume_text_leaf(const struct mime_tree *t, size_t top)
{
	const struct mime_part	*p;
	size_t			 pick[COMPOSE_PICK_COUNT], j;
	int			 k;

	for (k = 0; k < COMPOSE_PICK_COUNT; k++)
		pick[k] = MIME_PART_NONE;
	for (j = top; j < t->n; j++) {
		p = &t->v[j];
		if (!compose_resume_textual(p) ||
		    !compose_resume_under(t, j, top))
			continue;
		if (strcmp(p->subtype, "plain") == 0 &&
		    !compose_resume_attached(p))
			k = COMPOSE_PICK_PLAIN;
		else if (strcmp(p->subtype, "html") == 0)
			k = COMPOSE_PICK_HTML;
		else
			k = COMPOSE_PICK_OTHER;
		if (pick[k] == MIME_PART_NONE)
			pick[k] = j;
	}
	for (k = 0; k < COMPOSE_PICK_COUNT; k++) {
		if (pick[k] != MIME_PART_NONE)
			return pick[k];
	}
	return MIME_PART_NONE;
}

/* Copy the value of parameter name of a Content-Type value into val
 * (lower-cased; "" when absent or too long).  Enough for format= and
 * delsp=, which are short tokens (RFC 3676 section 4.1). */
static void
compose_resume_param(const char *ct, const char *name, char *val,
    size_t size)
{
	const char	*s = ct, *a;
	size_t		 n, nlen = strlen(name), k;
	bool		 quoted;

	val[0] = '\0';
	while ((s = strchr(s, ';')) != NULL) {
		for (s++; *s == ' ' || *s == '\t'; s++)
			;
		for (a = s; *s != '\0' && *s != '=' && *s != ';' &&
		    *s != ' ' && *s != '\t'; s++)
			;
		n = (size_t)(s - a);
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s != '=' || n != nlen || strncasecmp(a, name, n) != 0)
			continue;
		for (s++; *s == ' ' || *s == '\t'; s++)
			;
		if ((quoted = *s == '"'))
			s++;
		for (k = 0; *s != '\0' && (quoted ? *s != '"' : *s != ';' &&
		    *s != ' ' && *s != '\t'); s++) {
			if (k + 1 >= size)
				k = size;	/* too long: no known value */
			else
				val[k++] = (char)(*s >= 'A' && *s <= 'Z' ?
				    *s - 'A' + 'a' : *s);
		}
		val[k < size ? k : 0] = '\0';
		return;
	}
}

/* Whether the part is format=flowed; *delsp set for delsp=yes. */
static bool
compose_resume_flowed(const struct mime_part *p, bool *delsp)
{
	char	*ct, v[COMPOSE_PARAM_MAX];
	bool	 flowed;

	*delsp = false;
	if (p->hlen == 0 || strcmp(p->type, "text") != 0 ||
	    (ct = mime_header_get(p->hdr, p->hlen, "Content-Type")) == NULL)
		return false;
	compose_resume_param(ct, "format", v, sizeof v);
	flowed = strcmp(v, "flowed") == 0;
	compose_resume_param(ct, "delsp", v, sizeof v);
	*delsp = strcmp(v, "yes") == 0;
	free(ct);
	return flowed;
}

/*
 * Un-flow text (LF line ends, RFC 3676 section 4.2): a line ending in a
 * space (but "-- ", section 4.3) joins the next one of the same quote
 * depth (section 4.5), its trailing space dropped when delsp; one
 * stuffed space (section 4.4) goes from each line; a quoted paragraph
 * is written back as its quote marks, a space and the text.
 */
void
compose_unflow(const char *s, size_t len, bool delsp, struct buf *out)
{
	const char	*l, *nl;
	size_t		 i = 0, n, depth, k, para_depth = 0;
	bool		 open = false, flowed;

	while (i < len) {
		nl = memchr(s + i, '\n', len - i);
		n = (nl != NULL ? (size_t)(nl - s) : len) - i;
		l = s + i;
		i += n + 1;
		for (depth = 0; depth < n && l[depth] == '>'; depth++)
			;
		l += depth;
		n -= depth;
		if (n > 0 && l[0] == ' ') {
			l++;
			n--;
		}
		flowed = n > 0 && l[n - 1] == ' ' &&
		    !(n == 3 && memcmp(l, "-- ", 3) == 0);
		if (open && depth != para_depth) {
			buf_addc(out, '\n');	/* improperly flowed */
			open = false;
		}
		if (!open) {
			for (k = 0; k < depth; k++)
				buf_addc(out, '>');
			if (depth > 0 && n > 0)
				buf_addc(out, ' ');
			para_depth = depth;
		}
		buf_add(out, l, flowed && delsp ? n - 1 : n);
		open = flowed;
		if (!flowed && nl != NULL)
			buf_addc(out, '\n');
	}
	if (open)
		buf_addc(out, '\n');
}

/* The body from text leaf p: decoded as the pager decodes it, un-flowed,
 * cleaned.  New string. */
static char *
compose_resume_text(const struct mime_part *p)
{
	struct mime_text	 mt;
	struct buf		 flat = BUF_INITIALIZER(COMPOSE_BODY_MAX);
	struct buf		 out = BUF_INITIALIZER(COMPOSE_BODY_MAX);
	const char		*s;
	size_t			 n;
	bool			 delsp;

	/* The part's header block and body are one slice of the draft. */
	if (p->hdr != NULL && p->body >= p->hdr) {
		s = p->hdr;
		n = (size_t)(p->body - p->hdr) + p->blen;
	} else {
		s = p->body;
		n = p->blen;
	}
	mime_text_extract(s, n, &mt);
	if (compose_resume_flowed(p, &delsp)) {
		compose_unflow(mt.body, mt.body_len, delsp, &flat);
		sanitize_append(&out, buf_str(&flat), flat.len,
		    SANITIZE_KEEP_NEWLINE | SANITIZE_KEEP_TAB);
	} else
		sanitize_append(&out, mt.body, mt.body_len,
		    SANITIZE_KEEP_NEWLINE | SANITIZE_KEEP_TAB);
	buf_fini(&flat);
	mime_text_fini(&mt);
	return buf_take(&out);
}

/* The name an attachment gets back: controls made "_", then the last
 * path component (compose_attach_name); NULL when none is left. */
static char *
compose_resume_name(const char *name)
{
	struct buf	 b = BUF_INITIALIZER(0);
	struct error	 err;
	char		*s;
	size_t		 i, n, k;
	uint32_t	 cp;

	if (name == NULL)
		return NULL;
	n = strlen(name);
	for (i = 0; i < n; i += k) {
		k = utf8_decode((const unsigned char *)name + i, n - i, &cp);
		if (cp == UTF8_BAD)
			buf_adds(&b, "\xef\xbf\xbd");
		else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			buf_addc(&b, '_');
		else
			buf_add(&b, name + i, k);
	}
	s = compose_attach_name(buf_str(&b), &err);
	buf_fini(&b);
	return s;
}

/* Whether s is an RFC 2045 token (a charset name we may send). */
static bool
compose_resume_token_ok(const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++) {
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f ||
		    strchr("()<>@,;:\\\"/[]?=", s[i]) != NULL)
			return false;
	}
	return i > 0;
}

/* Fill the type, charset and is_message of attachment a from part p. */
static void
compose_resume_type(struct compose_attach *a, const struct mime_part *p)
{
	char	*ct;

	if (p->kind == MIME_PART_MESSAGE && strcmp(p->subtype, "rfc822") == 0)
		a->is_message = true;
	ct = xasprintf("%s/%s", p->type, p->subtype);
	if (strcmp(p->type, "multipart") == 0 || !compose_attach_ctype_ok(ct)) {
		free(ct);
		ct = xstrdup("application/octet-stream");
	}
	a->content_type = ct;
	if (strcmp(p->type, "text") == 0 && compose_resume_token_ok(p->charset))
		a->charset = xstrdup(p->charset);
}

/* Add part p of the draft as an attachment. */
static int
compose_resume_attach(struct compose_draft *d, const struct mime_part *p,
    struct error *err)
{
	struct compose_attach	 a;
	struct buf		 data = BUF_INITIALIZER(COMPOSE_ATTACH_MAX);

	if (d->nattach >= COMPOSE_RESUME_ATTACH_MAX)
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_OP, "the draft has "
		    "more than %d attachments", COMPOSE_RESUME_ATTACH_MAX);
	if (mime_part_decode(p, &data) == -1) {
		buf_fini(&data);
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_OP, "attachment "
		    "%zu of the draft is too large (at most %u bytes)",
		    d->nattach + 1, COMPOSE_ATTACH_MAX);
	}
	memset(&a, 0, sizeof a);
	a.len = data.len;
	a.data = buf_take(&data);
	a.filename = compose_resume_name(p->filename);
	compose_resume_type(&a, p);
	d->attach = xreallocarray(d->attach, d->nattach + 1, sizeof *d->attach);
	d->attach[d->nattach++] = a;
	return 0;
}

/* Take the body and the attachments from the draft's part tree. */
static int
compose_resume_parts(struct compose_draft *d, const struct mime_tree *t,
    struct error *err)
{
	const struct mime_part	*p;
	size_t			 top, text, j;

	for (j = 0; j < t->n; j++) {
		if ((t->v[j].defects & MIME_DEFECT_PARTS) &&
		    t->v[j].kind != MIME_PART_MESSAGE &&
		    compose_resume_under(t, j, 0))
			return error_set(err, ERR_TOOBIG, ERR_SCOPE_OP, "the "
			    "draft has too many parts to be read whole");
	}
	top = compose_resume_text_top(t);
	text = top != MIME_PART_NONE ? compose_resume_text_leaf(t, top) :
	    MIME_PART_NONE;
	d->body = text != MIME_PART_NONE ? compose_resume_text(&t->v[text]) :
	    xstrdup("");
	for (j = 0; j < t->n; j++) {
		p = &t->v[j];
		if (p->kind == MIME_PART_MULTIPART ||
		    (p->hlen == 0 && p->blen == 0) ||
		    !compose_resume_under(t, j, 0) ||
		    (top != MIME_PART_NONE && compose_resume_under(t, j, top)))
			continue;
		if (compose_resume_attach(d, p, err) == -1)
			return -1;
	}
	return 0;
}

/* Fill d (its From already the identity's, or NULL) from a postponed
 * draft; -1 with err, d then to be freed by the caller. */
int
compose_resume(struct compose_draft *d, const char *orig, size_t len,
    struct error *err)
{
	struct mime_tree	t;
	int			rc;

	if (len > COMPOSE_EDIT_MAX)
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_OP, "the draft is "
		    "too large (%zu bytes, at most %u)", len, COMPOSE_EDIT_MAX);
	compose_resume_headers(d, orig, len);
	mime_tree_parse(orig, len, &t);
	rc = compose_resume_parts(d, &t, err);
	mime_tree_fini(&t);
	return rc;
}

/*
 * part.c - the MIME part tree: splitting multiparts on their delimiters
 * (RFC 2046 section 5.1.1), encapsulated messages (section 5.2.1), the
 * Content-Type defaults of RFC 2045 section 5.2 and RFC 2046 section
 * 5.1.5 (multipart/digest), building the flat depth-first array.
 *
 * Delimiter lines end in CRLF or LF; "--boundary" may be followed by
 * "--" (the close delimiter) and blanks (transport padding), nothing else.
 * The line break before a delimiter belongs to it.  Consecutive delimiter
 * lines do not enclose an empty part (the grammar needs a line break for
 * that), a close delimiter right after a delimiter does (as Python's email
 * package reads them too).  A missing close delimiter ends the last part
 * at the end of the enclosing body.  A multipart body is split before its
 * parts are looked at, so an inner part ends at an outer delimiter even
 * when the inner multipart never closed, and nested boundaries that are
 * prefixes of each other cannot be confused (a delimiter line matches one
 * boundary exactly).  The fields of each part (type, charset, disposition,
 * filename, encoding) are read by part_fields.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "mime/mime_int.h"
#include "mime/part.h"
#include "mime/part_int.h"
#include "util/xmalloc.h"

/* The state of one parse. */
struct mime_tree_build {
	struct mime_tree	*t;
	size_t			 cap;
};

static size_t	mime_tree_entity(struct mime_tree_build *, const char *,
		    size_t, size_t, unsigned, bool, bool, bool);

/* Find the end of the line at off: returns where the next line starts and
 * sets *eol to the end of its text (before CRLF or LF). */
static size_t
mime_tree_line(const char *s, size_t len, size_t off, size_t *eol)
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
mime_tree_delim(const char *s, size_t off, size_t eol, const char *b,
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

/* Append an empty part under parent; MIME_PART_NONE when the cap is
 * reached (the parent is then marked). */
static size_t
mime_tree_add(struct mime_tree_build *b, size_t parent, unsigned num)
{
	struct mime_tree	*t = b->t;
	struct mime_part	*p;
	size_t			 i, prev;

	if (t->n >= MIME_PARTS_MAX) {
		if (parent != MIME_PART_NONE)
			t->v[parent].defects |= MIME_DEFECT_PARTS;
		return MIME_PART_NONE;
	}
	if (t->n == b->cap) {
		b->cap = b->cap == 0 ? 8 : b->cap * 2;
		if (b->cap > MIME_PARTS_MAX)
			b->cap = MIME_PARTS_MAX;
		t->v = xreallocarray(t->v, b->cap, sizeof *t->v);
	}
	i = t->n++;
	p = &t->v[i];
	memset(p, 0, sizeof *p);
	p->parent = parent;
	p->next = MIME_PART_NONE;
	p->num = num;
	if (parent == MIME_PART_NONE)
		return i;
	p->depth = t->v[parent].depth + 1;
	p->in_owned = t->v[parent].in_owned;
	/* Link it after the last child of its parent. */
	if (t->v[parent].nchild > 0) {
		prev = parent + 1;
		while (t->v[prev].next != MIME_PART_NONE)
			prev = t->v[prev].next;
		t->v[prev].next = i;
	}
	t->v[parent].nchild++;
	return i;
}

/* Add the body part s[start, end) of multipart i.  The line break
 * before the delimiter at end is not part of it; nor is the last one of a
 * part ended by the end of the body, unless the body already lost one
 * (cut): Python's email package drops one there too, once. */
static void
mime_tree_part(struct mime_tree_build *b, size_t i, const char *s,
    size_t start, size_t end, unsigned num, bool digest, bool cut)
{
	size_t	e = end;

	if (!cut && e > start && s[e - 1] == '\n')
		e--;
	if (!cut && e > start && s[e - 1] == '\r')
		e--;
	mime_tree_entity(b, s + start, e - start, i, num, digest, false,
	    cut || e != end);
}

/* Split the body of multipart i on boundary bnd and add its parts (cut:
 * the body's last line break was taken by a delimiter already); returns
 * the number of parts, or -1 if there was no delimiter line. */
static int
mime_tree_split(struct mime_tree_build *b, size_t i, const char *bnd,
    bool digest, bool cut)
{
	const char	*s = b->t->v[i].body;
	size_t		 len = b->t->v[i].blen, blen = strlen(bnd);
	size_t		 off = 0, next, eol, start = 0;
	int		 kind, n = -1;
	bool		 after = false;

	for (; off < len && b->t->n < MIME_PARTS_MAX; off = next) {
		next = mime_tree_line(s, len, off, &eol);
		if ((kind = mime_tree_delim(s, off, eol, bnd, blen)) == 0) {
			after = false;
			continue;
		}
		/* A close delimiter before any delimiter: no parts. */
		if (kind == 2 && n < 0)
			return -1;
		if (n >= 0 && (kind == 2 || !after))
			mime_tree_part(b, i, s, start, off, (unsigned)++n,
			    digest, false);
		if (n < 0)
			n = 0;
		if (kind == 2)
			return n;
		start = next;
		after = true;
	}
	if (n >= 0 && off < len)
		b->t->v[i].defects |= MIME_DEFECT_PARTS;
	else if (n >= 0) {
		b->t->v[i].defects |= MIME_DEFECT_NO_CLOSE;
		mime_tree_part(b, i, s, start, len, (unsigned)++n, digest,
		    cut);
	}
	return n;
}

/* Multipart i: split it, or leave it a leaf when it cannot be. */
static void
mime_tree_multipart(struct mime_tree_build *b, size_t i, char *bnd,
    bool digest, bool cut)
{
	struct mime_part	*p = &b->t->v[i];
	size_t			 n;

	if (p->depth >= MIME_DEPTH_MAX) {
		p->defects |= MIME_DEFECT_DEPTH;
		return;
	}
	/* Trailing blanks are not part of it (Python's get_boundary agrees:
	 * a delimiter line may end in blanks anyway). */
	n = bnd != NULL ? strlen(bnd) : 0;
	while (n > 0 && (bnd[n - 1] == ' ' || bnd[n - 1] == '\t'))
		bnd[--n] = '\0';
	if (n == 0) {
		p->defects |= MIME_DEFECT_NO_BOUNDARY;
		return;
	}
	p->kind = MIME_PART_MULTIPART;
	if (mime_tree_split(b, i, bnd, digest, cut) < 0) {
		p = &b->t->v[i];
		p->kind = MIME_PART_LEAF;
		p->defects |= MIME_DEFECT_NO_DELIMITER;
	}
}

/* Keep a decoded copy of an encoded message/rfc822 body; NULL if the
 * tree's allowance is spent. */
static const char *
mime_tree_own(struct mime_tree *t, const struct mime_part *p, size_t *len)
{
	struct buf	 dec;
	char		*s;

	if (p->blen > MIME_TREE_OWNED_MAX - t->owned_bytes)
		return NULL;
	buf_init(&dec, p->blen + 1);	/* decoding never grows a body */
	if (mime_part_decode(p, &dec) == -1) {
		buf_fini(&dec);
		return NULL;
	}
	*len = dec.len;
	t->owned_bytes += dec.len;
	s = buf_take(&dec);
	t->owned = xreallocarray(t->owned, t->nowned + 1, sizeof *t->owned);
	t->owned[t->nowned].data = s;
	t->owned[t->nowned++].len = *len;
	return s;
}

/* message/rfc822 part i: parse the message inside (RFC 2046 5.2.1). */
static void
mime_tree_message(struct mime_tree_build *b, size_t i, bool cut)
{
	struct mime_part	*p = &b->t->v[i];
	const char		*s = p->body;
	size_t			 len = p->blen;
	bool			 owned = false;

	if (p->depth >= MIME_DEPTH_MAX) {
		p->defects |= MIME_DEFECT_DEPTH;
		return;
	}
	if (p->cte == MIME_CTE_BASE64 || p->cte == MIME_CTE_QP) {
		if ((s = mime_tree_own(b->t, p, &len)) == NULL)
			return;
		owned = true;
		p->defects |= MIME_DEFECT_ENCODED;
	}
	if (b->t->n >= MIME_PARTS_MAX) {
		p->defects |= MIME_DEFECT_PARTS;
		return;
	}
	p->kind = MIME_PART_MESSAGE;
	mime_tree_entity(b, s, len, i, 1, false, owned, cut && !owned);
}

/* Add the entity s[0, len) under parent and everything inside it (owned:
 * s is a decoded copy; cut: its last line break went to a delimiter);
 * returns its index, or MIME_PART_NONE past the part cap. */
static size_t
mime_tree_entity(struct mime_tree_build *b, const char *s, size_t len,
    size_t parent, unsigned num, bool digest, bool owned, bool cut)
{
	struct mime_part	*p;
	char			*bnd = NULL;
	size_t			 i, boff;

	if ((i = mime_tree_add(b, parent, num)) == MIME_PART_NONE)
		return i;
	p = &b->t->v[i];
	p->in_owned = p->in_owned || owned;
	p->hdr = s;
	p->hlen = mime_header_end(s, len, &boff);
	p->body = s + boff;
	p->blen = len - boff;
	mime_part_fields(p, digest, &bnd);
	if (strcmp(p->type, "multipart") == 0)
		mime_tree_multipart(b, i, bnd, strcmp(p->subtype, "digest") == 0,
		    cut);
	else if (strcmp(p->type, "message") == 0 &&
	    (strcmp(p->subtype, "rfc822") == 0 ||
	    strcmp(p->subtype, "global") == 0 ||
	    strcmp(p->subtype, "news") == 0))
		mime_tree_message(b, i, cut);
	free(bnd);
	return i;
}

/* Parse the part tree of a message; never fails. */
void
mime_tree_parse(const char *msg, size_t len, struct mime_tree *t)
{
	struct mime_tree_build	b;

	memset(t, 0, sizeof *t);
	if (msg == NULL) {
		msg = "";
		len = 0;
	}
	b.t = t;
	b.cap = 0;
	mime_tree_entity(&b, msg, len, MIME_PART_NONE, 1, false, false, false);
}

/* Free a tree. */
void
mime_tree_fini(struct mime_tree *t)
{
	size_t	i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].filename);
	for (i = 0; i < t->nowned; i++)
		free(t->owned[i].data);
	free(t->owned);
	free(t->v);
	memset(t, 0, sizeof *t);
}

/* Write the tree path of part i ("1.2.1"). */
void
mime_part_path(const struct mime_tree *t, size_t i, char *buf, size_t size)
{
	unsigned	nums[MIME_DEPTH_MAX + 2];
	size_t		n = 0, off = 0;
	int		w;

	if (size == 0)
		return;
	buf[0] = '\0';
	for (; i != MIME_PART_NONE && i < t->n && n < MIME_DEPTH_MAX + 2;
	    i = t->v[i].parent)
		nums[n++] = t->v[i].num;
	while (n > 0 && off < size) {
		w = snprintf(buf + off, size - off, "%s%u", off > 0 ? "." : "",
		    nums[--n]);
		if (w < 0)
			break;
		off += (size_t)w;
	}
}

/* Undo the transfer encoding of a part's body into out. */
int
mime_part_decode(const struct mime_part *p, struct buf *out)
{
	switch (p->cte) {
	case MIME_CTE_BASE64:
		return mime_base64_decode(p->body, p->blen, out);
	case MIME_CTE_QP:
		return mime_qp_decode(p->body, p->blen, out);
	default:
		return buf_add(out, p->body, p->blen);
	}
}

/* The name of one defect bit. */
const char *
mime_defect_name(unsigned bit)
{
	switch (bit) {
	case MIME_DEFECT_NO_BOUNDARY:
		return "no-boundary";
	case MIME_DEFECT_NO_DELIMITER:
		return "no-delimiter";
	case MIME_DEFECT_NO_CLOSE:
		return "no-close-delimiter";
	case MIME_DEFECT_DEPTH:
		return "too-deep";
	case MIME_DEFECT_PARTS:
		return "too-many-parts";
	case MIME_DEFECT_ENCODED:
		return "encoded-message";
	case MIME_DEFECT_BAD_TYPE:
		return "bad-content-type";
	}
	return NULL;
}

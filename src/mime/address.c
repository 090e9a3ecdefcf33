/*
 * address.c - RFC 5322 address lists (section 3.4, with the obsolete forms
 * of section 4.4), encoded words in display names (RFC 2047 section 5),
 * UTF-8 in names and addresses (RFC 6532).
 *
 * One forward pass over the raw, possibly folded value: a lexer cuts it
 * into words (atoms, quoted strings, domain literals), comments and the
 * specials < > : ; @ , and a small state machine per member reads them.
 * It never backtracks and never fails; where real mail is broken it takes
 * the reading a person would:
 * - An unbalanced quote, comment, literal or "<" runs to the end of the
 *   value (or, for "<", to the next "," ";" or "<").
 * - A missing comma is assumed when a new word follows a whole address:
 *   "a@b c@d" and "Joe <a@b> Ann <c@d>" are two members each.  A bare
 *   address followed by an angle address is a name ("a@b <a@b>").
 * - Words before a bare address are its name ("Joe joe@x"); a member
 *   without "@" or "<>" is a name without address.
 * - An address with no display name takes its first comment as the name
 *   ("a@b (Joe)"); a comment alone is no member ("x:; (no To-header)").
 * - Groups (section 3.4) may lack their ";"; a ":" inside a group starts
 *   the next one, as groups cannot nest.  A ";" outside a group is a ",".
 * - Encoded words are decoded in phrases and, leniently, inside quoted
 *   strings and comments; an encoded word is one atom even if its text
 *   holds specials ("=?utf-8?q?Doe,_John?=").  Whitespace between encoded
 *   words is dropped (RFC 2047 section 6.2).  Raw 8-bit text is read as
 *   UTF-8 when valid, else as windows-1252 (mime_charset_guess).
 * Members of one group share one group string (freed with the last).
 * Memory: at most MIME_ADDRESS_MAX members, names and addresses capped at
 * MIME_HEADER_MAX bytes.  Work is linear in the input.
 */
#include <stdlib.h>
#include <string.h>

#include "mime/address.h"
#include "mime/mime.h"
#include "mime/mime_int.h"
#include "util/xmalloc.h"

/* Longest encoded word the lexer keeps in one atom (as rfc2047.c). */
#define MIME_ADDR_EW_MAX	1024

/* What the lexer found. */
enum mime_addr_type {
	MIME_ADDR_END,
	MIME_ADDR_ATOM,
	MIME_ADDR_QUOTED,	/* the text between the quotes, escapes kept */
	MIME_ADDR_LITERAL,	/* "[...]" with its brackets */
	MIME_ADDR_COMMENT,	/* the text between the outer parentheses */
	MIME_ADDR_SPECIAL	/* one of < > : ; @ , in c */
};

struct mime_addr_tok {
	enum mime_addr_type	 type;
	const char		*p;
	size_t			 n;
	char			 c;
	bool			 ws;	/* blanks or a comment before it */
};

/* Where the reader is inside one member. */
enum mime_addr_state {
	MIME_ADDR_PHRASE,	/* words: a display name or a local part */
	MIME_ADDR_DOMAIN,	/* after the "@" of an address without <> */
	MIME_ADDR_DONE		/* after the ">" of an angle address */
};

struct mime_addr_parse {
	const char		*s;
	size_t			 len;
	size_t			 off;
	bool			 after_comment;
	struct mime_addr_tok	 back;		/* a token pushed back */
	bool			 have_back;
	size_t			 stop_from;	/* see mime_addr_stop */
	size_t			 stop_at;
	struct mime_address_list *out;
	size_t			 cap;

	/* The member being read. */
	enum mime_addr_state	 state;
	struct buf		 phrase;	/* its words, quotes undone */
	size_t			 run;		/* start of the last word run */
	size_t			 name_len;	/* SIZE_MAX: all of phrase */
	struct buf		 addr;		/* local part [@ domain] */
	size_t			 at;		/* its "@", or SIZE_MAX */
	bool			 local_quoted;	/* a quoted string is in it */
	bool			 has_addr;
	const char		*comment;	/* the name of last resort */
	size_t			 comment_len;
	bool			 comment_in_domain;

	/* The group being read. */
	char			*group;
	size_t			 group_members;
	struct buf		 tmp;
};

static void	mime_addr_phrase(struct mime_addr_parse *,
		    const struct mime_addr_tok *);

/* Whether c separates tokens (blanks, line breaks, NUL, controls). */
static bool
mime_addr_blank(char c)
{
	return (unsigned char)c <= ' ' || c == 0x7f;
}

/* Whether c ends an atom (RFC 5322 3.2.3 specials, less "." and "\"). */
static bool
mime_addr_special(char c)
{
	switch (c) {
	case '(': case ')': case '<': case '>': case '[': case ':':
	case ';': case '@': case ',': case '"':
		return true;
	}
	return false;
}

/* Cut a buffer that was truncated back to a character boundary. */
static void
mime_addr_trim_partial(struct buf *b)
{
	size_t		i = b->len, need;
	unsigned char	c;

	while (i > 0 && b->len - i < 3 &&
	    ((unsigned char)b->data[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0)
		return;
	c = (unsigned char)b->data[i - 1];
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (b->len - (i - 1) < need) {
		b->len = i - 1;
		b->data[b->len] = '\0';
	}
}

/* Append (p, n), undoing quoted-pairs when unq is set, as much as fits
 * under the buffer's maximum; a cut is made at a character boundary and
 * leaves the buffer full. */
static void
mime_addr_put(struct buf *b, const char *p, size_t n, bool unq)
{
	size_t	 room = b->max - b->len, i, k = 0;
	bool	 cut = false;
	char	*d;

	if (b->too_big)
		return;
	if (n > room) {
		n = room;
		cut = true;
	}
	if ((d = buf_reserve(b, n)) == NULL)
		return;
	if (!unq || memchr(p, '\\', n) == NULL) {
		memcpy(d, p, n);
		k = n;
	} else {
		for (i = 0; i < n; i++) {
			if (p[i] == '\\' && i + 1 < n)
				i++;
			d[k++] = p[i];
		}
	}
	buf_commit(b, k);
	if (cut) {
		mime_addr_trim_partial(b);
		b->too_big = true;
	}
}

/* Whether an encoded word's text stops at i: a blank or its "?=". */
static bool
mime_addr_stop_at(const struct mime_addr_parse *p, size_t i)
{
	return mime_addr_blank(p->s[i]) ||
	    (p->s[i] == '?' && i + 1 < p->len && p->s[i + 1] == '=');
}

/* The first blank or "?=" at or after from (p->len if none), cached for
 * [stop_from, stop_at] where the answer is the same, so the lexer stays
 * linear however many "=?" the value holds (it asks with growing from). */
static size_t
mime_addr_stop(struct mime_addr_parse *p, size_t from)
{
	size_t	i;

	if (from >= p->stop_from && from <= p->stop_at)
		return p->stop_at;
	for (i = from; i < p->len && !mime_addr_stop_at(p, i); i++)
		;
	p->stop_from = from;
	p->stop_at = i;
	return i;
}

/* Length of the encoded word ("=?cs?X?text?=", no blanks) at off, or 0. */
static size_t
mime_addr_ew(struct mime_addr_parse *p, size_t off)
{
	const char	*s = p->s;
	size_t		 i = off + 2, stop;

	while (i < p->len && i - off < MIME_CHARSET_NAME_MAX + 2 &&
	    s[i] != '?' && !mime_addr_blank(s[i]))
		i++;
	if (i == off + 2 || i + 3 >= p->len || s[i] != '?' ||
	    s[i + 2] != '?' || (s[i + 1] != 'q' && s[i + 1] != 'Q' &&
	    s[i + 1] != 'b' && s[i + 1] != 'B'))
		return 0;
	stop = mime_addr_stop(p, i + 3);
	if (stop >= p->len || s[stop] != '?' ||
	    stop + 2 - off > MIME_ADDR_EW_MAX)
		return 0;
	return stop + 2 - off;
}

/* Read a comment (nesting), a quoted string or a domain literal up to
 * its closer, quoted-pairs skipped; to the end if unclosed.  off is just
 * past the opener; returns the offset of the closer (or len). */
static size_t
mime_addr_span(const char *s, size_t len, size_t off, char open)
{
	char	close = open == '(' ? ')' : open == '[' ? ']' : '"';
	size_t	depth = 1;

	for (; off < len; off++) {
		if (s[off] == '\\' && off + 1 < len)
			off++;
		else if (s[off] == close && --depth == 0)
			break;
		else if (s[off] == '(' && open == '(')
			depth++;
	}
	return off;
}

/* Read the next token. */
static void
mime_addr_lex(struct mime_addr_parse *p, struct mime_addr_tok *t)
{
	const char	*s = p->s;
	size_t		 off = p->off, n;
	char		 c;

	if (p->have_back) {
		*t = p->back;
		p->have_back = false;
		return;
	}
	t->c = '\0';
	t->ws = p->after_comment;
	p->after_comment = false;
	/* A stray ")" is read as a blank. */
	while (off < p->len && (mime_addr_blank(s[off]) || s[off] == ')')) {
		off++;
		t->ws = true;
	}
	t->p = s + off;
	t->n = 0;
	if (off >= p->len) {
		t->type = MIME_ADDR_END;
		p->off = off;
		return;
	}
	c = s[off];
	if (c == '(' || c == '"' || c == '[') {
		n = mime_addr_span(s, p->len, off + 1, c);
		t->type = c == '(' ? MIME_ADDR_COMMENT : c == '"' ?
		    MIME_ADDR_QUOTED : MIME_ADDR_LITERAL;
		t->p = c == '[' ? s + off : s + off + 1;
		t->n = c == '[' ? n + (n < p->len) - off : n - off - 1;
		p->after_comment = c == '(';
		p->off = n < p->len ? n + 1 : n;
		return;
	}
	if (mime_addr_special(c)) {
		t->type = MIME_ADDR_SPECIAL;
		t->c = c;
		p->off = off + 1;
		return;
	}
	t->type = MIME_ADDR_ATOM;
	while (off < p->len && !mime_addr_blank(s[off]) &&
	    !mime_addr_special(s[off])) {
		if (s[off] == '=' && off + 1 < p->len && s[off + 1] == '?' &&
		    (n = mime_addr_ew(p, off)) > 0)
			off += n;
		else
			off++;
	}
	t->n = (size_t)(s + off - t->p);
	p->off = off;
}

/* Push a token back; the next mime_addr_lex returns it. */
static void
mime_addr_unlex(struct mime_addr_parse *p, const struct mime_addr_tok *t)
{
	p->back = *t;
	p->have_back = true;
}

/* Whether s is a dot-atom (RFC 5322 3.2.3, with RFC 6532 UTF-8), so a
 * local part needs no quotes. */
static bool
mime_addr_dot_atom(const char *s, size_t n)
{
	size_t	i;

	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] >= 0x80 ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    (s[i] != '\0' &&
		    strchr("!#$%&'*+-/=?^_`{|}~", s[i]) != NULL))
			continue;
		if (s[i] != '.' || s[i + 1] == '.')
			return false;
	}
	return true;
}

/* Whether a name can be copied as it is: printable ASCII or valid UTF-8
 * with no "=?" that could start an encoded word. */
static bool
mime_addr_plain(const char *s, size_t n)
{
	size_t	i;
	bool	high = false;

	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
		if (s[i] == '=' && i + 1 < n && s[i + 1] == '?')
			return false;
		if ((unsigned char)s[i] >= 0x80)
			high = true;
	}
	return !high || mime_utf8_valid(s, n);
}

/* A display name from raw phrase text: encoded words decoded, 8-bit text
 * read as UTF-8 or windows-1252; NULL if it comes out empty. */
static char *
mime_addr_name(const char *s, size_t n)
{
	char	*r;

	while (n > 0 && mime_addr_blank(s[0])) {
		s++;
		n--;
	}
	while (n > 0 && mime_addr_blank(s[n - 1]))
		n--;
	if (n == 0)
		return NULL;
	if (mime_addr_plain(s, n))
		return xstrndup(s, n);
	r = mime_rfc2047_decode(s, n);
	if (*r == '\0') {
		free(r);
		return NULL;
	}
	return r;
}

/* The member's address: "local@domain", the local part quoted only when
 * it must be (RFC 5322 3.4.1), line breaks dropped; NULL if it has none. */
static char *
mime_addr_spec(struct mime_addr_parse *p)
{
	struct buf	*b = &p->addr;
	const char	*l = buf_str(&p->addr);
	char		*copy;
	size_t		 i, n, ll = p->at != SIZE_MAX ? p->at : p->addr.len;

	if (!p->has_addr || p->addr.len == 0)
		return NULL;
	if (p->local_quoted && !mime_addr_dot_atom(l, ll)) {
		b = &p->tmp;
		buf_reset(b);
		buf_addc(b, '"');
		for (i = 0; i < ll; i++) {
			if (l[i] == '\r' || l[i] == '\n')
				continue;
			if (l[i] == '"' || l[i] == '\\')
				buf_addc(b, '\\');
			buf_addc(b, l[i]);
		}
		buf_addc(b, '"');
		mime_addr_put(b, l + ll, p->addr.len - ll, false);
	}
	for (i = 0; i < b->len; i++) {
		if (b->data[i] == '\0')
			b->data[i] = ' ';	/* from a quoted string */
	}
	if (mime_utf8_valid(b->data, b->len))
		return xstrndup(b->data, b->len);
	n = b->len;
	copy = xstrndup(b->data, n);	/* b may be tmp */
	buf_reset(&p->tmp);
	mime_charset_guess(copy, n, &p->tmp);
	free(copy);
	return xstrdup(buf_str(&p->tmp));
}

/* Forget the member being read. */
static void
mime_addr_reset(struct mime_addr_parse *p)
{
	p->state = MIME_ADDR_PHRASE;
	buf_reset(&p->phrase);
	buf_reset(&p->addr);
	p->at = SIZE_MAX;
	p->run = 0;
	p->name_len = SIZE_MAX;
	p->local_quoted = p->has_addr = false;
	p->comment = NULL;
	p->comment_len = 0;
	p->comment_in_domain = false;
}

/* Append a member to the list (which has room). */
static void
mime_addr_push(struct mime_addr_parse *p, char *name, char *addr, char *group)
{
	struct mime_address_list	*l = p->out;

	if (l->n == p->cap) {
		p->cap = p->cap == 0 ? 4 : p->cap * 2;
		if (p->cap > MIME_ADDRESS_MAX)
			p->cap = MIME_ADDRESS_MAX;
		l->v = xreallocarray(l->v, p->cap, sizeof *l->v);
	}
	l->v[l->n].name = name;
	l->v[l->n].addr = addr;
	l->v[l->n].group = group;
	l->n++;
}

/* Finish the member being read: add it unless it is empty. */
static void
mime_addr_emit(struct mime_addr_parse *p)
{
	char	*name = NULL, *addr;
	size_t	 n = p->name_len == SIZE_MAX ? p->phrase.len : p->name_len;

	if (n > 0)
		name = mime_addr_name(p->phrase.data, n);
	if (name == NULL && p->comment != NULL && p->has_addr) {
		buf_reset(&p->tmp);
		mime_addr_put(&p->tmp, p->comment, p->comment_len, true);
		name = mime_addr_name(buf_str(&p->tmp), p->tmp.len);
	}
	addr = mime_addr_spec(p);
	if ((name != NULL || addr != NULL) && p->out->n < MIME_ADDRESS_MAX) {
		mime_addr_push(p, name, addr, p->group);
		if (p->group != NULL)
			p->group_members++;
	} else {
		free(name);
		free(addr);
	}
	mime_addr_reset(p);
}

/* Close the group being read; an empty one is kept as a member with only
 * its name ("undisclosed-recipients:;"). */
static void
mime_addr_group_end(struct mime_addr_parse *p)
{
	if (p->group == NULL)
		return;
	if (p->group_members == 0 && p->out->n < MIME_ADDRESS_MAX)
		mime_addr_push(p, NULL, NULL, p->group);
	else if (p->group_members == 0)
		free(p->group);
	p->group = NULL;
	p->group_members = 0;
}

/* A ":" after a phrase: the phrase names a group (RFC 5322 3.4).  Groups
 * do not nest, so one still open ends here. */
static void
mime_addr_group_start(struct mime_addr_parse *p)
{
	char	*name;

	if (p->phrase.len == 0)
		return;		/* a stray ":" */
	name = mime_addr_name(p->phrase.data, p->phrase.len);
	mime_addr_group_end(p);
	p->group = name != NULL ? name : xstrdup("");
	mime_addr_reset(p);
}

/* Keep the first non-empty comment as the name of last resort. */
static void
mime_addr_comment(struct mime_addr_parse *p, const struct mime_addr_tok *t)
{
	size_t	i;

	if (p->comment != NULL)
		return;
	for (i = 0; i < t->n && mime_addr_blank(t->p[i]); i++)
		;
	if (i == t->n)
		return;
	p->comment = t->p;
	p->comment_len = t->n;
	p->comment_in_domain = p->state == MIME_ADDR_DOMAIN;
}

/* Whether a word continues an address across blanks (obsolete CFWS
 * around dots, RFC 5322 4.4): the text so far ends in "." or the word
 * starts with one. */
static bool
mime_addr_dotted(const struct buf *b, const struct mime_addr_tok *t)
{
	return (b->len > 0 && b->data[b->len - 1] == '.') ||
	    (t->type == MIME_ADDR_ATOM && t->p[0] == '.');
}

/* Read an angle address after its "<", up to ">" or, when that is
 * missing, to the next "<" "," ";" or the end.  An obsolete route
 * ("@a,@b:", RFC 5322 4.4) is dropped. */
static void
mime_addr_angle(struct mime_addr_parse *p)
{
	struct mime_addr_tok	t;
	bool			route = false;

	buf_reset(&p->addr);
	p->at = SIZE_MAX;
	p->local_quoted = false;
	for (;;) {
		mime_addr_lex(p, &t);
		if (t.type == MIME_ADDR_END ||
		    (t.type == MIME_ADDR_SPECIAL && t.c == '>'))
			break;
		if (t.type == MIME_ADDR_COMMENT)
			continue;
		if (t.type != MIME_ADDR_SPECIAL) {
			if (p->at != SIZE_MAX && p->addr.len > p->at + 1 &&
			    t.ws && !mime_addr_dotted(&p->addr, &t)) {
				mime_addr_unlex(p, &t);	/* "<a@b Ann <c@d>" */
				break;
			}
			mime_addr_put(&p->addr, t.p, t.n,
			    t.type == MIME_ADDR_QUOTED);
			p->local_quoted |= p->at == SIZE_MAX &&
			    t.type == MIME_ADDR_QUOTED;
			continue;
		}
		if (t.c == '@' && p->at == SIZE_MAX) {
			route = p->addr.len == 0;
			p->at = p->addr.len;
			mime_addr_put(&p->addr, "@", 1, false);
		} else if (t.c == ':' && route) {
			buf_reset(&p->addr);
			p->at = SIZE_MAX;
			route = false;
		} else if (t.c == '@' || t.c == ':' || (t.c == ',' && route))
			mime_addr_put(&p->addr, &t.c, 1, false);
		else if (t.c != '<' || p->addr.len > 0) {
			mime_addr_unlex(p, &t);
			break;
		}
	}
	p->has_addr = p->addr.len > 0;
	p->state = MIME_ADDR_DONE;
}

/* A word in a phrase: it joins the display name and the current run of
 * words, which becomes the local part if an "@" follows. */
static void
mime_addr_word(struct mime_addr_parse *p, const struct mime_addr_tok *t)
{
	bool	q = t->type == MIME_ADDR_QUOTED;

	if (p->phrase.len > 0 && t->ws)
		mime_addr_put(&p->phrase, " ", 1, false);
	if (t->ws && !mime_addr_dotted(&p->addr, t)) {
		p->run = p->phrase.len;
		buf_reset(&p->addr);
		p->local_quoted = false;
	}
	mime_addr_put(&p->phrase, t->p, t->n, q);
	mime_addr_put(&p->addr, t->p, t->n, q);
	p->local_quoted |= q;
}

/* Read a token where a display name or a local part may stand. */
static void
mime_addr_phrase(struct mime_addr_parse *p, const struct mime_addr_tok *t)
{
	if (t->type == MIME_ADDR_COMMENT) {
		if (p->phrase.len == 0)
			mime_addr_comment(p, t);
		return;
	}
	if (t->type == MIME_ADDR_END) {
		mime_addr_emit(p);
		return;
	}
	if (t->type != MIME_ADDR_SPECIAL) {
		mime_addr_word(p, t);
		return;
	}
	switch (t->c) {
	case '<':
		mime_addr_angle(p);
		break;
	case '@':
		/* The last run of words is the local part (RFC 5322 3.4.1);
		 * words before it, if any, are the name. */
		p->name_len = p->run;
		p->has_addr = true;
		p->at = p->addr.len;
		mime_addr_put(&p->addr, "@", 1, false);
		mime_addr_put(&p->phrase, "@", 1, false);
		p->state = MIME_ADDR_DOMAIN;
		break;
	case ':':
		mime_addr_group_start(p);
		break;
	case ';':
		mime_addr_emit(p);
		mime_addr_group_end(p);
		break;
	case ',':
		mime_addr_emit(p);
		break;
	}
}

/* Read a token after the "@" of an address without angle brackets. */
static void
mime_addr_domain(struct mime_addr_parse *p, const struct mime_addr_tok *t)
{
	if (t->type == MIME_ADDR_COMMENT) {
		mime_addr_comment(p, t);
		return;
	}
	if (t->type == MIME_ADDR_END) {
		mime_addr_emit(p);
		return;
	}
	if (t->type != MIME_ADDR_SPECIAL) {
		if (p->addr.len > p->at + 1 && t->ws &&
		    !mime_addr_dotted(&p->addr, t)) {
			mime_addr_emit(p);	/* a missing comma */
			mime_addr_phrase(p, t);
			return;
		}
		if (p->comment_in_domain)
			p->comment = NULL;	/* "a@b(x).c": not a name */
		if (t->ws)
			mime_addr_put(&p->phrase, " ", 1, false);
		mime_addr_put(&p->phrase, t->p, t->n, false);
		mime_addr_put(&p->addr, t->p, t->n,
		    t->type == MIME_ADDR_QUOTED);
		return;
	}
	switch (t->c) {
	case '<':
		/* "a@b <a@b>": what looked like an address is a name. */
		p->name_len = SIZE_MAX;
		p->comment = NULL;
		mime_addr_angle(p);
		break;
	case '@':
		mime_addr_put(&p->phrase, "@", 1, false);
		mime_addr_put(&p->addr, "@", 1, false);
		break;
	case ';':
		mime_addr_emit(p);
		mime_addr_group_end(p);
		break;
	case ',':
	case ':':
		mime_addr_emit(p);
		break;
	}
}

/* Read a token after a whole angle address. */
static void
mime_addr_done(struct mime_addr_parse *p, const struct mime_addr_tok *t)
{
	if (t->type == MIME_ADDR_COMMENT) {
		mime_addr_comment(p, t);
		return;
	}
	if (t->type == MIME_ADDR_SPECIAL && (t->c == '@' || t->c == '>'))
		return;
	mime_addr_emit(p);
	if (t->type == MIME_ADDR_SPECIAL && t->c == ';')
		mime_addr_group_end(p);
	else if (t->type != MIME_ADDR_SPECIAL || t->c == '<')
		mime_addr_phrase(p, t);	/* a missing comma */
}

/* Parse an address-list value into out. */
void
mime_address_list_parse(const char *s, size_t len,
    struct mime_address_list *out)
{
	struct mime_addr_parse	p;
	struct mime_addr_tok	t;

	out->v = NULL;
	out->n = 0;
	if (s == NULL)
		return;
	memset(&p, 0, sizeof p);
	p.s = s;
	p.len = len;
	p.stop_from = 1;	/* an empty cache */
	p.out = out;
	buf_init(&p.phrase, MIME_HEADER_MAX);
	buf_init(&p.addr, MIME_HEADER_MAX);
	buf_init(&p.tmp, MIME_HEADER_MAX);
	mime_addr_reset(&p);
	do {
		mime_addr_lex(&p, &t);
		if (p.state == MIME_ADDR_PHRASE)
			mime_addr_phrase(&p, &t);
		else if (p.state == MIME_ADDR_DOMAIN)
			mime_addr_domain(&p, &t);
		else
			mime_addr_done(&p, &t);
	} while (t.type != MIME_ADDR_END && out->n < MIME_ADDRESS_MAX);
	mime_addr_group_end(&p);
	buf_fini(&p.phrase);
	buf_fini(&p.addr);
	buf_fini(&p.tmp);
}

/* Free a list's members (a group string goes with its last member). */
void
mime_address_list_fini(struct mime_address_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].addr);
		if (i + 1 == l->n || l->v[i + 1].group != l->v[i].group)
			free(l->v[i].group);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Append a display name, quoted (RFC 5322 3.2.4) if it holds a character
 * that would change how the line reads. */
static void
mime_addr_line_name(struct buf *b, const char *name)
{
	const char	*c;

	if (strpbrk(name, "()<>[]:;@\\,\"") == NULL) {
		mime_addr_put(b, name, strlen(name), false);
		return;
	}
	mime_addr_put(b, "\"", 1, false);
	for (c = name; *c != '\0'; c++) {
		if (*c == '"' || *c == '\\')
			mime_addr_put(b, "\\", 1, false);
		mime_addr_put(b, c, 1, false);
	}
	mime_addr_put(b, "\"", 1, false);
}

/* The list as one line, capped at MIME_ADDRESS_LINE_MAX bytes. */
char *
mime_address_list_line(const struct mime_address_list *l)
{
	const struct mime_address	*m = NULL, *prev = NULL;
	struct buf			 b;
	size_t				 i;

	buf_init(&b, MIME_ADDRESS_LINE_MAX);
	for (i = 0; i < l->n && !b.too_big; prev = m, i++) {
		m = &l->v[i];
		if (prev != NULL && prev->group != NULL &&
		    prev->group != m->group)
			mime_addr_put(&b, ";", 1, false);
		if (prev != NULL)
			mime_addr_put(&b, ", ", 2, false);
		if (m->group != NULL && (prev == NULL ||
		    prev->group != m->group)) {
			mime_addr_line_name(&b, m->group);
			mime_addr_put(&b, ":", 1, false);
			if (m->name != NULL || m->addr != NULL)
				mime_addr_put(&b, " ", 1, false);
		}
		if (m->name != NULL)
			mime_addr_line_name(&b, m->name);
		if (m->name != NULL && m->addr != NULL)
			mime_addr_put(&b, " <", 2, false);
		if (m->addr != NULL)
			mime_addr_put(&b, m->addr, strlen(m->addr), false);
		if (m->name != NULL && m->addr != NULL)
			mime_addr_put(&b, ">", 1, false);
	}
	if (prev != NULL && prev->group != NULL)
		mime_addr_put(&b, ";", 1, false);
	if (b.len == 0) {
		buf_fini(&b);
		return NULL;
	}
	return buf_take(&b);
}

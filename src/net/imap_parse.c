/*
 * imap_parse.c - one framed IMAP response into a struct imap_response.
 *
 * Implements the response grammar of RFC 3501 section 9 (continue-req,
 * response-tagged, response-data with resp-cond-state/bye/auth, and
 * mailbox-data/message-data as generic value lists): atoms, numbers, NIL,
 * quoted strings with \" and \\ escapes, literals "{n}" and "{n+}",
 * parenthesised lists nested up to IMAP_DEPTH_MAX.  Atoms are read
 * leniently (bytes other than SP, parentheses, quotes, CR, LF, NUL and ']'
 * outside brackets), so "BODY[HEADER.FIELDS (A B)]<0>" is one atom.
 *
 * Nothing here does I/O.  Every loop is bounded by the input length.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/imap_parse.h"
#include "util/xmalloc.h"

struct imap_lexer {
	const char	*p;
	size_t		 len;
	size_t		 pos;
	bool		 fetch;		/* big literals allowed for bodies */
	struct error	*err;
	size_t		 nodes;		/* values made so far */
};

static int	imap_parse_value(struct imap_lexer *, struct imap_value *,
		    unsigned, bool);

/* Fail with a protocol error naming the offset. */
static int
imap_lex_bad(struct imap_lexer *lx, const char *what)
{
	return error_set(lx->err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
	    "malformed IMAP response: %s at offset %zu", what, lx->pos);
}

/* Whether the lexer stands at the end of the line (CRLF or LF). */
static bool
imap_lex_eol(const struct imap_lexer *lx)
{
	if (lx->pos >= lx->len)
		return true;
	if (lx->p[lx->pos] == '\n')
		return true;
	return lx->p[lx->pos] == '\r' && lx->pos + 1 < lx->len &&
	    lx->p[lx->pos + 1] == '\n';
}

/* Whether c may appear in an atom (lenient: 8-bit and most CTLs allowed). */
static bool
imap_atom_char(unsigned char c)
{
	return c != ' ' && c != '(' && c != ')' && c != '"' && c != '\r' &&
	    c != '\n' && c != '\0' && c != '[' && c != ']' && c != '{';
}

/* Read an atom, bracketed sections included; -1 if empty. */
static int
imap_lex_atom(struct imap_lexer *lx, struct imap_slice *out)
{
	size_t		 start = lx->pos;
	unsigned char	 c;

	while (lx->pos < lx->len) {
		c = (unsigned char)lx->p[lx->pos];
		if (c == '[') {
			/* BODY[...]: anything but CR/LF/NUL up to ']'. */
			while (lx->pos < lx->len && lx->p[lx->pos] != ']') {
				c = (unsigned char)lx->p[lx->pos];
				if (c == '\r' || c == '\n' || c == '\0')
					return imap_lex_bad(lx, "open [");
				lx->pos++;
			}
			if (lx->pos >= lx->len)
				return imap_lex_bad(lx, "open [");
			lx->pos++;
			continue;
		}
		if (c == '{' && lx->pos > start) {
			lx->pos++;	/* '{' inside an atom is lenient */
			continue;
		}
		if (!imap_atom_char(c))
			break;
		lx->pos++;
	}
	if (lx->pos == start)
		return imap_lex_bad(lx, "expected an atom");
	out->p = lx->p + start;
	out->len = lx->pos - start;
	return 0;
}

/* Read a quoted string, unescaping \" and \\ into an owned copy. */
static int
imap_lex_quoted(struct imap_lexer *lx, struct imap_value *v)
{
	size_t	 start = ++lx->pos, n = 0;
	bool	 escaped = false;
	char	*out;
	char	 c;

	for (; lx->pos < lx->len; lx->pos++) {
		c = lx->p[lx->pos];
		if (c == '\r' || c == '\n' || c == '\0')
			break;
		if (c == '\\' && lx->pos + 1 < lx->len &&
		    (lx->p[lx->pos + 1] == '"' || lx->p[lx->pos + 1] == '\\')) {
			escaped = true;
			lx->pos++;
		} else if (c == '"')
			break;
	}
	if (lx->pos >= lx->len || lx->p[lx->pos] != '"')
		return imap_lex_bad(lx, "unterminated quoted string");
	v->type = IMAP_V_STRING;
	if (!escaped) {
		v->s = lx->p + start;
		v->len = lx->pos - start;
		lx->pos++;
		return 0;
	}
	out = xmalloc(lx->pos - start + 1);
	for (size_t i = start; i < lx->pos; i++) {
		if (lx->p[i] == '\\')
			i++;
		out[n++] = lx->p[i];
	}
	out[n] = '\0';
	v->owned = out;
	v->s = out;
	v->len = n;
	lx->pos++;
	return 0;
}

/* Read a literal "{n}" or "{n+}", CRLF and n bytes. */
static int
imap_lex_literal(struct imap_lexer *lx, struct imap_value *v, bool big)
{
	uint64_t	 n = 0;
	size_t		 digits = 0;

	lx->pos++;
	while (lx->pos < lx->len && lx->p[lx->pos] >= '0' &&
	    lx->p[lx->pos] <= '9' && digits <= 10) {
		n = n * 10 + (uint64_t)(lx->p[lx->pos++] - '0');
		digits++;
	}
	if (digits == 0 || digits > 10)
		return imap_lex_bad(lx, "bad literal length");
	if (lx->pos < lx->len && lx->p[lx->pos] == '+')
		lx->pos++;
	if (lx->pos >= lx->len || lx->p[lx->pos] != '}')
		return imap_lex_bad(lx, "bad literal header");
	lx->pos++;
	if (lx->pos < lx->len && lx->p[lx->pos] == '\r')
		lx->pos++;
	if (lx->pos >= lx->len || lx->p[lx->pos] != '\n')
		return imap_lex_bad(lx, "literal header not at line end");
	lx->pos++;
	if (n > (big ? IMAP_BODY_MAX : IMAP_LITERAL_MAX)) {
		return error_set(lx->err, ERR_TOOBIG, ERR_SCOPE_ACCOUNT,
		    "IMAP literal of %llu bytes is too large",
		    (unsigned long long)n);
	}
	if (n > lx->len - lx->pos)
		return imap_lex_bad(lx, "truncated literal");
	v->type = IMAP_V_STRING;
	v->literal = true;
	v->s = lx->p + lx->pos;
	v->len = (size_t)n;
	lx->pos += (size_t)n;
	return 0;
}

/* Append a fresh member to a list value. */
static struct imap_value *
imap_value_push(struct imap_value *list)
{
	struct imap_value	*v;

	if (list->n == list->cap) {
		list->cap = list->cap ? list->cap * 2 : 4;
		list->items = xreallocarray(list->items, list->cap,
		    sizeof *list->items);
	}
	v = &list->items[list->n++];
	memset(v, 0, sizeof *v);
	return v;
}

/* Whether an atom names a FETCH item whose value is a message body. */
static bool
imap_is_body_item(const struct imap_value *v)
{
	static const char *const prefixes[] = {
		"BODY[", "BINARY[", "RFC822", NULL
	};

	if (v == NULL || v->type != IMAP_V_ATOM)
		return false;
	for (size_t i = 0; prefixes[i] != NULL; i++) {
		size_t	 n = strlen(prefixes[i]);

		if (v->len >= n && strncasecmp(v->s, prefixes[i], n) == 0)
			return true;
	}
	return false;
}

/*
 * Read space-separated values into list until ')' (when depth > 0) or the
 * end of the line.  Big literals are allowed right after a body item name
 * inside the FETCH list.
 */
static int
imap_parse_items(struct imap_lexer *lx, struct imap_value *list,
    unsigned depth)
{
	struct imap_value	*v, *prev;
	bool			 big;

	list->type = IMAP_V_LIST;
	for (;;) {
		while (lx->pos < lx->len && lx->p[lx->pos] == ' ')
			lx->pos++;
		if (depth > 0 && lx->pos < lx->len && lx->p[lx->pos] == ')') {
			lx->pos++;
			return 0;
		}
		if (imap_lex_eol(lx)) {
			if (depth > 0)
				return imap_lex_bad(lx, "unclosed list");
			return 0;
		}
		if (++lx->nodes > IMAP_NODES_MAX) {
			return error_set(lx->err, ERR_TOOBIG,
			    ERR_SCOPE_ACCOUNT, "IMAP response has more than "
			    "%d values", IMAP_NODES_MAX);
		}
		prev = list->n > 0 ? &list->items[list->n - 1] : NULL;
		big = lx->fetch && depth == 1 && imap_is_body_item(prev);
		v = imap_value_push(list);
		if (imap_parse_value(lx, v, depth, big) == -1)
			return -1;
	}
}

/* Read one value: list, quoted, literal, NIL or atom. */
static int
imap_parse_value(struct imap_lexer *lx, struct imap_value *v, unsigned depth,
    bool big)
{
	struct imap_slice	 a;
	char			 c = lx->p[lx->pos];

	if (c == '(') {
		if (depth >= IMAP_DEPTH_MAX) {
			return error_set(lx->err, ERR_TOOBIG,
			    ERR_SCOPE_ACCOUNT, "IMAP lists nested too deep");
		}
		lx->pos++;
		return imap_parse_items(lx, v, depth + 1);
	}
	if (c == '"')
		return imap_lex_quoted(lx, v);
	if (c == '{')
		return imap_lex_literal(lx, v, big);
	if (imap_lex_atom(lx, &a) == -1)
		return -1;
	if (a.len == 3 && strncasecmp(a.p, "NIL", 3) == 0) {
		v->type = IMAP_V_NIL;
		return 0;
	}
	v->type = IMAP_V_ATOM;
	v->s = a.p;
	v->len = a.len;
	return 0;
}

/* Free a value's members and owned strings. */
static void
imap_value_fini(struct imap_value *v)
{
	for (size_t i = 0; i < v->n; i++)
		imap_value_fini(&v->items[i]);
	free(v->items);
	free(v->owned);
	memset(v, 0, sizeof *v);
}

/* The text up to the end of the line, from the current position. */
static struct imap_slice
imap_lex_rest(struct imap_lexer *lx)
{
	struct imap_slice	 s;
	size_t			 start = lx->pos;

	while (!imap_lex_eol(lx))
		lx->pos++;
	s.p = lx->p + start;
	s.len = lx->pos - start;
	return s;
}

/* Read resp-text: an optional "[CODE args]" then free text. */
static int
imap_parse_resp_text(struct imap_lexer *lx, struct imap_response *r)
{
	size_t	 start;

	if (lx->pos < lx->len && lx->p[lx->pos] == ' ')
		lx->pos++;
	if (lx->pos < lx->len && lx->p[lx->pos] == '[') {
		start = ++lx->pos;
		while (!imap_lex_eol(lx) && lx->p[lx->pos] != ' ' &&
		    lx->p[lx->pos] != ']')
			lx->pos++;
		if (lx->pos == start)
			return imap_lex_bad(lx, "empty response code");
		r->code.p = lx->p + start;
		r->code.len = lx->pos - start;
		if (lx->p[lx->pos] == ' ')
			lx->pos++;
		start = lx->pos;
		while (!imap_lex_eol(lx) && lx->p[lx->pos] != ']')
			lx->pos++;
		if (imap_lex_eol(lx))
			return imap_lex_bad(lx, "unclosed response code");
		r->code_args.p = lx->p + start;
		r->code_args.len = lx->pos - start;
		lx->pos++;
		if (lx->pos < lx->len && lx->p[lx->pos] == ' ')
			lx->pos++;
	}
	r->text = imap_lex_rest(lx);
	return 0;
}

/* The status named by an atom, or IMAP_STATUS_NONE. */
static enum imap_status
imap_status_of(struct imap_slice a)
{
	if (imap_slice_is(a, "OK"))
		return IMAP_STATUS_OK;
	if (imap_slice_is(a, "NO"))
		return IMAP_STATUS_NO;
	if (imap_slice_is(a, "BAD"))
		return IMAP_STATUS_BAD;
	if (imap_slice_is(a, "BYE"))
		return IMAP_STATUS_BYE;
	if (imap_slice_is(a, "PREAUTH"))
		return IMAP_STATUS_PREAUTH;
	return IMAP_STATUS_NONE;
}

/* Whether an untagged response name is one whose syntax we must know. */
static bool
imap_known_data(struct imap_slice name)
{
	static const char *const names[] = {
		"CAPABILITY", "FLAGS", "LIST", "LSUB", "SEARCH", "STATUS",
		"EXISTS", "RECENT", "EXPUNGE", "FETCH", "ENABLED", NULL
	};

	for (size_t i = 0; names[i] != NULL; i++) {
		if (imap_slice_is(name, names[i]))
			return true;
	}
	return false;
}

/* Parse the part after "* ": a status, "n NAME ...", or "NAME ...". */
static int
imap_parse_untagged(struct imap_lexer *lx, struct imap_response *r)
{
	struct imap_slice	 a;
	uint64_t		 n;
	size_t			 save;

	if (imap_lex_atom(lx, &a) == -1)
		return -1;
	if ((r->status = imap_status_of(a)) != IMAP_STATUS_NONE)
		return imap_parse_resp_text(lx, r);
	if (imap_parse_number(a, UINT32_MAX, &n) == 0) {
		r->has_number = true;
		r->number = (uint32_t)n;
		if (lx->pos >= lx->len || lx->p[lx->pos] != ' ')
			return imap_lex_bad(lx, "number without a name");
		lx->pos++;
		if (imap_lex_atom(lx, &a) == -1)
			return -1;
	}
	r->name = a;
	lx->fetch = imap_slice_is(a, "FETCH");
	save = lx->pos;
	if (imap_parse_items(lx, &r->args, 0) == 0)
		return 0;
	if (imap_known_data(a))
		return -1;
	/* An extension we do not know: keep its text, not its syntax. */
	imap_value_fini(&r->args);
	r->args.type = IMAP_V_LIST;
	lx->pos = save;
	if (lx->pos < lx->len && lx->p[lx->pos] == ' ')
		lx->pos++;
	r->text = imap_lex_rest(lx);
	error_clear(lx->err);
	return 0;
}

/* Parse one framed response. */
int
imap_parse_response(const char *p, size_t len, struct imap_response *r,
    struct error *err)
{
	struct imap_lexer	 lx = { p, len, 0, false, err, 0 };
	struct imap_slice	 a;
	int			 rc = -1;

	memset(r, 0, sizeof *r);
	r->args.type = IMAP_V_LIST;
	if (len == 0 || p[len - 1] != '\n')
		return imap_lex_bad(&lx, "no line end");
	if (p[0] == '+') {
		r->type = IMAP_RESP_CONTINUE;
		lx.pos = 1;
		if (len > 1 && p[1] == ' ')
			lx.pos++;
		r->text = imap_lex_rest(&lx);
		rc = 0;
		goto out;
	}
	if (p[0] == '*') {
		r->type = IMAP_RESP_UNTAGGED;
		if (len < 2 || p[1] != ' ') {
			imap_lex_bad(&lx, "no space after *");
			goto out;
		}
		lx.pos = 2;
		rc = imap_parse_untagged(&lx, r);
		goto out;
	}
	r->type = IMAP_RESP_TAGGED;
	if (imap_lex_atom(&lx, &r->tag) == -1)
		goto out;
	if (lx.pos >= len || p[lx.pos] != ' ') {
		imap_lex_bad(&lx, "no space after tag");
		goto out;
	}
	lx.pos++;
	if (imap_lex_atom(&lx, &a) == -1)
		goto out;
	r->status = imap_status_of(a);
	if (r->status != IMAP_STATUS_OK && r->status != IMAP_STATUS_NO &&
	    r->status != IMAP_STATUS_BAD) {
		imap_lex_bad(&lx, "tagged response is not OK/NO/BAD");
		goto out;
	}
	rc = imap_parse_resp_text(&lx, r);

out:
	if (rc == 0 && lx.pos < len && p[lx.pos] == '\r')
		lx.pos++;
	if (rc == 0 && lx.pos + 1 != len) {
		imap_lex_bad(&lx, "data after the line end");
		rc = -1;
	}
	if (rc == -1) {
		imap_response_fini(r);
		r->args.type = IMAP_V_LIST;
	}
	return rc;
}

/* The UID of a top-level "UID n" item in a FETCH's first line, or 0. */
static uint32_t
imap_salvage_uid(const char *p, size_t len)
{
	struct imap_slice	 d;
	uint64_t		 n;
	unsigned		 depth = 1;
	bool			 quoted = false;

	for (size_t i = 0; i < len && p[i] != '\n' && depth > 0; i++) {
		if (quoted) {
			if (p[i] == '\\' && i + 1 < len)
				i++;
			else if (p[i] == '"')
				quoted = false;
			continue;
		}
		if (p[i] == '"')
			quoted = true;
		else if (p[i] == '(')
			depth++;
		else if (p[i] == ')')
			depth--;
		else if (depth == 1 && (i == 0 || p[i - 1] == ' ' ||
		    p[i - 1] == '(') && i + 4 < len &&
		    strncasecmp(p + i, "UID ", 4) == 0) {
			d.p = p + i + 4;
			for (d.len = 0; i + 4 + d.len < len &&
			    p[i + 4 + d.len] >= '0' && p[i + 4 + d.len] <= '9';
			    d.len++)
				;
			if (imap_parse_number(d, UINT32_MAX, &n) == 0 && n > 0)
				return (uint32_t)n;
		}
	}
	return 0;
}

/* A framed "* n FETCH (" that could not be read: keep n and its UID. */
int
imap_parse_salvage(const char *p, size_t len, struct imap_response *r)
{
	struct imap_slice	 num;
	uint64_t		 n;
	size_t			 i = 2;

	memset(r, 0, sizeof *r);
	r->args.type = IMAP_V_LIST;
	if (len < 2 || p[0] != '*' || p[1] != ' ')
		return -1;
	num.p = p + i;
	while (i < len && p[i] >= '0' && p[i] <= '9')
		i++;
	num.len = (size_t)(p + i - num.p);
	if (imap_parse_number(num, UINT32_MAX, &n) == -1 || len - i < 8 ||
	    strncasecmp(p + i, " FETCH (", 8) != 0)
		return -1;
	r->type = IMAP_RESP_UNTAGGED;
	r->has_number = true;
	r->number = (uint32_t)n;
	r->name.p = p + i + 1;
	r->name.len = 5;
	r->bad = true;
	r->bad_uid = imap_salvage_uid(p + i + 8, len - i - 8);
	return 0;
}

/* Free what a parsed response owns. */
void
imap_response_fini(struct imap_response *r)
{
	imap_value_fini(&r->args);
	memset(r, 0, sizeof *r);
}

/* Case-insensitive comparison of a slice with a C string. */
bool
imap_slice_is(struct imap_slice s, const char *str)
{
	size_t	 n = strlen(str);

	return s.p != NULL && s.len == n && strncasecmp(s.p, str, n) == 0;
}

/* Case-insensitive comparison of an atom value with a C string. */
bool
imap_value_is(const struct imap_value *v, const char *str)
{
	return v != NULL && v->type == IMAP_V_ATOM &&
	    imap_slice_is(imap_value_slice(v), str);
}

/* A value's bytes as a slice (p == NULL for NIL and lists). */
struct imap_slice
imap_value_slice(const struct imap_value *v)
{
	struct imap_slice	 s = { NULL, 0 };

	if (v != NULL && (v->type == IMAP_V_ATOM || v->type == IMAP_V_STRING)) {
		s.p = v->s != NULL ? v->s : "";
		s.len = v->len;
	}
	return s;
}

/* A slice as a new C string, or NULL for NIL. */
char *
imap_slice_dup(struct imap_slice s)
{
	if (s.p == NULL)
		return NULL;
	return xstrndup(s.p, s.len);
}

/* Parse digits into a number no larger than max. */
int
imap_parse_number(struct imap_slice s, uint64_t max, uint64_t *out)
{
	uint64_t	 n = 0;

	if (s.p == NULL || s.len == 0 || s.len > 20)
		return -1;
	for (size_t i = 0; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return -1;
		if (n > (max - (uint64_t)(s.p[i] - '0')) / 10)
			return -1;
		n = n * 10 + (uint64_t)(s.p[i] - '0');
	}
	*out = n;
	return 0;
}

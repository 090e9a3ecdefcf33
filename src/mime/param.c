/*
 * param.c - Content-Type values: "type/subtype" and parameters (RFC 2045
 * section 5.1), with RFC 2231 extended values and continuations.
 *
 * Names are matched case-insensitively; values may be tokens or quoted
 * strings (backslash escapes undone); comments and blanks are skipped
 * anywhere CFWS may stand.  Unparseable junk between parameters is skipped
 * up to the next ';'.  A plain value is returned as written (unquoted
 * bytes: a boundary must match the body byte for byte); an RFC 2231 value
 * ("name*=charset'lang'%XX", "name*0*=", "name*1=") is reassembled in
 * section order and converted to UTF-8.  The RFC 2231 form wins when both
 * are present.
 */
#include <string.h>
#include <strings.h>

#include "mime/mime.h"
#include "mime/mime_int.h"

/* Most RFC 2231 sections we reassemble. */
#define MIME_PARAM_SECTIONS	64

/* One parameter as found in the value. */
struct mime_param {
	const char	*name;
	size_t		 nlen;
	const char	*val;		/* raw: quoted string with its quotes */
	size_t		 vlen;
};

/* What mime_param_get gathers about one name. */
struct mime_param_want {
	const char	*name;
	size_t		 nlen;
	struct mime_param plain;
	struct mime_param ext;
	struct mime_param sect[MIME_PARAM_SECTIONS];
	bool		 sect_ext[MIME_PARAM_SECTIONS];
};

/* Skip blanks and (nested, escaped) comments from i. */
static size_t
mime_param_cfws(const char *s, size_t len, size_t i)
{
	size_t	depth;

	for (;;) {
		while (i < len && (s[i] == ' ' || s[i] == '\t' ||
		    s[i] == '\r' || s[i] == '\n'))
			i++;
		if (i >= len || s[i] != '(')
			return i;
		for (depth = 0; i < len; i++) {
			if (s[i] == '\\' && i + 1 < len)
				i++;
			else if (s[i] == '(')
				depth++;
			else if (s[i] == ')' && --depth == 0) {
				i++;
				break;
			}
		}
	}
}

/* Whether c may appear in an RFC 2045 token. */
static bool
mime_param_tokenc(char c)
{
	return c > ' ' && c < 0x7f && strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

/* Copy a token at s[i] lower-cased into dst; returns the index after it. */
static size_t
mime_param_token(const char *s, size_t len, size_t i, char *dst, size_t size,
    bool *ok)
{
	size_t	n = 0;
	char	c;

	*ok = true;
	for (; i < len && mime_param_tokenc(s[i]); i++) {
		c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (n + 1 >= size)
			*ok = false;
		else
			dst[n++] = c;
	}
	dst[n] = '\0';
	if (n == 0)
		*ok = false;
	return i;
}

/* Parse "type/subtype" at the start; false (and text/plain, as RFC 2045
 * section 5.2 says) if it cannot be read. */
bool
mime_ctype_parse(const char *s, size_t len, struct mime_ctype *ct)
{
	size_t	i;
	bool	ok1, ok2;

	i = mime_param_cfws(s, len, 0);
	i = mime_param_token(s, len, i, ct->type, sizeof ct->type, &ok1);
	i = mime_param_cfws(s, len, i);
	if (ok1 && i < len && s[i] == '/') {
		i = mime_param_cfws(s, len, i + 1);
		mime_param_token(s, len, i, ct->subtype, sizeof ct->subtype,
		    &ok2);
		if (ok2)
			return true;
	}
	memcpy(ct->type, "text", 5);
	memcpy(ct->subtype, "plain", 6);
	return false;
}

/* Skip a quoted string starting at s[i] == '"'; returns the index after. */
static size_t
mime_param_quoted(const char *s, size_t len, size_t i)
{
	for (i++; i < len && s[i] != '"'; i++) {
		if (s[i] == '\\' && i + 1 < len)
			i++;
	}
	return i < len ? i + 1 : len;
}

/* Read the parameter after the ';' at or after i; returns where the next
 * one may start (len when done) and fills p (p->name NULL if malformed). */
static size_t
mime_param_next(const char *s, size_t len, size_t i, struct mime_param *p)
{
	p->name = NULL;
	while (i < len && s[i] != ';')
		i = s[i] == '"' ? mime_param_quoted(s, len, i) : i + 1;
	if (i >= len)
		return len;
	i = mime_param_cfws(s, len, i + 1);
	p->name = s + i;
	while (i < len && (mime_param_tokenc(s[i]) || s[i] == '*'))
		i++;
	p->nlen = (size_t)(s + i - p->name);
	i = mime_param_cfws(s, len, i);
	if (p->nlen == 0 || i >= len || s[i] != '=') {
		p->name = NULL;
		return i;
	}
	i = mime_param_cfws(s, len, i + 1);
	p->val = s + i;
	if (i < len && s[i] == '"')
		i = mime_param_quoted(s, len, i);
	else {
		while (i < len && s[i] != ';' && s[i] != ' ' && s[i] != '\t')
			i++;
	}
	p->vlen = (size_t)(s + i - p->val);
	return i;
}

/* Append a value with its quotes and escapes undone. */
static int
mime_param_unquote(const struct mime_param *p, struct buf *out)
{
	size_t	i, end = p->vlen;

	if (p->vlen == 0 || p->val[0] != '"')
		return buf_add(out, p->val, p->vlen);
	if (end >= 2 && p->val[end - 1] == '"')
		end--;
	for (i = 1; i < end; i++) {
		if (p->val[i] == '\\' && i + 1 < end)
			i++;
		if (buf_addc(out, p->val[i]) == -1)
			return -1;
	}
	return 0;
}

/* Append a %XX-encoded value (RFC 2231 section 4) as raw bytes. */
static void
mime_param_pct(const char *s, size_t len, struct buf *out)
{
	size_t	i;
	int	hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len &&
		    (hi = mime_hex_value(s[i + 1])) >= 0 &&
		    (lo = mime_hex_value(s[i + 2])) >= 0) {
			buf_addc(out, (char)(hi << 4 | lo));
			i += 2;
		} else
			buf_addc(out, s[i]);
	}
}

/* Sort one parameter into what mime_param_get is looking for. */
static void
mime_param_match(struct mime_param_want *w, const struct mime_param *p)
{
	const char	*rest;
	size_t		 n, i, sect = 0;

	if (p->nlen < w->nlen || strncasecmp(p->name, w->name, w->nlen) != 0)
		return;
	rest = p->name + w->nlen;
	n = p->nlen - w->nlen;
	if (n == 0) {
		if (w->plain.name == NULL)
			w->plain = *p;
		return;
	}
	if (rest[0] != '*')
		return;
	if (n == 1) {
		if (w->ext.name == NULL)
			w->ext = *p;
		return;
	}
	for (i = 1; i < n && rest[i] >= '0' && rest[i] <= '9' && i < 4; i++)
		sect = sect * 10 + (size_t)(rest[i] - '0');
	if (i == 1 || sect >= MIME_PARAM_SECTIONS ||
	    (i != n && !(i + 1 == n && rest[i] == '*')))
		return;
	if (w->sect[sect].name == NULL) {
		w->sect[sect] = *p;
		w->sect_ext[sect] = i + 1 == n;
	}
}

/* Split "charset'lang'rest" off the start of an extended value. */
static void
mime_param_charset(struct buf *v, const char **cs, size_t *cslen,
    size_t *skip)
{
	const char	*q1, *q2;

	*cs = NULL;
	*cslen = *skip = 0;
	if (v->len == 0 || (q1 = memchr(v->data, '\'', v->len)) == NULL)
		return;
	q2 = memchr(q1 + 1, '\'', v->len - (size_t)(q1 + 1 - v->data));
	if (q2 == NULL)
		return;
	*cs = v->data;
	*cslen = (size_t)(q1 - v->data);
	*skip = (size_t)(q2 + 1 - v->data);
}

/* Reassemble the RFC 2231 value (single or in sections) into out. */
static void
mime_param_extended(struct mime_param_want *w, struct buf *out)
{
	struct buf		 raw = BUF_INITIALIZER(MIME_HEADER_MAX);
	struct buf		 v = BUF_INITIALIZER(MIME_HEADER_MAX);
	const struct mime_param	*p;
	const char		*cs = NULL;
	char			 csname[MIME_CHARSET_NAME_MAX + 1];
	size_t			 cslen = 0, skip, i;
	bool			 is_ext;

	csname[0] = '\0';
	for (i = 0; i < MIME_PARAM_SECTIONS; i++) {
		p = w->ext.name != NULL ? &w->ext : &w->sect[i];
		is_ext = w->ext.name != NULL || w->sect_ext[i];
		if (p->name == NULL)
			break;
		buf_reset(&v);
		mime_param_unquote(p, &v);
		skip = 0;
		if (is_ext && i == 0) {
			mime_param_charset(&v, &cs, &cslen, &skip);
			if (cs != NULL && cslen < sizeof csname) {
				memcpy(csname, cs, cslen);
				csname[cslen] = '\0';
			}
		}
		if (is_ext)
			mime_param_pct(buf_str(&v) + skip, v.len - skip, &raw);
		else
			buf_add(&raw, buf_str(&v), v.len);
		if (w->ext.name != NULL)
			break;
	}
	if (csname[0] == '\0' || mime_charset_convert(csname, strlen(csname),
	    buf_str(&raw), raw.len, out) == MIME_CHARSET_UNKNOWN)
		mime_charset_guess(buf_str(&raw), raw.len, out);
	buf_fini(&v);
	buf_fini(&raw);
}

/* The value of parameter name in a Content-Type-like value, or NULL.
 * New string. */
char *
mime_param_get(const char *s, size_t len, const char *name)
{
	struct mime_param_want	 w;
	struct mime_param	 p;
	struct buf		 out = BUF_INITIALIZER(MIME_HEADER_MAX);
	size_t			 i = 0;

	memset(&w, 0, sizeof w);
	w.name = name;
	w.nlen = strlen(name);
	while (i < len) {
		i = mime_param_next(s, len, i, &p);
		if (p.name != NULL)
			mime_param_match(&w, &p);
	}
	if (w.ext.name != NULL || w.sect[0].name != NULL)
		mime_param_extended(&w, &out);
	else if (w.plain.name != NULL)
		mime_param_unquote(&w.plain, &out);
	else
		return NULL;
	return buf_take(&out);
}

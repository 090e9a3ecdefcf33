/*
 * html.c - a text rendering of an HTML part for the pager, when a message
 * has no text/plain part.
 *
 * Not an HTML parser: tags are dropped (quoted attribute values may hold
 * '>'), the contents of script, style and title are dropped, comments are
 * dropped, block elements become line breaks, runs of blanks collapse to
 * one space outside <pre>, and character references (&amp; &lt; &gt;
 * &nbsp; &#NNN; &#xHH; and a few common names) are decoded.  Input is UTF-8
 * (charset already converted); output is UTF-8, not yet sanitised.  Linear
 * in the input apart from the search for a closing </script> or </style>.
 */
#include <string.h>
#include <strings.h>

#include "mime/mime.h"
#include "mime/mime_int.h"

/* Rendering state. */
struct mime_html {
	struct buf	*out;
	int		 newlines;	/* trailing newlines in out */
	bool		 space;		/* a collapsed blank is pending */
	bool		 pre;		/* inside <pre> */
};

static const struct {
	const char	*name;
	uint32_t	 cp;
} mime_html_entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", 0xa0 }, { "copy", 0xa9 },
	{ "reg", 0xae }, { "trade", 0x2122 }, { "mdash", 0x2014 },
	{ "ndash", 0x2013 }, { "hellip", 0x2026 }, { "laquo", 0xab },
	{ "raquo", 0xbb }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 },
	{ "ldquo", 0x201c }, { "rdquo", 0x201d }, { "euro", 0x20ac },
	{ "bull", 0x2022 }, { "middot", 0xb7 }, { "times", 0xd7 },
	{ "deg", 0xb0 }, { "pound", 0xa3 }, { "sect", 0xa7 },
	{ "eacute", 0xe9 }, { "egrave", 0xe8 }, { "agrave", 0xe0 },
	{ "auml", 0xe4 }, { "ouml", 0xf6 }, { "uuml", 0xfc },
	{ "Auml", 0xc4 }, { "Ouml", 0xd6 }, { "Uuml", 0xdc },
	{ "szlig", 0xdf }, { "ccedil", 0xe7 },
};

/* Tags that end a line, and those that end a paragraph. */
static const char *mime_html_block[] = {
	"br", "div", "tr", "li", "table", "blockquote", "ul", "ol", "hr",
	"pre", "dd", "dt", "dl", "center", "address", "section", "article",
	"header", "footer", "form", "tbody", "thead"
};
static const char *mime_html_para[] = {
	"p", "h1", "h2", "h3", "h4", "h5", "h6"
};

/* Append bytes of visible text, flushing a pending blank first. */
static void
mime_html_emit(struct mime_html *h, const char *s, size_t len)
{
	if (h->space && h->newlines == 0 && h->out->len > 0)
		buf_addc(h->out, ' ');
	h->space = false;
	buf_add(h->out, s, len);
	h->newlines = len > 0 && s[len - 1] == '\n' ? h->newlines + 1 : 0;
}

/* End the current line so that at most want newlines trail (want <= 2). */
static void
mime_html_break(struct mime_html *h, int want, bool force)
{
	h->space = false;
	if (h->out->len == 0)
		return;
	if (force && h->newlines < 2) {
		buf_addc(h->out, '\n');
		h->newlines++;
		return;
	}
	while (h->newlines < want) {
		buf_addc(h->out, '\n');
		h->newlines++;
	}
}

/* Decode a character reference at s[0] == '&'; returns its length, or 0
 * if it is not one (then '&' is literal). */
static size_t
mime_html_entity(struct mime_html *h, const char *s, size_t len)
{
	size_t		 i, n;
	uint32_t	 cp = 0;
	struct buf	 tmp = BUF_INITIALIZER(8);
	int		 d;

	if (len > 2 && s[1] == '#') {
		bool	x = s[2] == 'x' || s[2] == 'X';

		for (i = x ? 3 : 2; i < len && i < 12; i++) {
			if (s[i] >= '0' && s[i] <= '9')
				d = s[i] - '0';
			else if (x && (s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'f')
				d = (s[i] | 0x20) - 'a' + 10;
			else
				break;
			cp = cp * (x ? 16 : 10) + (uint32_t)d;
		}
		if (i == (x ? 3u : 2u) || i >= len || s[i] != ';')
			return 0;
		if (cp == 0 || i >= 11)
			cp = 0xfffd;
		mime_utf8_put(&tmp, cp);
		mime_html_emit(h, buf_str(&tmp), tmp.len);
		buf_fini(&tmp);
		return i + 1;
	}
	for (i = 1; i < len && i < 10 && s[i] != ';'; i++)
		;
	if (i >= len || s[i] != ';')
		return 0;
	for (n = 0; n < sizeof mime_html_entities /
	    sizeof mime_html_entities[0]; n++) {
		if (strlen(mime_html_entities[n].name) == i - 1 &&
		    memcmp(mime_html_entities[n].name, s + 1, i - 1) == 0) {
			mime_utf8_put(&tmp, mime_html_entities[n].cp);
			mime_html_emit(h, buf_str(&tmp), tmp.len);
			buf_fini(&tmp);
			return i + 1;
		}
	}
	return 0;
}

/* Find the '>' ending a tag that starts at s[0], skipping quoted values;
 * len if there is none. */
static size_t
mime_html_tag_end(const char *s, size_t len)
{
	size_t		 i;
	char		 q = 0;

	for (i = 1; i < len; i++) {
		if (q != 0) {
			if (s[i] == q)
				q = 0;
		} else if (s[i] == '"' || s[i] == '\'')
			q = s[i];
		else if (s[i] == '>')
			return i;
	}
	return len;
}

/* Find the end of the element "</name ...>" at or after s; len if none. */
static size_t
mime_html_skip_to_close(const char *s, size_t len, const char *name)
{
	size_t	i, n = strlen(name);

	for (i = 0; i + 2 + n <= len; i++) {
		if (s[i] == '<' && s[i + 1] == '/' &&
		    strncasecmp(s + i + 2, name, n) == 0)
			return i + mime_html_tag_end(s + i, len - i);
	}
	return len;
}

/* Whether name is in a list of tag names. */
static bool
mime_html_in(const char *name, const char **list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(name, list[i]) == 0)
			return true;
	}
	return false;
}

/* Handle the tag at s[0] == '<'; returns the bytes used, 0 if it is not
 * a tag (then '<' is literal). */
static size_t
mime_html_tag(struct mime_html *h, const char *s, size_t len)
{
	char	 name[16];
	size_t	 i = 1, n = 0, end;
	bool	 close = false;

	if (len >= 4 && memcmp(s, "<!--", 4) == 0) {
		for (i = 4; i + 3 <= len; i++) {
			if (memcmp(s + i, "-->", 3) == 0)
				return i + 3;
		}
		return len;
	}
	if (len > 1 && s[1] == '/') {
		close = true;
		i++;
	}
	if (i >= len || !(((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') ||
	    (!close && (s[i] == '!' || s[i] == '?'))))
		return 0;
	for (; i < len && n + 1 < sizeof name &&
	    (((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') ||
	    (s[i] >= '0' && s[i] <= '9')); i++)
		name[n++] = (char)(s[i] | 0x20);
	name[n] = '\0';
	end = mime_html_tag_end(s, len);
	end = end < len ? end + 1 : len;
	if (!close && (strcmp(name, "script") == 0 ||
	    strcmp(name, "style") == 0 || strcmp(name, "title") == 0)) {
		i = mime_html_skip_to_close(s + end, len - end, name);
		return end + i < len ? end + i + 1 : len;
	}
	if (strcmp(name, "pre") == 0)
		h->pre = !close;
	if (strcmp(name, "br") == 0)
		mime_html_break(h, 1, true);
	else if (mime_html_in(name, mime_html_para, sizeof mime_html_para /
	    sizeof mime_html_para[0]))
		mime_html_break(h, 2, false);
	else if (mime_html_in(name, mime_html_block, sizeof mime_html_block /
	    sizeof mime_html_block[0]))
		mime_html_break(h, 1, false);
	else if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0)
		h->space = true;
	return end;
}

/* Render HTML (UTF-8) as plain text, appending to out; -1 if too big. */
int
mime_html_to_text(const char *in, size_t len, struct buf *out)
{
	struct mime_html	 h;
	size_t			 i = 0, n;
	char			 c;

	memset(&h, 0, sizeof h);
	h.out = out;
	while (i < len) {
		c = in[i];
		if (c == '<' && (n = mime_html_tag(&h, in + i, len - i)) > 0) {
			i += n;
			continue;
		}
		if (c == '&' &&
		    (n = mime_html_entity(&h, in + i, len - i)) > 0) {
			i += n;
			continue;
		}
		if (!h.pre && (c == ' ' || c == '\t' || c == '\r' ||
		    c == '\n' || c == '\f')) {
			h.space = true;
			i++;
			continue;
		}
		if (h.pre && c == '\r') {
			i++;
			continue;
		}
		mime_html_emit(&h, in + i, 1);
		i++;
	}
	return out->too_big ? -1 : 0;
}

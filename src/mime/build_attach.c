/*
 * build_attach.c - attachments of a built message: base64 bodies
 * (RFC 2045 section 6.8, lines of 76), Content-Type and
 * Content-Disposition with the filename (RFC 2183, RFC 2231 sections 3
 * and 4), encapsulated messages (RFC 2046 section 5.2.1).
 *
 * The filename goes in Content-Disposition: a quoted string when it is
 * short printable ASCII, else RFC 2231 (utf-8''%XX), cut into numbered
 * sections (filename*0*=, filename*1*=, ...) at whole characters when
 * one line cannot hold it.  Content-Type's name= repeats it for old
 * readers, as encoded words inside the quotes when it is not plain (RFC
 * 2047 section 5 forbids that; it is how every old reader expects it).
 * Control characters in a filename become "_", directories are dropped,
 * blanks around it trimmed.
 *
 * A message/rfc822 part is never base64 (section 5.2.1): it goes 7bit or,
 * when 8-bit is allowed, 8bit, with its line ends made CRLF.  One that
 * cannot go so (a NUL, a CR alone, a line over 998 octets, 8-bit bytes
 * when 8-bit is not allowed) is sent as application/octet-stream in
 * base64 instead, so it arrives intact.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime/build_int.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

/* Bytes per base64 line: 57 in, 76 out. */
#define MIME_BUILD_B64_IN	57

/* Append base64 in lines of 76, CRLF between lines (none after the
 * last: the delimiter that follows brings it). */
void
mime_build_base64(const char *s, size_t len, struct buf *out)
{
	static const char	 a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char	*p = (const unsigned char *)s;
	char			*w;
	uint32_t		 v;
	size_t			 i, j, n, k;

	for (i = 0; i < len; i += n) {
		n = len - i < MIME_BUILD_B64_IN ? len - i : MIME_BUILD_B64_IN;
		if ((w = buf_reserve(out, 80)) == NULL)
			return;
		k = 0;
		if (i > 0) {
			w[k++] = '\r';
			w[k++] = '\n';
		}
		for (j = i; j < i + n; j += 3) {
			v = (uint32_t)p[j] << 16;
			if (j + 1 < i + n)
				v |= (uint32_t)p[j + 1] << 8;
			if (j + 2 < i + n)
				v |= p[j + 2];
			w[k++] = a[v >> 18 & 63];
			w[k++] = a[v >> 12 & 63];
			w[k++] = j + 1 < i + n ? a[v >> 6 & 63] : '=';
			w[k++] = j + 2 < i + n ? a[v & 63] : '=';
		}
		buf_commit(out, k);
	}
}

/* Whether s is an RFC 2045 token (section 5.1) of at most 127 octets. */
bool
mime_build_token_ok(const char *s, size_t len)
{
	size_t	i;

	if (len == 0 || len > 127)
		return false;
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f ||
		    strchr("()<>@,;:\\\"/[]?=", s[i]) != NULL)
			return false;
	}
	return true;
}

/* Whether s is "type/subtype", both tokens. */
static bool
mime_build_ctype_ok(const char *s)
{
	const char	*slash = strchr(s, '/');

	return slash != NULL && mime_build_token_ok(s, (size_t)(slash - s)) &&
	    mime_build_token_ok(slash + 1, strlen(slash + 1));
}

/* The filename to send: the last path component, valid UTF-8, controls
 * made "_", blanks trimmed (readers trim them); NULL if nothing is left. */
static char *
mime_build_fname(const char *path)
{
	struct buf	 b = BUF_INITIALIZER(0);
	const char	*s, *slash;
	uint32_t	 cp;
	size_t		 i, n, len;

	if (path == NULL)
		return NULL;
	s = (slash = strrchr(path, '/')) != NULL ? slash + 1 : path;
	len = strlen(s);
	for (i = 0; i < len; i += n) {
		n = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (cp == UTF8_BAD)
			buf_add(&b, "\xef\xbf\xbd", 3);
		else if (cp < 0x20 || cp == 0x7f)
			buf_addc(&b, '_');
		else if (b.len > 0 || cp != ' ')
			buf_add(&b, s + i, n);
	}
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	if (b.len == 0) {
		buf_fini(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* Whether a filename can go as a plain quoted string "attr=\"name\"":
 * short printable ASCII without quotes, backslashes or "=?" (which old
 * readers would take for an encoded word). */
static bool
mime_build_fname_plain(const char *attr, const char *s)
{
	size_t	i, len = strlen(s);

	if (strlen(attr) + len + 3 > MIME_BUILD_WORD_MAX)
		return false;
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < ' ' || (unsigned char)s[i] >= 0x7f ||
		    s[i] == '"' || s[i] == '\\' ||
		    (s[i] == '=' && i + 1 < len && s[i + 1] == '?'))
			return false;
	}
	return true;
}

/* Whether c stands for itself in an RFC 2231 value (attribute-char). */
static bool
mime_build_attr_char(unsigned char c)
{
	return c > ' ' && c < 0x7f && strchr("*'%()<>@,;:\\\"/[]?=", c) ==
	    NULL;
}

/* Write filename= as RFC 2231 extended value(s), in sections when one
 * line cannot hold it. */
static void
mime_build_fname_2231(struct mime_hdr *h, const char *s)
{
	struct buf	 all = BUF_INITIALIZER(0), tok = BUF_INITIALIZER(0);
	const unsigned char *p = (const unsigned char *)s;
	uint32_t	 cp;
	size_t		 i, k, n, w, len = strlen(s), sect = 0;

	for (i = 0; i < len; i++)
		buf_printf(&all, mime_build_attr_char(p[i]) ? "%c" : "%%%02X",
		    p[i]);
	if (all.len + 17 <= MIME_BUILD_WORD_MAX) {
		buf_printf(&tok, "filename*=utf-8''%s", buf_str(&all));
		mime_hdr_token(h, buf_str(&tok), tok.len, false);
		goto out;
	}
	for (i = 0; i < len; sect++) {
		buf_reset(&tok);
		buf_printf(&tok, "filename*%zu*=%s", sect,
		    sect == 0 ? "utf-8''" : "");
		/* Whole characters while the token fits (";" glued after). */
		while (i < len) {
			n = utf8_decode(p + i, len - i, &cp);
			for (w = 0, k = i; k < i + n; k++)
				w += mime_build_attr_char(p[k]) ? 1 : 3;
			if (tok.len + w + 1 > MIME_BUILD_WORD_MAX)
				break;
			for (k = i; k < i + n; k++)
				buf_printf(&tok, mime_build_attr_char(p[k]) ?
				    "%c" : "%%%02X", p[k]);
			i += n;
		}
		mime_hdr_token(h, buf_str(&tok), tok.len, false);
		if (i < len)
			mime_hdr_glue(h, ";");
	}
out:
	buf_fini(&tok);
	buf_fini(&all);
}

/* Write name="..." for Content-Type: plain, or encoded words inside the
 * quotes. */
static void
mime_build_name_param(struct mime_hdr *h, const char *s)
{
	struct buf	 tok = BUF_INITIALIZER(0);
	size_t		 len = strlen(s), off = 0, n;
	char		 enc;

	if (mime_build_fname_plain("name", s)) {
		buf_printf(&tok, "name=\"%s\"", s);
		mime_hdr_token(h, buf_str(&tok), tok.len, false);
		buf_fini(&tok);
		return;
	}
	enc = mime_build_ew_pick(s, len);
	while (off < len) {
		buf_reset(&tok);
		if (off == 0)
			buf_adds(&tok, "name=\"");
		/* 64: with name=" before it and "; after it, the line fits. */
		n = mime_build_ew(s + off, len - off, enc, 64, &tok);
		off += n;
		if (off == len || n == 0)
			buf_addc(&tok, '"');
		mime_hdr_token(h, buf_str(&tok), tok.len, true);
		if (n == 0)
			break;
	}
	buf_fini(&tok);
}

/* Write Content-Disposition (with the filename, if any). */
static void
mime_build_disposition(struct buf *out, const struct mime_build_part *p,
    const char *fname)
{
	struct mime_hdr	 h;
	struct buf	 tok = BUF_INITIALIZER(0);

	mime_hdr_start(&h, out, "Content-Disposition");
	mime_hdr_token(&h, p->inline_disp ? "inline" : "attachment",
	    p->inline_disp ? 6 : 10, false);
	if (fname != NULL) {
		mime_hdr_glue(&h, ";");
		if (mime_build_fname_plain("filename", fname)) {
			buf_printf(&tok, "filename=\"%s\"", fname);
			mime_hdr_token(&h, buf_str(&tok), tok.len, false);
		} else
			mime_build_fname_2231(&h, fname);
	}
	mime_hdr_end(&h);
	buf_fini(&tok);
}

/* Write Content-Type: type, charset (text/ only), name. */
static void
mime_build_ctype(struct buf *out, const char *type, const char *charset,
    const char *fname)
{
	struct mime_hdr	 h;
	struct buf	 tok = BUF_INITIALIZER(0);

	mime_hdr_start(&h, out, "Content-Type");
	mime_hdr_token(&h, type, strlen(type), false);
	if (charset != NULL && strncasecmp(type, "text/", 5) == 0) {
		mime_hdr_glue(&h, ";");
		buf_printf(&tok, "charset=%s", charset);
		mime_hdr_token(&h, buf_str(&tok), tok.len, false);
	}
	if (fname != NULL) {
		mime_hdr_glue(&h, ";");
		mime_build_name_param(&h, fname);
	}
	mime_hdr_end(&h);
	buf_fini(&tok);
}

/* The encoding a message/rfc822 part can go in: "7bit", "8bit", or NULL
 * when it cannot go unencoded. */
static const char *
mime_build_message_cte(const char *s, size_t len, bool allow_8bit)
{
	size_t	i, line = 0;
	bool	ascii = true;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n') {
			line = 0;
			continue;
		}
		if (s[i] == '\0' || ++line > MIME_BUILD_LINE_MAX ||
		    (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n')))
			return NULL;
		if ((unsigned char)s[i] >= 0x80)
			ascii = false;
	}
	if (ascii)
		return "7bit";
	return allow_8bit ? "8bit" : NULL;
}

/* Append an encapsulated message with its line ends made CRLF. */
static void
mime_build_message_body(const char *s, size_t len, struct buf *out)
{
	size_t	i, run = 0;

	for (i = 0; i < len; i++) {
		if (s[i] != '\n' || (i > 0 && s[i - 1] == '\r'))
			continue;
		buf_add(out, s + run, i - run);
		buf_add(out, "\r\n", 2);
		run = i + 1;
	}
	buf_add(out, s + run, len - run);
}

/*
 * Append one attachment as a body part: its header fields, the empty
 * line, the body (no final CRLF after base64: the delimiter brings it).
 * -1 with err (ERR_PARSE) on a bad content type, charset or filename.
 */
int
mime_build_attach(const struct mime_build_part *p, bool allow_8bit,
    struct buf *out, struct error *err)
{
	const char	*type, *cte = NULL, *data;
	char		*fname;
	int		 rc = -1;

	data = p->data != NULL ? p->data : "";
	fname = mime_build_fname(p->filename);
	type = p->content_type != NULL ? p->content_type :
	    "application/octet-stream";
	if (p->is_message) {
		type = "message/rfc822";
		if ((cte = mime_build_message_cte(data, p->len,
		    allow_8bit)) == NULL) {
			type = "application/octet-stream";
			if (fname == NULL)
				fname = xstrdup("message.eml");
		}
	}
	if (!mime_build_ctype_ok(type)) {
		error_set(err, ERR_PARSE, ERR_SCOPE_OP,
		    "attachment: bad content type \"%.80s\"", type);
		goto out;
	}
	if (p->charset != NULL &&
	    !mime_build_token_ok(p->charset, strlen(p->charset))) {
		error_set(err, ERR_PARSE, ERR_SCOPE_OP,
		    "attachment: bad charset \"%.80s\"", p->charset);
		goto out;
	}
	if (fname != NULL && strlen(fname) > MIME_BUILD_FILENAME_MAX) {
		error_set(err, ERR_PARSE, ERR_SCOPE_OP,
		    "attachment: filename longer than %d bytes",
		    MIME_BUILD_FILENAME_MAX);
		goto out;
	}
	mime_build_ctype(out, type, p->charset, fname);
	mime_build_disposition(out, p, fname);
	buf_printf(out, "Content-Transfer-Encoding: %s\r\n\r\n",
	    cte != NULL ? cte : "base64");
	if (cte != NULL)
		mime_build_message_body(data, p->len, out);
	else
		mime_build_base64(data, p->len, out);
	rc = 0;
out:
	free(fname);
	return rc;
}

/*
 * part_fields.c - what one MIME part says about itself: Content-Type with
 * its defaults (RFC 2045 section 5.2, RFC 2046 section 5.1.5), charset
 * (RFC 2046 section 4.1.2), Content-Disposition and the filename
 * (RFC 2183, RFC 2231), Content-Transfer-Encoding (RFC 2045 section 6).
 *
 * Parameters go through mime_param_get (RFC 2231 continuations and
 * charsets).  The filename is the disposition's filename=, else the
 * Content-Type's name= (what older mailers send), and RFC 2047 encoded
 * words in it are decoded: RFC 2047 section 5 forbids them in a quoted
 * string, but that is how most real mail spells a non-ASCII filename.  The
 * result is UTF-8 (raw 8-bit names read as UTF-8, else windows-1252),
 * trimmed, at most MIME_PART_FILENAME_MAX bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "mime/mime_int.h"
#include "mime/part.h"
#include "mime/part_int.h"

/* The unfolded value of a field of the part's header block, or NULL. */
static char *
mime_part_field(const struct mime_part *p, const char *name)
{
	const char	*val;
	size_t		 vlen;

	if (!mime_header_find(p->hdr, p->hlen, name, &val, &vlen))
		return NULL;
	return mime_header_unfold(val, vlen);
}

/* Copy the leading token of s, lower-cased, into dst ("" if it does not
 * fit): what a disposition type or a transfer encoding is. */
static void
mime_part_token(const char *s, char *dst, size_t size)
{
	size_t	n = 0;
	char	c;

	while (*s == ' ' || *s == '\t')
		s++;
	for (; *s != '\0' && *s != ';' && *s != ' ' && *s != '\t' &&
	    *s != '(' && *s != '\r' && *s != '\n'; s++) {
		if (n + 1 >= size) {
			n = 0;
			break;
		}
		c = *s;
		dst[n++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	dst[n] = '\0';
}

/* Read Content-Transfer-Encoding. */
static void
mime_part_cte(struct mime_part *p)
{
	static const struct {
		const char	*name;
		enum mime_cte	 cte;
	} map[] = {
		{ "7bit", MIME_CTE_7BIT },
		{ "8bit", MIME_CTE_8BIT },
		{ "binary", MIME_CTE_BINARY },
		{ "quoted-printable", MIME_CTE_QP },
		{ "base64", MIME_CTE_BASE64 },
	};
	char	*v;
	size_t	 i;

	p->cte = MIME_CTE_NONE;
	if ((v = mime_part_field(p, "Content-Transfer-Encoding")) == NULL)
		return;
	mime_part_token(v, p->cte_name, sizeof p->cte_name);
	free(v);
	p->cte = MIME_CTE_OTHER;
	for (i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (strcmp(p->cte_name, map[i].name) == 0)
			p->cte = map[i].cte;
	}
}

/* Cut a UTF-8 string to at most max bytes, at a character boundary. */
static void
mime_part_cut(char *s, size_t max)
{
	size_t	n = strlen(s);

	if (n <= max)
		return;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	s[n] = '\0';
}

/* The decoded filename of the part, or NULL (new string). */
static char *
mime_part_filename(const char *disp, const char *ct)
{
	char	*f = NULL, *d;

	if (disp != NULL)
		f = mime_param_get(disp, strlen(disp), "filename");
	if (f == NULL && ct != NULL)
		f = mime_param_get(ct, strlen(ct), "name");
	if (f == NULL)
		return NULL;
	/* Decodes encoded words, makes it UTF-8, trims blanks. */
	d = mime_rfc2047_decode(f, strlen(f));
	free(f);
	mime_part_cut(d, MIME_PART_FILENAME_MAX);
	return d;
}

/* Read the charset parameter, lower-cased ("" if none or too long). */
static void
mime_part_charset(struct mime_part *p, const char *ct)
{
	char	*cs;
	size_t	 i, n;

	p->charset[0] = '\0';
	if (ct == NULL ||
	    (cs = mime_param_get(ct, strlen(ct), "charset")) == NULL)
		return;
	n = strlen(cs);
	if (n < sizeof p->charset) {
		for (i = 0; i <= n; i++)
			p->charset[i] = cs[i] >= 'A' && cs[i] <= 'Z' ?
			    (char)(cs[i] - 'A' + 'a') : cs[i];
	}
	free(cs);
}

/* Read type, charset, disposition, filename and encoding of a part. */
void
mime_part_fields(struct mime_part *p, bool digest, char **boundary)
{
	struct mime_ctype	 ct;
	char			*ctv, *disp;

	*boundary = NULL;
	if ((ctv = mime_part_field(p, "Content-Type")) != NULL) {
		if (!mime_ctype_parse(ctv, strlen(ctv), &ct))
			p->defects |= MIME_DEFECT_BAD_TYPE;
	} else if (digest) {
		memcpy(ct.type, "message", 8);
		memcpy(ct.subtype, "rfc822", 7);
	} else
		mime_ctype_parse("", 0, &ct);
	memcpy(p->type, ct.type, sizeof p->type);
	memcpy(p->subtype, ct.subtype, sizeof p->subtype);
	mime_part_charset(p, ctv);
	if (ctv != NULL && strcmp(p->type, "multipart") == 0)
		*boundary = mime_param_get(ctv, strlen(ctv), "boundary");
	disp = mime_part_field(p, "Content-Disposition");
	if (disp != NULL)
		mime_part_token(disp, p->disposition, sizeof p->disposition);
	p->filename = mime_part_filename(disp, ctv);
	mime_part_cte(p);
	free(disp);
	free(ctv);
}

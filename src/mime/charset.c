/*
 * charset.c - bytes in a named charset to UTF-8 (RFC 2045 section 5.1,
 * RFC 2046 section 4.1.2), through iconv.
 *
 * Charset labels are matched case-insensitively after an alias table that
 * fixes labels glibc lacks or that real mail uses for a superset (the
 * WHATWG Encoding Standard's choices: latin1 is read as windows-1252,
 * gb2312 as GB18030, ks_c_5601-1987 as CP949, Shift_JIS as CP932).
 * "unknown-8bit", "x-unknown" and friends are read as windows-1252: every
 * byte then shows as something, which is more useful than a line of U+FFFD.
 * us-ascii, latin1 and windows-1252 (and a missing charset) are read as
 * UTF-8 when the bytes are valid UTF-8 and as windows-1252 otherwise:
 * 8-bit bytes under a us-ascii label are always a mislabel, UTF-8 sent
 * under a Western label is common, and Western text that happens to be
 * valid multi-byte UTF-8 is vanishingly rare.  Invalid input becomes U+FFFD and conversion
 * goes on.  UTF-8 is checked strictly (RFC 3629: no overlongs, surrogates
 * or code points past U+10FFFF) without iconv.
 */
#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

#include "mime/mime.h"
#include "mime/mime_int.h"

#define MIME_FFFD	"\xef\xbf\xbd"

/* How a label is read. */
enum mime_cs_kind {
	MIME_CS_ICONV,		/* through iconv with the given name */
	MIME_CS_GUESS,		/* UTF-8 if valid, else windows-1252 */
	MIME_CS_UTF8		/* our own strict UTF-8 path */
};

struct mime_cs_alias {
	const char		*label;
	enum mime_cs_kind	 kind;
	const char		*target;
};

static const struct mime_cs_alias mime_cs_aliases[] = {
	{ "us-ascii", MIME_CS_GUESS, NULL },
	{ "ascii", MIME_CS_GUESS, NULL },
	{ "us", MIME_CS_GUESS, NULL },
	{ "ansi_x3.4-1968", MIME_CS_GUESS, NULL },
	{ "iso646-us", MIME_CS_GUESS, NULL },
	{ "csascii", MIME_CS_GUESS, NULL },
	{ "cp367", MIME_CS_GUESS, NULL },
	{ "utf-8", MIME_CS_UTF8, NULL },
	{ "utf8", MIME_CS_UTF8, NULL },
	{ "unicode-1-1-utf-8", MIME_CS_UTF8, NULL },
	{ "x-unicode20utf8", MIME_CS_UTF8, NULL },
	{ "latin1", MIME_CS_GUESS, NULL },
	{ "latin-1", MIME_CS_GUESS, NULL },
	{ "l1", MIME_CS_GUESS, NULL },
	{ "iso-8859-1", MIME_CS_GUESS, NULL },
	{ "iso8859-1", MIME_CS_GUESS, NULL },
	{ "iso_8859-1", MIME_CS_GUESS, NULL },
	{ "iso_8859-1:1987", MIME_CS_GUESS, NULL },
	{ "iso-ir-100", MIME_CS_GUESS, NULL },
	{ "cp819", MIME_CS_GUESS, NULL },
	{ "csisolatin1", MIME_CS_GUESS, NULL },
	{ "x-unknown", MIME_CS_GUESS, NULL },
	{ "unknown-8bit", MIME_CS_GUESS, NULL },
	{ "unknown", MIME_CS_GUESS, NULL },
	{ "x-user-defined", MIME_CS_GUESS, NULL },
	{ "windows-1252", MIME_CS_GUESS, NULL },
	{ "cp1252", MIME_CS_GUESS, NULL },
	{ "x-cp1252", MIME_CS_GUESS, NULL },
	{ "ks_c_5601-1987", MIME_CS_ICONV, "CP949" },
	{ "ks_c_5601-1989", MIME_CS_ICONV, "CP949" },
	{ "ks_c_5601", MIME_CS_ICONV, "CP949" },
	{ "ksc5601", MIME_CS_ICONV, "CP949" },
	{ "ksc_5601", MIME_CS_ICONV, "CP949" },
	{ "euc-kr", MIME_CS_ICONV, "CP949" },
	{ "windows-949", MIME_CS_ICONV, "CP949" },
	{ "gb2312", MIME_CS_ICONV, "GB18030" },
	{ "gb_2312-80", MIME_CS_ICONV, "GB18030" },
	{ "csgb2312", MIME_CS_ICONV, "GB18030" },
	{ "euc-cn", MIME_CS_ICONV, "GB18030" },
	{ "x-euc-cn", MIME_CS_ICONV, "GB18030" },
	{ "gbk", MIME_CS_ICONV, "GB18030" },
	{ "x-gbk", MIME_CS_ICONV, "GB18030" },
	{ "cp936", MIME_CS_ICONV, "GB18030" },
	{ "windows-936", MIME_CS_ICONV, "GB18030" },
	{ "iso-8859-8-i", MIME_CS_ICONV, "ISO-8859-8" },
	{ "iso-8859-8-e", MIME_CS_ICONV, "ISO-8859-8" },
	{ "csiso88598i", MIME_CS_ICONV, "ISO-8859-8" },
	{ "big5", MIME_CS_ICONV, "BIG5-HKSCS" },
	{ "x-x-big5", MIME_CS_ICONV, "BIG5-HKSCS" },
	{ "csbig5", MIME_CS_ICONV, "BIG5-HKSCS" },
	{ "shift_jis", MIME_CS_ICONV, "CP932" },
	{ "shift-jis", MIME_CS_ICONV, "CP932" },
	{ "sjis", MIME_CS_ICONV, "CP932" },
	{ "x-sjis", MIME_CS_ICONV, "CP932" },
	{ "ms_kanji", MIME_CS_ICONV, "CP932" },
	{ "csshiftjis", MIME_CS_ICONV, "CP932" },
	{ "tis-620", MIME_CS_ICONV, "CP874" },
	{ "iso-8859-11", MIME_CS_ICONV, "CP874" },
	{ "x-mac-roman", MIME_CS_ICONV, "MACINTOSH" },
	{ "mac", MIME_CS_ICONV, "MACINTOSH" },
	/* More labels of the WHATWG Encoding Standard that glibc lacks. */
	{ "mac-roman", MIME_CS_ICONV, "MACINTOSH" },
	{ "x-mac-cyrillic", MIME_CS_ICONV, "MAC-CYRILLIC" },
	{ "x-mac-ukrainian", MIME_CS_ICONV, "MAC-UK" },
	{ "x-mac-ce", MIME_CS_ICONV, "MAC-CENTRALEUROPE" },
	{ "x-mac-icelandic", MIME_CS_ICONV, "MAC-IS" },
	{ "x-cp1250", MIME_CS_ICONV, "CP1250" },
	{ "x-cp1251", MIME_CS_ICONV, "CP1251" },
	{ "x-cp1257", MIME_CS_ICONV, "CP1257" },
	{ "iso-8859-6-i", MIME_CS_ICONV, "ISO-8859-6" },
	{ "iso-8859-6-e", MIME_CS_ICONV, "ISO-8859-6" },
	{ "csiso88596i", MIME_CS_ICONV, "ISO-8859-6" },
	{ "csiso88596e", MIME_CS_ICONV, "ISO-8859-6" },
	{ "csiso88598e", MIME_CS_ICONV, "ISO-8859-8" },
	{ "visual", MIME_CS_ICONV, "ISO-8859-8" },
	{ "logical", MIME_CS_ICONV, "ISO-8859-8" },
	{ "sun_eu_greek", MIME_CS_ICONV, "ISO-8859-7" },
	{ "gb_2312", MIME_CS_ICONV, "GB18030" },
	{ "iso-ir-58", MIME_CS_ICONV, "GB18030" },
	{ "chinese", MIME_CS_ICONV, "GB18030" },
	{ "iso-ir-149", MIME_CS_ICONV, "CP949" },
	{ "korean", MIME_CS_ICONV, "CP949" },
	{ "csksc56011987", MIME_CS_ICONV, "CP949" },
	{ "x-euc-jp", MIME_CS_ICONV, "EUC-JP" },
	{ "dos-874", MIME_CS_ICONV, "CP874" },
	{ "windows-874", MIME_CS_ICONV, "CP874" },
	{ "windows-31j", MIME_CS_ICONV, "CP932" },
	{ "unicodefffe", MIME_CS_ICONV, "UTF-16BE" },
	{ "unicodefeff", MIME_CS_ICONV, "UTF-16LE" },
};

/* Whether the bytes are entirely valid UTF-8. */
bool
mime_utf8_valid(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 off = 0;
	uint32_t		 cp;

	while (off < len) {
		if (p[off] < 0x80) {
			off++;
			continue;
		}
		off += utf8_decode(p + off, len - off, &cp);
		if (cp == UTF8_BAD)
			return false;
	}
	return true;
}

/* Append one code point as UTF-8 (U+FFFD if it is not a scalar value). */
int
mime_utf8_put(struct buf *out, uint32_t cp)
{
	char	s[4];

	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return buf_add(out, MIME_FFFD, 3);
	if (cp < 0x80)
		return buf_addc(out, (char)cp);
	if (cp < 0x800) {
		s[0] = (char)(0xc0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3f));
		return buf_add(out, s, 2);
	}
	if (cp < 0x10000) {
		s[0] = (char)(0xe0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[2] = (char)(0x80 | (cp & 0x3f));
		return buf_add(out, s, 3);
	}
	s[0] = (char)(0xf0 | (cp >> 18));
	s[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	s[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	s[3] = (char)(0x80 | (cp & 0x3f));
	return buf_add(out, s, 4);
}

/* Append UTF-8 text, each maximal invalid subpart replaced by U+FFFD. */
int
mime_utf8_append_valid(struct buf *out, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 off = 0, run = 0, n;
	uint32_t		 cp;

	while (off < len) {
		if (p[off] < 0x80) {
			off++;
			continue;
		}
		n = utf8_decode(p + off, len - off, &cp);
		if (cp != UTF8_BAD) {
			off += n;
			continue;
		}
		if (buf_add(out, s + run, off - run) == -1 ||
		    buf_add(out, MIME_FFFD, 3) == -1)
			return -1;
		off += n;
		run = off;
	}
	return buf_add(out, s + run, off - run);
}

/* Run iconv over the whole input; EILSEQ emits U+FFFD and skips one code
 * unit (a byte, or 2 or 4 for UTF-16/32 so they stay aligned). */
static int
mime_charset_iconv(iconv_t cd, size_t unit, const char *in, size_t len,
    struct buf *out)
{
	char	 tmp[4096], *ip = (char *)in, *op;
	size_t	 il = len, ol, r;
	int	 e;

	while (il > 0) {
		op = tmp;
		ol = sizeof tmp;
		r = iconv(cd, &ip, &il, &op, &ol);
		e = errno;
		/* glibc may emit 5- and 6-byte forms (UCS-4 input past
		 * U+10FFFF): check what it wrote.  iconv only writes whole
		 * characters, so each chunk can be checked alone. */
		if (mime_utf8_append_valid(out, tmp, (size_t)(op - tmp)) == -1)
			return -1;
		if (r != (size_t)-1)
			break;
		if (e == E2BIG)
			continue;
		if (buf_add(out, MIME_FFFD, 3) == -1)
			return -1;
		if (e != EILSEQ)
			break;	/* EINVAL: truncated sequence at the end */
		if (unit > il)
			unit = il;
		ip += unit;
		il -= unit;
	}
	op = tmp;
	ol = sizeof tmp;
	iconv(cd, NULL, NULL, &op, &ol);
	return mime_utf8_append_valid(out, tmp, (size_t)(op - tmp));
}

/* Convert through iconv from the named charset; MIME_CHARSET_UNKNOWN if
 * iconv does not know it. */
static int
mime_charset_via(const char *name, const char *in, size_t len, struct buf *out)
{
	iconv_t	cd;
	size_t	unit = 1;
	int	r;

	if ((cd = iconv_open("UTF-8", name)) == (iconv_t)-1)
		return MIME_CHARSET_UNKNOWN;
	if (strncasecmp(name, "utf-16", 6) == 0 ||
	    strncasecmp(name, "ucs-2", 5) == 0 ||
	    strncasecmp(name, "utf16", 5) == 0)
		unit = 2;
	else if (strncasecmp(name, "utf-32", 6) == 0 ||
	    strncasecmp(name, "ucs-4", 5) == 0 ||
	    strncasecmp(name, "utf32", 5) == 0)
		unit = 4;
	r = mime_charset_iconv(cd, unit, in, len, out);
	iconv_close(cd);
	return r;
}

/* Text with no trustworthy label: UTF-8 if valid, else windows-1252. */
int
mime_charset_guess(const char *in, size_t len, struct buf *out)
{
	int	r;

	if (mime_utf8_valid(in, len))
		return buf_add(out, in, len);
	r = mime_charset_via("WINDOWS-1252", in, len, out);
	if (r == MIME_CHARSET_UNKNOWN)
		r = mime_utf8_append_valid(out, in, len);
	return r;
}

/* Lower-case a label into name; strip quotes, blanks and an RFC 2231
 * "*language" suffix.  -1 if empty, too long or holding odd characters
 * (no '/', so nothing can reach glibc's "//TRANSLIT" suffix parsing). */
static int
mime_charset_name(const char *cs, size_t cslen, char *name, size_t size)
{
	size_t	i, n = 0;
	char	c;

	while (cslen > 0 && strchr(" \t\"'", cs[0]) != NULL) {
		cs++;
		cslen--;
	}
	for (i = 0; i < cslen; i++) {
		c = cs[i];
		if (c == '*' || c == '"' || c == '\'' || c == ' ' || c == '\t')
			break;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == ':' || c == '+'))
			return -1;
		if (n + 1 >= size)
			return -1;
		name[n++] = c;
	}
	name[n] = '\0';
	return n == 0 ? -1 : 0;
}

/* Convert (in, len) from charset (cs, cslen) to UTF-8, appending to out.
 * -1 if out is too big; MIME_CHARSET_UNKNOWN (nothing appended) if the
 * charset is not known. */
int
mime_charset_convert(const char *cs, size_t cslen, const char *in, size_t len,
    struct buf *out)
{
	char		 name[MIME_CHARSET_NAME_MAX + 1];
	const char	*target;
	size_t		 i;

	if (mime_charset_name(cs, cslen, name, sizeof name) == -1)
		return MIME_CHARSET_UNKNOWN;
	target = name;
	for (i = 0; i < sizeof mime_cs_aliases / sizeof mime_cs_aliases[0];
	    i++) {
		if (strcmp(name, mime_cs_aliases[i].label) != 0)
			continue;
		switch (mime_cs_aliases[i].kind) {
		case MIME_CS_GUESS:
			return mime_charset_guess(in, len, out);
		case MIME_CS_UTF8:
			return mime_utf8_append_valid(out, in, len);
		case MIME_CS_ICONV:
			target = mime_cs_aliases[i].target;
			break;
		}
		break;
	}
	return mime_charset_via(target, in, len, out);
}

/* Unlabelled text: UTF-8 if valid, else the fallback charset. */
static int
mime_charset_unlabelled(const char *fallback, const char *in, size_t len,
    struct buf *out)
{
	int	r;

	if (fallback == NULL || mime_utf8_valid(in, len))
		return mime_charset_guess(in, len, out);
	r = mime_charset_convert(fallback, strlen(fallback), in, len, out);
	return r == MIME_CHARSET_UNKNOWN ? mime_charset_guess(in, len, out) : r;
}

/* Whether a charset label can be read (a probe conversion of nothing). */
bool
mime_charset_known(const char *charset)
{
	struct buf	 b = BUF_INITIALIZER(16);
	int		 r;

	r = mime_charset_convert(charset, strlen(charset), "a", 1, &b);
	buf_fini(&b);
	return r != MIME_CHARSET_UNKNOWN;
}

/* Public entry: unknown charsets read as ASCII, other bytes as U+FFFD. */
int
mime_charset_to_utf8(const char *charset, const char *in, size_t len,
    struct buf *out)
{
	return mime_charset_to_utf8_or(charset, NULL, in, len, out);
}

/* The same with the user's fallback for unlabelled text. */
int
mime_charset_to_utf8_or(const char *charset, const char *fallback,
    const char *in, size_t len, struct buf *out)
{
	size_t	i, run = 0;
	int	r;

	if (charset == NULL)
		return mime_charset_unlabelled(fallback, in, len, out);
	r = mime_charset_convert(charset, strlen(charset), in, len, out);
	if (r != MIME_CHARSET_UNKNOWN)
		return r;
	for (i = 0; i < len; i++) {
		if ((unsigned char)in[i] < 0x80)
			continue;
		if (buf_add(out, in + run, i - run) == -1 ||
		    buf_add(out, MIME_FFFD, 3) == -1)
			return -1;
		run = i + 1;
	}
	return buf_add(out, in + run, len - run);
}

/*
 * imap_utf7.c - modified UTF-7 <-> UTF-8 (RFC 3501 section 5.1.3).
 *
 * Printable ASCII except '&' stands for itself, "&-" is '&', and anything
 * else is UTF-16BE in modified base64 (',' for '/', no padding) between
 * '&' and '-'.  Output sizes are bounded by a small multiple of the input.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "net/imap_utf7.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static const char imap_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

/* The value of a modified base64 digit, or -1. */
static int
imap_b64_value(unsigned char c)
{
	const char	*p;

	if (c == '\0' || (p = strchr(imap_b64, c)) == NULL)
		return -1;
	return (int)(p - imap_b64);
}

/* Append one code point as UTF-8. */
static void
imap_put_utf8(struct buf *out, uint32_t cp)
{
	char	 b[4];
	size_t	 n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_add(out, b, n);
}

/*
 * Decode the base64 run in[0..n) (between '&' and '-') as UTF-16BE; -1 if
 * it is badly padded, holds printable ASCII or a broken surrogate pair.
 */
static int
imap_utf7_shift(const char *in, size_t n, struct buf *out)
{
	uint32_t	 bits = 0, hi = 0, u;
	unsigned	 nbits = 0;
	int		 d;

	for (size_t i = 0; i < n; i++) {
		if ((d = imap_b64_value((unsigned char)in[i])) == -1)
			return -1;
		bits = (bits << 6) | (uint32_t)d;
		nbits += 6;
		if (nbits < 16)
			continue;
		nbits -= 16;
		u = (bits >> nbits) & 0xffff;
		bits &= (1u << nbits) - 1;
		if (hi != 0) {
			if (u < 0xdc00 || u > 0xdfff)
				return -1;
			imap_put_utf8(out, 0x10000 + ((hi - 0xd800) << 10) +
			    (u - 0xdc00));
			hi = 0;
		} else if (u >= 0xd800 && u <= 0xdbff)
			hi = u;
		else if ((u >= 0xdc00 && u <= 0xdfff) ||
		    (u >= 0x20 && u <= 0x7e))
			return -1;
		else
			imap_put_utf8(out, u);
	}
	/* Leftover bits are padding: fewer than 6 and all zero. */
	if (hi != 0 || nbits >= 6 || bits != 0)
		return -1;
	return 0;
}

/* Modified UTF-7 to a new UTF-8 string, or NULL if invalid. */
char *
imap_utf7_decode(const char *in, size_t len)
{
	struct buf	 out;
	const char	*end;
	size_t		 i = 0;
	unsigned char	 c;

	buf_init(&out, len * 3 + 16);
	while (i < len) {
		c = (unsigned char)in[i];
		if (c < 0x20 || c > 0x7e)
			goto bad;
		if (c != '&') {
			buf_addc(&out, (char)c);
			i++;
			continue;
		}
		end = memchr(in + i + 1, '-', len - i - 1);
		if (end == NULL)
			goto bad;
		if (end == in + i + 1)
			buf_addc(&out, '&');
		else if (imap_utf7_shift(in + i + 1,
		    (size_t)(end - in - i - 1), &out) == -1)
			goto bad;
		i = (size_t)(end - in) + 1;
	}
	if (out.too_big)
		goto bad;
	if (out.data == NULL)
		return xstrdup("");
	return buf_take(&out);

bad:
	buf_fini(&out);
	return NULL;
}

/* Read one UTF-8 code point at in[*i]; -1 if invalid. */
static int
imap_get_utf8(const char *in, size_t len, size_t *i, uint32_t *cp)
{
	const unsigned char	*p = (const unsigned char *)in + *i;
	size_t			 left = len - *i, n;
	uint32_t		 c, min;

	if (p[0] < 0x80) {
		*cp = p[0];
		(*i)++;
		return 0;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2;
		c = p[0] & 0x1f;
		min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		c = p[0] & 0x0f;
		min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4;
		c = p[0] & 0x07;
		min = 0x10000;
	} else
		return -1;
	if (left < n)
		return -1;
	for (size_t k = 1; k < n; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (p[k] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*cp = c;
	*i += n;
	return 0;
}

/* Flush a base64 run of UTF-16 units and close it with '-'. */
static void
imap_utf7_flush(struct buf *out, uint32_t bits, unsigned nbits)
{
	if (nbits > 0)
		buf_addc(out, imap_b64[(bits << (6 - nbits)) & 0x3f]);
	buf_addc(out, '-');
}

/* UTF-8 to a new modified UTF-7 string, or NULL if invalid UTF-8. */
char *
imap_utf7_encode(const char *in, size_t len)
{
	struct buf	 out;
	uint32_t	 cp, bits = 0, units[2];
	unsigned	 nbits = 0, nu;
	size_t		 i = 0;
	bool		 shifted = false;

	buf_init(&out, len * 4 + 16);
	while (i < len) {
		if (imap_get_utf8(in, len, &i, &cp) == -1) {
			buf_fini(&out);
			return NULL;
		}
		if (cp >= 0x20 && cp <= 0x7e) {
			if (shifted) {
				imap_utf7_flush(&out, bits, nbits);
				shifted = false;
				bits = nbits = 0;
			}
			if (cp == '&')
				buf_adds(&out, "&-");
			else
				buf_addc(&out, (char)cp);
			continue;
		}
		if (!shifted) {
			buf_addc(&out, '&');
			shifted = true;
		}
		if (cp >= 0x10000) {
			units[0] = 0xd800 + ((cp - 0x10000) >> 10);
			units[1] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
			nu = 2;
		} else {
			units[0] = cp;
			nu = 1;
		}
		for (unsigned k = 0; k < nu; k++) {
			bits = (bits << 16) | units[k];
			nbits += 16;
			while (nbits >= 6) {
				nbits -= 6;
				buf_addc(&out, imap_b64[(bits >> nbits) & 0x3f]);
			}
			bits &= (1u << nbits) - 1;
		}
	}
	if (shifted)
		imap_utf7_flush(&out, bits, nbits);
	if (out.data == NULL)
		return xstrdup("");
	return buf_take(&out);
}

/* The decoded name, or the raw bytes when they are not valid mUTF-7. */
char *
imap_utf7_display(const char *in, size_t len)
{
	char	*s;

	if ((s = imap_utf7_decode(in, len)) != NULL)
		return s;
	return xstrndup(in, len);
}

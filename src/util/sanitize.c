/*
 * sanitize.c - the one gate between untrusted text and the terminal (see
 * sanitize.h for the contract).
 *
 * What goes, and how:
 * - ESC and everything it introduces: CSI (ESC [ params intermediates
 *   final), the string sequences OSC, DCS, SOS, PM and APC (ESC ] P X ^ _)
 *   up to and including BEL or ST (ESC \ or U+009C), or up to CAN/SUB or a
 *   new ESC, or to the end of the input if never terminated; nF sequences
 *   (ESC, intermediates 0x20-0x2F, a final byte) and two-byte ones.  The
 *   same for the 8-bit introducers written as UTF-8 (U+009B CSI, U+009D
 *   OSC, U+0090 DCS, U+0098 SOS, U+009E PM, U+009F APC), which some
 *   terminals obey.  A sequence cut off at the end of the input is dropped
 *   whole; as no state is kept between calls, a sequence split across two
 *   calls loses its ESC in the first and is plain text in the second.
 * - Other C0 controls, DEL and C1 controls (U+0080-U+009F).  Tab and
 *   newline ("\n", "\r\n", and U+2028/U+2029) become a space unless the
 *   flags keep them; a lone CR is dropped (it would let text overwrite
 *   the line).
 * - Bidi embeddings, overrides, isolates and marks (U+202A-U+202E,
 *   U+2066-U+2069, U+200E, U+200F, U+061C), which can make text show in
 *   another order than it is (CVE-2021-42574), and U+FEFF (a byte order
 *   mark or zero-width no-break space: invisible, only useful to spoof).
 * - Invalid UTF-8 (overlongs, surrogates, past U+10FFFF, stray bytes,
 *   truncated sequences) becomes U+FFFD, one per maximal invalid subpart.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "utf8.h"

#define SANITIZE_FFFD	"\xef\xbf\xbd"
#define SANITIZE_ESC	0x1b

/* Skip the rest of a control sequence (CSI) from i; returns where the
 * text resumes.  A byte that cannot be part of it ends it unconsumed. */
static size_t
sanitize_csi(const unsigned char *p, size_t len, size_t i)
{
	for (; i < len; i++) {
		if (p[i] >= 0x40 && p[i] <= 0x7e)
			return i + 1;
		if (p[i] < 0x20 || p[i] > 0x3f)
			return i;
	}
	return len;
}

/* Skip the rest of a control string (OSC, DCS, SOS, PM, APC) from i up to
 * and including its terminator; returns where the text resumes. */
static size_t
sanitize_string(const unsigned char *p, size_t len, size_t i)
{
	for (; i < len; i++) {
		if (p[i] == 0x07)
			return i + 1;
		if (p[i] == 0x18 || p[i] == 0x1a)
			return i + 1;	/* CAN, SUB abort the string */
		if (p[i] == SANITIZE_ESC)
			return i + 1 < len && p[i + 1] == '\\' ? i + 2 : i;
		if (p[i] == 0xc2 && i + 1 < len && p[i + 1] == 0x9c)
			return i + 2;	/* ST as UTF-8 */
	}
	return len;
}

/* Skip an escape sequence whose ESC is at i; returns where text resumes. */
static size_t
sanitize_escape(const unsigned char *p, size_t len, size_t i)
{
	unsigned char	c;

	if (++i >= len)
		return len;
	c = p[i];
	if (c == '[')
		return sanitize_csi(p, len, i + 1);
	if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_')
		return sanitize_string(p, len, i + 1);
	if (c >= 0x20 && c <= 0x2f) {
		/* nF: intermediates, then one final byte. */
		while (i < len && p[i] >= 0x20 && p[i] <= 0x2f)
			i++;
		if (i < len && p[i] >= 0x30 && p[i] <= 0x7e)
			i++;
		return i;
	}
	if (c >= 0x30 && c <= 0x7e)
		return i + 1;
	return i;	/* a lone ESC: only it goes */
}

/* What to do with a decoded non-ASCII code point at p[i] (n bytes):
 * returns where text resumes, and sets *drop if the code point goes,
 * *nl if it is a newline. */
static size_t
sanitize_wide(const unsigned char *p, size_t len, size_t i, size_t n,
    uint32_t cp, int *drop)
{
	*drop = 1;
	if (cp == 0x9b)
		return sanitize_csi(p, len, i + n);
	if (cp == 0x9d || cp == 0x90 || cp == 0x98 || cp == 0x9e || cp == 0x9f)
		return sanitize_string(p, len, i + n);
	if (cp == 0x2028 || cp == 0x2029) {
		*drop = 2;
		return i + n;
	}
	if (cp <= 0x9f || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f ||
	    cp == 0x061c || cp == 0xfeff)
		return i + n;
	*drop = 0;
	return i + n;
}

/* Append what an ASCII control at p[i] becomes; returns where text
 * resumes. */
static size_t
sanitize_control(struct buf *out, const unsigned char *p, size_t len,
    size_t i, unsigned flags)
{
	switch (p[i]) {
	case SANITIZE_ESC:
		return sanitize_escape(p, len, i);
	case '\t':
		buf_addc(out, flags & SANITIZE_KEEP_TAB ? '\t' : ' ');
		return i + 1;
	case '\r':
		if (i + 1 >= len || p[i + 1] != '\n')
			return i + 1;	/* a lone CR goes */
		i++;
		/* FALLTHROUGH */
	case '\n':
		buf_addc(out, flags & SANITIZE_KEEP_NEWLINE ? '\n' : ' ');
		return i + 1;
	default:
		return i + 1;		/* other C0 controls and DEL */
	}
}

/* Append the sanitised form of (s, len) to out; -1 if out is too big. */
int
sanitize_append(struct buf *out, const char *s, size_t len, unsigned flags)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, run = 0, n, next;
	uint32_t		 cp;
	int			 drop;

	while (i < len) {
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			i++;
			continue;
		}
		if (p[i] < 0x80) {
			buf_add(out, s + run, i - run);
			i = run = sanitize_control(out, p, len, i, flags);
			continue;
		}
		n = utf8_decode(p + i, len - i, &cp);
		if (cp == UTF8_BAD) {
			buf_add(out, s + run, i - run);
			buf_add(out, SANITIZE_FFFD, 3);
			i = run = i + n;
			continue;
		}
		next = sanitize_wide(p, len, i, n, cp, &drop);
		if (drop == 0) {
			i = next;
			continue;
		}
		buf_add(out, s + run, i - run);
		if (drop == 2)
			buf_addc(out, flags & SANITIZE_KEEP_NEWLINE ? '\n' : ' ');
		i = run = next;
	}
	buf_add(out, s + run, i - run);
	return out->too_big ? -1 : 0;
}

/* Return a new sanitised single-line copy of a C string (NULL: ""). */
char *
sanitize_line_dup(const char *s)
{
	struct buf	b = BUF_INITIALIZER(0);

	if (s != NULL)
		sanitize_append(&b, s, strlen(s), 0);
	return buf_take(&b);
}

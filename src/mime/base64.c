/*
 * base64.c - the base64 content-transfer-encoding (RFC 2045 section 6.8),
 * also used for RFC 2047 "B" encoded words.
 *
 * Decoding is lenient, as section 6.8 asks: characters outside the
 * alphabet (line breaks, blanks, garbage) are ignored; '=' ends a quantum
 * early and decoding goes on after it, so concatenated base64 blocks work.
 * A lone trailing sextet carries no whole byte and is dropped.
 */
#include <stdint.h>

#include "mime/mime.h"
#include "mime/mime_int.h"

/* The value of a base64 alphabet character, or -1. */
static int
mime_base64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Flush the bytes of a partial or whole quantum of n sextets into tmp. */
static size_t
mime_base64_flush(uint32_t acc, int n, unsigned char *tmp)
{
	if (n == 4) {
		tmp[0] = (unsigned char)(acc >> 16);
		tmp[1] = (unsigned char)(acc >> 8);
		tmp[2] = (unsigned char)acc;
		return 3;
	}
	if (n == 3) {
		tmp[0] = (unsigned char)(acc >> 10);
		tmp[1] = (unsigned char)(acc >> 2);
		return 2;
	}
	if (n == 2) {
		tmp[0] = (unsigned char)(acc >> 4);
		return 1;
	}
	return 0;
}

/* Append the decoded form of base64 text to out; -1 if out is too big. */
int
mime_base64_decode(const char *in, size_t len, struct buf *out)
{
	unsigned char	 chunk[3072];
	size_t		 i, n = 0;
	uint32_t	 acc = 0;
	int		 v, k = 0;

	for (i = 0; i < len; i++) {
		if (in[i] == '=') {
			n += mime_base64_flush(acc, k, chunk + n);
			acc = 0;
			k = 0;
		} else if ((v = mime_base64_value((unsigned char)in[i])) >= 0) {
			acc = (acc << 6) | (uint32_t)v;
			if (++k == 4) {
				n += mime_base64_flush(acc, k, chunk + n);
				acc = 0;
				k = 0;
			}
		}
		if (n + 3 > sizeof chunk) {
			if (buf_add(out, chunk, n) == -1)
				return -1;
			n = 0;
		}
	}
	n += mime_base64_flush(acc, k, chunk + n);
	return buf_add(out, chunk, n);
}

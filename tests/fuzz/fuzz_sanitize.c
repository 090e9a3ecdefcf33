/*
 * fuzz_sanitize.c - libFuzzer target for the terminal sanitiser.  The
 * first byte picks the flags.  Checks the contract of sanitize.h on every
 * output: valid UTF-8, no C0 control but the kept newline/tab, no DEL, no
 * C1 control, no bidi control or U+FEFF.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/sanitize.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Abort unless (s, len) keeps the promises of sanitize.h. */
static void
fuzz_check(const unsigned char *s, size_t len, unsigned flags)
{
	size_t		i = 0, n, k;
	uint32_t	c;

	while (i < len) {
		c = s[i];
		if (c < 0x80) {
			if ((c < 0x20 && !(c == '\n' &&
			    (flags & SANITIZE_KEEP_NEWLINE)) && !(c == '\t' &&
			    (flags & SANITIZE_KEEP_TAB))) || c == 0x7f)
				abort();
			i++;
			continue;
		}
		if (c < 0xc2 || c > 0xf4)
			abort();
		n = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		if (i + n > len)
			abort();
		c &= 0xffu >> (n + 1);
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				abort();
			c = c << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 ||
		    c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff) ||
		    c <= 0x9f || (c >= 0x202a && c <= 0x202e) ||
		    (c >= 0x2066 && c <= 0x2069) || c == 0x200e ||
		    c == 0x200f || c == 0x61c || c == 0xfeff)
			abort();
		i += n;
	}
}

/* One fuzz input: run it and check the results. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf	 b = BUF_INITIALIZER(0);
	unsigned	 flags;
	char		*in, *line;

	if (size == 0)
		return 0;
	flags = data[0] & 3;
	if ((in = malloc(size)) == NULL)
		return 0;
	memcpy(in, data + 1, size - 1);
	if (sanitize_append(&b, in, size - 1, flags) != 0)
		abort();
	fuzz_check((const unsigned char *)buf_str(&b), b.len, flags);
	buf_fini(&b);
	in[size - 1] = '\0';
	line = sanitize_line_dup(in);
	fuzz_check((const unsigned char *)line, strlen(line), 0);
	free(line);
	free(in);
	return 0;
}

/*
 * fuzz_imap_utf7.c - modified UTF-7 decode/encode on any bytes.
 *
 * Also checks the round trips: what decodes must survive encoding and
 * decoding again unchanged, and what encodes must decode back to the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/imap_utf7.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*in = (const char *)data;
	char		*a, *b, *c;

	if ((a = imap_utf7_decode(in, size)) != NULL) {
		/* Adjacent shifts are accepted, so compare decoded forms. */
		if ((b = imap_utf7_encode(a, strlen(a))) == NULL)
			abort();
		if ((c = imap_utf7_decode(b, strlen(b))) == NULL ||
		    strcmp(a, c) != 0)
			abort();
		free(c);
		free(b);
		free(a);
	}
	if ((a = imap_utf7_encode(in, size)) != NULL) {
		b = imap_utf7_decode(a, strlen(a));
		if (b == NULL || (memchr(in, '\0', size) == NULL &&
		    (strlen(b) != size || memcmp(b, in, size) != 0)))
			abort();
		free(b);
		free(a);
	}
	free(imap_utf7_display(in, size));
	return 0;
}

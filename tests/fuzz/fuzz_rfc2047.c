/*
 * fuzz_rfc2047.c - libFuzzer target for header decoding: RFC 2047 words,
 * header lookup and unfolding, RFC 5322 dates, Content-Type parameters.
 * Checks the promises of mime.h: results are valid UTF-8 no longer than
 * MIME_HEADER_MAX, and nothing is read out of bounds (ASan).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "mime/mime_int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Copy the input so ASan catches reads one past its end. */
static char *
fuzz_copy(const uint8_t *data, size_t size)
{
	char	*s = malloc(size ? size : 1);

	if (s != NULL && size > 0)
		memcpy(s, data, size);
	return s;
}

/* One fuzz input: run it and check the results. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*in, *out, *v;

	if ((in = fuzz_copy(data, size)) == NULL)
		return 0;
	out = mime_rfc2047_decode(in, size);
	if (strlen(out) > MIME_HEADER_MAX || !mime_utf8_valid(out, strlen(out)))
		abort();
	free(out);
	(void)mime_parse_date(in, size);
	if ((v = mime_header_get(in, size, "Subject")) != NULL) {
		if (strlen(v) > MIME_HEADER_MAX)
			abort();
		free(v);
	}
	if ((v = mime_param_get(in, size, "charset")) != NULL)
		free(v);
	free(in);
	return 0;
}

/*
 * fuzz_mime_text.c - libFuzzer target for mime_text_extract over a whole
 * message: multipart walking, transfer encodings, charsets, HTML.  Checks
 * that it never fails, the body is valid UTF-8 within MIME_BODY_MAX plus
 * the truncation note, and that the sanitised body holds no ESC.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "mime/mime_int.h"
#include "util/sanitize.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* One fuzz input: run it and check the results. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mime_text	 mt;
	struct buf		 b = BUF_INITIALIZER(0);
	char			*in;

	if ((in = malloc(size ? size : 1)) == NULL)
		return 0;
	if (size > 0)
		memcpy(in, data, size);
	mime_text_extract(in, size, &mt);
	if (mt.body == NULL || mt.body_len > MIME_BODY_MAX + 64 ||
	    !mime_utf8_valid(mt.body, mt.body_len))
		abort();
	if (mt.subject != NULL && !mime_utf8_valid(mt.subject,
	    strlen(mt.subject)))
		abort();
	sanitize_append(&b, mt.body, mt.body_len, SANITIZE_KEEP_NEWLINE);
	if (b.len > 0 && memchr(b.data, 0x1b, b.len) != NULL)
		abort();
	buf_fini(&b);
	mime_text_fini(&mt);
	free(in);
	return 0;
}

/*
 * fuzz_imap_parse.c - the IMAP framer and response parser on any bytes.
 *
 * The input is cut into responses by the framer, fed in chunks whose size
 * comes from the first byte (so split points are explored too); each
 * response is parsed and read as FETCH and LIST data.  The whole input is
 * also handed to the parser directly, as if it were one framed response.
 */
#include <stddef.h>
#include <stdint.h>

#include "net/imap_parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Parse one response and read it every way the driver would. */
static void
fuzz_one(const char *p, size_t len)
{
	struct imap_response	 r;
	struct imap_fetch	 f;
	struct imap_list	 l;
	struct error		 err;

	if (imap_parse_response(p, len, &r, &err) == -1)
		return;
	if (imap_fetch_parse(&r, &f, &err) == 0) {
		for (size_t i = 0; i < f.env.to.n; i++) {
			(void)imap_address_is_group_start(&f.env.to.v[i]);
			(void)imap_address_is_group_end(&f.env.to.v[i]);
		}
		imap_fetch_fini(&f);
	}
	(void)imap_list_parse(&r, &l, &err);
	(void)imap_flags_mask(&r.args);
	imap_response_fini(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imap_frame	 fr;
	struct error		 err;
	const char		*p;
	size_t			 chunk, have, start = 0, n;
	int			 rc = 0;

	if (size < 1)
		return 0;
	chunk = (size_t)data[0] + 1;
	p = (const char *)data + 1;
	size--;

	fuzz_one(p, size);
	imap_frame_init(&fr);
	for (have = 0; have < size && rc != -1;) {
		have = have + chunk < size ? have + chunk : size;
		while ((rc = imap_frame_next(&fr, p + start, have - start,
		    &n, &err)) == 1) {
			fuzz_one(p + start, n);
			start += n;
		}
	}
	return 0;
}

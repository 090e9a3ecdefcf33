/*
 * fuzz_imap_parse.c - the IMAP framer and response parser on any bytes.
 *
 * The input is cut into responses by the framer, fed in chunks whose size
 * comes from the first byte (so split points are explored too); each
 * response is parsed and read as FETCH and LIST data, its atoms as UID
 * sets (VANISHED, COPYUID, ESEARCH), its body sections and response-code
 * text for References: ids; a response the parser refuses (or whose
 * oversized literal the framer had cut out, as the connection does) is
 * salvaged as a bad FETCH.  The whole input is also handed to the parser
 * directly, as if it were one framed response.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/imap_driver.h"
#include "net/imap_parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Read every atom of a list as a UID set. */
static void
fuzz_sets(const struct imap_value *v)
{
	struct imap_range	*r;
	struct error		 err;
	size_t			 n;
	uint64_t		 c;

	for (size_t i = 0; i < v->n; i++) {
		if (v->items[i].type == IMAP_V_LIST)
			fuzz_sets(&v->items[i]);
		if (v->items[i].type != IMAP_V_ATOM ||
		    imap_set_parse(imap_value_slice(&v->items[i]), &r, &n,
		    &err) == -1)
			continue;
		c = imap_set_count(r, n);
		(void)imap_set_contains(r, n, 7);
		if (c > 0)
			(void)imap_set_nth(r, n, c - 1);
		free(r);
	}
}

/* Parse one response and read it every way the driver would. */
static void
fuzz_one(const char *p, size_t len)
{
	struct imap_response	 r;
	struct imap_fetch	 f;
	struct imap_list	 l;
	struct imap_status_data st;
	struct error		 err;

	memset(&f, 0, sizeof f);
	if (imap_parse_response(p, len, &r, &err) == -1) {
		if (imap_parse_salvage(p, len, &r) == 0 &&
		    imap_fetch_parse(&r, &f, &err) == 0)
			abort();	/* a bad FETCH must never read */
		imap_fetch_fini(&f);
		imap_response_fini(&r);
		return;
	}
	if (imap_fetch_parse(&r, &f, &err) == 0) {
		for (size_t i = 0; i < f.env.to.n; i++) {
			(void)imap_address_is_group_start(&f.env.to.v[i]);
			(void)imap_address_is_group_end(&f.env.to.v[i]);
		}
		imap_fetch_fini(&f);
	}
	(void)imap_list_parse(&r, &l, &err);
	(void)imap_status_parse(&r, &st, &err);
	(void)imap_flags_mask(&r.args);
	fuzz_sets(&r.args);
	imap_response_fini(&r);
}

/* Cut the bytes the framer will not hold out of buf, as imap_input.c. */
static void
fuzz_drop(struct imap_frame *fr, char *base, size_t *have, size_t *size)
{
	size_t	 at = fr->drop_at, n = *have - at;

	if (n > fr->drop_left)
		n = (size_t)fr->drop_left;
	memmove(base + at, base + at + n, *size - at - n);
	*have -= n;
	*size -= n;
	imap_frame_dropped(fr, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imap_frame	 fr;
	struct error		 err;
	char			*p;
	size_t			 chunk, have, start = 0, n, left, rest;
	int			 rc = 0;

	if (size < 1)
		return 0;
	chunk = (size_t)data[0] + 1;
	size--;
	p = malloc(size + 1);
	if (p == NULL)
		return 0;
	memcpy(p, data + 1, size);

	fuzz_one(p, size);
	imap_frame_init(&fr);
	for (have = 0; have < size && rc != -1;) {
		have = have + chunk < size ? have + chunk : size;
		for (;;) {
			left = have - start;
			rest = size - start;
			rc = imap_frame_next(&fr, p + start, left, &n, &err);
			if (rc == 2) {
				fuzz_drop(&fr, p + start, &left, &rest);
				have = start + left;
				size = start + rest;
				continue;
			}
			if (rc != 1)
				break;
			fuzz_one(p + start, n);
			start += n;
		}
	}
	free(p);
	return 0;
}

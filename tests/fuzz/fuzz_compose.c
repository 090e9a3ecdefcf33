/*
 * fuzz_compose.c - libFuzzer target for starting replies and forwards
 * from a raw message and for reading the editor file back
 * (src/compose/).  Checks the promises of compose.h: nothing crashes or
 * reads out of bounds (ASan), every field taken from the message is
 * valid UTF-8 without control characters (the body may hold LF and
 * TAB), a forwarded attachment is the message byte for byte, and the
 * editor file of a draft parses back to the same fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compose/compose.h"
#include "util/utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const fuzz_alternates[] = { "me@work.example", NULL };
static const struct compose_identity fuzz_me = {
	"Me <me@example.org>", fuzz_alternates
};

/* Abort unless s is NULL or clean UTF-8 (LF and TAB allowed if body). */
static void
fuzz_clean(const char *s, int body)
{
	size_t		i = 0, n, k;
	uint32_t	cp;

	if (s == NULL)
		return;
	n = strlen(s);
	while (i < n) {
		k = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (cp == UTF8_BAD)
			abort();
		if ((cp < 0x20 && !(body && (cp == '\n' || cp == '\t'))) ||
		    (cp >= 0x7f && cp <= 0x9f))
			abort();
		i += k;
	}
}

/* Abort unless a and b are both NULL or equal strings. */
static void
fuzz_same(const char *a, const char *b)
{
	if ((a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0))
		abort();
}

/* The editor file of d must read back to the same fields. */
static void
fuzz_round_trip(const struct compose_draft *d)
{
	struct compose_draft	 back;
	struct error		 err;
	char			*text;

	text = compose_edit_format(d);
	memset(&back, 0, sizeof back);
	if (compose_edit_parse(&back, text, strlen(text), &err) == -1)
		abort();
	fuzz_same(back.from, d->from);
	fuzz_same(back.to, d->to);
	fuzz_same(back.cc, d->cc);
	fuzz_same(back.subject, d->subject);
	fuzz_same(back.body, d->body);
	compose_draft_fini(&back);
	free(text);
}

/* Start each kind of draft from the message and check it. */
static void
fuzz_start(const char *in, size_t size)
{
	static const enum compose_kind kinds[] = { COMPOSE_REPLY,
	    COMPOSE_REPLY_ALL, COMPOSE_FORWARD_INLINE, COMPOSE_FORWARD_ATTACH };
	struct compose_draft	d;
	struct error		err;
	size_t			k;

	for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		if (compose_start(&d, kinds[k], &fuzz_me, in, size, &err) == -1)
			abort();
		fuzz_clean(d.to, 0);
		fuzz_clean(d.cc, 0);
		fuzz_clean(d.subject, 0);
		fuzz_clean(d.in_reply_to, 0);
		fuzz_clean(d.references, 0);
		fuzz_clean(d.body, 1);
		if (kinds[k] == COMPOSE_FORWARD_ATTACH) {
			if (d.nattach != 1 || d.attach[0].len != size ||
			    (size > 0 && memcmp(d.attach[0].data, in,
			    size) != 0))
				abort();
			fuzz_clean(d.attach[0].filename, 0);
		}
		fuzz_round_trip(&d);
		compose_draft_fini(&d);
	}
}

/* One fuzz input: a message to answer, and an editor file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct compose_draft	 d;
	struct error		 err;
	char			*in;

	/* A copy, so ASan catches reads one past the end. */
	if ((in = malloc(size ? size : 1)) == NULL)
		return 0;
	if (size > 0)
		memcpy(in, data, size);
	fuzz_start(in, size);
	memset(&d, 0, sizeof d);
	if (compose_edit_parse(&d, in, size, &err) == 0) {
		fuzz_clean(d.to, 0);
		fuzz_clean(d.subject, 0);
		fuzz_round_trip(&d);
	}
	compose_draft_fini(&d);
	free(in);
	return 0;
}

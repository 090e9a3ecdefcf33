/*
 * fuzz_compose_resume.c - libFuzzer target for resuming a postponed
 * draft (compose_start with COMPOSE_RESUME, src/compose/compose_resume.c).
 * Checks the promises of compose.h: nothing crashes or reads out of
 * bounds (ASan); an error is one of the documented ones; every field is
 * valid UTF-8 without control characters (the body may hold LF and TAB);
 * at most COMPOSE_RESUME_ATTACH_MAX attachments, whose bytes together
 * are no more than the draft's; names without "/" or controls, types
 * that are types.  Then the draft is postponed again (compose_to_build +
 * mime_build) and resumed: the body comes back with at most a last line
 * end added, and every attachment byte for byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compose/compose.h"
#include "compose/compose_int.h"
#include "mime/build.h"
#include "util/buf.h"
#include "util/utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const struct compose_identity fuzz_me = {
	"Me <me@example.org>", NULL
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

/* Check every field and attachment of a resumed draft of size bytes. */
static void
fuzz_check(const struct compose_draft *d, size_t size)
{
	const struct compose_attach	*a;
	size_t				 i, total = 0;

	fuzz_clean(d->from, 0);
	fuzz_clean(d->to, 0);
	fuzz_clean(d->cc, 0);
	fuzz_clean(d->bcc, 0);
	fuzz_clean(d->reply_to, 0);
	fuzz_clean(d->subject, 0);
	fuzz_clean(d->in_reply_to, 0);
	fuzz_clean(d->references, 0);
	if (d->body == NULL)
		abort();
	fuzz_clean(d->body, 1);
	if (d->nattach > COMPOSE_RESUME_ATTACH_MAX)
		abort();
	for (i = 0; i < d->nattach; i++) {
		a = &d->attach[i];
		fuzz_clean(a->filename, 0);
		if (a->filename != NULL && strchr(a->filename, '/') != NULL)
			abort();
		if (a->content_type == NULL ||
		    !compose_attach_ctype_ok(a->content_type))
			abort();
		fuzz_clean(a->charset, 0);
		if (a->data == NULL || a->len > COMPOSE_ATTACH_MAX)
			abort();
		total += a->len;
	}
	if (total > size)
		abort();
}

/* Postpone d again and resume it: the body (a last LF added) and the
 * bytes of each attachment must come back.  Drafts mime_build refuses
 * (no usable From, junk in an address) are left alone. */
static void
fuzz_again(const struct compose_draft *d)
{
	struct mime_build_msg	 m;
	struct mime_build_part	*parts;
	struct compose_draft	 back;
	struct buf		 out = BUF_INITIALIZER(0);
	struct error		 err;
	size_t			 i, n;

	parts = calloc(d->nattach + 1, sizeof *parts);
	if (parts == NULL)
		return;
	compose_to_build(d, &m, parts);
	m.date = 1800000000;
	m.message_id = "<fuzz@example.org>";
	if (mime_build(&m, &out, &err) == -1)
		goto out;
	if (compose_start(&back, COMPOSE_RESUME, &fuzz_me, out.data, out.len,
	    &err) == -1)
		abort();
	n = strlen(d->body);
	if (strncmp(back.body, d->body, n) != 0 || (n > 0 &&
	    d->body[n - 1] != '\n' ? strcmp(back.body + n, "\n") :
	    strcmp(back.body + n, "")) != 0)
		abort();
	if (back.nattach != d->nattach)
		abort();
	for (i = 0; i < d->nattach; i++) {
		if (d->attach[i].is_message)
			continue;	/* line ends made CRLF */
		if (back.attach[i].len != d->attach[i].len ||
		    memcmp(back.attach[i].data, d->attach[i].data,
		    d->attach[i].len) != 0)
			abort();
	}
	compose_draft_fini(&back);
out:
	buf_fini(&out);
	free(parts);
}

/* One fuzz input: a draft to resume. */
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
	if (compose_start(&d, COMPOSE_RESUME, &fuzz_me, in, size, &err) == 0) {
		fuzz_check(&d, size);
		fuzz_again(&d);
		compose_draft_fini(&d);
	} else if (err.code != ERR_TOOBIG || d.from != NULL ||
	    d.attach != NULL)
		abort();
	free(in);
	return 0;
}

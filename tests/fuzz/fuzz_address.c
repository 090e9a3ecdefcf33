/*
 * fuzz_address.c - libFuzzer target for address lists, message ids and
 * envelopes (src/mime/address.c, src/mime/envelope.c).  Checks the
 * promises of address.h: at most MIME_ADDRESS_MAX members, no empty
 * member, valid UTF-8 everywhere, names within MIME_HEADER_MAX, the line
 * within MIME_ADDRESS_LINE_MAX, ids within MIME_REFERENCES_MAX, and
 * nothing read out of bounds (ASan).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mime/address.h"
#include "mime/mime.h"
#include "mime/mime_int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Abort unless s is NULL or valid UTF-8 of at most max bytes. */
static void
fuzz_text(const char *s, size_t max)
{
	if (s != NULL && (strlen(s) > max || !mime_utf8_valid(s, strlen(s))))
		abort();
}

/* Check a list and its line; the line is parsed again. */
static void
fuzz_list(const char *in, size_t size, int depth)
{
	struct mime_address_list	 l;
	const struct mime_address	*m;
	char				*line;
	size_t				 i;

	mime_address_list_parse(in, size, &l);
	if (l.n > MIME_ADDRESS_MAX)
		abort();
	for (i = 0; i < l.n; i++) {
		m = &l.v[i];
		if (m->name == NULL && m->addr == NULL && m->group == NULL)
			abort();
		if ((m->name != NULL && *m->name == '\0') ||
		    (m->addr != NULL && *m->addr == '\0'))
			abort();
		fuzz_text(m->name, MIME_HEADER_MAX);
		fuzz_text(m->addr, MIME_HEADER_MAX);
		fuzz_text(m->group, MIME_HEADER_MAX);
	}
	line = mime_address_list_line(&l);
	if ((line == NULL) != (l.n == 0))
		abort();
	fuzz_text(line, MIME_ADDRESS_LINE_MAX);
	if (line != NULL && depth == 0)
		fuzz_list(line, strlen(line), 1);
	free(line);
	mime_address_list_fini(&l);
}

/* Abort unless s is NULL or space-separated "<id>"s within the cap. */
static void
fuzz_ids(const char *s)
{
	size_t	n;

	if (s == NULL)
		return;
	fuzz_text(s, MIME_REFERENCES_MAX);
	n = strlen(s);
	if (n < 3 || s[0] != '<' || s[n - 1] != '>' || strstr(s, "  ") != NULL)
		abort();
}

/* One fuzz input: run it and check the results. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mime_envelope	 e;
	char			*in, *ids;

	/* A copy, so ASan catches reads one past the end. */
	if ((in = malloc(size ? size : 1)) == NULL)
		return 0;
	if (size > 0)
		memcpy(in, data, size);
	fuzz_list(in, size, 0);
	ids = mime_msgids(in, size);
	fuzz_ids(ids);
	free(ids);
	mime_envelope_parse(in, size, &e);
	fuzz_text(e.from_name, MIME_HEADER_MAX);
	fuzz_text(e.from_addr, MIME_HEADER_MAX);
	fuzz_text(e.to, MIME_ADDRESS_LINE_MAX);
	fuzz_text(e.cc, MIME_ADDRESS_LINE_MAX);
	fuzz_text(e.subject, MIME_HEADER_MAX);
	fuzz_text(e.message_id, MIME_REFERENCES_MAX);
	fuzz_ids(e.in_reply_to);
	fuzz_ids(e.references);
	mime_envelope_fini(&e);
	free(in);
	return 0;
}

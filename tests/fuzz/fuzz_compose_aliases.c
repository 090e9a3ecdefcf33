/*
 * fuzz_compose_aliases.c - libFuzzer target for the address book
 * (src/compose/compose_addrbook.c, compose_aliases.c): the input is read
 * as a mutt aliases file, then as an address list added to the book.
 * Checks the promises of compose.h: nothing crashes or reads out of
 * bounds (ASan); a refused file leaves the book as it was, with an
 * ERR_PARSE "NAME:LINE: ..." or ERR_TOOBIG; every candidate offered is
 * clean UTF-8 that reads back with mime_address_list_parse as mailboxes
 * that all have an address, at most COMPOSE_ADDRBOOK_MATCH_MAX of them,
 * and a single address offered reads back to itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compose/compose.h"
#include "mime/address.h"
#include "util/utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Abort unless s is clean UTF-8 on one line. */
static void
fuzz_clean(const char *s)
{
	size_t		i = 0, n, k;
	uint32_t	cp;

	n = strlen(s);
	while (i < n) {
		k = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (cp == UTF8_BAD || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			abort();
		i += k;
	}
}

/* Every candidate for prefix must be clean and read back whole. */
static void
fuzz_match(const struct compose_addrbook *ab, const char *prefix)
{
	struct mime_address_list	  l;
	char				**v;
	size_t				  n, i, k;

	n = compose_addrbook_match(ab, prefix, &v);
	if (n > COMPOSE_ADDRBOOK_MATCH_MAX || v[n] != NULL)
		abort();
	for (i = 0; i < n; i++) {
		fuzz_clean(v[i]);
		mime_address_list_parse(v[i], strlen(v[i]), &l);
		if (l.n == 0)
			abort();
		for (k = 0; k < l.n; k++) {
			if (l.v[k].addr == NULL)
				abort();
		}
		/* A lone bare address is itself. */
		if (l.n == 1 && l.v[0].name == NULL &&
		    strcmp(l.v[0].addr, v[i]) != 0)
			abort();
		mime_address_list_fini(&l);
	}
	compose_addrbook_match_free(v);
}

/* Some prefixes: none, one and three bytes of the input. */
static void
fuzz_prefixes(const struct compose_addrbook *ab, const char *in, size_t size)
{
	char	p[4];

	fuzz_match(ab, "");
	fuzz_match(ab, "a");
	if (size >= 1 && in[0] != '\0') {
		p[0] = in[0];
		p[1] = '\0';
		fuzz_match(ab, p);
	}
	if (size >= 3 && memchr(in, '\0', 3) == NULL) {
		memcpy(p, in, 3);
		p[3] = '\0';
		fuzz_match(ab, p);
	}
}

/* One fuzz input: an aliases file, then an address list. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct compose_addrbook	 ab;
	struct error		 err;
	char			*in;
	size_t			 before;

	/* A NUL-terminated copy; ASan catches reads past the end of the
	 * size bytes the loader is given (the NUL is not among them). */
	if ((in = malloc(size + 1)) == NULL)
		return 0;
	if (size > 0)
		memcpy(in, data, size);
	in[size] = '\0';
	memset(&ab, 0, sizeof ab);
	compose_addrbook_add(&ab, "Ann Example", "ann@example.com", 100, 3);
	compose_addrbook_load_aliases_text(&ab, "pre", "alias a a@x.org\n",
	    16, &err);
	before = ab.nalias;
	if (compose_addrbook_load_aliases_text(&ab, "fuzz", in, size,
	    &err) == -1) {
		if (ab.nalias != before || (err.code != ERR_TOOBIG &&
		    (err.code != ERR_PARSE || strncmp(err.msg, "fuzz:",
		    5) != 0)))
			abort();
	}
	compose_addrbook_add_list(&ab, in, 200, 1);
	fuzz_prefixes(&ab, in, size);
	compose_addrbook_fini(&ab);
	free(in);
	return 0;
}

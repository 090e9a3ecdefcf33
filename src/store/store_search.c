/*
 * store_search.c - matching local messages against a search text.
 *
 * Pure but for allocation: the caller reads the message (bounded by
 * STORE_SEARCH_READ), this decodes and compares.  The comparison folds
 * ASCII letters only, which is what IMAP servers promise at least; other
 * UTF-8 text is compared byte for byte.
 */
#include <stdlib.h>
#include <string.h>

#include "cache/cache.h"
#include "mime/mime.h"
#include "store/store_search.h"
#include "util/xmalloc.h"

/* ASCII lower case. */
static char
store_search_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Whether s (may be NULL) contains text, ASCII case folded. */
static bool
store_search_in(const char *s, size_t len, const char *text, size_t tlen)
{
	size_t	i, k;

	if (s == NULL || len < tlen)
		return false;
	for (i = 0; i + tlen <= len; i++) {
		for (k = 0; k < tlen && store_search_lower(s[i + k]) ==
		    store_search_lower(text[k]); k++)
			;
		if (k == tlen)
			return true;
	}
	return false;
}

/* Whether a message contains text in its headers or its text. */
bool
store_search_match(const char *msg, size_t len, const char *text)
{
	struct mime_text	 t;
	size_t			 tlen = strlen(text);
	bool			 hit;

	if (tlen == 0)
		return true;
	mime_text_extract(msg, len, &t);
	hit = store_search_in(t.subject, t.subject ? strlen(t.subject) : 0,
	    text, tlen) ||
	    store_search_in(t.from, t.from ? strlen(t.from) : 0, text, tlen) ||
	    store_search_in(t.to, t.to ? strlen(t.to) : 0, text, tlen) ||
	    store_search_in(t.cc, t.cc ? strlen(t.cc) : 0, text, tlen) ||
	    store_search_in(t.body, t.body_len, text, tlen);
	mime_text_fini(&t);
	return hit;
}

/* Add one id. */
int
store_hits_add(struct store_hits *h, const char *id, struct error *err)
{
	if (h->n >= STORE_SEARCH_MAX)
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_OP,
		    "more than %d search results", STORE_SEARCH_MAX);
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 64;
		h->ids = xreallocarray(h->ids, h->cap, sizeof *h->ids);
	}
	h->ids[h->n++] = xstrdup(id);
	return 0;
}

/* Hand the ids over. */
void
store_hits_take(struct store_hits *h, char ***ids, size_t *n)
{
	*ids = h->ids;
	*n = h->n;
	memset(h, 0, sizeof *h);
}

/* Free the ids. */
void
store_hits_free(struct store_hits *h)
{
	cache_strv_free(h->ids, h->n);
	memset(h, 0, sizeof *h);
}

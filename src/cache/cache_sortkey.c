/*
 * cache_sortkey.c - the normalised keys the message list sorts by.
 *
 * Sorting 100,000 messages by sender or subject a page at a time must walk
 * an index, so the key is computed once, when a message is stored, and kept
 * in its own column (messages.from_sort, messages.subject_sort) with an
 * index per order.  A subject key drops the reply and forward prefixes
 * mail clients in many languages add ("Re:", "Fwd:", "AW:", "Re[2]:",
 * "SV:"...), so a thread's messages sort together; both keys are folded to
 * ASCII lower case (other bytes are kept: the order of non-ASCII text is
 * bytewise, which keeps the key cheap and the same in every locale).
 *
 * The same functions are registered as SQL functions on every connection
 * so a migration can fill the keys of rows stored before the columns
 * existed.  No index, trigger or view may use them: another program opening
 * the file (the sqlite3 shell) would not have them.
 */
#include <stdlib.h>
#include <string.h>

#include "cache/cache_impl.h"
#include "util/xmalloc.h"

/* Reply and forward prefixes, lower case, longest first within a stem. */
static const char *const cache_subject_prefixes[] = {
	"antw", "fwd", "odp", "enc", "res", "rif", "ref", "re", "fw", "aw",
	"wg", "sv", "vs", "tr", "r"
};

/* ASCII lower case, whatever the locale. */
static char
cache_lower(char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return (char)(ch - 'A' + 'a');
	return ch;
}

/* Is s (at least len bytes) the word w in any case? */
static int
cache_word_eq(const char *s, size_t len, const char *w)
{
	size_t	i;

	if (strlen(w) != len)
		return 0;
	for (i = 0; i < len; i++) {
		if (cache_lower(s[i]) != w[i])
			return 0;
	}
	return 1;
}

/*
 * If p starts with one reply/forward prefix ("Re:", "re :", "Re[2]:",
 * "Re(2):", "Re^2:"), return what follows its colon; else NULL.
 */
static const char *
cache_skip_prefix(const char *p)
{
	const char	*q = p;
	size_t		 len, i;

	while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))
		q++;
	len = (size_t)(q - p);
	if (len == 0 || len > 4)
		return NULL;
	for (i = 0; i < sizeof cache_subject_prefixes /
	    sizeof cache_subject_prefixes[0]; i++) {
		if (cache_word_eq(p, len, cache_subject_prefixes[i]))
			break;
	}
	if (i == sizeof cache_subject_prefixes /
	    sizeof cache_subject_prefixes[0])
		return NULL;
	/* A reply count: [2], (2) or ^2. */
	if (*q == '[' || *q == '(' || *q == '^') {
		char close = *q == '[' ? ']' : *q == '(' ? ')' : '\0';

		q++;
		while (*q >= '0' && *q <= '9')
			q++;
		if (close != '\0' && *q++ != close)
			return NULL;
	}
	while (*q == ' ')
		q++;
	return *q == ':' ? q + 1 : NULL;
}

/* Is ch white space or a quote around a name? */
static int
cache_key_trim(char ch, const char *also)
{
	return ch == ' ' || ch == '\t' || (ch != '\0' && strchr(also, ch));
}

/*
 * Copy s folded to ASCII lower case, without white space and the
 * characters of also at either end.
 */
static char *
cache_key_fold(const char *s, const char *also)
{
	size_t	 len, i;
	char	*key;

	while (cache_key_trim(*s, also))
		s++;
	len = strlen(s);
	while (len > 0 && cache_key_trim(s[len - 1], also))
		len--;
	key = xmalloc(len + 1);
	for (i = 0; i < len; i++)
		key[i] = cache_lower(s[i]);
	key[len] = '\0';
	return key;
}

/* The subject sort key: no reply/forward prefixes, lower case. */
char *
cache_subject_key(const char *subject)
{
	const char	*p = subject == NULL ? "" : subject, *next;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if ((next = cache_skip_prefix(p)) == NULL)
			break;
		p = next;
	}
	return cache_key_fold(p, "");
}

/* The sender sort key: the display name, else the address, lower case. */
char *
cache_from_key(const char *name, const char *addr)
{
	char	*key;

	if (name != NULL) {
		key = cache_key_fold(name, "\"'");
		if (*key != '\0')
			return key;
		free(key);
	}
	return cache_key_fold(addr == NULL ? "" : addr, "<>");
}

/* Text of an SQL function argument, NULL for SQL NULL. */
static const char *
cache_sortkey_arg(sqlite3_value *v)
{
	if (sqlite3_value_type(v) == SQLITE_NULL)
		return NULL;
	return (const char *)sqlite3_value_text(v);
}

/* SQL petrel_subject_key(subject). */
static void
cache_sortkey_subject_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sqlite3_result_text(ctx, cache_subject_key(cache_sortkey_arg(argv[0])),
	    -1, free);
}

/* SQL petrel_from_key(from_name, from_addr). */
static void
cache_sortkey_from_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sqlite3_result_text(ctx, cache_from_key(cache_sortkey_arg(argv[0]),
	    cache_sortkey_arg(argv[1])), -1, free);
}

/* Register the key functions on the connection. */
int
cache_sortkey_register(struct cache *c, struct error *e)
{
	int	flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;

#ifdef SQLITE_INNOCUOUS
	flags |= SQLITE_INNOCUOUS;
#endif
	if (sqlite3_create_function(c->db, "petrel_subject_key", 1, flags,
	    NULL, cache_sortkey_subject_fn, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(c->db, "petrel_from_key", 2, flags, NULL,
	    cache_sortkey_from_fn, NULL, NULL) != SQLITE_OK)
		return cache_sqlerr(c, e, "register sort key functions");
	return 0;
}

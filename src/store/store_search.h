/*
 * store_search.h - searching the text of local messages (the drivers'
 * search: a local store has no server to ask).
 *
 * A message matches when its decoded From, To, Cc, Subject or text
 * (mime_text_extract: transfer encodings undone, charsets converted)
 * contains the text, ASCII letters compared without case, as IMAP SEARCH
 * TEXT (RFC 3501 6.4.4) would find it.  Only the first STORE_SEARCH_READ
 * bytes of a message are read: the text comes before the attachments.
 */
#ifndef PETREL_STORE_SEARCH_H
#define PETREL_STORE_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

#define STORE_SEARCH_READ	(1024 * 1024)
#define STORE_SEARCH_MAX	1000000		/* ids one search returns */

/* The remote ids found so far. */
struct store_hits {
	char	**ids;
	size_t	  n;
	size_t	  cap;
};

/* Whether a message (its first bytes) contains text. */
bool	 store_search_match(const char *msg, size_t len, const char *text);
/* Add a copy of id; -1 (ERR_TOOBIG) past STORE_SEARCH_MAX. */
int	 store_hits_add(struct store_hits *, const char *id, struct error *);
/* Hand the ids over (caller frees with cache_strv_free), or free them. */
void	 store_hits_take(struct store_hits *, char ***ids, size_t *n);
void	 store_hits_free(struct store_hits *);

#endif

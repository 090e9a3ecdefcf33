/*
 * cache_addr.c - the rows address completion ranks (cache.h): senders and
 * To: lines of cached messages that contain what the user typed.
 */
#include <stdlib.h>

#include "cache/cache_impl.h"

/* Hand the matching rows to fn, newest first. */
int
cache_addr_candidates(struct cache *c, const char *text, int limit,
    cache_addr_fn fn, void *arg, struct error *e)
{
	sqlite3_stmt	*s;
	char		*like;
	int		 rc = SQLITE_ERROR, rv = -1;

	s = cache_stmt(c, CACHE_STMT_ADDR_CANDIDATES, "SELECT m.from_name, "
	    "m.from_addr, m.to_addrs, m.date, f.role = ?3 FROM messages m "
	    "JOIN folders f ON f.id = m.folder_id WHERE m.from_addr LIKE ?1 "
	    "ESCAPE '\\' OR m.from_name LIKE ?1 ESCAPE '\\' OR m.to_addrs "
	    "LIKE ?1 ESCAPE '\\' ORDER BY m.date DESC LIMIT ?2", e);
	if (s == NULL)
		return -1;
	like = cache_like_pattern(text);
	if (cache_bind_text(s, 1, like) == SQLITE_OK &&
	    sqlite3_bind_int(s, 2, limit) == SQLITE_OK &&
	    sqlite3_bind_int(s, 3, CACHE_ROLE_SENT) == SQLITE_OK) {
		while ((rc = sqlite3_step(s)) == SQLITE_ROW)
			fn(arg, (const char *)sqlite3_column_text(s, 0),
			    (const char *)sqlite3_column_text(s, 1),
			    (const char *)sqlite3_column_text(s, 2),
			    sqlite3_column_int64(s, 3),
			    sqlite3_column_int(s, 4) != 0);
	}
	if (rc != SQLITE_DONE)
		cache_sqlerr(c, e, "look up addresses");
	else
		rv = 0;
	free(like);
	cache_stmt_done(s);
	return rv;
}

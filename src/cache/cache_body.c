/*
 * cache_body.c - raw message bodies in the cache.
 *
 * A body is the message exactly as the server sent it (RFC 5322 octets,
 * which may include NUL bytes), stored as a BLOB keyed by the message's row
 * id and deleted with the message.  Parsing is src/mime/'s business.
 */
#include <stdlib.h>
#include <string.h>

#include "cache/cache_impl.h"
#include "util/xmalloc.h"

/* Store or replace the raw message of a cached message. */
int
cache_body_put(struct cache *c, int64_t msg_id, const char *raw, size_t len,
    struct error *e)
{
	sqlite3_stmt	*s;
	int		 rc, rv = -1;

	if (raw == NULL && len != 0)
		return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "no body");
	s = cache_stmt(c, CACHE_STMT_BODY_PUT, "INSERT INTO bodies "
	    "(msg_id, raw) VALUES (?1, ?2) "
	    "ON CONFLICT (msg_id) DO UPDATE SET raw = excluded.raw", e);
	if (s == NULL)
		return -1;
	/* A NULL pointer would bind SQL NULL; an empty body is a 0-byte blob. */
	if (len == 0)
		rc = sqlite3_bind_zeroblob(s, 2, 0);
	else
		rc = sqlite3_bind_blob64(s, 2, raw, len, SQLITE_STATIC);
	if (rc != SQLITE_OK || sqlite3_bind_int64(s, 1, msg_id) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE) {
		cache_sqlerr(c, e, "store body of message %lld (%zu bytes)",
		    (long long)msg_id, len);
		goto out;
	}
	rv = 0;
out:
	cache_stmt_done(s);
	return rv;
}

/* Read the raw message; the copy has a NUL after len bytes. */
int
cache_body_get(struct cache *c, int64_t msg_id, char **raw, size_t *len,
    struct error *e)
{
	sqlite3_stmt	*s;
	const void	*p;
	size_t		 n;
	int		 rc = SQLITE_ERROR, rv = -1;

	*raw = NULL;
	*len = 0;
	s = cache_stmt(c, CACHE_STMT_BODY_GET,
	    "SELECT raw FROM bodies WHERE msg_id = ?1", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, msg_id) == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		rv = 1;
		goto out;
	}
	if (rc != SQLITE_ROW) {
		cache_sqlerr(c, e, "read body of message %lld",
		    (long long)msg_id);
		goto out;
	}
	/* Ask for the pointer first: it may convert, then bytes is exact. */
	p = sqlite3_column_blob(s, 0);
	n = (size_t)sqlite3_column_bytes(s, 0);
	if (p == NULL && n != 0) {
		cache_sqlerr(c, e, "read body of message %lld",
		    (long long)msg_id);
		goto out;
	}
	*raw = xmalloc(n + 1);
	if (n != 0)
		memcpy(*raw, p, n);
	(*raw)[n] = '\0';
	*len = n;
	rv = 0;
out:
	cache_stmt_done(s);
	return rv;
}

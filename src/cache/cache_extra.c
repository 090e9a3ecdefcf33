/*
 * cache_extra.c - two calls a sync driver needs beyond cache_msg.c and
 * cache_folder.c: every remote id of a folder with its flags in one query
 * (the IMAP UID diff compares them with the server's list), and renaming
 * a folder in place so that its cached messages, bodies, sync state and
 * queued operations (all keyed by the folder id) survive a server-side
 * RENAME instead of being pruned and downloaded again.
 *
 * Both run rarely (once per resync, once per rename), so their statements
 * are prepared per call rather than kept in the statement table.
 */
#include <stdlib.h>
#include <string.h>

#include "cache/cache_impl.h"
#include "util/xmalloc.h"

/* Prepare a one-off statement; NULL with the error filled. */
static sqlite3_stmt *
cache_extra_prepare(struct cache *c, const char *sql, struct error *e)
{
	sqlite3_stmt	*s = NULL;

	if (sqlite3_prepare_v2(c->db, sql, -1, &s, NULL) != SQLITE_OK) {
		cache_sqlerr(c, e, "prepare \"%.60s\"", sql);
		sqlite3_finalize(s);
		return NULL;
	}
	return s;
}

/* Every remote id of a folder with its flags. */
int
cache_msg_flags(struct cache *c, int64_t folder_id, char ***ids,
    unsigned **flags, size_t *n, struct error *e)
{
	sqlite3_stmt	 *s;
	char		**iv = NULL;
	unsigned	 *fv = NULL;
	size_t		  len = 0, cap = 0;
	int		  rc = SQLITE_ERROR, rv = -1;

	*ids = NULL;
	*flags = NULL;
	*n = 0;
	s = cache_extra_prepare(c, "SELECT remote_id, flags FROM messages "
	    "WHERE folder_id = ?1", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, folder_id) == SQLITE_OK) {
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			if (len == cap) {
				cap = cap == 0 ? 256 : cap * 2;
				iv = xreallocarray(iv, cap, sizeof *iv);
				fv = xreallocarray(fv, cap, sizeof *fv);
			}
			if ((iv[len] = cache_column_dup(s, 0)) == NULL)
				iv[len] = xstrdup("");
			fv[len++] = (unsigned)sqlite3_column_int64(s, 1);
		}
	}
	if (rc != SQLITE_DONE) {
		cache_sqlerr(c, e, "list flags of folder %lld",
		    (long long)folder_id);
		goto out;
	}
	*ids = iv;
	*flags = fv;
	*n = len;
	iv = NULL;
	fv = NULL;
	rv = 0;
out:
	cache_strv_free(iv, len);
	free(fv);
	sqlite3_finalize(s);
	return rv;
}

/* Run a bound one-off statement to its end; -1 with the error filled. */
static int
cache_extra_run(struct cache *c, sqlite3_stmt *s, const char *what,
    struct error *e)
{
	int	 rc = sqlite3_step(s);

	if (rc != SQLITE_DONE) {
		cache_sqlerr(c, e, "%s", what);
		return -1;
	}
	return 0;
}

/* Delete the account's other folder already named remote_name, if any. */
static int
cache_folder_rename_clear(struct cache *c, int64_t folder_id,
    const char *remote_name, struct error *e)
{
	sqlite3_stmt	*s;
	int		 rv = -1;

	s = cache_extra_prepare(c, "DELETE FROM folders WHERE remote_name = ?2 "
	    "AND id != ?1 AND account_id = "
	    "(SELECT account_id FROM folders WHERE id = ?1)", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, folder_id) != SQLITE_OK ||
	    cache_bind_text(s, 2, remote_name) != SQLITE_OK)
		cache_sqlerr(c, e, "rename folder %lld", (long long)folder_id);
	else
		rv = cache_extra_run(c, s, "remove a stale folder", e);
	sqlite3_finalize(s);
	return rv;
}

/* Give a folder new names, keeping its id and everything keyed by it. */
int
cache_folder_rename(struct cache *c, int64_t folder_id,
    const char *remote_name, const char *name, struct error *e)
{
	sqlite3_stmt	*s = NULL;
	int		 rv = -1;

	if (remote_name == NULL || *remote_name == '\0')
		return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "no folder name");
	if (name == NULL)
		name = remote_name;
	if (cache_savepoint(c, e) != 0)
		return -1;
	if (cache_folder_rename_clear(c, folder_id, remote_name, e) != 0)
		goto out;
	s = cache_extra_prepare(c, "UPDATE folders SET remote_name = ?2, "
	    "name = ?3 WHERE id = ?1", e);
	if (s == NULL)
		goto out;
	if (sqlite3_bind_int64(s, 1, folder_id) != SQLITE_OK ||
	    cache_bind_text(s, 2, remote_name) != SQLITE_OK ||
	    cache_bind_text(s, 3, name) != SQLITE_OK) {
		cache_sqlerr(c, e, "rename folder %lld", (long long)folder_id);
		goto out;
	}
	if (cache_extra_run(c, s, "rename folder", e) != 0)
		goto out;
	if (sqlite3_changes(c->db) == 0) {
		error_set(e, ERR_NOTFOUND, ERR_SCOPE_FOLDER,
		    "no folder %lld in the cache", (long long)folder_id);
		goto out;
	}
	rv = 0;
out:
	sqlite3_finalize(s);
	return cache_savepoint_end(c, rv, e);
}

/*
 * cache_folder.c - accounts and folders in the cache.
 *
 * An account row only gives the configured account name a stable id that
 * folders hang off.  Folders are keyed by (account, remote name); deleting
 * one deletes its messages and their bodies (foreign keys, ON DELETE
 * CASCADE).  A role (Sent, Trash...) belongs to at most one folder of an
 * account: giving it to a folder takes it from the one that had it.
 * Message counts are computed from the messages table through
 * its indexes, never stored, so they cannot drift.
 */
#include <stdlib.h>
#include <string.h>

#include "cache/cache_impl.h"
#include "util/xmalloc.h"

/*
 * The columns every folder query returns, counts included.  The first count
 * is answered from the messages_list index, the second from the partial
 * messages_unread index (the WHERE must match its definition).
 */
#define CACHE_FOLDER_COLUMNS						\
	"f.id, f.account_id, f.remote_name, f.name, f.delim, f.attrs, "	\
	"f.role, "							\
	"(SELECT count(*) FROM messages m WHERE m.folder_id = f.id), "	\
	"(SELECT count(*) FROM messages m WHERE m.folder_id = f.id "	\
	"  AND (m.flags & 1) = 0) "

/* Get the account's id, creating the row the first time. */
int
cache_account_id(struct cache *c, const char *name, int64_t *id,
    struct error *e)
{
	sqlite3_stmt	*ins, *sel = NULL;
	int		 rv = -1;

	if (name == NULL)
		return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "no account name");
	ins = cache_stmt(c, CACHE_STMT_ACCOUNT_INSERT, "INSERT INTO accounts "
	    "(name) VALUES (?1) ON CONFLICT (name) DO NOTHING", e);
	if (ins == NULL)
		return -1;
	if (cache_bind_text(ins, 1, name) != SQLITE_OK ||
	    sqlite3_step(ins) != SQLITE_DONE) {
		cache_sqlerr(c, e, "add account %s", name);
		goto out;
	}
	sel = cache_stmt(c, CACHE_STMT_ACCOUNT_ID,
	    "SELECT id FROM accounts WHERE name = ?1", e);
	if (sel == NULL)
		goto out;
	if (cache_bind_text(sel, 1, name) != SQLITE_OK ||
	    sqlite3_step(sel) != SQLITE_ROW) {
		cache_sqlerr(c, e, "look up account %s", name);
		goto out;
	}
	*id = sqlite3_column_int64(sel, 0);
	rv = 0;
out:
	cache_stmt_done(ins);
	cache_stmt_done(sel);
	return rv;
}

/* Look up a folder id by (account, remote name); 1 if there is none. */
static int
cache_folder_id(struct cache *c, int64_t account_id, const char *remote_name,
    int64_t *id, struct error *e)
{
	sqlite3_stmt	*s;
	int		 rc, rv = -1;

	s = cache_stmt(c, CACHE_STMT_FOLDER_ID, "SELECT id FROM folders "
	    "WHERE account_id = ?1 AND remote_name = ?2", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, account_id) != SQLITE_OK ||
	    cache_bind_text(s, 2, remote_name) != SQLITE_OK) {
		cache_sqlerr(c, e, "look up folder %s", remote_name);
		goto out;
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		rv = 0;
	} else if (rc == SQLITE_DONE)
		rv = 1;
	else
		cache_sqlerr(c, e, "look up folder %s", remote_name);
out:
	cache_stmt_done(s);
	return rv;
}

/* Add a folder or update its display name, delimiter and attributes. */
int
cache_folder_put(struct cache *c, int64_t account_id, const char *remote_name,
    const char *name, char delim, unsigned attrs, int64_t *folder_id,
    struct error *e)
{
	sqlite3_stmt	*s;
	int		 rv = -1;

	if (remote_name == NULL)
		return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "no folder name");
	if (name == NULL)
		name = remote_name;
	s = cache_stmt(c, CACHE_STMT_FOLDER_PUT, "INSERT INTO folders "
	    "(account_id, remote_name, name, delim, attrs) "
	    "VALUES (?1, ?2, ?3, ?4, ?5) "
	    "ON CONFLICT (account_id, remote_name) DO UPDATE SET "
	    "name = excluded.name, delim = excluded.delim, "
	    "attrs = excluded.attrs", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, account_id) != SQLITE_OK ||
	    cache_bind_text(s, 2, remote_name) != SQLITE_OK ||
	    cache_bind_text(s, 3, name) != SQLITE_OK ||
	    sqlite3_bind_int(s, 4, (unsigned char)delim) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 5, attrs) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE) {
		cache_sqlerr(c, e, "store folder %s", remote_name);
		goto out;
	}
	cache_stmt_done(s);
	s = NULL;
	rv = cache_folder_id(c, account_id, remote_name, folder_id, e);
	if (rv == 1) {
		/* Only if another connection deleted it in between. */
		rv = error_set(e, ERR_CACHE, ERR_SCOPE_OP, "store folder %s: "
		    "row gone after insert", remote_name);
	}
out:
	cache_stmt_done(s);
	return rv;
}

/* qsort/bsearch comparison of two string pointers. */
static int
cache_folder_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Collect the ids of the account's folders whose name is not in keep. */
static int
cache_folder_doomed(struct cache *c, int64_t account_id,
    const char **keep, size_t n, int64_t **ids, size_t *nids,
    struct error *e)
{
	sqlite3_stmt	*s;
	const char	*name;
	size_t		 cap = 0;
	int		 rc, rv = -1;

	s = cache_stmt(c, CACHE_STMT_FOLDER_NAMES, "SELECT id, remote_name "
	    "FROM folders WHERE account_id = ?1", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, account_id) != SQLITE_OK)
		goto fail;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		name = (const char *)sqlite3_column_text(s, 1);
		if (name != NULL && n != 0 &&
		    bsearch(&name, keep, n, sizeof *keep, cache_folder_cmp))
			continue;
		if (*nids == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*ids = xreallocarray(*ids, cap, sizeof **ids);
		}
		(*ids)[(*nids)++] = sqlite3_column_int64(s, 0);
	}
	if (rc != SQLITE_DONE)
		goto fail;
	rv = 0;
	goto out;
fail:
	cache_sqlerr(c, e, "list folders of account %lld",
	    (long long)account_id);
out:
	cache_stmt_done(s);
	return rv;
}

/* Delete the account's folders that the server no longer has. */
int
cache_folder_prune(struct cache *c, int64_t account_id,
    const char *const *keep_remote_names, size_t n, struct error *e)
{
	sqlite3_stmt	 *s;
	const char	**keep = NULL;
	int64_t		 *ids = NULL;
	size_t		  i, nids = 0;
	int		  rv = -1;

	if (n != 0) {
		keep = xreallocarray(NULL, n, sizeof *keep);
		memcpy(keep, keep_remote_names, n * sizeof *keep);
		qsort(keep, n, sizeof *keep, cache_folder_cmp);
	}
	if (cache_savepoint(c, e) != 0)
		goto out;
	if (cache_folder_doomed(c, account_id, keep, n, &ids, &nids, e) != 0)
		goto end;
	s = cache_stmt(c, CACHE_STMT_FOLDER_DELETE,
	    "DELETE FROM folders WHERE id = ?1", e);
	if (s == NULL)
		goto end;
	for (i = 0; i < nids; i++) {
		if (sqlite3_bind_int64(s, 1, ids[i]) != SQLITE_OK ||
		    sqlite3_step(s) != SQLITE_DONE) {
			cache_sqlerr(c, e, "delete folder %lld",
			    (long long)ids[i]);
			cache_stmt_done(s);
			goto end;
		}
		cache_stmt_done(s);
	}
	rv = 0;
end:
	rv = cache_savepoint_end(c, rv, e);
out:
	free(ids);
	free(keep);
	return rv;
}

/* Fill a folder from the current row of a CACHE_FOLDER_COLUMNS query. */
static void
cache_folder_row(sqlite3_stmt *s, struct cache_folder *f)
{
	f->id = sqlite3_column_int64(s, 0);
	f->account_id = sqlite3_column_int64(s, 1);
	f->remote_name = cache_column_dup(s, 2);
	f->name = cache_column_dup(s, 3);
	f->delim = (char)(unsigned char)sqlite3_column_int(s, 4);
	f->attrs = (unsigned)sqlite3_column_int64(s, 5);
	f->role = (enum cache_role)sqlite3_column_int(s, 6);
	f->total = sqlite3_column_int64(s, 7);
	f->unread = sqlite3_column_int64(s, 8);
	if (f->remote_name == NULL)
		f->remote_name = xstrdup("");
	if (f->name == NULL)
		f->name = xstrdup(f->remote_name);
}

/* List an account's folders: INBOX first, then by name. */
int
cache_folder_list(struct cache *c, int64_t account_id,
    struct cache_folder **folders, size_t *n, struct error *e)
{
	sqlite3_stmt		*s;
	struct cache_folder	*list = NULL;
	size_t			 len = 0, cap = 0;
	int			 rc, rv = -1;

	s = cache_stmt(c, CACHE_STMT_FOLDER_LIST, "SELECT "
	    CACHE_FOLDER_COLUMNS "FROM folders f WHERE f.account_id = ?1 "
	    "ORDER BY (f.remote_name = 'INBOX' COLLATE NOCASE) DESC, "
	    "f.name COLLATE NOCASE, f.name, f.id", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, account_id) != SQLITE_OK)
		goto fail;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			list = xreallocarray(list, cap, sizeof *list);
		}
		cache_folder_row(s, &list[len++]);
	}
	if (rc != SQLITE_DONE)
		goto fail;
	*folders = list;
	*n = len;
	list = NULL;
	rv = 0;
	goto out;
fail:
	cache_sqlerr(c, e, "list folders of account %lld",
	    (long long)account_id);
out:
	cache_folder_list_free(list, len);
	cache_stmt_done(s);
	return rv;
}

/* Step a one-folder query into f: 0, 1 if no row, -1 on error. */
static int
cache_folder_one(struct cache *c, sqlite3_stmt *s, struct cache_folder *f,
    struct error *e)
{
	int	rc;

	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		cache_folder_row(s, f);
		return 0;
	}
	if (rc == SQLITE_DONE)
		return 1;
	return cache_sqlerr(c, e, "read folder");
}

/* Read one folder by id. */
int
cache_folder_get(struct cache *c, int64_t folder_id, struct cache_folder *f,
    struct error *e)
{
	sqlite3_stmt	*s;
	int		 rv = -1;

	memset(f, 0, sizeof *f);
	s = cache_stmt(c, CACHE_STMT_FOLDER_GET, "SELECT "
	    CACHE_FOLDER_COLUMNS "FROM folders f WHERE f.id = ?1", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, folder_id) != SQLITE_OK)
		cache_sqlerr(c, e, "read folder %lld", (long long)folder_id);
	else
		rv = cache_folder_one(c, s, f, e);
	cache_stmt_done(s);
	return rv;
}

/* Read one folder by its remote name. */
int
cache_folder_find(struct cache *c, int64_t account_id,
    const char *remote_name, struct cache_folder *f, struct error *e)
{
	sqlite3_stmt	*s;
	int		 rv = -1;

	memset(f, 0, sizeof *f);
	if (remote_name == NULL)
		return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "no folder name");
	s = cache_stmt(c, CACHE_STMT_FOLDER_FIND, "SELECT "
	    CACHE_FOLDER_COLUMNS "FROM folders f "
	    "WHERE f.account_id = ?1 AND f.remote_name = ?2", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, account_id) != SQLITE_OK ||
	    cache_bind_text(s, 2, remote_name) != SQLITE_OK)
		cache_sqlerr(c, e, "read folder %s", remote_name);
	else
		rv = cache_folder_one(c, s, f, e);
	cache_stmt_done(s);
	return rv;
}

/* Free a folder's strings. */
void
cache_folder_fini(struct cache_folder *f)
{
	if (f == NULL)
		return;
	free(f->remote_name);
	free(f->name);
	memset(f, 0, sizeof *f);
}

/* Free an array from cache_folder_list. */
void
cache_folder_list_free(struct cache_folder *folders, size_t n)
{
	size_t	i;

	if (folders == NULL)
		return;
	for (i = 0; i < n; i++)
		cache_folder_fini(&folders[i]);
	free(folders);
}

/* Read the driver's sync state of a folder. */
int
cache_folder_get_state(struct cache *c, int64_t folder_id, char **state,
    struct error *e)
{
	sqlite3_stmt	*s;
	int		 rc, rv = -1;

	*state = NULL;
	s = cache_stmt(c, CACHE_STMT_FOLDER_GET_STATE,
	    "SELECT sync_state FROM folders WHERE id = ?1", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, folder_id) != SQLITE_OK)
		rc = SQLITE_ERROR;
	else
		rc = sqlite3_step(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		cache_sqlerr(c, e, "read sync state of folder %lld",
		    (long long)folder_id);
		goto out;
	}
	if (rc == SQLITE_DONE) {
		error_set(e, ERR_NOTFOUND, ERR_SCOPE_FOLDER,
		    "no folder %lld in the cache", (long long)folder_id);
		goto out;
	}
	*state = cache_column_dup(s, 0);
	rv = 0;
out:
	cache_stmt_done(s);
	return rv;
}

/* Store (or with NULL, forget) the driver's sync state of a folder. */
int
cache_folder_set_state(struct cache *c, int64_t folder_id, const char *state,
    struct error *e)
{
	sqlite3_stmt	*s;
	int		 rv = -1;

	s = cache_stmt(c, CACHE_STMT_FOLDER_SET_STATE,
	    "UPDATE folders SET sync_state = ?2 WHERE id = ?1", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, folder_id) != SQLITE_OK ||
	    cache_bind_text(s, 2, state) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE) {
		cache_sqlerr(c, e, "store sync state of folder %lld",
		    (long long)folder_id);
		goto out;
	}
	if (sqlite3_changes(c->db) == 0) {
		error_set(e, ERR_NOTFOUND, ERR_SCOPE_FOLDER,
		    "no folder %lld in the cache", (long long)folder_id);
		goto out;
	}
	rv = 0;
out:
	cache_stmt_done(s);
	return rv;
}

/*
 * Drop a folder's messages (their bodies follow by cascade) and its sync
 * state, atomically: a state that describes messages no longer cached would
 * make the next sync skip them.
 */
int
cache_folder_clear(struct cache *c, int64_t folder_id, struct error *e)
{
	sqlite3_stmt	*s;
	int		 rv = -1;

	if (cache_savepoint(c, e) != 0)
		return -1;
	s = cache_stmt(c, CACHE_STMT_FOLDER_CLEAR,
	    "DELETE FROM messages WHERE folder_id = ?1", e);
	if (s == NULL)
		goto out;
	if (sqlite3_bind_int64(s, 1, folder_id) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE) {
		cache_sqlerr(c, e, "clear folder %lld", (long long)folder_id);
		cache_stmt_done(s);
		goto out;
	}
	cache_stmt_done(s);
	if (cache_folder_set_state(c, folder_id, NULL, e) != 0) {
		/* Clearing a folder that does not exist clears nothing. */
		if (e->code != ERR_NOTFOUND)
			goto out;
		error_clear(e);
	}
	rv = 0;
out:
	return cache_savepoint_end(c, rv, e);
}

/* Is r one of the roles this build knows? */
static int
cache_role_valid(enum cache_role r)
{
	return (int)r >= (int)CACHE_ROLE_NONE &&
	    (int)r <= (int)CACHE_ROLE_ARCHIVE;
}

/*
 * Give a folder a role (CACHE_ROLE_NONE takes its role away).  The other
 * folder of the account that had the role loses it, in the same savepoint.
 */
int
cache_folder_set_role(struct cache *c, int64_t folder_id, enum cache_role role,
    struct error *e)
{
	sqlite3_stmt	*s;
	int		 rv = -1;

	if (!cache_role_valid(role))
		return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "unknown folder "
		    "role %d", (int)role);
	if (cache_savepoint(c, e) != 0)
		return -1;
	/* ?2 != 0: CACHE_ROLE_NONE is not unique; the row itself last. */
	s = cache_stmt(c, CACHE_STMT_FOLDER_SET_ROLE, "UPDATE folders "
	    "SET role = CASE WHEN id = ?1 THEN ?2 ELSE 0 END "
	    "WHERE id = ?1 OR (?2 != 0 AND role = ?2 AND account_id = "
	    "(SELECT account_id FROM folders WHERE id = ?1))", e);
	if (s == NULL)
		goto out;
	if (sqlite3_bind_int64(s, 1, folder_id) != SQLITE_OK ||
	    sqlite3_bind_int(s, 2, (int)role) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE) {
		cache_sqlerr(c, e, "set role of folder %lld",
		    (long long)folder_id);
		cache_stmt_done(s);
		goto out;
	}
	cache_stmt_done(s);
	/* The subquery finds no account for a missing folder: no change. */
	if (sqlite3_changes(c->db) == 0) {
		error_set(e, ERR_NOTFOUND, ERR_SCOPE_FOLDER,
		    "no folder %lld in the cache", (long long)folder_id);
		goto out;
	}
	rv = 0;
out:
	return cache_savepoint_end(c, rv, e);
}

/* Read the account's folder with a role; 1 if none has it. */
int
cache_folder_find_role(struct cache *c, int64_t account_id,
    enum cache_role role, struct cache_folder *f, struct error *e)
{
	sqlite3_stmt	*s;
	int		 rv = -1;

	memset(f, 0, sizeof *f);
	if (role == CACHE_ROLE_NONE || !cache_role_valid(role))
		return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "no folder role "
		    "%d to look for", (int)role);
	s = cache_stmt(c, CACHE_STMT_FOLDER_FIND_ROLE, "SELECT "
	    CACHE_FOLDER_COLUMNS "FROM folders f "
	    "WHERE f.account_id = ?1 AND f.role = ?2 ORDER BY f.id LIMIT 1", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, account_id) != SQLITE_OK ||
	    sqlite3_bind_int(s, 2, (int)role) != SQLITE_OK)
		cache_sqlerr(c, e, "find folder with role %d", (int)role);
	else
		rv = cache_folder_one(c, s, f, e);
	cache_stmt_done(s);
	return rv;
}

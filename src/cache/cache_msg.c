/*
 * cache_msg.c - message envelopes in the cache.
 *
 * A message is keyed by (folder, remote id); its row id is what the UI
 * holds.  Sync writes envelopes in bulk (100,000 in one transaction must
 * take well under a second), so cache_msg_put is one prepared upsert and,
 * for a new row, nothing more (its sort keys are computed here; the search
 * index follows by trigger).  The UI reads a page at a time in display
 * order (date, then id) through the messages_list index; other orders and
 * searches are cache_query.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/cache_impl.h"
#include "util/xmalloc.h"

/* Bind the envelope of m and its sort keys to the put statement. */
static int
cache_msg_bind(sqlite3_stmt *s, const struct cache_msg *m,
    const char *from_key, const char *subject_key)
{
	if (sqlite3_bind_int64(s, 1, m->folder_id) != SQLITE_OK ||
	    cache_bind_text(s, 2, m->remote_id) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 3, m->date) != SQLITE_OK ||
	    cache_bind_text(s, 4, m->from_name) != SQLITE_OK ||
	    cache_bind_text(s, 5, m->from_addr) != SQLITE_OK ||
	    cache_bind_text(s, 6, m->to) != SQLITE_OK ||
	    cache_bind_text(s, 7, m->subject) != SQLITE_OK ||
	    cache_bind_text(s, 8, m->message_id) != SQLITE_OK ||
	    cache_bind_text(s, 9, m->in_reply_to) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 10, m->size) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 11, m->flags) != SQLITE_OK ||
	    cache_bind_text(s, 12, m->references) != SQLITE_OK ||
	    cache_bind_text(s, 13, from_key) != SQLITE_OK ||
	    cache_bind_text(s, 14, subject_key) != SQLITE_OK)
		return -1;
	return 0;
}

/* Look up a message's row id; 1 if there is none. */
static int
cache_msg_id(struct cache *c, int64_t folder_id, const char *remote_id,
    int64_t *id, struct error *e)
{
	sqlite3_stmt	*s;
	int		 rc = SQLITE_ERROR, rv = -1;

	s = cache_stmt(c, CACHE_STMT_MSG_ID, "SELECT id FROM messages "
	    "WHERE folder_id = ?1 AND remote_id = ?2", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, folder_id) == SQLITE_OK &&
	    cache_bind_text(s, 2, remote_id) == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		rv = 0;
	} else if (rc == SQLITE_DONE)
		rv = 1;
	else
		cache_sqlerr(c, e, "look up message %s", remote_id);
	cache_stmt_done(s);
	return rv;
}

/*
 * Insert or update a message by (folder, remote id), keeping its row id.
 * The upsert leaves last_insert_rowid alone when it updates, so zeroing it
 * first tells an insert (the common case in a sync) from an update, which
 * alone needs a second lookup for the id.
 */
int
cache_msg_put(struct cache *c, struct cache_msg *m, struct error *e)
{
	sqlite3_stmt	*s;
	struct error	 ignored;
	char		*from_key = NULL, *subject_key = NULL;
	int64_t		 id;
	int		 rv = -1;

	if (m->remote_id == NULL)
		return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "no message id");
	s = cache_stmt(c, CACHE_STMT_MSG_PUT, "INSERT INTO messages "
	    "(folder_id, remote_id, date, from_name, from_addr, to_addrs, "
	    "subject, message_id, in_reply_to, size, flags, refs, from_sort, "
	    "subject_sort) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	    "?14) "
	    "ON CONFLICT (folder_id, remote_id) DO UPDATE SET "
	    "date = excluded.date, from_name = excluded.from_name, "
	    "from_addr = excluded.from_addr, to_addrs = excluded.to_addrs, "
	    "subject = excluded.subject, message_id = excluded.message_id, "
	    "in_reply_to = excluded.in_reply_to, size = excluded.size, "
	    "flags = excluded.flags, refs = excluded.refs, "
	    "from_sort = excluded.from_sort, "
	    "subject_sort = excluded.subject_sort", e);
	if (s == NULL)
		return -1;
	from_key = cache_from_key(m->from_name, m->from_addr);
	subject_key = cache_subject_key(m->subject);
	sqlite3_set_last_insert_rowid(c->db, 0);
	if (cache_msg_bind(s, m, from_key, subject_key) != 0 ||
	    sqlite3_step(s) != SQLITE_DONE) {
		cache_sqlerr(c, e, "store message %s in folder %lld",
		    m->remote_id, (long long)m->folder_id);
		goto out;
	}
	cache_stmt_done(s);
	s = NULL;
	if ((id = sqlite3_last_insert_rowid(c->db)) == 0) {
		rv = cache_msg_id(c, m->folder_id, m->remote_id, &id, e);
		if (rv != 0) {
			if (rv == 1)
				error_set(e, ERR_CACHE, ERR_SCOPE_OP, "store "
				    "message %s: row gone after update",
				    m->remote_id);
			rv = -1;
			goto out;
		}
	}
	m->id = id;
	rv = 0;
	/*
	 * Outside a transaction nobody commits: index the row now.  If that
	 * fails the row is stored all the same and found by LIKE meanwhile.
	 */
	if (sqlite3_get_autocommit(c->db))
		(void)cache_search_catch_up(c, 0, &ignored);
out:
	cache_stmt_done(s);
	free(from_key);
	free(subject_key);
	return rv;
}

/* Run a statement keyed by (folder, remote id); 1 if it changed no row. */
static int
cache_msg_change(struct cache *c, sqlite3_stmt *s, int64_t folder_id,
    const char *remote_id, const char *what, struct error *e)
{
	int	rv = -1;

	if (remote_id == NULL)
		return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "no message id");
	if (sqlite3_bind_int64(s, 1, folder_id) != SQLITE_OK ||
	    cache_bind_text(s, 2, remote_id) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE) {
		cache_sqlerr(c, e, "%s message %s in folder %lld", what,
		    remote_id, (long long)folder_id);
		goto out;
	}
	rv = sqlite3_changes(c->db) == 0 ? 1 : 0;
out:
	cache_stmt_done(s);
	return rv;
}

/* Replace a message's flags. */
int
cache_msg_set_flags(struct cache *c, int64_t folder_id, const char *remote_id,
    unsigned flags, struct error *e)
{
	sqlite3_stmt	*s;

	s = cache_stmt(c, CACHE_STMT_MSG_SET_FLAGS, "UPDATE messages "
	    "SET flags = ?3 WHERE folder_id = ?1 AND remote_id = ?2", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 3, flags) != SQLITE_OK) {
		cache_stmt_done(s);
		return cache_sqlerr(c, e, "set flags");
	}
	return cache_msg_change(c, s, folder_id, remote_id, "set flags of", e);
}

/* Delete a message; its body follows by cascade. */
int
cache_msg_remove(struct cache *c, int64_t folder_id, const char *remote_id,
    struct error *e)
{
	sqlite3_stmt	*s;

	s = cache_stmt(c, CACHE_STMT_MSG_REMOVE, "DELETE FROM messages "
	    "WHERE folder_id = ?1 AND remote_id = ?2", e);
	if (s == NULL)
		return -1;
	return cache_msg_change(c, s, folder_id, remote_id, "remove", e);
}

/* Every remote id of a folder. */
int
cache_msg_remote_ids(struct cache *c, int64_t folder_id, char ***ids,
    size_t *n, struct error *e)
{
	sqlite3_stmt	 *s;
	char		**list = NULL;
	size_t		  len = 0, cap = 0;
	int		  rc = SQLITE_ERROR, rv = -1;

	s = cache_stmt(c, CACHE_STMT_MSG_REMOTE_IDS,
	    "SELECT remote_id FROM messages WHERE folder_id = ?1", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, folder_id) == SQLITE_OK) {
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			if (len == cap) {
				cap = cap == 0 ? 64 : cap * 2;
				list = xreallocarray(list, cap, sizeof *list);
			}
			if ((list[len] = cache_column_dup(s, 0)) == NULL)
				list[len] = xstrdup("");
			len++;
		}
	}
	if (rc != SQLITE_DONE) {
		cache_sqlerr(c, e, "list messages of folder %lld",
		    (long long)folder_id);
		goto out;
	}
	*ids = list;
	*n = len;
	list = NULL;
	rv = 0;
out:
	cache_strv_free(list, len);
	cache_stmt_done(s);
	return rv;
}

/* Free an array of strings. */
void
cache_strv_free(char **v, size_t n)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Count a folder's messages and unread messages (either may be NULL). */
int
cache_msg_count(struct cache *c, int64_t folder_id, int64_t *total,
    int64_t *unread, struct error *e)
{
	sqlite3_stmt	*s;
	int		 rv = -1;

	/* Each count is answered from an index alone (see cache_schema.c). */
	s = cache_stmt(c, CACHE_STMT_MSG_COUNT, "SELECT "
	    "(SELECT count(*) FROM messages WHERE folder_id = ?1), "
	    "(SELECT count(*) FROM messages WHERE folder_id = ?1 "
	    "  AND (flags & 1) = 0)", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, folder_id) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW) {
		cache_sqlerr(c, e, "count messages of folder %lld",
		    (long long)folder_id);
		goto out;
	}
	if (total != NULL)
		*total = sqlite3_column_int64(s, 0);
	if (unread != NULL)
		*unread = sqlite3_column_int64(s, 1);
	rv = 0;
out:
	cache_stmt_done(s);
	return rv;
}

/* Fill a message from the current row of a CACHE_MSG_COLUMNS query. */
void
cache_msg_row(sqlite3_stmt *s, struct cache_msg *m)
{
	m->id = sqlite3_column_int64(s, 0);
	m->folder_id = sqlite3_column_int64(s, 1);
	if ((m->remote_id = cache_column_dup(s, 2)) == NULL)
		m->remote_id = xstrdup("");
	m->date = sqlite3_column_int64(s, 3);
	m->from_name = cache_column_dup(s, 4);
	m->from_addr = cache_column_dup(s, 5);
	m->to = cache_column_dup(s, 6);
	m->subject = cache_column_dup(s, 7);
	m->message_id = cache_column_dup(s, 8);
	m->in_reply_to = cache_column_dup(s, 9);
	m->references = cache_column_dup(s, 10);
	m->size = sqlite3_column_int64(s, 11);
	m->flags = (unsigned)sqlite3_column_int64(s, 12);
	m->has_body = sqlite3_column_int(s, 13) != 0;
}

/* Read every row of a bound message query into a new array. */
int
cache_msg_collect(struct cache *c, sqlite3_stmt *s, struct cache_msg **msgs,
    size_t *n, const char *what, struct error *e)
{
	struct cache_msg *list = NULL;
	size_t		 len = 0, cap = 0;
	int		 rc, rv = -1;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			list = xreallocarray(list, cap, sizeof *list);
		}
		cache_msg_row(s, &list[len++]);
	}
	if (rc != SQLITE_DONE) {
		cache_sqlerr(c, e, "%s", what);
		goto out;
	}
	*msgs = list;
	*n = len;
	list = NULL;
	rv = 0;
out:
	cache_msg_list_free(list, len);
	cache_stmt_done(s);
	return rv;
}

/* Read one page of a folder in display order. */
int
cache_msg_page(struct cache *c, int64_t folder_id, int64_t offset,
    size_t limit, struct cache_msg **msgs, size_t *n, struct error *e)
{
	sqlite3_stmt	*s;
	char		 what[64];

	if (offset < 0)
		return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "negative offset");
	s = cache_stmt(c, CACHE_STMT_MSG_PAGE, "SELECT " CACHE_MSG_COLUMNS
	    "FROM messages m WHERE m.folder_id = ?1 "
	    "ORDER BY m.date, m.id LIMIT ?2 OFFSET ?3", e);
	if (s == NULL)
		return -1;
	snprintf(what, sizeof what, "read messages of folder %lld",
	    (long long)folder_id);
	/* LIMIT -1 is no limit. */
	if (sqlite3_bind_int64(s, 1, folder_id) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, limit > INT64_MAX ? -1 :
	    (int64_t)limit) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 3, offset) != SQLITE_OK) {
		cache_stmt_done(s);
		return cache_sqlerr(c, e, "%s", what);
	}
	return cache_msg_collect(c, s, msgs, n, what, e);
}

/* Read one message by row id. */
int
cache_msg_get(struct cache *c, int64_t msg_id, struct cache_msg *m,
    struct error *e)
{
	sqlite3_stmt	*s;
	int		 rc = SQLITE_ERROR, rv = -1;

	memset(m, 0, sizeof *m);
	s = cache_stmt(c, CACHE_STMT_MSG_GET, "SELECT " CACHE_MSG_COLUMNS
	    "FROM messages m WHERE m.id = ?1", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, msg_id) == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		cache_msg_row(s, m);
		rv = 0;
	} else if (rc == SQLITE_DONE)
		rv = 1;
	else
		cache_sqlerr(c, e, "read message %lld", (long long)msg_id);
	cache_stmt_done(s);
	return rv;
}

/* Read one message by (folder, remote id). */
int
cache_msg_find(struct cache *c, int64_t folder_id, const char *remote_id,
    struct cache_msg *m, struct error *e)
{
	int64_t	id;
	int	rv;

	memset(m, 0, sizeof *m);
	if ((rv = cache_msg_id(c, folder_id, remote_id, &id, e)) != 0)
		return rv;
	return cache_msg_get(c, id, m, e);
}

/* Free a message's strings. */
void
cache_msg_fini(struct cache_msg *m)
{
	if (m == NULL)
		return;
	free(m->remote_id);
	free(m->from_name);
	free(m->from_addr);
	free(m->to);
	free(m->subject);
	free(m->message_id);
	free(m->in_reply_to);
	free(m->references);
	memset(m, 0, sizeof *m);
}

/* Free an array from cache_msg_page. */
void
cache_msg_list_free(struct cache_msg *msgs, size_t n)
{
	size_t	i;

	if (msgs == NULL)
		return;
	for (i = 0; i < n; i++)
		cache_msg_fini(&msgs[i]);
	free(msgs);
}

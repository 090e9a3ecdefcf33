/*
 * cache_op.c - the queue of pending operations: changes the user made that
 * the server has not confirmed yet.
 *
 * The UI writes the change to the cache and queues it here in the same
 * transaction; the account's worker lists the queue oldest first (row ids
 * only grow: AUTOINCREMENT), replays each operation and drops it once the
 * server took it, or counts a failed attempt and keeps the server's answer
 * for the UI.  Rows go with their account and folders (ON DELETE CASCADE):
 * an operation on a folder that no longer exists cannot be replayed.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/cache_impl.h"
#include "util/xmalloc.h"

/* Longest error text kept per operation. */
#define CACHE_OP_ERROR_MAX	512

/* Refuse an operation the worker could not replay. */
static int
cache_op_check(const struct cache_op *op, struct error *e)
{
	switch (op->type) {
	case CACHE_OP_FLAGS:
	case CACHE_OP_EXPUNGE:
		break;
	case CACHE_OP_MOVE:
	case CACHE_OP_COPY:
	case CACHE_OP_XMOVE:
	case CACHE_OP_XCOPY:
		if (op->target_folder_id <= 0)
			return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "move or "
			    "copy without a target folder");
		break;
	default:
		return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "unknown pending "
		    "operation type %d", (int)op->type);
	}
	if (op->remote_id == NULL || *op->remote_id == '\0')
		return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "pending "
		    "operation without a message");
	return 0;
}

/* Queue an operation; attempts and last_error start afresh. */
int
cache_op_add(struct cache *c, struct cache_op *op, struct error *e)
{
	sqlite3_stmt	*s;
	int		 rv = -1, moves;

	if (cache_op_check(op, e) != 0)
		return -1;
	moves = op->type != CACHE_OP_FLAGS && op->type != CACHE_OP_EXPUNGE;
	s = cache_stmt(c, CACHE_STMT_OP_ADD, "INSERT INTO pending_ops "
	    "(account_id, type, folder_id, remote_id, add_flags, remove_flags, "
	    "target_folder_id, created) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, op->account_id) != SQLITE_OK ||
	    sqlite3_bind_int(s, 2, (int)op->type) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 3, op->folder_id) != SQLITE_OK ||
	    cache_bind_text(s, 4, op->remote_id) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 5, op->add) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 6, op->remove) != SQLITE_OK ||
	    (moves ? sqlite3_bind_int64(s, 7, op->target_folder_id) :
	    sqlite3_bind_null(s, 7)) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 8, (int64_t)time(NULL)) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE) {
		cache_sqlerr(c, e, "queue operation on message %s",
		    op->remote_id);
		goto out;
	}
	op->id = sqlite3_last_insert_rowid(c->db);
	op->attempts = 0;
	rv = 0;
out:
	cache_stmt_done(s);
	return rv;
}

/* Whether an XMOVE of the message is queued (see cache.h). */
int
cache_op_moving(struct cache *c, int64_t folder_id, const char *remote_id,
    struct error *e)
{
	sqlite3_stmt	*s;
	int		 rc, rv = -1;

	s = cache_stmt(c, CACHE_STMT_OP_MOVING, "SELECT 1 FROM pending_ops "
	    "WHERE folder_id = ?1 AND remote_id = ?2 AND type = ?3 LIMIT 1",
	    e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, folder_id) != SQLITE_OK ||
	    cache_bind_text(s, 2, remote_id) != SQLITE_OK ||
	    sqlite3_bind_int(s, 3, (int)CACHE_OP_XMOVE) != SQLITE_OK)
		rc = SQLITE_ERROR;
	else
		rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		rv = 1;
	else if (rc == SQLITE_DONE)
		rv = 0;
	else
		cache_sqlerr(c, e, "look for a move of message %s", remote_id);
	cache_stmt_done(s);
	return rv;
}

/* Fill an operation from the current row of the list query. */
static void
cache_op_row(sqlite3_stmt *s, struct cache_op *op)
{
	memset(op, 0, sizeof *op);
	op->id = sqlite3_column_int64(s, 0);
	op->account_id = sqlite3_column_int64(s, 1);
	op->type = (enum cache_op_type)sqlite3_column_int(s, 2);
	op->folder_id = sqlite3_column_int64(s, 3);
	if ((op->remote_id = cache_column_dup(s, 4)) == NULL)
		op->remote_id = xstrdup("");
	op->add = (unsigned)sqlite3_column_int64(s, 5);
	op->remove = (unsigned)sqlite3_column_int64(s, 6);
	op->target_folder_id = sqlite3_column_int64(s, 7);	/* NULL: 0 */
	op->attempts = sqlite3_column_int(s, 8);
	op->last_error = cache_column_dup(s, 9);
}

/* List an account's queued operations, oldest first. */
int
cache_op_list(struct cache *c, int64_t account_id, struct cache_op **ops,
    size_t *n, struct error *e)
{
	sqlite3_stmt	*s;
	struct cache_op	*list = NULL;
	size_t		 len = 0, cap = 0;
	int		 rc = SQLITE_ERROR, rv = -1;

	s = cache_stmt(c, CACHE_STMT_OP_LIST, "SELECT id, account_id, type, "
	    "folder_id, remote_id, add_flags, remove_flags, target_folder_id, "
	    "attempts, last_error FROM pending_ops WHERE account_id = ?1 "
	    "ORDER BY id", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, account_id) == SQLITE_OK) {
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			if (len == cap) {
				cap = cap == 0 ? 16 : cap * 2;
				list = xreallocarray(list, cap, sizeof *list);
			}
			cache_op_row(s, &list[len++]);
		}
	}
	if (rc != SQLITE_DONE) {
		cache_sqlerr(c, e, "list pending operations of account %lld",
		    (long long)account_id);
		goto out;
	}
	*ops = list;
	*n = len;
	list = NULL;
	rv = 0;
out:
	cache_op_list_free(list, len);
	cache_stmt_done(s);
	return rv;
}

/*
 * Drop an operation the server accepted.  Dropping one that is already gone
 * (its folder was deleted meanwhile) is not an error.
 */
int
cache_op_done(struct cache *c, int64_t op_id, struct error *e)
{
	sqlite3_stmt	*s;
	int		 rv = -1;

	s = cache_stmt(c, CACHE_STMT_OP_DONE,
	    "DELETE FROM pending_ops WHERE id = ?1", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, op_id) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE) {
		cache_sqlerr(c, e, "drop pending operation %lld",
		    (long long)op_id);
		goto out;
	}
	rv = 0;
out:
	cache_stmt_done(s);
	return rv;
}

/*
 * Count a failed attempt and keep why (cut to CACHE_OP_ERROR_MAX bytes, at
 * a character boundary); -1 with ERR_NOTFOUND if the operation is gone.
 */
int
cache_op_failed(struct cache *c, int64_t op_id, const char *reason,
    struct error *e)
{
	sqlite3_stmt	*s;
	size_t		 len = 0;
	int		 rc, rv = -1;

	if (reason != NULL) {
		len = strnlen(reason, CACHE_OP_ERROR_MAX + 1);
		if (len > CACHE_OP_ERROR_MAX) {
			len = CACHE_OP_ERROR_MAX;
			while (len > 0 && (reason[len] & 0xc0) == 0x80)
				len--;
		}
	}
	s = cache_stmt(c, CACHE_STMT_OP_FAILED, "UPDATE pending_ops "
	    "SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1", e);
	if (s == NULL)
		return -1;
	rc = reason == NULL ? sqlite3_bind_null(s, 2) :
	    sqlite3_bind_text(s, 2, reason, (int)len, SQLITE_STATIC);
	if (rc != SQLITE_OK || sqlite3_bind_int64(s, 1, op_id) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE) {
		cache_sqlerr(c, e, "record failure of pending operation %lld",
		    (long long)op_id);
		goto out;
	}
	if (sqlite3_changes(c->db) == 0) {
		error_set(e, ERR_NOTFOUND, ERR_SCOPE_OP, "no pending operation "
		    "%lld", (long long)op_id);
		goto out;
	}
	rv = 0;
out:
	cache_stmt_done(s);
	return rv;
}

/* Free an array from cache_op_list. */
void
cache_op_list_free(struct cache_op *ops, size_t n)
{
	size_t	i;

	if (ops == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(ops[i].remote_id);
		free(ops[i].last_error);
	}
	free(ops);
}

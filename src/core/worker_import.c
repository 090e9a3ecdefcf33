/*
 * worker_import.c - the target account's half of a move or copy between
 * two accounts (a POP3 message kept in a local Maildir, say).
 *
 * The UI queues CACHE_OP_XMOVE / CACHE_OP_XCOPY on the target account
 * and asks the source account's worker for the body if it is not cached.
 * This worker appends the cached body to the target folder with the
 * message's flags; only after the target accepted it does a move queue,
 * in one transaction with dropping the source row from the cache, the
 * source account's removal (FLAGS \Deleted, then EXPUNGE), which that
 * account's worker replays like any change the user made.  A message is
 * thus never removed from the source before it exists in the target, and
 * a crash leaves either the import or the removal queued, never neither.
 */
#include <stdlib.h>
#include <string.h>

#include "core/worker_impl.h"
#include "util/xmalloc.h"

/* Queue the source's removal of m and drop its row, in one transaction. */
static int
worker_import_unlink(struct worker *w, const struct cache_folder *from,
    const struct cache_msg *m, struct error *err)
{
	struct cache_op	op;

	if (cache_begin(w->cache, err) == -1)
		return -1;
	memset(&op, 0, sizeof op);
	op.account_id = from->account_id;
	op.type = CACHE_OP_FLAGS;
	op.folder_id = from->id;
	op.remote_id = m->remote_id;
	op.add = CACHE_FLAG_DELETED;
	if (cache_op_add(w->cache, &op, err) == -1)
		goto fail;
	memset(&op, 0, sizeof op);
	op.account_id = from->account_id;
	op.type = CACHE_OP_EXPUNGE;
	op.folder_id = from->id;
	op.remote_id = m->remote_id;
	if (cache_op_add(w->cache, &op, err) == -1 ||
	    cache_msg_remove(w->cache, from->id, m->remote_id, err) == -1 ||
	    cache_commit(w->cache, err) == -1)
		goto fail;
	return 0;
fail:
	cache_rollback(w->cache);
	return -1;
}

/* Append the cached body of m to the target folder. */
static int
worker_import_append(struct worker *w, const struct cache_folder *to,
    const struct cache_msg *m, struct error *err)
{
	char	*raw = NULL;
	size_t	 len = 0;
	int	 rc;

	rc = cache_body_get(w->cache, m->id, &raw, &len, err);
	if (rc != 0)
		return rc;	/* 1: the source has not downloaded it yet */
	rc = account_append(w->account, to, raw, len,
	    m->flags & ~(unsigned)CACHE_FLAG_DELETED, m->date, w->cache, err);
	free(raw);
	return rc;
}

/*
 * Run one import: 0 done, 1 waiting for the source to download the body
 * (nothing counted against the operation), -1 with err.
 */
int
worker_op_import(struct worker *w, const struct cache_op *op,
    struct error *err)
{
	struct cache_folder	from, to;
	struct cache_msg	m;
	int			rc = -1, r;

	memset(&from, 0, sizeof from);
	memset(&to, 0, sizeof to);
	memset(&m, 0, sizeof m);
	if ((r = cache_folder_get(w->cache, op->folder_id, &from, err)) == 0)
		r = cache_folder_get(w->cache, op->target_folder_id, &to, err);
	if (r == -1)
		goto out;
	if (r == 1 || to.account_id != w->account->cache_id) {
		error_set(err, ERR_NOTFOUND, ERR_SCOPE_OP, "a folder of a "
		    "move between accounts no longer exists");
		goto out;
	}
	r = cache_msg_find(w->cache, from.id, op->remote_id, &m, err);
	if (r != 0) {
		if (r == 1)
			error_set(err, ERR_NOTFOUND, ERR_SCOPE_OP, "the message "
			    "to put in %s is no longer in %s", to.name,
			    from.name);
		goto out;
	}
	if ((rc = worker_import_append(w, &to, &m, err)) != 0)
		goto out;
	/* Appended: the operation is done even if the removal is not. */
	if (op->type == CACHE_OP_XMOVE &&
	    worker_import_unlink(w, &from, &m, err) == -1) {
		error_prefix(err, "copied to %s, but not removed from %s",
		    to.name, from.name);
		worker_emit(w, WORKER_EV_ERROR, 0, 0, err->msg);
		error_clear(err);
	} else if (op->type == CACHE_OP_XMOVE) {
		worker_emit(w, WORKER_EV_OPS_QUEUED, from.id, 0, NULL);
		worker_emit(w, WORKER_EV_MESSAGES, from.id, 0, NULL);
	}
	worker_emit(w, WORKER_EV_MESSAGES, to.id, 0, NULL);
out:
	cache_msg_fini(&m);
	cache_folder_fini(&from);
	cache_folder_fini(&to);
	return rc;
}

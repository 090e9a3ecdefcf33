/*
 * imap_sync.c - bringing one folder's cached headers and flags up to date.
 *
 * SELECT/EXAMINE the folder, check UIDVALIDITY (RFC 3501 2.3.1.1: if it
 * changed, every cached UID is meaningless and the folder's messages are
 * dropped), then UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE
 * ENVELOPE) and store each FETCH response as it arrives, committing every
 * IMAP_SYNC_BATCH rows, so memory holds one response and the set of UIDs
 * (4 bytes a message), never the whole answer.  Cached messages whose UID
 * the server did not report are removed afterwards.
 *
 * The folder's sync state string is "uidvalidity=N".  No CONDSTORE yet:
 * every sync re-reads every envelope.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/imap_driver.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define IMAP_SYNC_BATCH		1000
#define IMAP_SYNC_PROGRESS	500
#define IMAP_SYNC_MAX_UIDS	(16u * 1024 * 1024)

struct imap_sync {
	struct imap_account		*ia;
	struct cache			*cache;
	const struct cache_folder	*folder;
	uint32_t			*uids;		/* UIDs the server has */
	size_t				 nuids;
	size_t				 cap;
	size_t				 batch;		/* rows since commit */
	bool				 in_txn;
};

/* Compare two UIDs for qsort and bsearch. */
static int
imap_uid_cmp(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Remember a UID the server reported. */
static int
imap_sync_note_uid(struct imap_sync *s, uint32_t uid, struct error *err)
{
	if (s->nuids == s->cap) {
		if (s->cap >= IMAP_SYNC_MAX_UIDS) {
			return error_set(err, ERR_TOOBIG, ERR_SCOPE_FOLDER,
			    "folder has more than %u messages",
			    IMAP_SYNC_MAX_UIDS);
		}
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->uids = xreallocarray(s->uids, s->cap, sizeof *s->uids);
	}
	s->uids[s->nuids++] = uid;
	return 0;
}

/* Commit the batch and open the next transaction. */
static int
imap_sync_commit(struct imap_sync *s, bool reopen, struct error *err)
{
	if (s->in_txn) {
		if (cache_commit(s->cache, err) == -1)
			return -1;
		s->in_txn = false;
	}
	s->batch = 0;
	if (reopen) {
		if (cache_begin(s->cache, err) == -1)
			return -1;
		s->in_txn = true;
	}
	return 0;
}

/* Store one FETCH response of the sync. */
static int
imap_sync_one(void *arg, const struct imap_response *r, struct error *err)
{
	struct imap_sync	*s = arg;
	struct imap_fetch	 f;
	struct cache_msg	 m;
	char			 uid[16];
	int			 rc = -1;

	if (!imap_slice_is(r->name, "FETCH"))
		return 0;
	if (imap_fetch_parse(r, &f, err) == -1) {
		err->scope = ERR_SCOPE_FOLDER;
		return -1;
	}
	if (!(f.have & IMAP_FETCH_UID)) {
		rc = 0;		/* an unsolicited update without UID */
		goto out;
	}
	if (!(f.have & IMAP_FETCH_ENVELOPE)) {
		/* Only flags changed (another client): update those. */
		snprintf(uid, sizeof uid, "%" PRIu32, f.uid);
		if (f.have & IMAP_FETCH_FLAGS &&
		    cache_msg_set_flags(s->cache, s->folder->id, uid, f.flags,
		    err) == -1)
			goto out;
		rc = 0;
		goto out;
	}
	imap_msg_from_fetch(&f, s->folder->id, &m);
	rc = cache_msg_put(s->cache, &m, err);
	cache_msg_fini(&m);
	if (rc == -1 || (rc = imap_sync_note_uid(s, f.uid, err)) == -1)
		goto out;
	if (s->nuids % IMAP_SYNC_PROGRESS == 0) {
		account_status(&s->ia->base, "%s: headers %zu/%zu",
		    s->folder->name, s->nuids, (size_t)s->ia->conn->exists);
	}
	if (++s->batch >= IMAP_SYNC_BATCH)
		rc = imap_sync_commit(s, true, err);

out:
	imap_fetch_fini(&f);
	return rc;
}

/* Check UIDVALIDITY against the stored state; clear the folder if new. */
static int
imap_sync_uidvalidity(struct imap_sync *s, struct error *err)
{
	char		*old = NULL, state[32];
	uint32_t	 uv = s->ia->conn->uidvalidity;
	int		 rc = -1;

	if (uv == 0) {
		log_warn("imap", "%s: no UIDVALIDITY from the server",
		    s->folder->remote_name);
		return 0;
	}
	snprintf(state, sizeof state, "uidvalidity=%" PRIu32, uv);
	if (cache_folder_get_state(s->cache, s->folder->id, &old, err) == -1)
		return -1;
	if (old != NULL && strcmp(old, state) == 0) {
		rc = 0;
		goto out;
	}
	if (old != NULL) {
		log_info("imap", "%s: UIDVALIDITY changed (%s -> %s): "
		    "dropping cached messages", s->folder->remote_name, old,
		    state);
		if (cache_folder_clear(s->cache, s->folder->id, err) == -1)
			goto out;
	}
	rc = cache_folder_set_state(s->cache, s->folder->id, state, err);

out:
	free(old);
	return rc;
}

/* Remove cached messages whose UID the server did not report. */
static int
imap_sync_prune(struct imap_sync *s, struct error *err)
{
	char		**ids = NULL;
	size_t		 n = 0, removed = 0;
	uint32_t	 uid;
	int		 rc = -1;

	if (s->nuids > 0)
		qsort(s->uids, s->nuids, sizeof *s->uids, imap_uid_cmp);
	if (cache_msg_remote_ids(s->cache, s->folder->id, &ids, &n,
	    err) == -1)
		return -1;
	if (imap_sync_commit(s, true, err) == -1)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (imap_uid_parse(ids[i], &uid) == 0 && s->nuids > 0 &&
		    bsearch(&uid, s->uids, s->nuids, sizeof *s->uids,
		    imap_uid_cmp) != NULL)
			continue;
		if (cache_msg_remove(s->cache, s->folder->id, ids[i],
		    err) == -1)
			goto out;
		removed++;
	}
	if (removed > 0)
		log_debug("imap", "%s: %zu messages gone from the server",
		    s->folder->remote_name, removed);
	rc = imap_sync_commit(s, false, err);

out:
	cache_strv_free(ids, n);
	return rc;
}

/* Bring a folder's cached headers and flags up to date. */
int
imap_sync_folder(struct account *a, const struct cache_folder *folder,
    struct cache *cache, struct error *err)
{
	struct imap_sync	 s = { imap_account_get(a), cache, folder,
	    NULL, 0, 0, 0, false };
	int			 rc = -1;

	if (imap_select(s.ia, folder->remote_name, err) == -1)
		return -1;
	if (imap_sync_uidvalidity(&s, err) == -1)
		return -1;
	if (s.ia->conn->exists > 0) {
		if (imap_sync_commit(&s, true, err) == -1)
			goto out;
		if (imap_conn_run(s.ia->conn, imap_sync_one, &s, err,
		    "UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE "
		    "ENVELOPE)") == -1)
			goto out;
	}
	if (imap_sync_prune(&s, err) == -1)
		goto out;
	account_status(a, "%s: headers %zu/%zu", folder->name, s.nuids,
	    s.nuids);
	rc = 0;

out:
	if (rc == -1 && s.in_txn)
		cache_rollback(cache);
	free(s.uids);
	return rc;
}

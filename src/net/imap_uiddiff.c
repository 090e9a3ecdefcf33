/*
 * imap_uiddiff.c - resync without CONDSTORE: the UID diff.
 *
 * UID FETCH 1:* (UID FLAGS) (RFC 3501 6.4.8) lists every message the
 * server has with its flags, at a few dozen bytes a message; compared
 * with the cached UIDs and flags it gives the flag changes (written only
 * where they differ), the vanished messages (removed) and the new ones,
 * whose headers are then downloaded newest first.  Headers already cached
 * are never downloaded again.  Memory: 8 bytes per cached message and 4
 * per new one.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/imap_driver.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define IMAP_DIFF_PAGE		5000
#define IMAP_DIFF_MAX		(16u * 1024 * 1024)

/* A cached message: its UID, flags, and whether the server has it. */
struct imap_diff_row {
	uint32_t	 uid;
	uint8_t		 flags;
	bool		 seen;
};

struct imap_diff {
	struct imap_account		*ia;
	const struct cache_folder	*folder;
	struct imap_diff_row		*rows;		/* by UID */
	size_t				 nrows;
	uint32_t			*missing;	/* on the server only */
	size_t				 nmissing;
	size_t				 cap;
	size_t				 changed;
};

/* Compare rows by UID. */
static int
imap_diff_cmp(const void *a, const void *b)
{
	return imap_uid_cmp(&((const struct imap_diff_row *)a)->uid,
	    &((const struct imap_diff_row *)b)->uid);
}

/* Read the cached UIDs and flags of the folder, a page at a time. */
static int
imap_diff_load(struct imap_diff *d, struct error *err)
{
	struct cache_msg	*m;
	size_t			 n, cap = 0;
	int64_t			 off = 0;
	uint32_t		 uid;

	for (;;) {
		if (cache_msg_page(d->ia->cache, d->folder->id, off,
		    IMAP_DIFF_PAGE, &m, &n, err) == -1)
			return -1;
		for (size_t i = 0; i < n; i++) {
			if (imap_uid_parse(m[i].remote_id, &uid) == -1)
				continue;	/* removed below: not a UID */
			if (d->nrows == cap) {
				cap = cap ? cap * 2 : 1024;
				d->rows = xreallocarray(d->rows, cap,
				    sizeof *d->rows);
			}
			d->rows[d->nrows].uid = uid;
			d->rows[d->nrows].flags = (uint8_t)m[i].flags;
			d->rows[d->nrows++].seen = false;
		}
		cache_msg_list_free(m, n);
		if (n < IMAP_DIFF_PAGE)
			break;
		off += (int64_t)n;
	}
	if (d->nrows > 0)
		qsort(d->rows, d->nrows, sizeof *d->rows, imap_diff_cmp);
	return 0;
}

/* One "* n FETCH (UID u FLAGS (...))" of the diff. */
static int
imap_diff_one(void *arg, const struct imap_response *r, struct error *err)
{
	struct imap_diff	*d = arg;
	struct imap_diff_row	 key, *row;
	struct imap_fetch	 f;
	unsigned		 flags;
	char			 uid[16];
	int			 rc = 1;

	if (!imap_slice_is(r->name, "FETCH"))
		return 0;
	if (imap_fetch_parse(r, &f, err) == -1)
		return -1;
	if (!(f.have & IMAP_FETCH_UID) || !(f.have & IMAP_FETCH_FLAGS)) {
		imap_fetch_fini(&f);
		return 0;
	}
	key.uid = f.uid;
	flags = imap_flags_to_cache(f.flags);
	row = d->nrows > 0 ? bsearch(&key, d->rows, d->nrows,
	    sizeof *d->rows, imap_diff_cmp) : NULL;
	if (row != NULL) {
		row->seen = true;
		snprintf(uid, sizeof uid, "%" PRIu32, f.uid);
		if (row->flags != flags) {
			row->flags = (uint8_t)flags;
			d->changed++;
			if (cache_msg_set_flags(d->ia->cache, d->folder->id,
			    uid, flags, err) == -1)
				rc = -1;
		}
	} else if (d->nmissing >= IMAP_DIFF_MAX) {
		rc = error_set(err, ERR_TOOBIG, ERR_SCOPE_FOLDER,
		    "folder has more than %u messages", IMAP_DIFF_MAX);
	} else {
		if (d->nmissing == d->cap) {
			d->cap = d->cap ? d->cap * 2 : 1024;
			d->missing = xreallocarray(d->missing, d->cap,
			    sizeof *d->missing);
		}
		d->missing[d->nmissing++] = f.uid;
	}
	imap_fetch_fini(&f);
	return rc;
}

/* Remove cached messages the server did not list (and non-UID ids). */
static int
imap_diff_prune(struct imap_diff *d, struct error *err)
{
	char		**ids = NULL;
	size_t		 n = 0, removed = 0;
	struct imap_diff_row key, *row;
	int		 rc = 0;

	if (cache_msg_remote_ids(d->ia->cache, d->folder->id, &ids, &n,
	    err) == -1)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (imap_uid_parse(ids[i], &key.uid) == 0 && d->nrows > 0 &&
		    (row = bsearch(&key, d->rows, d->nrows, sizeof *d->rows,
		    imap_diff_cmp)) != NULL && row->seen)
			continue;
		if (cache_msg_remove(d->ia->cache, d->folder->id, ids[i],
		    err) == -1)
			rc = -1;
		removed++;
	}
	cache_strv_free(ids, n);
	if (removed > 0) {
		d->ia->changed = true;
		log_debug("imap", "%s: %zu messages gone from the server",
		    d->folder->remote_name, removed);
	}
	return rc;
}

/* Resync the selected folder by UIDs; new headers downloaded. */
int
imap_uid_diff(struct imap_account *ia, const struct cache_folder *folder,
    uint32_t *max_uid, struct error *err)
{
	struct imap_diff	 d;
	int			 rc = -1;

	memset(&d, 0, sizeof d);
	d.ia = ia;
	d.folder = folder;
	if (imap_diff_load(&d, err) == -1)
		goto out;
	if (cache_begin(ia->cache, err) == -1)
		goto out;
	if (ia->conn->exists > 0 && imap_conn_run(ia->conn, imap_diff_one,
	    &d, err, "UID FETCH 1:* (UID FLAGS)") == -1) {
		cache_rollback(ia->cache);
		goto out;
	}
	if (imap_diff_prune(&d, err) == -1 ||
	    cache_commit(ia->cache, err) == -1) {
		cache_rollback(ia->cache);
		goto out;
	}
	if (d.changed > 0)
		ia->changed = true;
	for (size_t i = 0; i < d.nrows; i++) {
		if (d.rows[i].seen && d.rows[i].uid > *max_uid)
			*max_uid = d.rows[i].uid;
	}
	if (d.nmissing > 0) {
		qsort(d.missing, d.nmissing, sizeof *d.missing, imap_uid_cmp);
		if (imap_batch_uids(ia, folder, d.missing, d.nmissing,
		    max_uid, err) == -1)
			goto out;
		ia->changed = true;
	}
	rc = 0;

out:
	free(d.rows);
	free(d.missing);
	return rc;
}

/*
 * imap_uiddiff.c - resync without CONDSTORE: the UID diff.
 *
 * UID FETCH 1:* (UID FLAGS) (RFC 3501 6.4.8) lists every message the
 * server has with its flags, at a few dozen bytes a message; compared
 * with the cached UIDs and flags (cache_msg_flags: one query) it gives the
 * flag changes (gathered and written in short transactions where they
 * differ, imap_pend.c), the vanished messages (removed in one transaction
 * once the listing is complete) and the new ones, whose headers are then
 * downloaded newest first.  Headers already cached are never downloaded
 * again.  A listing entry that cannot be read keeps its cached message
 * (it is not pruned).  Memory: 8 bytes per cached message and 4 per new
 * one.  No write transaction is open while the server is awaited.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/imap_driver.h"
#include "util/log.h"
#include "util/xmalloc.h"

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
	char				**odd;		/* ids not UIDs */
	size_t				 nodd;
	struct imap_pend		 pend;
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

/* Read the cached UIDs and flags of the folder. */
static int
imap_diff_load(struct imap_diff *d, struct error *err)
{
	char		**ids;
	unsigned	 *flags;
	size_t		  n;
	uint32_t	  uid;

	if (cache_msg_flags(d->ia->cache, d->folder->id, &ids, &flags, &n,
	    err) == -1)
		return -1;
	d->rows = xreallocarray(NULL, n + 1, sizeof *d->rows);
	for (size_t i = 0; i < n; i++) {
		if (imap_uid_parse(ids[i], &uid) == -1) {
			/* Not a UID: removed by the prune. */
			d->odd = xreallocarray(d->odd, d->nodd + 1,
			    sizeof *d->odd);
			d->odd[d->nodd++] = ids[i];
			ids[i] = NULL;
			continue;
		}
		d->rows[d->nrows].uid = uid;
		d->rows[d->nrows].flags = (uint8_t)flags[i];
		d->rows[d->nrows++].seen = false;
	}
	cache_strv_free(ids, n);
	free(flags);
	if (d->nrows > 0)
		qsort(d->rows, d->nrows, sizeof *d->rows, imap_diff_cmp);
	return 0;
}

/* The cached row of a UID, or NULL. */
static struct imap_diff_row *
imap_diff_find(struct imap_diff *d, uint32_t uid)
{
	struct imap_diff_row	 key;

	key.uid = uid;
	if (d->nrows == 0)
		return NULL;
	return bsearch(&key, d->rows, d->nrows, sizeof *d->rows,
	    imap_diff_cmp);
}

/* A listing entry that cannot be read: keep its cached copy. */
static int
imap_diff_bad(struct imap_diff *d, struct imap_fetch *f, struct error *err)
{
	struct imap_diff_row	*row;
	bool			 uid = (f->have & IMAP_FETCH_UID) != 0;

	imap_fetch_unreadable(d->ia, d->folder->name, f, err);
	if (uid && (row = imap_diff_find(d, f->uid)) != NULL)
		row->seen = true;
	imap_fetch_fini(f);
	error_clear(err);
	return uid ? 1 : 2;
}

/* Note a UID the cache lacks (its headers are fetched next). */
static int
imap_diff_missing(struct imap_diff *d, uint32_t uid, struct error *err)
{
	if (d->nmissing >= IMAP_DIFF_MAX) {
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_FOLDER,
		    "folder has more than %u messages", IMAP_DIFF_MAX);
	}
	if (d->nmissing == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 1024;
		d->missing = xreallocarray(d->missing, d->cap,
		    sizeof *d->missing);
	}
	d->missing[d->nmissing++] = uid;
	return 0;
}

/* One "* n FETCH (UID u FLAGS (...))" of the diff. */
static int
imap_diff_one(void *arg, const struct imap_response *r, struct error *err)
{
	struct imap_diff	*d = arg;
	struct imap_diff_row	*row;
	struct imap_fetch	 f;
	unsigned		 flags;
	int			 rc = 1;

	if (!imap_slice_is(r->name, "FETCH"))
		return 0;
	if (imap_fetch_parse(r, &f, err) == -1)
		return imap_diff_bad(d, &f, err);
	if (!(f.have & IMAP_FETCH_UID) || !(f.have & IMAP_FETCH_FLAGS)) {
		imap_fetch_fini(&f);
		return 0;
	}
	flags = imap_flags_to_cache(f.flags);
	if ((row = imap_diff_find(d, f.uid)) != NULL) {
		if (row->seen)
			rc = 2;		/* a later update of the same */
		row->seen = true;
		if (row->flags != flags) {
			row->flags = (uint8_t)flags;
			d->changed++;
			imap_pend_flags(&d->pend, f.uid, flags);
		}
	} else if (imap_diff_missing(d, f.uid, err) == -1)
		rc = -1;
	imap_fetch_fini(&f);
	if (rc != -1 && imap_pend_maybe(&d->pend, err) == -1)
		rc = -1;
	return rc;
}

/* Remove the cached messages the server did not list, and odd ids. */
static int
imap_diff_prune_rows(struct imap_diff *d, size_t *removed, struct error *err)
{
	char	 uid[16];
	int	 rc;

	for (size_t i = 0; i < d->nrows; i++) {
		if (d->rows[i].seen)
			continue;
		snprintf(uid, sizeof uid, "%" PRIu32, d->rows[i].uid);
		if ((rc = cache_msg_remove(d->ia->cache, d->folder->id, uid,
		    err)) == -1)
			return -1;
		*removed += rc == 0;
	}
	for (size_t i = 0; i < d->nodd; i++) {
		if ((rc = cache_msg_remove(d->ia->cache, d->folder->id,
		    d->odd[i], err)) == -1)
			return -1;
		*removed += rc == 0;
	}
	return 0;
}

/* The prune, in one short transaction after the listing. */
static int
imap_diff_prune(struct imap_diff *d, struct error *err)
{
	struct cache	*cache = d->ia->cache;
	size_t		 removed = 0;

	if (cache_begin(cache, err) == -1)
		return -1;
	if (imap_diff_prune_rows(d, &removed, err) == -1 ||
	    cache_commit(cache, err) == -1) {
		cache_rollback(cache);
		return -1;
	}
	if (removed > 0) {
		d->ia->changed = true;
		log_debug("imap", "%s: %zu messages gone from the server",
		    d->folder->remote_name, removed);
	}
	return 0;
}

/* List the server's UIDs and flags, writing flag changes as they come. */
static int
imap_diff_list(struct imap_diff *d, struct error *err)
{
	struct error	 e2;
	int		 rc = 0;

	if (d->ia->conn->exists == 0)
		return 0;
	imap_pend_init(&d->pend, d->ia, d->folder->id);
	rc = imap_conn_run(d->ia->conn, imap_diff_one, d, err,
	    "UID FETCH 1:* (UID FLAGS)");
	if (imap_pend_flush(&d->pend, rc == 0 ? err : &e2) == -1)
		rc = -1;
	imap_pend_fini(&d->pend);
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
	if (imap_diff_load(&d, err) == -1 || imap_diff_list(&d, err) == -1 ||
	    imap_diff_prune(&d, err) == -1)
		goto out;
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
	cache_strv_free(d.odd, d.nodd);
	return rc;
}

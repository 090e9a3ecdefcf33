/*
 * imap_sync.c - bringing one folder's cached headers and flags up to date.
 *
 * The folder's sync state (imap_mbox.c) holds UIDVALIDITY, HIGHESTMODSEQ
 * and UIDNEXT of the last complete sync.  A sync SELECTs (EXAMINEs) the
 * folder again and then, by what the server offers:
 *
 * - UIDVALIDITY changed (RFC 3501 2.3.1.1): every cached UID is
 *   meaningless; the folder's messages are dropped and fetched afresh.
 * - nothing cached: a cold download, newest first (imap_fetch_batch.c).
 * - QRESYNC (RFC 7162 3.2.5): the SELECT carries (uidvalidity modseq) and
 *   the server answers with VANISHED (EARLIER) and the changed flags,
 *   applied as they come; then only UIDs from the old UIDNEXT up.
 * - CONDSTORE only: UID FETCH 1:* (UID FLAGS) (CHANGEDSINCE modseq)
 *   (RFC 7162 3.1.4) and the new UIDs; expunges are not reported, the
 *   count check below finds them.
 * - neither: the UID diff (imap_uiddiff.c).
 *
 * An already selected folder is selected again all the same: that is what
 * makes the server report what changed since (new mail included).  Any
 * other folder whose LIST-STATUS answer shows it unchanged is not selected
 * at all (imap_status.c).  Flag
 * changes are gathered in memory and written in short transactions
 * (imap_pend.c); no transaction is open while the server is awaited.
 *
 * Last, the cached count is compared with EXISTS; if they differ (an
 * expunge CONDSTORE cannot report, an update that arrived out of order) a
 * UID diff repairs the folder.  The state is written only after a
 * complete sync, so an interrupted one resumes without duplicates.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/imap_driver.h"
#include "util/log.h"
#include "util/xmalloc.h"

struct imap_resync {
	struct imap_account		*ia;
	const struct cache_folder	*folder;
	struct imap_state		 st;		/* stored */
	bool				 have;		/* st is usable */
	bool				 skipped;	/* an update not applied */
	uint32_t			 max_uid;
	struct imap_pend		 pend;
};

/* A FETCH with flags for the folder being resynced: gather it. */
static int
imap_resync_fetch(struct imap_resync *rs, const struct imap_response *r,
    struct error *err)
{
	struct imap_fetch	 f;

	if (imap_fetch_parse(r, &f, err) == -1) {
		imap_fetch_unreadable(rs->ia, rs->folder->name, &f, err);
		imap_fetch_fini(&f);
		error_clear(err);
		rs->skipped = true;	/* a UID diff puts it right */
		return 2;
	}
	if (!(f.have & IMAP_FETCH_UID) || !(f.have & IMAP_FETCH_FLAGS)) {
		imap_fetch_fini(&f);
		rs->skipped = true;
		return 0;		/* not ours: the unsolicited handler's */
	}
	imap_pend_flags(&rs->pend, f.uid, imap_flags_to_cache(f.flags));
	imap_fetch_fini(&f);
	return imap_pend_maybe(&rs->pend, err) == -1 ? -1 : 1;
}

/* VANISHED (EARLIER) and FETCH flags while the folder is (re)selected. */
static int
imap_resync_select_one(void *arg, const struct imap_response *r,
    struct error *err)
{
	struct imap_resync	*rs = arg;

	if (r->type != IMAP_RESP_UNTAGGED || (!imap_slice_is(r->name,
	    "VANISHED") && !imap_slice_is(r->name, "FETCH")))
		return 0;
	/* Before this mailbox's UIDVALIDITY: another mailbox's, or unsafe. */
	if (!rs->have || rs->ia->conn->uidvalidity != rs->st.uidvalidity) {
		rs->skipped = true;
		return 0;
	}
	if (imap_slice_is(r->name, "FETCH"))
		return imap_resync_fetch(rs, r, err);
	/* Flags gathered so far come before the removal. */
	if (imap_pend_flush(&rs->pend, err) == -1 ||
	    imap_mbox_vanished(rs->ia, rs->folder->id, r, err) == -1)
		return -1;
	return 1;
}

/* Select the folder, applying what QRESYNC reports. */
static int
imap_resync_select(struct imap_resync *rs, struct error *err)
{
	struct error	 e2;
	int		 rc;

	imap_pend_init(&rs->pend, rs->ia, rs->folder->id);
	rc = imap_select_full(rs->ia, rs->folder, rs->have ? &rs->st : NULL,
	    imap_resync_select_one, rs, err);
	if (imap_pend_flush(&rs->pend, rc == 0 ? err : &e2) == -1)
		rc = -1;
	imap_pend_fini(&rs->pend);
	return rc;
}

/* Compare the stored UIDVALIDITY; clear the folder if it changed. */
static int
imap_resync_uidvalidity(struct imap_resync *rs, struct error *err)
{
	struct imap_state	 fresh;
	char			 state[96];
	uint32_t		 uv = rs->ia->conn->uidvalidity;

	if (rs->have && rs->st.uidvalidity == uv)
		return 0;
	if (rs->have) {
		log_info("imap", "%s: UIDVALIDITY changed (%" PRIu32 " -> %"
		    PRIu32 "): dropping cached messages",
		    rs->folder->remote_name, rs->st.uidvalidity, uv);
		if (cache_folder_clear(rs->ia->cache, rs->folder->id,
		    err) == -1)
			return -1;
		rs->ia->changed = true;
	}
	rs->have = false;
	memset(&fresh, 0, sizeof fresh);
	fresh.uidvalidity = uv;
	rs->st = fresh;
	/* Known from now on, so an interrupted download resumes. */
	imap_state_format(&fresh, state, sizeof state);
	return cache_folder_set_state(rs->ia->cache, rs->folder->id, state,
	    err);
}

/* FETCH answers of CHANGEDSINCE: flags of changed messages. */
static int
imap_resync_changed_one(void *arg, const struct imap_response *r,
    struct error *err)
{
	struct imap_resync	*rs = arg;

	if (!imap_slice_is(r->name, "FETCH"))
		return 0;
	return imap_resync_fetch(rs, r, err);
}

/* CONDSTORE without QRESYNC: the flags changed since the stored modseq. */
static int
imap_resync_condstore(struct imap_resync *rs, struct error *err)
{
	struct error	 e2;
	int		 rc;

	if (rs->ia->conn->highestmodseq == rs->st.highestmodseq ||
	    rs->ia->conn->exists == 0)
		return 0;
	imap_pend_init(&rs->pend, rs->ia, rs->folder->id);
	rc = imap_conn_run(rs->ia->conn, imap_resync_changed_one, rs, err,
	    "UID FETCH 1:* (UID FLAGS) (CHANGEDSINCE %" PRIu64 ")",
	    rs->st.highestmodseq);
	if (imap_pend_flush(&rs->pend, rc == 0 ? err : &e2) == -1)
		rc = -1;
	imap_pend_fini(&rs->pend);
	return rc;
}

/* Download messages with UIDs from the stored UIDNEXT up. */
static int
imap_resync_new(struct imap_resync *rs, struct error *err)
{
	uint32_t	 next = rs->ia->conn->uidnext;

	if (next != 0 && next <= rs->st.uidnext)
		return 0;	/* nothing new */
	if (rs->ia->conn->exists == 0)
		return 0;
	return imap_batch_uid_range(rs->ia, rs->folder, rs->st.uidnext,
	    next != 0 ? next - 1 : 0, &rs->max_uid, err);
}

/*
 * The cold download of an empty folder.  A large one is loaded without
 * the sort indexes (cache_bulk_begin), built again after it whatever the
 * outcome: a third of the CPU the download costs otherwise.
 */
static int
imap_resync_cold(struct imap_resync *rs, struct error *err)
{
	struct imap_conn	*c = rs->ia->conn;
	struct cache		*cache = rs->ia->cache;
	struct error		 e2;
	bool			 bulk;
	int			 rc;

	bulk = c->exists >= IMAP_BULK_MIN &&
	    cache_bulk_begin(cache, &e2) == 0;
	rc = imap_batch_seq(rs->ia, rs->folder, 1, c->exists, &rs->max_uid,
	    err);
	if (bulk && cache_bulk_end(cache, rc == 0 ? err : &e2) == -1)
		rc = -1;
	return rc;
}

/* Choose and run the resync for what the server offers. */
static int
imap_resync_run(struct imap_resync *rs, struct error *err)
{
	struct imap_conn	*c = rs->ia->conn;
	int64_t			 total = 0, unread;

	if (!rs->have) {
		if (cache_msg_count(rs->ia->cache, rs->folder->id, &total,
		    &unread, err) == -1)
			return -1;
		if (total == 0)
			return imap_resync_cold(rs, err);
		return imap_uid_diff(rs->ia, rs->folder, &rs->max_uid, err);
	}
	if (rs->st.highestmodseq == 0 || rs->st.uidnext == 0 ||
	    c->highestmodseq == 0 || c->nomodseq || rs->skipped)
		return imap_uid_diff(rs->ia, rs->folder, &rs->max_uid, err);
	if (!(c->enabled & IMAP_CAP_QRESYNC) &&
	    imap_resync_condstore(rs, err) == -1)
		return -1;
	return imap_resync_new(rs, err);
}

/* The count check: repair with a UID diff if the cache disagrees. */
static int
imap_resync_check(struct imap_resync *rs, int64_t *total, struct error *err)
{
	int64_t		 unread;

	if (cache_msg_count(rs->ia->cache, rs->folder->id, total, &unread,
	    err) == -1)
		return -1;
	/* Messages that could not be read are missing, not out of step. */
	if (*total + (int64_t)rs->ia->skipped_new ==
	    (int64_t)rs->ia->conn->exists)
		return 0;
	log_info("imap", "%s: %" PRId64 " cached but %" PRIu32 " on the "
	    "server: repairing by UID", rs->folder->remote_name, *total,
	    rs->ia->conn->exists);
	if (imap_uid_diff(rs->ia, rs->folder, &rs->max_uid, err) == -1)
		return -1;
	return cache_msg_count(rs->ia->cache, rs->folder->id, total, &unread,
	    err);
}

/* Write the state of a complete sync. */
static int
imap_resync_save(struct imap_resync *rs, struct error *err)
{
	struct imap_conn	*c = rs->ia->conn;
	struct imap_state	 st;
	char			 state[96];

	st.uidvalidity = c->uidvalidity;
	st.highestmodseq = c->nomodseq ? 0 : c->highestmodseq;
	st.uidnext = c->uidnext;
	if (rs->max_uid != 0 && rs->max_uid + 1 > st.uidnext)
		st.uidnext = rs->max_uid + 1;
	if (rs->have && rs->st.uidnext > st.uidnext)
		st.uidnext = rs->st.uidnext;
	imap_state_format(&st, state, sizeof state);
	return cache_folder_set_state(rs->ia->cache, rs->folder->id, state,
	    err);
}

/* Bring a folder's cached headers and flags up to date. */
int
imap_sync_folder(struct account *a, const struct cache_folder *folder,
    struct cache *cache, struct error *err)
{
	struct imap_resync	 rs;
	char			*old = NULL;
	int64_t			 total = 0;

	memset(&rs, 0, sizeof rs);
	rs.ia = imap_account_get(a);
	rs.folder = folder;
	if (imap_begin(rs.ia, cache, err) == -1)
		return -1;
	if (cache_folder_get_state(cache, folder->id, &old, err) == -1)
		return -1;
	rs.have = imap_state_parse(old, &rs.st) == 0;
	free(old);
	if (rs.have && imap_listed_unchanged(rs.ia, folder, &rs.st, cache)) {
		log_debug("imap", "%s: unchanged (LIST-STATUS)",
		    folder->remote_name);
		return 0;
	}
	rs.ia->need_sync = false;
	rs.ia->unreadable = rs.ia->skipped_new = 0;
	if (imap_resync_select(&rs, err) == -1)
		return -1;
	if (rs.ia->conn->uidvalidity == 0) {
		log_warn("imap", "%s: no UIDVALIDITY from the server",
		    folder->remote_name);
		rs.have = false;
		if (imap_uid_diff(rs.ia, folder, &rs.max_uid, err) == -1)
			return -1;
	} else if (imap_resync_uidvalidity(&rs, err) == -1 ||
	    imap_resync_run(&rs, err) == -1)
		return -1;
	if (imap_resync_check(&rs, &total, err) == -1)
		return -1;
	if (rs.ia->conn->uidvalidity != 0 && imap_resync_save(&rs, err) == -1)
		return -1;
	rs.ia->synced_exists = rs.ia->conn->exists;
	rs.ia->need_sync = total + (int64_t)rs.ia->skipped_new !=
	    (int64_t)rs.ia->conn->exists;
	account_status(a, "%s: headers %" PRId64 "/%" PRId64, folder->name,
	    total, total);
	if (rs.ia->unreadable > 0)
		account_status(a, "%s: %zu message%s could not be read",
		    folder->name, rs.ia->unreadable,
		    rs.ia->unreadable == 1 ? "" : "s");
	return 0;
}

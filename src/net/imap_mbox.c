/*
 * imap_mbox.c - untagged responses about the selected mailbox, whenever
 * they come, and the folder's sync state string.
 *
 * RFC 3501 section 7: the server may send EXISTS, EXPUNGE and FETCH (and,
 * with QRESYNC, VANISHED: RFC 7162 3.2.10) during any command.  What can
 * be applied to the cache at once is: flags of a FETCH that carries a UID,
 * and the UIDs of VANISHED.  What cannot (EXPUNGE names a sequence number
 * petrel does not keep; EXISTS means new messages) marks the folder as
 * needing a resync, which the sync or IDLE does next.  Never crashes on
 * odd data: a malformed update is logged and ignored.
 *
 * [ALERT] text (RFC 3501 7.1: "MUST be presented to the user") goes to
 * the account's status line as "ALERT: text", a few per operation (a
 * server repeating it must not flood the UI); the rest is logged.
 *
 * The sync state is "v1 uidvalidity=N highestmodseq=M uidnext=K"; the
 * issue-2 form "uidvalidity=N" is still read.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/imap_driver.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* Beyond this many UIDs, VANISHED is matched against the cached ids. */
#define IMAP_VANISHED_DIRECT	20000
/* [ALERT]s shown per operation; text shown of each. */
#define IMAP_ALERTS_MAX		3
#define IMAP_ALERT_TEXT_MAX	300

/* Log a FETCH that could not be read and count it. */
void
imap_fetch_unreadable(struct imap_account *ia, const char *folder,
    const struct imap_fetch *f, const struct error *err)
{
	ia->unreadable++;
	if (f->have & IMAP_FETCH_UID)
		log_warn("imap", "%s: skipping message UID %" PRIu32 ": %s",
		    folder, f->uid, err->msg);
	else
		log_warn("imap", "%s: skipping message %" PRIu32 ": %s",
		    folder, f->seq, err->msg);
}

/* Show an [ALERT] (RFC 3501 7.1) on the status line. */
static void
imap_mbox_alert(struct imap_account *ia, const struct imap_response *r)
{
	int	 len = r->text.len > IMAP_ALERT_TEXT_MAX ? IMAP_ALERT_TEXT_MAX :
	    (int)r->text.len;

	if (ia->alerts < UINT_MAX)
		ia->alerts++;
	if (ia->alerts <= 10 * IMAP_ALERTS_MAX)	/* a flood is not logged */
		log_info("imap", "ALERT: %.*s", len, r->text.p);
	if (ia->alerts <= IMAP_ALERTS_MAX)
		account_status(&ia->base, "ALERT: %.*s", len, r->text.p);
}

/* Remove every cached message of the folder whose UID is in the set. */
static int
imap_mbox_remove_set(struct imap_account *ia, int64_t folder_id,
    const struct imap_range *v, size_t n, size_t *removed, struct error *err)
{
	char		**ids = NULL, uid[16];
	size_t		 nids = 0;
	uint64_t	 count = imap_set_count(v, n);
	uint32_t	 u;
	int		 rc;

	if (count <= IMAP_VANISHED_DIRECT) {
		for (uint64_t i = 0; i < count; i++) {
			snprintf(uid, sizeof uid, "%" PRIu32,
			    imap_set_nth(v, n, i));
			rc = cache_msg_remove(ia->cache, folder_id, uid, err);
			if (rc == -1)
				return -1;
			*removed += rc == 0;
		}
		return 0;
	}
	if (cache_msg_remote_ids(ia->cache, folder_id, &ids, &nids,
	    err) == -1)
		return -1;
	rc = 0;
	for (size_t i = 0; i < nids && rc == 0; i++) {
		if (imap_uid_parse(ids[i], &u) == 0 &&
		    imap_set_contains(v, n, u)) {
			rc = cache_msg_remove(ia->cache, folder_id, ids[i],
			    err) == -1 ? -1 : 0;
			*removed += rc == 0;
		}
	}
	cache_strv_free(ids, nids);
	return rc;
}

/* Apply "* VANISHED [(EARLIER)] uid-set" to the folder's cache. */
int
imap_mbox_vanished(struct imap_account *ia, int64_t folder_id,
    const struct imap_response *r, struct error *err)
{
	const struct imap_value	*set;
	struct imap_range	*v;
	size_t			 n, removed = 0;
	bool			 earlier = false;
	int			 rc;

	if (r->args.n == 2 && r->args.items[0].type == IMAP_V_LIST &&
	    r->args.items[0].n == 1 &&
	    imap_value_is(&r->args.items[0].items[0], "EARLIER"))
		earlier = true;
	else if (r->args.n != 1)
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_OP,
		    "malformed VANISHED");
	set = &r->args.items[r->args.n - 1];
	if (set->type != IMAP_V_ATOM)
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_OP,
		    "malformed VANISHED");
	if (imap_set_parse(imap_value_slice(set), &v, &n, err) == -1)
		return -1;
	/* One short transaction (the response is already read). */
	if ((rc = cache_begin(ia->cache, err)) == 0 &&
	    ((rc = imap_mbox_remove_set(ia, folder_id, v, n, &removed,
	    err)) == -1 || (rc = cache_commit(ia->cache, err)) == -1))
		cache_rollback(ia->cache);
	if (!earlier && ia->conn != NULL) {
		/* Not EARLIER: it replaces EXPUNGE, EXISTS shrinks (3.2.10). */
		uint64_t	 c = imap_set_count(v, n);

		ia->conn->exists -= c > ia->conn->exists ?
		    ia->conn->exists : (uint32_t)c;
		ia->synced_exists -= c > ia->synced_exists ?
		    ia->synced_exists : (uint32_t)c;
	}
	free(v);
	if (removed > 0)
		ia->changed = true;
	return rc;
}

/* Apply the flags of a FETCH that names its UID; 0 if it has no UID. */
int
imap_mbox_flags(struct imap_account *ia, int64_t folder_id,
    const struct imap_fetch *f, struct error *err)
{
	char	 uid[16];
	int	 rc;

	if (!(f->have & IMAP_FETCH_UID) || !(f->have & IMAP_FETCH_FLAGS))
		return 0;
	snprintf(uid, sizeof uid, "%" PRIu32, f->uid);
	rc = cache_msg_set_flags(ia->cache, folder_id, uid,
	    imap_flags_to_cache(f->flags), err);
	if (rc == -1)
		return -1;
	if (rc == 0)
		ia->changed = true;
	return 1;
}

/* An untagged FETCH nobody asked for: another client's change. */
static int
imap_mbox_fetch(struct imap_account *ia, const struct imap_response *r,
    struct error *err)
{
	struct imap_fetch	 f;
	int			 rc;

	if (imap_fetch_parse(r, &f, err) == -1) {
		ia->need_sync = true;
		return -1;
	}
	rc = imap_mbox_flags(ia, ia->selected_id, &f, err);
	if (rc == 0)
		ia->need_sync = true;	/* no UID: resync to learn which */
	imap_fetch_fini(&f);
	return rc == -1 ? -1 : 1;
}

/* Untagged responses no command consumed. */
int
imap_mbox_unsolicited(void *arg, const struct imap_response *r,
    struct error *err)
{
	struct imap_account	*ia = arg;

	if (r->status != IMAP_STATUS_NONE && imap_slice_is(r->code, "ALERT")) {
		imap_mbox_alert(ia, r);
		return r->type == IMAP_RESP_UNTAGGED ? 1 : 0;
	}
	if (r->type != IMAP_RESP_UNTAGGED || r->status != IMAP_STATUS_NONE)
		return 0;
	if (r->has_number && imap_slice_is(r->name, "EXISTS")) {
		if (r->number != ia->synced_exists)
			ia->need_sync = true;
		return 1;
	}
	if (r->has_number && imap_slice_is(r->name, "EXPUNGE")) {
		ia->need_sync = true;
		return 1;
	}
	if (!imap_slice_is(r->name, "VANISHED") &&
	    !imap_slice_is(r->name, "FETCH"))
		return 0;
	if (ia->selected_id == 0 || ia->cache == NULL) {
		ia->need_sync = true;
		return 1;
	}
	if (imap_slice_is(r->name, "FETCH"))
		return imap_mbox_fetch(ia, r, err);
	if (imap_mbox_vanished(ia, ia->selected_id, r, err) == -1) {
		ia->need_sync = true;
		return -1;
	}
	return 1;
}

/* Read one "key=number" word of the state. */
static void
imap_state_word(const char *p, size_t len, struct imap_state *st)
{
	const char		*eq = memchr(p, '=', len);
	struct imap_slice	 v;
	uint64_t		 n;
	size_t			 klen;

	if (eq == NULL)
		return;
	klen = (size_t)(eq - p);
	v.p = eq + 1;
	v.len = len - klen - 1;
	if (imap_parse_number(v, UINT64_MAX / 2, &n) == -1)
		return;
	if (klen == 11 && memcmp(p, "uidvalidity", 11) == 0 &&
	    n <= UINT32_MAX)
		st->uidvalidity = (uint32_t)n;
	else if (klen == 13 && memcmp(p, "highestmodseq", 13) == 0)
		st->highestmodseq = n;
	else if (klen == 7 && memcmp(p, "uidnext", 7) == 0 && n <= UINT32_MAX)
		st->uidnext = (uint32_t)n;
}

/* Parse a sync state; -1 (and st zeroed) if there is none. */
int
imap_state_parse(const char *s, struct imap_state *st)
{
	size_t	 i = 0, start, len;

	memset(st, 0, sizeof *st);
	if (s == NULL)
		return -1;
	len = strlen(s);
	while (i < len) {
		while (i < len && s[i] == ' ')
			i++;
		start = i;
		while (i < len && s[i] != ' ')
			i++;
		imap_state_word(s + start, i - start, st);
	}
	return st->uidvalidity != 0 ? 0 : -1;
}

/* Write the sync state string. */
void
imap_state_format(const struct imap_state *st, char *out, size_t size)
{
	snprintf(out, size, "v1 uidvalidity=%" PRIu32 " highestmodseq=%"
	    PRIu64 " uidnext=%" PRIu32, st->uidvalidity, st->highestmodseq,
	    st->uidnext);
}

/*
 * imap_ops.c - changing messages on the server: copy, move, expunge,
 * append, and server-side search.
 *
 * Every write is refused on read-only accounts before anything is sent.
 * The cache follows what the server confirmed: COPYUID (RFC 4315 3) maps
 * copied or moved messages to their new UIDs, so their rows (and bodies)
 * are copied into the target folder without a download when the target's
 * UIDVALIDITY is the one the cache knows; moved and expunged messages are
 * removed once the tagged OK arrived.
 *
 * Move: UID MOVE (RFC 6851) when offered; else, with UIDPLUS, UID COPY,
 * then UID STORE +FLAGS.SILENT (\Deleted) and UID EXPUNGE of exactly those
 * UIDs, pipelined; without either, ERR_UNSUPPORTED, and the account
 * wrapper emulates (copy, \Deleted, EXPUNGE of every \Deleted message).
 * Search: UID SEARCH (RETURN (ALL) with ESEARCH, RFC 4731) TEXT, the text
 * quoted or sent as a literal, CHARSET UTF-8 when it is not ASCII.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/imap_cmd.h"
#include "net/imap_driver.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define IMAP_SEARCH_MAX		1000000		/* ids one search returns */

/* After a change: does the cache agree with EXISTS again? */
static void
imap_ops_settle(struct imap_account *ia, int64_t folder_id)
{
	struct error	 e;
	int64_t		 total, unread;

	if (cache_msg_count(ia->cache, folder_id, &total, &unread, &e) == 0 &&
	    total == (int64_t)ia->conn->exists) {
		ia->synced_exists = ia->conn->exists;
		ia->need_sync = false;
	} else
		ia->need_sync = true;
}

/* Copy one cached row (and body) to a new folder and UID. */
static int
imap_ops_copy_row(struct cache *cache, int64_t from_id, uint32_t src,
    int64_t to_id, uint32_t dst, struct error *err)
{
	struct cache_msg	 m;
	char			 uid[16], *raw = NULL;
	size_t			 len;
	int64_t			 old_id;
	int			 rc;

	snprintf(uid, sizeof uid, "%" PRIu32, src);
	if ((rc = cache_msg_find(cache, from_id, uid, &m, err)) != 0) {
		cache_msg_fini(&m);
		return rc == 1 ? 0 : -1;
	}
	old_id = m.id;
	free(m.remote_id);
	m.remote_id = xasprintf("%" PRIu32, dst);
	m.folder_id = to_id;
	m.id = 0;
	rc = cache_msg_put(cache, &m, err);
	if (rc == 0 && m.has_body &&
	    (rc = cache_body_get(cache, old_id, &raw, &len, err)) == 0)
		rc = cache_body_put(cache, m.id, raw, len, err);
	free(raw);
	cache_msg_fini(&m);
	return rc == -1 ? -1 : 0;
}

/* Split "uidvalidity srcset dstset" of a COPYUID code. */
static int
imap_ops_copyuid_split(struct imap_slice a, struct imap_slice w[3])
{
	size_t	 i = 0, k = 0, start;

	while (k < 3) {
		while (i < a.len && a.p[i] == ' ')
			i++;
		start = i;
		while (i < a.len && a.p[i] != ' ')
			i++;
		if (i == start)
			return -1;
		w[k].p = a.p + start;
		w[k++].len = i - start;
	}
	return 0;
}

/*
 * Apply a COPYUID code: copy the source rows to the target's new UIDs,
 * if the target's cached UIDVALIDITY is the one reported.
 */
static int
imap_ops_copyuid(struct imap_account *ia, const struct cache_folder *from,
    const struct cache_folder *to, struct imap_slice args, struct error *err)
{
	struct imap_slice	 w[3];
	struct imap_range	*sv = NULL, *dv = NULL;
	struct imap_state	 st;
	struct error		 e;
	char			*state = NULL;
	size_t			 sn, dn;
	uint64_t		 uv, count;
	int			 rc = 0;

	if (imap_ops_copyuid_split(args, w) == -1 ||
	    imap_parse_number(w[0], UINT32_MAX, &uv) == -1 ||
	    imap_set_parse(w[1], &sv, &sn, &e) == -1 ||
	    imap_set_parse(w[2], &dv, &dn, &e) == -1)
		goto out;	/* a bad code only costs a download */
	count = imap_set_count(sv, sn);
	if (count != imap_set_count(dv, dn) || count > 100000)
		goto out;
	if (cache_folder_get_state(ia->cache, to->id, &state, err) == -1) {
		rc = -1;
		goto out;
	}
	if (imap_state_parse(state, &st) == -1 || st.uidvalidity != uv)
		goto out;
	for (uint64_t i = 0; i < count && rc == 0; i++)
		rc = imap_ops_copy_row(ia->cache, from->id,
		    imap_set_nth(sv, sn, i), to->id, imap_set_nth(dv, dn, i),
		    err);

out:
	free(state);
	free(sv);
	free(dv);
	return rc;
}

struct imap_copy_ctx {
	struct imap_account		*ia;
	const struct cache_folder	*from;
	const struct cache_folder	*to;
};

/*
 * EXPUNGE and VANISHED answering an expunge or a move: the command's own
 * answer (one per message: a mass expunge is progress, not a flood),
 * applied to the cache as any such update is.
 */
static int
imap_ops_gone_one(void *arg, const struct imap_response *r,
    struct error *err)
{
	struct imap_account	*ia = arg;

	if (r->type != IMAP_RESP_UNTAGGED || r->status != IMAP_STATUS_NONE ||
	    (!(r->has_number && imap_slice_is(r->name, "EXPUNGE")) &&
	    !imap_slice_is(r->name, "VANISHED")))
		return 0;
	return imap_mbox_unsolicited(ia, r, err) == -1 ? -1 : 1;
}

/* "* OK [COPYUID ...]" during UID MOVE (RFC 6851 4.3), and expunges. */
static int
imap_ops_move_one(void *arg, const struct imap_response *r,
    struct error *err)
{
	struct imap_copy_ctx	*ctx = arg;

	if (r->status != IMAP_STATUS_OK || !imap_slice_is(r->code, "COPYUID"))
		return imap_ops_gone_one(ctx->ia, r, err);
	if (imap_ops_copyuid(ctx->ia, ctx->from, ctx->to, r->code_args,
	    err) == -1)
		return -1;
	return 1;
}

/* Checks and SELECT common to the message writes. */
static int
imap_ops_start(struct imap_account *ia, const char *what,
    const struct cache_folder *folder, const char *const *ids, size_t n,
    struct cache *cache, struct buf *set, struct error *err)
{
	if (imap_writable(ia, what, err) == -1)
		return -1;
	if (imap_uid_set(ids, n, set, err) == -1)
		return -1;
	if (imap_begin(ia, cache, err) == -1)
		return -1;
	return imap_select(ia, folder, err);
}

/* Remove the given rows from the cache (the server confirmed). */
static int
imap_ops_remove(struct imap_account *ia, int64_t folder_id,
    const char *const *ids, size_t n, struct error *err)
{
	if (cache_begin(ia->cache, err) == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (cache_msg_remove(ia->cache, folder_id, ids[i], err) == -1) {
			cache_rollback(ia->cache);
			return -1;
		}
	}
	if (cache_commit(ia->cache, err) == -1) {
		cache_rollback(ia->cache);
		return -1;
	}
	ia->changed = true;
	return 0;
}

/* UID COPY, with the COPYUID of the tagged OK applied. */
static int
imap_ops_uid_copy(struct imap_account *ia, const struct cache_folder *from,
    const char *set, const struct cache_folder *to, struct error *err)
{
	struct buf	 mb;
	int		 rc = -1;

	buf_init(&mb, 0);
	if (imap_mailbox_arg(ia, to->remote_name, &mb, err) == -1)
		goto out;
	if (imap_conn_run(ia->conn, NULL, NULL, err, "UID COPY %s %s", set,
	    mb.data) == -1)
		goto out;
	rc = 0;
	if (imap_slice_is(ia->conn->resp.code, "COPYUID"))
		rc = imap_ops_copyuid(ia, from, to, ia->conn->resp.code_args,
		    err);

out:
	buf_fini(&mb);
	return rc;
}

/* Copy messages to another folder. */
int
imap_copy(struct account *a, const struct cache_folder *from,
    const char *const *ids, size_t n, const struct cache_folder *to,
    struct cache *cache, struct error *err)
{
	struct imap_account	*ia = imap_account_get(a);
	struct buf		 set;
	int			 rc = -1;

	buf_init(&set, 0);
	if (n == 0 && imap_writable(ia, "copy", err) == 0)
		rc = 0;
	else if (imap_ops_start(ia, "copy", from, ids, n, cache, &set,
	    err) == 0)
		rc = imap_ops_uid_copy(ia, from, set.data, to, err);
	buf_fini(&set);
	return rc;
}

/* Without MOVE: COPY, then \Deleted and UID EXPUNGE pipelined. */
static int
imap_ops_move_uidplus(struct imap_account *ia,
    const struct cache_folder *from, const char *set,
    const struct cache_folder *to, struct error *err)
{
	struct error	 e2;
	char		 t1[16], t2[16];
	int		 rc;

	/* Never flag \Deleted before the copy is confirmed. */
	if (imap_ops_uid_copy(ia, from, set, to, err) == -1)
		return -1;
	if (imap_conn_submit(ia->conn, t1, sizeof t1, err,
	    "UID STORE %s +FLAGS.SILENT (\\Deleted)", set) == -1)
		return -1;
	if (imap_conn_submit(ia->conn, t2, sizeof t2, err,
	    "UID EXPUNGE %s", set) == -1) {
		(void)imap_conn_await(ia->conn, t1, NULL, NULL, &e2);
		return -1;
	}
	rc = imap_conn_await(ia->conn, t1, imap_ops_gone_one, ia, err);
	if (imap_conn_await(ia->conn, t2, imap_ops_gone_one, ia, rc == 0 ?
	    err : &e2) == -1)
		rc = -1;
	return rc;
}

/* Move messages to another folder. */
int
imap_move(struct account *a, const struct cache_folder *from,
    const char *const *ids, size_t n, const struct cache_folder *to,
    struct cache *cache, struct error *err)
{
	struct imap_account	*ia = imap_account_get(a);
	struct imap_copy_ctx	 ctx = { ia, from, to };
	struct buf		 set, mb;
	int			 rc = -1;

	buf_init(&set, 0);
	buf_init(&mb, 0);
	if (imap_writable(ia, "move", err) == -1)
		goto out;
	if (ia->conn != NULL && !(ia->conn->caps &
	    (IMAP_CAP_MOVE | IMAP_CAP_UIDPLUS))) {
		error_set(err, ERR_UNSUPPORTED, ERR_SCOPE_OP,
		    "server has neither MOVE nor UIDPLUS");
		goto out;
	}
	if (n == 0) {
		rc = 0;
		goto out;
	}
	if (imap_ops_start(ia, "move", from, ids, n, cache, &set, err) == -1)
		goto out;
	if (ia->conn->caps & IMAP_CAP_MOVE) {
		if (imap_mailbox_arg(ia, to->remote_name, &mb, err) == -1 ||
		    imap_conn_run(ia->conn, imap_ops_move_one, &ctx, err,
		    "UID MOVE %s %s", set.data, mb.data) == -1)
			goto out;
	} else if (imap_ops_move_uidplus(ia, from, set.data, to, err) == -1)
		goto out;
	if (imap_ops_remove(ia, from->id, ids, n, err) == -1)
		goto out;
	imap_ops_settle(ia, from->id);
	rc = 0;

out:
	buf_fini(&set);
	buf_fini(&mb);
	return rc;
}

/* Remove \Deleted messages: these (UIDPLUS) or all of the folder. */
int
imap_expunge(struct account *a, const struct cache_folder *folder,
    const char *const *ids, size_t n, struct cache *cache,
    struct error *err)
{
	struct imap_account	*ia = imap_account_get(a);
	struct buf		 set;
	int			 rc = -1;

	buf_init(&set, 0);
	if (n == 0 && imap_writable(ia, "expunge", err) == 0) {
		rc = 0;
		goto out;
	}
	if (imap_ops_start(ia, "expunge", folder, ids, n, cache, &set,
	    err) == -1)
		goto out;
	if (ia->conn->caps & IMAP_CAP_UIDPLUS)
		rc = imap_conn_run(ia->conn, imap_ops_gone_one, ia, err,
		    "UID EXPUNGE %s", set.data);
	else
		rc = imap_conn_run(ia->conn, imap_ops_gone_one, ia, err,
		    "EXPUNGE");
	if (rc == 0)
		rc = imap_ops_remove(ia, folder->id, ids, n, err);
	if (rc == 0)
		imap_ops_settle(ia, folder->id);

out:
	buf_fini(&set);
	return rc;
}

/* An APPEND date-time "dd-Mon-yyyy hh:mm:ss +0000" (RFC 3501 9). */
static void
imap_ops_date(struct buf *b, int64_t date)
{
	static const char	 months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct tm		 tm;
	time_t			 t = (time_t)date;

	if (gmtime_r(&t, &tm) == NULL)
		return;
	buf_printf(b, " \"%02d-%.3s-%04d %02d:%02d:%02d +0000\"", tm.tm_mday,
	    months + 3 * tm.tm_mon, tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
}

/* Append a message (literal, with flags and date). */
int
imap_append(struct account *a, const struct cache_folder *folder,
    const char *raw, size_t len, unsigned flags, int64_t date,
    struct cache *cache, struct error *err)
{
	struct imap_account	*ia = imap_account_get(a);
	struct imap_cmd		 cmd;
	struct buf		 b;
	int			 rc = -1;

	if (imap_writable(ia, "append", err) == -1 ||
	    imap_begin(ia, cache, err) == -1)
		return -1;
	if (len > IMAP_BODY_MAX)
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_OP,
		    "message too large to store");
	imap_cmd_init(&cmd);
	buf_init(&b, 0);
	if (imap_mailbox_arg(ia, folder->remote_name, &b, err) == -1)
		goto out;
	buf_addc(&b, ' ');
	imap_flag_list(&b, flags & ~CACHE_FLAG_RECENT);
	if (b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	if (date > 0)
		imap_ops_date(&b, date);
	imap_cmd_add(&cmd, "APPEND %s ", b.data);
	imap_cmd_literal(&cmd, raw, len);
	rc = imap_cmd_run(ia->conn, &cmd, NULL, NULL, err);
	if (rc == 0 && ia->selected_id == folder->id)
		ia->need_sync = true;	/* EXISTS grew */

out:
	buf_fini(&b);
	imap_cmd_fini(&cmd);
	return rc;
}

struct imap_search_ctx {
	char	**ids;
	size_t	 n;
	size_t	 cap;
};

/* Add one UID to the search result. */
static int
imap_search_add(struct imap_search_ctx *s, uint32_t uid, struct error *err)
{
	if (s->n >= IMAP_SEARCH_MAX)
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_OP,
		    "more than %d search results", IMAP_SEARCH_MAX);
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->ids = xreallocarray(s->ids, s->cap, sizeof *s->ids);
	}
	s->ids[s->n++] = xasprintf("%" PRIu32, uid);
	return 0;
}

/* "* ESEARCH (TAG "x") UID ALL set" (RFC 4731 3.1). */
static int
imap_search_esearch(struct imap_search_ctx *s, const struct imap_value *args,
    struct error *err)
{
	struct imap_range	*v;
	size_t			 n;
	uint64_t		 count;
	int			 rc = 0;

	for (size_t i = 0; i + 1 < args->n; i++) {
		if (!imap_value_is(&args->items[i], "ALL"))
			continue;
		if (imap_set_parse(imap_value_slice(&args->items[i + 1]), &v,
		    &n, err) == -1)
			return -1;
		count = imap_set_count(v, n);
		for (uint64_t k = 0; k < count && rc == 0; k++)
			rc = imap_search_add(s, imap_set_nth(v, n, k), err);
		free(v);
		break;
	}
	return rc;
}

/* SEARCH and ESEARCH answers. */
static int
imap_search_one(void *arg, const struct imap_response *r, struct error *err)
{
	struct imap_search_ctx	*s = arg;
	uint64_t		 uid;

	if (imap_slice_is(r->name, "ESEARCH"))
		return imap_search_esearch(s, &r->args, err) == -1 ? -1 : 1;
	if (!imap_slice_is(r->name, "SEARCH"))
		return 0;
	for (size_t i = 0; i < r->args.n; i++) {
		if (imap_parse_number(imap_value_slice(&r->args.items[i]),
		    UINT32_MAX, &uid) == -1 || uid == 0)
			continue;	/* (MODSEQ n) and the like */
		if (imap_search_add(s, (uint32_t)uid, err) == -1)
			return -1;
	}
	return 1;
}

/* Whether s has bytes outside ASCII. */
static bool
imap_ops_8bit(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s >= 0x80)
			return true;
	}
	return false;
}

/* Search message text on the server. */
int
imap_search(struct account *a, const struct cache_folder *folder,
    const char *text, char ***ids, size_t *n, struct error *err)
{
	struct imap_account	*ia = imap_account_get(a);
	struct imap_search_ctx	 s = { NULL, 0, 0 };
	struct imap_cmd		 cmd;
	int			 rc;

	*ids = NULL;
	*n = 0;
	if (imap_begin(ia, ia->cache, err) == -1 ||
	    imap_select(ia, folder, err) == -1)
		return -1;
	imap_cmd_init(&cmd);
	imap_cmd_add(&cmd, "UID SEARCH %s%sTEXT ",
	    (ia->conn->caps & IMAP_CAP_ESEARCH) ? "RETURN (ALL) " : "",
	    imap_ops_8bit(text) && !(ia->conn->enabled &
	    IMAP_CAP_UTF8_ACCEPT) ? "CHARSET UTF-8 " : "");
	imap_cmd_astring(ia->conn, &cmd, text);
	rc = imap_cmd_run(ia->conn, &cmd, imap_search_one, &s, err);
	imap_cmd_fini(&cmd);
	if (rc == -1) {
		cache_strv_free(s.ids, s.n);
		return -1;
	}
	*ids = s.ids;
	*n = s.n;
	return 0;
}

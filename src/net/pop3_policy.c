/*
 * pop3_policy.c - deleting messages on the server: leave_on_server = no
 * (once downloaded) or DAYS (that many days after the first download),
 * and the user's own deletions (expunge).
 *
 * RFC 1939 6: DELE only marks a message; the server removes it when the
 * session ends with QUIT, and a session cut before that removes nothing.
 * So the cache follows what QUIT confirmed:
 *
 *   1. the whole message is in the cache first (RETR, pop3_fetch.c):
 *      leave_on_server never deletes the only copy;
 *   2. the unique-ids about to go are written to the folder state
 *      ("del", pop3_state.c) before the first DELE;
 *   3. DELE each (pipelined when offered), then QUIT;
 *   4. on QUIT's +OK, in one transaction, each row becomes a kept row
 *      (POP3_KEPT_PREFIX + UIDL, which no server listing can remove) and
 *      the "del" list is cleared.
 *
 * If the session is cut anywhere in 3 or before 4, the next sync reads
 * the "del" list (pop3_policy_resolve): a message the server no longer
 * lists was deleted, and its row is kept; one it still lists was not,
 * and the policy deletes it again in due course.  Either way the cache
 * agrees with the server and no mail is lost.
 *
 * Read-only accounts never get here (and pop3_policy_dele refuses them
 * once more): they never send DELE.  A message larger than POP3_BODY_MAX
 * cannot be cached whole, so it is never deleted; it is logged.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "net/pop3_driver.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* Load the folder's state; *text keeps what was stored. */
int
pop3_state_load(struct cache *cache, int64_t folder_id,
    struct pop3_state *st, char **text, struct error *err)
{
	*text = NULL;
	pop3_state_init(st);
	if (cache_folder_get_state(cache, folder_id, text, err) == -1)
		return -1;
	pop3_state_parse(*text, st);
	return 0;
}

/* Store the state if it changed from *text (which is updated). */
int
pop3_state_store(struct cache *cache, int64_t folder_id,
    const struct pop3_state *st, char **text, struct error *err)
{
	char	*s = pop3_state_format(st);

	if ((s == NULL && *text == NULL) ||
	    (s != NULL && *text != NULL && strcmp(s, *text) == 0)) {
		free(s);
		return 0;
	}
	if (cache_folder_set_state(cache, folder_id, s, err) == -1) {
		free(s);
		return -1;
	}
	free(*text);
	*text = s;
	return 0;
}

/* Move a row to POP3_KEPT_PREFIX + its UIDL, body and flags with it. */
int
pop3_policy_keep(struct cache *cache, int64_t folder_id, const char *uidl,
    struct error *err)
{
	struct cache_msg	 m;
	char			*raw = NULL;
	size_t			 len = 0;
	int			 rc;

	if ((rc = cache_msg_find(cache, folder_id, uidl, &m, err)) != 0) {
		cache_msg_fini(&m);
		return rc == 1 ? 0 : -1;
	}
	rc = -1;
	if (cache_body_get(cache, m.id, &raw, &len, err) == -1 ||
	    cache_msg_remove(cache, folder_id, uidl, err) == -1)
		goto out;
	free(m.remote_id);
	m.remote_id = xasprintf(POP3_KEPT_PREFIX "%s", uidl);
	m.id = 0;
	if (cache_msg_put(cache, &m, err) == -1 || (raw != NULL &&
	    cache_body_put(cache, m.id, raw, len, err) == -1))
		goto out;
	rc = 0;
out:
	free(raw);
	cache_msg_fini(&m);
	return rc;
}

/* Keep the rows of uidls[i] with ok[i] (ok NULL: all); clear "del". */
static int
pop3_policy_commit(struct cache *cache, int64_t folder_id,
    struct pop3_state *st, char **text, const char *const *uidls,
    const bool *ok, size_t n, struct error *err)
{
	int	 rc = -1;

	if (cache_begin(cache, err) == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if ((ok == NULL || ok[i]) &&
		    pop3_policy_keep(cache, folder_id, uidls[i], err) == -1)
			goto out;
	}
	pop3_state_set_del(st, NULL, 0);
	if (pop3_state_store(cache, folder_id, st, text, err) == 0 &&
	    cache_commit(cache, err) == 0)
		rc = 0;
out:
	if (rc == -1)
		cache_rollback(cache);
	return rc;
}

/* Deletions a cut session left unconfirmed. */
int
pop3_policy_resolve(struct pop3_account *pa, struct cache *cache,
    int64_t folder_id, struct pop3_state *st, char **text, struct error *err)
{
	const char	**gone;
	size_t		  ngone = 0, i, n = st->ndel;
	int		  rc;

	if (n == 0)
		return 0;
	gone = xreallocarray(NULL, n, sizeof *gone);
	for (size_t k = 0; k < n; k++) {
		if (pop3_list_find(&pa->list, st->del[k], &i) == -1)
			gone[ngone++] = st->del[k];
	}
	log_info("pop3", "[%s] of %zu deletions not confirmed last time, %zu "
	    "happened", pa->base.cfg->name, n, ngone);
	rc = pop3_policy_commit(cache, folder_id, st, text, gone, NULL, ngone,
	    err);
	free(gone);
	return rc;
}

/*
 * DELE the listing entries idx[0..n) (ok[i]: the server agreed), then
 * QUIT: 0 once QUIT's +OK came, so the deletions happened.  The session
 * is over either way.
 */
static int
pop3_policy_dele(struct pop3_account *pa, const uint32_t *idx, size_t n,
    bool *ok, struct error *first, struct error *err)
{
	struct pop3_conn	*c = pa->conn;
	size_t			 w, sent = 0, recvd = 0;
	int			 rc = -1;

	if (pa->base.cfg->read_only)	/* never: account.h */
		return error_set(err, ERR_READONLY, ERR_SCOPE_OP,
		    "account %s is read-only: no DELE", pa->base.cfg->name);
	w = (c->caps & POP3_CAP_PIPELINING) ? POP3_WINDOW : 1;
	while (recvd < n) {
		while (sent < n && sent - recvd < w) {
			if (pop3_conn_send(c, POP3_EXPECT_SINGLE, 0, err,
			    "DELE %" PRIu32, pa->list.v[idx[sent]].num) == -1)
				goto out;
			sent++;
		}
		ok[recvd] = pop3_conn_status(c, err) == 0;
		if (!ok[recvd]) {
			if (err->code != ERR_SERVER)
				goto out;
			if (first != NULL && first->code == ERR_NONE)
				*first = *err;
			log_warn("pop3", "%s", err->msg);
		}
		recvd++;
	}
	rc = pop3_conn_quit(c, err);
out:
	pop3_session_drop(pa);
	return rc;
}

/* Whether a message is due for deletion under leave_on_server. */
static bool
pop3_policy_due1(struct pop3_account *pa, const struct pop3_state *st,
    size_t i, int32_t today, size_t *big)
{
	int	 days = pa->base.cfg->leave_days;
	int32_t	 day;

	if (days > 0) {
		day = pop3_state_day(st, pop3_state_hash(pop3_list_uidl(
		    &pa->list, i)));
		if (day < 0 || (int64_t)day + days > today)
			return false;
	}
	if (pa->list.v[i].size > POP3_BODY_MAX) {
		(*big)++;
		return false;
	}
	return true;
}

/* Record the day each listed message was first seen (DAYS policy). */
static void
pop3_policy_record(struct pop3_account *pa, struct pop3_state *st,
    int32_t today)
{
	struct pop3_seen	*v;
	size_t			 n = pa->list.n;
	int32_t			 day;

	v = xreallocarray(NULL, n > 0 ? n : 1, sizeof *v);
	for (size_t i = 0; i < n; i++) {
		v[i].hash = pop3_state_hash(pop3_list_uidl(&pa->list, i));
		day = pop3_state_day(st, v[i].hash);
		v[i].day = day >= 0 ? day : today;
	}
	pop3_state_set_seen(st, v, n);
}

/*
 * The due messages that are cached, their bodies downloaded first; their
 * listing indexes in idx, their unique-ids in uidls.
 */
static int
pop3_policy_ready(struct pop3_account *pa, struct cache *cache,
    const struct cache_folder *folder, uint32_t *idx, size_t *n,
    const char **uidls, struct error *err)
{
	struct cache_msg	 m;
	uint32_t		*need;
	size_t			 nneed = 0, k = 0, got;
	int			 rc;

	need = xreallocarray(NULL, *n > 0 ? *n : 1, sizeof *need);
	for (size_t i = 0; i < *n; i++) {
		rc = cache_msg_find(cache, folder->id, pop3_list_uidl(
		    &pa->list, idx[i]), &m, err);
		if (rc == 0 && !m.has_body)
			need[nneed++] = idx[i];
		cache_msg_fini(&m);
		if (rc == -1)
			goto out;
	}
	rc = pop3_get(pa, cache, folder, need, nneed, POP3_GET_WHOLE, false,
	    &got, NULL, err);
	for (size_t i = 0; i < *n && rc == 0; i++) {
		uidls[k] = pop3_list_uidl(&pa->list, idx[i]);
		if ((rc = cache_msg_find(cache, folder->id, uidls[k], &m,
		    err)) == 0 && m.has_body)
			idx[k++] = idx[i];
		cache_msg_fini(&m);
		if (rc == 1)
			rc = 0;
	}
	*n = k;
out:
	free(need);
	return rc == -1 ? -1 : 0;
}

/* DELE the ready messages, QUIT, and keep their rows. */
static int
pop3_policy_delete(struct pop3_account *pa, struct cache *cache,
    int64_t folder_id, struct pop3_state *st, char **text,
    const uint32_t *idx, const char **uidls, size_t n, struct error *err)
{
	bool	*ok;
	int	 rc = -1;

	pop3_state_set_del(st, uidls, n);
	if (pop3_state_store(cache, folder_id, st, text, err) == -1)
		return -1;
	ok = xcalloc(n, sizeof *ok);
	account_status(&pa->base, "deleting %zu messages on the server", n);
	if (pop3_policy_dele(pa, idx, n, ok, NULL, err) == 0 &&
	    pop3_policy_commit(cache, folder_id, st, text, uidls, ok, n,
	    err) == 0) {
		log_info("pop3", "[%s] %zu messages deleted on the server, "
		    "kept in the cache", pa->base.cfg->name, n);
		rc = 0;
	}
	free(ok);
	return rc;
}

/* leave_on_server (see the file comment). */
int
pop3_policy_run(struct pop3_account *pa, struct cache *cache,
    const struct cache_folder *folder, struct pop3_state *st, char **text,
    struct error *err)
{
	const struct config_account	*cfg = pa->base.cfg;
	int32_t				 today = pop3_today();
	uint32_t			*idx;
	const char			**uidls;
	size_t				 n = 0, big = 0;
	int				 rc = 0;

	if (cfg->leave_days > 0)
		pop3_policy_record(pa, st, today);
	else
		pop3_state_set_seen(st, NULL, 0);
	if (cfg->read_only || cfg->leave_days < 0 || pa->list.n == 0)
		return 0;
	idx = xreallocarray(NULL, pa->list.n, sizeof *idx);
	uidls = xreallocarray(NULL, pa->list.n, sizeof *uidls);
	for (size_t i = 0; i < pa->list.n; i++) {
		if (pop3_policy_due1(pa, st, i, today, &big))
			idx[n++] = (uint32_t)i;
	}
	if (big > 0)
		log_warn("pop3", "[%s] %zu messages over %u MiB stay on the "
		    "server: petrel cannot cache them", cfg->name, big,
		    POP3_BODY_MAX >> 20);
	if (n > 0)
		rc = pop3_policy_ready(pa, cache, folder, idx, &n, uidls, err);
	if (rc == 0 && n > 0)
		rc = pop3_policy_delete(pa, cache, folder->id, st, text, idx,
		    uidls, n, err);
	free(idx);
	free(uidls);
	return rc;
}

/* Remove rows from the cache in one transaction. */
static int
pop3_expunge_rows(struct cache *cache, int64_t folder_id,
    const char *const *ids, const bool *ok, size_t n, struct error *err)
{
	if (cache_begin(cache, err) == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (ok[i] && cache_msg_remove(cache, folder_id, ids[i],
		    err) == -1) {
			cache_rollback(cache);
			return -1;
		}
	}
	if (cache_commit(cache, err) == -1) {
		cache_rollback(cache);
		return -1;
	}
	return 0;
}

/*
 * DELE the messages of ids that the server lists (at[k] says which of ids
 * they are) and QUIT; mark in gone[] what left the server.
 */
static int
pop3_expunge_server(struct pop3_account *pa, const char *const *ids,
    size_t n, bool *gone, struct error *first, struct error *err)
{
	uint32_t	*idx;
	size_t		*at, m = 0, i;
	bool		*ok;
	int		 rc = -1;

	if (pop3_session_get(pa, err) == -1)
		return -1;
	pa->used = true;
	if (!pa->listed && pop3_list_load(pa, err) == -1)
		return -1;
	idx = xreallocarray(NULL, n, sizeof *idx);
	at = xreallocarray(NULL, n, sizeof *at);
	ok = xcalloc(n, sizeof *ok);
	for (size_t k = 0; k < n; k++) {
		if (pop3_is_kept(ids[k]))
			continue;
		if (pop3_list_find(&pa->list, ids[k], &i) == -1)
			gone[k] = true;		/* not there any more */
		else {
			idx[m] = (uint32_t)i;
			at[m++] = k;
		}
	}
	if (m == 0)
		rc = 0;
	else if (pop3_policy_dele(pa, idx, m, ok, first, err) == 0) {
		for (size_t k = 0; k < m; k++)
			gone[at[k]] = ok[k];
		rc = 0;
	}
	free(idx);
	free(at);
	free(ok);
	return rc;
}

/* Delete messages on the server and from the cache. */
int
pop3_expunge(struct account *a, const struct cache_folder *folder,
    const char *const *ids, size_t n, struct cache *cache, struct error *err)
{
	struct pop3_account	*pa = pop3_account_get(a);
	struct error		 first;
	bool			*gone, server = false;
	int			 rc = -1;

	if (pop3_folder_check(folder, err) == -1)
		return -1;
	if (a->cfg->read_only)
		return error_set(err, ERR_READONLY, ERR_SCOPE_OP,
		    "account %s is read-only: expunge not done", a->cfg->name);
	if (n == 0)
		return 0;
	gone = xcalloc(n, sizeof *gone);
	error_clear(&first);
	for (size_t k = 0; k < n; k++) {
		gone[k] = pop3_is_kept(ids[k]);	/* only in the cache */
		server = server || !gone[k];
	}
	if ((!server || pop3_expunge_server(pa, ids, n, gone, &first,
	    err) == 0) && pop3_expunge_rows(cache, folder->id, ids, gone, n,
	    err) == 0)
		rc = 0;
	if (rc == 0 && first.code != ERR_NONE) {
		*err = first;		/* the server kept some: retry later */
		rc = -1;
	}
	free(gone);
	return rc;
}

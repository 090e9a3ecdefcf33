/*
 * pop3_sync.c - bringing the cached INBOX in line with the maildrop.
 *
 * A sync is one new session (the maildrop as it is now): UIDL and LIST,
 * then the unique-ids compared with the cache's remote ids.  Messages no
 * longer on the server leave the cache (except those petrel deleted
 * itself under leave_on_server, kept as POP3_KEPT_PREFIX rows); messages
 * the cache lacks get a row from their header (TOP n 0), newest (highest
 * number) first, so the top of the list fills first.  With
 * leave_on_server = no they are downloaded whole instead: they are about
 * to leave the server.  Rows already cached are never rewritten, so the
 * flags kept locally survive.  Then the account's leave_on_server policy
 * runs (pop3_policy.c).
 *
 * Message numbers are only used inside the session; the cache is keyed by
 * unique-id, so another client deleting messages (and the server
 * renumbering the rest) costs nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "net/pop3_driver.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* Rows removed per transaction. */
#define POP3_REMOVE_BATCH	1000

/* Order C strings. */
static int
pop3_sync_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Remove these rows, a batch per transaction. */
static int
pop3_sync_remove(struct cache *cache, int64_t folder_id, char **ids,
    size_t n, struct error *err)
{
	size_t	 i = 0, end;

	while (i < n) {
		end = n - i > POP3_REMOVE_BATCH ? i + POP3_REMOVE_BATCH : n;
		if (cache_begin(cache, err) == -1)
			return -1;
		for (; i < end; i++) {
			if (cache_msg_remove(cache, folder_id, ids[i],
			    err) == -1) {
				cache_rollback(cache);
				return -1;
			}
		}
		if (cache_commit(cache, err) == -1) {
			cache_rollback(cache);
			return -1;
		}
	}
	return 0;
}

/* Cached rows whose message left the server: out of the cache. */
static int
pop3_sync_gone(struct pop3_account *pa, struct cache *cache,
    int64_t folder_id, char **ids, size_t nids, struct error *err)
{
	char	**gone;
	size_t	  ngone = 0, i;
	int	  rc;

	gone = xreallocarray(NULL, nids > 0 ? nids : 1, sizeof *gone);
	for (size_t k = 0; k < nids; k++) {
		if (!pop3_is_kept(ids[k]) &&
		    pop3_list_find(&pa->list, ids[k], &i) == -1)
			gone[ngone++] = ids[k];
	}
	rc = pop3_sync_remove(cache, folder_id, gone, ngone, err);
	if (rc == 0 && ngone > 0)
		log_info("pop3", "[%s] %zu messages gone from the server",
		    pa->base.cfg->name, ngone);
	free(gone);
	return rc;
}

/*
 * The listing entries the cache lacks, newest first; with leave_on_server
 * = no, those small enough to come whole go to *whole, the rest to *hdrs.
 */
static void
pop3_sync_plan(struct pop3_account *pa, char **ids, size_t nids,
    uint32_t *hdrs, size_t *nh, uint32_t *whole, size_t *nw)
{
	const struct pop3_list		*l = &pa->list;
	const struct config_account	*cfg = pa->base.cfg;
	const char			*u;
	bool				 down = cfg->leave_days == 0 &&
	    !cfg->read_only;

	*nh = *nw = 0;
	for (size_t i = l->n; i-- > 0;) {
		u = pop3_list_uidl(l, i);
		if (nids > 0 && bsearch(&u, ids, nids, sizeof *ids,
		    pop3_sync_strcmp) != NULL)
			continue;
		if (down && l->v[i].size <= POP3_BODY_MAX)
			whole[(*nw)++] = (uint32_t)i;
		else
			hdrs[(*nh)++] = (uint32_t)i;
	}
}

/* Rows for the messages the cache lacks. */
static int
pop3_sync_new(struct pop3_account *pa, struct cache *cache,
    const struct cache_folder *folder, char **ids, size_t nids,
    struct error *err)
{
	uint32_t	*hdrs, *whole;
	size_t		 nh, nw, got1 = 0, got2 = 0, n = pa->list.n;
	int		 rc;

	hdrs = xreallocarray(NULL, n > 0 ? n : 1, sizeof *hdrs);
	whole = xreallocarray(NULL, n > 0 ? n : 1, sizeof *whole);
	if (nids > 0)
		qsort(ids, nids, sizeof *ids, pop3_sync_strcmp);
	pop3_sync_plan(pa, ids, nids, hdrs, &nh, whole, &nw);
	rc = pop3_get(pa, cache, folder, hdrs, nh, POP3_GET_HEADERS, true,
	    &got1, NULL, err);
	if (rc == 0)
		rc = pop3_get(pa, cache, folder, whole, nw, POP3_GET_WHOLE,
		    true, &got2, NULL, err);
	if (nh + nw > 0)
		log_info("pop3", "[%s] %zu new messages, %zu stored",
		    pa->base.cfg->name, nh + nw, got1 + got2);
	free(hdrs);
	free(whole);
	return rc;
}

/* Compare the server's unique-ids with the cache's. */
static int
pop3_sync_diff(struct pop3_account *pa, struct cache *cache,
    const struct cache_folder *folder, struct error *err)
{
	char	**ids = NULL;
	size_t	  nids = 0;
	int	  rc = -1;

	if (cache_msg_remote_ids(cache, folder->id, &ids, &nids, err) == -1)
		return -1;
	if (pop3_sync_gone(pa, cache, folder->id, ids, nids, err) == 0 &&
	    pop3_sync_new(pa, cache, folder, ids, nids, err) == 0)
		rc = 0;
	cache_strv_free(ids, nids);
	return rc;
}

/* Bring the cached INBOX up to date. */
int
pop3_sync_folder(struct account *a, const struct cache_folder *folder,
    struct cache *cache, struct error *err)
{
	struct pop3_account	*pa = pop3_account_get(a);
	struct pop3_state	 st;
	char			*text = NULL;
	int			 rc = -1;

	if (pop3_folder_check(folder, err) == -1)
		return -1;
	if (pop3_session_fresh(pa, err) == -1)
		return -1;
	pa->used = true;
	pop3_state_init(&st);
	if (pop3_list_load(pa, err) == -1 ||
	    pop3_state_load(cache, folder->id, &st, &text, err) == -1)
		goto out;
	/* Before the diff: a message DELEd last time may be gone now. */
	if (pop3_policy_resolve(pa, cache, folder->id, &st, &text, err) == -1)
		goto out;
	account_status(a, "%s: %zu messages on the server", folder->name,
	    pa->list.n);
	if (pop3_sync_diff(pa, cache, folder, err) == -1 ||
	    pop3_policy_run(pa, cache, folder, &st, &text, err) == -1 ||
	    pop3_state_store(cache, folder->id, &st, &text, err) == -1)
		goto out;
	rc = 0;

out:
	pop3_state_fini(&st);
	free(text);
	return rc;
}

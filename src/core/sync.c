/*
 * sync.c - a full sync of one account into the cache.
 *
 * The first sync of an account whose driver knows INBOX exists before
 * listing (IMAP, RFC 3501 5.1) does INBOX first: the first screenful then
 * waits for no folder list (one round trip, and the server's LIST work,
 * fewer before it), and the folder list follows.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <strings.h>

#include "core/sync.h"
#include "util/log.h"

/* Sync one folder, telling the hooks; 1 if the run must stop. */
static int
sync_one(struct account *a, struct cache *c, const struct sync_hooks *hooks,
    const struct cache_folder *f, int *rc, struct error *err)
{
	struct error	ferr;

	error_clear(&ferr);
	if (hooks != NULL && hooks->folder_begin != NULL)
		hooks->folder_begin(hooks->arg, f);
	if (account_sync_folder(a, f, c, &ferr) == 0) {
		if (hooks != NULL && hooks->folder_done != NULL)
			hooks->folder_done(hooks->arg, f, NULL);
		return 0;
	}
	log_warn("sync", "[%s] %s: %s", a->cfg->name, f->name, ferr.msg);
	if (hooks != NULL && hooks->folder_done != NULL)
		hooks->folder_done(hooks->arg, f, &ferr);
	if (*rc == 0)
		*err = ferr;
	*rc = -1;
	return ferr.scope == ERR_SCOPE_ACCOUNT || ferr.code == ERR_CANCELLED;
}

/*
 * A first sync with DRIVER_CAP_INBOX: make the INBOX row and sync it.
 * Returns 1 when INBOX was synced (the list skips it), 0 when this is not
 * a first sync, -1 when the run must stop.
 */
static int
sync_inbox_first(struct account *a, struct cache *c,
    const struct sync_hooks *hooks, int *rc, struct error *err)
{
	struct cache_folder	*folders = NULL, f;
	size_t			 n = 0;
	int64_t			 id;
	int			 r;

	if (!(a->ops->caps & DRIVER_CAP_INBOX))
		return 0;
	if (cache_folder_list(c, a->cache_id, &folders, &n, err) == -1)
		return -1;
	cache_folder_list_free(folders, n);
	if (n > 0)
		return 0;
	if (cache_folder_put(c, a->cache_id, "INBOX", NULL, '\0', 0, &id,
	    err) == -1 || cache_folder_get(c, id, &f, err) != 0)
		return -1;
	if (hooks != NULL && hooks->folders_listed != NULL)
		hooks->folders_listed(hooks->arg);
	r = sync_one(a, c, hooks, &f, rc, err);
	cache_folder_fini(&f);
	return r == 1 ? -1 : 1;
}

/* Sync every selectable folder of the account. */
int
sync_account(struct account *a, struct cache *c,
    const struct sync_hooks *hooks, struct error *err)
{
	struct cache_folder	*folders = NULL;
	size_t			 n = 0, i;
	int			 rc = 0, first;

	if ((first = sync_inbox_first(a, c, hooks, &rc, err)) == -1)
		return -1;
	if (account_list_folders(a, c, err) == -1)
		return -1;
	if (hooks != NULL && hooks->folders_listed != NULL)
		hooks->folders_listed(hooks->arg);
	if (cache_folder_list(c, a->cache_id, &folders, &n, err) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (folders[i].attrs & CACHE_FOLDER_NOSELECT)
			continue;
		if (first == 1 &&
		    strcasecmp(folders[i].remote_name, "INBOX") == 0)
			continue;
		if (sync_one(a, c, hooks, &folders[i], &rc, err) == 1)
			break;
	}
	cache_folder_list_free(folders, n);
	return rc;
}

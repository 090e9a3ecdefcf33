/*
 * sync.c - a full sync of one account into the cache.
 */
#include <stdlib.h>

#include "core/sync.h"
#include "util/log.h"

/* Sync every selectable folder of the account. */
int
sync_account(struct account *a, struct cache *c,
    const struct sync_hooks *hooks, struct error *err)
{
	struct cache_folder	*folders = NULL;
	struct error		 ferr;
	size_t			 n = 0, i;
	int			 rc = 0;

	if (account_list_folders(a, c, err) == -1)
		return -1;
	if (hooks != NULL && hooks->folders_listed != NULL)
		hooks->folders_listed(hooks->arg);
	if (cache_folder_list(c, a->cache_id, &folders, &n, err) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (folders[i].attrs & CACHE_FOLDER_NOSELECT)
			continue;
		error_clear(&ferr);
		if (hooks != NULL && hooks->folder_begin != NULL)
			hooks->folder_begin(hooks->arg, &folders[i]);
		if (account_sync_folder(a, &folders[i], c, &ferr) == 0) {
			if (hooks != NULL && hooks->folder_done != NULL)
				hooks->folder_done(hooks->arg, &folders[i], NULL);
			continue;
		}
		log_warn("sync", "[%s] %s: %s", a->cfg->name, folders[i].name,
		    ferr.msg);
		if (hooks != NULL && hooks->folder_done != NULL)
			hooks->folder_done(hooks->arg, &folders[i], &ferr);
		if (rc == 0)
			*err = ferr;
		rc = -1;
		if (ferr.scope == ERR_SCOPE_ACCOUNT ||
		    ferr.code == ERR_CANCELLED)
			break;
	}
	cache_folder_list_free(folders, n);
	return rc;
}

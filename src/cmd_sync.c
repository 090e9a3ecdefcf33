/*
 * cmd_sync.c - `petrel sync [ACCOUNT]`: one synchronous sync, then a
 * summary line per folder: "NAME: N messages, U unread".
 */
#include <stdio.h>
#include <stdlib.h>

#include "cache/cache.h"
#include "cmd.h"
#include "core/account.h"
#include "core/sync.h"
#include "util/sanitize.h"

/* Print one line on stderr, sanitised. */
static void
cmd_sync_error(const char *account, const struct error *err)
{
	char	*line;

	line = sanitize_line_dup(err->msg);
	fprintf(stderr, "petrel: [%s] %s\n", account, line);
	free(line);
}

/* Print the folder summary of one account. */
static int
cmd_sync_summary(struct cache *c, int64_t account_id, struct error *err)
{
	struct cache_folder	*f;
	size_t			 n, i;
	char			*name;

	if (cache_folder_list(c, account_id, &f, &n, err) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (f[i].attrs & CACHE_FOLDER_NOSELECT)
			continue;
		name = sanitize_line_dup(f[i].name);
		printf("%s: %lld messages, %lld unread\n", name,
		    (long long)f[i].total, (long long)f[i].unread);
		free(name);
	}
	cache_folder_list_free(f, n);
	return 0;
}

/* Sync one account; 0 or 1 as an exit status. */
static int
cmd_sync_one(const struct config_account *cfg, struct cache *c)
{
	struct account	*a;
	struct error	 err;
	int		 rc = 0;

	error_clear(&err);
	if ((a = account_new(cfg, c, -1, &err)) == NULL) {
		cmd_sync_error(cfg->name, &err);
		return 1;
	}
	if (sync_account(a, c, NULL, &err) == -1) {
		cmd_sync_error(cfg->name, &err);
		rc = 1;
	}
	if (cache_search_index(c, &err) == -1) {
		cmd_sync_error(cfg->name, &err);
		rc = 1;
	}
	if (cmd_sync_summary(c, a->cache_id, &err) == -1) {
		cmd_sync_error(cfg->name, &err);
		rc = 1;
	}
	account_free(a);
	return rc;
}

/* petrel sync [ACCOUNT] */
int
cmd_sync(const struct config *cfg, const char *account, const char *cache_path)
{
	const struct config_account	*a;
	struct cache			*c;
	struct error			 err;
	size_t				 i;
	int				 rc = 0;

	error_clear(&err);
	if (account != NULL && (a = config_account_find(cfg, account)) == NULL) {
		fprintf(stderr, "petrel: no account '%s' in %s\n", account,
		    cfg->path);
		return 1;
	}
	if (cfg->naccounts == 0) {
		fprintf(stderr, "petrel: %s defines no [account]\n", cfg->path);
		return 1;
	}
	if ((c = cache_open(cache_path, &err)) == NULL) {
		fprintf(stderr, "petrel: %s\n", err.msg);
		return 1;
	}
	for (i = 0; i < cfg->naccounts; i++) {
		a = &cfg->accounts[i];
		if (account != NULL && a != config_account_find(cfg, account))
			continue;
		if (cmd_sync_one(a, c) != 0)
			rc = 1;
	}
	cache_close(c);
	return rc;
}

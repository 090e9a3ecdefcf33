/*
 * account.c - the driver registry and the checking wrappers around
 * struct driver_ops.
 *
 * Callers go through these wrappers, never through ops directly: they open
 * the connection on demand, refuse server writes on read-only accounts
 * before any driver code runs, and mark the account closed when an error
 * says the connection is gone, so the next call reconnects.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/account.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* Make the driver's account for a config entry. */
struct account *
account_new(const struct config_account *cfg, struct cache *cache,
    int wake_fd, struct error *err)
{
	const struct driver_ops	*ops;
	struct account		*a;
	int64_t			 id;

	if ((ops = driver_find(cfg->driver)) == NULL) {
		error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "[account %s]: unknown driver '%s'", cfg->name, cfg->driver);
		return NULL;
	}
	if (cache_account_id(cache, cfg->name, &id, err) == -1)
		return NULL;
	if ((a = ops->new(cfg, err)) == NULL)
		return NULL;
	a->ops = ops;
	a->cfg = cfg;
	a->cache_id = id;
	a->wake_fd = wake_fd;
	a->connected = false;
	return a;
}

/* Close (if open) and free. */
void
account_free(struct account *a)
{
	if (a == NULL)
		return;
	account_close(a);
	a->ops->free(a);
}

/* After a failure: an account-scope error means the connection is gone. */
static int
account_failed(struct account *a, struct error *err)
{
	if (err->scope == ERR_SCOPE_ACCOUNT && a->connected) {
		log_info("core", "[%s] connection dropped: %s", a->cfg->name,
		    err->msg);
		a->ops->close(a);
		a->connected = false;
	}
	return -1;
}

/* Connect and log in if not connected. */
int
account_open(struct account *a, struct error *err)
{
	if (a->connected)
		return 0;
	account_status(a, "connecting to %s:%s", a->cfg->host, a->cfg->port);
	if (a->ops->open(a, err) == -1) {
		error_widen(err, ERR_SCOPE_ACCOUNT);
		return -1;
	}
	a->connected = true;
	return 0;
}

/* Log out and disconnect. */
void
account_close(struct account *a)
{
	if (!a->connected)
		return;
	a->ops->close(a);
	a->connected = false;
}

/* Refresh the folder list. */
int
account_list_folders(struct account *a, struct cache *c, struct error *err)
{
	if (account_open(a, err) == -1)
		return -1;
	if (a->ops->list_folders(a, c, err) == -1)
		return account_failed(a, err);
	return 0;
}

/* Sync one folder's headers and flags. */
int
account_sync_folder(struct account *a, const struct cache_folder *f,
    struct cache *c, struct error *err)
{
	if (f->attrs & CACHE_FOLDER_NOSELECT)
		return 0;
	if (account_open(a, err) == -1)
		return -1;
	if (a->ops->sync_folder(a, f, c, err) == -1)
		return account_failed(a, err);
	return 0;
}

/* Download one message body into the cache. */
int
account_fetch_message(struct account *a, const struct cache_folder *f,
    const char *remote_id, struct cache *c, struct error *err)
{
	if (account_open(a, err) == -1)
		return -1;
	if (a->ops->fetch_message(a, f, remote_id, c, err) == -1)
		return account_failed(a, err);
	return 0;
}

/* Change flags on the server; refused on read-only accounts. */
int
account_store_flags(struct account *a, const struct cache_folder *f,
    const char *const *ids, size_t n, unsigned add, unsigned remove,
    struct cache *c, struct error *err)
{
	if (a->cfg->read_only)
		return error_set(err, ERR_READONLY, ERR_SCOPE_OP,
		    "account %s is read-only: flags not changed on the server",
		    a->cfg->name);
	if (!(a->ops->caps & DRIVER_CAP_FLAGS))
		return 0;
	if (account_open(a, err) == -1)
		return -1;
	if (a->ops->store_flags(a, f, ids, n, add, remove, c, err) == -1)
		return account_failed(a, err);
	return 0;
}

/* Report progress through the status hook. */
void
account_status(struct account *a, const char *fmt, ...)
{
	char	text[256];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	log_debug("core", "[%s] %s", a->cfg->name, text);
	if (a->status != NULL)
		a->status(a->status_arg, text);
}

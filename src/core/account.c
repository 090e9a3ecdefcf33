/*
 * account.c - the driver registry and the checking wrappers around
 * struct driver_ops.
 *
 * Callers go through these wrappers, never through ops directly: they open
 * the connection on demand, refuse server writes on read-only accounts
 * before any driver code runs, and mark the account closed when an error
 * says the connection is gone, so the next call reconnects.
 */
#include <errno.h>
#include <poll.h>
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
	xfree_secret(a->password);	/* a typed password dies with it */
	a->password = NULL;
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
	if (a->cfg->host != NULL)
		account_status(a, "connecting to %s:%s", a->cfg->host,
		    a->cfg->port);
	else
		account_status(a, "opening %s", a->cfg->path != NULL ?
		    a->cfg->path : a->cfg->name);
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

static int	account_writable(struct account *, const char *, struct error *);

/* Change flags on the server; refused on read-only accounts. */
int
account_store_flags(struct account *a, const struct cache_folder *f,
    const char *const *ids, size_t n, unsigned add, unsigned remove,
    struct cache *c, struct error *err)
{
	if (account_writable(a, "flag change", err) == -1)
		return -1;
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

/* Report rows written through the rows hook. */
void
account_rows_written(struct account *a)
{
	if (a->rows != NULL)
		a->rows(a->status_arg);
}

/* Refuse a server change on a read-only account (before any I/O). */
static int
account_writable(struct account *a, const char *what, struct error *err)
{
	if (!a->cfg->read_only)
		return 0;
	return error_set(err, ERR_READONLY, ERR_SCOPE_OP,
	    "account %s is read-only: %s not done", a->cfg->name, what);
}

/* Copy messages to another folder. */
int
account_copy(struct account *a, const struct cache_folder *from,
    const char *const *ids, size_t n, const struct cache_folder *to,
    struct cache *c, struct error *err)
{
	if (account_writable(a, "copy", err) == -1)
		return -1;
	if (a->ops->copy == NULL)
		return error_set(err, ERR_UNSUPPORTED, ERR_SCOPE_OP,
		    "%s accounts cannot copy messages", a->ops->name);
	if (account_open(a, err) == -1)
		return -1;
	if (a->ops->copy(a, from, ids, n, to, c, err) == -1)
		return account_failed(a, err);
	return 0;
}

/*
 * Move messages: the driver's move when it can (IMAP MOVE, or its own
 * copy + expunge of just these messages with UIDPLUS), else copy and mark
 * them \Deleted.  They are not expunged then: without a way to expunge
 * only these, an expunge would also remove every other \Deleted message
 * of the folder, which the user did not ask for; they go with the next
 * expunge the user asks for.
 */
int
account_move(struct account *a, const struct cache_folder *from,
    const char *const *ids, size_t n, const struct cache_folder *to,
    struct cache *c, struct error *err)
{
	if (account_writable(a, "move", err) == -1)
		return -1;
	if (account_open(a, err) == -1)
		return -1;
	if (a->ops->move != NULL) {
		if (a->ops->move(a, from, ids, n, to, c, err) == 0)
			return 0;
		if (err->code != ERR_UNSUPPORTED)
			return account_failed(a, err);
	}
	if (account_copy(a, from, ids, n, to, c, err) == -1)
		return -1;
	return account_store_flags(a, from, ids, n, CACHE_FLAG_DELETED, 0, c,
	    err);
}

/* Remove messages marked \Deleted. */
int
account_expunge(struct account *a, const struct cache_folder *f,
    const char *const *ids, size_t n, struct cache *c, struct error *err)
{
	if (account_writable(a, "expunge", err) == -1)
		return -1;
	if (a->ops->expunge == NULL)
		return error_set(err, ERR_UNSUPPORTED, ERR_SCOPE_OP,
		    "%s accounts cannot expunge", a->ops->name);
	if (account_open(a, err) == -1)
		return -1;
	if (a->ops->expunge(a, f, ids, n, c, err) == -1)
		return account_failed(a, err);
	return 0;
}

/* Append a message to a folder. */
int
account_append(struct account *a, const struct cache_folder *f,
    const char *raw, size_t len, unsigned flags, int64_t date,
    struct cache *c, struct error *err)
{
	if (account_writable(a, "append", err) == -1)
		return -1;
	if (a->ops->append == NULL)
		return error_set(err, ERR_UNSUPPORTED, ERR_SCOPE_OP,
		    "%s accounts cannot store messages", a->ops->name);
	if (account_open(a, err) == -1)
		return -1;
	if (a->ops->append(a, f, raw, len, flags, date, c, err) == -1)
		return account_failed(a, err);
	return 0;
}

/* Create a folder. */
int
account_create_folder(struct account *a, const char *name, struct cache *c,
    struct error *err)
{
	if (account_writable(a, "create folder", err) == -1)
		return -1;
	if (a->ops->create_folder == NULL)
		return error_set(err, ERR_UNSUPPORTED, ERR_SCOPE_OP,
		    "%s accounts cannot create folders", a->ops->name);
	if (account_open(a, err) == -1)
		return -1;
	if (a->ops->create_folder(a, name, c, err) == -1)
		return account_failed(a, err);
	return 0;
}

/* Rename a folder. */
int
account_rename_folder(struct account *a, const struct cache_folder *f,
    const char *new_name, struct cache *c, struct error *err)
{
	if (account_writable(a, "rename folder", err) == -1)
		return -1;
	if (a->ops->rename_folder == NULL)
		return error_set(err, ERR_UNSUPPORTED, ERR_SCOPE_OP,
		    "%s accounts cannot rename folders", a->ops->name);
	if (account_open(a, err) == -1)
		return -1;
	if (a->ops->rename_folder(a, f, new_name, c, err) == -1)
		return account_failed(a, err);
	return 0;
}

/* Delete a folder. */
int
account_delete_folder(struct account *a, const struct cache_folder *f,
    struct cache *c, struct error *err)
{
	if (account_writable(a, "delete folder", err) == -1)
		return -1;
	if (a->ops->delete_folder == NULL)
		return error_set(err, ERR_UNSUPPORTED, ERR_SCOPE_OP,
		    "%s accounts cannot delete folders", a->ops->name);
	if (account_open(a, err) == -1)
		return -1;
	if (a->ops->delete_folder(a, f, c, err) == -1)
		return account_failed(a, err);
	return 0;
}

/* Search message text on the server (allowed on read-only accounts). */
int
account_search(struct account *a, const struct cache_folder *f,
    const char *text, char ***ids, size_t *n, struct error *err)
{
	*ids = NULL;
	*n = 0;
	if (a->ops->search == NULL)
		return error_set(err, ERR_UNSUPPORTED, ERR_SCOPE_OP,
		    "%s accounts cannot search on the server", a->ops->name);
	if (account_open(a, err) == -1)
		return -1;
	if (a->ops->search(a, f, text, ids, n, err) == -1)
		return account_failed(a, err);
	return 0;
}

/*
 * Wait for changes in a folder: the driver's IDLE when the server has it,
 * else wait (for cmd_fd, the wake fd or the timeout) and then resync the
 * folder, which is how a server without IDLE is polled.
 */
int
account_wait_changes(struct account *a, const struct cache_folder *f,
    struct cache *c, int cmd_fd, int timeout_ms, struct error *err)
{
	struct pollfd	pfd[2];
	int		rc;

	if (account_open(a, err) == -1)
		return -1;
	if (a->ops->wait_changes != NULL && (a->caps & DRIVER_CAP_IDLE)) {
		rc = a->ops->wait_changes(a, f, c, cmd_fd, timeout_ms, err);
		return rc == -1 ? account_failed(a, err) : rc;
	}
	pfd[0].fd = cmd_fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = a->wake_fd;
	pfd[1].events = POLLIN;
	do
		rc = poll(pfd, a->wake_fd != -1 ? 2 : 1, timeout_ms);
	while (rc == -1 && errno == EINTR);
	if (rc == -1)
		return error_sys(err, ERR_SCOPE_OP, errno, "poll");
	if (rc > 0 && (pfd[1].revents & POLLIN))
		return error_set(err, ERR_CANCELLED, ERR_SCOPE_OP,
		    "interrupted");
	if (rc > 0)
		return 0;
	if (account_sync_folder(a, f, c, err) == -1)
		return -1;
	return 1;
}

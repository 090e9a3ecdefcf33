/*
 * imap_driver.c - the IMAP account driver: its vtable, opening and
 * closing the connection, the folder list and mailbox selection.
 *
 * Folder listing is LIST "" "*" (RFC 3501 6.3.8); names are kept as the
 * server sent them (modified UTF-7, used in later commands) and shown
 * decoded (imap_utf7.c).  The selected mailbox is remembered so that a
 * command on the same folder does not select it again; read-only accounts
 * use EXAMINE (6.3.2) and so never change \Recent or anything else.
 *
 * Messages and flags are in imap_sync.c and imap_message.c.
 */
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "net/imap_driver.h"
#include "net/imap_utf7.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* The IMAP account behind a struct account. */
struct imap_account *
imap_account_get(struct account *a)
{
	return (struct imap_account *)a;
}

/* Allocate the account (no I/O). */
static struct account *
imap_new(const struct config_account *cfg, struct error *err)
{
	struct imap_account	*ia;

	if (cfg->host == NULL || *cfg->host == '\0') {
		error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "[account %s]: no host", cfg->name);
		return NULL;
	}
	ia = xcalloc(1, sizeof *ia);
	ia->base.cfg = cfg;
	ia->base.wake_fd = -1;
	return &ia->base;
}

/* Drop the connection without talking to the server. */
static void
imap_drop(struct imap_account *ia)
{
	imap_conn_free(ia->conn);
	ia->conn = NULL;
	free(ia->selected);
	ia->selected = NULL;
}

/* Free the account. */
static void
imap_free(struct account *a)
{
	struct imap_account	*ia = imap_account_get(a);

	if (ia == NULL)
		return;
	imap_drop(ia);
	free(ia);
}

/* Connect and log in. */
static int
imap_open(struct account *a, struct error *err)
{
	struct imap_account		*ia = imap_account_get(a);
	const struct config_account	*cfg = a->cfg;
	char				*pass = NULL;
	int				 rc = -1;

	imap_drop(ia);
	if (imap_conn_connect(cfg, a->wake_fd, &ia->conn, err) == -1)
		return -1;
	if (!ia->conn->preauth) {
		if (cfg->user == NULL) {
			error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
			    "[account %s]: no user", cfg->name);
			goto out;
		}
		if ((pass = config_account_password(cfg, err)) == NULL)
			goto out;
		rc = imap_conn_login(ia->conn, cfg->user, pass, err);
		xfree_secret(pass);
		if (rc == -1)
			goto out;
	}
	log_info("imap", "[%s] logged in to %s", cfg->name, cfg->host);
	rc = 0;

out:
	if (rc == -1) {
		error_widen(err, ERR_SCOPE_ACCOUNT);
		imap_drop(ia);
	}
	return rc;
}

/* Log out and drop the connection. */
static void
imap_close(struct account *a)
{
	struct imap_account	*ia = imap_account_get(a);

	if (ia->conn != NULL)
		imap_conn_logout(ia->conn);
	imap_drop(ia);
}

/* Select (or examine) a mailbox unless it is selected already. */
int
imap_select(struct imap_account *ia, const char *remote_name,
    struct error *err)
{
	struct buf	 q;
	const char	*verb = ia->base.cfg->read_only ? "EXAMINE" : "SELECT";
	int		 rc;

	if (ia->conn == NULL) {
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "not connected");
	}
	if (ia->selected != NULL && strcmp(ia->selected, remote_name) == 0)
		return 0;
	buf_init(&q, 0);
	if (imap_quote(&q, remote_name) == -1) {
		buf_fini(&q);
		return error_set(err, ERR_UNSUPPORTED, ERR_SCOPE_FOLDER,
		    "folder name needs an IMAP literal: not supported yet");
	}
	free(ia->selected);
	ia->selected = NULL;	/* a failed SELECT deselects (6.3.1) */
	ia->conn->exists = 0;
	ia->conn->uidvalidity = 0;
	rc = imap_conn_run(ia->conn, NULL, NULL, err, "%s %s", verb, q.data);
	buf_fini(&q);
	if (rc == -1) {
		if (err->scope < ERR_SCOPE_FOLDER)
			error_widen(err, ERR_SCOPE_FOLDER);
		return -1;
	}
	ia->selected = xstrdup(remote_name);
	return 0;
}

struct imap_list_ctx {
	struct imap_account	*ia;
	struct cache		*cache;
	char			**names;	/* remote names seen */
	size_t			 n;
	size_t			 cap;
};

/* Store one LIST response as a cache folder. */
static int
imap_list_one(void *arg, const struct imap_response *r, struct error *err)
{
	struct imap_list_ctx	*ctx = arg;
	struct imap_list	 l;
	unsigned		 attrs = 0;
	int64_t			 id;
	char			*remote, *name;
	int			 rc;

	if (!imap_slice_is(r->name, "LIST"))
		return 0;
	if (imap_list_parse(r, &l, err) == -1) {
		err->scope = ERR_SCOPE_OP;
		return -1;
	}
	if (l.attrs & IMAP_LIST_NONEXISTENT)
		return 0;
	if (l.attrs & IMAP_LIST_NOSELECT)
		attrs |= CACHE_FOLDER_NOSELECT;
	if (l.attrs & IMAP_LIST_NOINFERIORS)
		attrs |= CACHE_FOLDER_NOINFERIORS;
	remote = imap_slice_dup(l.name);
	name = imap_utf7_display(l.name.p, l.name.len);
	rc = cache_folder_put(ctx->cache, ctx->ia->base.cache_id, remote, name,
	    l.delim, attrs, &id, err);
	free(name);
	if (rc == -1) {
		free(remote);
		return -1;
	}
	if (ctx->n == ctx->cap) {
		ctx->cap = ctx->cap ? ctx->cap * 2 : 32;
		ctx->names = xreallocarray(ctx->names, ctx->cap,
		    sizeof *ctx->names);
	}
	ctx->names[ctx->n++] = remote;
	return 0;
}

/* Refresh the cache's folder list from LIST "" "*". */
static int
imap_list_folders(struct account *a, struct cache *cache, struct error *err)
{
	struct imap_account	*ia = imap_account_get(a);
	struct imap_list_ctx	 ctx = { ia, cache, NULL, 0, 0 };
	int			 rc = -1;

	if (ia->conn == NULL)
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "not connected");
	if (cache_begin(cache, err) == -1)
		return -1;
	if (imap_conn_run(ia->conn, imap_list_one, &ctx, err,
	    "LIST \"\" \"*\"") == -1)
		goto out;
	/* No folder at all is a server oddity, not a reason to wipe. */
	if (ctx.n > 0 && cache_folder_prune(cache, a->cache_id,
	    (const char *const *)ctx.names, ctx.n, err) == -1)
		goto out;
	if (cache_commit(cache, err) == -1)
		goto out;
	account_status(a, "%zu folders", ctx.n);
	rc = 0;

out:
	if (rc == -1)
		cache_rollback(cache);
	for (size_t i = 0; i < ctx.n; i++)
		free(ctx.names[i]);
	free(ctx.names);
	return rc;
}

const struct driver_ops imap_driver_ops = {
	.name = "imap",
	.caps = DRIVER_CAP_FOLDERS | DRIVER_CAP_FLAGS,
	.new = imap_new,
	.free = imap_free,
	.open = imap_open,
	.close = imap_close,
	.list_folders = imap_list_folders,
	.sync_folder = imap_sync_folder,
	.fetch_message = imap_fetch_message,
	.store_flags = imap_store_flags,
};

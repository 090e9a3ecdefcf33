/*
 * imap_folder_ops.c - CREATE, RENAME and DELETE (RFC 3501 6.3.3-6.3.5).
 *
 * Names come as UTF-8 display paths and are sent in modified UTF-7
 * (RFC 3501 5.1.3), or as UTF-8 once UTF8=ACCEPT is enabled (RFC 6855 3).
 * Each command is pipelined with a fresh LIST "" "*", so the cache's
 * folder list (roles, delimiters, renamed children) reflects what the
 * server now has after one round trip.  A rename the server accepted is
 * applied to the cache (cache_folder_rename, children included) before
 * the LIST is stored, so the folders keep their cached messages instead
 * of being pruned and downloaded again.  Refused on read-only accounts.
 */
#include <stdlib.h>
#include <string.h>

#include "net/imap_driver.h"
#include "net/imap_utf7.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* The wire name for a UTF-8 display path (caller frees); NULL: error. */
static char *
imap_folder_encode(struct imap_account *ia, const char *name,
    struct error *err)
{
	char	*enc;

	if (name == NULL || *name == '\0') {
		error_set(err, ERR_PARSE, ERR_SCOPE_OP, "empty folder name");
		return NULL;
	}
	if (ia->conn->enabled & IMAP_CAP_UTF8_ACCEPT)
		return xstrdup(name);
	if ((enc = imap_utf7_encode(name, strlen(name))) == NULL)
		error_set(err, ERR_PARSE, ERR_SCOPE_OP,
		    "folder name is not valid UTF-8");
	return enc;
}

/* The wire name for a UTF-8 display path, quoted into b. */
static int
imap_folder_wire(struct imap_account *ia, const char *name, struct buf *b,
    struct error *err)
{
	char	*enc;
	int	 rc;

	if ((enc = imap_folder_encode(ia, name, err)) == NULL)
		return -1;
	rc = imap_mailbox_arg(ia, enc, b, err);
	free(enc);
	return rc;
}

/* The display name of a wire name. */
static char *
imap_folder_display(struct imap_account *ia, const char *remote)
{
	if (ia->conn->enabled & IMAP_CAP_UTF8_ACCEPT)
		return xstrdup(remote);
	return imap_utf7_display(remote, strlen(remote));
}

/* Rename one cached folder row whose name starts with from. */
static int
imap_folder_rename_row(struct imap_account *ia, struct cache *cache,
    const struct cache_folder *f, const char *from, const char *to,
    struct error *err)
{
	size_t	 n = strlen(from);
	char	*remote, *display;
	int	 rc;

	if (strncmp(f->remote_name, from, n) != 0 ||
	    (f->remote_name[n] != '\0' && (f->delim == '\0' ||
	    f->remote_name[n] != f->delim)))
		return 0;
	remote = xasprintf("%s%s", to, f->remote_name + n);
	display = imap_folder_display(ia, remote);
	rc = cache_folder_rename(cache, f->id, remote, display, err);
	free(remote);
	free(display);
	return rc;
}

/* Apply a rename the server accepted: the folder and its children. */
static int
imap_folder_renamed(struct imap_account *ia, struct cache *cache,
    const char *from, const char *to, struct error *err)
{
	struct cache_folder	*v = NULL;
	size_t			 n = 0;
	int			 rc = -1;

	if (cache_folder_list(cache, ia->base.cache_id, &v, &n, err) == -1)
		return -1;
	if (cache_begin(cache, err) == -1)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (imap_folder_rename_row(ia, cache, &v[i], from, to,
		    err) == -1) {
			cache_rollback(cache);
			goto out;
		}
	}
	if (cache_commit(cache, err) == -1) {
		cache_rollback(cache);
		goto out;
	}
	rc = 0;
out:
	cache_folder_list_free(v, n);
	return rc;
}

/*
 * Send a folder command with a LIST behind it (one round trip), apply a
 * confirmed rename (rename_from/to: wire names, or NULL), store the LIST.
 */
static int
imap_folder_cmd(struct imap_account *ia, struct cache *cache,
    const char *cmd, const char *rename_from, const char *rename_to,
    struct error *err)
{
	struct imap_list_ctx	*ctx;
	struct error		 lerr;
	char			 tag[16];
	int			 rc;

	if (imap_conn_submit(ia->conn, tag, sizeof tag, err, "%s", cmd) == -1)
		return -1;
	error_clear(&lerr);
	if ((ctx = imap_list_submit(ia, cache, &lerr)) == NULL) {
		(void)imap_conn_await(ia->conn, tag, NULL, NULL, err);
		*err = lerr;
		return -1;
	}
	/* LIST answers that come early are kept for the LIST. */
	rc = imap_conn_await(ia->conn, tag, imap_list_one, ctx, err);
	if (rc == 0 && rename_from != NULL)
		rc = imap_folder_renamed(ia, cache, rename_from, rename_to,
		    err);
	if (imap_conn_broken(ia->conn) || imap_list_finish(ctx,
	    &lerr) == -1) {
		if (rc == 0 || imap_conn_broken(ia->conn))
			*err = lerr;
		rc = -1;
	}
	imap_list_free(ctx);
	return rc;
}

/* Create a folder. */
int
imap_create_folder(struct account *a, const char *name, struct cache *cache,
    struct error *err)
{
	struct imap_account	*ia = imap_account_get(a);
	struct buf		 b;
	int			 rc = -1;

	if (imap_writable(ia, "create folder", err) == -1 ||
	    imap_begin(ia, cache, err) == -1)
		return -1;
	buf_init(&b, 0);
	buf_adds(&b, "CREATE ");
	if (imap_folder_wire(ia, name, &b, err) == 0)
		rc = imap_folder_cmd(ia, cache, b.data, NULL, NULL, err);
	buf_fini(&b);
	return rc;
}

/* Rename a folder (its children follow, on the server and here). */
int
imap_rename_folder(struct account *a, const struct cache_folder *folder,
    const char *new_name, struct cache *cache, struct error *err)
{
	struct imap_account	*ia = imap_account_get(a);
	struct buf		 cmd;
	char			*to = NULL;
	int			 rc = -1;

	if (imap_writable(ia, "rename folder", err) == -1 ||
	    imap_begin(ia, cache, err) == -1)
		return -1;
	buf_init(&cmd, 0);
	buf_adds(&cmd, "RENAME ");
	if ((to = imap_folder_encode(ia, new_name, err)) == NULL ||
	    imap_mailbox_arg(ia, folder->remote_name, &cmd, err) == -1)
		goto out;
	buf_addc(&cmd, ' ');
	if (imap_mailbox_arg(ia, to, &cmd, err) == -1)
		goto out;
	if (ia->selected_id == folder->id) {
		free(ia->selected);	/* its name is changing */
		ia->selected = NULL;
		ia->selected_id = 0;
	}
	rc = imap_folder_cmd(ia, cache, cmd.data, folder->remote_name, to,
	    err);
out:
	free(to);
	buf_fini(&cmd);
	return rc;
}

/* Delete a folder (leaving it first if it is selected). */
int
imap_delete_folder(struct account *a, const struct cache_folder *folder,
    struct cache *cache, struct error *err)
{
	struct imap_account	*ia = imap_account_get(a);
	struct buf		 b;
	int			 rc = -1;

	if (imap_writable(ia, "delete folder", err) == -1 ||
	    imap_begin(ia, cache, err) == -1)
		return -1;
	buf_init(&b, 0);
	buf_adds(&b, "DELETE ");
	if (imap_mailbox_arg(ia, folder->remote_name, &b, err) == -1)
		goto out;
	if (ia->selected_id == folder->id) {
		/* UNSELECT (RFC 3691) leaves without expunging; CLOSE would. */
		if ((ia->conn->caps & IMAP_CAP_UNSELECT) &&
		    imap_conn_submit(ia->conn, NULL, 0, err, "UNSELECT") == -1)
			goto out;
		free(ia->selected);
		ia->selected = NULL;
		ia->selected_id = 0;
	}
	rc = imap_folder_cmd(ia, cache, b.data, NULL, NULL, err);

out:
	buf_fini(&b);
	return rc;
}

/*
 * imap_folder_ops.c - CREATE, RENAME and DELETE (RFC 3501 6.3.3-6.3.5).
 *
 * Names come as UTF-8 display paths and are sent in modified UTF-7
 * (RFC 3501 5.1.3), or as UTF-8 once UTF8=ACCEPT is enabled (RFC 6855 3).
 * Each command is pipelined with a fresh LIST "" "*", so the cache's
 * folder list (roles, delimiters, renamed children) reflects what the
 * server now has after one round trip.  Refused on read-only accounts.
 */
#include <stdlib.h>
#include <string.h>

#include "net/imap_driver.h"
#include "net/imap_utf7.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* The wire name for a UTF-8 display path, quoted into b. */
static int
imap_folder_wire(struct imap_account *ia, const char *name, struct buf *b,
    struct error *err)
{
	char	*enc;
	int	 rc;

	if (name == NULL || *name == '\0')
		return error_set(err, ERR_PARSE, ERR_SCOPE_OP,
		    "empty folder name");
	if (ia->conn->enabled & IMAP_CAP_UTF8_ACCEPT)
		enc = xstrdup(name);
	else if ((enc = imap_utf7_encode(name, strlen(name))) == NULL)
		return error_set(err, ERR_PARSE, ERR_SCOPE_OP,
		    "folder name is not valid UTF-8");
	rc = imap_mailbox_arg(ia, enc, b, err);
	free(enc);
	return rc;
}

/* Send a folder command, relist, and return the command's result. */
static int
imap_folder_cmd(struct imap_account *ia, struct cache *cache,
    const char *verb, const char *arg1, const char *arg2, struct error *err)
{
	struct error	 lerr;
	char		 tag[16];
	int		 rc;

	if (imap_conn_submit(ia->conn, tag, sizeof tag, err, "%s %s%s%s",
	    verb, arg1, arg2 != NULL ? " " : "", arg2 != NULL ? arg2 : "") ==
	    -1)
		return -1;
	/* The LIST goes out behind it: one round trip for both. */
	error_clear(&lerr);
	rc = imap_list_folders(&ia->base, cache, &lerr);
	if (imap_conn_broken(ia->conn)) {
		*err = lerr;
		return -1;
	}
	if (imap_conn_await(ia->conn, tag, NULL, NULL, err) == -1)
		return -1;
	if (rc == -1) {
		*err = lerr;
		return -1;
	}
	return 0;
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
	if (imap_folder_wire(ia, name, &b, err) == 0)
		rc = imap_folder_cmd(ia, cache, "CREATE", b.data, NULL, err);
	buf_fini(&b);
	return rc;
}

/* Rename a folder (its children follow on the server). */
int
imap_rename_folder(struct account *a, const struct cache_folder *folder,
    const char *new_name, struct cache *cache, struct error *err)
{
	struct imap_account	*ia = imap_account_get(a);
	struct buf		 from, to;
	int			 rc = -1;

	if (imap_writable(ia, "rename folder", err) == -1 ||
	    imap_begin(ia, cache, err) == -1)
		return -1;
	buf_init(&from, 0);
	buf_init(&to, 0);
	if (imap_mailbox_arg(ia, folder->remote_name, &from, err) == 0 &&
	    imap_folder_wire(ia, new_name, &to, err) == 0) {
		if (ia->selected_id == folder->id) {
			free(ia->selected);	/* its name is changing */
			ia->selected = NULL;
			ia->selected_id = 0;
		}
		rc = imap_folder_cmd(ia, cache, "RENAME", from.data, to.data,
		    err);
	}
	buf_fini(&from);
	buf_fini(&to);
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
	rc = imap_folder_cmd(ia, cache, "DELETE", b.data, NULL, err);

out:
	buf_fini(&b);
	return rc;
}

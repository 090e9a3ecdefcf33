/*
 * imap_driver.c - the IMAP account driver: its vtable, opening and
 * closing the connection, and mailbox selection.
 *
 * Opening is connect, login, then what petrel uses turned on
 * (imap_caps.c) with as few round trips as the protocol allows: ENABLE is
 * not awaited, its answer arrives with the next command's.  The selected
 * mailbox is remembered so that a command on the same folder does not
 * select it again; read-only accounts use EXAMINE (RFC 3501 6.3.2), which
 * still takes the QRESYNC/CONDSTORE parameters (RFC 7162 3.2.5) and never
 * changes \Recent or anything else.
 *
 * Folders are in imap_folders.c, messages in imap_sync.c and the files
 * that imap_driver.h lists.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "net/imap_driver.h"
#include "net/imap_login.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* The IMAP account behind a struct account. */
struct imap_account *
imap_account_get(struct account *a)
{
	return (struct imap_account *)a;
}

/* Refuse a server change on a read-only account. */
int
imap_writable(struct imap_account *ia, const char *what, struct error *err)
{
	if (!ia->base.cfg->read_only)
		return 0;
	return error_set(err, ERR_READONLY, ERR_SCOPE_OP,
	    "account %s is read-only: %s not done", ia->base.cfg->name, what);
}

/* Check the connection and lend it the cache for untagged updates. */
int
imap_begin(struct imap_account *ia, struct cache *cache, struct error *err)
{
	if (ia->conn == NULL || imap_conn_broken(ia->conn)) {
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "not connected");
	}
	ia->cache = cache;
	ia->alerts = 0;
	ia->conn->unsolicited = imap_mbox_unsolicited;
	ia->conn->unsolicited_arg = ia;
	return 0;
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
	ia->selected_id = 0;
	ia->cache = NULL;
	imap_listed_clear(ia);
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
	account_status(a, "connected with %s", imap_conn_mode(ia->conn));
	/* From here on an [ALERT] (a login's, say) reaches the user. */
	ia->alerts = 0;
	ia->conn->unsolicited = imap_mbox_unsolicited;
	ia->conn->unsolicited_arg = ia;
	if (!ia->conn->preauth) {
		if (cfg->user == NULL) {
			error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
			    "[account %s]: no user", cfg->name);
			goto out;
		}
		/*
		 * A password the user typed comes first; an OAuth account's
		 * token is fetched by the login itself.
		 */
		if (a->password != NULL)
			pass = xstrdup(a->password);
		else if (cfg->oauth2_token_command == NULL &&
		    (pass = config_account_password(cfg, err)) == NULL)
			goto out;
		rc = imap_conn_login(ia->conn, cfg->user, pass, err);
		xfree_secret(pass);
		if (rc == -1)
			goto out;
		rc = -1;
	}
	if (imap_caps_after_login(ia->conn, true, err) == -1)
		goto out;
	ia->conn->unsolicited = imap_mbox_unsolicited;
	ia->conn->unsolicited_arg = ia;
	a->caps = imap_caps_driver(ia->conn->caps);
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
	struct error		 err;

	if (ia->conn != NULL && !imap_conn_broken(ia->conn)) {
		ia->conn->unsolicited = NULL;
		(void)imap_conn_drain(ia->conn, NULL, NULL, &err);
		imap_conn_logout(ia->conn);
	}
	imap_drop(ia);
}

/* The mailbox name as a command argument. */
int
imap_mailbox_arg(struct imap_account *ia, const char *remote_name,
    struct buf *b, struct error *err)
{
	bool	 utf8 = (ia->conn->enabled & IMAP_CAP_UTF8_ACCEPT) != 0;

	if (imap_quote8(b, remote_name, utf8) == -1) {
		return error_set(err, ERR_UNSUPPORTED, ERR_SCOPE_FOLDER,
		    "folder name cannot be sent to this server");
	}
	return 0;
}

/* Whether st holds what a QRESYNC parameter needs. */
static bool
imap_select_wants_qresync(const struct imap_state *st)
{
	return st != NULL && st->uidvalidity != 0 && st->highestmodseq != 0;
}

/* Whether a mailbox name is plain ASCII (UTF8=ACCEPT changes nothing). */
static bool
imap_name_ascii(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s >= 0x80)
			return false;
	}
	return true;
}

/* The SELECT parameters for a resync from st (RFC 7162 3.2.5, 3.1.8). */
static void
imap_select_params(struct imap_conn *c, const struct imap_state *st,
    struct buf *b)
{
	if ((c->enabled & IMAP_CAP_QRESYNC) && imap_select_wants_qresync(st)) {
		buf_printf(b, " (QRESYNC (%" PRIu32 " %" PRIu64 "))",
		    st->uidvalidity, st->highestmodseq);
	} else if ((c->caps & IMAP_CAP_CONDSTORE) &&
	    !(c->enabled & IMAP_CAP_CONDSTORE))
		buf_adds(b, " (CONDSTORE)");
}

/* SELECT/EXAMINE unconditionally. */
int
imap_select_full(struct imap_account *ia, const struct cache_folder *folder,
    const struct imap_state *st, imap_untagged_fn fn, void *arg,
    struct error *err)
{
	struct imap_conn	*c = ia->conn;
	struct buf		 q;
	const char		*verb = ia->base.cfg->read_only ? "EXAMINE" :
	    "SELECT";
	int			 rc = -1;

	/*
	 * What ENABLE turns on matters for QRESYNC parameters and non-ASCII
	 * names; without either, SELECT goes out behind it at once (a first
	 * sync's INBOX: one round trip less before the first screenful).
	 */
	if ((imap_select_wants_qresync(st) ||
	    !imap_name_ascii(folder->remote_name)) &&
	    imap_caps_settle(c, err) == -1 && c->broken)
		return -1;
	buf_init(&q, 0);
	if (imap_mailbox_arg(ia, folder->remote_name, &q, err) == -1)
		goto out;
	imap_select_params(c, st, &q);
	free(ia->selected);
	ia->selected = NULL;	/* a failed SELECT deselects (6.3.1) */
	ia->selected_id = 0;
	c->exists = c->uidvalidity = c->uidnext = 0;
	c->highestmodseq = 0;
	c->nomodseq = c->readonly = false;
	if (imap_conn_run(c, fn, arg, err, "%s %s", verb, q.data) == -1) {
		if (err->scope < ERR_SCOPE_FOLDER)
			error_widen(err, ERR_SCOPE_FOLDER);
		goto out;
	}
	ia->selected = xstrdup(folder->remote_name);
	ia->selected_id = folder->id;
	rc = 0;

out:
	buf_fini(&q);
	return rc;
}

/* Select (or examine) a mailbox unless it is selected already. */
int
imap_select(struct imap_account *ia, const struct cache_folder *folder,
    struct error *err)
{
	if (ia->conn == NULL) {
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "not connected");
	}
	if (ia->selected != NULL && ia->selected_id == folder->id &&
	    strcmp(ia->selected, folder->remote_name) == 0)
		return 0;
	return imap_select_full(ia, folder, NULL, NULL, NULL, err);
}

const struct driver_ops imap_driver_ops = {
	.name = "imap",
	.caps = DRIVER_CAP_FOLDERS | DRIVER_CAP_FLAGS | DRIVER_CAP_IDLE |
	    DRIVER_CAP_MOVE | DRIVER_CAP_SEARCH | DRIVER_CAP_APPEND |
	    DRIVER_CAP_FOLDER_EDIT | DRIVER_CAP_INBOX,
	.new = imap_new,
	.free = imap_free,
	.open = imap_open,
	.close = imap_close,
	.list_folders = imap_list_folders,
	.sync_folder = imap_sync_folder,
	.fetch_message = imap_fetch_message,
	.store_flags = imap_store_flags,
	.copy = imap_copy,
	.move = imap_move,
	.expunge = imap_expunge,
	.append = imap_append,
	.create_folder = imap_create_folder,
	.rename_folder = imap_rename_folder,
	.delete_folder = imap_delete_folder,
	.search = imap_search,
	.wait_changes = imap_wait_changes,
};

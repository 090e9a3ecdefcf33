/*
 * maildir_driver.c - the Maildir account driver: its vtable, opening,
 * and waiting for changes made by other programs.
 *
 * `driver = maildir` with `path = DIR`: DIR is the Maildir++ root (INBOX).
 * Opening checks that it is a directory and changes nothing; a missing
 * cur/ new/ tmp/ is made only when something is delivered into it.  A
 * read-only account never renames, links, unlinks or creates anything:
 * new mail stays in new/ and every write is refused (ERR_READONLY).
 *
 * wait_changes watches new/ and cur/ of the folder on screen with
 * inotify (store_watch.c) and resyncs when they change, so a delivery by
 * another program shows up at once; every sync rescans anyway, which
 * covers systems without inotify and events lost in an overflow.
 *
 * Messages are in maildir_sync.c (also search), maildir_ops.c and
 * maildir_move.c, folders in maildir_folders.c.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/maildir.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* The Maildir account behind a struct account. */
struct maildir_account *
maildir_account_get(struct account *a)
{
	return (struct maildir_account *)a;
}

/* Refuse a change on a read-only account. */
int
maildir_writable(struct maildir_account *ma, const char *what,
    struct error *err)
{
	if (!ma->base.cfg->read_only)
		return 0;
	return error_set(err, ERR_READONLY, ERR_SCOPE_OP,
	    "account %s is read-only: %s not done", ma->base.cfg->name, what);
}

/* Allocate the account (no I/O but the host name). */
static struct account *
maildir_new(const struct config_account *cfg, struct error *err)
{
	struct maildir_account	*ma;
	char			 host[HOST_NAME_MAX + 1];

	if (cfg->path == NULL || *cfg->path == '\0') {
		error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "[account %s]: no path", cfg->name);
		return NULL;
	}
	if (gethostname(host, sizeof host) == -1)
		host[0] = '\0';
	host[sizeof host - 1] = '\0';
	ma = xcalloc(1, sizeof *ma);
	ma->base.cfg = cfg;
	ma->base.wake_fd = -1;
	ma->host = maildir_host_escape(host);
	store_watch_init(&ma->watch);
	return &ma->base;
}

/* Forget the folders' indexes and the watch. */
static void
maildir_drop(struct maildir_account *ma)
{
	for (size_t i = 0; i < ma->nidx; i++)
		maildir_index_fini(&ma->idx[i]);
	free(ma->idx);
	ma->idx = NULL;
	ma->nidx = 0;
	store_watch_fini(&ma->watch);
}

/* Free the account. */
static void
maildir_free(struct account *a)
{
	struct maildir_account	*ma = maildir_account_get(a);

	if (ma == NULL)
		return;
	maildir_drop(ma);
	free(ma->host);
	free(ma);
}

/* Check the root is a directory. */
static int
maildir_open(struct account *a, struct error *err)
{
	struct stat	st;

	if (stat(a->cfg->path, &st) == -1) {
		if (errno == ENOENT)
			return error_set(err, ERR_NOTFOUND, ERR_SCOPE_ACCOUNT,
			    "[account %s]: Maildir %s does not exist",
			    a->cfg->name, a->cfg->path);
		return error_sys(err, ERR_SCOPE_ACCOUNT, errno, "%s",
		    a->cfg->path);
	}
	if (!S_ISDIR(st.st_mode))
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "[account %s]: %s is not a directory (a Maildir is one)",
		    a->cfg->name, a->cfg->path);
	a->caps = DRIVER_CAP_FOLDERS | DRIVER_CAP_FLAGS | DRIVER_CAP_MOVE |
	    DRIVER_CAP_SEARCH | DRIVER_CAP_APPEND | DRIVER_CAP_FOLDER_EDIT;
	if (store_watch_available())
		a->caps |= DRIVER_CAP_IDLE;
	log_info("maildir", "[%s] opened %s%s", a->cfg->name, a->cfg->path,
	    a->cfg->read_only ? " (read-only)" : "");
	return 0;
}

/* Nothing to log out of: forget the indexes. */
static void
maildir_close(struct account *a)
{
	maildir_drop(maildir_account_get(a));
}

/*
 * Watch the folder's new/ and cur/ (the folder's directory while it has
 * neither); 1 if the watch is new, 0 if it was in place, -1 if it cannot
 * be watched (no watch is left then).
 */
static int
maildir_watch(struct maildir_account *ma, const struct cache_folder *f,
    struct error *err)
{
	const char	*dirs[2];
	struct stat	 st;
	char		*dir, *n, *c;
	int		 rc;

	if ((dir = maildir_folder_dir(ma, f->remote_name, err)) == NULL) {
		store_watch_fini(&ma->watch);
		return -1;
	}
	n = xasprintf("%s/new", dir);
	c = xasprintf("%s/cur", dir);
	dirs[0] = n;
	dirs[1] = c;
	if (stat(n, &st) == -1 && stat(c, &st) == -1)
		dirs[0] = dir;	/* created later: see that happen */
	rc = store_watch_set(&ma->watch, f->id, dirs, dirs[0] == dir ? 1 : 2,
	    NULL, err);
	ma->watch.provisional = dirs[0] == dir;
	free(dir);
	free(n);
	free(c);
	return rc;
}

struct maildir_wait {
	struct maildir_account		*ma;
	const struct cache_folder	*f;
	struct cache			*cache;
};

/* Resync the watched folder. */
static int
maildir_wait_sync(void *arg, bool *changed, struct error *err)
{
	struct maildir_wait	*mw = arg;

	return maildir_sync_run(mw->ma, mw->f, mw->cache, changed, err);
}

/* Wait for another program to change the folder, then resync it. */
static int
maildir_wait_changes(struct account *a, const struct cache_folder *f,
    struct cache *cache, int cmd_fd, int timeout_ms, struct error *err)
{
	struct maildir_wait	 mw = { maildir_account_get(a), f, cache };
	int			 set;

	/* No watch (no inotify left, no directory): poll instead. */
	if ((set = maildir_watch(mw.ma, f, err)) == -1)
		log_info("maildir", "%s: not watched: %s", f->remote_name,
		    err->msg);
	return store_watch_run(&mw.ma->watch, set, maildir_wait_sync, &mw,
	    cmd_fd, a->wake_fd, timeout_ms, err);
}

/* The vtable. */
const struct driver_ops maildir_driver_ops = {
	.name = "maildir",
	.caps = DRIVER_CAP_FOLDERS | DRIVER_CAP_FLAGS | DRIVER_CAP_IDLE |
	    DRIVER_CAP_MOVE | DRIVER_CAP_SEARCH | DRIVER_CAP_APPEND |
	    DRIVER_CAP_FOLDER_EDIT,
	.new = maildir_new,
	.free = maildir_free,
	.open = maildir_open,
	.close = maildir_close,
	.list_folders = maildir_list_folders,
	.sync_folder = maildir_sync_folder,
	.fetch_message = maildir_fetch_message,
	.store_flags = maildir_store_flags,
	.copy = maildir_copy,
	.move = maildir_move,
	.expunge = maildir_expunge,
	.append = maildir_append,
	.create_folder = maildir_create_folder,
	.rename_folder = maildir_rename_folder,
	.delete_folder = maildir_delete_folder,
	.search = maildir_search,
	.wait_changes = maildir_wait_changes,
};

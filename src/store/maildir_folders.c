/*
 * maildir_folders.c - the Maildir++ folder list, and creating, renaming
 * and deleting folders.
 *
 * The folders are INBOX (the root) and every directory ".NAME" of the
 * root that holds cur/ or new/ (so ".notmuch" and the like are not
 * folders).  A level without its own directory (".a.b" but no ".a") is
 * listed as \Noselect, as an IMAP server shows it.  Roles come from
 * common names ("Sent", "Trash", ...), a top-level folder first.
 *
 * Creating makes ".NAME" with cur/, new/, tmp/ and the "maildirfolder"
 * marker Maildir++ asks for.  Renaming renames ".OLD" and every
 * ".OLD.CHILD" (Maildir++ is flat on disk) and moves the cached rows with
 * them (cache_folder_rename), so nothing is downloaded again.  Deleting
 * first renames the folder into the root's tmp/ (atomic: no reader sees
 * half a folder), then removes it there; a folder with subfolders is
 * refused.  INBOX can be neither renamed nor deleted.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/maildir.h"
#include "store/store_file.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* Most folders one Maildir++ root may list. */
#define MAILDIR_FOLDERS_MAX	100000

struct maildir_flist {
	char		**remote;
	unsigned	 *attrs;
	size_t		  n;
	size_t		  cap;
};

/* Add a remote name unless listed. */
static void
maildir_flist_add(struct maildir_flist *l, const char *remote, size_t len,
    unsigned attrs)
{
	for (size_t i = 0; i < l->n; i++) {
		if (strlen(l->remote[i]) == len &&
		    strncmp(l->remote[i], remote, len) == 0) {
			l->attrs[i] &= attrs;	/* a real folder wins */
			return;
		}
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->remote = xreallocarray(l->remote, l->cap, sizeof *l->remote);
		l->attrs = xreallocarray(l->attrs, l->cap, sizeof *l->attrs);
	}
	l->remote[l->n] = xstrndup(remote, len);
	l->attrs[l->n++] = attrs;
}

/* Free a folder list. */
static void
maildir_flist_free(struct maildir_flist *l)
{
	cache_strv_free(l->remote, l->n);
	free(l->attrs);
	memset(l, 0, sizeof *l);
}

/* Whether root/NAME is a folder: a directory holding cur/ or new/. */
static bool
maildir_is_folder(const char *root, const char *name)
{
	struct stat	 st;
	char		*p;
	bool		 yes;

	p = xasprintf("%s/%s/cur", root, name);
	yes = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
	free(p);
	if (!yes) {
		p = xasprintf("%s/%s/new", root, name);
		yes = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
		free(p);
	}
	return yes;
}

/* Read the root's folders, with implied parents as \Noselect. */
static int
maildir_flist_read(const char *root, struct maildir_flist *l,
    struct error *err)
{
	struct dirent	*de;
	DIR		*d;
	const char	*dot;
	size_t		 real;

	maildir_flist_add(l, "INBOX", 5, 0);
	if ((d = opendir(root)) == NULL)
		return error_sys(err, ERR_SCOPE_ACCOUNT, errno, "%s", root);
	while ((de = readdir(d)) != NULL) {
		if (!maildir_is_folder_dir(de->d_name) ||
		    (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN &&
		    de->d_type != DT_LNK) ||
		    !maildir_is_folder(root, de->d_name))
			continue;
		if (l->n >= MAILDIR_FOLDERS_MAX)
			break;
		maildir_flist_add(l, de->d_name + 1, strlen(de->d_name + 1), 0);
	}
	closedir(d);
	real = l->n;
	for (size_t i = 1; i < real; i++) {
		for (dot = strchr(l->remote[i], '.'); dot != NULL;
		    dot = strchr(dot + 1, '.'))
			maildir_flist_add(l, l->remote[i],
			    (size_t)(dot - l->remote[i]),
			    CACHE_FOLDER_NOSELECT);
	}
	return 0;
}

/* How deep a folder is: the number of '.' in its remote name. */
static size_t
maildir_depth(const char *remote)
{
	size_t	n = 0;

	for (; *remote != '\0'; remote++)
		n += *remote == '.';
	return n;
}

/* Give each role to one folder, shallower folders first. */
static int
maildir_flist_roles(struct cache *cache, const struct maildir_flist *l,
    const int64_t *ids, char **names, struct error *err)
{
	enum cache_role	 role, *roles;
	bool		 taken[CACHE_ROLE_ARCHIVE + 1];
	size_t		 depth, max = 0, i;
	int		 rc = 0;

	memset(taken, 0, sizeof taken);
	roles = xcalloc(l->n + 1, sizeof *roles);
	roles[0] = CACHE_ROLE_INBOX;	/* INBOX is always first */
	for (i = 1; i < l->n; i++) {
		if (maildir_depth(l->remote[i]) > max)
			max = maildir_depth(l->remote[i]);
	}
	for (depth = 0; depth <= max; depth++) {
		for (i = 1; i < l->n; i++) {
			if (maildir_depth(l->remote[i]) != depth ||
			    (l->attrs[i] & CACHE_FOLDER_NOSELECT))
				continue;
			role = maildir_folder_role(names[i]);
			if (role == CACHE_ROLE_NONE || taken[role])
				continue;
			roles[i] = role;
			taken[role] = true;
		}
	}
	for (i = 0; i < l->n && rc == 0; i++)
		rc = cache_folder_set_role(cache, ids[i], roles[i], err);
	free(roles);
	return rc;
}

/* Write the list, prune the rest, set roles: one transaction. */
static int
maildir_flist_store(struct maildir_account *ma, struct cache *cache,
    const struct maildir_flist *l, struct error *err)
{
	int64_t	*ids;
	char	**names;
	size_t	 i;
	int	 rc = -1;

	ids = xcalloc(l->n + 1, sizeof *ids);
	names = xcalloc(l->n + 1, sizeof *names);
	for (i = 0; i < l->n; i++)
		names[i] = i == 0 ? xstrdup("INBOX") :
		    maildir_folder_display(l->remote[i]);
	if (cache_begin(cache, err) == -1)
		goto out;
	for (i = 0; i < l->n; i++) {
		if (cache_folder_put(cache, ma->base.cache_id, l->remote[i],
		    names[i], '.', l->attrs[i], &ids[i], err) == -1)
			goto out;
	}
	if (cache_folder_prune(cache, ma->base.cache_id,
	    (const char *const *)l->remote, l->n, err) == -1 ||
	    maildir_flist_roles(cache, l, ids, names, err) == -1 ||
	    cache_commit(cache, err) == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1)
		cache_rollback(cache);
	cache_strv_free(names, l->n);
	free(ids);
	return rc;
}

/* Refresh the cache's folder list (driver_ops.list_folders). */
int
maildir_list_folders(struct account *a, struct cache *cache,
    struct error *err)
{
	struct maildir_account	*ma = maildir_account_get(a);
	struct maildir_flist	 l;
	int			 rc;

	memset(&l, 0, sizeof l);
	rc = maildir_flist_read(a->cfg->path, &l, err);
	if (rc == 0)
		rc = maildir_flist_store(ma, cache, &l, err);
	if (rc == 0)
		account_status(a, "%zu folders", l.n);
	maildir_flist_free(&l);
	return rc;
}

/* Make a folder's directory, its cur/ new/ tmp/ and its marker. */
static int
maildir_make_folder(const char *dir, struct error *err)
{
	static const char *const	 subs[] = { "cur", "new", "tmp" };
	char				*p;
	int				 fd, rc = 0;

	if (mkdir(dir, 0700) == -1)
		return error_sys(err, ERR_SCOPE_OP, errno, "mkdir %s", dir);
	for (size_t i = 0; i < 3 && rc == 0; i++) {
		p = xasprintf("%s/%s", dir, subs[i]);
		rc = store_mkdir(p, err);
		free(p);
	}
	p = xasprintf("%s/maildirfolder", dir);
	if (rc == 0 && (fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC,
	    0600)) != -1)
		close(fd);
	free(p);
	return rc;
}

/* Create a folder (driver_ops.create_folder). */
int
maildir_create_folder(struct account *a, const char *name,
    struct cache *cache, struct error *err)
{
	struct maildir_account	*ma = maildir_account_get(a);
	struct stat		 st;
	char			*remote, *dir;
	int			 rc;

	if (maildir_writable(ma, "create folder", err) == -1)
		return -1;
	if ((remote = maildir_folder_remote(name, err)) == NULL)
		return -1;
	dir = xasprintf("%s/.%s", a->cfg->path, remote);
	if (lstat(dir, &st) == 0)
		rc = error_set(err, ERR_SERVER, ERR_SCOPE_OP,
		    "folder %s exists already", name);
	else
		rc = maildir_make_folder(dir, err);
	free(dir);
	free(remote);
	if (rc == 0)
		rc = maildir_list_folders(a, cache, err);
	return rc;
}

/* Rename root/.OLD[.CHILD] to root/.NEW[.CHILD]; the cache follows. */
static int
maildir_rename_one(struct maildir_account *ma, struct cache *cache,
    const char *old, const char *from, const char *to, struct error *err)
{
	struct cache_folder	 f;
	struct stat		 st;
	char			*src, *dst, *remote, *name;
	int			 rc = 0;

	memset(&f, 0, sizeof f);
	remote = xasprintf("%s%s", to, old + strlen(from));
	src = xasprintf("%s/.%s", ma->base.cfg->path, old);
	dst = xasprintf("%s/.%s", ma->base.cfg->path, remote);
	if (lstat(dst, &st) == 0)
		rc = error_set(err, ERR_SERVER, ERR_SCOPE_OP,
		    "a folder %s exists already", remote);
	else if (rename(src, dst) == -1)
		rc = error_sys(err, ERR_SCOPE_OP, errno, "rename %s", src);
	else if ((rc = cache_folder_find(cache, ma->base.cache_id, old, &f,
	    err)) == 0) {
		name = maildir_folder_display(remote);
		rc = cache_folder_rename(cache, f.id, remote, name, err);
		maildir_index_drop(ma, f.id);
		free(name);
	}
	cache_folder_fini(&f);
	free(remote);
	free(src);
	free(dst);
	return rc == -1 ? -1 : 0;	/* not cached (1): the list adds it */
}

/* The listed folders that are f or below it, on disk. */
static int
maildir_subtree(struct maildir_account *ma, const char *remote,
    struct maildir_flist *sub, struct error *err)
{
	struct maildir_flist	 l;
	size_t			 len = strlen(remote);

	memset(&l, 0, sizeof l);
	memset(sub, 0, sizeof *sub);
	if (maildir_flist_read(ma->base.cfg->path, &l, err) == -1)
		return -1;
	for (size_t i = 1; i < l.n; i++) {
		if (!(l.attrs[i] & CACHE_FOLDER_NOSELECT) &&
		    strncmp(l.remote[i], remote, len) == 0 &&
		    (l.remote[i][len] == '\0' || l.remote[i][len] == '.'))
			maildir_flist_add(sub, l.remote[i], strlen(l.remote[i]),
			    0);
	}
	maildir_flist_free(&l);
	return 0;
}

/* Rename a folder and its subfolders (driver_ops.rename_folder). */
int
maildir_rename_folder(struct account *a, const struct cache_folder *f,
    const char *new_name, struct cache *cache, struct error *err)
{
	struct maildir_account	*ma = maildir_account_get(a);
	struct maildir_flist	 sub;
	char			*to;
	int			 rc = -1;

	memset(&sub, 0, sizeof sub);
	if (maildir_writable(ma, "rename folder", err) == -1)
		return -1;
	if (strcmp(f->remote_name, "INBOX") == 0)
		return error_set(err, ERR_UNSUPPORTED, ERR_SCOPE_OP,
		    "INBOX cannot be renamed");
	if ((to = maildir_folder_remote(new_name, err)) == NULL)
		return -1;
	if (strcmp(to, f->remote_name) == 0) {
		rc = 0;
		goto out;
	}
	if (maildir_subtree(ma, f->remote_name, &sub, err) == -1)
		goto out;
	rc = 0;
	for (size_t i = 0; i < sub.n && rc == 0; i++)
		rc = maildir_rename_one(ma, cache, sub.remote[i],
		    f->remote_name, to, err);
	if (rc == 0)
		rc = maildir_list_folders(a, cache, err);
out:
	maildir_flist_free(&sub);
	free(to);
	return rc;
}

/* Empty a directory of its files, then remove it. */
static int
maildir_rmdir_files(const char *dir, struct error *err)
{
	struct dirent	*de;
	DIR		*d;
	char		*p;
	int		 rc = 0;

	if ((d = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : error_sys(err, ERR_SCOPE_OP,
		    errno, "%s", dir);
	while ((de = readdir(d)) != NULL && rc == 0) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		if (unlink(p) == -1 && errno != ENOENT)
			rc = error_sys(err, ERR_SCOPE_OP, errno, "unlink %s",
			    p);
		free(p);
	}
	closedir(d);
	if (rc == 0 && rmdir(dir) == -1)
		rc = error_sys(err, ERR_SCOPE_OP, errno, "rmdir %s", dir);
	return rc;
}

/* Remove a folder's directory tree (cur/ new/ tmp/ and its files). */
static int
maildir_remove_tree(const char *dir, struct error *err)
{
	static const char *const	 subs[] = { "cur", "new", "tmp" };
	char				*p;
	int				 rc = 0;

	for (size_t i = 0; i < 3 && rc == 0; i++) {
		p = xasprintf("%s/%s", dir, subs[i]);
		rc = maildir_rmdir_files(p, err);
		free(p);
	}
	return rc == 0 ? maildir_rmdir_files(dir, err) : -1;
}

/* Move a folder's directory into the root's tmp/ and remove it there. */
static int
maildir_delete_dir(struct maildir_account *ma, const char *remote,
    bool *leftover, struct error *err)
{
	const char	*root = ma->base.cfg->path;
	char		*src, *tmp, *u;
	int		 rc;

	src = xasprintf("%s/.%s", root, remote);
	u = maildir_new_unique(ma);
	tmp = xasprintf("%s/tmp", root);
	if ((rc = store_mkdir(tmp, err)) == 0) {
		free(tmp);
		tmp = xasprintf("%s/tmp/deleted.%s", root, u);
		if (rename(src, tmp) == -1)
			rc = error_sys(err, ERR_SCOPE_OP, errno, "rename %s",
			    src);
	}
	if (rc == 0 && maildir_remove_tree(tmp, err) == -1) {
		error_prefix(err, "folder deleted, but files remain in "
		    "%s/tmp", root);
		*leftover = true;
	}
	free(src);
	free(tmp);
	free(u);
	return rc;
}

/* Delete a folder without subfolders (driver_ops.delete_folder). */
int
maildir_delete_folder(struct account *a, const struct cache_folder *f,
    struct cache *cache, struct error *err)
{
	struct maildir_account	*ma = maildir_account_get(a);
	struct maildir_flist	 sub;
	struct error		 left;
	bool			 leftover = false;
	int			 rc = -1;

	if (maildir_writable(ma, "delete folder", err) == -1)
		return -1;
	if (strcmp(f->remote_name, "INBOX") == 0)
		return error_set(err, ERR_UNSUPPORTED, ERR_SCOPE_OP,
		    "INBOX cannot be deleted");
	if (maildir_subtree(ma, f->remote_name, &sub, err) == -1)
		return -1;
	if (sub.n > 1 || (sub.n == 1 && strcmp(sub.remote[0],
	    f->remote_name) != 0)) {
		error_set(err, ERR_UNSUPPORTED, ERR_SCOPE_OP,
		    "%s has subfolders: delete them first", f->name);
		goto out;
	}
	error_clear(&left);
	if (sub.n == 1 && maildir_delete_dir(ma, f->remote_name, &leftover,
	    &left) == -1) {
		*err = left;
		goto out;
	}
	maildir_index_drop(ma, f->id);
	rc = maildir_list_folders(a, cache, err);
	if (rc == 0 && leftover) {
		*err = left;
		rc = -1;
	}
out:
	maildir_flist_free(&sub);
	return rc;
}

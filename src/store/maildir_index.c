/*
 * maildir_index.c - which files a Maildir folder holds, by unique part.
 *
 * A scan reads new/ and cur/ (never tmp/, where files are still being
 * written) and sorts what it found by unique part.  Names starting with
 * '.' are skipped, as the spec asks.  If a unique part appears twice
 * (a program died between link and unlink, or copied carelessly), the
 * cur/ file wins and the other is ignored.  The account keeps one index
 * per folder it used; a caller that does not find a file where the index
 * said rescans (another program renamed it), which is the whole of the
 * race handling: rename(2) and unlink(2) either find the name or fail
 * with ENOENT.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/maildir.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* The directory of a folder: the root for INBOX, else root/.REMOTE. */
char *
maildir_folder_dir(struct maildir_account *ma, const char *remote,
    struct error *err)
{
	char	*d;

	if (strcmp(remote, "INBOX") == 0)
		return xstrdup(ma->base.cfg->path);
	d = xasprintf(".%s", remote);
	if (strchr(remote, '/') != NULL || !maildir_is_folder_dir(d)) {
		free(d);
		error_set(err, ERR_NOTFOUND, ERR_SCOPE_FOLDER,
		    "not a Maildir++ folder name: %s", remote);
		return NULL;
	}
	free(d);
	return xasprintf("%s/.%s", ma->base.cfg->path, remote);
}

/* Free an index's entries (the index stays usable, empty). */
static void
maildir_index_clear(struct maildir_index *idx)
{
	for (size_t i = 0; i < idx->n; i++) {
		free(idx->v[i].uniq);
		free(idx->v[i].name);
	}
	free(idx->v);
	idx->v = NULL;
	idx->n = 0;
}

/* Free an index. */
void
maildir_index_fini(struct maildir_index *idx)
{
	maildir_index_clear(idx);
	free(idx->dir);
	idx->dir = NULL;
}

/* Add the files of dir/sub to the entries. */
static int
maildir_index_read(const char *dir, const char *sub, bool in_new,
    struct maildir_index *idx, size_t *cap, struct error *err)
{
	struct maildir_entry	*e;
	struct dirent		*de;
	DIR			*d;
	char			*path;
	int			 rc = 0;

	path = xasprintf("%s/%s", dir, sub);
	if ((d = opendir(path)) == NULL) {
		if (errno != ENOENT)	/* no new/ or cur/: nothing there */
			rc = error_sys(err, ERR_SCOPE_FOLDER, errno, "%s",
			    path);
		free(path);
		return rc;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || de->d_type == DT_DIR)
			continue;
		if (idx->n >= MAILDIR_FILES_MAX) {
			rc = error_set(err, ERR_TOOBIG, ERR_SCOPE_FOLDER,
			    "%s: more than %d files", path, MAILDIR_FILES_MAX);
			break;
		}
		if (idx->n == *cap) {
			*cap = *cap ? *cap * 2 : 256;
			idx->v = xreallocarray(idx->v, *cap, sizeof *idx->v);
		}
		e = &idx->v[idx->n++];
		e->name = xstrdup(de->d_name);
		e->uniq = xstrndup(de->d_name, maildir_uniq_len(de->d_name));
		e->in_new = in_new;
		e->flags = in_new ? 0 : maildir_name_flags(de->d_name);
	}
	closedir(d);
	free(path);
	return rc;
}

/* Order by unique part, cur/ before new/. */
static int
maildir_index_cmp(const void *a, const void *b)
{
	const struct maildir_entry	*x = a, *y = b;
	int				 c = strcmp(x->uniq, y->uniq);

	if (c != 0)
		return c;
	return (int)x->in_new - (int)y->in_new;
}

/* Drop the second and later entries of a unique part. */
static void
maildir_index_dedup(struct maildir_index *idx)
{
	size_t	i, o = 0;

	for (i = 0; i < idx->n; i++) {
		if (o > 0 && strcmp(idx->v[o - 1].uniq, idx->v[i].uniq) == 0) {
			log_warn("maildir", "%s: two files named %s: using %s",
			    idx->dir, idx->v[i].uniq, idx->v[o - 1].name);
			free(idx->v[i].uniq);
			free(idx->v[i].name);
			continue;
		}
		idx->v[o++] = idx->v[i];
	}
	idx->n = o;
}

/* Scan dir's new/ and cur/ into idx (replacing what it held). */
int
maildir_index_scan(const char *dir, struct maildir_index *idx,
    struct error *err)
{
	size_t	cap = 0;

	maildir_index_clear(idx);
	if (idx->dir == NULL || strcmp(idx->dir, dir) != 0) {
		free(idx->dir);
		idx->dir = xstrdup(dir);
	}
	if (maildir_index_read(dir, "new", true, idx, &cap, err) == -1 ||
	    maildir_index_read(dir, "cur", false, idx, &cap, err) == -1) {
		maildir_index_clear(idx);
		return -1;
	}
	if (idx->n > 1)
		qsort(idx->v, idx->n, sizeof *idx->v, maildir_index_cmp);
	maildir_index_dedup(idx);
	return 0;
}

/* The entry with this unique part, or NULL. */
struct maildir_entry *
maildir_index_find(const struct maildir_index *idx, const char *uniq)
{
	size_t	lo = 0, hi = idx->n, mid;
	int	c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(uniq, idx->v[mid].uniq);
		if (c == 0)
			return &idx->v[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* The account's index of a folder, scanned now if asked or not known. */
struct maildir_index *
maildir_index_get(struct maildir_account *ma, const struct cache_folder *f,
    bool rescan, struct error *err)
{
	struct maildir_index	*idx = NULL;
	char			*dir;
	size_t			 i;

	if ((dir = maildir_folder_dir(ma, f->remote_name, err)) == NULL)
		return NULL;
	for (i = 0; i < ma->nidx && idx == NULL; i++) {
		if (ma->idx[i].folder_id == f->id)
			idx = &ma->idx[i];
	}
	if (idx == NULL) {
		ma->idx = xreallocarray(ma->idx, ma->nidx + 1, sizeof *ma->idx);
		idx = &ma->idx[ma->nidx++];
		memset(idx, 0, sizeof *idx);
		idx->folder_id = f->id;
		rescan = true;
	} else if (strcmp(idx->dir, dir) != 0)
		rescan = true;	/* the folder was renamed */
	if (rescan && maildir_index_scan(dir, idx, err) == -1)
		idx = NULL;
	free(dir);
	return idx;
}

/* Forget a folder's index (deleted or renamed folder). */
void
maildir_index_drop(struct maildir_account *ma, int64_t folder_id)
{
	for (size_t i = 0; i < ma->nidx; i++) {
		if (ma->idx[i].folder_id != folder_id)
			continue;
		maildir_index_fini(&ma->idx[i]);
		ma->idx[i] = ma->idx[--ma->nidx];
		return;
	}
}

/* The full path of an entry's file. */
char *
maildir_entry_path(const struct maildir_index *idx,
    const struct maildir_entry *e)
{
	return xasprintf("%s/%s/%s", idx->dir, e->in_new ? "new" : "cur",
	    e->name);
}

/*
 * maildir_move.c - messages into other folders: copy, move, append.
 *
 * A copy is a new delivery into the target (maildir_deliver: tmp/, then
 * cur/ under a new unique name) of the source file's bytes, flags and
 * mtime.  A move keeps the file's bytes where they are: link(2) it into
 * the target's cur/ under a new unique name, then unlink the source.  A
 * new name, because a name may carry what is only true in its folder
 * (mbsync's ",U=uid"); link never replaces a file, and a target on
 * another file system (EXDEV) or one without hard links gets a copy.  An
 * append (Sent, Drafts) is a delivery of the given bytes with the given
 * flags and date.
 *
 * The cache follows what was done: the source rows of moved messages are
 * removed and each new file gets its row in the target (read back from
 * the file), so the UI shows the result without a resync.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/maildir.h"
#include "store/store_file.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* Where a message went (or NULL if it was gone already). */
struct maildir_placed {
	char		*uniq;
	char		*path;
	unsigned	 flags;
};

/* The source file of a message, rescanning once; NULL if it is gone. */
static char *
maildir_source(struct maildir_account *ma, const struct cache_folder *f,
    const char *uniq, unsigned *flags, struct error *err, int *rc)
{
	struct maildir_index	*idx;
	struct maildir_entry	*e;
	char			*path;
	struct stat		 st;

	*rc = 0;
	for (int pass = 0; pass < 2; pass++) {
		if ((idx = maildir_index_get(ma, f, pass > 0, err)) == NULL) {
			*rc = -1;
			return NULL;
		}
		if ((e = maildir_index_find(idx, uniq)) == NULL)
			continue;
		path = maildir_entry_path(idx, e);
		if (lstat(path, &st) == 0) {
			*flags = e->flags;
			return path;
		}
		free(path);
	}
	return NULL;
}

/* Copy one file into dir under a new name. */
static int
maildir_copy_file(struct maildir_account *ma, const char *src,
    const char *dir, unsigned flags, struct maildir_placed *p,
    struct error *err)
{
	struct stat	st;
	int		fd, rc;

	if ((rc = store_file_open(src, &fd, &st, err)) != 0)
		return rc;
	rc = maildir_deliver(ma, dir, fd, NULL, 0, flags,
	    (int64_t)st.st_mtime, &p->uniq, &p->path, err);
	close(fd);
	p->flags = flags;
	return rc;
}

/*
 * Move one file into dir's cur/ under a new unique name: a hard link, then
 * the source unlinked (no byte copied, nothing replaced); a copy where the
 * target cannot link to it.  1 if the source is gone (renamed meanwhile).
 */
static int
maildir_move_file(struct maildir_account *ma, const char *src,
    const char *dir, unsigned flags, struct maildir_placed *p,
    struct error *err)
{
	char	*cur, *uniq = NULL, *name, *dst = NULL;
	int	 rc = EEXIST, e, tries;

	cur = xasprintf("%s/cur", dir);
	if (store_mkdir(cur, err) == -1) {
		free(cur);
		return -1;
	}
	for (tries = 0; tries < 16 && rc == EEXIST; tries++) {
		free(uniq);
		free(dst);
		uniq = maildir_new_unique(ma);
		name = maildir_name_with_flags(uniq, flags);
		dst = xasprintf("%s/%s", cur, name);
		free(name);
		rc = link(src, dst) == 0 ? 0 : errno;
	}
	free(cur);
	if (rc == 0) {
		p->uniq = uniq;
		p->path = dst;
		p->flags = flags;
		if (unlink(src) == -1 && errno != ENOENT)
			log_warn("maildir", "unlink %s: %s", src,
			    strerror(errno));
		return 0;
	}
	free(uniq);
	free(dst);
	if (rc == ENOENT)
		return 1;	/* renamed meanwhile: the caller rescans */
	/* Another file system, no hard links: copy instead. */
	if ((e = maildir_copy_file(ma, src, dir, flags, p, err)) != 0)
		return e;
	if (unlink(src) == -1 && errno != ENOENT)
		log_warn("maildir", "unlink %s: %s", src, strerror(errno));
	return 0;
}

/* Put the rows of the placed files (and drop moved sources). */
static int
maildir_place_store(struct cache *cache, const struct cache_folder *from,
    const char *const *ids, const struct cache_folder *to,
    const struct maildir_placed *p, size_t n, bool moved, struct error *err)
{
	struct error	e2;
	int		rc = 0;

	if (n == 0)
		return 0;
	if (cache_begin(cache, err) == -1)
		return -1;
	for (size_t i = 0; i < n && rc != -1; i++) {
		if (moved)
			rc = cache_msg_remove(cache, from->id, ids[i], err);
		if (rc != -1 && p[i].path != NULL &&
		    maildir_put_file(cache, to->id, p[i].path, p[i].uniq,
		    p[i].flags, &e2) == -1) {
			if (e2.code == ERR_CACHE) {
				*err = e2;
				rc = -1;
			} else	/* the next sync of the target reads it */
				log_warn("maildir", "%s", e2.msg);
		}
	}
	if (rc == -1 || cache_commit(cache, err) == -1) {
		cache_rollback(cache);
		return -1;
	}
	return 0;
}

/* Copy or move messages into another folder of the account. */
static int
maildir_transfer(struct maildir_account *ma, const struct cache_folder *from,
    const char *const *ids, size_t n, const struct cache_folder *to,
    bool move, struct cache *cache, struct error *err)
{
	struct maildir_placed	*p;
	struct error		 e2;
	unsigned		 flags = 0;
	char			*dir, *src;
	size_t			 i, done = 0;
	int			 rc = 0, r;

	if (maildir_writable(ma, move ? "move" : "copy", err) == -1)
		return -1;
	if ((dir = maildir_folder_dir(ma, to->remote_name, err)) == NULL)
		return -1;
	p = xcalloc(n + 1, sizeof *p);
	for (i = 0; i < n && rc == 0; i++, done = i) {
		for (int pass = 0; pass < 2; pass++) {
			src = maildir_source(ma, from, ids[i], &flags, err,
			    &rc);
			if (src == NULL)
				break;	/* gone (or rc -1) */
			r = move ? maildir_move_file(ma, src, dir, flags,
			    &p[i], err) : maildir_copy_file(ma, src, dir, flags,
			    &p[i], err);
			free(src);
			if (r == -1)
				rc = -1;
			if (r != 1)
				break;
			(void)maildir_index_get(ma, from, true, err);
		}
	}
	/* Record what was done, even when a later message failed. */
	if (maildir_place_store(cache, from, ids, to, p, rc == 0 ? n : done - 1,
	    move, rc == 0 ? err : &e2) == -1)
		rc = -1;
	for (i = 0; i < n; i++) {
		free(p[i].uniq);
		free(p[i].path);
	}
	free(p);
	free(dir);
	return rc;
}

/* Copy messages (driver_ops.copy). */
int
maildir_copy(struct account *a, const struct cache_folder *from,
    const char *const *ids, size_t n, const struct cache_folder *to,
    struct cache *cache, struct error *err)
{
	return maildir_transfer(maildir_account_get(a), from, ids, n, to,
	    false, cache, err);
}

/* Move messages (driver_ops.move). */
int
maildir_move(struct account *a, const struct cache_folder *from,
    const char *const *ids, size_t n, const struct cache_folder *to,
    struct cache *cache, struct error *err)
{
	return maildir_transfer(maildir_account_get(a), from, ids, n, to,
	    true, cache, err);
}

/* Deliver a message into a folder (driver_ops.append). */
int
maildir_append(struct account *a, const struct cache_folder *f,
    const char *raw, size_t len, unsigned flags, int64_t date,
    struct cache *cache, struct error *err)
{
	struct maildir_account	*ma = maildir_account_get(a);
	struct cache_msg	 m;
	char			*dir, *uniq, *path;
	int			 rc;

	if (maildir_writable(ma, "append", err) == -1)
		return -1;
	if ((dir = maildir_folder_dir(ma, f->remote_name, err)) == NULL)
		return -1;
	rc = maildir_deliver(ma, dir, -1, raw, len, flags, date, &uniq, &path,
	    err);
	free(dir);
	if (rc == -1)
		return -1;
	store_msg_fill(&m, f->id, uniq, raw, len, date > 0 ? date :
	    (int64_t)time(NULL), (int64_t)len,
	    maildir_name_flags(strrchr(path, '/') + 1));
	if ((rc = cache_begin(cache, err)) == 0) {
		if (cache_msg_put(cache, &m, err) == 0 &&
		    cache_commit(cache, err) == 0)
			rc = 0;
		else {
			cache_rollback(cache);
			rc = -1;
		}
	}
	cache_msg_fini(&m);
	free(uniq);
	free(path);
	return rc;
}

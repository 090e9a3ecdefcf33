/*
 * maildir_sync.c - bringing a Maildir folder's cache rows up to date, and
 * reading one message.
 *
 * A sync scans new/ and cur/ (maildir_index.c), moves what is in new/ to
 * cur/ with an empty info part ":2," (the spec's "a reader moves new mail
 * to cur", skipped on read-only accounts), and compares the files with
 * the cached rows (remote id and flags, cache_msg_flags), both sorted by
 * unique part:
 *
 * - a file the cache does not know is new: its first STORE_HEADER_MAX
 *   bytes are read and parsed (Date:, else the file's mtime; the size is
 *   the file's);
 * - a known file whose flags differ was renamed: only the flags change,
 *   nothing is read;
 * - a cached row without a file was expunged or moved away: removed.
 *
 * So a resync of an unchanged folder of 10,000 messages reads two
 * directories and no file.  Rows are written in transactions of
 * MAILDIR_BATCH.  A file that vanishes between the scan and its reading
 * (another program renamed it) makes the sync scan once more.
 *
 * Reading a whole message (fetch) is bounded by MIME_BODY_MAX; searching
 * reads the first STORE_SEARCH_READ bytes of each file (store_search.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mime/mime.h"
#include "store/maildir.h"
#include "store/store_file.h"
#include "store/store_search.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define MAILDIR_SYNC_PASSES	3

struct maildir_sync {
	struct maildir_account		*ma;
	const struct cache_folder	*folder;
	struct cache			*cache;
	struct maildir_index		*idx;
	char				**ids;		/* cached */
	unsigned			*flags;
	size_t				*order;		/* ids sorted */
	size_t				 n;
	size_t				 batch;		/* writes in the txn */
	bool				 in_txn;
	bool				 again;		/* rescan needed */
	size_t				 changed;
	size_t				 parsed;
	size_t				 unreadable;
};

/* Open a transaction unless one is open; commit it every batch. */
static int
maildir_sync_write(struct maildir_sync *s, struct error *err)
{
	if (s->in_txn && s->batch >= MAILDIR_BATCH) {
		if (cache_commit(s->cache, err) == -1)
			return -1;
		s->in_txn = false;
		account_rows_written(&s->ma->base);	/* the list may show them */
	}
	if (!s->in_txn) {
		if (cache_begin(s->cache, err) == -1)
			return -1;
		s->in_txn = true;
		s->batch = 0;
	}
	s->batch++;
	s->changed++;
	return 0;
}

/* Read a file's header block into a new cache row. */
int
maildir_put_file(struct cache *cache, int64_t folder_id, const char *path,
    const char *uniq, unsigned flags, struct error *err)
{
	struct cache_msg	 m;
	struct stat		 st;
	struct buf		 b;
	bool			 eof;
	int			 fd, rc;

	if ((rc = store_file_open(path, &fd, &st, err)) != 0)
		return rc;
	buf_init(&b, STORE_HEADER_MAX);
	rc = store_file_read(fd, &b, STORE_HEADER_MAX, &eof, path, err);
	close(fd);
	if (rc == 0) {
		store_msg_fill(&m, folder_id, uniq, buf_str(&b), b.len,
		    (int64_t)st.st_mtime, (int64_t)st.st_size, flags);
		rc = cache_msg_put(cache, &m, err);
		cache_msg_fini(&m);
	}
	buf_fini(&b);
	return rc;
}

/* Move the files in new/ to cur/ (a reader has seen them). */
static int
maildir_sync_new(struct maildir_sync *s, struct error *err)
{
	struct maildir_entry	*e;
	char			*from, *to, *name, *cur;
	bool			 any = false;

	for (size_t i = 0; i < s->idx->n && !any; i++)
		any = s->idx->v[i].in_new;
	if (!any || s->ma->base.cfg->read_only)
		return 0;
	cur = xasprintf("%s/cur", s->idx->dir);
	if (store_mkdir(cur, err) == -1) {
		free(cur);
		return -1;
	}
	for (size_t i = 0; i < s->idx->n; i++) {
		e = &s->idx->v[i];
		if (!e->in_new)
			continue;
		name = strchr(e->name, ':') != NULL ? xstrdup(e->name) :
		    xasprintf("%s:2,", e->name);
		from = xasprintf("%s/new/%s", s->idx->dir, e->name);
		to = xasprintf("%s/%s", cur, name);
		if (rename(from, to) == 0) {
			free(e->name);
			e->name = name;
			e->in_new = false;
			e->flags = maildir_name_flags(name);
			name = NULL;
		} else if (errno == ENOENT)
			s->again = true;	/* someone else took it */
		else
			log_warn("maildir", "rename %s: %s", from,
			    strerror(errno));
		free(name);
		free(from);
		free(to);
	}
	free(cur);
	return 0;
}

/* A new file: read its header into a row. */
static int
maildir_sync_add(struct maildir_sync *s, const struct maildir_entry *e,
    struct error *err)
{
	struct error	 ferr;
	char		*path = maildir_entry_path(s->idx, e);
	int		 rc;

	if (maildir_sync_write(s, err) == -1) {
		free(path);
		return -1;
	}
	error_clear(&ferr);
	rc = maildir_put_file(s->cache, s->folder->id, path, e->uniq, e->flags,
	    &ferr);
	if (rc == 1)
		s->again = true;		/* renamed under our feet */
	else if (rc == -1 && ferr.code == ERR_CACHE) {
		*err = ferr;
		free(path);
		return -1;
	} else if (rc == -1) {
		log_warn("maildir", "%s", ferr.msg);
		s->unreadable++;
	}
	free(path);
	if (++s->parsed % 1000 == 0)
		account_status(&s->ma->base, "%s: headers %zu", s->folder->name,
		    s->parsed);
	return 0;
}

/* The cached ids in strcmp order (as indices into s->ids). */
static int
maildir_sync_cmp(const void *a, const void *b, void *arg)
{
	char	**ids = arg;

	return strcmp(ids[*(const size_t *)a], ids[*(const size_t *)b]);
}

/* Compare the files with the cached rows and write the differences. */
static int
maildir_sync_merge(struct maildir_sync *s, struct error *err)
{
	struct maildir_entry	*e;
	size_t			 i = 0, j = 0, k;
	int			 c;

	while (i < s->idx->n || j < s->n) {
		e = i < s->idx->n ? &s->idx->v[i] : NULL;
		k = j < s->n ? s->order[j] : 0;
		c = e == NULL ? 1 : j >= s->n ? -1 : strcmp(e->uniq,
		    s->ids[k]);
		if (c < 0) {
			if (maildir_sync_add(s, e, err) == -1)
				return -1;
			i++;
		} else if (c > 0) {
			if (maildir_sync_write(s, err) == -1 ||
			    cache_msg_remove(s->cache, s->folder->id, s->ids[k],
			    err) == -1)
				return -1;
			j++;
		} else {
			if ((s->flags[k] & ~CACHE_FLAG_RECENT) != e->flags &&
			    (maildir_sync_write(s, err) == -1 ||
			    cache_msg_set_flags(s->cache, s->folder->id,
			    e->uniq, e->flags, err) == -1))
				return -1;
			i++;
			j++;
		}
	}
	return 0;
}

/* One pass: scan, move new/, load the cache, merge. */
static int
maildir_sync_pass(struct maildir_sync *s, struct error *err)
{
	s->again = false;
	if ((s->idx = maildir_index_get(s->ma, s->folder, true, err)) == NULL)
		return -1;
	if (maildir_sync_new(s, err) == -1)
		return -1;
	cache_strv_free(s->ids, s->n);
	free(s->flags);
	free(s->order);
	s->ids = NULL;
	s->flags = NULL;
	s->order = NULL;
	if (cache_msg_flags(s->cache, s->folder->id, &s->ids, &s->flags, &s->n,
	    err) == -1)
		return -1;
	s->order = xreallocarray(NULL, s->n + 1, sizeof *s->order);
	for (size_t i = 0; i < s->n; i++)
		s->order[i] = i;
	qsort_r(s->order, s->n, sizeof *s->order, maildir_sync_cmp, s->ids);
	if (maildir_sync_merge(s, err) == -1)
		return -1;
	if (s->in_txn) {
		if (cache_commit(s->cache, err) == -1)
			return -1;
		s->in_txn = false;
	}
	return 0;
}

/* Sync a folder; *changed tells whether any row changed. */
int
maildir_sync_run(struct maildir_account *ma, const struct cache_folder *f,
    struct cache *cache, bool *changed, struct error *err)
{
	struct maildir_sync	 s;
	int			 rc = 0, pass;

	memset(&s, 0, sizeof s);
	s.ma = ma;
	s.folder = f;
	s.cache = cache;
	for (pass = 0; pass < MAILDIR_SYNC_PASSES && rc == 0; pass++) {
		rc = maildir_sync_pass(&s, err);
		if (!s.again)
			break;
		log_debug("maildir", "%s: files moved during the scan: again",
		    f->remote_name);
	}
	if (rc == -1 && s.in_txn)
		cache_rollback(cache);
	if (rc == 0 && s.unreadable > 0)
		account_status(&ma->base, "%s: %zu message%s could not be read",
		    f->name, s.unreadable, s.unreadable == 1 ? "" : "s");
	cache_strv_free(s.ids, s.n);
	free(s.flags);
	free(s.order);
	*changed = s.changed > 0;
	return rc;
}

/* Bring a folder's cached rows up to date (driver_ops.sync_folder). */
int
maildir_sync_folder(struct account *a, const struct cache_folder *f,
    struct cache *cache, struct error *err)
{
	bool	changed;

	return maildir_sync_run(maildir_account_get(a), f, cache, &changed,
	    err);
}

/* Find a message's file, rescanning once if it moved; 1 if gone. */
static int
maildir_fetch_open(struct maildir_account *ma, const struct cache_folder *f,
    const char *uniq, int *fd, struct stat *st, unsigned *flags,
    struct error *err)
{
	struct maildir_index	*idx;
	struct maildir_entry	*e;
	char			*path;
	int			 rc = 1;

	for (int pass = 0; pass < 2 && rc == 1; pass++) {
		if ((idx = maildir_index_get(ma, f, pass > 0, err)) == NULL)
			return -1;
		if ((e = maildir_index_find(idx, uniq)) == NULL)
			continue;
		path = maildir_entry_path(idx, e);
		rc = store_file_open(path, fd, st, err);
		*flags = e->flags;
		free(path);
	}
	return rc;
}

/* Read a whole message into the cache (driver_ops.fetch_message). */
int
maildir_fetch_message(struct account *a, const struct cache_folder *f,
    const char *uniq, struct cache *cache, struct error *err)
{
	struct maildir_account	*ma = maildir_account_get(a);
	struct cache_msg	 m;
	struct stat		 st;
	struct buf		 b;
	unsigned		 flags = 0;
	bool			 eof;
	int			 fd, rc;

	if ((rc = maildir_fetch_open(ma, f, uniq, &fd, &st, &flags,
	    err)) != 0) {
		if (rc == 1) {
			(void)cache_msg_remove(cache, f->id, uniq, err);
			rc = error_set(err, ERR_NOTFOUND, ERR_SCOPE_MESSAGE,
			    "the message is no longer in %s", f->name);
		}
		return rc;
	}
	buf_init(&b, (size_t)MIME_BODY_MAX + 1);
	rc = store_file_read(fd, &b, (size_t)MIME_BODY_MAX + 1, &eof,
	    f->name, err);
	close(fd);
	if (rc == 0 && !eof) {
		rc = error_set(err, ERR_TOOBIG, ERR_SCOPE_MESSAGE,
		    "message larger than %d bytes", MIME_BODY_MAX);
	}
	if (rc == 0) {
		store_msg_fill(&m, f->id, uniq, buf_str(&b), b.len,
		    (int64_t)st.st_mtime, (int64_t)st.st_size, flags);
		/* Row and body in one short transaction: both or neither. */
		if ((rc = cache_begin(cache, err)) == 0) {
			if (cache_msg_put(cache, &m, err) == 0 &&
			    cache_body_put(cache, m.id, buf_str(&b), b.len,
			    err) == 0 && cache_commit(cache, err) == 0)
				rc = 0;
			else {
				cache_rollback(cache);
				rc = -1;
			}
		}
		cache_msg_fini(&m);
	}
	buf_fini(&b);
	return rc;
}

/* Whether one file contains text (unreadable files do not). */
static bool
maildir_search_file(const char *path, const char *text)
{
	struct error	 err;
	struct stat	 st;
	struct buf	 b;
	bool		 eof, hit = false;
	int		 fd;

	if (store_file_open(path, &fd, &st, &err) != 0)
		return false;
	buf_init(&b, STORE_SEARCH_READ);
	if (store_file_read(fd, &b, STORE_SEARCH_READ, &eof, path, &err) == 0)
		hit = store_search_match(buf_str(&b), b.len, text);
	close(fd);
	buf_fini(&b);
	return hit;
}

/* Search the text of a folder's messages (driver_ops.search). */
int
maildir_search(struct account *a, const struct cache_folder *f,
    const char *text, char ***ids, size_t *n, struct error *err)
{
	struct maildir_index	*idx;
	struct store_hits	 h;
	char			*path;
	int			 rc = 0;

	memset(&h, 0, sizeof h);
	*ids = NULL;
	*n = 0;
	if ((idx = maildir_index_get(maildir_account_get(a), f, true,
	    err)) == NULL)
		return -1;
	for (size_t i = 0; i < idx->n && rc == 0; i++) {
		path = maildir_entry_path(idx, &idx->v[i]);
		if (maildir_search_file(path, text))
			rc = store_hits_add(&h, idx->v[i].uniq, err);
		free(path);
	}
	if (rc == -1) {
		store_hits_free(&h);
		return -1;
	}
	store_hits_take(&h, ids, n);
	return 0;
}

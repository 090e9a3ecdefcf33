/*
 * maildir_ops.c - changing Maildir messages in place: flags, expunge,
 * and delivering a new file.
 *
 * Flags live in the file name, so a flag change is one rename(2) from
 * the current name to "UNIQUE:2,LETTERS" in cur/ (a file still in new/
 * moves to cur/ with it): atomic, and another program sees either name.
 * If the name is gone (mbsync or another petrel renamed it meanwhile),
 * the folder is scanned again and the rename retried once with the new
 * name; a message gone for good is dropped from the cache, as an IMAP
 * server silently ignores a STORE to an expunged UID.
 *
 * Expunge unlinks the files of the given messages that still carry T
 * (trashed) in their name: a message another program undeleted is kept.
 *
 * Delivery (append, copy): a new unique name, the file written in tmp/
 * (O_EXCL, fsync), then link(2)ed into cur/ with its flags and the tmp/
 * name unlinked, as the spec describes; link never replaces an existing
 * file.  Where the file system has no hard links, rename(2) does it.
 */
#include <sys/stat.h>

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

#define MAILDIR_DELIVER_TRIES	16
#define MAILDIR_FLAG_BITS	(CACHE_FLAG_SEEN | CACHE_FLAG_ANSWERED | \
				    CACHE_FLAG_FLAGGED | CACHE_FLAG_DELETED | \
				    CACHE_FLAG_DRAFT)

/* What became of one message of a flag change or expunge. */
enum maildir_done {
	MAILDIR_KEPT = 0,	/* the file has these flags now */
	MAILDIR_GONE,		/* no such file: drop the row */
	MAILDIR_UNLINKED	/* expunged */
};

struct maildir_result {
	const char		*uniq;
	enum maildir_done	 done;
	unsigned		 flags;
};

/* Rename one message's file to carry flags; MAILDIR_GONE if none. */
static int
maildir_flag_one(struct maildir_account *ma, const struct cache_folder *f,
    struct maildir_result *r, unsigned add, unsigned remove,
    struct error *err)
{
	struct maildir_index	*idx;
	struct maildir_entry	*e;
	char			*name, *from, *to;
	int			 rc;

	for (int pass = 0; pass < 2; pass++) {
		if ((idx = maildir_index_get(ma, f, pass > 0, err)) == NULL)
			return -1;
		if ((e = maildir_index_find(idx, r->uniq)) == NULL)
			continue;
		r->flags = ((e->flags | add) & ~remove) & MAILDIR_FLAG_BITS;
		name = maildir_name_with_flags(e->name, r->flags);
		if (!e->in_new && strcmp(name, e->name) == 0) {
			free(name);
			r->done = MAILDIR_KEPT;
			return 0;
		}
		from = maildir_entry_path(idx, e);
		to = xasprintf("%s/cur/%s", idx->dir, name);
		rc = rename(from, to) == 0 ? 0 : errno;
		if (rc == 0) {
			free(e->name);
			e->name = name;
			e->in_new = false;
			e->flags = r->flags;
		} else {
			free(name);
			if (rc != ENOENT)
				error_sys(err, ERR_SCOPE_MESSAGE, rc,
				    "rename %s", from);
		}
		free(from);
		free(to);
		if (rc == 0) {
			r->done = MAILDIR_KEPT;
			return 0;
		}
		if (rc != ENOENT)
			return -1;
	}
	r->done = MAILDIR_GONE;
	return 0;
}

/* Unlink one message's file if it carries T; MAILDIR_GONE if none. */
static int
maildir_expunge_one(struct maildir_account *ma, const struct cache_folder *f,
    struct maildir_result *r, struct error *err)
{
	struct maildir_index	*idx;
	struct maildir_entry	*e;
	char			*path;
	int			 rc;

	for (int pass = 0; pass < 2; pass++) {
		if ((idx = maildir_index_get(ma, f, pass > 0, err)) == NULL)
			return -1;
		if ((e = maildir_index_find(idx, r->uniq)) == NULL)
			continue;
		r->flags = e->flags;
		if (!(e->flags & CACHE_FLAG_DELETED)) {
			r->done = MAILDIR_KEPT;	/* undeleted meanwhile */
			return 0;
		}
		path = maildir_entry_path(idx, e);
		rc = unlink(path) == 0 ? 0 : errno;
		if (rc != 0 && rc != ENOENT)
			error_sys(err, ERR_SCOPE_MESSAGE, rc, "unlink %s",
			    path);
		free(path);
		if (rc == 0) {
			r->done = MAILDIR_UNLINKED;
			return 0;
		}
		if (rc != ENOENT)
			return -1;
	}
	r->done = MAILDIR_GONE;
	return 0;
}

/* Write what happened to the messages into the cache, in one txn. */
static int
maildir_results_store(struct cache *cache, int64_t folder_id,
    const struct maildir_result *r, size_t n, struct error *err)
{
	size_t	i;
	int	rc = 0;

	if (n == 0)
		return 0;
	if (cache_begin(cache, err) == -1)
		return -1;
	for (i = 0; i < n && rc != -1; i++) {
		if (r[i].done == MAILDIR_KEPT)
			rc = cache_msg_set_flags(cache, folder_id, r[i].uniq,
			    r[i].flags, err);
		else
			rc = cache_msg_remove(cache, folder_id, r[i].uniq,
			    err);
	}
	if (rc == -1 || cache_commit(cache, err) == -1) {
		cache_rollback(cache);
		return -1;
	}
	return 0;
}

/*
 * Record the results of a loop that stopped at i (rc -1: message i - 1
 * failed, the ones before it are done); keeps the first error.
 */
static int
maildir_results_finish(struct cache *cache, int64_t folder_id,
    const struct maildir_result *r, size_t n, size_t i, int rc,
    struct error *err)
{
	struct error	e2;

	if (rc == 0)
		return maildir_results_store(cache, folder_id, r, n, err);
	(void)maildir_results_store(cache, folder_id, r, i - 1, &e2);
	return -1;
}

/* Add and remove flags (driver_ops.store_flags). */
int
maildir_store_flags(struct account *a, const struct cache_folder *f,
    const char *const *ids, size_t n, unsigned add, unsigned remove,
    struct cache *cache, struct error *err)
{
	struct maildir_account	*ma = maildir_account_get(a);
	struct maildir_result	*r;
	size_t			 i;
	int			 rc = 0;

	if (maildir_writable(ma, "flag change", err) == -1)
		return -1;
	r = xcalloc(n + 1, sizeof *r);
	for (i = 0; i < n && rc == 0; i++) {
		r[i].uniq = ids[i];
		rc = maildir_flag_one(ma, f, &r[i], add, remove, err);
	}
	/* What was renamed before a failure is recorded all the same. */
	rc = maildir_results_finish(cache, f->id, r, n, i, rc, err);
	free(r);
	return rc;
}

/* Remove messages marked T (driver_ops.expunge). */
int
maildir_expunge(struct account *a, const struct cache_folder *f,
    const char *const *ids, size_t n, struct cache *cache, struct error *err)
{
	struct maildir_account	*ma = maildir_account_get(a);
	struct maildir_result	*r;
	size_t			 i;
	int			 rc = 0;

	if (maildir_writable(ma, "expunge", err) == -1)
		return -1;
	r = xcalloc(n + 1, sizeof *r);
	for (i = 0; i < n && rc == 0; i++) {
		r[i].uniq = ids[i];
		rc = maildir_expunge_one(ma, f, &r[i], err);
	}
	rc = maildir_results_finish(cache, f->id, r, n, i, rc, err);
	free(r);
	return rc;
}

/* Write all of a buffer, or copy all of src_fd, to fd. */
static int
maildir_write_all(int fd, int src_fd, const char *raw, size_t len,
    const char *path, struct error *err)
{
	char	 chunk[65536];
	ssize_t	 r = 0, w;
	size_t	 off;

	for (;;) {
		if (src_fd != -1) {
			r = read(src_fd, chunk, sizeof chunk);
			if (r == -1 && errno == EINTR)
				continue;
			if (r == -1)
				return error_sys(err, ERR_SCOPE_MESSAGE, errno,
				    "read");
			if (r == 0)
				return 0;
			raw = chunk;
			len = (size_t)r;
		}
		for (off = 0; off < len; off += (size_t)w) {
			w = write(fd, raw + off, len - off);
			if (w == -1 && errno == EINTR)
				w = 0;
			else if (w == -1)
				return error_sys(err, ERR_SCOPE_OP, errno,
				    "write %s", path);
		}
		if (src_fd == -1)
			return 0;
	}
}

/* Write the tmp/ file: -1 error, 1 the name exists (try another). */
static int
maildir_deliver_tmp(const char *tmp, int src_fd, const char *raw,
    size_t len, int64_t date, struct error *err)
{
	struct timespec	 ts[2];
	int		 fd, rc;

	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1 && errno == EEXIST)
		return 1;
	if (fd == -1)
		return error_sys(err, ERR_SCOPE_OP, errno, "%s", tmp);
	rc = maildir_write_all(fd, src_fd, raw, len, tmp, err);
	if (rc == 0 && date > 0) {
		/* The arrival time readers (Dovecot) take from the mtime. */
		ts[0].tv_sec = ts[1].tv_sec = (time_t)date;
		ts[0].tv_nsec = ts[1].tv_nsec = 0;
		(void)futimens(fd, ts);
	}
	if (rc == 0 && fsync(fd) == -1)
		rc = error_sys(err, ERR_SCOPE_OP, errno, "fsync %s", tmp);
	if (close(fd) == -1 && rc == 0)
		rc = error_sys(err, ERR_SCOPE_OP, errno, "close %s", tmp);
	if (rc == -1)
		unlink(tmp);
	return rc;
}

/* Put tmp into place as dst without replacing anything; 1 if taken. */
static int
maildir_deliver_link(const char *tmp, const char *dst, struct error *err)
{
	struct stat	st;

	if (link(tmp, dst) == 0) {
		unlink(tmp);
		return 0;
	}
	if (errno == EEXIST)
		return 1;
	if (errno != EPERM && errno != ENOTSUP && errno != EMLINK &&
	    errno != ENOSYS)
		return error_sys(err, ERR_SCOPE_OP, errno, "link %s", dst);
	/* No hard links here: rename, having checked the name is free. */
	if (lstat(dst, &st) == 0)
		return 1;
	if (rename(tmp, dst) == -1)
		return error_sys(err, ERR_SCOPE_OP, errno, "rename %s", dst);
	return 0;
}

/* A new unique name for a file of this account. */
char *
maildir_new_unique(struct maildir_account *ma)
{
	return maildir_unique((int64_t)time(NULL), (long)getpid(),
	    ++ma->counter, ma->host);
}

/* Make tmp/, new/ and cur/ of a folder if missing. */
static int
maildir_deliver_dirs(const char *dir, struct error *err)
{
	static const char *const	 subs[] = { "tmp", "new", "cur" };
	char				*p;
	int				 rc = 0;

	for (size_t i = 0; i < 3 && rc == 0; i++) {
		p = xasprintf("%s/%s", dir, subs[i]);
		rc = store_mkdir(p, err);
		free(p);
	}
	return rc;
}

/*
 * Deliver a new file into dir's cur/ with flags: from src_fd (copied to
 * its end) or else from raw.  *uniq and *path get the new names.
 */
int
maildir_deliver(struct maildir_account *ma, const char *dir, int src_fd,
    const char *raw, size_t len, unsigned flags, int64_t date, char **uniq,
    char **path, struct error *err)
{
	char	*u = NULL, *tmp = NULL, *name = NULL, *dst = NULL;
	int	 rc = 1, tries;

	*uniq = *path = NULL;
	if (maildir_deliver_dirs(dir, err) == -1)
		return -1;
	for (tries = 0; tries < MAILDIR_DELIVER_TRIES && rc == 1; tries++) {
		free(u);
		free(tmp);
		free(name);
		free(dst);
		u = maildir_new_unique(ma);
		tmp = xasprintf("%s/tmp/%s", dir, u);
		name = maildir_name_with_flags(u, flags & MAILDIR_FLAG_BITS);
		dst = xasprintf("%s/cur/%s", dir, name);
		if (src_fd != -1 && tries > 0 &&
		    lseek(src_fd, 0, SEEK_SET) == -1) {
			rc = error_sys(err, ERR_SCOPE_OP, errno, "lseek");
			break;
		}
		if ((rc = maildir_deliver_tmp(tmp, src_fd, raw, len, date,
		    err)) != 0)
			continue;
		if ((rc = maildir_deliver_link(tmp, dst, err)) != 0)
			unlink(tmp);
	}
	if (rc == 1)
		rc = error_set(err, ERR_SYS, ERR_SCOPE_OP,
		    "%s: no free unique name", dir);
	if (rc == 0) {
		*uniq = u;
		*path = dst;
		u = dst = NULL;
	}
	free(u);
	free(tmp);
	free(name);
	free(dst);
	return rc;
}

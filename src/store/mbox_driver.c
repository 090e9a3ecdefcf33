/*
 * mbox_driver.c - the read-only mbox driver (`driver = mbox`, `path =
 * FILE`, e.g. /var/mail/$USER).
 *
 * One folder, INBOX.  The file is only ever opened O_RDONLY (O_NOATIME
 * when allowed, so biff and shells still see new mail) and read in
 * chunks through the splitter (mbox_split.c): memory stays bounded
 * whatever its size.  A message's remote id is its byte offset and a
 * hash of its "From " line, so mail appended at the end keeps every old
 * id, while a rewrite by another program (mutt deleting a message)
 * changes the ids of what moved.
 *
 * Syncing is mbox_sync.c's.  Flags come from Status: and X-Status:;
 * petrel never writes them back.  Bodies are read on demand from the
 * offset, verified against the id (a rewritten file makes the folder
 * rebuilt) and unquoted (">From ").  A search reads the whole file once
 * through the splitter (store_search.c matches).  wait_changes watches
 * the file's directory (an append or a replacement) with inotify.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/account.h"
#include "mime/mime.h"
#include "store/mbox.h"
#include "store/store_file.h"
#include "store/store_search.h"
#include "store/store_watch.h"
#include "util/log.h"
#include "util/xmalloc.h"

struct mbox_account {
	struct account		 base;
	struct store_watch	 watch;
};

/* The mbox account behind a struct account. */
static struct mbox_account *
mbox_account_get(struct account *a)
{
	return (struct mbox_account *)a;
}

/* What a fetch gathers: the first message from an offset. */
struct mbox_fetch {
	struct buf	*b;
	struct mbox_msg	 m;
	bool		 got;
};

/* Keep the bytes of the first message, up to the buffer's maximum. */
static int
mbox_fetch_data(void *arg, const char *p, size_t n)
{
	struct mbox_fetch	*fc = arg;

	return buf_add(fc->b, p, n) == -1 ? -1 : 0;
}

/* The first message is complete: keep where it is, stop. */
static int
mbox_fetch_msg(void *arg, const struct mbox_msg *m)
{
	struct mbox_fetch	*fc = arg;

	fc->m = *m;
	fc->got = true;
	return 1;
}

/*
 * Feed the file from the current offset to the splitter until a callback
 * stops it (its value is returned) or the file ends (0).
 */
static int
mbox_fetch_feed(int fd, struct mbox_split *sp, const char *path,
    struct error *err)
{
	char	*chunk = xmalloc(MBOX_CHUNK);
	ssize_t	 r;
	int	 rc = 0;

	do {
		r = read(fd, chunk, MBOX_CHUNK);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			rc = error_sys(err, ERR_SCOPE_MESSAGE, errno, "read %s",
			    path);
		else if (r == 0)
			rc = mbox_split_end(sp);
		else
			rc = mbox_split_feed(sp, chunk, (size_t)r);
	} while (rc == 0 && r != 0);
	free(chunk);
	return rc;
}

/*
 * Read the message at offset into b (its bytes after the "From " line,
 * unquoted); 1 if no message with that hash starts there any more.
 */
static int
mbox_fetch_read(const char *path, uint64_t offset, uint64_t hash,
    struct buf *b, int64_t *mtime, int64_t *size, struct error *err)
{
	struct mbox_fetch	 fc = { b, { 0, 0, 0, 0 }, false };
	struct mbox_split	 sp;
	struct stat		 st;
	char			 head[5];
	int			 fd, rc;

	if ((rc = store_file_open(path, &fd, &st, err)) != 0)
		return rc;
	*mtime = (int64_t)st.st_mtime;
	/* A separator at offset, or the file changed: read nothing. */
	if (pread(fd, head, 5, (off_t)offset) != 5 ||
	    memcmp(head, "From ", 5) != 0 ||
	    lseek(fd, (off_t)offset, SEEK_SET) == -1) {
		close(fd);
		return 1;
	}
	mbox_split_init(&sp, offset, mbox_fetch_msg, mbox_fetch_data, &fc);
	rc = mbox_fetch_feed(fd, &sp, path, err);
	close(fd);
	if (rc == -1 && b->too_big)
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_MESSAGE,
		    "message larger than %d bytes", MIME_BODY_MAX);
	if (rc == -1)
		return -1;
	if (!fc.got || fc.m.start != offset || fc.m.hash != hash ||
	    fc.m.end - fc.m.body > b->len)
		return 1;
	b->len = (size_t)(fc.m.end - fc.m.body);
	*size = (int64_t)b->len;	/* as the sync counts it: quoted */
	if (b->data != NULL) {
		b->len = mbox_unquote(b->data, b->len);
		b->data[b->len] = '\0';
	}
	return 0;
}

/* Read one message into the cache (driver_ops.fetch_message). */
static int
mbox_fetch_message(struct account *a, const struct cache_folder *f,
    const char *id, struct cache *cache, struct error *err)
{
	struct cache_msg	 m;
	struct buf		 b;
	uint64_t		 offset, hash;
	int64_t			 mtime = 0, size = 0;
	bool			 changed;
	int			 rc;

	if (mbox_id_parse(id, &offset, &hash) == -1)
		return error_set(err, ERR_NOTFOUND, ERR_SCOPE_MESSAGE,
		    "not an mbox message id: %.40s", id);
	/* The empty line that ends it may come along: room for it. */
	buf_init(&b, (size_t)MIME_BODY_MAX + 2);
	rc = mbox_fetch_read(a->cfg->path, offset, hash, &b, &mtime, &size,
	    err);
	if (rc == 1) {
		/* Rewritten meanwhile: rebuild the folder from the file. */
		buf_fini(&b);
		if (mbox_sync_run(a, f, cache, &changed, err) == -1)
			return -1;
		return error_set(err, ERR_NOTFOUND, ERR_SCOPE_MESSAGE,
		    "%s was changed by another program: reloaded",
		    a->cfg->path);
	}
	/* A message without Date: keeps the date its row was given. */
	if (rc == 0 && cache_msg_find(cache, f->id, id, &m, err) == 0)
		mtime = m.date;
	if (rc == 0) {
		cache_msg_fini(&m);
		store_msg_fill(&m, f->id, id, buf_str(&b), b.len, mtime, size,
		    mbox_status_flags(buf_str(&b), b.len));
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

/* A search: each message's first bytes, and what matched. */
struct mbox_search {
	struct buf		 b;
	const char		*text;
	struct store_hits	 hits;
	struct error		*err;
};

/* Keep the first STORE_SEARCH_READ bytes of the current message. */
static int
mbox_search_data(void *arg, const char *p, size_t n)
{
	struct mbox_search	*s = arg;
	size_t			 room = STORE_SEARCH_READ - s->b.len;

	if (room > 0)
		buf_add(&s->b, p, n < room ? n : room);
	return 0;
}

/* A message is complete: match it. */
static int
mbox_search_msg(void *arg, const struct mbox_msg *m)
{
	struct mbox_search	*s = arg;
	char			 id[MBOX_ID_MAX];
	int			 rc = 0;

	if (store_search_match(buf_str(&s->b), s->b.len, s->text)) {
		mbox_id_format(m, id, sizeof id);
		rc = store_hits_add(&s->hits, id, s->err);
	}
	buf_reset(&s->b);
	return rc;
}

/* Search the text of the messages (driver_ops.search). */
static int
mbox_search(struct account *a, const struct cache_folder *f,
    const char *text, char ***ids, size_t *n, struct error *err)
{
	struct mbox_search	 s;
	struct mbox_split	 sp;
	struct stat		 st;
	int			 fd, rc;

	(void)f;
	*ids = NULL;
	*n = 0;
	if ((rc = store_file_open(a->cfg->path, &fd, &st, err)) != 0)
		return rc == 1 ? 0 : -1;	/* no file: no messages */
	memset(&s, 0, sizeof s);
	buf_init(&s.b, STORE_SEARCH_READ);
	s.text = text;
	s.err = err;
	mbox_split_init(&sp, 0, mbox_search_msg, mbox_search_data, &s);
	rc = mbox_fetch_feed(fd, &sp, a->cfg->path, err);
	close(fd);
	buf_fini(&s.b);
	if (rc != 0) {
		store_hits_free(&s.hits);
		return -1;
	}
	store_hits_take(&s.hits, ids, n);
	return 0;
}

/* The one folder: INBOX (driver_ops.list_folders). */
static int
mbox_list_folders(struct account *a, struct cache *cache, struct error *err)
{
	const char	*names[] = { "INBOX" };
	int64_t		 id;

	if (cache_begin(cache, err) == -1)
		return -1;
	if (cache_folder_put(cache, a->cache_id, "INBOX", "INBOX", '\0', 0,
	    &id, err) == -1 || cache_folder_prune(cache, a->cache_id, names, 1,
	    err) == -1 || cache_folder_set_role(cache, id, CACHE_ROLE_INBOX,
	    err) == -1 || cache_commit(cache, err) == -1) {
		cache_rollback(cache);
		return -1;
	}
	return 0;
}

/* Never: the file is not written (driver_ops.store_flags). */
static int
mbox_store_flags(struct account *a, const struct cache_folder *f,
    const char *const *ids, size_t n, unsigned add, unsigned remove,
    struct cache *cache, struct error *err)
{
	(void)f;
	(void)ids;
	(void)n;
	(void)add;
	(void)remove;
	(void)cache;
	return error_set(err, ERR_READONLY, ERR_SCOPE_OP,
	    "account %s is an mbox, which petrel only reads", a->cfg->name);
}

/* Allocate the account (no I/O). */
static struct account *
mbox_new(const struct config_account *cfg, struct error *err)
{
	struct mbox_account	*ma;

	if (cfg->path == NULL || *cfg->path == '\0') {
		error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "[account %s]: no path", cfg->name);
		return NULL;
	}
	ma = xcalloc(1, sizeof *ma);
	ma->base.cfg = cfg;
	ma->base.wake_fd = -1;
	store_watch_init(&ma->watch);
	return &ma->base;
}

/* Free the account. */
static void
mbox_free(struct account *a)
{
	struct mbox_account	*ma = mbox_account_get(a);

	if (ma == NULL)
		return;
	store_watch_fini(&ma->watch);
	free(ma);
}

/* Check the file is there and is a file. */
static int
mbox_open(struct account *a, struct error *err)
{
	struct stat	st;

	if (stat(a->cfg->path, &st) == -1)
		return error_sys(err, ERR_SCOPE_ACCOUNT, errno,
		    "[account %s]: %s", a->cfg->name, a->cfg->path);
	if (!S_ISREG(st.st_mode))
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "[account %s]: %s is not a file (an mbox is one)",
		    a->cfg->name, a->cfg->path);
	a->caps = DRIVER_CAP_SEARCH;
	if (store_watch_available())
		a->caps |= DRIVER_CAP_IDLE;
	return 0;
}

/* Stop watching. */
static void
mbox_close(struct account *a)
{
	store_watch_fini(&mbox_account_get(a)->watch);
}

/* Watch the file's directory for changes to the file. */
static int
mbox_watch(struct mbox_account *ma, const struct cache_folder *f,
    struct error *err)
{
	const char	*path = ma->base.cfg->path, *slash, *dirs[1];
	char		*dir;
	int		 rc;

	slash = strrchr(path, '/');
	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, (size_t)(slash - path));
	dirs[0] = dir;
	rc = store_watch_set(&ma->watch, f->id, dirs, 1,
	    slash != NULL ? slash + 1 : path, err);
	free(dir);
	return rc;
}

struct mbox_wait {
	struct account			*a;
	const struct cache_folder	*f;
	struct cache			*cache;
};

/* Resync INBOX. */
static int
mbox_wait_sync(void *arg, bool *changed, struct error *err)
{
	struct mbox_wait	*mw = arg;

	return mbox_sync_run(mw->a, mw->f, mw->cache, changed, err);
}

/* Wait for another program to change the file, then resync. */
static int
mbox_wait_changes(struct account *a, const struct cache_folder *f,
    struct cache *cache, int cmd_fd, int timeout_ms, struct error *err)
{
	struct mbox_wait	 mw = { a, f, cache };
	int			 set;

	/* No watch (no inotify left, no directory): poll instead. */
	if ((set = mbox_watch(mbox_account_get(a), f, err)) == -1)
		log_info("mbox", "%s: not watched: %s", a->cfg->path,
		    err->msg);
	return store_watch_run(&mbox_account_get(a)->watch, set,
	    mbox_wait_sync, &mw, cmd_fd, a->wake_fd, timeout_ms, err);
}

/* Read-only: no flags, copies, folders or appends. */
const struct driver_ops mbox_driver_ops = {
	.name = "mbox",
	.caps = DRIVER_CAP_IDLE | DRIVER_CAP_SEARCH,
	.new = mbox_new,
	.free = mbox_free,
	.open = mbox_open,
	.close = mbox_close,
	.list_folders = mbox_list_folders,
	.sync_folder = mbox_sync_folder,
	.fetch_message = mbox_fetch_message,
	.store_flags = mbox_store_flags,
	.search = mbox_search,
	.wait_changes = mbox_wait_changes,
};

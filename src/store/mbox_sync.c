/*
 * mbox_sync.c - bringing the mbox driver's INBOX up to date with the file.
 *
 * The folder's sync state holds the file's device, inode, size and mtime
 * and the last message's id and size.  A sync of an unchanged file reads
 * nothing; a file that grew in place is scanned through the splitter
 * (mbox_split.c, bounded memory) and only its new messages parsed (the
 * last one again if it grew: it was still being written); a replaced or
 * shrunk file is a rewrite: the folder is cleared and read afresh.  Each
 * message's first STORE_HEADER_MAX bytes give its row and its flags
 * (Status:, X-Status:); rows are written MBOX_BATCH to a transaction,
 * and rows whose message is no longer in the file are removed.
 */
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/account.h"
#include "store/mbox.h"
#include "store/store_file.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define MBOX_BATCH	500

/* What the folder's sync state remembers of the file. */
struct mbox_state {
	uint64_t	 dev;
	uint64_t	 ino;
	uint64_t	 size;
	int64_t		 msec;
	int64_t		 mnsec;
	uint64_t	 last_size;
	char		 last_id[MBOX_ID_MAX];
};

/* One scan of the file against the cache. */
struct mbox_scan {
	struct cache			*cache;
	const struct cache_folder	*folder;
	struct account			*a;
	const struct mbox_state		*old;
	char				**ids;		/* cached */
	unsigned			*flags;
	size_t				*order;
	bool				*seen;
	size_t				 n;
	struct buf			 hdr;	/* the message's start */
	int64_t				 mtime;
	bool				 in_txn;
	size_t				 batch;
	size_t				 changed;
	size_t				 count;
	struct mbox_msg			 last;
	struct error			*err;
};

/* The state as text: "mbox1 DEV INO SIZE MSEC MNSEC LASTSIZE LASTID". */
static char *
mbox_state_format(const struct mbox_state *s)
{
	return xasprintf("mbox1 %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRId64
	    " %" PRId64 " %" PRIu64 " %s", s->dev, s->ino, s->size, s->msec,
	    s->mnsec, s->last_size, s->last_id[0] != '\0' ? s->last_id : "-");
}

/* Read a state back; -1 if there is none or it is not ours. */
static int
mbox_state_parse(const char *text, struct mbox_state *s)
{
	unsigned long long	 v[6];
	const char		*p;
	char			*end;

	memset(s, 0, sizeof *s);
	if (text == NULL || strncmp(text, "mbox1 ", 6) != 0)
		return -1;
	p = text + 6;
	for (int i = 0; i < 6; i++) {
		errno = 0;
		v[i] = strtoull(p, &end, 10);
		if (end == p || *end != ' ' || errno != 0)
			return -1;
		p = end + 1;
	}
	if (strlen(p) >= sizeof s->last_id)
		return -1;
	s->dev = v[0];
	s->ino = v[1];
	s->size = v[2];
	s->msec = (int64_t)v[3];
	s->mnsec = (int64_t)v[4];
	s->last_size = v[5];
	if (strcmp(p, "-") != 0)
		memcpy(s->last_id, p, strlen(p) + 1);
	return 0;
}

/* Open a transaction unless one is open; commit it every batch. */
static int
mbox_scan_write(struct mbox_scan *s)
{
	if (s->in_txn && s->batch >= MBOX_BATCH) {
		if (cache_commit(s->cache, s->err) == -1)
			return -1;
		s->in_txn = false;
	}
	if (!s->in_txn) {
		if (cache_begin(s->cache, s->err) == -1)
			return -1;
		s->in_txn = true;
		s->batch = 0;
	}
	s->batch++;
	s->changed++;
	return 0;
}

/* The cached row with this id, or -1. */
static ssize_t
mbox_scan_find(const struct mbox_scan *s, const char *id)
{
	size_t	lo = 0, hi = s->n, mid;
	int	c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(id, s->ids[s->order[mid]]);
		if (c == 0)
			return (ssize_t)s->order[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* Keep the first STORE_HEADER_MAX bytes of the current message. */
static int
mbox_scan_data(void *arg, const char *p, size_t n)
{
	struct mbox_scan	*s = arg;
	size_t			 room = STORE_HEADER_MAX - s->hdr.len;

	if (room > 0)
		buf_add(&s->hdr, p, n < room ? n : room);
	return 0;
}

/* Store a message's row: a new row, or the known one's changes. */
static int
mbox_scan_msg(void *arg, const struct mbox_msg *m)
{
	struct mbox_scan	*s = arg;
	struct cache_msg	 row;
	char			 id[MBOX_ID_MAX];
	unsigned		 flags;
	ssize_t			 k;
	bool			 grew;
	int			 rc = 0;

	mbox_id_format(m, id, sizeof id);
	flags = mbox_status_flags(buf_str(&s->hdr), s->hdr.len);
	k = mbox_scan_find(s, id);
	grew = k >= 0 && strcmp(id, s->old->last_id) == 0 &&
	    m->end - m->body != s->old->last_size;
	if (k >= 0)
		s->seen[k] = true;
	if (k >= 0 && !grew && flags != s->flags[k]) {
		if ((rc = mbox_scan_write(s)) == 0)
			rc = cache_msg_set_flags(s->cache, s->folder->id, id,
			    flags, s->err);
	}
	else if (k < 0 || grew) {
		/* A grown last message: a fresh row, without its old body. */
		if ((rc = mbox_scan_write(s)) == 0 && grew)
			rc = cache_msg_remove(s->cache, s->folder->id, id,
			    s->err);
		if (rc != -1) {
			store_msg_fill(&row, s->folder->id, id,
			    buf_str(&s->hdr), s->hdr.len, s->mtime,
			    (int64_t)(m->end - m->body), flags);
			rc = cache_msg_put(s->cache, &row, s->err);
			cache_msg_fini(&row);
		}
	}
	buf_reset(&s->hdr);
	s->last = *m;
	if (++s->count % 1000 == 0)
		account_status(s->a, "%s: headers %zu", s->folder->name,
		    s->count);
	return rc == -1 ? -1 : 0;
}

/* The cached ids in strcmp order (as indices into ids). */
static int
mbox_scan_cmp(const void *a, const void *b, void *arg)
{
	char	**ids = arg;

	return strcmp(ids[*(const size_t *)a], ids[*(const size_t *)b]);
}

/* Load the cached ids and flags, sorted. */
static int
mbox_scan_load(struct mbox_scan *s)
{
	if (cache_msg_flags(s->cache, s->folder->id, &s->ids, &s->flags, &s->n,
	    s->err) == -1)
		return -1;
	s->order = xreallocarray(NULL, s->n + 1, sizeof *s->order);
	s->seen = xcalloc(s->n + 1, sizeof *s->seen);
	for (size_t i = 0; i < s->n; i++)
		s->order[i] = i;
	qsort_r(s->order, s->n, sizeof *s->order, mbox_scan_cmp, s->ids);
	return 0;
}

/* Feed the whole file (fd) to the splitter. */
static int
mbox_scan_file(struct mbox_scan *s, int fd, const char *path)
{
	struct mbox_split	 sp;
	char			*chunk = xmalloc(MBOX_CHUNK);
	ssize_t			 r;
	int			 rc = 0;

	mbox_split_init(&sp, 0, mbox_scan_msg, mbox_scan_data, s);
	for (;;) {
		if (fd == -1) {		/* no file: no messages */
			rc = mbox_split_end(&sp);
			break;
		}
		r = read(fd, chunk, MBOX_CHUNK);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			rc = error_sys(s->err, ERR_SCOPE_FOLDER, errno,
			    "read %s", path);
			break;
		}
		if (r == 0) {
			rc = mbox_split_end(&sp);
			break;
		}
		if ((rc = mbox_split_feed(&sp, chunk, (size_t)r)) != 0)
			break;
	}
	free(chunk);
	if (rc == 0 && sp.junk > 0 && s->count == 0)
		rc = error_set(s->err, ERR_PARSE, ERR_SCOPE_FOLDER,
		    "%s is not an mbox: it has no \"From \" line", path);
	else if (rc == 0 && sp.junk > 0)
		log_warn("mbox", "%s: %" PRIu64 " bytes before the first "
		    "message ignored", path, sp.junk);
	return rc;
}

/* Remove the rows of messages no longer in the file; commit. */
static int
mbox_scan_finish(struct mbox_scan *s)
{
	for (size_t i = 0; i < s->n; i++) {
		if (s->seen[i])
			continue;
		if (mbox_scan_write(s) == -1 || cache_msg_remove(s->cache,
		    s->folder->id, s->ids[i], s->err) == -1)
			return -1;
	}
	if (s->in_txn && cache_commit(s->cache, s->err) == -1)
		return -1;
	s->in_txn = false;
	return 0;
}

/* Scan the open file into the cache and save the new state. */
static int
mbox_scan_run(struct mbox_scan *s, int fd, const struct stat *st)
{
	struct mbox_state	 now;
	char			*text;
	int			 rc;

	s->mtime = (int64_t)st->st_mtime;
	buf_init(&s->hdr, STORE_HEADER_MAX);
	rc = mbox_scan_load(s);
	if (rc == 0)
		rc = mbox_scan_file(s, fd, s->a->cfg->path);
	if (rc == 0)
		rc = mbox_scan_finish(s);
	if (rc != 0 && s->in_txn)
		cache_rollback(s->cache);
	if (rc == 0) {
		memset(&now, 0, sizeof now);
		now.dev = (uint64_t)st->st_dev;
		now.ino = (uint64_t)st->st_ino;
		now.size = (uint64_t)st->st_size;
		now.msec = (int64_t)st->st_mtim.tv_sec;
		now.mnsec = (int64_t)st->st_mtim.tv_nsec;
		if (s->count > 0) {
			mbox_id_format(&s->last, now.last_id,
			    sizeof now.last_id);
			now.last_size = s->last.end - s->last.body;
		}
		text = mbox_state_format(&now);
		rc = cache_folder_set_state(s->cache, s->folder->id, text,
		    s->err);
		free(text);
	}
	buf_fini(&s->hdr);
	cache_strv_free(s->ids, s->n);
	free(s->flags);
	free(s->order);
	free(s->seen);
	return rc == 0 ? 0 : -1;
}

/* Whether the file is what the state describes. */
static bool
mbox_state_same(const struct mbox_state *o, const struct stat *st)
{
	return o->dev == (uint64_t)st->st_dev &&
	    o->ino == (uint64_t)st->st_ino &&
	    o->size == (uint64_t)st->st_size &&
	    o->msec == (int64_t)st->st_mtim.tv_sec &&
	    o->mnsec == (int64_t)st->st_mtim.tv_nsec;
}

/* Sync INBOX with the file; *changed if any row changed. */
int
mbox_sync_run(struct account *a, const struct cache_folder *f,
    struct cache *cache, bool *changed, struct error *err)
{
	struct mbox_scan	 s;
	struct mbox_state	 old;
	struct stat		 st;
	char			*text = NULL;
	int			 fd = -1, rc;

	*changed = false;
	if (strcmp(f->remote_name, "INBOX") != 0)
		return error_set(err, ERR_NOTFOUND, ERR_SCOPE_FOLDER,
		    "an mbox has only INBOX");
	if (cache_folder_get_state(cache, f->id, &text, err) == -1)
		return -1;
	(void)mbox_state_parse(text, &old);	/* none: all zero */
	free(text);
	if ((rc = store_file_open(a->cfg->path, &fd, &st, err)) == -1) {
		error_widen(err, ERR_SCOPE_FOLDER);
		return -1;
	}
	memset(&s, 0, sizeof s);
	s.cache = cache;
	s.folder = f;
	s.a = a;
	s.old = &old;
	s.err = err;
	if (rc == 1)	/* removed (emptied by an MDA): no messages */
		memset(&st, 0, sizeof st);
	else if (mbox_state_same(&old, &st)) {
		close(fd);
		return 0;
	} else if (old.size > 0 && (old.dev != (uint64_t)st.st_dev ||
	    old.ino != (uint64_t)st.st_ino ||
	    old.size > (uint64_t)st.st_size)) {
		log_info("mbox", "%s was rewritten: reading it afresh",
		    a->cfg->path);
		if (cache_folder_clear(cache, f->id, err) == -1) {
			close(fd);
			return -1;
		}
		memset(&old, 0, sizeof old);
		s.changed++;
	}
	rc = mbox_scan_run(&s, fd, &st);
	if (fd != -1)
		close(fd);
	*changed = s.changed > 0;
	if (rc == 0)
		account_status(a, "%s: %zu messages", f->name, s.count);
	return rc;
}

/* Bring INBOX up to date (driver_ops.sync_folder). */
int
mbox_sync_folder(struct account *a, const struct cache_folder *f,
    struct cache *cache, struct error *err)
{
	bool	changed;

	return mbox_sync_run(a, f, cache, &changed, err);
}

/*
 * cache.c - opening and closing the cache, transactions, and the statement
 * table shared by the other files of src/cache/.
 *
 * Opening creates the file (mode 0600, parent directories 0700) before
 * SQLite sees it: SQLite then gives the -wal and -shm files the database
 * file's mode, so no cache file is ever readable by others.  Every
 * connection runs in WAL mode with synchronous=NORMAL (a crash may lose the
 * last transactions but never corrupts the file), foreign keys on and a
 * busy timeout, because the UI thread and each worker write the same file
 * through their own connections.
 *
 * Nothing here may crash on a file that is not a cache, or is corrupt: every
 * SQLite result is checked and turned into an ERR_CACHE error.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache/cache_impl.h"
#include "util/mkdirs.h"
#include "util/xmalloc.h"

/* Fill the error from the connection's last SQLite message. */
int
cache_sqlerr(struct cache *c, struct error *e, const char *fmt, ...)
{
	char	what[ERROR_MSG_MAX];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "%s: %s", what,
	    sqlite3_errmsg(c->db));
}

/* Prepare a statement of the table on first use, then hand it out. */
sqlite3_stmt *
cache_stmt(struct cache *c, enum cache_stmt_id id, const char *sql,
    struct error *e)
{
	int	rc;

	if (c->stmt[id] != NULL)
		return c->stmt[id];
	rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &c->stmt[id], NULL);
	if (rc != SQLITE_OK) {
		cache_sqlerr(c, e, "prepare \"%.60s\"", sql);
		sqlite3_finalize(c->stmt[id]);
		c->stmt[id] = NULL;
		return NULL;
	}
	return c->stmt[id];
}

/* Reset a statement and clear its bindings, ready for the next call. */
void
cache_stmt_done(sqlite3_stmt *s)
{
	if (s == NULL)
		return;
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/* Run a statement without parameters or result rows. */
int
cache_stmt_exec(struct cache *c, enum cache_stmt_id id, const char *sql,
    struct error *e)
{
	sqlite3_stmt	*s;
	int		 rv = -1;

	if ((s = cache_stmt(c, id, sql, e)) == NULL)
		return -1;
	if (sqlite3_step(s) != SQLITE_DONE) {
		cache_sqlerr(c, e, "%s", sql);
		goto out;
	}
	rv = 0;
out:
	cache_stmt_done(s);
	return rv;
}

/* Bind a string or NULL. */
int
cache_bind_text(sqlite3_stmt *s, int idx, const char *str)
{
	if (str == NULL)
		return sqlite3_bind_null(s, idx);
	return sqlite3_bind_text(s, idx, str, -1, SQLITE_STATIC);
}

/* Copy a text column; NULL stays NULL. */
char *
cache_column_dup(sqlite3_stmt *s, int col)
{
	const unsigned char	*p;

	if (sqlite3_column_type(s, col) == SQLITE_NULL)
		return NULL;
	p = sqlite3_column_text(s, col);
	if (p == NULL)
		return xstrdup("");
	return xstrndup((const char *)p, (size_t)sqlite3_column_bytes(s, col));
}

/* Open a savepoint around one call. */
int
cache_savepoint(struct cache *c, struct error *e)
{
	return cache_stmt_exec(c, CACHE_STMT_SAVEPOINT, "SAVEPOINT cache_op",
	    e);
}

/* Release the savepoint, or undo what the call did if it failed. */
int
cache_savepoint_end(struct cache *c, int rv, struct error *e)
{
	struct error	ignored;

	if (rv == 0)
		return cache_stmt_exec(c, CACHE_STMT_RELEASE,
		    "RELEASE cache_op", e);
	cache_stmt_exec(c, CACHE_STMT_ROLLBACK_TO, "ROLLBACK TO cache_op",
	    &ignored);
	cache_stmt_exec(c, CACHE_STMT_RELEASE, "RELEASE cache_op", &ignored);
	return rv;
}

/* Create the missing parent directories of path, mode 0700. */
static int
cache_mkdirs(const char *path, struct error *e)
{
	if (mkdirs_parent(path) == -1)
		return error_sys(e, ERR_SCOPE_OP, errno, "create the directory "
		    "of %s", path);
	return 0;
}

/*
 * Make one cache file private: create it if asked (mode 0600 whatever the
 * umask), and take group and other permissions off an existing one.
 */
static int
cache_make_private(const char *path, int create, struct error *e)
{
	struct stat	st;
	int		fd;

	/*
	 * Never open (and so close) a descriptor on a file another SQLite
	 * connection of this process may hold: closing any descriptor drops
	 * all of the process's POSIX locks on it, and another process would
	 * then take itself for the last user and delete the WAL.  So: stat
	 * and chmod by path; open only to create a file that did not exist.
	 */
	if (lstat(path, &st) == -1) {
		if (errno != ENOENT)
			return error_sys(e, ERR_SCOPE_OP, errno, "stat %s", path);
		if (!create)
			return 0;
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd == -1 && errno != EEXIST)
			return error_sys(e, ERR_SCOPE_OP, errno, "create %s", path);
		if (fd != -1) {
			close(fd);
			return 0;
		}
		if (lstat(path, &st) == -1)
			return error_sys(e, ERR_SCOPE_OP, errno, "stat %s", path);
	}
	if (!S_ISREG(st.st_mode))
		return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "%s is not a file",
		    path);
	if ((st.st_mode & 0777) != 0600 && chmod(path, 0600) != 0)
		return error_sys(e, ERR_SCOPE_OP, errno, "chmod 0600 %s", path);
	return 0;
}

/* Create the cache file and its directories, and keep all of it private. */
static int
cache_prepare_files(const char *path, struct error *e)
{
	static const char *const suffixes[] = { "-wal", "-shm", "-journal" };
	char	*side;
	size_t	 i;
	int	 rv;

	if (cache_mkdirs(path, e) != 0 || cache_make_private(path, 1, e) != 0)
		return -1;
	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		side = xasprintf("%s%s", path, suffixes[i]);
		rv = cache_make_private(side, 0, e);
		free(side);
		if (rv != 0)
			return -1;
	}
	return 0;
}

/* Run one PRAGMA once: SQLITE_OK if it answered want, else the error. */
static int
cache_pragma_try(struct cache *c, const char *sql, const char *want,
    struct error *e)
{
	sqlite3_stmt		*s = NULL;
	const unsigned char	*got;
	int			 rc;

	rc = sqlite3_prepare_v2(c->db, sql, -1, &s, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
		rc = SQLITE_OK;
	if (rc != SQLITE_OK) {
		cache_sqlerr(c, e, "%s", sql);
		goto out;
	}
	got = sqlite3_column_text(s, 0);
	if (got == NULL || strcmp((const char *)got, want) != 0) {
		error_set(e, ERR_CACHE, ERR_SCOPE_OP, "%s: got \"%s\", not %s",
		    sql, got == NULL ? "" : (const char *)got, want);
		rc = SQLITE_MISMATCH;
	}
out:
	sqlite3_finalize(s);
	return rc;
}

/*
 * Run one PRAGMA that must answer with the expected text.  Switching the
 * journal mode needs an exclusive lock and SQLite does not call the busy
 * handler for it, so a busy answer (another thread opening the same new
 * file) is retried here, for as long as the busy timeout.
 */
static int
cache_pragma_expect(struct cache *c, const char *sql, const char *want,
    struct error *e)
{
	struct timespec	pause = { 0, CACHE_RETRY_MS * 1000L * 1000L };
	int		i, rc;

	for (i = 0; ; i++) {
		rc = cache_pragma_try(c, sql, want, e);
		if ((rc & 0xff) != SQLITE_BUSY ||
		    i >= CACHE_BUSY_TIMEOUT_MS / CACHE_RETRY_MS)
			break;
		nanosleep(&pause, NULL);
	}
	return rc == SQLITE_OK ? 0 : -1;
}

/*
 * Per-connection settings: WAL, synchronous, foreign keys, and a page cache
 * of up to 8 MiB (grown only as used): a sync inserting into the four
 * message-list indexes at random places spends a third less time with it
 * than with SQLite's 2 MiB default.
 */
static int
cache_configure(struct cache *c, struct error *e)
{
	/* The journal mode is stored in the file: a no-op after the first. */
	if (cache_pragma_expect(c, "PRAGMA journal_mode = WAL", "wal", e) != 0)
		return -1;
	if (sqlite3_exec(c->db, "PRAGMA synchronous = NORMAL;"
	    "PRAGMA foreign_keys = ON; PRAGMA cache_size = -8192", NULL, NULL,
	    NULL) != SQLITE_OK)
		return cache_sqlerr(c, e, "set synchronous and foreign keys");
	return cache_pragma_expect(c, "PRAGMA foreign_keys", "1", e);
}

/*
 * Open a connection; maintain: create or migrate the schema to
 * CACHE_SCHEMA_VERSION and repair (sort indexes a crash left dropped);
 * else the schema must be this build's already and nothing is changed.
 */
static struct cache *
cache_open_conn(const char *path, bool maintain, struct error *e)
{
	struct cache	*c;
	int		 rc, version;

	if (path == NULL || *path == '\0') {
		error_set(e, ERR_CACHE, ERR_SCOPE_OP, "no cache path");
		return NULL;
	}
	if (!sqlite3_threadsafe()) {
		/* Connections are opened NOMUTEX: one per thread, no sharing. */
		error_set(e, ERR_CACHE, ERR_SCOPE_OP, "open cache %s: SQLite "
		    "was built without thread support", path);
		return NULL;
	}
	if (cache_prepare_files(path, e) != 0) {
		error_prefix(e, "open cache %s", path);
		e->code = ERR_CACHE;	/* sys_errno still says why */
		return NULL;
	}
	c = xcalloc(1, sizeof *c);
	c->path = xstrdup(path);
	rc = sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		if (c->db == NULL)
			error_set(e, ERR_CACHE, ERR_SCOPE_OP, "open cache %s: "
			    "%s", path, sqlite3_errstr(rc));
		else
			cache_sqlerr(c, e, "open cache %s", path);
		goto fail;
	}
	/* Wait for other connections from the first read on. */
	sqlite3_extended_result_codes(c->db, 1);
	if (sqlite3_busy_timeout(c->db, CACHE_BUSY_TIMEOUT_MS) != SQLITE_OK) {
		cache_sqlerr(c, e, "open cache %s: set busy timeout", path);
		goto fail;
	}
	/* Refuse a foreign or newer file before changing anything in it. */
	if (cache_schema_check(c, e) != 0)
		goto fail;
	if (cache_configure(c, e) != 0 || cache_sortkey_register(c, e) != 0) {
		error_prefix(e, "open cache %s", path);
		goto fail;
	}
	if (maintain ? cache_schema_migrate(c, e) != 0 ||
	    cache_bulk_end(c, e) != 0 :
	    cache_schema_version(c, &version, e) != 0) {
		error_prefix(e, "open cache %s", path);
		goto fail;
	}
	if (!maintain && version != CACHE_SCHEMA_VERSION) {
		error_set(e, ERR_CACHE, ERR_SCOPE_OP, "open cache %s: schema "
		    "%d, not %d", path, version, CACHE_SCHEMA_VERSION);
		goto fail;
	}
	c->search_ready = 1;
	return c;
fail:
	cache_close(c);
	return NULL;
}

/* Open the cache, bringing its schema up to date and repairing it. */
struct cache *
cache_open(const char *path, struct error *e)
{
	return cache_open_conn(path, true, e);
}

/* One more connection to a cache the process opened already. */
struct cache *
cache_open_more(const char *path, struct error *e)
{
	return cache_open_conn(path, false, e);
}

/* Finalize every statement and close the connection. */
void
cache_close(struct cache *c)
{
	size_t	i;

	if (c == NULL)
		return;
	for (i = 0; i < CACHE_STMT_MAX; i++)
		sqlite3_finalize(c->stmt[i]);
	for (i = 0; i < CACHE_QUERY_STMTS; i++)
		sqlite3_finalize(c->query[i]);
	/* Closing with a transaction open rolls it back. */
	sqlite3_close(c->db);
	free(c->path);
	free(c);
}

/* Read PRAGMA user_version. */
int
cache_schema_version(struct cache *c, int *version, struct error *e)
{
	sqlite3_stmt	*s;
	int		 rv = -1;

	s = cache_stmt(c, CACHE_STMT_USER_VERSION, "PRAGMA user_version", e);
	if (s == NULL)
		return -1;
	if (sqlite3_step(s) != SQLITE_ROW) {
		cache_sqlerr(c, e, "read schema version");
		goto out;
	}
	*version = sqlite3_column_int(s, 0);
	rv = 0;
out:
	cache_stmt_done(s);
	return rv;
}

/*
 * Start a write transaction.  IMMEDIATE takes the write lock now (waiting
 * up to the busy timeout) so the commit cannot fail on a lock upgrade.
 */
int
cache_begin(struct cache *c, struct error *e)
{
	return cache_stmt_exec(c, CACHE_STMT_BEGIN, "BEGIN IMMEDIATE", e);
}

/*
 * Commit the transaction; on failure it is still open (roll it back).
 * New messages join the search index later, in one batch
 * (cache_search_index): indexing inside a sync's commits would double its
 * write cost, and searches find unindexed rows by LIKE meanwhile.
 */
int
cache_commit(struct cache *c, struct error *e)
{
	return cache_stmt_exec(c, CACHE_STMT_COMMIT, "COMMIT", e);
}

/*
 * Index up to CACHE_SEARCH_CHUNK of the messages stored since the last
 * time, in one transaction: 1 when more remain.  A short transaction: a
 * 100,000-message folder in one held the write lock for a second, and a
 * flag change made on the UI thread meanwhile waited for it.
 */
int
cache_search_index_some(struct cache *c, struct error *e)
{
	int	 rc;

	if (!c->search_ready)
		return 0;
	if (cache_begin(c, e) != 0)
		return -1;
	if ((rc = cache_search_catch_up(c, CACHE_SEARCH_CHUNK, e)) == -1 ||
	    cache_commit(c, e) != 0) {
		cache_rollback(c);
		return -1;
	}
	return rc;
}

/* Index every message stored since the last time, a chunk at a time. */
int
cache_search_index(struct cache *c, struct error *e)
{
	int	 rc;

	while ((rc = cache_search_index_some(c, e)) == 1)
		;
	return rc;
}

/* Roll back the open transaction, if any. */
void
cache_rollback(struct cache *c)
{
	struct error	ignored;

	if (c == NULL || sqlite3_get_autocommit(c->db))
		return;
	cache_stmt_exec(c, CACHE_STMT_ROLLBACK, "ROLLBACK", &ignored);
}

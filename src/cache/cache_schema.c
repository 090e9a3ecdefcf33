/*
 * cache_schema.c - the cache schema and its migrations.
 *
 * The file's PRAGMA user_version is the number of the last migration step
 * applied to it (0 for a new, empty file).  Each step is one entry of
 * cache_steps[], run in its own write transaction together with the bump of
 * user_version, so a crash or an error leaves the file at the previous
 * version, never half-migrated.  To change the schema, add an entry (never
 * edit a shipped one) and raise CACHE_SCHEMA_VERSION in cache.h.
 *
 * A file with a newer version than this build knows is refused (an older
 * petrel must not write rows a newer schema does not expect), and so is an
 * SQLite file another program has marked with its own application_id.
 *
 * Room is kept for later steps: thread ids on messages.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cache/cache_impl.h"
#include "util/xmalloc.h"

/* Bit values the SQL below spells as numbers. */
_Static_assert(CACHE_FLAG_SEEN == 1, "the unread index tests flags & 1");

/*
 * Version 1: accounts, folders, message envelopes and raw bodies.
 *
 * AUTOINCREMENT keeps row ids from being reused after a delete: the UI may
 * hold a message or folder id while a worker removes the row, and must not
 * then find a different message under the same id.
 */
static const char cache_schema_v1[] =
	"PRAGMA application_id = 1349808748;"	/* CACHE_APPLICATION_ID */
	"CREATE TABLE accounts ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  name TEXT NOT NULL UNIQUE"
	");"
	"CREATE TABLE folders ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  account_id INTEGER NOT NULL"
	"    REFERENCES accounts(id) ON DELETE CASCADE,"
	"  remote_name TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  delim INTEGER NOT NULL DEFAULT 0,"
	"  attrs INTEGER NOT NULL DEFAULT 0,"
	"  sync_state TEXT,"
	"  UNIQUE (account_id, remote_name)"
	");"
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  folder_id INTEGER NOT NULL"
	"    REFERENCES folders(id) ON DELETE CASCADE,"
	"  remote_id TEXT NOT NULL,"
	"  date INTEGER NOT NULL DEFAULT 0,"
	"  from_name TEXT,"
	"  from_addr TEXT,"
	"  to_addrs TEXT,"
	"  subject TEXT,"
	"  message_id TEXT,"
	"  in_reply_to TEXT,"
	"  size INTEGER NOT NULL DEFAULT 0,"
	"  flags INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (folder_id, remote_id)"
	");"
	/* The message list: one folder, by date then id, a page at a time. */
	"CREATE INDEX messages_list ON messages (folder_id, date, id);"
	/*
	 * Unread counts read only the unread entries of a folder, from the
	 * index alone (flags is in it so the WHERE needs no table lookup).
	 */
	"CREATE INDEX messages_unread ON messages (folder_id, flags)"
	"  WHERE (flags & 1) = 0;"
	"CREATE TABLE bodies ("
	"  msg_id INTEGER PRIMARY KEY"
	"    REFERENCES messages(id) ON DELETE CASCADE,"
	"  raw BLOB NOT NULL"
	");";

_Static_assert(CACHE_APPLICATION_ID == 1349808748, "schema v1 text");

/*
 * Version 2: folder roles, References, sort keys, search, pending
 * operations.
 *
 * The References column is named refs: REFERENCES is an SQL keyword.
 * from_sort and subject_sort hold the keys of cache_sortkey.c, filled by
 * cache_msg_put (and here, once, for the rows already stored); each sort
 * order has an index that ends in date (and the rowid, implicitly), so a
 * page at any offset walks an index and never sorts.
 *
 * messages_fts is an FTS5 trigram index over subject and sender, with
 * external content (the text is not stored twice).  It answers "contains"
 * for three characters or more without reading every row.  It is filled in
 * batches, not by an insert trigger: FTS5 writes its pending terms to disk
 * at every statement savepoint, so a trigger per row (every put runs in a
 * statement transaction) costs a segment per message, ten times the batch
 * cost.  search_state.fts_upto is the highest message id indexed; rows
 * above it are indexed by cache_search_catch_up (at each commit) and, until
 * then, searched with LIKE.  The triggers keep the indexed rows in step on
 * delete and on a change of a searched field (not on flag updates), and
 * must not touch rows above fts_upto: FTS5 cannot delete what it never had.
 *
 * pending_ops lives and dies with its account and folders: an operation on
 * a folder that is gone can never be replayed.
 */
static const char cache_schema_v2[] =
	"ALTER TABLE folders ADD COLUMN role INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE messages ADD COLUMN refs TEXT;"
	"ALTER TABLE messages ADD COLUMN from_sort TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE messages ADD COLUMN subject_sort TEXT NOT NULL "
	"  DEFAULT '';"
	"UPDATE messages SET from_sort = petrel_from_key(from_name, from_addr),"
	"  subject_sort = petrel_subject_key(subject);"
	"CREATE INDEX messages_from ON messages (folder_id, from_sort, date);"
	"CREATE INDEX messages_subject ON messages "
	"  (folder_id, subject_sort, date);"
	"CREATE INDEX messages_size ON messages (folder_id, size, date);"
	"CREATE INDEX folders_role ON folders (account_id, role) "
	"  WHERE role != 0;"
	"CREATE VIRTUAL TABLE messages_fts USING fts5 (subject, from_name, "
	"  from_addr, content = 'messages', content_rowid = 'id', "
	"  tokenize = 'trigram');"
	"CREATE TABLE search_state (fts_upto INTEGER NOT NULL);"
	"INSERT INTO search_state (fts_upto) VALUES (0);"
	"CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages"
	"  WHEN old.id <= (SELECT fts_upto FROM search_state) BEGIN"
	"  INSERT INTO messages_fts (messages_fts, rowid, subject, from_name,"
	"    from_addr) VALUES ('delete', old.id, old.subject, old.from_name,"
	"    old.from_addr);"
	"END;"
	"CREATE TRIGGER messages_fts_update AFTER UPDATE OF subject,"
	"  from_name, from_addr ON messages"
	"  WHEN old.id <= (SELECT fts_upto FROM search_state)"
	"    AND (old.subject IS NOT new.subject"
	"    OR old.from_name IS NOT new.from_name"
	"    OR old.from_addr IS NOT new.from_addr) BEGIN"
	"  INSERT INTO messages_fts (messages_fts, rowid, subject, from_name,"
	"    from_addr) VALUES ('delete', old.id, old.subject, old.from_name,"
	"    old.from_addr);"
	"  INSERT INTO messages_fts (rowid, subject, from_name, from_addr)"
	"    VALUES (new.id, new.subject, new.from_name, new.from_addr);"
	"END;"
	"CREATE TABLE pending_ops ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  account_id INTEGER NOT NULL"
	"    REFERENCES accounts(id) ON DELETE CASCADE,"
	"  type INTEGER NOT NULL,"
	"  folder_id INTEGER NOT NULL"
	"    REFERENCES folders(id) ON DELETE CASCADE,"
	"  remote_id TEXT NOT NULL,"
	"  add_flags INTEGER NOT NULL DEFAULT 0,"
	"  remove_flags INTEGER NOT NULL DEFAULT 0,"
	"  target_folder_id INTEGER"
	"    REFERENCES folders(id) ON DELETE CASCADE,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT,"
	"  created INTEGER NOT NULL"
	");"
	"CREATE INDEX pending_ops_account ON pending_ops (account_id, id);"
	/* Deleting a folder looks up the operations that name it. */
	"CREATE INDEX pending_ops_folder ON pending_ops (folder_id);"
	"CREATE INDEX pending_ops_target ON pending_ops (target_folder_id)"
	"  WHERE target_folder_id IS NOT NULL;";

/*
 * Version 3: the outbox.  A message is stored here, whole, before the
 * first byte of it goes to a server, and leaves only once the server
 * accepted it and any Sent copy is made (state: 0 queued, 1 handed to the
 * server (a crash then leaves it to be sent again), 2 accepted, a Sent
 * copy still to make).  Outbox rows do not go with their account's row:
 * a message is never lost to a cache clean-up.
 */
static const char cache_schema_v3[] =
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  account TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  env_from TEXT NOT NULL,"
	"  env_rcpt TEXT NOT NULL,"
	"  dsn_notify TEXT,"
	"  dsn_ret TEXT,"
	"  subject TEXT,"
	"  to_line TEXT,"
	"  raw BLOB NOT NULL,"
	"  state INTEGER NOT NULL DEFAULT 0,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_try INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT"
	");"
	"CREATE INDEX outbox_account ON outbox (account, id);";

/*
 * Version 4: what sending learnt of an account's submission server: whether
 * its EHLO offered 8BITMIME (RFC 6152), so that the next message is built
 * as 8bit text rather than quoted-printable.
 */
static const char cache_schema_v4[] =
	"CREATE TABLE smtp_caps ("
	"  account TEXT PRIMARY KEY,"
	"  eightbitmime INTEGER NOT NULL,"
	"  seen INTEGER NOT NULL"
	");";

/* One migration step: the SQL that takes the file to this version. */
struct cache_step {
	int		 version;
	const char	*sql;
};

static const struct cache_step cache_steps[] = {
	{ 1, cache_schema_v1 },
	{ 2, cache_schema_v2 },
	{ 3, cache_schema_v3 },
	{ 4, cache_schema_v4 },
};

_Static_assert(sizeof cache_steps / sizeof cache_steps[0] ==
    CACHE_SCHEMA_VERSION, "one migration step per schema version");

/* Read an integer PRAGMA of the file. */
static int
cache_schema_pragma(struct cache *c, const char *sql, int *value,
    struct error *e)
{
	sqlite3_stmt	*s = NULL;
	int		 rv = -1;

	if (sqlite3_prepare_v2(c->db, sql, -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW) {
		cache_sqlerr(c, e, "%s", sql);
		goto out;
	}
	*value = sqlite3_column_int(s, 0);
	rv = 0;
out:
	sqlite3_finalize(s);
	return rv;
}

/* Is the version one this build can use? */
static int
cache_schema_refuse_newer(struct cache *c, int version, struct error *e)
{
	if (version <= CACHE_SCHEMA_VERSION)
		return 0;
	return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "cache schema version "
	    "%d is newer than this petrel supports (%d); upgrade petrel or "
	    "remove the cache", version, CACHE_SCHEMA_VERSION);
}

/*
 * Refuse a file that is not a petrel cache (not SQLite, another program's
 * database) or is newer than this build; reads only.
 */
int
cache_schema_check(struct cache *c, struct error *e)
{
	int	app_id, version;

	if (cache_schema_pragma(c, "PRAGMA application_id", &app_id, e) != 0 ||
	    cache_schema_pragma(c, "PRAGMA user_version", &version, e) != 0) {
		switch (sqlite3_errcode(c->db) & 0xff) {
		case SQLITE_NOTADB:
		case SQLITE_CORRUPT:
			return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "%s is not "
			    "a petrel cache: %s", c->path,
			    sqlite3_errmsg(c->db));
		default:
			error_prefix(e, "open cache %s", c->path);
			return -1;
		}
	}
	if (app_id != 0 && app_id != CACHE_APPLICATION_ID) {
		return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "%s is not a "
		    "petrel cache: application id %#x belongs to another "
		    "program", c->path, (unsigned)app_id);
	}
	if (cache_schema_refuse_newer(c, version, e) != 0) {
		error_prefix(e, "%s", c->path);
		return -1;
	}
	return 0;
}

/* Apply one step in its own transaction, unless it is already applied. */
static int
cache_schema_step(struct cache *c, const struct cache_step *step,
    struct error *e)
{
	char	*bump = NULL;
	int	 version, rv = -1;

	if (cache_begin(c, e) != 0)
		return -1;
	/* Another connection may have migrated while we waited for the lock. */
	if (cache_schema_version(c, &version, e) != 0)
		goto out;
	if (cache_schema_refuse_newer(c, version, e) != 0)
		goto out;
	if (version < step->version) {
		if (sqlite3_exec(c->db, step->sql, NULL, NULL, NULL) !=
		    SQLITE_OK) {
			cache_sqlerr(c, e, "migrate to schema version %d",
			    step->version);
			goto out;
		}
		bump = xasprintf("PRAGMA user_version = %d", step->version);
		if (sqlite3_exec(c->db, bump, NULL, NULL, NULL) != SQLITE_OK) {
			cache_sqlerr(c, e, "%s", bump);
			goto out;
		}
	}
	rv = cache_commit(c, e);
out:
	if (rv != 0)
		cache_rollback(c);
	free(bump);
	return rv;
}

/* Bring the file to CACHE_SCHEMA_VERSION, one step at a time. */
int
cache_schema_migrate(struct cache *c, struct error *e)
{
	size_t	i;
	int	version;

	if (cache_schema_version(c, &version, e) != 0)
		return -1;
	if (cache_schema_refuse_newer(c, version, e) != 0)
		return -1;
	/*
	 * Steps already applied are skipped without taking the write lock: a
	 * worker may hold it for a long sync while the UI opens the cache.
	 */
	for (i = 0; i < sizeof cache_steps / sizeof cache_steps[0]; i++) {
		if (cache_steps[i].version <= version)
			continue;
		if (cache_schema_step(c, &cache_steps[i], e) != 0)
			return -1;
	}
	return 0;
}

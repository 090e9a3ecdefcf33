/*
 * test_cache_ops.c - unit tests of schema version 2: the migration of a
 * real version-1 file, folder roles, and the queue of pending operations.
 */
#include <sys/stat.h>

#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache/cache.h"
#include "test_tmpdir.h"
#include "util/xmalloc.h"

static char	 test_dir[64];
static char	*test_path;

/* The version-1 schema exactly as petrel 0.1 (issue 2) wrote it. */
static const char test_schema_v1[] =
	"PRAGMA application_id = 1349808748;"
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
	"CREATE INDEX messages_list ON messages (folder_id, date, id);"
	"CREATE INDEX messages_unread ON messages (folder_id, flags)"
	"  WHERE (flags & 1) = 0;"
	"CREATE TABLE bodies ("
	"  msg_id INTEGER PRIMARY KEY"
	"    REFERENCES messages(id) ON DELETE CASCADE,"
	"  raw BLOB NOT NULL"
	");"
	"PRAGMA journal_mode = WAL;"
	"INSERT INTO accounts (name) VALUES ('acct');"
	"INSERT INTO folders (account_id, remote_name, name, delim, sync_state)"
	"  VALUES (1, 'INBOX', 'INBOX', 47, 'uidvalidity=7');"
	"INSERT INTO folders (account_id, remote_name, name, delim)"
	"  VALUES (1, 'Sent', 'Sent', 47);"
	"INSERT INTO messages (folder_id, remote_id, date, from_name,"
	"  from_addr, to_addrs, subject, message_id, in_reply_to, size, flags) VALUES"
	"  (1, '1', 100, 'Zed', 'zed@example.org', 'me@example.org',"
	"   'Re: Plans', '<p2@x>', '<p1@x>', 10, 1),"
	"  (1, '2', 200, NULL, 'amy@example.org', NULL, 'apples', '<a@x>',"
	"   NULL, 20, 0),"
	"  (2, '1', 150, 'Me', 'me@example.org', NULL, 'Plans', '<p1@x>',"
	"   NULL, 30, 1);"
	"INSERT INTO bodies (msg_id, raw) VALUES (2, x'6869');"
	"PRAGMA user_version = 1;";

/* Make a fresh temporary directory for one test. */
static void
setup(void)
{
	test_tmpdir_make(test_dir, sizeof test_dir, "petrel-cacheo");
	test_path = xasprintf("%s/cache.db", test_dir);
}

/* Remove the temporary directory. */
static void
teardown(void)
{
	test_tmpdir_remove(test_dir);
	free(test_path);
	test_path = NULL;
}

/* Open the test cache, failing the test on error. */
static struct cache *
test_open(void)
{
	struct error	 e;
	struct cache	*c;

	c = cache_open(test_path, &e);
	ck_assert_msg(c != NULL, "cache_open: %s", e.msg);
	return c;
}

/* Run SQL through a plain SQLite connection. */
static void
test_sql(const char *sql)
{
	sqlite3	*db;
	char	*msg = NULL;

	ck_assert_int_eq(sqlite3_open(test_path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		ck_abort_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

/* Read one integer through a plain SQLite connection. */
static int64_t
test_sql_int(const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	int64_t		 v;

	ck_assert_int_eq(sqlite3_open(test_path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

START_TEST(test_migrate_v1)
{
	struct cache		*c;
	struct cache_folder	 f;
	struct cache_msg	 m;
	struct cache_query	 q;
	struct cache_msg	*page;
	struct error		 e;
	char			*state, *raw;
	size_t			 n, len;
	int64_t			 count, acct;
	int			 v;

	test_sql(test_schema_v1);
	c = test_open();
	ck_assert_int_eq(cache_schema_version(c, &v, &e), 0);
	ck_assert_int_eq(v, CACHE_SCHEMA_VERSION);
	/* Every row is kept, with what it had. */
	ck_assert_int_eq(cache_account_id(c, "acct", &acct, &e), 0);
	ck_assert_int_eq(acct, 1);
	ck_assert_int_eq(cache_folder_find(c, 1, "INBOX", &f, &e), 0);
	ck_assert_int_eq(f.id, 1);
	ck_assert_int_eq(f.total, 2);
	ck_assert_int_eq(f.unread, 1);
	ck_assert_int_eq(f.role, CACHE_ROLE_NONE);
	cache_folder_fini(&f);
	ck_assert_int_eq(cache_folder_get_state(c, 1, &state, &e), 0);
	ck_assert_str_eq(state, "uidvalidity=7");
	free(state);
	ck_assert_int_eq(cache_msg_get(c, 1, &m, &e), 0);
	ck_assert_str_eq(m.subject, "Re: Plans");
	ck_assert_str_eq(m.in_reply_to, "<p1@x>");
	ck_assert_ptr_null(m.references);
	ck_assert_uint_eq(m.flags, CACHE_FLAG_SEEN);
	cache_msg_fini(&m);
	ck_assert_int_eq(cache_body_get(c, 2, &raw, &len, &e), 0);
	ck_assert_str_eq(raw, "hi");
	free(raw);
	/* The new columns work on old rows: sort keys were filled... */
	memset(&q, 0, sizeof q);
	q.folder_id = 1;
	q.sort = CACHE_SORT_SUBJECT;
	ck_assert_int_eq(cache_query_page(c, &q, 0, 10, &page, &n, &e), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(page[0].subject, "apples");
	ck_assert_str_eq(page[1].subject, "Re: Plans");
	cache_msg_list_free(page, n);
	q.sort = CACHE_SORT_FROM;
	ck_assert_int_eq(cache_query_page(c, &q, 0, 10, &page, &n, &e), 0);
	ck_assert_str_eq(page[0].remote_id, "2");	/* amy@ < zed */
	cache_msg_list_free(page, n);
	/* ...old rows are searchable (by LIKE until indexed)... */
	q.match_fields = CACHE_MATCH_SUBJECT;
	q.match_text = "plans";
	ck_assert_int_eq(cache_query_count(c, &q, &count, &e), 0);
	ck_assert_int_eq(count, 1);
	ck_assert_int_eq(cache_search_index(c, &e), 0);
	ck_assert_int_eq(test_sql_int("SELECT count(*) FROM messages_fts "
	    "WHERE messages_fts MATCH 'plans'"), 2);
	ck_assert_int_eq(cache_query_count(c, &q, &count, &e), 0);
	ck_assert_int_eq(count, 1);
	/* ...and references and roles can be stored. */
	ck_assert_int_eq(cache_msg_get(c, 1, &m, &e), 0);
	m.references = xstrdup("<p1@x>");
	ck_assert_int_eq(cache_msg_put(c, &m, &e), 0);
	ck_assert_int_eq(m.id, 1);
	cache_msg_fini(&m);
	ck_assert_int_eq(cache_msg_get(c, 1, &m, &e), 0);
	ck_assert_str_eq(m.references, "<p1@x>");
	cache_msg_fini(&m);
	ck_assert_int_eq(cache_folder_set_role(c, 2, CACHE_ROLE_SENT, &e), 0);
	cache_close(c);
	ck_assert_int_eq(test_sql_int("PRAGMA user_version"),
	    CACHE_SCHEMA_VERSION);
	ck_assert_int_eq(test_sql_int("SELECT role FROM folders WHERE id = 2"),
	    CACHE_ROLE_SENT);
	/* Reopening migrates nothing twice. */
	c = test_open();
	ck_assert_int_eq(cache_schema_version(c, &v, &e), 0);
	ck_assert_int_eq(v, CACHE_SCHEMA_VERSION);
	cache_close(c);
}
END_TEST

START_TEST(test_migrate_v1_failure_keeps_v1)
{
	struct cache	*c;
	struct error	 e;

	/* A clash in step 2 rolls it back whole: the file stays version 1. */
	test_sql(test_schema_v1);
	test_sql("CREATE TABLE pending_ops (x)");
	c = cache_open(test_path, &e);
	ck_assert_ptr_null(c);
	ck_assert_msg(strstr(e.msg, "migrate to schema version 2") != NULL,
	    "%s", e.msg);
	ck_assert_int_eq(test_sql_int("PRAGMA user_version"), 1);
	ck_assert_int_eq(test_sql_int("SELECT count(*) FROM pragma_table_info"
	    "('messages') WHERE name = 'refs'"), 0);
	ck_assert_int_eq(test_sql_int("SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'messages_fts'"), 0);
	ck_assert_int_eq(test_sql_int("SELECT count(*) FROM messages"), 3);
}
END_TEST

/* A new account with the folders INBOX, Sent and Trash. */
static int64_t
test_account(struct cache *c, const char *name, int64_t *folders)
{
	static const char *const names[] = { "INBOX", "Sent", "Trash" };
	struct error	e;
	int64_t		acct;
	size_t		i;

	ck_assert_int_eq(cache_account_id(c, name, &acct, &e), 0);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(cache_folder_put(c, acct, names[i], NULL, '/',
		    0, &folders[i], &e), 0);
	return acct;
}

START_TEST(test_roles)
{
	struct cache		*c;
	struct cache_folder	 f, *list;
	struct error		 e;
	int64_t			 a, b, fa[3], fb[3];
	size_t			 n, i;

	c = test_open();
	a = test_account(c, "a", fa);
	b = test_account(c, "b", fb);
	ck_assert_int_eq(cache_folder_find_role(c, a, CACHE_ROLE_SENT, &f, &e),
	    1);
	cache_folder_fini(&f);
	ck_assert_int_eq(cache_folder_set_role(c, fa[1], CACHE_ROLE_SENT, &e),
	    0);
	ck_assert_int_eq(cache_folder_set_role(c, fa[2], CACHE_ROLE_TRASH, &e),
	    0);
	ck_assert_int_eq(cache_folder_set_role(c, fb[2], CACHE_ROLE_SENT, &e),
	    0);
	ck_assert_int_eq(cache_folder_find_role(c, a, CACHE_ROLE_SENT, &f, &e),
	    0);
	ck_assert_int_eq(f.id, fa[1]);
	ck_assert_str_eq(f.remote_name, "Sent");
	ck_assert_int_eq(f.role, CACHE_ROLE_SENT);
	cache_folder_fini(&f);
	/* A role moves: the folder that had it loses it; other accounts not. */
	ck_assert_int_eq(cache_folder_set_role(c, fa[2], CACHE_ROLE_SENT, &e),
	    0);
	ck_assert_int_eq(cache_folder_find_role(c, a, CACHE_ROLE_SENT, &f, &e),
	    0);
	ck_assert_int_eq(f.id, fa[2]);
	cache_folder_fini(&f);
	ck_assert_int_eq(cache_folder_find_role(c, a, CACHE_ROLE_TRASH, &f,
	    &e), 1);
	ck_assert_int_eq(cache_folder_find_role(c, b, CACHE_ROLE_SENT, &f, &e),
	    0);
	ck_assert_int_eq(f.id, fb[2]);
	cache_folder_fini(&f);
	/* The list carries roles; re-listing a folder keeps its role. */
	ck_assert_int_eq(cache_folder_put(c, a, "Trash", "Papierkorb", '/', 0,
	    &fa[2], &e), 0);
	ck_assert_int_eq(cache_folder_list(c, a, &list, &n, &e), 0);
	ck_assert_uint_eq(n, 3);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(list[i].role, list[i].id == fa[2] ?
		    CACHE_ROLE_SENT : CACHE_ROLE_NONE);
	}
	cache_folder_list_free(list, n);
	/* NONE takes a role away and is not unique. */
	ck_assert_int_eq(cache_folder_set_role(c, fa[2], CACHE_ROLE_NONE, &e),
	    0);
	ck_assert_int_eq(cache_folder_find_role(c, a, CACHE_ROLE_SENT, &f, &e),
	    1);
	ck_assert_int_eq(cache_folder_find_role(c, b, CACHE_ROLE_SENT, &f, &e),
	    0);
	cache_folder_fini(&f);
	/* Bad input. */
	ck_assert_int_eq(cache_folder_set_role(c, 9999, CACHE_ROLE_SENT, &e),
	    -1);
	ck_assert_int_eq(e.code, ERR_NOTFOUND);
	ck_assert_int_eq(cache_folder_set_role(c, fa[0], (enum cache_role)99,
	    &e), -1);
	ck_assert_int_eq(cache_folder_find_role(c, a, CACHE_ROLE_NONE, &f, &e),
	    -1);
	cache_close(c);
}
END_TEST

/* Queue one operation and return its id. */
static int64_t
test_op(struct cache *c, int64_t acct, enum cache_op_type type,
    int64_t folder, const char *rid, int64_t target)
{
	struct cache_op	op;
	struct error	e;

	memset(&op, 0, sizeof op);
	op.account_id = acct;
	op.type = type;
	op.folder_id = folder;
	op.remote_id = (char *)rid;
	op.add = CACHE_FLAG_SEEN;
	op.remove = CACHE_FLAG_FLAGGED;
	op.target_folder_id = target;
	ck_assert_msg(cache_op_add(c, &op, &e) == 0, "%s", e.msg);
	ck_assert_int_gt(op.id, 0);
	return op.id;
}

START_TEST(test_pending_ops)
{
	struct cache	*c;
	struct cache_op	*ops, bad;
	struct error	 e;
	int64_t		 a, b, fa[3], fb[3], id1, id2, id3, id4, id5;
	size_t		 n;
	char		 longerr[1000];

	c = test_open();
	a = test_account(c, "a", fa);
	b = test_account(c, "b", fb);
	id1 = test_op(c, a, CACHE_OP_FLAGS, fa[0], "7", 99);
	id2 = test_op(c, b, CACHE_OP_MOVE, fb[0], "8", fb[2]);
	id3 = test_op(c, a, CACHE_OP_MOVE, fa[0], "9", fa[2]);
	id4 = test_op(c, a, CACHE_OP_EXPUNGE, fa[1], "10", 0);
	ck_assert_int_lt(id1, id3);

	ck_assert_int_eq(cache_op_list(c, a, &ops, &n, &e), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(ops[0].id, id1);
	ck_assert_int_eq(ops[0].account_id, a);
	ck_assert_int_eq(ops[0].type, CACHE_OP_FLAGS);
	ck_assert_int_eq(ops[0].folder_id, fa[0]);
	ck_assert_str_eq(ops[0].remote_id, "7");
	ck_assert_uint_eq(ops[0].add, CACHE_FLAG_SEEN);
	ck_assert_uint_eq(ops[0].remove, CACHE_FLAG_FLAGGED);
	ck_assert_int_eq(ops[0].target_folder_id, 0);	/* not a move */
	ck_assert_int_eq(ops[0].attempts, 0);
	ck_assert_ptr_null(ops[0].last_error);
	ck_assert_int_eq(ops[1].id, id3);
	ck_assert_int_eq(ops[1].target_folder_id, fa[2]);
	ck_assert_int_eq(ops[2].id, id4);
	ck_assert_int_eq(ops[2].type, CACHE_OP_EXPUNGE);
	cache_op_list_free(ops, n);

	/*
	 * Across accounts: queued on the target account (b), naming a
	 * message of the source (a), kept with its target folder.
	 */
	id5 = test_op(c, b, CACHE_OP_XMOVE, fa[0], "11", fb[1]);
	ck_assert_int_eq(cache_op_list(c, b, &ops, &n, &e), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(ops[1].id, id5);
	ck_assert_int_eq(ops[1].type, CACHE_OP_XMOVE);
	ck_assert_int_eq(ops[1].folder_id, fa[0]);
	ck_assert_int_eq(ops[1].target_folder_id, fb[1]);
	cache_op_list_free(ops, n);
	/* A second move of it must see the first (a copy is no move). */
	ck_assert_int_eq(cache_op_moving(c, fa[0], "11", &e), 1);
	ck_assert_int_eq(cache_op_moving(c, fa[0], "12", &e), 0);
	ck_assert_int_eq(cache_op_moving(c, fa[1], "11", &e), 0);
	(void)test_op(c, b, CACHE_OP_XCOPY, fa[0], "12", fb[1]);
	ck_assert_int_eq(cache_op_moving(c, fa[0], "12", &e), 0);
	ck_assert_int_eq(cache_op_done(c, id5, &e), 0);
	ck_assert_int_eq(cache_op_moving(c, fa[0], "11", &e), 0);

	/* Failures count and keep the last reason, cut at a character. */
	ck_assert_int_eq(cache_op_failed(c, id3, "NO [TRYCREATE] no Trash",
	    &e), 0);
	memset(longerr, 'x', sizeof longerr);
	memcpy(longerr + 511, "\xc3\xa9", 2);	/* straddles 512 */
	longerr[sizeof longerr - 1] = '\0';
	ck_assert_int_eq(cache_op_failed(c, id3, longerr, &e), 0);
	ck_assert_int_eq(cache_op_failed(c, 9999, "x", &e), -1);
	ck_assert_int_eq(e.code, ERR_NOTFOUND);
	ck_assert_int_eq(cache_op_done(c, id1, &e), 0);
	ck_assert_int_eq(cache_op_done(c, id1, &e), 0);
	ck_assert_int_eq(cache_op_list(c, a, &ops, &n, &e), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(ops[0].id, id3);
	ck_assert_int_eq(ops[0].attempts, 2);
	ck_assert_uint_eq(strlen(ops[0].last_error), 511);
	cache_op_list_free(ops, n);

	/* Ops go with their folder (source or target) and account. */
	test_sql("PRAGMA foreign_keys = ON; DELETE FROM folders WHERE id = "
	    "(SELECT id FROM folders WHERE remote_name = 'Trash' AND "
	    "account_id = 1)");
	ck_assert_int_eq(cache_op_list(c, a, &ops, &n, &e), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(ops[0].id, id4);
	cache_op_list_free(ops, n);
	ck_assert_int_eq(cache_folder_prune(c, b, NULL, 0, &e), 0);
	ck_assert_int_eq(cache_op_list(c, b, &ops, &n, &e), 0);
	ck_assert_uint_eq(n, 0);
	cache_op_list_free(ops, n);
	(void)id2;

	/* Operations the worker could not replay are refused. */
	memset(&bad, 0, sizeof bad);
	bad.account_id = a;
	bad.folder_id = fa[0];
	bad.remote_id = (char *)"1";
	bad.type = CACHE_OP_COPY;
	ck_assert_int_eq(cache_op_add(c, &bad, &e), -1);	/* no target */
	bad.type = CACHE_OP_XMOVE;
	ck_assert_int_eq(cache_op_add(c, &bad, &e), -1);	/* no target */
	bad.type = (enum cache_op_type)77;
	ck_assert_int_eq(cache_op_add(c, &bad, &e), -1);
	bad.type = CACHE_OP_FLAGS;
	bad.remote_id = NULL;
	ck_assert_int_eq(cache_op_add(c, &bad, &e), -1);
	bad.remote_id = (char *)"1";
	bad.folder_id = 9999;
	/* The folder does not exist: the foreign key refuses it. */
	ck_assert_int_eq(cache_op_add(c, &bad, &e), -1);
	ck_assert_int_eq(e.code, ERR_CACHE);
	cache_close(c);
}
END_TEST

START_TEST(test_pending_ops_atomic_with_change)
{
	struct cache	*c;
	struct cache_op	*ops;
	struct error	 e;
	struct cache_msg m;
	int64_t		 a, fa[3];
	size_t		 n;

	/* Change and queue in one transaction; a rollback drops both. */
	c = test_open();
	a = test_account(c, "a", fa);
	memset(&m, 0, sizeof m);
	m.folder_id = fa[0];
	m.remote_id = (char *)"5";
	ck_assert_int_eq(cache_msg_put(c, &m, &e), 0);
	ck_assert_int_eq(cache_begin(c, &e), 0);
	ck_assert_int_eq(cache_msg_set_flags(c, fa[0], "5", CACHE_FLAG_SEEN,
	    &e), 0);
	test_op(c, a, CACHE_OP_FLAGS, fa[0], "5", 0);
	cache_rollback(c);
	ck_assert_int_eq(cache_op_list(c, a, &ops, &n, &e), 0);
	ck_assert_uint_eq(n, 0);
	cache_op_list_free(ops, n);
	ck_assert_int_eq(cache_msg_find(c, fa[0], "5", &m, &e), 0);
	ck_assert_uint_eq(m.flags, 0);
	cache_msg_fini(&m);
	cache_close(c);
}
END_TEST

/* Create the suite. */
/* What cache_addr_candidates handed over. */
struct test_addr_seen {
	int	 rows;
	int	 sent;
	char	 last_to[64];
};

static void
test_addr_cb(void *arg, const char *from_name, const char *from_addr,
    const char *to_line, int64_t date, bool sent)
{
	struct test_addr_seen	*seen = arg;

	(void)from_name;
	(void)from_addr;
	(void)date;
	seen->rows++;
	seen->sent += sent;
	if (to_line != NULL)
		snprintf(seen->last_to, sizeof seen->last_to, "%s", to_line);
}

/* Completion rows: sender or To: containing the text, Sent marked. */
START_TEST(test_addr_candidates)
{
	struct cache		*c;
	struct cache_msg	 m;
	struct test_addr_seen	 seen;
	struct error		 e;
	int64_t			 a, f[3];
	int			 i;

	c = test_open();
	a = test_account(c, "a", f);
	(void)a;
	ck_assert_int_eq(cache_folder_set_role(c, f[1], CACHE_ROLE_SENT, &e),
	    0);
	for (i = 0; i < 4; i++) {
		memset(&m, 0, sizeof m);
		m.folder_id = i < 2 ? f[1] : f[0];
		m.remote_id = xasprintf("%d", i);
		m.date = 1000 + i;
		m.from_addr = (char *)(i < 2 ? "me@x" : "caroline@x");
		m.to = (char *)(i < 2 ? "Carol <carol@x>" : "me@x");
		ck_assert_int_eq(cache_msg_put(c, &m, &e), 0);
		free(m.remote_id);
	}
	memset(&seen, 0, sizeof seen);
	ck_assert_int_eq(cache_addr_candidates(c, "CAROL", 100, test_addr_cb,
	    &seen, &e), 0);
	ck_assert_int_eq(seen.rows, 4);
	ck_assert_int_eq(seen.sent, 2);
	/* Newest first: the last row handed over is the oldest. */
	ck_assert_str_eq(seen.last_to, "Carol <carol@x>");
	memset(&seen, 0, sizeof seen);
	ck_assert_int_eq(cache_addr_candidates(c, "caroline", 1, test_addr_cb,
	    &seen, &e), 0);
	ck_assert_int_eq(seen.rows, 1);
	/* LIKE wildcards typed are taken literally. */
	memset(&seen, 0, sizeof seen);
	ck_assert_int_eq(cache_addr_candidates(c, "%", 100, test_addr_cb,
	    &seen, &e), 0);
	ck_assert_int_eq(seen.rows, 0);
	cache_close(c);
}
END_TEST

static Suite *
cache_ops_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("cache_ops");
	tc = tcase_create("ops");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_migrate_v1);
	tcase_add_test(tc, test_migrate_v1_failure_keeps_v1);
	tcase_add_test(tc, test_roles);
	tcase_add_test(tc, test_pending_ops);
	tcase_add_test(tc, test_pending_ops_atomic_with_change);
	tcase_add_test(tc, test_addr_candidates);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(cache_ops_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

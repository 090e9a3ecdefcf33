/*
 * test_cache.c - unit tests of src/cache/: opening and file modes, schema
 * versions and migrations, accounts, folders, messages, bodies, corrupt
 * files and two connections on one file.
 *
 * Each test runs in its own temporary directory (mkdtemp) removed after.
 * Files of other shapes (newer version, foreign, older) are crafted with
 * the SQLite API directly.
 */
#include <sys/stat.h>

#include <check.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache/cache.h"
#include "test_tmpdir.h"
#include "util/xmalloc.h"

static char	 test_dir[64];
static char	*test_path;

/* Make a fresh temporary directory for one test. */
static void
setup(void)
{
	test_tmpdir_make(test_dir, sizeof test_dir, "petrel-cache");
	test_path = xasprintf("%s/sub/dir/cache.db", test_dir);
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

	error_clear(&e);
	c = cache_open(test_path, &e);
	ck_assert_msg(c != NULL, "cache_open: %s", e.msg);
	return c;
}

/* Run SQL on a file through a plain SQLite connection. */
static void
test_sql(const char *path, const char *sql)
{
	sqlite3	*db;
	char	*msg = NULL;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		ck_abort_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

/* Read one integer with a plain SQLite connection. */
static int64_t
test_sql_int(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	int64_t		 v;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/* Create the parent directories of test_path (for crafted files). */
static void
test_mkparents(void)
{
	char	*p;

	p = xasprintf("%s/sub", test_dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	free(p);
	p = xasprintf("%s/sub/dir", test_dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	free(p);
}

/* Store a message with the given envelope. */
static int64_t
test_put(struct cache *c, int64_t folder, const char *rid, int64_t date,
    unsigned flags)
{
	struct cache_msg	m;
	struct error		e;

	memset(&m, 0, sizeof m);
	m.folder_id = folder;
	m.remote_id = (char *)rid;
	m.date = date;
	m.subject = (char *)"subject";
	m.size = 100;
	m.flags = flags;
	ck_assert_msg(cache_msg_put(c, &m, &e) == 0, "put: %s", e.msg);
	ck_assert_int_gt(m.id, 0);
	return m.id;
}

/* A new account and folder to put messages in. */
static int64_t
test_folder(struct cache *c, const char *name)
{
	struct error	e;
	int64_t		acct, folder;

	ck_assert_int_eq(cache_account_id(c, "acct", &acct, &e), 0);
	ck_assert_msg(cache_folder_put(c, acct, name, name, '/', 0, &folder,
	    &e) == 0, "%s", e.msg);
	return folder;
}

START_TEST(test_open_close_modes)
{
	struct cache	*c;
	struct stat	 st;
	char		*p;
	mode_t		 old;
	int		 v;
	struct error	 e;

	/* A permissive umask must not leak into the cache's modes. */
	old = umask(0);
	c = test_open();
	umask(old);
	ck_assert_int_eq(stat(test_path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	p = xasprintf("%s/sub", test_dir);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	free(p);
	/* Write something so the WAL and shared-memory files exist. */
	test_folder(c, "INBOX");
	p = xasprintf("%s-wal", test_path);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	free(p);
	p = xasprintf("%s-shm", test_path);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	free(p);
	ck_assert_int_eq(cache_schema_version(c, &v, &e), 0);
	ck_assert_int_eq(v, CACHE_SCHEMA_VERSION);
	ck_assert_int_eq(v, 4);
	cache_close(c);
	cache_close(NULL);
	ck_assert_int_eq(test_sql_int(test_path, "PRAGMA user_version"), 4);
	ck_assert_int_eq(test_sql_int(test_path, "PRAGMA application_id"),
	    0x5074726c);
}
END_TEST

START_TEST(test_open_tightens_mode)
{
	struct cache	*c;
	struct stat	 st;
	int		 fd;

	test_mkparents();
	fd = open(test_path, O_CREAT | O_WRONLY, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fchmod(fd, 0644), 0);
	close(fd);
	c = test_open();
	ck_assert_int_eq(stat(test_path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	cache_close(c);
}
END_TEST

START_TEST(test_wal_mode)
{
	struct cache	*c;
	sqlite3		*db;
	sqlite3_stmt	*s;

	c = test_open();
	cache_close(c);
	ck_assert_int_eq(sqlite3_open(test_path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s,
	    NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	sqlite3_close(db);
}
END_TEST

START_TEST(test_reopen_idempotent)
{
	struct cache	*c;
	struct error	 e;
	int64_t		 folder;
	int		 v;

	c = test_open();
	folder = test_folder(c, "INBOX");
	test_put(c, folder, "1", 10, 0);
	cache_close(c);
	c = test_open();
	ck_assert_int_eq(cache_schema_version(c, &v, &e), 0);
	ck_assert_int_eq(v, CACHE_SCHEMA_VERSION);
	ck_assert_int_eq(test_folder(c, "INBOX"), folder);
	ck_assert_int_eq(test_put(c, folder, "2", 20, 0), 2);
	cache_close(c);
}
END_TEST

START_TEST(test_newer_version_refused)
{
	struct cache	*c;
	struct error	 e;

	test_mkparents();
	test_sql(test_path, "CREATE TABLE future (x); "
	    "PRAGMA user_version = 99");
	error_clear(&e);
	c = cache_open(test_path, &e);
	ck_assert_ptr_null(c);
	ck_assert_int_eq(e.code, ERR_CACHE);
	ck_assert_msg(strstr(e.msg, "version 99 is newer") != NULL, "%s",
	    e.msg);
	ck_assert_msg(strstr(e.msg, test_path) != NULL, "%s", e.msg);
	/* Left untouched: still version 99, not switched to WAL. */
	ck_assert_int_eq(test_sql_int(test_path, "PRAGMA user_version"), 99);
	ck_assert_int_eq(test_sql_int(test_path, "SELECT count(*) FROM "
	    "sqlite_master WHERE name = 'messages'"), 0);
}
END_TEST

START_TEST(test_foreign_app_refused)
{
	struct cache	*c;
	struct error	 e;

	test_mkparents();
	test_sql(test_path, "PRAGMA application_id = 1234");
	c = cache_open(test_path, &e);
	ck_assert_ptr_null(c);
	ck_assert_int_eq(e.code, ERR_CACHE);
	ck_assert_msg(strstr(e.msg, "is not a petrel cache") != NULL, "%s",
	    e.msg);
}
END_TEST

START_TEST(test_migrate_old_file)
{
	struct cache	*c;
	struct error	 e;
	int		 v;

	/* A version-0 SQLite file that already holds an unrelated table. */
	test_mkparents();
	test_sql(test_path, "CREATE TABLE notes (t TEXT);"
	    "INSERT INTO notes VALUES ('keep me')");
	c = test_open();
	ck_assert_int_eq(cache_schema_version(c, &v, &e), 0);
	ck_assert_int_eq(v, CACHE_SCHEMA_VERSION);
	test_put(c, test_folder(c, "INBOX"), "1", 1, 0);
	cache_close(c);
	ck_assert_int_eq(test_sql_int(test_path, "SELECT count(*) FROM notes "
	    "WHERE t = 'keep me'"), 1);
	ck_assert_int_eq(test_sql_int(test_path, "SELECT count(*) FROM "
	    "messages"), 1);
}
END_TEST

START_TEST(test_migrate_failure_rolls_back)
{
	struct cache	*c;
	struct error	 e;

	/* A clashing table makes step 1 fail half-way: nothing may stay. */
	test_mkparents();
	test_sql(test_path, "CREATE TABLE messages (x)");
	error_clear(&e);
	c = cache_open(test_path, &e);
	ck_assert_ptr_null(c);
	ck_assert_int_eq(e.code, ERR_CACHE);
	ck_assert_msg(strstr(e.msg, "migrate to schema version 1") != NULL &&
	    strstr(e.msg, "already exists") != NULL, "%s", e.msg);
	ck_assert_int_eq(test_sql_int(test_path, "PRAGMA user_version"), 0);
	ck_assert_int_eq(test_sql_int(test_path, "PRAGMA application_id"), 0);
	ck_assert_int_eq(test_sql_int(test_path, "SELECT count(*) FROM "
	    "sqlite_master WHERE name IN ('accounts', 'folders')"), 0);
}
END_TEST

START_TEST(test_corrupt_file)
{
	struct cache	*c;
	struct error	 e;
	FILE		*f;
	int		 i;

	test_mkparents();
	f = fopen(test_path, "w");
	ck_assert_ptr_nonnull(f);
	for (i = 0; i < 4096; i++)
		fputc("garbage\n"[i % 8], f);
	fclose(f);
	error_clear(&e);
	c = cache_open(test_path, &e);
	ck_assert_ptr_null(c);
	ck_assert_int_eq(e.code, ERR_CACHE);
	ck_assert_msg(strstr(e.msg, "is not a petrel cache: file is not a "
	    "database") != NULL, "%s", e.msg);
	ck_assert_msg(strncmp(e.msg, test_path, strlen(test_path)) == 0,
	    "%s", e.msg);
}
END_TEST

START_TEST(test_corrupt_pages)
{
	struct cache	*c;
	struct error	 e;
	struct cache_msg *msgs = NULL;
	size_t		 n;
	char		 junk[4096];
	int64_t		 folder;
	int		 fd, i, rv;

	/* A real cache whose pages after the first are overwritten. */
	c = test_open();
	folder = test_folder(c, "INBOX");
	ck_assert_int_eq(cache_begin(c, &e), 0);
	for (i = 0; i < 2000; i++) {
		char id[16];

		snprintf(id, sizeof id, "%d", i);
		test_put(c, folder, id, i, 0);
	}
	ck_assert_int_eq(cache_commit(c, &e), 0);
	cache_close(c);
	memset(junk, 0xa5, sizeof junk);
	fd = open(test_path, O_WRONLY);
	ck_assert_int_ge(fd, 0);
	for (i = 1; i < 40; i++)
		ck_assert_int_eq(pwrite(fd, junk, sizeof junk,
		    (off_t)i * 4096), (ssize_t)sizeof junk);
	close(fd);
	/* Open or the first read fails cleanly; nothing crashes. */
	error_clear(&e);
	c = cache_open(test_path, &e);
	if (c == NULL) {
		ck_assert_int_eq(e.code, ERR_CACHE);
		return;
	}
	/* The index and table pages read here are garbage. */
	rv = cache_msg_page(c, folder, 0, 5000, &msgs, &n, &e);
	ck_assert_int_eq(rv, -1);
	ck_assert_int_eq(e.code, ERR_CACHE);
	ck_assert_msg(strstr(e.msg, "malformed") != NULL, "%s", e.msg);
	cache_close(c);
}
END_TEST

START_TEST(test_accounts)
{
	struct cache	*c;
	struct error	 e;
	int64_t		 a, b, a2;

	c = test_open();
	ck_assert_int_eq(cache_account_id(c, "work", &a, &e), 0);
	ck_assert_int_eq(cache_account_id(c, "home", &b, &e), 0);
	ck_assert_int_ne(a, b);
	ck_assert_int_eq(cache_account_id(c, "work", &a2, &e), 0);
	ck_assert_int_eq(a, a2);
	cache_close(c);
	c = test_open();
	ck_assert_int_eq(cache_account_id(c, "home", &a2, &e), 0);
	ck_assert_int_eq(b, a2);
	cache_close(c);
}
END_TEST

/* Four folders of account "a" (ids[0..3]) and an INBOX of "b" (ids[4]). */
static void
test_folders_make(struct cache *c, int64_t *acct, int64_t *other,
    int64_t ids[5])
{
	struct error	e;

	ck_assert_int_eq(cache_account_id(c, "a", acct, &e), 0);
	ck_assert_int_eq(cache_account_id(c, "b", other, &e), 0);
	ck_assert_int_eq(cache_folder_put(c, *acct, "Sent", "Sent", '/', 0,
	    &ids[0], &e), 0);
	ck_assert_int_eq(cache_folder_put(c, *acct, "archive", "archive", '/',
	    0, &ids[1], &e), 0);
	ck_assert_int_eq(cache_folder_put(c, *acct, "Inbox", "Inbox", '/', 0,
	    &ids[2], &e), 0);
	ck_assert_int_eq(cache_folder_put(c, *acct, "Archive", "Archive", '/',
	    CACHE_FOLDER_NOSELECT, &ids[3], &e), 0);
	ck_assert_int_eq(cache_folder_put(c, *other, "INBOX", "INBOX", 0, 0,
	    &ids[4], &e), 0);
}

START_TEST(test_folder_list)
{
	struct cache		*c;
	struct cache_folder	*list;
	struct error		 e;
	int64_t			 acct, other, ids[5], again;
	size_t			 n;

	c = test_open();
	test_folders_make(c, &acct, &other, ids);
	/* Put again: same id, name and attributes updated. */
	ck_assert_int_eq(cache_folder_put(c, acct, "Sent", "Sent items", '.',
	    CACHE_FOLDER_NOINFERIORS, &again, &e), 0);
	ck_assert_int_eq(again, ids[0]);
	test_put(c, ids[0], "1", 1, 0);
	test_put(c, ids[0], "2", 2, CACHE_FLAG_SEEN);
	test_put(c, ids[0], "3", 3, CACHE_FLAG_FLAGGED);

	ck_assert_int_eq(cache_folder_list(c, acct, &list, &n, &e), 0);
	ck_assert_uint_eq(n, 4);
	/* INBOX first whatever its case, then by name. */
	ck_assert_str_eq(list[0].remote_name, "Inbox");
	ck_assert_int_eq(list[0].total, 0);
	ck_assert_str_eq(list[1].name, "Archive");
	ck_assert_uint_eq(list[1].attrs, CACHE_FOLDER_NOSELECT);
	ck_assert_str_eq(list[2].name, "archive");
	ck_assert_str_eq(list[3].name, "Sent items");
	ck_assert_str_eq(list[3].remote_name, "Sent");
	ck_assert_int_eq(list[3].delim, '.');
	ck_assert_uint_eq(list[3].attrs, CACHE_FOLDER_NOINFERIORS);
	ck_assert_int_eq(list[3].total, 3);
	ck_assert_int_eq(list[3].unread, 2);
	cache_folder_list_free(list, n);
	ck_assert_int_eq(cache_folder_list(c, other, &list, &n, &e), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(list[0].delim, '\0');
	cache_folder_list_free(list, n);
	cache_close(c);
}
END_TEST

START_TEST(test_folder_get_find)
{
	struct cache		*c;
	struct cache_folder	 f;
	struct error		 e;
	int64_t			 acct, other, ids[5];

	c = test_open();
	test_folders_make(c, &acct, &other, ids);
	test_put(c, ids[0], "1", 1, 0);
	ck_assert_int_eq(cache_folder_get(c, ids[0], &f, &e), 0);
	ck_assert_str_eq(f.remote_name, "Sent");
	ck_assert_int_eq(f.account_id, acct);
	ck_assert_int_eq(f.total, 1);
	ck_assert_int_eq(f.unread, 1);
	cache_folder_fini(&f);
	ck_assert_int_eq(cache_folder_get(c, 9999, &f, &e), 1);
	cache_folder_fini(&f);
	ck_assert_int_eq(cache_folder_find(c, acct, "archive", &f, &e), 0);
	ck_assert_int_eq(f.id, ids[1]);
	cache_folder_fini(&f);
	ck_assert_int_eq(cache_folder_find(c, other, "archive", &f, &e), 1);
	cache_folder_fini(&f);
	cache_close(c);
}
END_TEST

START_TEST(test_folder_prune)
{
	struct cache		*c;
	struct cache_folder	*list, f;
	struct error		 e;
	int64_t			 acct, other, ids[5];
	size_t			 n;
	const char *const	 keep[] = { "INBOX", "Archive", "Gone" };

	c = test_open();
	test_folders_make(c, &acct, &other, ids);
	ck_assert_int_eq(cache_body_put(c, test_put(c, ids[0], "1", 1, 0),
	    "x", 1, &e), 0);
	/* Keeps the named ones (exact names), drops the rest and messages. */
	ck_assert_int_eq(cache_folder_prune(c, acct, keep, 3, &e), 0);
	ck_assert_int_eq(cache_folder_list(c, acct, &list, &n, &e), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(list[0].remote_name, "Archive");
	cache_folder_list_free(list, n);
	ck_assert_int_eq(cache_folder_get(c, ids[0], &f, &e), 1);
	ck_assert_int_eq(test_sql_int(test_path, "SELECT count(*) FROM "
	    "messages"), 0);
	ck_assert_int_eq(test_sql_int(test_path, "SELECT count(*) FROM "
	    "bodies"), 0);
	/* The other account is untouched; an empty keep list drops all. */
	ck_assert_int_eq(cache_folder_prune(c, acct, NULL, 0, &e), 0);
	ck_assert_int_eq(cache_folder_list(c, acct, &list, &n, &e), 0);
	ck_assert_uint_eq(n, 0);
	cache_folder_list_free(list, n);
	ck_assert_int_eq(cache_folder_get(c, ids[4], &f, &e), 0);
	cache_folder_fini(&f);
	cache_close(c);
}
END_TEST

START_TEST(test_folder_state_clear)
{
	struct cache	*c;
	struct error	 e;
	struct cache_msg m;
	char		*state;
	int64_t		 folder, id, total, unread;

	c = test_open();
	folder = test_folder(c, "INBOX");
	ck_assert_int_eq(cache_folder_get_state(c, folder, &state, &e), 0);
	ck_assert_ptr_null(state);
	ck_assert_int_eq(cache_folder_set_state(c, folder, "uv=7 ms=42", &e),
	    0);
	ck_assert_int_eq(cache_folder_get_state(c, folder, &state, &e), 0);
	ck_assert_str_eq(state, "uv=7 ms=42");
	free(state);
	/* A put of the same folder keeps the state. */
	ck_assert_int_eq(test_folder(c, "INBOX"), folder);
	ck_assert_int_eq(cache_folder_get_state(c, folder, &state, &e), 0);
	ck_assert_str_eq(state, "uv=7 ms=42");
	free(state);
	ck_assert_int_eq(cache_folder_set_state(c, 9999, "x", &e), -1);
	ck_assert_int_eq(e.code, ERR_NOTFOUND);
	ck_assert_int_eq(cache_folder_get_state(c, 9999, &state, &e), -1);
	ck_assert_int_eq(e.code, ERR_NOTFOUND);

	id = test_put(c, folder, "1", 1, 0);
	test_put(c, folder, "2", 2, 0);
	ck_assert_int_eq(cache_body_put(c, id, "body", 4, &e), 0);
	ck_assert_int_eq(cache_folder_clear(c, folder, &e), 0);
	ck_assert_int_eq(cache_msg_count(c, folder, &total, &unread, &e), 0);
	ck_assert_int_eq(total, 0);
	ck_assert_int_eq(unread, 0);
	ck_assert_int_eq(cache_msg_get(c, id, &m, &e), 1);
	ck_assert_int_eq(test_sql_int(test_path, "SELECT count(*) FROM "
	    "bodies"), 0);
	/* The state described the dropped messages: it goes too. */
	ck_assert_int_eq(cache_folder_get_state(c, folder, &state, &e), 0);
	ck_assert_ptr_null(state);
	ck_assert_int_eq(cache_folder_clear(c, 9999, &e), 0);
	cache_close(c);
}
END_TEST

/* A message with every envelope field set. */
static void
test_msg_full(struct cache_msg *m, int64_t folder)
{
	memset(m, 0, sizeof *m);
	m->folder_id = folder;
	m->remote_id = (char *)"4711";
	m->date = 1700000000;
	m->from_name = (char *)"Ann";
	m->from_addr = (char *)"ann@example.org";
	m->to = (char *)"bob@example.org";
	m->subject = (char *)"hello";
	m->message_id = (char *)"<a@b>";
	m->in_reply_to = NULL;
	m->size = 1234;
	m->flags = CACHE_FLAG_SEEN | CACHE_FLAG_ANSWERED;
}

START_TEST(test_msg_put_get)
{
	struct cache		*c;
	struct cache_msg	 m, got;
	struct error		 e;
	int64_t			 folder;

	c = test_open();
	folder = test_folder(c, "INBOX");
	test_msg_full(&m, folder);
	ck_assert_int_eq(cache_msg_put(c, &m, &e), 0);
	ck_assert_int_gt(m.id, 0);
	ck_assert_int_eq(cache_msg_get(c, m.id, &got, &e), 0);
	ck_assert_int_eq(got.id, m.id);
	ck_assert_int_eq(got.folder_id, folder);
	ck_assert_str_eq(got.remote_id, "4711");
	ck_assert_int_eq(got.date, 1700000000);
	ck_assert_str_eq(got.from_name, "Ann");
	ck_assert_str_eq(got.from_addr, "ann@example.org");
	ck_assert_str_eq(got.to, "bob@example.org");
	ck_assert_str_eq(got.subject, "hello");
	ck_assert_str_eq(got.message_id, "<a@b>");
	ck_assert_ptr_null(got.in_reply_to);
	ck_assert_int_eq(got.size, 1234);
	ck_assert_uint_eq(got.flags, CACHE_FLAG_SEEN | CACHE_FLAG_ANSWERED);
	ck_assert(!got.has_body);
	cache_msg_fini(&got);
	ck_assert_int_eq(cache_msg_get(c, 9999, &got, &e), 1);
	/* A message in a folder that does not exist is refused. */
	m.folder_id = 9999;
	ck_assert_int_eq(cache_msg_put(c, &m, &e), -1);
	ck_assert_int_eq(e.code, ERR_CACHE);
	ck_assert_msg(strstr(e.msg, "FOREIGN KEY") != NULL, "%s", e.msg);
	cache_close(c);
}
END_TEST

START_TEST(test_msg_upsert_flags)
{
	struct cache		*c;
	struct cache_msg	 m, got;
	struct error		 e;
	int64_t			 folder, id, total, unread;

	c = test_open();
	folder = test_folder(c, "INBOX");
	test_msg_full(&m, folder);
	ck_assert_int_eq(cache_msg_put(c, &m, &e), 0);
	id = m.id;
	/* Another row in between, then an upsert keeps the id. */
	test_put(c, folder, "4712", 5, 0);
	m.id = 0;
	m.subject = (char *)"changed";
	m.from_name = NULL;
	m.flags = 0;
	ck_assert_int_eq(cache_msg_put(c, &m, &e), 0);
	ck_assert_int_eq(m.id, id);
	ck_assert_int_eq(cache_msg_get(c, id, &got, &e), 0);
	ck_assert_str_eq(got.subject, "changed");
	ck_assert_ptr_null(got.from_name);
	cache_msg_fini(&got);
	ck_assert_int_eq(cache_msg_count(c, folder, &total, &unread, &e), 0);
	ck_assert_int_eq(total, 2);
	ck_assert_int_eq(unread, 2);

	ck_assert_int_eq(cache_msg_set_flags(c, folder, "4711",
	    CACHE_FLAG_SEEN | CACHE_FLAG_FLAGGED, &e), 0);
	ck_assert_int_eq(cache_msg_get(c, id, &got, &e), 0);
	ck_assert_uint_eq(got.flags, CACHE_FLAG_SEEN | CACHE_FLAG_FLAGGED);
	cache_msg_fini(&got);
	ck_assert_int_eq(cache_msg_set_flags(c, folder, "nope", 0, &e), 1);
	ck_assert_int_eq(cache_msg_count(c, folder, NULL, &unread, &e), 0);
	ck_assert_int_eq(unread, 1);
	cache_close(c);
}
END_TEST

START_TEST(test_msg_remove_ids)
{
	struct cache		*c;
	struct cache_msg	 got;
	struct error		 e;
	char			**ids;
	size_t			 n, i;
	int64_t			 folder, other, id, total;
	int			 saw1 = 0, saw2 = 0;

	c = test_open();
	folder = test_folder(c, "INBOX");
	other = test_folder(c, "Other");
	id = test_put(c, folder, "4711", 1, 0);
	test_put(c, folder, "4712", 2, 0);
	test_put(c, other, "4711", 3, 0);
	ck_assert_int_eq(cache_msg_remote_ids(c, folder, &ids, &n, &e), 0);
	ck_assert_uint_eq(n, 2);
	for (i = 0; i < n; i++) {
		saw1 += strcmp(ids[i], "4711") == 0;
		saw2 += strcmp(ids[i], "4712") == 0;
	}
	ck_assert(saw1 == 1 && saw2 == 1);
	cache_strv_free(ids, n);

	ck_assert_int_eq(cache_msg_remove(c, folder, "4711", &e), 0);
	ck_assert_int_eq(cache_msg_remove(c, folder, "4711", &e), 1);
	ck_assert_int_eq(cache_msg_get(c, id, &got, &e), 1);
	ck_assert_int_eq(cache_msg_count(c, folder, &total, NULL, &e), 0);
	ck_assert_int_eq(total, 1);
	ck_assert_int_eq(cache_msg_count(c, other, &total, NULL, &e), 0);
	ck_assert_int_eq(total, 1);
	/* Ids are never reused after a delete. */
	ck_assert_int_gt(test_put(c, folder, "4713", 1, 0), id);
	cache_close(c);
}
END_TEST

START_TEST(test_page_order)
{
	struct cache		*c;
	struct cache_msg	*page;
	struct error		 e;
	size_t			 n;
	int64_t			 folder, other, id_b, id_c;

	c = test_open();
	folder = test_folder(c, "INBOX");
	other = test_folder(c, "Other");
	test_put(c, folder, "late", 300, 0);
	id_b = test_put(c, folder, "tie-b", 200, 0);
	test_put(c, folder, "early", 100, 0);
	id_c = test_put(c, folder, "tie-c", 200, 0);
	test_put(c, other, "x", 150, 0);
	ck_assert_int_lt(id_b, id_c);

	ck_assert_int_eq(cache_msg_page(c, folder, 0, 10, &page, &n, &e), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(page[0].remote_id, "early");
	ck_assert_str_eq(page[1].remote_id, "tie-b");
	ck_assert_str_eq(page[2].remote_id, "tie-c");
	ck_assert_str_eq(page[3].remote_id, "late");
	cache_msg_list_free(page, n);

	ck_assert_int_eq(cache_msg_page(c, folder, 1, 2, &page, &n, &e), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(page[0].remote_id, "tie-b");
	ck_assert_str_eq(page[1].remote_id, "tie-c");
	cache_msg_list_free(page, n);

	ck_assert_int_eq(cache_msg_page(c, folder, 3, 10, &page, &n, &e), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(page[0].remote_id, "late");
	cache_msg_list_free(page, n);

	ck_assert_int_eq(cache_msg_page(c, folder, 4, 10, &page, &n, &e), 0);
	ck_assert_uint_eq(n, 0);
	cache_msg_list_free(page, n);
	ck_assert_int_eq(cache_msg_page(c, folder, 0, SIZE_MAX, &page, &n,
	    &e), 0);
	ck_assert_uint_eq(n, 4);
	cache_msg_list_free(page, n);
	ck_assert_int_eq(cache_msg_page(c, folder, -1, 10, &page, &n, &e), -1);
	cache_close(c);
}
END_TEST

START_TEST(test_bodies)
{
	struct cache		*c;
	struct cache_msg	 m;
	struct error		 e;
	static const char	 raw[] = "Subject: x\r\n\r\nA\0B\0\0C\xff";
	char			*got;
	size_t			 len;
	int64_t			 folder, id;

	c = test_open();
	folder = test_folder(c, "INBOX");
	id = test_put(c, folder, "1", 1, 0);
	ck_assert_int_eq(cache_body_get(c, id, &got, &len, &e), 1);
	ck_assert_ptr_null(got);
	ck_assert_int_eq(cache_body_put(c, id, raw, sizeof raw - 1, &e), 0);
	ck_assert_int_eq(cache_body_get(c, id, &got, &len, &e), 0);
	ck_assert_uint_eq(len, sizeof raw - 1);
	ck_assert(memcmp(got, raw, len) == 0);
	ck_assert_int_eq(got[len], '\0');
	free(got);
	ck_assert_int_eq(cache_msg_get(c, id, &m, &e), 0);
	ck_assert(m.has_body);
	cache_msg_fini(&m);
	/* Replace, then an empty body. */
	ck_assert_int_eq(cache_body_put(c, id, "new", 3, &e), 0);
	ck_assert_int_eq(cache_body_get(c, id, &got, &len, &e), 0);
	ck_assert_uint_eq(len, 3);
	ck_assert_str_eq(got, "new");
	free(got);
	ck_assert_int_eq(cache_body_put(c, id, NULL, 0, &e), 0);
	ck_assert_int_eq(cache_body_get(c, id, &got, &len, &e), 0);
	ck_assert_uint_eq(len, 0);
	ck_assert_str_eq(got, "");
	free(got);
	/* No message, no body; removing the message removes its body. */
	ck_assert_int_eq(cache_body_put(c, 9999, "x", 1, &e), -1);
	ck_assert_int_eq(e.code, ERR_CACHE);
	ck_assert_int_eq(cache_msg_remove(c, folder, "1", &e), 0);
	ck_assert_int_eq(cache_body_get(c, id, &got, &len, &e), 1);
	cache_close(c);
}
END_TEST

START_TEST(test_utf8)
{
	struct cache		*c;
	struct cache_folder	 f;
	struct cache_msg	 m, got;
	struct error		 e;
	int64_t			 acct, folder;
	const char		*subj = "Grüße – 日本語 😀 \xe2\x80\x8f";

	c = test_open();
	ck_assert_int_eq(cache_account_id(c, "Zoë", &acct, &e), 0);
	ck_assert_int_eq(cache_folder_put(c, acct, "&AMk-t&AOk-",
	    "Été", '/', 0, &folder, &e), 0);
	ck_assert_int_eq(cache_folder_get(c, folder, &f, &e), 0);
	ck_assert_str_eq(f.name, "Été");
	ck_assert_str_eq(f.remote_name, "&AMk-t&AOk-");
	cache_folder_fini(&f);
	memset(&m, 0, sizeof m);
	m.folder_id = folder;
	m.remote_id = (char *)"ü1";
	m.subject = (char *)subj;
	m.from_name = (char *)"Jürgen Groß";
	ck_assert_int_eq(cache_msg_put(c, &m, &e), 0);
	ck_assert_int_eq(cache_msg_get(c, m.id, &got, &e), 0);
	ck_assert_str_eq(got.subject, subj);
	ck_assert_str_eq(got.from_name, "Jürgen Groß");
	ck_assert_str_eq(got.remote_id, "ü1");
	cache_msg_fini(&got);
	cache_close(c);
}
END_TEST

START_TEST(test_transactions)
{
	struct cache	*c;
	struct error	 e;
	int64_t		 folder, total;

	c = test_open();
	folder = test_folder(c, "INBOX");
	ck_assert_int_eq(cache_begin(c, &e), 0);
	test_put(c, folder, "1", 1, 0);
	test_put(c, folder, "2", 2, 0);
	cache_rollback(c);
	ck_assert_int_eq(cache_msg_count(c, folder, &total, NULL, &e), 0);
	ck_assert_int_eq(total, 0);
	cache_rollback(c);	/* none open: harmless */
	ck_assert_int_eq(cache_begin(c, &e), 0);
	ck_assert_int_eq(cache_begin(c, &e), -1);
	ck_assert_int_eq(e.code, ERR_CACHE);
	test_put(c, folder, "1", 1, 0);
	ck_assert_int_eq(cache_commit(c, &e), 0);
	ck_assert_int_eq(cache_commit(c, &e), -1);
	ck_assert_int_eq(cache_msg_count(c, folder, &total, NULL, &e), 0);
	ck_assert_int_eq(total, 1);
	cache_close(c);
}
END_TEST

struct test_writer {
	struct cache	*c;
	int		 rv;
};

/* Hold the write lock a little, then commit. */
static void *
test_writer_main(void *arg)
{
	struct test_writer	*w = arg;
	struct error		 e;
	struct timespec		 ts = { 0, 300 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	w->rv = cache_commit(w->c, &e);
	return NULL;
}

START_TEST(test_two_connections)
{
	struct cache		*w, *r, *r2;
	struct cache_msg	*page;
	struct error		 e;
	struct test_writer	 tw;
	pthread_t		 t;
	size_t			 n;
	int64_t			 folder, total;
	char			 id[16];
	int			 i;

	w = test_open();
	r = test_open();
	folder = test_folder(w, "INBOX");
	ck_assert_int_eq(cache_begin(w, &e), 0);
	for (i = 0; i < 500; i++) {
		snprintf(id, sizeof id, "%d", i);
		test_put(w, folder, id, i, 0);
	}
	/* The reader is not blocked and sees the last committed state. */
	ck_assert_int_eq(cache_msg_count(r, folder, &total, NULL, &e), 0);
	ck_assert_int_eq(total, 0);
	/* Opening another connection needs no write lock either. */
	r2 = test_open();
	ck_assert_int_eq(cache_msg_count(r2, folder, &total, NULL, &e), 0);
	ck_assert_int_eq(total, 0);
	cache_close(r2);
	ck_assert_int_eq(cache_msg_page(r, folder, 0, 50, &page, &n, &e), 0);
	ck_assert_uint_eq(n, 0);
	cache_msg_list_free(page, n);
	/* A second writer waits (busy timeout) until the first commits. */
	tw.c = w;
	tw.rv = -1;
	ck_assert_int_eq(pthread_create(&t, NULL, test_writer_main, &tw), 0);
	ck_assert_msg(cache_begin(r, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_int_eq(tw.rv, 0);
	test_put(r, folder, "from-r", 1000, 0);
	ck_assert_int_eq(cache_commit(r, &e), 0);
	ck_assert_int_eq(cache_msg_count(r, folder, &total, NULL, &e), 0);
	ck_assert_int_eq(total, 501);
	ck_assert_int_eq(cache_msg_count(w, folder, &total, NULL, &e), 0);
	ck_assert_int_eq(total, 501);
	cache_close(r);
	cache_close(w);
}
END_TEST

/* Every test of this file. */
static Suite *
cache_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("cache");
	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_open_close_modes);
	tcase_add_test(tc, test_open_tightens_mode);
	tcase_add_test(tc, test_wal_mode);
	tcase_add_test(tc, test_reopen_idempotent);
	tcase_add_test(tc, test_newer_version_refused);
	tcase_add_test(tc, test_foreign_app_refused);
	tcase_add_test(tc, test_migrate_old_file);
	tcase_add_test(tc, test_migrate_failure_rolls_back);
	tcase_add_test(tc, test_corrupt_file);
	tcase_add_test(tc, test_corrupt_pages);
	tcase_add_test(tc, test_accounts);
	tcase_add_test(tc, test_folder_list);
	tcase_add_test(tc, test_folder_get_find);
	tcase_add_test(tc, test_folder_prune);
	tcase_add_test(tc, test_folder_state_clear);
	tcase_add_test(tc, test_msg_put_get);
	tcase_add_test(tc, test_msg_upsert_flags);
	tcase_add_test(tc, test_msg_remove_ids);
	tcase_add_test(tc, test_page_order);
	tcase_add_test(tc, test_bodies);
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_transactions);
	tcase_add_test(tc, test_two_connections);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(cache_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

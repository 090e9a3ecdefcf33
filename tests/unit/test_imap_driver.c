/*
 * test_imap_driver.c - the IMAP driver against a scripted server and a
 * real cache: folder list, sync (UIDVALIDITY, vanished messages),
 * body download with PEEK, flags, and read-only accounts.  The exact lines
 * the driver sends are checked.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache/cache.h"
#include "core/account.h"
#include "test_imap_mock.h"
#include "util/xmalloc.h"

static char			 dir[] = "/tmp/test_imap_driver.XXXXXX";
static char			*path;
static struct cache		*cache;
static struct config_account	 cfg;

/* A fresh cache and a plain-text account. */
static void
setup(void)
{
	struct error	 err;

	memcpy(dir, "/tmp/test_imap_driver.XXXXXX", sizeof dir);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = xasprintf("%s/cache.db", dir);
	cache = cache_open(path, &err);
	ck_assert_msg(cache != NULL, "%s", err.msg);
	memset(&cfg, 0, sizeof cfg);
	cfg.name = (char *)"test";
	cfg.driver = (char *)"imap";
	cfg.host = (char *)"mock.example";
	cfg.port = (char *)"143";
	cfg.user = (char *)"user";
	cfg.password = (char *)"pass";
	cfg.security = CONFIG_SEC_NONE;
	cfg.allow_plaintext_auth = true;
	cfg.timeout_ms = 1000;
}

/* Close and remove the cache. */
static void
teardown(void)
{
	char	*p;

	cache_close(cache);
	unlink(path);
	p = xasprintf("%s-wal", path);
	unlink(p);
	free(p);
	p = xasprintf("%s-shm", path);
	unlink(p);
	free(p);
	rmdir(dir);
	free(path);
}

/* Make and open the account on a script (greeting + login included). */
static struct account *
open_account(const char *const *script)
{
	struct account	*a;
	struct error	 err;

	mock_start(script, 0);
	a = imap_driver_ops.new(&cfg, &err);
	ck_assert_ptr_nonnull(a);
	a->ops = &imap_driver_ops;
	a->cfg = &cfg;
	a->wake_fd = -1;
	ck_assert_int_eq(cache_account_id(cache, "test", &a->cache_id, &err),
	    0);
	ck_assert_msg(imap_driver_ops.open(a, &err) == 0, "%s", err.msg);
	return a;
}

/* Close and free the account. */
static void
close_account(struct account *a)
{
	imap_driver_ops.close(a);
	imap_driver_ops.free(a);
}

#define GREET	"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n", \
		"a1 OK [CAPABILITY IMAP4rev1] in\r\n"
#define LOGIN	"a1 AUTHENTICATE PLAIN AHVzZXIAcGFzcw==\r\n"

/* Get a folder by remote name, asserting it exists. */
static void
folder(const char *remote, struct cache_folder *f)
{
	struct error	 err;
	int64_t		 acct;

	ck_assert_int_eq(cache_account_id(cache, "test", &acct, &err), 0);
	ck_assert_int_eq(cache_folder_find(cache, acct, remote, f, &err), 0);
}

START_TEST(test_list_folders)
{
	static const char *const s1[] = {
		GREET,
		"* LIST (\\HasChildren) \"/\" INBOX\r\n"
		"* LIST (\\Noselect) \"/\" \"Archive\"\r\n"
		"* LIST () \"/\" \"Archive/Entw&APw-rfe\"\r\n"
		"* LIST () \"/\" {9}\r\nBad &name\r\n"
		"* LIST (\\NonExistent) \"/\" Gone\r\n"
		"* 3 EXISTS\r\n"
		"a2 OK LIST done\r\n",
		"a3 OK bye\r\n",
		NULL
	};
	static const char *const s2[] = {
		GREET,
		"* LIST () \"/\" INBOX\r\na2 OK\r\n",
		"a3 OK bye\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 f, *list;
	struct error		 err;
	size_t			 n;
	int64_t			 acct;

	a = open_account(s1);
	acct = a->cache_id;
	ck_assert_int_eq(imap_driver_ops.list_folders(a, cache, &err), 0);
	close_account(a);
	ck_assert_str_eq(buf_str(&mock.sent), LOGIN
	    "a2 LIST \"\" \"*\"\r\n" "a3 LOGOUT\r\n");

	ck_assert_int_eq(cache_folder_list(cache, acct, &list, &n,
	    &err), 0);
	ck_assert_uint_eq(n, 4);
	cache_folder_list_free(list, n);
	folder("Archive/Entw&APw-rfe", &f);
	ck_assert_str_eq(f.name, "Archive/Entw\xc3\xbcrfe");
	ck_assert_int_eq(f.delim, '/');
	ck_assert_uint_eq(f.attrs, 0);
	cache_folder_fini(&f);
	folder("Archive", &f);
	ck_assert_uint_eq(f.attrs, CACHE_FOLDER_NOSELECT);
	cache_folder_fini(&f);
	folder("Bad &name", &f);		/* invalid mUTF-7: shown raw */
	ck_assert_str_eq(f.name, "Bad &name");
	cache_folder_fini(&f);

	/* Folders the server no longer lists are pruned. */
	a = open_account(s2);
	ck_assert_int_eq(imap_driver_ops.list_folders(a, cache, &err), 0);
	close_account(a);
	ck_assert_int_eq(cache_folder_list(cache, acct, &list, &n,
	    &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(list[0].remote_name, "INBOX");
	cache_folder_list_free(list, n);
}
END_TEST

#define HFN	"DATE FROM TO CC SUBJECT MESSAGE-ID IN-REPLY-TO REFERENCES"
#define HF	"BODY[HEADER.FIELDS (" HFN ")]"
#define MSG1 "* 1 FETCH (UID 4 FLAGS (\\Seen) " \
    "INTERNALDATE \"01-Jan-2021 10:00:00 +0000\" RFC822.SIZE 120 " HF \
    " {208}\r\nDate: Fri, 1 Jan 2021 09:00:00 +0000\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\nFrom: =?ISO-8859-1?Q?J=F6rg?= <joerg@example.org>\r\nTo: team: Ann <ann@a.example>;,\r\n bob@b.example\r\nMessage-ID: <m1@example.org>\r\n\r\n)\r\n"
#define MSG2 "* 2 FETCH (UID 7 FLAGS () RFC822.SIZE 50 " HF \
    " {99}\r\nDate: Sat, 2 Jan 2021 00:00:00 +0000\r\nSubject: Hello\r\nFrom: x: ;\r\nIn-Reply-To: <m1@example.org>\r\n\r\n)\r\n"
#define MSG3 "* 3 FETCH (UID 9 FLAGS (\\Flagged) " \
    "INTERNALDATE \"03-Jan-2021 00:00:00 +0000\" RFC822.SIZE 1 " HF \
    " \"\")\r\n"

/* Fetch the cached messages of a folder. */
static size_t
messages(int64_t folder_id, struct cache_msg **m)
{
	struct error	 err;
	size_t		 n;

	ck_assert_int_eq(cache_msg_page(cache, folder_id, 0, 10000, m, &n,
	    &err), 0);
	return n;
}

START_TEST(test_sync)
{
	static const char *const s1[] = {
		GREET,
		"* LIST () \"/\" INBOX\r\na2 OK\r\n",
		"* 3 EXISTS\r\n* OK [UIDVALIDITY 100] ok\r\n"
		"a3 OK [READ-WRITE] selected\r\n",
		MSG1 MSG2 MSG3 "a4 OK fetched\r\n",
		/* Second sync: selected again, UID diff: UID 7 has gone. */
		"* 2 EXISTS\r\n* OK [UIDVALIDITY 100] ok\r\na5 OK\r\n",
		"* 1 FETCH (UID 4 FLAGS (\\Seen))\r\n"
		"* 2 FETCH (UID 9 FLAGS (\\Flagged))\r\na6 OK\r\n",
		"a7 OK bye\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 f;
	struct cache_msg	*m;
	struct error		 err;
	char			*state;
	size_t			 n;

	a = open_account(s1);
	ck_assert_int_eq(imap_driver_ops.list_folders(a, cache, &err), 0);
	folder("INBOX", &f);
	ck_assert_msg(imap_driver_ops.sync_folder(a, &f, cache, &err) == 0,
	    "%s", err.msg);
	ck_assert_str_eq(mock.status, "INBOX: headers 3/3");

	ck_assert_uint_eq(n = messages(f.id, &m), 3);
	ck_assert_str_eq(m[0].remote_id, "4");
	ck_assert_int_eq(m[0].date, 1609495200);	/* INTERNALDATE */
	ck_assert_str_eq(m[0].subject, "Gr\xc3\xbc\xc3\x9f" "e");
	ck_assert_str_eq(m[0].from_name, "J\xc3\xb6rg");
	ck_assert_str_eq(m[0].from_addr, "joerg@example.org");
	ck_assert_str_eq(m[0].to, "team: Ann <ann@a.example>;, "
	    "bob@b.example");
	ck_assert_str_eq(m[0].message_id, "<m1@example.org>");
	ck_assert_uint_eq(m[0].flags, CACHE_FLAG_SEEN);
	ck_assert_int_eq(m[0].size, 120);
	/* No INTERNALDATE: the Date: field. */
	ck_assert_str_eq(m[1].remote_id, "7");
	ck_assert_int_eq(m[1].date, 1609545600);
	ck_assert_str_eq(m[1].subject, "Hello");
	/* "x: ;" is an empty group (RFC 5322 3.4), not a sender. */
	ck_assert_ptr_null(m[1].from_name);
	ck_assert_ptr_null(m[1].from_addr);
	ck_assert_str_eq(m[1].in_reply_to, "<m1@example.org>");
	ck_assert_ptr_null(m[1].message_id);
	ck_assert_str_eq(m[2].remote_id, "9");
	ck_assert_ptr_null(m[2].subject);
	ck_assert_uint_eq(m[2].flags, CACHE_FLAG_FLAGGED);
	cache_msg_list_free(m, n);

	ck_assert_int_eq(cache_folder_get_state(cache, f.id, &state, &err), 0);
	ck_assert_str_eq(state,
	    "v1 uidvalidity=100 highestmodseq=0 uidnext=10");
	free(state);

	/* Again: UID 7 is removed, no envelope fetched again. */
	ck_assert_int_eq(imap_driver_ops.sync_folder(a, &f, cache, &err), 0);
	ck_assert_uint_eq(n = messages(f.id, &m), 2);
	ck_assert_str_eq(m[0].remote_id, "4");
	ck_assert_str_eq(m[1].remote_id, "9");
	cache_msg_list_free(m, n);
	close_account(a);
	cache_folder_fini(&f);
	ck_assert_str_eq(buf_str(&mock.sent), LOGIN
	    "a2 LIST \"\" \"*\"\r\n"
	    "a3 SELECT \"INBOX\"\r\n"
	    "a4 FETCH 1:3 (UID FLAGS INTERNALDATE RFC822.SIZE "
	    "BODY.PEEK[HEADER.FIELDS (" HFN ")])\r\n"
	    "a5 SELECT \"INBOX\"\r\n"
	    "a6 UID FETCH 1:* (UID FLAGS)\r\n"
	    "a7 LOGOUT\r\n");
	ck_assert(mock_done());
}
END_TEST

START_TEST(test_uidvalidity_change)
{
	static const char *const s1[] = {
		GREET,
		"* LIST () \"/\" INBOX\r\na2 OK\r\n",
		"* 2 EXISTS\r\n* OK [UIDVALIDITY 100] ok\r\na3 OK\r\n",
		MSG1 MSG2 "a4 OK\r\n",
		"a5 OK bye\r\n",
		NULL
	};
	static const char *const s2[] = {
		GREET,
		"* 1 EXISTS\r\n* OK [UIDVALIDITY 200] ok\r\na2 OK\r\n",
		/* The same UID 4 now names another message. */
		"* 1 FETCH (UID 4 FLAGS () " HF " \"Subject: new\")\r\n"
		"a3 OK\r\n",
		"a4 OK bye\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 f;
	struct cache_msg	*m;
	struct error		 err;
	char			*state;
	size_t			 n;

	a = open_account(s1);
	ck_assert_int_eq(imap_driver_ops.list_folders(a, cache, &err), 0);
	folder("INBOX", &f);
	ck_assert_int_eq(imap_driver_ops.sync_folder(a, &f, cache, &err), 0);
	close_account(a);
	ck_assert_uint_eq(n = messages(f.id, &m), 2);
	cache_msg_list_free(m, n);

	a = open_account(s2);
	ck_assert_int_eq(imap_driver_ops.sync_folder(a, &f, cache, &err), 0);
	close_account(a);
	ck_assert_uint_eq(n = messages(f.id, &m), 1);
	ck_assert_str_eq(m[0].subject, "new");
	ck_assert_ptr_null(m[0].from_addr);
	cache_msg_list_free(m, n);
	ck_assert_int_eq(cache_folder_get_state(cache, f.id, &state, &err), 0);
	ck_assert_str_eq(state,
	    "v1 uidvalidity=200 highestmodseq=0 uidnext=5");
	free(state);
	cache_folder_fini(&f);
}
END_TEST

START_TEST(test_fetch_and_flags)
{
	static const char *const s1[] = {
		GREET,
		"* LIST () \"/\" INBOX\r\na2 OK\r\n",
		"* 1 EXISTS\r\n* OK [UIDVALIDITY 5] ok\r\na3 OK\r\n",
		"* 1 FETCH (UID 4 FLAGS () RFC822.SIZE 9 "
		"BODY[] {9}\r\nA: b\r\n\r\nx"
		")\r\na4 OK\r\n",
		"a5 OK\r\n",
		"a6 OK\r\n",
		"a7 OK\r\n",
		NULL
	};
	const char		*ids[] = { "4", "7" };
	struct account		*a;
	struct cache_folder	 f;
	struct cache_msg	*m;
	struct error		 err;
	char			*raw;
	size_t			 n, len;

	a = open_account(s1);
	ck_assert_int_eq(imap_driver_ops.list_folders(a, cache, &err), 0);
	folder("INBOX", &f);
	ck_assert_msg(imap_driver_ops.fetch_message(a, &f, "4", cache,
	    &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(n = messages(f.id, &m), 1);
	ck_assert(m[0].has_body);
	ck_assert_int_eq(cache_body_get(cache, m[0].id, &raw, &len, &err), 0);
	ck_assert_uint_eq(len, 9);
	ck_assert_str_eq(raw, "A: b\r\n\r\nx");
	free(raw);
	cache_msg_list_free(m, n);

	ck_assert_int_eq(cache_msg_set_flags(cache, f.id, "4",
	    CACHE_FLAG_FLAGGED | CACHE_FLAG_ANSWERED, &err), 0);
	ck_assert_int_eq(imap_driver_ops.store_flags(a, &f, ids, 2,
	    CACHE_FLAG_SEEN | CACHE_FLAG_RECENT, CACHE_FLAG_FLAGGED |
	    CACHE_FLAG_DELETED, cache, &err), 0);
	/* The cache follows what the server accepted; 7 is not cached. */
	ck_assert_uint_eq(n = messages(f.id, &m), 1);
	ck_assert_uint_eq(m[0].flags, CACHE_FLAG_SEEN | CACHE_FLAG_ANSWERED);
	cache_msg_list_free(m, n);
	/* Bad ids are refused before anything is sent. */
	ids[1] = "7x";
	ck_assert_int_eq(imap_driver_ops.store_flags(a, &f, ids, 2,
	    CACHE_FLAG_SEEN, 0, cache, &err), -1);
	ck_assert_int_eq(imap_driver_ops.fetch_message(a, &f, "0", cache,
	    &err), -1);
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	/* A UID the server does not have. */
	ck_assert_int_eq(imap_driver_ops.fetch_message(a, &f, "99", cache,
	    &err), -1);
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	ck_assert_int_eq(err.scope, ERR_SCOPE_MESSAGE);
	close_account(a);
	ck_assert_str_eq(buf_str(&mock.sent), LOGIN
	    "a2 LIST \"\" \"*\"\r\n"
	    "a3 SELECT \"INBOX\"\r\n"
	    "a4 UID FETCH 4 (UID FLAGS INTERNALDATE RFC822.SIZE "
	    "BODY.PEEK[])\r\n"
	    "a5 UID STORE 4,7 +FLAGS.SILENT (\\Seen)\r\n"
	    "a6 UID STORE 4,7 -FLAGS.SILENT (\\Flagged \\Deleted)\r\n"
	    "a7 UID FETCH 99 (UID FLAGS INTERNALDATE RFC822.SIZE "
	    "BODY.PEEK[])\r\n"
	    "a8 LOGOUT\r\n");
	cache_folder_fini(&f);
}
END_TEST

START_TEST(test_read_only)
{
	static const char *const s1[] = {
		GREET,
		"* LIST () \"/\" \"a \\\"q\\\"\"\r\na2 OK\r\n",
		"* 0 EXISTS\r\n* OK [UIDVALIDITY 5] ok\r\n"
		"a3 OK [READ-ONLY] examined\r\n",
		"a4 OK\r\n",
		NULL
	};
	const char		*ids[] = { "4" };
	struct account		*a;
	struct cache_folder	 f;
	struct error		 err;

	cfg.read_only = true;
	a = open_account(s1);
	ck_assert_int_eq(imap_driver_ops.list_folders(a, cache, &err), 0);
	folder("a \"q\"", &f);
	ck_assert_int_eq(imap_driver_ops.sync_folder(a, &f, cache, &err), 0);
	ck_assert_int_eq(imap_driver_ops.store_flags(a, &f, ids, 1,
	    CACHE_FLAG_SEEN, 0, cache, &err), -1);
	ck_assert_int_eq(err.code, ERR_READONLY);
	close_account(a);
	/* EXAMINE, an empty folder needs no FETCH, and never a STORE. */
	ck_assert_str_eq(buf_str(&mock.sent), LOGIN
	    "a2 LIST \"\" \"*\"\r\n"
	    "a3 EXAMINE \"a \\\"q\\\"\"\r\n"
	    "a4 LOGOUT\r\n");
	cache_folder_fini(&f);
}
END_TEST

START_TEST(test_auth_error)
{
	static const char *const s1[] = {
		"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n",
		"a1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n",
		NULL
	};
	struct account	*a;
	struct error	 err;

	mock_start(s1, 0);
	a = imap_driver_ops.new(&cfg, &err);
	a->cfg = &cfg;
	ck_assert_int_eq(imap_driver_ops.open(a, &err), -1);
	ck_assert_int_eq(err.code, ERR_AUTH);
	ck_assert_int_eq(err.scope, ERR_SCOPE_ACCOUNT);
	ck_assert_str_eq(err.msg,
	    "authentication failed (server said: Authentication failed.)");
	ck_assert_int_eq(mock.freed, 1);
	imap_driver_ops.free(a);
}
END_TEST

/* The suite. */
static Suite *
imap_driver_suite(void)
{
	Suite	*s = suite_create("imap_driver");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_list_folders);
	tcase_add_test(tc, test_sync);
	tcase_add_test(tc, test_uidvalidity_change);
	tcase_add_test(tc, test_fetch_and_flags);
	tcase_add_test(tc, test_read_only);
	tcase_add_test(tc, test_auth_error);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(imap_driver_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * test_imap_robust.c - the IMAP driver against servers that misbehave or
 * are merely slow, and against a UI that writes the same cache: an
 * untagged flood and a one-byte drip (the per-command deadline), a slow
 * but progressing server (not a timeout), no write transaction held while
 * the server is awaited, unreadable FETCHes skipped and counted, an
 * already selected folder selected again, [ALERT]s shown, flags recorded
 * per accepted chunk, row and body written together, and a renamed folder
 * keeping its cached messages.  Exact command transcripts.
 */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "test_imap_fixture.h"
#include "test_imap_mock.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define GREET(caps) \
	"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n", \
	"a1 OK [CAPABILITY " caps "] in\r\n"
#define LOGIN	"a1 AUTHENTICATE PLAIN AHVzZXIAcGFzcw==\r\n"
#define ITEMS	"(UID FLAGS INTERNALDATE RFC822.SIZE " \
		"BODY.PEEK[HEADER.FIELDS (" HFN ")])"
#define HFN	"DATE FROM TO CC SUBJECT MESSAGE-ID IN-REPLY-TO REFERENCES"
#define HF	"BODY[HEADER.FIELDS (" HFN ")]"
#define H(seq, uid, flags, subj) \
	"* " #seq " FETCH (UID " #uid " FLAGS (" flags ") RFC822.SIZE 10 " \
	HF " \"Subject: " subj "\")\r\n"
#define SEL1(exists, uv, next) \
	"* " #exists " EXISTS\r\n* OK [UIDVALIDITY " #uv "] ok\r\n" \
	"* OK [UIDNEXT " #next "] ok\r\n"

/* Milliseconds on a monotonic clock. */
static long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One message's flags by UID. */
static unsigned
flags_of(int64_t folder_id, const char *uid)
{
	struct cache_msg	 m;
	struct error		 err;
	unsigned		 f;

	ck_assert_int_eq(cache_msg_find(fx_cache, folder_id, uid, &m, &err),
	    0);
	f = m.flags;
	cache_msg_fini(&m);
	return f;
}

/* How many lines of the status log contain s. */
static int
status_count(const char *s)
{
	const char	*p = buf_str(&mock.statuses);
	int		 n = 0;

	while ((p = strstr(p, s)) != NULL) {
		n++;
		p += strlen(s);
	}
	return n;
}

/* The INBOX folder, put into the cache directly. */
static void
inbox(struct cache_folder *f)
{
	fx_add_folder("INBOX");
	fx_folder("INBOX", f);
}

START_TEST(test_untagged_flood)
{
	const char		*s[4] = { GREET("IMAP4rev1"), NULL, NULL };
	struct account		*a;
	struct cache_folder	 f;
	struct error		 err;
	struct buf		 flood;

	/* The hostile server's flood: nothing in it answers the SELECT. */
	buf_init(&flood, 0);
	for (int i = 0; i < 30000; i++)
		buf_printf(&flood, "* %d EXISTS\r\n* OK [ALERT] flood %d\r\n"
		    "* %d FETCH (FLAGS (\\Seen))\r\n* 1 RECENT\r\n", i + 2, i,
		    i % 7 + 1);
	s[2] = flood.data;
	inbox(&f);
	a = fx_open(s);
	ck_assert_int_eq(imap_driver_ops.sync_folder(a, &f, fx_cache, &err),
	    -1);
	ck_assert_int_eq(err.code, ERR_PROTOCOL);
	ck_assert_int_eq(err.scope, ERR_SCOPE_ACCOUNT);
	ck_assert_msg(strstr(err.msg, "unrelated to SELECT") != NULL, "%s",
	    err.msg);
	/* The flood's [ALERT]s reach the status line, but only a few. */
	ck_assert_int_eq(status_count("ALERT: flood"), 3);
	ck_assert_str_eq(fx_sent(), LOGIN "a2 SELECT \"INBOX\"\r\n");
	fx_close(a);
	cache_folder_fini(&f);
	buf_fini(&flood);
}
END_TEST

START_TEST(test_drip_times_out)
{
	static const char *const s[] = {
		GREET("IMAP4rev1"),
		"* 1 E", MOCK_SLEEP, "X", MOCK_SLEEP, "I", MOCK_SLEEP, "S",
		MOCK_SLEEP, "T", MOCK_SLEEP, "S", MOCK_SLEEP, "\r", MOCK_SLEEP,
		"\n", MOCK_SLEEP, "* OK [UIDVALIDITY 1] ok\r\n", MOCK_SLEEP,
		"a2 OK\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 f;
	struct error		 err;
	long			 t0;

	inbox(&f);
	a = fx_open(s);			/* timeout_ms 1000, 300 ms a byte */
	t0 = now_ms();
	ck_assert_int_eq(imap_driver_ops.sync_folder(a, &f, fx_cache, &err),
	    -1);
	ck_assert_msg(err.code == ERR_TIMEOUT, "%s", err.msg);
	ck_assert_msg(strstr(err.msg, "no answer to SELECT") != NULL, "%s",
	    err.msg);
	ck_assert_int_lt(now_ms() - t0, 2000);
	fx_close(a);
	cache_folder_fini(&f);
}
END_TEST

START_TEST(test_slow_progress_is_not_a_timeout)
{
	static const char *const s[] = {
		GREET("IMAP4rev1"),
		SEL1(4, 7, 5) "a2 OK\r\n",
		/* 1.2 s in all, each message within the 1 s timeout. */
		MOCK_SLEEP, H(1, 1, "", "one"), MOCK_SLEEP, H(2, 2, "", "two"),
		MOCK_SLEEP, H(3, 3, "", "three"), MOCK_SLEEP,
		H(4, 4, "", "four") "a3 OK\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 f;
	struct error		 err;

	inbox(&f);
	a = fx_open(s);
	ck_assert_msg(imap_driver_ops.sync_folder(a, &f, fx_cache, &err) == 0,
	    "%s", err.msg);
	ck_assert_str_eq(fx_uids(f.id), "1,2,3,4");
	cache_folder_fini(&f);
	imap_driver_ops.free(a);
}
END_TEST

static sqlite3	*probe;
static int	 probe_reads, probe_locked;

/* At every wait for the server: is the cache's write lock free? */
static void
probe_hook(void)
{
	int	 rc;

	probe_reads++;
	rc = sqlite3_exec(probe, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		sqlite3_exec(probe, "ROLLBACK", NULL, NULL, NULL);
	else
		probe_locked++;
}

START_TEST(test_no_transaction_across_waits)
{
	static const char *const s[] = {
		GREET("IMAP4rev1"),
		"* LIST () \"/\" INBOX\r\n", "* LIST () \"/\" Archive\r\n",
		"a2 OK\r\n",
		SEL1(3, 100, 10) "a3 OK\r\n",
		H(1, 4, "\\Seen", "one"), H(2, 7, "", "two"),
		H(3, 9, "", "three") "a4 OK\r\n",
		SEL1(3, 100, 13) "a5 OK\r\n",
		"* 1 FETCH (UID 4 FLAGS ())\r\n", "* 2 FETCH (UID 9 FLAGS ())\r\n",
		"* 3 FETCH (UID 12 FLAGS (\\Seen))\r\n", "a6 OK\r\n",
		H(3, 12, "\\Seen", "new"), "a7 OK\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 f;
	struct error		 err;

	a = fx_open(s);
	ck_assert_int_eq(sqlite3_open(fx_cache_path(), &probe), SQLITE_OK);
	probe_reads = probe_locked = 0;
	mock.read_hook = probe_hook;
	ck_assert_int_eq(imap_driver_ops.list_folders(a, fx_cache, &err), 0);
	fx_folder("INBOX", &f);
	ck_assert_msg(imap_driver_ops.sync_folder(a, &f, fx_cache, &err) == 0,
	    "%s", err.msg);
	ck_assert_msg(imap_driver_ops.sync_folder(a, &f, fx_cache, &err) == 0,
	    "%s", err.msg);
	mock.read_hook = NULL;
	ck_assert_str_eq(fx_uids(f.id), "4,9,12");
	ck_assert_uint_eq(flags_of(f.id, "4"), 0);
	ck_assert_int_ge(probe_reads, 12);
	ck_assert_int_eq(probe_locked, 0);
	sqlite3_close(probe);
	cache_folder_fini(&f);
	imap_driver_ops.free(a);
}
END_TEST

/* The cold download of test_unreadable: five messages, two unreadable. */
static char *
unreadable_batch(void)
{
	struct buf	 b;
	char		*big;

	buf_init(&b, 0);
	buf_adds(&b, H(1, 1, "", "one"));
	/* A 2 MB subject: dropped as it streams in, the message skipped. */
	buf_adds(&b, "* 2 FETCH (UID 2 FLAGS () ENVELOPE (NIL {2000000}\r\n");
	big = xmalloc(2000000);
	memset(big, 'x', 2000000);
	buf_add(&b, big, 2000000);
	free(big);
	buf_adds(&b, " NIL NIL NIL NIL NIL NIL NIL NIL))\r\n");
	/* An ENVELOPE of 9 fields: not an envelope. */
	buf_adds(&b, "* 3 FETCH (UID 3 FLAGS () ENVELOPE (NIL \"s\" NIL NIL "
	    "NIL NIL NIL NIL NIL))\r\n");
	/* Sloppy but readable: a short date, an unbalanced address list. */
	buf_adds(&b, "* 4 FETCH (UID 4 FLAGS () INTERNALDATE \"1-Feb-2021 "
	    "10:00 GMT\" " HF " {59}\r\nSubject: four\r\nFrom: Ann <ann@a.example\r\nTo: \"Bob <bob>\r\n\r\n)\r\n");
	/* An INTERNALDATE that is no date: the Date: field is used. */
	buf_adds(&b, "* 5 FETCH (UID 5 FLAGS () INTERNALDATE \"yesterday\" "
	    HF " {55}\r\nDate: Mon, 1 Feb 2021 12:00:00 +0000\r\nSubject: five\r\n\r\n)\r\n");
	buf_adds(&b, "a3 OK\r\n");
	return buf_take(&b);
}

START_TEST(test_unreadable_fetch_skipped)
{
	const char		*s[] = {
		GREET("IMAP4rev1"),
		SEL1(5, 7, 6) "a2 OK\r\n",
		NULL,
		/* Resync: 4's listing is unreadable, 2 and 3 still are. */
		SEL1(5, 7, 6) "a4 OK\r\n",
		"* 1 FETCH (UID 1 FLAGS (\\Seen))\r\n"
		"* 2 FETCH (UID 2 FLAGS ())\r\n* 3 FETCH (UID 3 FLAGS ())\r\n"
		"* 4 FETCH (UID 4 FLAGS (\\Seen) MODSEQ)\r\n"
		"* 5 FETCH (UID 5 FLAGS ())\r\na5 OK\r\n",
		"* 2 FETCH (UID 2 FLAGS () ENVELOPE (NIL))\r\n"
		"* 3 FETCH (UID 3 FLAGS () ENVELOPE (NIL))\r\na6 OK\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 f;
	struct cache_msg	 m;
	struct error		 err;
	char			*batch = unreadable_batch();

	s[3] = batch;
	inbox(&f);
	a = fx_open(s);
	ck_assert_msg(imap_driver_ops.sync_folder(a, &f, fx_cache, &err) == 0,
	    "%s", err.msg);
	ck_assert_str_eq(fx_uids(f.id), "1,4,5");
	ck_assert_str_eq(mock.status, "INBOX: 2 messages could not be read");
	ck_assert_int_eq(cache_msg_find(fx_cache, f.id, "4", &m, &err), 0);
	ck_assert_int_eq(m.date, 1612173600);
	ck_assert_str_eq(m.from_name, "Ann");
	ck_assert_str_eq(m.from_addr, "ann@a.example");
	cache_msg_fini(&m);
	ck_assert_int_eq(cache_msg_find(fx_cache, f.id, "5", &m, &err), 0);
	ck_assert_int_eq(m.date, 1612180800);
	cache_msg_fini(&m);

	/* The resync keeps 4 (unreadable listing): it is not pruned. */
	ck_assert_msg(imap_driver_ops.sync_folder(a, &f, fx_cache, &err) == 0,
	    "%s", err.msg);
	ck_assert_str_eq(fx_uids(f.id), "1,4,5");
	ck_assert_uint_eq(flags_of(f.id, "1"), CACHE_FLAG_SEEN);
	ck_assert_str_eq(mock.status, "INBOX: 3 messages could not be read");
	ck_assert_str_eq(fx_sent(), LOGIN
	    "a2 SELECT \"INBOX\"\r\n"
	    "a3 FETCH 1:5 " ITEMS "\r\n"
	    "a4 SELECT \"INBOX\"\r\n"
	    "a5 UID FETCH 1:* (UID FLAGS)\r\n"
	    "a6 UID FETCH 2:3 " ITEMS "\r\n");
	ck_assert(mock_done());
	cache_folder_fini(&f);
	imap_driver_ops.free(a);
	free(batch);
}
END_TEST

START_TEST(test_selected_folder_rechecked)
{
	static const char *const s[] = {
		GREET("IMAP4rev1"),
		SEL1(1, 7, 2) "a2 OK\r\n",
		H(1, 1, "", "one") "a3 OK\r\n",
		/* Still selected: selected again, and the new mail shows. */
		SEL1(2, 7, 3) "a4 OK\r\n",
		"* 1 FETCH (UID 1 FLAGS ())\r\n* 2 FETCH (UID 2 FLAGS ())\r\n"
		"a5 OK\r\n",
		H(2, 2, "", "two") "a6 OK\r\n",
		"a7 NO [NONEXISTENT] Mailbox does not exist\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 f, g;
	struct error		 err;

	inbox(&f);
	fx_add_folder("Gone");
	fx_folder("Gone", &g);
	a = fx_open(s);
	ck_assert_int_eq(imap_driver_ops.sync_folder(a, &f, fx_cache, &err),
	    0);
	ck_assert_int_eq(imap_driver_ops.sync_folder(a, &f, fx_cache, &err),
	    0);
	ck_assert_str_eq(fx_uids(f.id), "1,2");
	/* A failed SELECT names the command (not "%s") and the folder. */
	ck_assert_int_eq(imap_driver_ops.sync_folder(a, &g, fx_cache, &err),
	    -1);
	ck_assert_str_eq(err.msg,
	    "mock.example: SELECT: Mailbox does not exist");
	ck_assert_int_eq(err.scope, ERR_SCOPE_FOLDER);
	ck_assert_str_eq(fx_sent(), LOGIN
	    "a2 SELECT \"INBOX\"\r\n"
	    "a3 FETCH 1:1 " ITEMS "\r\n"
	    "a4 SELECT \"INBOX\"\r\n"
	    "a5 UID FETCH 1:* (UID FLAGS)\r\n"
	    "a6 UID FETCH 2 " ITEMS "\r\n"
	    "a7 SELECT \"Gone\"\r\n");
	cache_folder_fini(&f);
	cache_folder_fini(&g);
	imap_driver_ops.free(a);
}
END_TEST

START_TEST(test_alerts_shown)
{
	static const char *const s[] = {
		"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n",
		"a1 OK [ALERT] Your password expires in 3 days\r\n",
		"* CAPABILITY IMAP4rev1\r\na2 OK\r\n",
		SEL1(1, 7, 2) "* OK [ALERT] Quota at 95%\r\na3 OK\r\n",
		H(1, 1, "", "one") "a4 OK [ALERT] Going down at 5\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 f;
	struct error		 err;

	inbox(&f);
	a = fx_open(s);
	ck_assert_msg(imap_driver_ops.sync_folder(a, &f, fx_cache, &err) == 0,
	    "%s", err.msg);
	ck_assert_int_eq(status_count(
	    "ALERT: Your password expires in 3 days\n"), 1);
	ck_assert_int_eq(status_count("ALERT: Quota at 95%\n"), 1);
	ck_assert_int_eq(status_count("ALERT: Going down at 5\n"), 1);
	cache_folder_fini(&f);
	imap_driver_ops.free(a);
}
END_TEST

/* Put a message with these flags into a folder. */
static void
seed_msg(int64_t folder_id, const char *uid, unsigned flags)
{
	struct cache_msg	 m;
	struct error		 err;

	memset(&m, 0, sizeof m);
	m.folder_id = folder_id;
	m.remote_id = (char *)uid;
	m.subject = (char *)"seeded";
	m.flags = flags;
	ck_assert_int_eq(cache_msg_put(fx_cache, &m, &err), 0);
}

START_TEST(test_store_records_each_chunk)
{
	static const char *const s[] = {
		GREET("IMAP4rev1"),
		"* 600 EXISTS\r\na2 OK\r\n",
		"a3 OK stored\r\n",
		"a4 NO [CANNOT] not now\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 f;
	struct error		 err;
	char			*ids[600];

	inbox(&f);
	ck_assert_int_eq(cache_begin(fx_cache, &err), 0);
	for (int i = 0; i < 600; i++) {
		ids[i] = xasprintf("%d", i + 1);
		seed_msg(f.id, ids[i], 0);
	}
	ck_assert_int_eq(cache_commit(fx_cache, &err), 0);
	a = fx_open(s);
	ck_assert_int_eq(imap_driver_ops.store_flags(a, &f,
	    (const char *const *)ids, 600, CACHE_FLAG_FLAGGED, 0, fx_cache,
	    &err), -1);
	/* The first 500 were accepted: recorded, the rest not. */
	ck_assert_uint_eq(flags_of(f.id, "1"), CACHE_FLAG_FLAGGED);
	ck_assert_uint_eq(flags_of(f.id, "500"), CACHE_FLAG_FLAGGED);
	ck_assert_uint_eq(flags_of(f.id, "501"), 0);
	ck_assert_uint_eq(flags_of(f.id, "600"), 0);
	for (int i = 0; i < 600; i++)
		free(ids[i]);
	cache_folder_fini(&f);
	imap_driver_ops.free(a);
}
END_TEST

START_TEST(test_body_and_row_together)
{
	static const char *const s[] = {
		GREET("IMAP4rev1"),
		"* 1 EXISTS\r\na2 OK\r\n",
		"* 1 FETCH (UID 4 FLAGS (\\Seen) RFC822.SIZE 5 "
		"BODY[] {5}\r\nhello)\r\n"
		"a3 OK\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 f;
	struct error		 err;
	sqlite3			*db;

	inbox(&f);
	seed_msg(f.id, "4", 0);
	/* The body cannot be stored: the row must not change either. */
	ck_assert_int_eq(sqlite3_open(fx_cache_path(), &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "CREATE TRIGGER nobody BEFORE "
	    "INSERT ON bodies BEGIN SELECT RAISE(ABORT, 'disk full'); END",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	a = fx_open(s);
	ck_assert_int_eq(imap_driver_ops.fetch_message(a, &f, "4", fx_cache,
	    &err), -1);
	ck_assert_uint_eq(flags_of(f.id, "4"), 0);
	cache_folder_fini(&f);
	imap_driver_ops.free(a);
}
END_TEST

START_TEST(test_rename_keeps_messages)
{
	static const char *const s[] = {
		GREET("IMAP4rev1"),
		"a2 OK renamed\r\n"
		"* LIST (\\HasChildren) \"/\" Job\r\n"
		"* LIST () \"/\" Job/a\r\n* LIST () \"/\" INBOX\r\na3 OK\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 work, child, f;
	struct error		 err;

	fx_add_folder("INBOX");
	fx_add_folder("Work");
	fx_add_folder("Work/a");
	fx_add_folder("Workshop");
	fx_folder("Work", &work);
	fx_folder("Work/a", &child);
	seed_msg(work.id, "5", CACHE_FLAG_SEEN);
	seed_msg(child.id, "6", 0);
	a = fx_open(s);
	ck_assert_msg(imap_driver_ops.rename_folder(a, &work, "Job", fx_cache,
	    &err) == 0, "%s", err.msg);
	ck_assert_str_eq(fx_sent(), LOGIN
	    "a2 RENAME \"Work\" \"Job\"\r\n"
	    "a3 LIST \"\" \"*\"\r\n");
	ck_assert_int_eq(cache_folder_get(fx_cache, work.id, &f, &err), 0);
	ck_assert_str_eq(f.remote_name, "Job");
	cache_folder_fini(&f);
	ck_assert_int_eq(cache_folder_get(fx_cache, child.id, &f, &err), 0);
	ck_assert_str_eq(f.remote_name, "Job/a");
	cache_folder_fini(&f);
	ck_assert_str_eq(fx_uids(work.id), "5");
	ck_assert_str_eq(fx_uids(child.id), "6");
	/* "Workshop" is no child of "Work"; the server no longer has it. */
	ck_assert_int_eq(cache_folder_find(fx_cache, a->cache_id, "Workshop",
	    &f, &err), 1);
	cache_folder_fini(&f);
	cache_folder_fini(&work);
	cache_folder_fini(&child);
	imap_driver_ops.free(a);
}
END_TEST

/* The suite. */
static Suite *
imap_robust_suite(void)
{
	Suite	*s = suite_create("imap_robust");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, test_untagged_flood);
	tcase_add_test(tc, test_drip_times_out);
	tcase_add_test(tc, test_slow_progress_is_not_a_timeout);
	tcase_add_test(tc, test_no_transaction_across_waits);
	tcase_add_test(tc, test_unreadable_fetch_skipped);
	tcase_add_test(tc, test_selected_folder_rechecked);
	tcase_add_test(tc, test_alerts_shown);
	tcase_add_test(tc, test_store_records_each_chunk);
	tcase_add_test(tc, test_body_and_row_together);
	tcase_add_test(tc, test_rename_keeps_messages);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(imap_robust_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

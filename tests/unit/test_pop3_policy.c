/*
 * test_pop3_policy.c - deleting on a POP3 server against a scripted one:
 * leave_on_server = no and = DAYS (the first-download record in the
 * folder state), sessions cut before or after QUIT (the cache must agree
 * with what the server did), the user's expunge, and the state text.
 * Each test checks the exact bytes petrel sent.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/pop3_driver.h"
#include "test_pop3_fixture.h"
#include "test_pop3_mock.h"
#include "util/xmalloc.h"

START_TEST(test_leave_no)
{
	/* leave_on_server = no: downloaded whole, DELE, QUIT, kept. */
	static const char *const script[] = {
		LOGIN, "+OK\r\n1 u-a\r\n2 u-b\r\n.\r\n",
		"+OK\r\n1 100\r\n2 200\r\n.\r\n",
		"+OK\r\n" HDR(2, 2) "two\r\n.\r\n",
		"+OK\r\n" HDR(1, 1) "one\r\n.\r\n",
		"+OK deleted\r\n", "+OK deleted\r\n", "+OK bye\r\n",
		MOCK_CONNECT, LOGIN, "+OK\r\n.\r\n", "+OK\r\n.\r\n",
		"+OK bye\r\n", NULL
	};
	static const char *const del[] = { "local u-a" };
	struct cache_folder	 f;
	struct cache_msg	 m;
	struct account		*a;
	struct error		 err;
	char			*b;

	fx_cfg.leave_days = 0;
	a = fx_open(script);
	fx_inbox(a, &f);
	ck_assert_int_eq(pop3_driver_ops.store_flags(a, &f,
	    (const char *const[]){ "u-b" }, 1, CACHE_FLAG_SEEN, 0, fx_cache,
	    &err), 0);
	fx_sync(a, &f);
	ck_assert_str_eq(fx_ids(f.id), "local u-a,local u-b");
	b = fx_body(f.id, "local u-b");
	ck_assert_str_eq(b, HDR(2, 2) "two\r\n");
	free(b);
	ck_assert_str_eq(fx_state(f.id), "");
	/* The next sync: the server is empty, the cache keeps them. */
	fx_sync(a, &f);
	ck_assert_str_eq(fx_ids(f.id), "local u-a,local u-b");
	ck_assert_int_eq(pop3_driver_ops.fetch_message(a, &f, "local u-a",
	    fx_cache, &err), 0);
	/* Deleting a kept message touches only the cache. */
	fx_msg(f.id, "local u-a", &m);
	cache_msg_fini(&m);
	ck_assert_int_eq(pop3_driver_ops.expunge(a, &f, del, 1, fx_cache, &err),
	    0);
	ck_assert_str_eq(fx_ids(f.id), "local u-b");
	fx_close(a);
	ck_assert_str_eq(mock_sent(), SENT_LOGIN "UIDL\r\nLIST\r\n"
	    "RETR 2\r\nRETR 1\r\nDELE 1\r\nDELE 2\r\nQUIT\r\n"
	    SENT_LOGIN "UIDL\r\nLIST\r\nQUIT\r\n");
	ck_assert(mock_done());
	cache_folder_fini(&f);
}
END_TEST

/* The script of a leave_on_server = no sync cut before QUIT's answer. */
#define CUT_SESSION	LOGIN, "+OK\r\n1 u-a\r\n2 u-b\r\n.\r\n",	\
			"+OK\r\n1 100\r\n2 200\r\n.\r\n",		\
			"+OK\r\n" HDR(2, 2) "two\r\n.\r\n",		\
			"+OK\r\n" HDR(1, 1) "one\r\n.\r\n",		\
			"+OK deleted\r\n", "+OK deleted\r\n"

START_TEST(test_cut_before_quit_not_deleted)
{
	/* The server did not delete (no QUIT): the cache says so too. */
	static const char *const script[] = {
		CUT_SESSION, MOCK_CONNECT, LOGIN,
		"+OK\r\n1 u-a\r\n2 u-b\r\n.\r\n", "+OK\r\n1 100\r\n2 200\r\n.\r\n",
		"+OK\r\n", "+OK\r\n", "+OK bye\r\n", NULL
	};
	struct cache_folder	 f;
	struct account		*a;
	struct error		 err;

	fx_cfg.leave_days = 0;
	a = fx_open(script);
	fx_inbox(a, &f);
	ck_assert_int_eq(pop3_driver_ops.sync_folder(a, &f, fx_cache, &err), -1);
	ck_assert_int_eq(err.code, ERR_NET);
	ck_assert_str_eq(fx_ids(f.id), "u-a,u-b");
	ck_assert_str_eq(fx_state(f.id), "pop3 1\ndel u-a u-b\n");
	/* Still there: nothing kept; DELEd again (bodies are cached). */
	fx_sync(a, &f);
	ck_assert_str_eq(fx_ids(f.id), "local u-a,local u-b");
	ck_assert_str_eq(fx_state(f.id), "");
	fx_close(a);
	ck_assert_str_eq(mock_sent(), SENT_LOGIN "UIDL\r\nLIST\r\n"
	    "RETR 2\r\nRETR 1\r\nDELE 1\r\nDELE 2\r\nQUIT\r\n"
	    SENT_LOGIN "UIDL\r\nLIST\r\nDELE 1\r\nDELE 2\r\nQUIT\r\n");
	ck_assert(mock_done());
	cache_folder_fini(&f);
}
END_TEST

START_TEST(test_cut_after_quit_deleted)
{
	/* QUIT went through but its answer was lost: the messages left. */
	static const char *const script[] = {
		CUT_SESSION, MOCK_CONNECT, LOGIN, "+OK\r\n.\r\n", "+OK\r\n.\r\n",
		"+OK bye\r\n", NULL
	};
	struct cache_folder	 f;
	struct account		*a;
	struct error		 err;
	char			*b;

	fx_cfg.leave_days = 0;
	a = fx_open(script);
	fx_inbox(a, &f);
	ck_assert_int_eq(pop3_driver_ops.sync_folder(a, &f, fx_cache, &err), -1);
	fx_sync(a, &f);
	ck_assert_str_eq(fx_ids(f.id), "local u-a,local u-b");
	b = fx_body(f.id, "local u-a");
	ck_assert_str_eq(b, HDR(1, 1) "one\r\n");
	free(b);
	ck_assert_str_eq(fx_state(f.id), "");
	fx_close(a);
	cache_folder_fini(&f);
}
END_TEST

START_TEST(test_leave_days)
{
	/* u-a first seen 4 days ago, u-b yesterday, u-c new: 3 days. */
	static const char *const script[] = {
		LOGIN, UIDL3, LIST3, TOP(3, 3), TOP(2, 2), TOP(1, 1),
		"+OK\r\n" HDR(1, 1) "one\r\n.\r\n", "+OK\r\n", "+OK bye\r\n",
		NULL
	};
	struct cache_folder	 f;
	struct account		*a;
	struct error		 err;
	char			 seed[256], want[256];
	int32_t			 t = pop3_today();

	fx_cfg.leave_days = 3;
	a = fx_open(script);
	fx_inbox(a, &f);
	snprintf(seed, sizeof seed, "pop3 1\nseen %d %016llx\nseen %d "
	    "%016llx\n", (int)(t - 4),
	    (unsigned long long)pop3_state_hash("u-a"), (int)(t - 1),
	    (unsigned long long)pop3_state_hash("u-b"));
	ck_assert_int_eq(cache_folder_set_state(fx_cache, f.id, seed, &err), 0);
	fx_sync(a, &f);
	ck_assert_str_eq(fx_ids(f.id), "local u-a,u-b,u-c");
	snprintf(want, sizeof want, "pop3 1\nseen %d %016llx\nseen %d "
	    "%016llx\nseen %d %016llx\n", (int)(t - 4),
	    (unsigned long long)pop3_state_hash("u-a"), (int)(t - 1),
	    (unsigned long long)pop3_state_hash("u-b"), (int)t,
	    (unsigned long long)pop3_state_hash("u-c"));
	ck_assert_str_eq(fx_state(f.id), want);
	fx_close(a);
	ck_assert_str_eq(mock_sent(), SENT_LOGIN "UIDL\r\nLIST\r\n"
	    "TOP 3 0\r\nTOP 2 0\r\nTOP 1 0\r\nRETR 1\r\nDELE 1\r\nQUIT\r\n");
	cache_folder_fini(&f);
}
END_TEST

START_TEST(test_expunge)
{
	static const char *const script[] = {
		LOGIN, UIDL3, LIST3, TOP(3, 3), TOP(2, 2), TOP(1, 1),
		"+OK\r\n", "-ERR [SYS/TEMP] cannot\r\n", "+OK bye\r\n", NULL
	};
	static const char *const gone[] = { "u-b", "u-gone", "u-c" };
	struct cache_folder	 f;
	struct cache_msg	 m;
	struct account		*a;
	struct error		 err;

	a = fx_open(script);
	fx_inbox(a, &f);
	fx_sync(a, &f);
	/* A row the server no longer has goes without a DELE. */
	memset(&m, 0, sizeof m);
	m.folder_id = f.id;
	m.remote_id = (char *)"u-gone";
	ck_assert_int_eq(cache_msg_put(fx_cache, &m, &err), 0);
	ck_assert_int_eq(pop3_driver_ops.expunge(a, &f, gone, 3, fx_cache, &err),
	    -1);
	/* DELE 3 was refused: u-c stays, the error says why. */
	ck_assert_int_eq(err.code, ERR_SERVER);
	ck_assert_ptr_nonnull(strstr(err.msg, "cannot"));
	ck_assert_str_eq(fx_ids(f.id), "u-a,u-c");
	fx_close(a);
	ck_assert_str_eq(mock_sent(), SENT_LOGIN "UIDL\r\nLIST\r\n"
	    "TOP 3 0\r\nTOP 2 0\r\nTOP 1 0\r\nDELE 2\r\nDELE 3\r\nQUIT\r\n");
	cache_folder_fini(&f);
}
END_TEST

START_TEST(test_state_text)
{
	struct pop3_state	 st;
	char			*s;

	pop3_state_parse("pop3 1\nseen 5 00000000000000aa 0000000000000001\n"
	    "junk line\nseen x 01\ndel a b\nseen 3 0000000000000002 zz\n", &st);
	ck_assert_uint_eq(st.nseen, 3);
	ck_assert_uint_eq(st.ndel, 2);
	ck_assert_int_eq(pop3_state_day(&st, 0xaa), 5);
	ck_assert_int_eq(pop3_state_day(&st, 2), 3);
	ck_assert_int_eq(pop3_state_day(&st, 7), -1);
	s = pop3_state_format(&st);
	ck_assert_str_eq(s, "pop3 1\ndel a b\nseen 3 0000000000000002\n"
	    "seen 5 0000000000000001 00000000000000aa\n");
	free(s);
	pop3_state_fini(&st);
	pop3_state_parse("imap v1 uidvalidity=1", &st);
	ck_assert_uint_eq(st.nseen + st.ndel, 0);
	ck_assert_ptr_null(pop3_state_format(&st));
	pop3_state_fini(&st);
	pop3_state_parse(NULL, &st);
	pop3_state_fini(&st);
}
END_TEST

static Suite *
policy_suite(void)
{
	Suite	*s = suite_create("pop3_policy");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, test_leave_no);
	tcase_add_test(tc, test_cut_before_quit_not_deleted);
	tcase_add_test(tc, test_cut_after_quit_deleted);
	tcase_add_test(tc, test_leave_days);
	tcase_add_test(tc, test_expunge);
	tcase_add_test(tc, test_state_text);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(policy_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * test_pop3_driver.c - the POP3 driver against a scripted server and a
 * real cache: the first sync (UIDL, LIST, TOP, pipelined in a window or
 * one at a time), a resync after another client deleted messages and the
 * server renumbered, flags kept locally across syncs, TOP refused, UIDL
 * refused, bodies on the same or a new session, read-only (no RETR, no
 * DELE), broken listings and replies.  Each test checks the exact bytes
 * petrel sent.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/pop3_driver.h"
#include "test_pop3_fixture.h"
#include "test_pop3_mock.h"
#include "util/xmalloc.h"

START_TEST(test_first_sync)
{
	static const char *const script[] = {
		LOGIN, UIDL3, LIST3, TOP(3, 3), TOP(2, 2), TOP(1, 1),
		"+OK bye\r\n", NULL
	};
	struct cache_folder	 f;
	struct cache_msg	 m;
	struct account		*a;

	a = fx_open(script);
	fx_inbox(a, &f);
	ck_assert_int_eq(f.role, CACHE_ROLE_INBOX);
	fx_sync(a, &f);
	ck_assert_str_eq(fx_ids(f.id), "u-a,u-b,u-c");
	fx_msg(f.id, "u-b", &m);
	ck_assert_str_eq(m.subject, "message 2");
	ck_assert_str_eq(m.from_name, "Sender 2");
	ck_assert_str_eq(m.from_addr, "s2@example.org");
	ck_assert_int_eq(m.size, 200);
	ck_assert_int_eq(m.date, 1612260000);	/* 2021-02-02 10:00 UTC */
	ck_assert_uint_eq(m.flags, 0);
	ck_assert(!m.has_body);
	cache_msg_fini(&m);
	/* Pipelined: UIDL and LIST, then the three TOPs, newest first. */
	ck_assert_uint_eq(mock.sent_before[LOGIN_PACKETS],
	    strlen(SENT_LOGIN "UIDL\r\nLIST\r\n"));
	ck_assert_uint_eq(mock.sent_before[LOGIN_PACKETS + 2],
	    strlen(SENT_LOGIN "UIDL\r\nLIST\r\nTOP 3 0\r\nTOP 2 0\r\n"
	    "TOP 1 0\r\n"));
	ck_assert_str_eq(fx_state(f.id), "");
	fx_close(a);
	ck_assert_str_eq(mock_sent(), SENT_LOGIN "UIDL\r\nLIST\r\n"
	    "TOP 3 0\r\nTOP 2 0\r\nTOP 1 0\r\nQUIT\r\n");
	ck_assert(mock_done());
	ck_assert_int_eq(mock.freed, 1);
	cache_folder_fini(&f);
}
END_TEST

START_TEST(test_resync_renumbered)
{
	/* Another client deleted u-a; the server renumbered; u-d arrived. */
	static const char *const script[] = {
		LOGIN, UIDL3, LIST3, TOP(3, 3), TOP(2, 2), TOP(1, 1),
		"+OK bye\r\n", MOCK_CONNECT, LOGIN,
		"+OK\r\n1 u-b\r\n2 u-c\r\n3 u-d\r\n.\r\n",
		"+OK\r\n1 200\r\n2 300\r\n3 400\r\n.\r\n", TOP(4, 4),
		"+OK bye\r\n", NULL
	};
	static const char *const seen[] = { "u-c", "u-b" };
	struct cache_folder	 f;
	struct cache_msg	 m;
	struct account		*a;
	struct error		 err;

	a = fx_open(script);
	fx_inbox(a, &f);
	fx_sync(a, &f);
	/* Flags live in the cache only: nothing is sent. */
	ck_assert_int_eq(pop3_driver_ops.store_flags(a, &f, seen, 2,
	    CACHE_FLAG_SEEN | CACHE_FLAG_FLAGGED, 0, fx_cache, &err), 0);
	ck_assert_int_eq(pop3_driver_ops.store_flags(a, &f, seen + 1, 1, 0,
	    CACHE_FLAG_FLAGGED, fx_cache, &err), 0);
	fx_sync(a, &f);
	ck_assert_str_eq(fx_ids(f.id), "u-b,u-c,u-d");
	fx_msg(f.id, "u-c", &m);
	ck_assert_uint_eq(m.flags, CACHE_FLAG_SEEN | CACHE_FLAG_FLAGGED);
	cache_msg_fini(&m);
	fx_msg(f.id, "u-b", &m);
	ck_assert_uint_eq(m.flags, CACHE_FLAG_SEEN);
	ck_assert_int_eq(m.size, 200);
	cache_msg_fini(&m);
	fx_msg(f.id, "u-d", &m);
	ck_assert_int_eq(m.size, 400);
	ck_assert_uint_eq(m.flags, 0);
	cache_msg_fini(&m);
	fx_close(a);
	ck_assert_str_eq(mock_sent(), SENT_LOGIN "UIDL\r\nLIST\r\n"
	    "TOP 3 0\r\nTOP 2 0\r\nTOP 1 0\r\nQUIT\r\n"
	    SENT_LOGIN "UIDL\r\nLIST\r\nTOP 3 0\r\nQUIT\r\n");
	ck_assert(mock_done());
	cache_folder_fini(&f);
}
END_TEST

START_TEST(test_no_pipelining)
{
	static const char *const script[] = {
		LOGIN_NOPIPE, UIDL3, LIST3, TOP(3, 3), TOP(2, 2), TOP(1, 1),
		NULL
	};
	struct cache_folder	 f;
	struct account		*a;

	a = fx_open(script);
	fx_inbox(a, &f);
	fx_sync(a, &f);
	/* One command, one answer: each sent only after the last reply. */
	ck_assert_uint_eq(mock.sent_before[LOGIN_PACKETS],
	    strlen(SENT_LOGIN "UIDL\r\n"));
	ck_assert_uint_eq(mock.sent_before[LOGIN_PACKETS + 1],
	    strlen(SENT_LOGIN "UIDL\r\nLIST\r\n"));
	ck_assert_uint_eq(mock.sent_before[LOGIN_PACKETS + 3],
	    strlen(SENT_LOGIN "UIDL\r\nLIST\r\nTOP 3 0\r\nTOP 2 0\r\n"));
	ck_assert_str_eq(fx_ids(f.id), "u-a,u-b,u-c");
	fx_close(a);		/* the server hung up: QUIT fails quietly */
	cache_folder_fini(&f);
}
END_TEST

START_TEST(test_window)
{
	/* 20 new messages: POP3_WINDOW TOPs in flight, then one per reply. */
	const char		*script[LOGIN_PACKETS + 2 + 20 + 2] = { LOGIN };
	static char		 uidl[1024], list[1024], top[20][128];
	struct cache_folder	 f;
	struct account		*a;
	struct buf		 want;
	size_t			 k = LOGIN_PACKETS, u = 0, l = 0;
	int			 n;

	u += (size_t)snprintf(uidl, sizeof uidl, "+OK\r\n");
	l += (size_t)snprintf(list, sizeof list, "+OK\r\n");
	for (n = 1; n <= 20; n++) {
		u += (size_t)snprintf(uidl + u, sizeof uidl - u, "%d u%02d\r\n",
		    n, n);
		l += (size_t)snprintf(list + l, sizeof list - l, "%d 99\r\n", n);
	}
	snprintf(uidl + u, sizeof uidl - u, ".\r\n");
	snprintf(list + l, sizeof list - l, ".\r\n");
	script[k++] = uidl;
	script[k++] = list;
	for (n = 20; n >= 1; n--) {
		snprintf(top[n - 1], sizeof top[0], "+OK\r\nSubject: %d\r\n"
		    "\r\n.\r\n", n);
		script[k++] = top[n - 1];
	}
	script[k++] = "+OK bye\r\n";
	script[k] = NULL;
	a = fx_open(script);
	fx_inbox(a, &f);
	fx_sync(a, &f);
	buf_init(&want, 0);
	buf_adds(&want, SENT_LOGIN "UIDL\r\nLIST\r\n");
	for (n = 20; n > 20 - POP3_WINDOW; n--)
		buf_printf(&want, "TOP %d 0\r\n", n);
	ck_assert_uint_eq(mock.sent_before[LOGIN_PACKETS + 2], want.len);
	buf_printf(&want, "TOP %d 0\r\n", n);
	ck_assert_uint_eq(mock.sent_before[LOGIN_PACKETS + 3], want.len);
	ck_assert_int_eq(strlen(fx_ids(f.id)), 20 * 4 - 1);
	fx_close(a);
	buf_fini(&want);
	cache_folder_fini(&f);
}
END_TEST

START_TEST(test_top_refused)
{
	/* An RFC 1939 server: no CAPA, no TOP: RETR, bodies kept too. */
	static const char *const script[] = {
		GREET, "-ERR what\r\n", "+OK\r\n", "+OK\r\n",
		"+OK\r\n1 u-a\r\n2 u-b\r\n.\r\n", "+OK\r\n1 100\r\n2 200\r\n.\r\n",
		"-ERR unknown command\r\n",
		"+OK\r\n" HDR(2, 2) "body two\r\n.\r\n",
		"+OK\r\n" HDR(1, 1) "body one\r\n.\r\n", "+OK\r\n", NULL
	};
	struct cache_folder	 f;
	struct account		*a;
	char			*b;

	a = fx_open(script);
	fx_inbox(a, &f);
	fx_sync(a, &f);
	ck_assert_str_eq(fx_ids(f.id), "u-a,u-b");
	b = fx_body(f.id, "u-b");
	ck_assert_str_eq(b, HDR(2, 2) "body two\r\n");
	free(b);
	fx_close(a);
	ck_assert_str_eq(mock_sent(), "CAPA\r\nUSER user\r\nPASS pass\r\n"
	    "UIDL\r\nLIST\r\nTOP 2 0\r\nRETR 2\r\nRETR 1\r\nQUIT\r\n");
	cache_folder_fini(&f);
}
END_TEST

START_TEST(test_uidl_refused)
{
	static const char *const script[] = {
		LOGIN, "-ERR no UIDL here\r\n", LIST3, NULL
	};
	struct cache_folder	 f;
	struct account		*a;
	struct error		 err;

	a = fx_open(script);
	fx_inbox(a, &f);
	ck_assert_int_eq(pop3_driver_ops.sync_folder(a, &f, fx_cache, &err), -1);
	ck_assert_int_eq(err.code, ERR_UNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(err.msg, "UIDL"));
	ck_assert(mock_done());		/* the pipelined LIST was read too */
	fx_close(a);
	cache_folder_fini(&f);
}
END_TEST

START_TEST(test_fetch_same_session)
{
	static const char *const script[] = {
		LOGIN, UIDL3, LIST3, TOP(3, 3), TOP(2, 2), TOP(1, 1),
		"+OK 200 octets\r\n" HDR(2, 2) "..dot\r\n.x\r\nend\r\n.\r\n",
		"+OK bye\r\n", NULL
	};
	static const char *const ro[] = { "u-b" };
	struct cache_folder	 f;
	struct cache_msg	 m;
	struct account		*a;
	struct error		 err;
	char			*b;

	a = fx_open(script);
	fx_inbox(a, &f);
	fx_sync(a, &f);
	ck_assert_int_eq(pop3_driver_ops.store_flags(a, &f, ro, 1,
	    CACHE_FLAG_SEEN, 0, fx_cache, &err), 0);
	ck_assert_msg(pop3_driver_ops.fetch_message(a, &f, "u-b", fx_cache,
	    &err) == 0, "%s", err.msg);
	b = fx_body(f.id, "u-b");
	ck_assert_str_eq(b, HDR(2, 2) ".dot\r\nx\r\nend\r\n");
	free(b);
	fx_msg(f.id, "u-b", &m);
	ck_assert(m.has_body);
	ck_assert_uint_eq(m.flags, CACHE_FLAG_SEEN);	/* untouched */
	cache_msg_fini(&m);
	/* A kept message has its body; an unknown one is a clear error. */
	ck_assert_int_eq(pop3_driver_ops.fetch_message(a, &f, "u-zz", fx_cache,
	    &err), -1);
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	fx_close(a);
	ck_assert_str_eq(mock_sent(), SENT_LOGIN "UIDL\r\nLIST\r\n"
	    "TOP 3 0\r\nTOP 2 0\r\nTOP 1 0\r\nRETR 2\r\nQUIT\r\n");
	cache_folder_fini(&f);
}
END_TEST

START_TEST(test_fetch_new_session)
{
	/* The session went stale: a new one, the old number checked. */
	static const char *const script[] = {
		LOGIN, UIDL3, LIST3, TOP(3, 3), TOP(2, 2), TOP(1, 1),
		"+OK bye\r\n", MOCK_CONNECT, LOGIN, "+OK 2 u-b\r\n",
		"+OK\r\n" HDR(2, 2) "two\r\n.\r\n",
		"+OK bye\r\n", MOCK_CONNECT, LOGIN, "+OK 3 u-x\r\n",
		"+OK\r\n1 u-c\r\n2 u-x\r\n.\r\n", "+OK\r\n1 300\r\n2 9\r\n.\r\n",
		"+OK\r\n" HDR(3, 3) "three\r\n.\r\n", "+OK bye\r\n", NULL
	};
	struct cache_folder	 f;
	struct account		*a;
	struct pop3_account	*pa;
	struct error		 err;
	char			*b;

	a = fx_open(script);
	pa = pop3_account_get(a);
	fx_inbox(a, &f);
	fx_sync(a, &f);
	pa->conn->used_ms -= POP3_REUSE_MS + 1000;
	ck_assert_msg(pop3_driver_ops.fetch_message(a, &f, "u-b", fx_cache,
	    &err) == 0, "%s", err.msg);
	/* Renumbered since: the guess is wrong, so a new listing. */
	pa->conn->used_ms -= POP3_REUSE_MS + 1000;
	ck_assert_msg(pop3_driver_ops.fetch_message(a, &f, "u-c", fx_cache,
	    &err) == 0, "%s", err.msg);
	b = fx_body(f.id, "u-c");
	ck_assert_str_eq(b, HDR(3, 3) "three\r\n");
	free(b);
	fx_close(a);
	ck_assert_str_eq(mock_sent(), SENT_LOGIN "UIDL\r\nLIST\r\n"
	    "TOP 3 0\r\nTOP 2 0\r\nTOP 1 0\r\nQUIT\r\n"
	    SENT_LOGIN "UIDL 2\r\nRETR 2\r\nQUIT\r\n"
	    SENT_LOGIN "UIDL 3\r\nUIDL\r\nLIST\r\nRETR 1\r\nQUIT\r\n");
	ck_assert(mock_done());
	cache_folder_fini(&f);
}
END_TEST

START_TEST(test_fetch_then_sync)
{
	/* A body first (the listing comes with it), then a sync: that one
	   needs a new session, the old one's maildrop is from its login. */
	static const char *const script[] = {
		LOGIN, UIDL3, LIST3, "+OK\r\n" HDR(2, 2) "two\r\n.\r\n",
		"+OK bye\r\n", MOCK_CONNECT, LOGIN, UIDL3, LIST3, TOP(3, 3),
		TOP(1, 1), "+OK bye\r\n", NULL
	};
	struct cache_folder	 f;
	struct account		*a;
	struct error		 err;
	char			*b;

	a = fx_open(script);
	fx_inbox(a, &f);
	ck_assert_msg(pop3_driver_ops.fetch_message(a, &f, "u-b", fx_cache,
	    &err) == 0, "%s", err.msg);
	b = fx_body(f.id, "u-b");
	ck_assert_str_eq(b, HDR(2, 2) "two\r\n");
	free(b);
	fx_sync(a, &f);
	ck_assert_str_eq(fx_ids(f.id), "u-a,u-b,u-c");
	fx_close(a);
	ck_assert_str_eq(mock_sent(), SENT_LOGIN "UIDL\r\nLIST\r\nRETR 2\r\n"
	    "QUIT\r\n" SENT_LOGIN "UIDL\r\nLIST\r\nTOP 3 0\r\nTOP 1 0\r\n"
	    "QUIT\r\n");
	ck_assert(mock_done());
	cache_folder_fini(&f);
}
END_TEST

START_TEST(test_read_only)
{
	/* leave_on_server = no, but read-only: no RETR, no DELE. */
	static const char *const script[] = {
		LOGIN, UIDL3, LIST3, TOP(3, 3), TOP(2, 2), TOP(1, 1),
		"+OK\r\n" HDR(2, 2) "two\r\n.\r\n", "+OK bye\r\n", NULL
	};
	/* No TOP at all: RETR, and then no QUIT (it would commit \Seen). */
	static const char *const notop[] = {
		GREET, CAPA1, "+OK\r\n", "+OK\r\n", "+OK\r\nUIDL\r\n.\r\n",
		"+OK\r\n1 u-a\r\n.\r\n", "+OK\r\n1 10\r\n.\r\n",
		"+OK\r\n" HDR(1, 1) "one\r\n.\r\n", NULL
	};
	struct cache_folder	 f;
	struct account		*a;
	struct error		 err;
	char			*b;

	fx_cfg.read_only = true;
	fx_cfg.leave_days = 0;
	a = fx_open(script);
	fx_inbox(a, &f);
	fx_sync(a, &f);
	ck_assert_msg(pop3_driver_ops.fetch_message(a, &f, "u-b", fx_cache,
	    &err) == 0, "%s", err.msg);
	ck_assert_int_eq(pop3_driver_ops.expunge(a, &f,
	    (const char *const[]){ "u-a" }, 1, fx_cache, &err), -1);
	ck_assert_int_eq(err.code, ERR_READONLY);
	fx_close(a);
	ck_assert_str_eq(mock_sent(), SENT_LOGIN "UIDL\r\nLIST\r\n"
	    "TOP 3 0\r\nTOP 2 0\r\nTOP 1 0\r\nTOP 2 1000000000\r\nQUIT\r\n");
	ck_assert_str_eq(fx_ids(f.id), "u-a,u-b,u-c");
	cache_folder_fini(&f);

	fx_teardown();
	fx_setup();
	fx_cfg.read_only = true;
	a = fx_open(notop);
	fx_inbox(a, &f);
	fx_sync(a, &f);
	b = fx_body(f.id, "u-a");
	ck_assert_str_eq(b, HDR(1, 1) "one\r\n");
	free(b);
	fx_close(a);
	ck_assert_str_eq(mock_sent(), SENT_LOGIN "UIDL\r\nLIST\r\nRETR 1\r\n");
	cache_folder_fini(&f);
}
END_TEST

START_TEST(test_broken_listing)
{
	/* A repeated id, a repeated number, junk lines: skipped. */
	static const char *const script[] = {
		LOGIN, "+OK\r\n1 u-a\r\n2 u-a\r\n2 u-x\r\n3 bad id\r\n"
		"x y\r\n4 u-d\r\n.\r\n", "+OK\r\n4 40\r\n1 10\r\n.\r\n",
		TOP(4, 4), TOP(2, 2), "+OK bye\r\n", NULL
	};
	struct cache_folder	 f;
	struct cache_msg	 m;
	struct account		*a;

	a = fx_open(script);
	fx_inbox(a, &f);
	fx_sync(a, &f);
	ck_assert_str_eq(fx_ids(f.id), "u-a,u-d");
	fx_msg(f.id, "u-d", &m);
	ck_assert_int_eq(m.size, 0);	/* LIST out of order: no sizes */
	cache_msg_fini(&m);
	fx_close(a);
	cache_folder_fini(&f);
}
END_TEST

START_TEST(test_cut_mid_download)
{
	/* What arrived before the server hung up is kept. */
	static const char *const script[] = {
		LOGIN, UIDL3, LIST3, TOP(3, 3), "+OK\r\nDate: Mon, 2 F", NULL
	};
	struct cache_folder	 f;
	struct account		*a;
	struct error		 err;

	a = fx_open(script);
	fx_inbox(a, &f);
	ck_assert_int_eq(pop3_driver_ops.sync_folder(a, &f, fx_cache, &err), -1);
	ck_assert_int_eq(err.code, ERR_NET);
	ck_assert_int_eq(err.scope, ERR_SCOPE_ACCOUNT);
	ck_assert_str_eq(fx_ids(f.id), "u-c");
	fx_close(a);
	cache_folder_fini(&f);
}
END_TEST

START_TEST(test_cancelled)
{
	/* The worker's wake fd cut the wait short: ERR_CANCELLED. */
	static const char *const script[] = {
		LOGIN, UIDL3, MOCK_CANCEL, NULL
	};
	struct cache_folder	 f;
	struct account		*a;
	struct error		 err;

	a = fx_open(script);
	fx_inbox(a, &f);
	ck_assert_int_eq(pop3_driver_ops.sync_folder(a, &f, fx_cache, &err),
	    -1);
	ck_assert_int_eq(err.code, ERR_CANCELLED);
	ck_assert_str_eq(fx_ids(f.id), "");
	fx_close(a);		/* broken: no QUIT */
	ck_assert_str_eq(mock_sent(), SENT_LOGIN "UIDL\r\nLIST\r\n");
	cache_folder_fini(&f);
}
END_TEST

START_TEST(test_other_folder)
{
	static const char *const script[] = { LOGIN, "+OK\r\n", NULL };
	struct cache_folder	 f, old;
	struct account		*a;
	struct error		 err;
	int64_t			 id;

	a = fx_open(script);
	ck_assert_int_eq(cache_folder_put(fx_cache, a->cache_id, "Old", NULL, '/',
	    0, &id, &err), 0);
	fx_inbox(a, &f);		/* and "Old" is pruned */
	ck_assert_int_eq(cache_folder_get(fx_cache, id, &old, &err), 1);
	cache_folder_fini(&old);
	f.id = id;
	free(f.remote_name);
	f.remote_name = xstrdup("Old");
	ck_assert_int_eq(pop3_driver_ops.sync_folder(a, &f, fx_cache, &err), -1);
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	cache_folder_fini(&f);
	fx_close(a);
	ck_assert_str_eq(mock_sent(), SENT_LOGIN "QUIT\r\n");
}
END_TEST

static Suite *
driver_suite(void)
{
	Suite	*s = suite_create("pop3_driver");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, test_first_sync);
	tcase_add_test(tc, test_resync_renumbered);
	tcase_add_test(tc, test_no_pipelining);
	tcase_add_test(tc, test_window);
	tcase_add_test(tc, test_top_refused);
	tcase_add_test(tc, test_uidl_refused);
	tcase_add_test(tc, test_fetch_same_session);
	tcase_add_test(tc, test_fetch_new_session);
	tcase_add_test(tc, test_fetch_then_sync);
	tcase_add_test(tc, test_read_only);
	tcase_add_test(tc, test_broken_listing);
	tcase_add_test(tc, test_cut_mid_download);
	tcase_add_test(tc, test_cancelled);
	tcase_add_test(tc, test_other_folder);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(driver_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

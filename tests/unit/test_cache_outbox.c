/*
 * test_cache_outbox.c - unit tests of schema version 3: the outbox kept
 * across a reopen, its states and failed attempts, and the refusal of
 * messages that could never be sent.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cache/cache.h"
#include "test_tmpdir.h"
#include "util/xmalloc.h"

static char	 test_dir[64];
static char	*test_path;

/* A fresh directory for each test. */
static void
setup(void)
{
	test_tmpdir_make(test_dir, sizeof test_dir, "petrel-outbox");
	test_path = xasprintf("%s/cache.db", test_dir);
}

/* Remove it. */
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

/* Queue a message of account acct with the given bytes. */
static int64_t
test_add(struct cache *c, const char *acct, const char *raw, size_t len)
{
	struct cache_outbox	m;
	struct error		e;

	memset(&m, 0, sizeof m);
	m.account = (char *)acct;
	m.env_from = (char *)"me@example.org";
	m.env_rcpt = (char *)"a@example.org\nb@example.org";
	m.dsn_notify = (char *)"FAILURE";
	m.subject = (char *)"Gr\xc3\xbc\xc3\x9f" "e";
	m.to_line = (char *)"A <a@example.org>";
	m.raw = (char *)raw;
	m.len = len;
	ck_assert_msg(cache_outbox_add(c, &m, &e) == 0, "%s", e.msg);
	ck_assert_int_gt(m.id, 0);
	ck_assert_int_eq(m.state, CACHE_OUTBOX_QUEUED);
	return m.id;
}

START_TEST(test_outbox_roundtrip)
{
	static const char	 body[] = "Subject: x\r\n\r\nbin\0ary\r\n";
	struct cache		*c;
	struct cache_outbox	*v, m;
	struct error		 e;
	size_t			 n;
	int64_t			 id1, id2;

	c = test_open();
	id1 = test_add(c, "work", body, sizeof body - 1);
	id2 = test_add(c, "home", "x", 1);
	cache_close(c);

	/* Kept across a reopen, bytes exact (a NUL inside too). */
	c = test_open();
	ck_assert_int_eq(cache_outbox_list(c, NULL, &v, &n, &e), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(v[0].id, id1);
	ck_assert_str_eq(v[0].account, "work");
	ck_assert_ptr_null(v[0].raw);
	ck_assert_uint_eq(v[0].len, sizeof body - 1);
	ck_assert_str_eq(v[0].env_rcpt, "a@example.org\nb@example.org");
	ck_assert_str_eq(v[0].subject, "Gr\xc3\xbc\xc3\x9f" "e");
	ck_assert_str_eq(v[0].dsn_notify, "FAILURE");
	ck_assert_ptr_null(v[0].dsn_ret);
	ck_assert_int_gt(v[0].created, 0);
	cache_outbox_list_free(v, n);
	ck_assert_int_eq(cache_outbox_list(c, "home", &v, &n, &e), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(v[0].id, id2);
	cache_outbox_list_free(v, n);
	ck_assert_int_eq(cache_outbox_get(c, id1, &m, &e), 0);
	ck_assert_uint_eq(m.len, sizeof body - 1);
	ck_assert_mem_eq(m.raw, body, sizeof body - 1);
	cache_outbox_fini(&m);
	ck_assert_int_eq(cache_outbox_get(c, 9999, &m, &e), 1);

	/* A failed attempt counts, keeps its error and the next try. */
	ck_assert_int_eq(cache_outbox_set_state(c, id1, CACHE_OUTBOX_SENDING,
	    NULL, 0, &e), 0);
	ck_assert_int_eq(cache_outbox_set_state(c, id1, CACHE_OUTBOX_QUEUED,
	    "550 5.1.1 <b@example.org>: no such user", 1234, &e), 0);
	ck_assert_int_eq(cache_outbox_get(c, id1, &m, &e), 0);
	ck_assert_int_eq(m.state, CACHE_OUTBOX_QUEUED);
	ck_assert_int_eq(m.attempts, 1);
	ck_assert_int_eq(m.next_try, 1234);
	ck_assert_str_eq(m.last_error,
	    "550 5.1.1 <b@example.org>: no such user");
	cache_outbox_fini(&m);
	/* A state without an error keeps the last error and the count. */
	ck_assert_int_eq(cache_outbox_set_state(c, id1, CACHE_OUTBOX_ACCEPTED,
	    NULL, 0, &e), 0);
	ck_assert_int_eq(cache_outbox_get(c, id1, &m, &e), 0);
	ck_assert_int_eq(m.state, CACHE_OUTBOX_ACCEPTED);
	ck_assert_int_eq(m.attempts, 1);
	ck_assert_ptr_nonnull(m.last_error);
	cache_outbox_fini(&m);

	ck_assert_int_eq(cache_outbox_remove(c, id1, &e), 0);
	ck_assert_int_eq(cache_outbox_set_state(c, id1, CACHE_OUTBOX_QUEUED,
	    NULL, 0, &e), -1);
	ck_assert_int_eq(e.code, ERR_NOTFOUND);
	ck_assert_int_eq(cache_outbox_list(c, NULL, &v, &n, &e), 0);
	ck_assert_uint_eq(n, 1);
	cache_outbox_list_free(v, n);
	cache_close(c);
}
END_TEST

START_TEST(test_outbox_refusals)
{
	struct cache		*c;
	struct cache_outbox	 m;
	struct error		 e;
	char			 err[3000];

	c = test_open();
	memset(&m, 0, sizeof m);
	m.account = (char *)"a";
	m.env_from = (char *)"";
	m.env_rcpt = (char *)"";
	m.raw = (char *)"x";
	m.len = 1;
	/* No recipient. */
	ck_assert_int_eq(cache_outbox_add(c, &m, &e), -1);
	m.env_rcpt = (char *)"b@example.org";
	m.len = 0;
	ck_assert_int_eq(cache_outbox_add(c, &m, &e), -1);
	/* Larger than the outbox takes: refused before any SQL. */
	m.len = (size_t)CACHE_OUTBOX_MAX + 1;
	ck_assert_int_eq(cache_outbox_add(c, &m, &e), -1);
	ck_assert_int_eq(e.code, ERR_TOOBIG);
	/* A draft needs no recipients; its state is kept. */
	m.env_rcpt = (char *)"";
	m.state = CACHE_OUTBOX_DRAFT;
	m.len = 1;
	ck_assert_int_eq(cache_outbox_add(c, &m, &e), 0);
	ck_assert_int_eq(cache_outbox_get(c, m.id, &m, &e), 0);
	ck_assert_int_eq(m.state, CACHE_OUTBOX_DRAFT);
	cache_outbox_fini(&m);
	memset(&m, 0, sizeof m);
	m.account = (char *)"a";
	m.env_from = (char *)"";
	m.env_rcpt = (char *)"b@example.org";
	m.raw = (char *)"x";
	/* A row cannot start accepted. */
	m.state = CACHE_OUTBOX_ACCEPTED;
	m.len = 1;
	ck_assert_int_eq(cache_outbox_add(c, &m, &e), -1);
	m.state = CACHE_OUTBOX_QUEUED;
	/* The null sender <> is allowed (bounces). */
	m.len = 1;
	ck_assert_int_eq(cache_outbox_add(c, &m, &e), 0);
	/* A long error is cut at a character boundary. */
	memset(err, 'x', sizeof err);
	memcpy(err + 1023, "\xc3\xa9", 2);	/* straddles 1024 */
	err[sizeof err - 1] = '\0';
	ck_assert_int_eq(cache_outbox_set_state(c, m.id, CACHE_OUTBOX_QUEUED,
	    err, 0, &e), 0);
	ck_assert_int_eq(cache_outbox_get(c, m.id, &m, &e), 0);
	ck_assert_uint_eq(strlen(m.last_error), 1023);
	cache_outbox_fini(&m);
	cache_close(c);
}
END_TEST

/* What sending learnt of the server, per account, kept across a reopen. */
START_TEST(test_smtp_8bit)
{
	struct cache	*c;
	struct error	 e;
	int		 yes;

	c = test_open();
	ck_assert_int_eq(cache_smtp_8bit_get(c, "work", &yes, &e), 0);
	ck_assert_int_eq(yes, -1);
	ck_assert_int_eq(cache_smtp_8bit_set(c, "work", true, &e), 0);
	ck_assert_int_eq(cache_smtp_8bit_set(c, "home", false, &e), 0);
	cache_close(c);
	c = test_open();
	ck_assert_int_eq(cache_smtp_8bit_get(c, "work", &yes, &e), 0);
	ck_assert_int_eq(yes, 1);
	ck_assert_int_eq(cache_smtp_8bit_get(c, "home", &yes, &e), 0);
	ck_assert_int_eq(yes, 0);
	ck_assert_int_eq(cache_smtp_8bit_set(c, "work", false, &e), 0);
	ck_assert_int_eq(cache_smtp_8bit_get(c, "work", &yes, &e), 0);
	ck_assert_int_eq(yes, 0);
	cache_close(c);
}
END_TEST

static Suite *
cache_outbox_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("cache_outbox");
	tc = tcase_create("outbox");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_outbox_roundtrip);
	tcase_add_test(tc, test_outbox_refusals);
	tcase_add_test(tc, test_smtp_8bit);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(cache_outbox_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

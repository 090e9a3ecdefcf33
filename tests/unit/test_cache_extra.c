/*
 * test_cache_extra.c - cache_msg_flags (ids and flags of a folder in one
 * query) and cache_folder_rename (a renamed folder keeps its messages,
 * bodies, sync state and queued operations).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache/cache.h"
#include "util/xmalloc.h"

static char		 test_dir[64];
static char		*test_path;
static struct cache	*c;
static int64_t		 acct_id;

/* A fresh cache with one account. */
static void
setup(void)
{
	struct error	 e;

	snprintf(test_dir, sizeof test_dir, "/tmp/test_cache_extra.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(test_dir));
	test_path = xasprintf("%s/cache.db", test_dir);
	c = cache_open(test_path, &e);
	ck_assert_msg(c != NULL, "%s", e.msg);
	ck_assert_int_eq(cache_account_id(c, "a", &acct_id, &e), 0);
}

/* Close and remove the cache. */
static void
teardown(void)
{
	static const char *const sfx[] = { "", "-wal", "-shm" };
	char	*p;

	cache_close(c);
	for (size_t i = 0; i < 3; i++) {
		p = xasprintf("%s%s", test_path, sfx[i]);
		unlink(p);
		free(p);
	}
	rmdir(test_dir);
	free(test_path);
}

/* Store a message with these flags. */
static int64_t
put(int64_t folder, const char *uid, unsigned flags)
{
	struct cache_msg	 m;
	struct error		 e;

	memset(&m, 0, sizeof m);
	m.folder_id = folder;
	m.remote_id = (char *)uid;
	m.subject = (char *)"s";
	m.flags = flags;
	ck_assert_int_eq(cache_msg_put(c, &m, &e), 0);
	return m.id;
}

START_TEST(test_msg_flags)
{
	struct error	 e;
	int64_t		 f, g;
	char		**ids;
	unsigned	*flags;
	size_t		 n;
	unsigned	 seen = 0;

	ck_assert_int_eq(cache_folder_put(c, acct_id, "A", NULL, '/', 0, &f, &e),
	    0);
	ck_assert_int_eq(cache_folder_put(c, acct_id, "B", NULL, '/', 0, &g, &e),
	    0);
	ck_assert_int_eq(cache_msg_flags(c, f, &ids, &flags, &n, &e), 0);
	ck_assert_uint_eq(n, 0);
	cache_strv_free(ids, n);
	free(flags);
	put(f, "1", CACHE_FLAG_SEEN);
	put(f, "7", CACHE_FLAG_FLAGGED | CACHE_FLAG_DELETED);
	put(f, "9", 0);
	put(g, "1", CACHE_FLAG_DRAFT);
	ck_assert_int_eq(cache_msg_flags(c, f, &ids, &flags, &n, &e), 0);
	ck_assert_uint_eq(n, 3);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(ids[i], "1") == 0) {
			ck_assert_uint_eq(flags[i], CACHE_FLAG_SEEN);
			seen |= 1;
		} else if (strcmp(ids[i], "7") == 0) {
			ck_assert_uint_eq(flags[i], CACHE_FLAG_FLAGGED |
			    CACHE_FLAG_DELETED);
			seen |= 2;
		} else {
			ck_assert_str_eq(ids[i], "9");
			ck_assert_uint_eq(flags[i], 0);
			seen |= 4;
		}
	}
	ck_assert_uint_eq(seen, 7);
	cache_strv_free(ids, n);
	free(flags);
}
END_TEST

START_TEST(test_folder_rename)
{
	struct cache_folder	 fo;
	struct cache_op		 op;
	struct cache_op		*ops;
	struct cache_msg	 m;
	struct error		 e;
	int64_t			 f, stale, id;
	char			*state = NULL, *raw = NULL;
	size_t			 n, len;

	ck_assert_int_eq(cache_folder_put(c, acct_id, "Work", "Work", '/', 0, &f,
	    &e), 0);
	/* A stale row already under the new name (e.g. an old LIST). */
	ck_assert_int_eq(cache_folder_put(c, acct_id, "Job", "Job", '/', 0,
	    &stale, &e), 0);
	put(stale, "3", 0);
	id = put(f, "5", CACHE_FLAG_SEEN);
	ck_assert_int_eq(cache_body_put(c, id, "Subject: x\r\n\r\nbody", 18,
	    &e), 0);
	ck_assert_int_eq(cache_folder_set_state(c, f, "v1 uidvalidity=7", &e),
	    0);
	memset(&op, 0, sizeof op);
	op.account_id = acct_id;
	op.type = CACHE_OP_FLAGS;
	op.folder_id = f;
	op.remote_id = (char *)"5";
	op.add = CACHE_FLAG_FLAGGED;
	ck_assert_int_eq(cache_op_add(c, &op, &e), 0);

	ck_assert_int_eq(cache_folder_rename(c, f, "Job", "Jöb", &e), 0);
	ck_assert_int_eq(cache_folder_get(c, f, &fo, &e), 0);
	ck_assert_str_eq(fo.remote_name, "Job");
	ck_assert_str_eq(fo.name, "Jöb");
	cache_folder_fini(&fo);
	ck_assert_int_eq(cache_folder_get(c, stale, &fo, &e), 1);
	cache_folder_fini(&fo);
	ck_assert_int_eq(cache_folder_find(c, acct_id, "Work", &fo, &e), 1);
	cache_folder_fini(&fo);
	ck_assert_int_eq(cache_msg_find(c, f, "5", &m, &e), 0);
	ck_assert(m.has_body);
	ck_assert_uint_eq(m.flags, CACHE_FLAG_SEEN);
	cache_msg_fini(&m);
	ck_assert_int_eq(cache_body_get(c, id, &raw, &len, &e), 0);
	ck_assert_uint_eq(len, 18);
	free(raw);
	ck_assert_int_eq(cache_folder_get_state(c, f, &state, &e), 0);
	ck_assert_str_eq(state, "v1 uidvalidity=7");
	free(state);
	ck_assert_int_eq(cache_op_list(c, acct_id, &ops, &n, &e), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(ops[0].folder_id, f);
	cache_op_list_free(ops, n);
	/* Display name NULL: the remote name; a missing folder: NOTFOUND. */
	ck_assert_int_eq(cache_folder_rename(c, f, "Job2", NULL, &e), 0);
	ck_assert_int_eq(cache_folder_get(c, f, &fo, &e), 0);
	ck_assert_str_eq(fo.name, "Job2");
	cache_folder_fini(&fo);
	ck_assert_int_eq(cache_folder_rename(c, 99999, "X", NULL, &e), -1);
	ck_assert_int_eq(e.code, ERR_NOTFOUND);
	ck_assert_int_eq(cache_folder_rename(c, f, "", NULL, &e), -1);
}
END_TEST

/* Create the suite. */
static Suite *
cache_extra_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("cache_extra");
	tc = tcase_create("extra");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_msg_flags);
	tcase_add_test(tc, test_folder_rename);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(cache_extra_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

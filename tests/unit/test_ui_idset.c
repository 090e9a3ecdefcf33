/*
 * test_ui_idset.c - the sorted id sets behind tags and search results.
 */
#include <check.h>
#include <stdlib.h>

#include "ui/ui_idset.h"

/* Single additions and removals keep the set sorted and unique. */
START_TEST(test_single)
{
	struct ui_idset	s = { NULL, 0, 0 };
	size_t		i;

	ck_assert(!ui_idset_has(&s, 5));
	ck_assert(ui_idset_add(&s, 5));
	ck_assert(ui_idset_add(&s, 1));
	ck_assert(ui_idset_add(&s, 9));
	ck_assert(!ui_idset_add(&s, 5));
	ck_assert_uint_eq(s.n, 3);
	ck_assert_int_eq(s.v[0], 1);
	ck_assert_int_eq(s.v[1], 5);
	ck_assert_int_eq(s.v[2], 9);
	ck_assert(ui_idset_remove(&s, 5));
	ck_assert(!ui_idset_remove(&s, 5));
	ck_assert(!ui_idset_has(&s, 5));
	ck_assert(ui_idset_toggle(&s, 7));
	ck_assert(ui_idset_has(&s, 7));
	ck_assert(!ui_idset_toggle(&s, 7));
	ck_assert(!ui_idset_has(&s, 7));
	for (i = 0; i < 100; i++)
		ui_idset_add(&s, (int64_t)(100 - i));
	ck_assert_uint_eq(s.n, 100);
	for (i = 1; i < s.n; i++)
		ck_assert(s.v[i - 1] < s.v[i]);
	ui_idset_clear(&s);
	ck_assert_uint_eq(s.n, 0);
	ck_assert(!ui_idset_has(&s, 1));
	ui_idset_fini(&s);
}
END_TEST

/* Bulk operations: duplicates dropped, order restored, removal exact. */
START_TEST(test_many)
{
	struct ui_idset	s = { NULL, 0, 0 };
	int64_t		a[] = { 30, 10, 20, 10, 30, 40 };
	int64_t		b[] = { 20, 99, 10 };
	int64_t		*big;
	size_t		i;

	ui_idset_add(&s, 25);
	ui_idset_add_many(&s, a, 6);
	ck_assert_uint_eq(s.n, 5);
	ck_assert_int_eq(s.v[0], 10);
	ck_assert_int_eq(s.v[2], 25);
	ck_assert_int_eq(s.v[4], 40);
	ui_idset_remove_many(&s, b, 3);
	ck_assert_uint_eq(s.n, 3);
	ck_assert(!ui_idset_has(&s, 10));
	ck_assert(!ui_idset_has(&s, 20));
	ck_assert(ui_idset_has(&s, 25));
	ck_assert(ui_idset_has(&s, 30));
	ck_assert(ui_idset_has(&s, 40));
	/* 200,000 ids in reverse order: fast and exact. */
	big = malloc(200000 * sizeof *big);
	for (i = 0; i < 200000; i++)
		big[i] = (int64_t)(200000 - i);
	ui_idset_add_many(&s, big, 200000);
	ck_assert_uint_eq(s.n, 200000);
	ck_assert(ui_idset_has(&s, 1));
	ck_assert(ui_idset_has(&s, 200000));
	ck_assert(!ui_idset_has(&s, 0));
	ui_idset_remove_many(&s, big, 100000);
	ck_assert_uint_eq(s.n, 100000);
	ck_assert(!ui_idset_has(&s, 200000));
	ck_assert(ui_idset_has(&s, 100000));
	free(big);
	ui_idset_fini(&s);
	ck_assert_ptr_null(s.v);
}
END_TEST

/* The suite. */
static Suite *
ui_idset_suite(void)
{
	Suite	*s = suite_create("ui_idset");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_single);
	tcase_add_test(tc, test_many);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the suite; the exit status says whether it passed. */
int
main(void)
{
	SRunner	*sr = srunner_create(ui_idset_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

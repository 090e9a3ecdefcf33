/*
 * test_ui_scroll.c - cursor and window arithmetic of the UI's lists.
 */
#include <check.h>
#include <stdlib.h>

#include "ui/ui_scroll.h"

/* A list of count rows in a window of height, cursor at the top. */
static struct ui_scroll
mk(int64_t count, int height)
{
	struct ui_scroll	s = { count, 0, 0, height };

	ui_scroll_fix(&s);
	return s;
}

#define CK(s, c, t) do {						\
	ck_assert_int_eq((s).cursor, (c));				\
	ck_assert_int_eq((s).top, (t));					\
} while (0)

/* Moving by rows, first and last. */
START_TEST(test_move)
{
	struct ui_scroll	s = mk(100, 10);

	CK(s, 0, 0);
	ui_scroll_move(&s, -1);
	CK(s, 0, 0);
	ui_scroll_move(&s, 9);
	CK(s, 9, 0);
	ui_scroll_move(&s, 1);
	CK(s, 10, 1);
	ui_scroll_last(&s);
	CK(s, 99, 90);
	ui_scroll_move(&s, 1);
	CK(s, 99, 90);
	ui_scroll_move(&s, -10);
	CK(s, 89, 89);
	ui_scroll_first(&s);
	CK(s, 0, 0);
}
END_TEST

/* Paging moves cursor and window together and clamps at both ends. */
START_TEST(test_page)
{
	struct ui_scroll	s = mk(25, 10);

	ui_scroll_page(&s, 1);
	CK(s, 10, 10);
	ui_scroll_page(&s, 1);
	CK(s, 20, 15);
	ui_scroll_page(&s, 1);
	CK(s, 24, 15);
	ui_scroll_page(&s, -1);
	CK(s, 14, 5);
	ui_scroll_page(&s, -1);
	CK(s, 4, 0);
	ui_scroll_page(&s, -1);
	CK(s, 0, 0);
}
END_TEST

/* New mail: a cursor on the last row follows it, elsewhere it stays. */
START_TEST(test_count)
{
	struct ui_scroll	s = mk(0, 10);

	CK(s, 0, 0);
	ui_scroll_set_count(&s, 5, true);
	CK(s, 4, 0);
	ui_scroll_set_count(&s, 100, true);
	CK(s, 99, 90);
	ui_scroll_move(&s, -49);
	CK(s, 50, 50);
	ui_scroll_set_count(&s, 150, true);
	CK(s, 50, 50);
	ui_scroll_set_count(&s, 20, true);	/* shrinks under the cursor */
	CK(s, 19, 10);
	ui_scroll_set_count(&s, 30, false);
	CK(s, 19, 10);
	ui_scroll_set_count(&s, 0, true);
	CK(s, 0, 0);
}
END_TEST

/* Resizing keeps the cursor in view and the window full. */
START_TEST(test_resize)
{
	struct ui_scroll	s = mk(100, 10);

	ui_scroll_last(&s);
	ui_scroll_resize(&s, 30);
	CK(s, 99, 70);
	ui_scroll_resize(&s, 5);
	CK(s, 99, 95);
	ui_scroll_first(&s);
	ui_scroll_resize(&s, 0);
	ck_assert_int_eq(s.height, 1);
	CK(s, 0, 0);
}
END_TEST

/* A million rows cost nothing more. */
START_TEST(test_large)
{
	struct ui_scroll	s = mk(1000000, 22);

	ui_scroll_last(&s);
	CK(s, 999999, 999978);
	ui_scroll_page(&s, -1);
	CK(s, 999977, 999956);
	ck_assert_int_eq(ui_scroll_clamp_top(5, 3, 10), 0);
	ck_assert_int_eq(ui_scroll_clamp_top(-4, 100, 10), 0);
	ck_assert_int_eq(ui_scroll_clamp_top(95, 100, 10), 90);
	ck_assert_int_eq(ui_scroll_clamp_top(50, 100, 10), 50);
}
END_TEST

/* The suite. */
static Suite *
ui_scroll_suite(void)
{
	Suite	*s = suite_create("ui_scroll");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_move);
	tcase_add_test(tc, test_page);
	tcase_add_test(tc, test_count);
	tcase_add_test(tc, test_resize);
	tcase_add_test(tc, test_large);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the suite; the exit status says whether it passed. */
int
main(void)
{
	SRunner	*sr = srunner_create(ui_scroll_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

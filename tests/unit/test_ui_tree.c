/*
 * test_ui_tree.c - thread trees: siblings, prefixes, folding.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_tree.h"

/*
 *   A            (id 10)
 *   |->B         (11)
 *   | |->C       (12)
 *   | `->D       (13)
 *   `->E         (14)
 *   F            (20)
 *   `->G         (21)
 *       `->H     (22, depth 3: its parent is hidden by a limit)
 */
static const int64_t	tids[] = { 10, 11, 12, 13, 14, 20, 21, 22 };
static const uint16_t	tdepth[] = { 0, 1, 2, 2, 1, 0, 1, 3 };
#define TN	8

/* Later siblings, one backward pass. */
START_TEST(test_more)
{
	uint8_t		more[TN];
	const uint8_t	want[TN] = { 1, 1, 1, 0, 0, 0, 0, 0 };

	ui_tree_more(tdepth, TN, more);
	ck_assert_mem_eq(more, want, TN);
}
END_TEST

/* ASCII and UTF-8 prefixes, including a depth jump. */
START_TEST(test_prefix)
{
	static const char *const ascii[TN] = { "", "|->", "| |->", "| `->",
	    "`->", "", "`->", "    `->" };
	uint8_t		more[TN];
	char		out[UI_TREE_PREFIX_MAX];
	size_t		i, len;

	ui_tree_more(tdepth, TN, more);
	for (i = 0; i < TN; i++) {
		len = ui_tree_prefix(tdepth, more, TN, i, true, out,
		    sizeof out);
		ck_assert_str_eq(out, ascii[i]);
		ck_assert_uint_eq(len, strlen(ascii[i]));
	}
	ui_tree_prefix(tdepth, more, TN, 2, false, out, sizeof out);
	ck_assert_str_eq(out, "\xe2\x94\x82 \xe2\x94\x9c\xe2\x94\x80>");
	ui_tree_prefix(tdepth, more, TN, 4, false, out, sizeof out);
	ck_assert_str_eq(out, "\xe2\x94\x94\xe2\x94\x80>");
	/* Out of range and a tiny buffer: empty, never overflowing. */
	ck_assert_uint_eq(ui_tree_prefix(tdepth, more, TN, TN, true, out,
	    sizeof out), 0);
	ck_assert_str_eq(out, "");
	ui_tree_prefix(tdepth, more, TN, 2, true, out, 4);
	ck_assert_uint_le(strlen(out), 3);
}
END_TEST

/* A list that starts deep, and absurd depths, stay bounded. */
START_TEST(test_odd)
{
	const uint16_t	d1[] = { 2, 1 };
	uint16_t	d2[3] = { 0, 60000, 60000 };
	uint8_t		more[3];
	char		out[UI_TREE_PREFIX_MAX];

	ui_tree_more(d1, 2, more);
	ui_tree_prefix(d1, more, 2, 0, true, out, sizeof out);
	ck_assert_str_eq(out, "  `->");
	ui_tree_more(d2, 3, more);
	ck_assert_int_eq(more[1], 1);
	ui_tree_prefix(d2, more, 3, 2, false, out, sizeof out);
	ck_assert_uint_lt(strlen(out), UI_TREE_PREFIX_MAX);
	ck_assert_uint_gt(strlen(out), (UI_TREE_MAX_DEPTH - 1) * 2);
}
END_TEST

/* Folding: one thread, all threads, all but one. */
START_TEST(test_visible)
{
	struct ui_idset	flip = { NULL, 0, 0 };
	size_t		rows[TN], n;
	uint32_t	hidden[TN];

	n = ui_tree_visible(tids, tdepth, TN, false, &flip, rows, hidden);
	ck_assert_uint_eq(n, TN);
	ui_idset_add(&flip, 10);
	n = ui_tree_visible(tids, tdepth, TN, false, &flip, rows, hidden);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(rows[0], 0);
	ck_assert_uint_eq(hidden[0], 4);
	ck_assert_uint_eq(rows[1], 5);
	ck_assert_uint_eq(rows[3], 7);
	ck_assert_uint_eq(hidden[1], 0);
	n = ui_tree_visible(tids, tdepth, TN, true, NULL, rows, hidden);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(hidden[0], 4);
	ck_assert_uint_eq(rows[1], 5);
	ck_assert_uint_eq(hidden[1], 2);
	ui_idset_clear(&flip);
	ui_idset_add(&flip, 20);
	n = ui_tree_visible(tids, tdepth, TN, true, &flip, rows, hidden);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(hidden[0], 4);
	ui_idset_fini(&flip);
}
END_TEST

/* The root of a row's thread. */
START_TEST(test_root)
{
	ck_assert_uint_eq(ui_tree_root(tdepth, 3), 0);
	ck_assert_uint_eq(ui_tree_root(tdepth, 7), 5);
	ck_assert_uint_eq(ui_tree_root(tdepth, 5), 5);
	ck_assert_uint_eq(ui_tree_root(tdepth, 0), 0);
}
END_TEST

/* The suite. */
static Suite *
ui_tree_suite(void)
{
	Suite	*s = suite_create("ui_tree");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_more);
	tcase_add_test(tc, test_prefix);
	tcase_add_test(tc, test_odd);
	tcase_add_test(tc, test_visible);
	tcase_add_test(tc, test_root);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the suite; the exit status says whether it passed. */
int
main(void)
{
	SRunner	*sr = srunner_create(ui_tree_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * test_ui_date.c - the message list's short dates, in local time.
 */
#include <check.h>
#include <locale.h>
#include <stdlib.h>
#include <time.h>

#include "ui/ui_date.h"

/* Set the zone for the following calls. */
static void
tz(const char *zone)
{
	setenv("TZ", zone, 1);
	tzset();
}

/* Today, this year, other years and unknown, in UTC. */
START_TEST(test_utc)
{
	const time_t	now = 1718452800;	/* 2024-06-15 12:00 UTC */
	char		b[UI_DATE_MAX];

	tz("UTC0");
	ui_date_format(1718442300, now, b, sizeof b);	/* 09:05 */
	ck_assert_str_eq(b, "09:05");
	ui_date_format(1718409600, now, b, sizeof b);	/* 00:00 today */
	ck_assert_str_eq(b, "00:00");
	ui_date_format(1718409599, now, b, sizeof b);	/* 23:59:59 before */
	ck_assert_str_eq(b, "Jun 14");
	ui_date_format(1704276000, now, b, sizeof b);	/* 2024-01-03 */
	ck_assert_str_eq(b, "Jan 03");
	ui_date_format(1704067140, now, b, sizeof b);	/* 2023-12-31 */
	ck_assert_str_eq(b, "2023-12-31");
	ui_date_format(1735689600, now, b, sizeof b);	/* 2025-01-01 */
	ck_assert_str_eq(b, "2025-01-01");
	ui_date_format(0, now, b, sizeof b);
	ck_assert_str_eq(b, "");
}
END_TEST

/* The day boundary is the reader's, not UTC's. */
START_TEST(test_local)
{
	/* 2024-06-15 21:00 UTC = 2024-06-16 06:00 at UTC+9. */
	const time_t	now = 1718485200;
	char		b[UI_DATE_MAX];

	tz("JST-9");
	/* 2024-06-15 20:00 UTC = 05:00 the same local day. */
	ui_date_format(1718481600, now, b, sizeof b);
	ck_assert_str_eq(b, "05:00");
	tz("UTC0");
	ui_date_format(1718481600, now, b, sizeof b);
	ck_assert_str_eq(b, "20:00");
	/* 2023-12-31 20:00 UTC is already 2024 at UTC+9. */
	tz("JST-9");
	ui_date_format(1704052800, now, b, sizeof b);
	ck_assert_str_eq(b, "Jan 01");
}
END_TEST

/* A buffer too small gives an empty string, never an overflow. */
START_TEST(test_small)
{
	char	b[4] = "xyz";

	tz("UTC0");
	ui_date_format(1704067140, 1718452800, b, sizeof b);
	ck_assert_str_eq(b, "");
	ui_date_format(1704067140, 1718452800, b, 0);
	ck_assert_str_eq(b, "");
}
END_TEST

/* The suite. */
static Suite *
ui_date_suite(void)
{
	Suite	*s = suite_create("ui_date");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_utc);
	tcase_add_test(tc, test_local);
	tcase_add_test(tc, test_small);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the suite; the exit status says whether it passed. */
int
main(void)
{
	SRunner	*sr;
	int	 failed;

	setlocale(LC_ALL, "C");
	sr = srunner_create(ui_date_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

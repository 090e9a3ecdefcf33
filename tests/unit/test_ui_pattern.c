/*
 * test_ui_pattern.c - limit/tag patterns and the picker's matching.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_pattern.h"

/* Table: input, expected all/body/fields/text, or failure. */
static const struct {
	const char	*in;
	int		 ok;
	bool		 all;
	bool		 body;
	unsigned	 fields;
	const char	*text;
} cases[] = {
	{ "", 1, true, false, 0, NULL },
	{ "   ", 1, true, false, 0, NULL },
	{ "all", 1, true, false, 0, NULL },
	{ " all ", 1, true, false, 0, NULL },
	{ "~s foo", 1, false, false, CACHE_MATCH_SUBJECT, "foo" },
	{ "~s   foo bar  ", 1, false, false, CACHE_MATCH_SUBJECT, "foo bar" },
	{ "~s \"quoted  text\"", 1, false, false, CACHE_MATCH_SUBJECT,
	    "quoted  text" },
	{ "~f alice@example.org", 1, false, false, CACHE_MATCH_FROM,
	    "alice@example.org" },
	{ "~t bob", 1, false, false, CACHE_MATCH_TO, "bob" },
	{ "~b needle", 1, false, true,
	    CACHE_MATCH_SUBJECT | CACHE_MATCH_FROM, "needle" },
	{ "~B needle", 1, false, true,
	    CACHE_MATCH_SUBJECT | CACHE_MATCH_FROM, "needle" },
	{ "hello", 1, false, false, CACHE_MATCH_SUBJECT | CACHE_MATCH_FROM,
	    "hello" },
	{ "  token-42 ", 1, false, false,
	    CACHE_MATCH_SUBJECT | CACHE_MATCH_FROM, "token-42" },
	{ "allison", 1, false, false, CACHE_MATCH_SUBJECT | CACHE_MATCH_FROM,
	    "allison" },
	{ "\tx\t", 1, false, false, CACHE_MATCH_SUBJECT | CACHE_MATCH_FROM,
	    "x" },
	{ "~s", 0, false, false, 0, NULL },
	{ "~s   ", 0, false, false, 0, NULL },
	{ "~s \"\"", 0, false, false, 0, NULL },
	{ "~sfoo", 0, false, false, 0, NULL },
	{ "~x foo", 0, false, false, 0, NULL },
	{ "~", 0, false, false, 0, NULL },
};

/* Every table row parses as expected. */
START_TEST(test_parse)
{
	struct ui_pattern	 p;
	const char		*why;
	int			 rc;

	rc = ui_pattern_parse(cases[_i].in, &p, &why);
	ck_assert_msg((rc == 0) == (cases[_i].ok == 1), "input '%s'",
	    cases[_i].in);
	if (rc != 0) {
		ck_assert_ptr_nonnull(why);
		ck_assert_ptr_null(p.text);
		return;
	}
	ck_assert_ptr_null(why);
	ck_assert_int_eq(p.all, cases[_i].all);
	ck_assert_int_eq(p.body, cases[_i].body);
	ck_assert_uint_eq(p.fields, cases[_i].fields);
	if (cases[_i].text == NULL)
		ck_assert_ptr_null(p.text);
	else
		ck_assert_str_eq(p.text, cases[_i].text);
	ui_pattern_fini(&p);
}
END_TEST

/* An over-long pattern is refused, one at the maximum accepted. */
START_TEST(test_long)
{
	struct ui_pattern	 p;
	const char		*why;
	char			*s = malloc(UI_PATTERN_MAX + 2);

	memset(s, 'a', UI_PATTERN_MAX + 1);
	s[UI_PATTERN_MAX + 1] = '\0';
	ck_assert_int_eq(ui_pattern_parse(s, &p, &why), -1);
	s[UI_PATTERN_MAX] = '\0';
	ck_assert_int_eq(ui_pattern_parse(s, &p, &why), 0);
	ck_assert_uint_eq(strlen(p.text), UI_PATTERN_MAX);
	ui_pattern_fini(&p);
	free(s);
}
END_TEST

/* The query gets the pattern's fields and text, or no limit. */
START_TEST(test_query)
{
	struct ui_pattern	 p;
	struct cache_query	 q;
	const char		*why;

	memset(&q, 0, sizeof q);
	ck_assert_int_eq(ui_pattern_parse("~f carol", &p, &why), 0);
	ui_pattern_query(&p, &q);
	ck_assert_uint_eq(q.match_fields, CACHE_MATCH_FROM);
	ck_assert_str_eq(q.match_text, "carol");
	ui_pattern_fini(&p);
	ck_assert_int_eq(ui_pattern_parse("all", &p, &why), 0);
	ui_pattern_query(&p, &q);
	ck_assert_uint_eq(q.match_fields, 0);
	ck_assert_ptr_null(q.match_text);
	ui_pattern_query(NULL, &q);
	ck_assert_ptr_null(q.match_text);
}
END_TEST

/* Case-insensitive substring, ASCII only. */
START_TEST(test_contains)
{
	ck_assert(ui_pattern_contains("INBOX/Archive", "arch"));
	ck_assert(ui_pattern_contains("Trash", "TRASH"));
	ck_assert(ui_pattern_contains("Trash", ""));
	ck_assert(ui_pattern_contains("Trash", NULL));
	ck_assert(!ui_pattern_contains("Trash", "trashy"));
	ck_assert(!ui_pattern_contains(NULL, "a"));
	ck_assert(!ui_pattern_contains("Sent", "junk"));
	ck_assert(ui_pattern_contains("Entw\xc3\xbcrfe", "\xc3\xbc"));
	ck_assert(!ui_pattern_contains("Entw\xc3\xbcrfe", "\xc3\x9c"));
	ck_assert(ui_pattern_contains("abcabd", "abd"));
}
END_TEST

/* The suite. */
static Suite *
ui_pattern_suite(void)
{
	Suite	*s = suite_create("ui_pattern");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_parse, 0,
	    (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(tc, test_long);
	tcase_add_test(tc, test_query);
	tcase_add_test(tc, test_contains);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the suite; the exit status says whether it passed. */
int
main(void)
{
	SRunner	*sr = srunner_create(ui_pattern_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

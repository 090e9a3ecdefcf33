/*
 * test_ui_text.c - column arithmetic of the UI: decoding, widths, fitting
 * into a width without splitting a character, and word wrapping.
 */
#include <check.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ui/ui_text.h"

/* Decoding: one case per kind of sequence. */
START_TEST(test_decode)
{
	static const struct {
		const char	*s;
		size_t		 used;
		wchar_t		 wc;
	} t[] = {
		{ "a", 1, L'a' },
		{ "\xc3\xa9", 2, 0xe9 },
		{ "\xe4\xb8\xad", 3, 0x4e2d },
		{ "\xf0\x9f\x98\x80", 4, 0x1f600 },
		{ "\xc0\x80", 1, 0xfffd },		/* overlong NUL */
		{ "\xe0\x80\xaf", 1, 0xfffd },		/* overlong '/' */
		{ "\xed\xa0\x80", 1, 0xfffd },		/* surrogate */
		{ "\xe4\xb8", 2, 0xfffd },		/* truncated: one U+FFFD */
		{ "\xf5\x80\x80\x80", 1, 0xfffd },	/* past U+10FFFF */
		{ "\x80", 1, 0xfffd },			/* lone continuation */
	};
	size_t	i, n;
	wchar_t	wc;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		n = ui_text_decode(t[i].s, strlen(t[i].s), &wc);
		ck_assert_msg(n == t[i].used, "case %zu: used %zu", i, n);
		ck_assert_msg(wc == t[i].wc, "case %zu: U+%04lx", i,
		    (unsigned long)wc);
	}
	ck_assert_uint_eq(ui_text_decode("", 0, &wc), 0);
}
END_TEST

/* Widths of ASCII, CJK, emoji, combining marks and tabs. */
START_TEST(test_width)
{
	ck_assert_int_eq(ui_text_width("abc", 3), 3);
	ck_assert_int_eq(ui_text_width("\xe4\xb8\xad\xe6\x96\x87", 6), 4);
	ck_assert_int_eq(ui_text_width("a\xf0\x9f\x98\x80" "b", 6), 4);
	ck_assert_int_eq(ui_text_width("e\xcc\x81", 3), 1);
	ck_assert_int_eq(ui_text_width("\t", 1), 8);
	ck_assert_int_eq(ui_text_width("ab\tc", 4), 9);
	ck_assert_int_eq(ui_text_width("ab\ncdef", 7), 2);
	ck_assert_int_eq(ui_text_char_width(L'\t', 5), 3);
}
END_TEST

/* CJK text fitted into a width never splits a two-column character. */
START_TEST(test_fit_wide)
{
	const char	*s = "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97";
	wchar_t		 out[16];
	size_t		 used, n;
	int		 cols;

	used = ui_text_fit(s, strlen(s), 5, out, 16, &n, &cols);
	ck_assert_uint_eq(used, 6);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(cols, 4);
	ck_assert(out[0] == 0x4e2d && out[1] == 0x6587);

	used = ui_text_fit(s, strlen(s), 3, out, 16, &n, &cols);
	ck_assert_uint_eq(used, 3);
	ck_assert_int_eq(cols, 2);

	used = ui_text_fit(s, strlen(s), 1, out, 16, &n, &cols);
	ck_assert_uint_eq(used, 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(cols, 0);

	/* An emoji that would straddle the edge stays out. */
	used = ui_text_fit("ab\xf0\x9f\x98\x80", 6, 3, out, 16, &n, &cols);
	ck_assert_uint_eq(used, 2);
	ck_assert_int_eq(cols, 2);
	used = ui_text_fit("ab\xf0\x9f\x98\x80", 6, 4, out, 16, &n, &cols);
	ck_assert_uint_eq(used, 6);
	ck_assert_int_eq(cols, 4);
}
END_TEST

/* ASCII truncation, newline stop, tabs, out limit, combining marks. */
START_TEST(test_fit_misc)
{
	wchar_t	out[32];
	size_t	used, n;
	int	cols;

	used = ui_text_fit("hello world", 11, 5, out, 32, &n, &cols);
	ck_assert_uint_eq(used, 5);
	ck_assert(wcsncmp(out, L"hello", 5) == 0);

	used = ui_text_fit("ab\ncd", 5, 10, out, 32, &n, &cols);
	ck_assert_uint_eq(used, 2);
	ck_assert_int_eq(cols, 2);

	used = ui_text_fit("a\tb", 3, 20, out, 32, &n, &cols);
	ck_assert_uint_eq(used, 3);
	ck_assert_uint_eq(n, 9);
	ck_assert_int_eq(cols, 9);
	ck_assert(wcsncmp(out, L"a       b", 9) == 0);

	/* A tab that does not fit whole is left out. */
	used = ui_text_fit("a\tb", 3, 4, out, 32, &n, &cols);
	ck_assert_uint_eq(used, 1);
	ck_assert_int_eq(cols, 1);

	used = ui_text_fit("abcdef", 6, 10, out, 3, &n, &cols);
	ck_assert_uint_eq(used, 3);
	ck_assert_uint_eq(n, 3);

	/* A combining mark after a base is kept, with no column. */
	used = ui_text_fit("e\xcc\x81x", 4, 2, out, 32, &n, &cols);
	ck_assert_uint_eq(used, 4);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(cols, 2);
	/* ... and dropped with nothing before it. */
	used = ui_text_fit("\xcc\x81" "a", 3, 5, out, 32, &n, &cols);
	ck_assert_uint_eq(used, 3);
	ck_assert_uint_eq(n, 1);
	ck_assert(out[0] == L'a');

	/* Malformed bytes show as U+FFFD, one column each. */
	used = ui_text_fit("\xff\xfe", 2, 5, out, 32, &n, &cols);
	ck_assert_uint_eq(used, 2);
	ck_assert_int_eq(cols, 2);
	ck_assert(out[0] == 0xfffd && out[1] == 0xfffd);

	/* Measuring only. */
	used = ui_text_fit("abc", 3, 2, NULL, 0, &n, &cols);
	ck_assert_uint_eq(used, 2);
	ck_assert_int_eq(cols, 2);
}
END_TEST

/* Word wrapping: one line at a time. */
START_TEST(test_wrap_line)
{
	static const struct {
		const char	*s;
		int		 width;
		size_t		 linelen;
		size_t		 adv;
	} t[] = {
		{ "hello world foo", 11, 11, 12 },	/* space overflows */
		{ "hello world", 8, 6, 6 },		/* after a space */
		{ "abcdefghij", 4, 4, 4 },		/* a long word is cut */
		{ "ab\ncd", 10, 2, 3 },			/* hard newline */
		{ "\nx", 10, 0, 1 },			/* empty line */
		{ "short", 80, 5, 5 },
		{ "\xe4\xb8\xad\xe6\x96\x87", 3, 3, 3 },	/* CJK */
		{ "\xe4\xb8\xad", 1, 3, 3 },		/* wider than width */
		{ "a\tb", 4, 1, 2 },			/* tab overflows */
	};
	size_t	i, ll, adv;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		adv = ui_text_wrap(t[i].s, strlen(t[i].s), t[i].width, &ll);
		ck_assert_msg(ll == t[i].linelen && adv == t[i].adv,
		    "case %zu: linelen %zu adv %zu", i, ll, adv);
	}
	ck_assert_uint_eq(ui_text_wrap("", 0, 10, &ll), 0);
	ck_assert_uint_eq(ll, 0);
}
END_TEST

/* Wrapping a whole text: every line fits and all bytes are covered. */
START_TEST(test_wrap_text)
{
	const char	*s = "Das ist ein l\xc3\xa4ngerer Text mit "
	    "\xe4\xb8\xad\xe6\x96\x87 und \xf0\x9f\x98\x80 Emoji,\n"
	    "und einer zweiten Zeile\tmit Tab.\n\nEnde.";
	size_t		 len = strlen(s), off, adv, ll, lines, covered;
	int		 width;

	for (width = 1; width <= 40; width++) {
		off = 0;
		lines = 0;
		covered = 0;
		while (off < len) {
			adv = ui_text_wrap(s + off, len - off, width, &ll);
			ck_assert(adv > 0 && adv >= ll);
			ck_assert(ll <= len - off);
			/* One over-wide character may pass width 1. */
			ck_assert_msg(ui_text_width(s + off, ll) <= width ||
			    width < 2, "width %d line '%.*s'", width,
			    (int)ll, s + off);
			covered += adv;
			off += adv;
			lines++;
		}
		ck_assert_uint_eq(covered, len);
		if (width == 40)
			ck_assert_uint_eq(lines, 5);
	}
}
END_TEST

/* The suite. */
static Suite *
ui_text_suite(void)
{
	Suite	*s = suite_create("ui_text");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_decode);
	tcase_add_test(tc, test_width);
	tcase_add_test(tc, test_fit_wide);
	tcase_add_test(tc, test_fit_misc);
	tcase_add_test(tc, test_wrap_line);
	tcase_add_test(tc, test_wrap_text);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the suite; the exit status says whether it passed. */
int
main(void)
{
	SRunner	*sr;
	int	 failed;

	/* wcwidth needs a UTF-8 LC_CTYPE. */
	if (setlocale(LC_ALL, "C.UTF-8") == NULL &&
	    setlocale(LC_ALL, "en_US.UTF-8") == NULL)
		return 77;	/* automake: skipped */
	sr = srunner_create(ui_text_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

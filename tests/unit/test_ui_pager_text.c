/*
 * test_ui_pager_text.c - the pager's pure text work: format=flowed (RFC
 * 3676), quote levels, tab expansion, URL finding, smart-case search, and
 * word wrapping of CJK, emoji and combining marks.
 */
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_pager_text.h"
#include "ui/ui_text.h"

/* Flowed text in, the unflowed text out (delsp no / yes). */
static const struct {
	const char	*in;
	bool		 delsp;
	const char	*out;
} flowed[] = {
	/* Soft breaks joined, the space kept (4.1). */
	{ "Hello \nworld\n", false, "Hello world\n" },
	/* DelSp=yes: the space before the soft break goes. */
	{ "Hel\xe2\x80\x8b \nlo\n", true, "Hel\xe2\x80\x8blo\n" },
	{ "abc \ndef \nghi\n", true, "abcdefghi\n" },
	/* A hard break stays; an empty line separates paragraphs. */
	{ "one\ntwo \nthree\n\nfour\n", false, "one\ntwo three\n\nfour\n" },
	/* Space-stuffing undone (4.4): " From" and "  x". */
	{ " From here\n  indented\n", false, "From here\n indented\n" },
	/* Quotes: depth from the '>' run, one space after (4.5). */
	{ "> quoted \n> text\n", false, "> quoted text\n" },
	{ ">> deep \n>> er\n> up\n", false, ">> deep er\n> up\n" },
	/* A flowed line before a change of depth is taken as fixed. */
	{ "> a \n>> b\n", false, "> a \n>> b\n" },
	{ "> a \nb\n", false, "> a \nb\n" },
	/* The signature separator is fixed and never joined onto. */
	{ "text \n-- \nsig\n", false, "text \n-- \nsig\n" },
	{ "-- \nme\n", true, "-- \nme\n" },
	/* "> > x" in flowed text is depth 1 with "> x" quoted text. */
	{ "> > x\n", false, "> > x\n" },
	/* An empty quoted line keeps just its marks. */
	{ ">\n> a\n", false, ">\n> a\n" },
	/* No newline at the end, a flowed last line. */
	{ "end ", false, "end \n" },
	{ "", false, "" },
};

START_TEST(test_flowed)
{
	struct buf	b = BUF_INITIALIZER(0);

	ck_assert_int_eq(ui_pager_flowed(flowed[_i].in,
	    strlen(flowed[_i].in), flowed[_i].delsp, &b), 0);
	ck_assert_msg(strcmp(buf_str(&b), flowed[_i].out) == 0,
	    "case %d: got '%s'", _i, buf_str(&b));
	buf_fini(&b);
}
END_TEST

/* A flowed text that passes the buffer's maximum reports it. */
START_TEST(test_flowed_bounded)
{
	struct buf	b = BUF_INITIALIZER(16);
	char		in[400];
	size_t		i;

	for (i = 0; i + 2 < sizeof in; i += 2)
		memcpy(in + i, "a\n", 2);
	in[i] = '\0';
	ck_assert_int_eq(ui_pager_flowed(in, strlen(in), false, &b), -1);
	ck_assert(b.len <= 16);
	buf_fini(&b);
}
END_TEST

/* Quote levels and prefixes, flowed or not. */
START_TEST(test_quote)
{
	size_t	pre;

	ck_assert_int_eq(ui_pager_quote_level("> a", 3, &pre), 1);
	ck_assert_uint_eq(pre, 2);
	ck_assert_int_eq(ui_pager_quote_level("> > b", 5, &pre), 2);
	ck_assert_uint_eq(pre, 4);
	ck_assert_int_eq(ui_pager_quote_level(">>> c", 5, &pre), 3);
	ck_assert_uint_eq(pre, 4);
	ck_assert_int_eq(ui_pager_quote_level(" > no", 5, &pre), 0);
	ck_assert_uint_eq(pre, 0);
	ck_assert_int_eq(ui_pager_quote_level("plain", 5, NULL), 0);
	ck_assert_int_eq(ui_pager_quote_level(">", 1, &pre), 1);
	ck_assert_uint_eq(pre, 1);
	ck_assert_int_eq(ui_pager_quote_level("", 0, &pre), 0);
}
END_TEST

/* Tabs to spaces, counted per line and in wcwidth columns. */
START_TEST(test_tabs)
{
	struct buf	b = BUF_INITIALIZER(0);
	const char	*in = "a\tb\n\tc\n\n\n\xe4\xb8\xad\tx\n";

	ck_assert_int_eq(ui_pager_expand_tabs(in, strlen(in), &b), 0);
	ck_assert_str_eq(buf_str(&b), "a       b\n        c\n\n\n"
	    "\xe4\xb8\xad      x\n");
	buf_fini(&b);
}
END_TEST

/* URLs found, trimmed and de-duplicated. */
START_TEST(test_urls)
{
	const char	*s = "See https://example.org/a_(b) and "
	    "(http://x.test/p?q=1&r=2). Mail mailto:me@x.test, or "
	    "www.example.com/path. Again: https://example.org/a_(b)! "
	    "not:xhttp://evil.test nor http:// alone; "
	    "<https://t.test/\"quoted\"> FTP://CAPS.test/x;";
	const char	*want[] = { "https://example.org/a_(b)",
	    "http://x.test/p?q=1&r=2", "mailto:me@x.test",
	    "www.example.com/path", "https://t.test/", "FTP://CAPS.test/x" };
	struct ui_pager_url	u[16];
	size_t			n, i;

	n = ui_pager_urls(s, strlen(s), u, 16);
	ck_assert_uint_eq(n, sizeof want / sizeof want[0]);
	for (i = 0; i < n; i++)
		ck_assert_msg(u[i].len == strlen(want[i]) &&
		    memcmp(s + u[i].off, want[i], u[i].len) == 0,
		    "URL %zu: '%.*s'", i, (int)u[i].len, s + u[i].off);
	/* The maximum holds. */
	ck_assert_uint_eq(ui_pager_urls(s, strlen(s), u, 2), 2);
	/* A URL stops at non-ASCII and control bytes. */
	n = ui_pager_urls("http://a.test/\xc3\xa9x http://b.test/\x1b[m", 32,
	    u, 16);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(u[0].len, 14);
	ck_assert_uint_eq(u[1].len, 14);
}
END_TEST

/* Smart case: lower case finds any case, upper case only itself. */
START_TEST(test_find)
{
	const char	*s = "Alpha beta BETA Beta\nGamma";
	size_t		 at = 99;

	ck_assert(ui_pager_find(s, strlen(s), 0, "beta", &at));
	ck_assert_uint_eq(at, 6);
	ck_assert(ui_pager_find(s, strlen(s), 7, "beta", &at));
	ck_assert_uint_eq(at, 11);
	ck_assert(ui_pager_find(s, strlen(s), 0, "Beta", &at));
	ck_assert_uint_eq(at, 16);
	ck_assert(ui_pager_find(s, strlen(s), 0, "gamma", &at));
	ck_assert_uint_eq(at, 21);
	ck_assert(!ui_pager_find(s, strlen(s), 22, "gamma", &at));
	ck_assert(!ui_pager_find(s, strlen(s), 0, "delta", &at));
	ck_assert(!ui_pager_find(s, strlen(s), 0, "", &at));
	ck_assert(!ui_pager_find(s, strlen(s), 99, "a", &at));
	/* Non-ASCII compares exactly. */
	ck_assert(ui_pager_find("gr\xc3\xbc\xc3\x9f", 6, 0, "\xc3\xbc", &at));
	ck_assert_uint_eq(at, 2);
}
END_TEST

/*
 * Wide characters in the pager's wrapping: a CJK line breaks between
 * characters, an emoji never straddles the edge, a combining mark stays
 * with its base, and every line fits its width.
 */
START_TEST(test_wrap_wide)
{
	static const struct {
		const char	*s;
		int		 width;
		const char	*first;
	} t[] = {
		/* 5 columns: two CJK characters (4 columns) fit. */
		{ "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 5,
		  "\xe4\xb8\xad\xe6\x96\x87" },
		/* An emoji at column 3 of 4 moves to the next line. */
		{ "abc\xf0\x9f\x98\x80", 4, "abc" },
		/* e + U+0301 is one column: "cafe\xcc\x81" fits in 4. */
		{ "cafe\xcc\x81 bar", 4, "cafe\xcc\x81" },
		/* Word boundaries still win over the hard cut. */
		{ "ab \xe4\xb8\xad\xe6\x96\x87", 5, "ab " },
		/* A word wider than the line is cut at the width. */
		{ "abcdefgh ij", 3, "abc" },
	};
	size_t	i, ll;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		ui_text_wrap(t[i].s, strlen(t[i].s), t[i].width, &ll);
		ck_assert_msg(ll == strlen(t[i].first) &&
		    memcmp(t[i].s, t[i].first, ll) == 0,
		    "case %zu: first line '%.*s'", i, (int)ll, t[i].s);
		ck_assert_int_le(ui_text_width(t[i].s, ll), t[i].width);
	}
	/* Columns as the screen shows them. */
	ck_assert_int_eq(ui_text_width("\xe4\xb8\xad" "a", 4), 3);
	ck_assert_int_eq(ui_text_width("\xf0\x9f\x98\x80", 4), 2);
	ck_assert_int_eq(ui_text_width("a\xcc\x81\xcc\x82", 5), 1);
}
END_TEST

/* The suite. */
static Suite *
ui_pager_text_suite(void)
{
	Suite	*s = suite_create("ui_pager_text");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_flowed, 0,
	    (int)(sizeof flowed / sizeof flowed[0]));
	tcase_add_test(tc, test_flowed_bounded);
	tcase_add_test(tc, test_quote);
	tcase_add_test(tc, test_tabs);
	tcase_add_test(tc, test_urls);
	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_wrap_wide);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the suite in a UTF-8 locale (wcwidth needs one: none is a failure). */
int
main(void)
{
	SRunner	*sr;
	int	 failed;

	if (setlocale(LC_ALL, "C.UTF-8") == NULL &&
	    setlocale(LC_ALL, "en_US.UTF-8") == NULL) {
		fprintf(stderr, "no UTF-8 locale (C.UTF-8 or en_US.UTF-8)\n");
		return 1;
	}
	sr = srunner_create(ui_pager_text_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

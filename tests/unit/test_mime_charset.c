/*
 * test_mime_charset.c - unit tests of the charset labels src/mime/charset.c
 * maps for glibc (the aliases issue 5 names and the WHATWG Encoding
 * Standard labels glibc lacks), one sample per family, and that invalid
 * bytes become U+FFFD without losing the text after them.  Conversion
 * itself is tested in test_mime.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "mime/mime.h"
#include "mime/mime_int.h"

#define FFFD	"\xef\xbf\xbd"

/* One label, some bytes in it, and their UTF-8. */
struct cs_case {
	const char	*label;
	const char	*in;
	const char	*want;
};

/* Convert and compare with want. */
static void
check_cs(const struct cs_case *c)
{
	struct buf	b = BUF_INITIALIZER(0);

	ck_assert_int_eq(mime_charset_to_utf8(c->label, c->in, strlen(c->in),
	    &b), 0);
	ck_assert_msg(strcmp(buf_str(&b), c->want) == 0,
	    "%s: got \"%s\", want \"%s\"", c->label, buf_str(&b), c->want);
	buf_fini(&b);
}

START_TEST(test_charset_aliases)
{
	static const struct cs_case	cases[] = {
		/* The aliases issue 5 names. */
		{ "latin1", "caf\xe9", "caf\xc3\xa9" },
		{ "cp1251", "\xcf\xf0\xe8", "\xd0\x9f\xd1\x80\xd0\xb8" },
		{ "KS_C_5601-1987", "\xc7\xd1\xb1\xb9", "\xed\x95\x9c"
		    "\xea\xb5\xad" },
		/* U+4E02 exists in GB18030 (and GBK), not in GB 2312. */
		{ "gb2312", "\x81\x40", "\xe4\xb8\x82" },
		{ "ISO-8859-8-I", "\xf9\xec\xe5\xed", "\xd7\xa9\xd7\x9c"
		    "\xd7\x95\xd7\x9d" },
		/* WHATWG labels glibc does not know. */
		{ "x-mac-cyrillic", "\x8f", "\xd0\x9f" },
		{ "x-cp1250", "\x9a", "\xc5\xa1" },
		{ "iso-8859-6-i", "\xc7", "\xd8\xa7" },
		{ "visual", "\xe0", "\xd7\x90" },
		{ "chinese", "\xc4\xe3", "\xe4\xbd\xa0" },
		{ "korean", "\xc7\xd1", "\xed\x95\x9c" },
		{ "x-euc-jp", "\xa4\xa2", "\xe3\x81\x82" },
		{ "windows-874", "\xa1", "\xe0\xb8\x81" },
		{ "windows-31j", "\x82\xa0", "\xe3\x81\x82" },
		{ "unicodeFFFE", "\x01\x01", "\xc4\x81" },
		/* Families glibc knows by itself. */
		{ "koi8-u", "\xa4", "\xd1\x94" },
		{ "big5", "\xa4\xa4", "\xe4\xb8\xad" },
		{ "euc-jp", "\xa4\xa2", "\xe3\x81\x82" },
		{ "iso-8859-15", "\xa4", "\xe2\x82\xac" },
		{ "windows-1256", "\xc7", "\xd8\xa7" },
		{ "ibm866", "\x8f", "\xd0\x9f" },
		{ "utf-7", "+AOk-", "\xc3\xa9" },
	};
	size_t	i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_cs(&cases[i]);
}
END_TEST

/* Unlabelled text: UTF-8 when valid, else the configured fallback. */
START_TEST(test_charset_fallback)
{
	struct buf	 b = BUF_INITIALIZER(1024);

	/* "caf\xe9" is not UTF-8: windows-1252 by default ... */
	ck_assert_int_eq(mime_charset_to_utf8_or(NULL, NULL, "caf\xe9", 4,
	    &b), 0);
	ck_assert_str_eq(buf_str(&b), "caf\xc3\xa9");
	/* ... koi8-r when the user says so ("\xe9" is Cyrillic I) ... */
	buf_reset(&b);
	ck_assert_int_eq(mime_charset_to_utf8_or(NULL, "koi8-r", "caf\xe9", 4,
	    &b), 0);
	ck_assert_str_eq(buf_str(&b), "caf\xd0\x98");
	/* ... valid UTF-8 stays UTF-8, and a label wins over the fallback. */
	buf_reset(&b);
	ck_assert_int_eq(mime_charset_to_utf8_or(NULL, "koi8-r",
	    "caf\xc3\xa9", 5, &b), 0);
	ck_assert_str_eq(buf_str(&b), "caf\xc3\xa9");
	buf_reset(&b);
	ck_assert_int_eq(mime_charset_to_utf8_or("iso-8859-1", "koi8-r",
	    "caf\xe9", 4, &b), 0);
	ck_assert_str_eq(buf_str(&b), "caf\xc3\xa9");
	buf_fini(&b);
	ck_assert(mime_charset_known("koi8-r"));
	ck_assert(mime_charset_known("latin1"));
	ck_assert(!mime_charset_known("no-such-charset"));
	ck_assert(!mime_charset_known("utf-8//TRANSLIT"));
}
END_TEST

START_TEST(test_charset_invalid_keeps_rest)
{
	static const struct cs_case	cases[] = {
		{ "big5", "a\xff" "b\xa4\xa4" "c", "a" FFFD "b\xe4\xb8\xad" "c" },
		{ "gb2312", "\xff" "ok", FFFD "ok" },
		{ "euc-kr", "x\xc7" "y", "x" FFFD "y" },
		{ "iso-2022-jp", "\x1b$B$\"\x1b(B\xff!", "\xe3\x81\x82" FFFD "!" },
		{ "koi8-r", "\xf0", "\xd0\x9f" },
		{ "cp1251", "\x98" "a", FFFD "a" },
		/* A truncated character at the very end: one U+FFFD. */
		{ "shift_jis", "ab\x82", "ab" FFFD },
	};
	size_t	i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_cs(&cases[i]);
}
END_TEST

/* Run the suite. */
int
main(void)
{
	Suite	*s = suite_create("mime-charset");
	TCase	*tc = tcase_create("labels");
	SRunner	*sr;
	int	 failed;

	tcase_add_test(tc, test_charset_aliases);
	tcase_add_test(tc, test_charset_invalid_keeps_rest);
	tcase_add_test(tc, test_charset_fallback);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * test_imap_utf7.c - modified UTF-7 mailbox names both ways.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "net/imap_utf7.h"

static const struct {
	const char	*utf7;
	const char	*utf8;
} utf7_pairs[] = {
	{ "", "" },
	{ "INBOX", "INBOX" },
	{ "&-", "&" },
	{ "A&-B&-", "A&B&" },
	{ "Entw&APw-rfe", "Entw\xc3\xbc" "rfe" },
	{ "&ZeVnLIqe-", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
	{ "~peter/mail/&U,BTFw-/&ZeVnLIqe-",
	    "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/"
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
	/* U+1F600 as a surrogate pair. */
	{ "&2D3eAA-", "\xf0\x9f\x98\x80" },
	/* A control character is shifted, not sent raw. */
	{ "a&AAk-b", "a\tb" },
	{ "Sent &- Trash", "Sent & Trash" },
};

START_TEST(test_utf7_roundtrip)
{
	for (size_t i = 0; i < sizeof utf7_pairs / sizeof utf7_pairs[0]; i++) {
		const char	*u7 = utf7_pairs[i].utf7;
		const char	*u8 = utf7_pairs[i].utf8;
		char		*s;

		s = imap_utf7_decode(u7, strlen(u7));
		ck_assert_msg(s != NULL, "decode %s failed", u7);
		ck_assert_str_eq(s, u8);
		free(s);
		s = imap_utf7_encode(u8, strlen(u8));
		ck_assert_ptr_nonnull(s);
		ck_assert_str_eq(s, u7);
		free(s);
	}
}
END_TEST

START_TEST(test_utf7_invalid)
{
	static const char *const bad[] = {
		"&",			/* unterminated */
		"&APw",			/* unterminated shift */
		"&AGE-",		/* 'a' must not be shifted */
		"&APw*-",		/* not a base64 digit */
		"&AP-",			/* 12 bits: not a whole UTF-16 unit */
		"&APx-",		/* padding bits not zero */
		"&2D0-",		/* high surrogate alone */
		"&3gA-",		/* low surrogate alone */
		"caf\xc3\xa9",		/* raw 8-bit */
		"a\tb",			/* raw control */
		"&2D3YPQ-",		/* high surrogate then high */
		NULL
	};
	char	*s;

	for (size_t i = 0; bad[i] != NULL; i++) {
		s = imap_utf7_decode(bad[i], strlen(bad[i]));
		ck_assert_msg(s == NULL, "accepted %s as %s", bad[i], s);
	}
	/* The display form falls back to the raw bytes. */
	s = imap_utf7_display("&APw", 4);
	ck_assert_str_eq(s, "&APw");
	free(s);
	s = imap_utf7_display("Entw&APw-rfe", 12);
	ck_assert_str_eq(s, "Entw\xc3\xbcrfe");
	free(s);
}
END_TEST

START_TEST(test_utf7_encode_invalid)
{
	static const char *const bad[] = {
		"\xc3",			/* truncated */
		"\xc0\xaf",		/* overlong */
		"\xed\xa0\x80",		/* surrogate */
		"\xf4\x90\x80\x80",	/* above U+10FFFF */
		"\xff",
		NULL
	};

	for (size_t i = 0; bad[i] != NULL; i++)
		ck_assert_ptr_null(imap_utf7_encode(bad[i], strlen(bad[i])));
}
END_TEST

/* The suite. */
static Suite *
imap_utf7_suite(void)
{
	Suite	*s = suite_create("imap_utf7");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_utf7_roundtrip);
	tcase_add_test(tc, test_utf7_invalid);
	tcase_add_test(tc, test_utf7_encode_invalid);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(imap_utf7_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

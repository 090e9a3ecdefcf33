/*
 * test_ui_pager_addr.c - display names that pass for another address are
 * caught and shown with the real one, marked; others are left alone.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mime/address.h"
#include "ui/ui_pager_addr.h"

/* Names, real addresses, and whether the name is a spoof. */
static const struct {
	const char	*name;
	const char	*addr;
	bool		 spoofed;
} cases[] = {
	{ "support@bank.com", "attacker@evil.example", true },
	{ "Bank <support@bank.com>", "attacker@evil.example", true },
	{ "SUPPORT@BANK.COM", "support@bank.com", false },
	{ "support@bank.com", "Support@Bank.Com", false },
	{ "Alice Example", "alice@example.org", false },
	{ "Alice (at work)", "alice@example.org", false },
	{ "me@localhost", "x@y.test", false },		/* no dot: no address */
	{ "a @ b.com", "x@y.test", false },
	{ "Mail from x@y.test and z@w.test", "x@y.test", true },
	{ "Name", NULL, false },
	{ "fake@bank.com", NULL, true },
	{ "", "a@b.test", false },
	/* Fullwidth look-alikes: ｓｕｐｐｏｒｔ＠ｂａｎｋ．ｃｏｍ */
	{ "\xef\xbd\x93\xef\xbd\x95\xef\xbd\x90\xef\xbd\x90\xef\xbd\x8f"
	  "\xef\xbd\x92\xef\xbd\x94\xef\xbc\xa0\xef\xbd\x82\xef\xbd\x81"
	  "\xef\xbd\x8e\xef\xbd\x8b\xef\xbc\x8e\xef\xbd\x83\xef\xbd\x8f"
	  "\xef\xbd\x8d", "attacker@evil.example", true },
	/* Small commercial at: support﹫bank.com */
	{ "support\xef\xb9\xab" "bank.com", "attacker@evil.example", true },
	{ "support@bank.com.", "support@bank.com", false },
};

START_TEST(test_spoofed)
{
	ck_assert_msg(ui_pager_addr_spoofed(cases[_i].name, cases[_i].addr) ==
	    cases[_i].spoofed, "case %d: %s <%s>", _i, cases[_i].name,
	    cases[_i].addr != NULL ? cases[_i].addr : "(null)");
}
END_TEST

/* The pager's line of a list: names quoted as needed, spoofs marked. */
START_TEST(test_line)
{
	struct mime_address	v[] = {
		{ "support@bank.com", "attacker@evil.example", NULL },
		{ "Alice", "alice@example.org", NULL },
		{ NULL, "bob@example.org", NULL },
		{ "Doe, John", "john@example.org", NULL },
		{ "x@y.test", "c@d.test", "Team" },
		{ NULL, "e@f.test", "Team" },
		{ NULL, NULL, "Empty" },
	};
	struct mime_address_list l = { v, sizeof v / sizeof v[0] };
	struct mime_address_list none = { NULL, 0 };
	char			*s;
	bool			 spoofed = false;

	s = ui_pager_addr_line(&l, &spoofed);
	ck_assert_str_eq(s, "\"support@bank.com\" <attacker@evil.example> "
	    "[!], Alice <alice@example.org>, bob@example.org, "
	    "\"Doe, John\" <john@example.org>, Team: \"x@y.test\" "
	    "<c@d.test> [!], e@f.test;, Empty:;");
	ck_assert(spoofed);
	free(s);
	l.n = 3;
	l.v = v + 1;
	s = ui_pager_addr_line(&l, &spoofed);
	ck_assert(!spoofed);
	free(s);
	ck_assert_ptr_null(ui_pager_addr_line(&none, &spoofed));
}
END_TEST

/* The message list's From column. */
START_TEST(test_from_column)
{
	char	*s;

	s = ui_pager_addr_from("support@bank.com", "attacker@evil.example");
	ck_assert_str_eq(s, "[!] attacker@evil.example (support@bank.com)");
	free(s);
	s = ui_pager_addr_from("Alice", "alice@example.org");
	ck_assert_str_eq(s, "Alice");
	free(s);
	s = ui_pager_addr_from(NULL, "alice@example.org");
	ck_assert_str_eq(s, "alice@example.org");
	free(s);
	s = ui_pager_addr_from("", NULL);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

/* Through the real parser: a header as an attacker writes it. */
START_TEST(test_parsed)
{
	const char			*h = "\"support@bank.com\" "
	    "<attacker@evil.example>, =?UTF-8?Q?pay=40bank=2Ecom?= <x@evil.test>";
	struct mime_address_list	 l;
	char				*s;
	bool				 spoofed = false;

	mime_address_list_parse(h, strlen(h), &l);
	s = ui_pager_addr_line(&l, &spoofed);
	ck_assert(spoofed);
	ck_assert_msg(strstr(s, "<attacker@evil.example> [!]") != NULL &&
	    strstr(s, "<x@evil.test> [!]") != NULL, "line: %s", s);
	free(s);
	mime_address_list_fini(&l);
}
END_TEST

/* The suite. */
static Suite *
ui_pager_addr_suite(void)
{
	Suite	*s = suite_create("ui_pager_addr");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_spoofed, 0,
	    (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(tc, test_line);
	tcase_add_test(tc, test_from_column);
	tcase_add_test(tc, test_parsed);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the suite; the exit status says whether it passed. */
int
main(void)
{
	SRunner	*sr = srunner_create(ui_pager_addr_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

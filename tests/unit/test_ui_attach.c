/*
 * test_ui_attach.c - attachment file names made safe, and mailcap files
 * (RFC 1524): parsing, choosing an entry, expanding its command.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_attach_mailcap.h"
#include "ui/ui_attach_name.h"

/* Hostile and ordinary filenames and their safe forms. */
static const struct {
	const char	*in;
	const char	*out;
} names[] = {
	{ "report.pdf", "report.pdf" },
	{ "../../.bashrc", "_.bashrc" },
	{ "/etc/passwd", "passwd" },
	{ "..\\..\\win.ini", "win.ini" },
	{ "C:\\Users\\x\\.ssh", "_.ssh" },
	{ "-rf", "_-rf" },
	{ "..", "part-1.2" },
	{ "...", "part-1.2" },
	{ "", "part-1.2" },
	{ "dir/", "part-1.2" },
	{ "  spaced name.txt  ", "spaced name.txt" },
	{ "a\nb\rc\x1b[31md.txt", "a_b_c_[31md.txt" },
	{ "evil\xc2\x9b" "x", "evil_x" },		/* C1 CSI */
	{ "invoice\xe2\x80\xae" "fdp.exe", "invoice_fdp.exe" },	/* RLO */
	{ "iso\xe2\x81\xa6" "late", "iso_late" },	/* LRI */
	{ "bad\xff" "utf8", "bad_utf8" },
	{ "\xc3\x9c" "bersicht.txt", "\xc3\x9c" "bersicht.txt" },
	{ "\xe4\xb8\xad\xe6\x96\x87.doc", "\xe4\xb8\xad\xe6\x96\x87.doc" },
	{ NULL, "part-1.2" },
};

START_TEST(test_safe_name)
{
	char	*n = ui_attach_safe_name(names[_i].in, "part-1.2");

	ck_assert_msg(strcmp(n, names[_i].out) == 0, "case %d: '%s'", _i, n);
	ck_assert(strchr(n, '/') == NULL);
	ck_assert(n[0] != '.' && n[0] != '-' && n[0] != '\0');
	free(n);
}
END_TEST

/* A long name is cut at a character, its extension kept. */
START_TEST(test_safe_name_long)
{
	char	in[1200], *n;
	size_t	i;

	for (i = 0; i + 2 < 1000; i += 2)
		memcpy(in + i, "\xc3\xa9", 2);	/* é */
	memcpy(in + i, ".tar.gz", 8);
	n = ui_attach_safe_name(in, "x");
	ck_assert_uint_le(strlen(n), UI_ATTACH_NAME_MAX);
	ck_assert_str_eq(n + strlen(n) - 3, ".gz");
	/* No half character before the extension. */
	ck_assert(((unsigned char)n[strlen(n) - 4] & 0xc0) != 0xc0);
	free(n);
	/* A fallback that is no name gives "attachment". */
	n = ui_attach_safe_name("..", "..");
	ck_assert_str_eq(n, "attachment");
	free(n);
}
END_TEST

/* Alternatives for a name that exists. */
START_TEST(test_alt_name)
{
	char	*n, big[UI_ATTACH_NAME_MAX + 1];

	n = ui_attach_alt_name("a.pdf", 1);
	ck_assert_str_eq(n, "a-1.pdf");
	free(n);
	n = ui_attach_alt_name("noext", 12);
	ck_assert_str_eq(n, "noext-12");
	free(n);
	n = ui_attach_alt_name("_.bashrc", 2);
	ck_assert_str_eq(n, "_-2.bashrc");
	free(n);
	memset(big, 'x', sizeof big - 5);
	memcpy(big + sizeof big - 5, ".txt", 5);
	n = ui_attach_alt_name(big, 7);
	ck_assert_uint_le(strlen(n), UI_ATTACH_NAME_MAX);
	ck_assert_str_eq(n + strlen(n) - 6, "-7.txt");
	free(n);
}
END_TEST

/* Entries: fields, escapes, flags, name=value. */
START_TEST(test_mailcap_parse)
{
	struct ui_mailcap_entry	e;
	const char		*l;

	l = "text/html; w3m -dump -T text/html %s; copiousoutput; "
	    "nametemplate=%s.html; test=test -x /x";
	ck_assert_int_eq(ui_attach_mailcap_parse(l, strlen(l), &e), 0);
	ck_assert_str_eq(e.type, "text/html");
	ck_assert_str_eq(e.view, "w3m -dump -T text/html %s");
	ck_assert(e.copiousoutput);
	ck_assert(!e.needsterminal);
	ck_assert_str_eq(e.nametemplate, "%s.html");
	ck_assert_str_eq(e.test, "test -x /x");
	ui_attach_mailcap_fini(&e);

	l = "image/*;display '%s' \\; echo done\\\\;needsterminal";
	ck_assert_int_eq(ui_attach_mailcap_parse(l, strlen(l), &e), 0);
	ck_assert_str_eq(e.type, "image/*");
	ck_assert_str_eq(e.view, "display '%s' ; echo done\\");
	ck_assert(e.needsterminal);
	ui_attach_mailcap_fini(&e);

	l = "application/pdf";
	ck_assert_int_eq(ui_attach_mailcap_parse(l, strlen(l), &e), -1);
	l = "; cmd";
	ck_assert_int_eq(ui_attach_mailcap_parse(l, strlen(l), &e), -1);
	l = "bad type; cmd";
	ck_assert_int_eq(ui_attach_mailcap_parse(l, strlen(l), &e), -1);
}
END_TEST

/* A test= callback that accepts only "yes". */
static bool
test_yes(void *arg, const char *cmd)
{
	(*(int *)arg)++;
	return strcmp(cmd, "yes") == 0;
}

/* Choosing an entry: type match, wildcards, tests, copiousoutput. */
START_TEST(test_mailcap_find)
{
	static const char file[] =
	    "# a comment\n"
	    "\n"
	    "image/png; first; test=no\n"
	    "image/PNG; second %s; \\\n"
	    "    test=yes\n"
	    "image/*; third\n"
	    "text; anytext %s; copiousoutput\n"
	    "text/plain; plainview\r\n"
	    "application/x-long; x\n";
	struct ui_mailcap_entry	e;
	int			calls = 0;

	ck_assert_int_eq(ui_attach_mailcap_find(file, strlen(file), "image",
	    "png", false, test_yes, &calls, &e), 0);
	ck_assert_str_eq(e.view, "second %s");
	ck_assert_int_eq(calls, 2);
	ui_attach_mailcap_fini(&e);
	/* Without a test runner, entries with a test= are skipped. */
	ck_assert_int_eq(ui_attach_mailcap_find(file, strlen(file), "image",
	    "png", false, NULL, NULL, &e), 0);
	ck_assert_str_eq(e.view, "third");
	ui_attach_mailcap_fini(&e);
	ck_assert_int_eq(ui_attach_mailcap_find(file, strlen(file), "image",
	    "gif", false, NULL, NULL, &e), 0);
	ck_assert_str_eq(e.view, "third");
	ui_attach_mailcap_fini(&e);
	ck_assert_int_eq(ui_attach_mailcap_find(file, strlen(file), "text",
	    "plain", false, NULL, NULL, &e), 0);
	ck_assert_str_eq(e.view, "anytext %s");
	ui_attach_mailcap_fini(&e);
	ck_assert_int_eq(ui_attach_mailcap_find(file, strlen(file), "image",
	    "png", true, NULL, NULL, &e), -1);
	ck_assert_int_eq(ui_attach_mailcap_find(file, strlen(file), "audio",
	    "ogg", false, NULL, NULL, &e), -1);
}
END_TEST

/* A line longer than the maximum is skipped, not cut into an entry. */
START_TEST(test_mailcap_long)
{
	size_t			 n = UI_MAILCAP_LINE_MAX + 100;
	char			*file = malloc(n + 64);
	struct ui_mailcap_entry	 e;

	memcpy(file, "image/png; ", 11);
	memset(file + 11, 'x', n - 11);
	memcpy(file + n, "\nimage/png; ok\n", 16);
	ck_assert_int_eq(ui_attach_mailcap_find(file, strlen(file), "image",
	    "png", false, NULL, NULL, &e), 0);
	ck_assert_str_eq(e.view, "ok");
	ui_attach_mailcap_fini(&e);
	free(file);
}
END_TEST

/* Expansion: %s, %t, %{param}, %%, and nothing unsafe gets in. */
START_TEST(test_mailcap_expand)
{
	char	*c;
	bool	 used;

	c = ui_attach_mailcap_expand("view %s --type=%t 100%%", "/tmp/p/a.png",
	    "image/png", NULL, &used);
	ck_assert_str_eq(c, "view /tmp/p/a.png --type=image/png 100%");
	ck_assert(used);
	free(c);
	c = ui_attach_mailcap_expand("conv --cs=%{charset} --n=%{name}",
	    "x", "text/plain", "text/plain; charset=UTF-8; "
	    "name=\"a;rm -rf ~\"", &used);
	ck_assert_str_eq(c, "conv --cs=UTF-8 --n=");
	ck_assert(!used);
	free(c);
	c = ui_attach_mailcap_expand("cat %s", "/tmp/$(id)", "t/x", NULL,
	    &used);
	ck_assert_str_eq(c, "cat ");
	free(c);
	c = ui_attach_mailcap_expand("odd %q %", "f", "t/x", NULL, &used);
	ck_assert_str_eq(c, "odd %q %");
	free(c);
}
END_TEST

/* The suite. */
static Suite *
ui_attach_suite(void)
{
	Suite	*s = suite_create("ui_attach");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_safe_name, 0,
	    (int)(sizeof names / sizeof names[0]));
	tcase_add_test(tc, test_safe_name_long);
	tcase_add_test(tc, test_alt_name);
	tcase_add_test(tc, test_mailcap_parse);
	tcase_add_test(tc, test_mailcap_find);
	tcase_add_test(tc, test_mailcap_long);
	tcase_add_test(tc, test_mailcap_expand);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the suite; the exit status says whether it passed. */
int
main(void)
{
	SRunner	*sr = srunner_create(ui_attach_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * test_ui_path.c - tilde expansion and Tab completion of paths typed at
 * prompts.
 */
#include <sys/stat.h>

#include <check.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui/ui_path.h"
#include "util/xmalloc.h"

/* ~ and ~/x use the home given; other paths are taken as typed. */
START_TEST(test_home)
{
	char	*s;

	s = ui_path_expand("~/mail/x.eml", "/home/me");
	ck_assert_str_eq(s, "/home/me/mail/x.eml");
	free(s);
	s = ui_path_expand("~", "/home/me");
	ck_assert_str_eq(s, "/home/me");
	free(s);
	s = ui_path_expand("~/x", "/");
	ck_assert_str_eq(s, "/x");
	free(s);
	s = ui_path_expand("/tmp/a~b", "/home/me");
	ck_assert_str_eq(s, "/tmp/a~b");
	free(s);
	s = ui_path_expand("rel/~x", "/home/me");
	ck_assert_str_eq(s, "rel/~x");
	free(s);
	ck_assert_ptr_null(ui_path_expand("", "/home/me"));
	ck_assert_ptr_null(ui_path_expand(NULL, "/home/me"));
	ck_assert_ptr_null(ui_path_expand("~/x", NULL));
	ck_assert_ptr_null(ui_path_expand("~", ""));
}
END_TEST

/* ~user comes from the password database; an unknown user fails. */
START_TEST(test_user)
{
	struct passwd	*pw = getpwuid(getuid());
	char		*typed, *want, *s;

	ck_assert_ptr_null(ui_path_expand("~no-such-user-petrel/x", "/h"));
	if (pw == NULL || pw->pw_name == NULL)
		return;
	typed = malloc(strlen(pw->pw_name) + 8);
	want = malloc(strlen(pw->pw_dir) + 8);
	typed[0] = '~';
	memcpy(typed + 1, pw->pw_name, strlen(pw->pw_name) + 1);
	memcpy(typed + 1 + strlen(pw->pw_name), "/f", 3);
	memcpy(want, pw->pw_dir, strlen(pw->pw_dir) + 1);
	if (strcmp(want, "/") != 0)
		memcpy(want + strlen(pw->pw_dir), "/f", 3);
	else
		memcpy(want, "/f", 3);
	s = ui_path_expand(typed, "/elsewhere");
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, want);
	free(s);
	free(typed);
	free(want);
}
END_TEST

/* The suite. */
/* Remove dir/name. */
static void
test_rm(const char *dir, const char *name)
{
	char	*p = xasprintf("%s/%s", dir, name);

	ck_assert_int_eq(unlink(p), 0);
	free(p);
}

/* Tab: the longest common completion, a lone directory gets a '/'. */
START_TEST(test_complete)
{
	char	 dir[] = "/tmp/petrel-complete-XXXXXX", *p, *s;
	size_t	 n;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	p = xasprintf("%s/report-2026.pdf", dir);
	ck_assert_int_eq(close(open(p, O_CREAT | O_WRONLY, 0600)), 0);
	free(p);
	p = xasprintf("%s/report-2025.pdf", dir);
	ck_assert_int_eq(close(open(p, O_CREAT | O_WRONLY, 0600)), 0);
	free(p);
	p = xasprintf("%s/photos", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	free(p);
	p = xasprintf("%s/.hidden", dir);
	ck_assert_int_eq(close(open(p, O_CREAT | O_WRONLY, 0600)), 0);
	free(p);

	p = xasprintf("%s/rep", dir);
	s = ui_path_complete(p, NULL, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(s + strlen(dir), "/report-202");
	free(s);
	free(p);
	p = xasprintf("%s/ph", dir);
	s = ui_path_complete(p, NULL, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(s + strlen(dir), "/photos/");
	free(s);
	free(p);
	/* Dot files only when asked for; nothing matching: NULL. */
	p = xasprintf("%s/", dir);
	s = ui_path_complete(p, NULL, &n);
	ck_assert_uint_eq(n, 3);
	free(s);
	free(p);
	p = xasprintf("%s/.h", dir);
	s = ui_path_complete(p, NULL, &n);
	ck_assert_str_eq(s + strlen(dir), "/.hidden");
	free(s);
	free(p);
	p = xasprintf("%s/zzz", dir);
	ck_assert_ptr_null(ui_path_complete(p, NULL, &n));
	free(p);
	/* ~ is kept as typed, completed under home. */
	s = ui_path_complete("~/ph", dir, &n);
	ck_assert_str_eq(s, "~/photos/");
	free(s);
	test_rm(dir, "report-2026.pdf");
	test_rm(dir, "report-2025.pdf");
	test_rm(dir, ".hidden");
	p = xasprintf("%s/photos", dir);
	ck_assert_int_eq(rmdir(p), 0);
	free(p);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

static Suite *
ui_path_suite(void)
{
	Suite	*s = suite_create("ui_path");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_home);
	tcase_add_test(tc, test_user);
	tcase_add_test(tc, test_complete);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the suite; the exit status says whether it passed. */
int
main(void)
{
	SRunner	*sr = srunner_create(ui_path_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

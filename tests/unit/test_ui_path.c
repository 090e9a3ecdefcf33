/*
 * test_ui_path.c - tilde expansion of paths typed at prompts.
 */
#include <check.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui/ui_path.h"

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
static Suite *
ui_path_suite(void)
{
	Suite	*s = suite_create("ui_path");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_home);
	tcase_add_test(tc, test_user);
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

/*
 * test_maildir_name.c - unit tests of Maildir names (maildir_name.c):
 * flag letters in file names, unique names, Maildir++ folder names and
 * roles.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "store/maildir.h"

/* Check the cur/ name made from name with flags. */
static void
check_with_flags(const char *name, unsigned flags, const char *want)
{
	char	*got = maildir_name_with_flags(name, flags);

	ck_assert_msg(strcmp(got, want) == 0, "%s + %#x: got %s, want %s",
	    name, flags, got, want);
	free(got);
}

START_TEST(test_name_flags)
{
	ck_assert_uint_eq(maildir_name_flags("123.4_5.host"), 0);
	ck_assert_uint_eq(maildir_name_flags("123.4_5.host:2,"), 0);
	ck_assert_uint_eq(maildir_name_flags("123.4_5.host:2,S"),
	    CACHE_FLAG_SEEN);
	ck_assert_uint_eq(maildir_name_flags("u:2,DFPRST"), CACHE_FLAG_DRAFT |
	    CACHE_FLAG_FLAGGED | CACHE_FLAG_ANSWERED | CACHE_FLAG_SEEN |
	    CACHE_FLAG_DELETED);
	/* Keywords (lower case) and P are not petrel's flags. */
	ck_assert_uint_eq(maildir_name_flags("u:2,Pab"), 0);
	/* Experimental "1," semantics carry no flags. */
	ck_assert_uint_eq(maildir_name_flags("u:1,S"), 0);
	/* The unique part itself may hold letters: only the info counts. */
	ck_assert_uint_eq(maildir_name_flags("STFRD,S=12"), 0);
}
END_TEST

START_TEST(test_name_with_flags)
{
	/* From new/: the info part is added. */
	check_with_flags("1.2_3.h", 0, "1.2_3.h:2,");
	check_with_flags("1.2_3.h", CACHE_FLAG_SEEN, "1.2_3.h:2,S");
	/* ASCII order, as the spec asks, whatever the bits. */
	check_with_flags("u:2,", CACHE_FLAG_DELETED | CACHE_FLAG_SEEN |
	    CACHE_FLAG_ANSWERED | CACHE_FLAG_FLAGGED | CACHE_FLAG_DRAFT,
	    "u:2,DFRST");
	/* Other letters are kept, in order; managed ones follow the bits. */
	check_with_flags("u:2,PS", CACHE_FLAG_FLAGGED, "u:2,FP");
	check_with_flags("u:2,FPSab", CACHE_FLAG_SEEN, "u:2,PSab");
	check_with_flags("u:2,SS", CACHE_FLAG_SEEN, "u:2,S");
	/* Junk in the info part is dropped, RECENT never written. */
	check_with_flags("u:2,S#!", CACHE_FLAG_SEEN | CACHE_FLAG_RECENT,
	    "u:2,S");
	/* The unique part is kept byte for byte (Dovecot's ",S=size"). */
	check_with_flags("1.M1P2Q3.h,S=1042:2,S", 0, "1.M1P2Q3.h,S=1042:2,");
	/* An old "1," info part becomes "2,". */
	check_with_flags("u:1,xyz", CACHE_FLAG_SEEN, "u:2,S");
}
END_TEST

START_TEST(test_uniq)
{
	ck_assert_uint_eq(maildir_uniq_len("abc:2,S"), 3);
	ck_assert_uint_eq(maildir_uniq_len("abc"), 3);
	ck_assert_uint_eq(maildir_uniq_len(":2,"), 0);
}
END_TEST

START_TEST(test_unique_names)
{
	char	*h, *u, *v;

	h = maildir_host_escape("my/host:name.example");
	ck_assert_str_eq(h, "my\\057host\\072name.example");
	u = maildir_unique(1700000000, 4242, 7, h);
	ck_assert_str_eq(u, "1700000000.4242_7.my\\057host\\072name.example");
	/* No ':' or '/' may reach a file name. */
	ck_assert_ptr_null(strchr(u, '/'));
	ck_assert_ptr_null(strchr(u, ':'));
	v = maildir_unique(1700000000, 4242, 8, h);
	ck_assert_str_ne(u, v);
	free(u);
	free(v);
	free(h);
	h = maildir_host_escape("");
	ck_assert_str_eq(h, "localhost");
	free(h);
}
END_TEST

START_TEST(test_folder_dirs)
{
	ck_assert(maildir_is_folder_dir(".Sent"));
	ck_assert(maildir_is_folder_dir(".Work.2024"));
	ck_assert(maildir_is_folder_dir(".Entw&APw-rfe"));
	ck_assert(!maildir_is_folder_dir("."));
	ck_assert(!maildir_is_folder_dir(".."));
	ck_assert(!maildir_is_folder_dir("cur"));
	ck_assert(!maildir_is_folder_dir("..hidden"));
	ck_assert(!maildir_is_folder_dir(".a..b"));
	ck_assert(!maildir_is_folder_dir(".a."));
	ck_assert(!maildir_is_folder_dir(".INBOX"));
	ck_assert(!maildir_is_folder_dir(".inbox"));
}
END_TEST

/* Check the remote name made of a display name (NULL: refused). */
static void
check_remote(const char *display, const char *want)
{
	struct error	 err;
	char		*got = maildir_folder_remote(display, &err);

	if (want == NULL) {
		ck_assert_msg(got == NULL, "%s: got %s, want a refusal",
		    display, got);
		ck_assert(err.msg[0] != '\0');
		return;
	}
	ck_assert_msg(got != NULL && strcmp(got, want) == 0,
	    "%s: got %s, want %s", display, got ? got : "NULL", want);
	free(got);
}

START_TEST(test_folder_remote)
{
	char	*d;

	check_remote("Work", "Work");
	check_remote("Work/2024", "Work.2024");
	check_remote("Work.2024", "Work.2024");
	check_remote("B\xc3\xbcro", "B&APw-ro");
	check_remote("Entw\xc3\xbcrfe", "Entw&APw-rfe");
	check_remote("a&b", "a&-b");
	check_remote("", NULL);
	check_remote("a//b", NULL);
	check_remote("/a", NULL);
	check_remote("a.", NULL);
	check_remote(".hidden", NULL);
	check_remote("INBOX", NULL);
	check_remote("in\tbox", NULL);
	check_remote("bad\xff", NULL);
	d = maildir_folder_display("Entw&APw-rfe");
	ck_assert_str_eq(d, "Entw\xc3\xbcrfe");
	free(d);
	/* Not modified UTF-7: shown as it is. */
	d = maildir_folder_display("caf\xc3\xa9");
	ck_assert_str_eq(d, "caf\xc3\xa9");
	free(d);
}
END_TEST

START_TEST(test_folder_role)
{
	ck_assert_int_eq(maildir_folder_role("Sent"), CACHE_ROLE_SENT);
	ck_assert_int_eq(maildir_folder_role("Work.Sent Items"),
	    CACHE_ROLE_SENT);
	ck_assert_int_eq(maildir_folder_role("Trash"), CACHE_ROLE_TRASH);
	ck_assert_int_eq(maildir_folder_role("drafts"), CACHE_ROLE_DRAFTS);
	ck_assert_int_eq(maildir_folder_role("Spam"), CACHE_ROLE_JUNK);
	ck_assert_int_eq(maildir_folder_role("Archive"), CACHE_ROLE_ARCHIVE);
	ck_assert_int_eq(maildir_folder_role("Lists"), CACHE_ROLE_NONE);
	ck_assert_int_eq(maildir_folder_role("Trash.Old"), CACHE_ROLE_NONE);
}
END_TEST

/* The suite. */
static Suite *
maildir_name_suite(void)
{
	Suite	*s = suite_create("maildir_name");
	TCase	*tc = tcase_create("names");

	tcase_add_test(tc, test_name_flags);
	tcase_add_test(tc, test_name_with_flags);
	tcase_add_test(tc, test_uniq);
	tcase_add_test(tc, test_unique_names);
	tcase_add_test(tc, test_folder_dirs);
	tcase_add_test(tc, test_folder_remote);
	tcase_add_test(tc, test_folder_role);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(maildir_name_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * test_config_pin.c - pinning a certificate in the config file: the exact
 * bytes before and after, refusals, the file's mode, and the parse of a
 * verification error.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config_pin.h"
#include "util/xmalloc.h"

#define FP	"sha256:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:" \
		"AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"

struct pin_case {
	const char	*name;
	const char	*before;
	const char	*account;
	const char	*after;		/* NULL: refused */
};

static const struct pin_case cases[] = {
	{ "first section",
	  "[account work]\nhost = a\n\n[account home]\nhost = b\n", "work",
	  "[account work]\ntls_fingerprint = " FP "\nhost = a\n\n"
	  "[account home]\nhost = b\n" },
	{ "second section, comments and CRLF kept",
	  "# mine\r\n[general]\r\ndefault = x\r\n[account work]\r\n"
	  "host = a ; note\r\n[account home]\r\n  ; indented\r\nhost = b",
	  "home",
	  "# mine\r\n[general]\r\ndefault = x\r\n[account work]\r\n"
	  "host = a ; note\r\n[account home]\r\ntls_fingerprint = " FP "\n"
	  "  ; indented\r\nhost = b" },
	{ "header with spaces, last line without newline",
	  "[general]\n  [account   work ]", "work",
	  "[general]\n  [account   work ]\ntls_fingerprint = " FP "\n" },
	{ "name is matched exactly",
	  "[account work2]\n[account work]\nhost = a\n", "work",
	  "[account work2]\n[account work]\ntls_fingerprint = " FP "\n"
	  "host = a\n" },
	{ "no such account", "[account work]\nhost = a\n", "home", NULL },
	{ "a prefix is not the account", "[account workplace]\n", "work",
	  NULL },
	{ "already pinned",
	  "[account work]\nhost = a\n  tls_fingerprint=sha256:00\n", "work",
	  NULL },
	{ "already pinned with ':'",
	  "[account work]\ntls_fingerprint: sha256:00\n", "work", NULL },
	{ "another account's pin does not count",
	  "[account home]\ntls_fingerprint = sha256:00\n[account work]\n",
	  "work",
	  "[account home]\ntls_fingerprint = sha256:00\n[account work]\n"
	  "tls_fingerprint = " FP "\n" },
	{ "a commented pin is no pin",
	  "[account work]\n# tls_fingerprint = sha256:00\n", "work",
	  "[account work]\ntls_fingerprint = " FP "\n"
	  "# tls_fingerprint = sha256:00\n" },
};

START_TEST(test_insert_table)
{
	const struct pin_case	*c = &cases[_i];
	struct error		 err;
	char			*out;
	size_t			 len = 0;

	out = config_pin_insert(c->before, strlen(c->before), c->account, FP,
	    &len, &err);
	if (c->after == NULL) {
		ck_assert_msg(out == NULL, "%s: not refused", c->name);
		ck_assert_int_eq(err.code, ERR_CONFIG);
		return;
	}
	ck_assert_msg(out != NULL, "%s: %s", c->name, err.msg);
	ck_assert_uint_eq(len, strlen(c->after));
	ck_assert_msg(memcmp(out, c->after, len) == 0, "%s: got\n%s", c->name,
	    out);
	free(out);
}
END_TEST

START_TEST(test_insert_bad_fingerprint)
{
	static const char	*bad[] = { "sha1:AB", "sha256:AB",
	    "sha256:" "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdeg",
	    FP "\n[account evil]", "sha256:" "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef00" };
	struct error		 err;
	size_t			 i, len;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_ptr_null(config_pin_insert("[account a]\n", 12, "a",
		    bad[i], &len, &err));
}
END_TEST

/* Write s to a new file in a temporary directory; return its path. */
static char *
write_file(const char *dir, const char *s, mode_t mode)
{
	char	*path = xasprintf("%s/config", dir);
	FILE	*f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(s, f);
	fclose(f);
	ck_assert_int_eq(chmod(path, mode), 0);
	return path;
}

/* The whole file. */
static char *
read_file(const char *path)
{
	FILE	*f = fopen(path, "r");
	char	*s = xcalloc(1, 65536);
	size_t	 n;

	ck_assert_ptr_nonnull(f);
	n = fread(s, 1, 65535, f);
	s[n] = '\0';
	fclose(f);
	return s;
}

START_TEST(test_write_file)
{
	char		 dir[] = "/tmp/test_config_pin.XXXXXX";
	const char	*before = "; petrel\n[account work]\nhost = a\n";
	char		*path, *link, *got, *want;
	struct stat	 st;
	struct error	 err;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = write_file(dir, before, 0640);
	/* Through a symlink: the file changes, the link stays a link. */
	link = xasprintf("%s/link", dir);
	ck_assert_int_eq(symlink(path, link), 0);
	ck_assert_int_eq(config_pin_write(link, "work", FP, &err), 0);
	got = read_file(path);
	want = xasprintf("; petrel\n[account work]\ntls_fingerprint = %s\n"
	    "host = a\n", FP);
	ck_assert_str_eq(got, want);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0640);
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	/* Twice: refused, file unchanged. */
	ck_assert_int_eq(config_pin_write(path, "work", FP, &err), -1);
	free(got);
	got = read_file(path);
	ck_assert_str_eq(got, want);
	/* Missing file. */
	ck_assert_int_eq(unlink(link), 0);
	ck_assert_int_eq(config_pin_write(link, "work", FP, &err), -1);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);	/* no temporary file left */
	free(got);
	free(want);
	free(link);
	free(path);
}
END_TEST

START_TEST(test_parse_error)
{
	char	*fp, *reason;

	ck_assert_int_eq(config_pin_parse_error("127.0.0.1:993: certificate "
	    "verification failed: self-signed certificate (server "
	    "certificate " FP ")", &fp, &reason), 0);
	ck_assert_str_eq(fp, FP);
	ck_assert_str_eq(reason, "self-signed certificate");
	free(fp);
	free(reason);
	ck_assert_int_eq(config_pin_parse_error("h: certificate verification "
	    "failed: x (server certificate not received)", &fp, &reason), -1);
	ck_assert_ptr_null(fp);
	ck_assert_int_eq(config_pin_parse_error("h: TLS handshake: closed",
	    &fp, &reason), -1);
	ck_assert_int_eq(config_pin_parse_error("h: certificate verification "
	    "failed: x (server certificate " FP ") trailing", &fp, &reason),
	    -1);
}
END_TEST

static Suite *
config_pin_suite(void)
{
	Suite	*s = suite_create("config_pin");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_insert_table, 0,
	    sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, test_insert_bad_fingerprint);
	tcase_add_test(tc, test_write_file);
	tcase_add_test(tc, test_parse_error);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(config_pin_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

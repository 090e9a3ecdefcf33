/*
 * test_imap_secret.c - no copy of the password is left in freed memory.
 *
 * Linked with -Wl,--wrap=realloc,--wrap=free: every block the program's
 * own code (libutil's buffers included) hands back is searched for the
 * password and for the base64 of AUTHENTICATE PLAIN before it goes.  A
 * buffer that grew while holding the secret would leave the old block
 * unwiped; so would one freed without buf_fini_secret.
 */
#include <check.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/imap_conn.h"
#include "test_imap_mock.h"
#include "util/xmalloc.h"

void	*__real_realloc(void *, size_t);
void	 __real_free(void *);
void	*__wrap_realloc(void *, size_t);
void	 __wrap_free(void *);

/* A long password makes every buffer that holds it grow, if it can. */
#define PASS	"correct-horse-battery-staple-0123456789-abcdefghijklmnop" \
		"qrstuvwxyz-ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789-tail!"
/* The first 24 base64 characters of "\0user\0" PASS. */
#define PASS64	"AHVzZXIAY29ycmVjdC1ob3Jz"

static const char *watch[2];
static int	   leaks;

/* Whether a block about to be released holds a watched secret. */
static void
check_block(void *p)
{
	size_t	 n;

	if (p == NULL || watch[0] == NULL)
		return;
	n = malloc_usable_size(p);
	for (size_t i = 0; i < 2; i++) {
		if (memmem(p, n, watch[i], strlen(watch[i])) != NULL)
			leaks++;
	}
}

/* realloc: the old block may be released with its contents. */
void *
__wrap_realloc(void *p, size_t n)
{
	check_block(p);
	return __real_realloc(p, n);
}

/* free: the block must not hold the secret any more. */
void
__wrap_free(void *p)
{
	check_block(p);
	__real_free(p);
}

/* Connect and log in with the long password; the result code. */
static int
login(const char *const *script, struct error *err)
{
	struct config_account	 cfg;
	struct imap_conn	*c = NULL;
	int			 rc;

	memset(&cfg, 0, sizeof cfg);
	cfg.name = (char *)"test";
	cfg.host = (char *)"mock.example";
	cfg.port = (char *)"143";
	cfg.user = (char *)"user";
	cfg.security = CONFIG_SEC_NONE;
	cfg.allow_plaintext_auth = true;
	cfg.timeout_ms = 1000;
	mock_start(script, 0);
	/* The mock's own record of what was sent never needs to grow. */
	buf_reserve(&mock.sent, 64 * 1024);
	watch[0] = "horse-battery";
	watch[1] = PASS64;
	leaks = 0;
	rc = imap_conn_connect(&cfg, -1, &c, err);
	if (rc == 0)
		rc = imap_conn_login(c, "user", PASS, err);
	watch[0] = watch[1] = NULL;
	imap_conn_free(c);
	return rc;
}

START_TEST(test_plain_sasl_ir)
{
	static const char *const s[] = {
		"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n",
		"a1 OK [CAPABILITY IMAP4rev1] in\r\n",
		NULL
	};
	struct error	 err;

	ck_assert_msg(login(s, &err) == 0, "%s", err.msg);
	ck_assert_ptr_nonnull(strstr(buf_str(&mock.sent), PASS64));
	ck_assert_int_eq(leaks, 0);
}
END_TEST

START_TEST(test_plain_continuation)
{
	static const char *const s[] = {
		"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n",
		"+ \r\n",
		"a1 OK [CAPABILITY IMAP4rev1] in\r\n",
		NULL
	};
	struct error	 err;

	ck_assert_msg(login(s, &err) == 0, "%s", err.msg);
	ck_assert_ptr_nonnull(strstr(buf_str(&mock.sent), PASS64));
	ck_assert_int_eq(leaks, 0);
}
END_TEST

START_TEST(test_login_quoted)
{
	static const char *const s[] = {
		"* OK [CAPABILITY IMAP4rev1] hi\r\n",
		"a1 OK [CAPABILITY IMAP4rev1] in\r\n",
		NULL
	};
	struct error	 err;

	ck_assert_msg(login(s, &err) == 0, "%s", err.msg);
	ck_assert_ptr_nonnull(strstr(buf_str(&mock.sent), "\"" PASS "\""));
	ck_assert_int_eq(leaks, 0);
}
END_TEST

/* The suite. */
static Suite *
imap_secret_suite(void)
{
	Suite	*s = suite_create("imap_secret");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_plain_sasl_ir);
	tcase_add_test(tc, test_plain_continuation);
	tcase_add_test(tc, test_login_quoted);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(imap_secret_suite());
	int	 failed;

	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

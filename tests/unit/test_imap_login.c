/*
 * test_imap_login.c - logging in and connecting, against a scripted
 * server: each SASL mechanism's exchange, auth order, the LOGIN fallback
 * rules, the plain-text refusal, hostile STARTTLS servers, and
 * security = auto with its greeting timeout.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/imap_conn.h"
#include "net/imap_login.h"
#include "test_imap_mock.h"
#include "util/xmalloc.h"

static struct config_account cfg;

/* An account "user"/"pass" with the given security. */
static void
cfg_reset(enum config_security sec)
{
	memset(&cfg, 0, sizeof cfg);
	cfg.name = (char *)"test";
	cfg.driver = (char *)"imap";
	cfg.host = (char *)"mock.example";
	cfg.user = (char *)"user";
	cfg.password = (char *)"pass";
	cfg.security = sec;
	cfg.timeout_ms = 2000;
	cfg.connect_timeout_ms = 2000;
	cfg.greeting_timeout_ms = 2000;
}

/* Connect and log in; the connection (NULL if connecting failed). */
static struct imap_conn *
run(const char *const *script, struct error *err, int *rc)
{
	struct imap_conn	*c = NULL;

	mock_start(script, 0);
	error_clear(err);
	*rc = imap_conn_connect(&cfg, -1, &c, err);
	if (*rc == 0)
		*rc = imap_conn_login(c, cfg.user, cfg.password, err);
	return c;
}

/* Assert the client sent exactly want. */
static void
sent_is(const char *want)
{
	ck_assert_str_eq(buf_str(&mock.sent), want);
}

#define TLSGREET(caps)	MOCK_TLS, "* OK [CAPABILITY IMAP4rev1 " caps "] hi\r\n"

START_TEST(test_cram_md5_plaintext_ok)
{
	/* No TLS, no allow_plaintext_auth: CRAM-MD5 does not reveal it. */
	static const char *const script[] = {
		"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=CRAM-MD5] hi\r\n",
		"+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n",
		"a1 OK [CAPABILITY IMAP4rev1] in\r\n",
		NULL
	};
	struct imap_conn	*c;
	struct error		 err;
	int			 rc;

	cfg_reset(CONFIG_SEC_NONE);
	cfg.user = (char *)"tim";
	cfg.password = (char *)"tanstaaftanstaaf";
	c = run(script, &err, &rc);
	ck_assert_msg(rc == 0, "%s", err.msg);
	sent_is("a1 AUTHENTICATE CRAM-MD5\r\n"
	    "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw\r\n");
	ck_assert(mock_done());
	imap_conn_free(c);
}
END_TEST

START_TEST(test_login_mech_and_order)
{
	static const char *const login[] = {
		TLSGREET("AUTH=PLAIN AUTH=LOGIN SASL-IR"),
		"+ VXNlcm5hbWU6\r\n", "+ UGFzc3dvcmQ6\r\n",
		"a1 OK [CAPABILITY IMAP4rev1] in\r\n", NULL
	};
	static const char *const order[] = {
		TLSGREET("AUTH=PLAIN AUTH=CRAM-MD5 SASL-IR"),
		"a1 OK [CAPABILITY IMAP4rev1] in\r\n", NULL
	};
	struct imap_conn	*c;
	struct error		 err;
	int			 rc;

	cfg_reset(CONFIG_SEC_IMPLICIT);
	cfg.auth = (char *)"login";
	c = run(login, &err, &rc);
	ck_assert_msg(rc == 0, "%s", err.msg);
	sent_is("a1 AUTHENTICATE LOGIN\r\ndXNlcg==\r\ncGFzcw==\r\n");
	imap_conn_free(c);

	/* auth = plain, cram-md5: PLAIN first although CRAM is stronger. */
	cfg_reset(CONFIG_SEC_IMPLICIT);
	cfg.auth = (char *)"plain,cram-md5";
	c = run(order, &err, &rc);
	ck_assert_msg(rc == 0, "%s", err.msg);
	sent_is("a1 AUTHENTICATE PLAIN AHVzZXIAcGFzcw==\r\n");
	imap_conn_free(c);
}
END_TEST

START_TEST(test_default_strongest)
{
	/* SCRAM-SHA-256 offered: chosen; the server answers OK at once,
	   without proving it knows the password: refused. */
	static const char *const script[] = {
		TLSGREET("AUTH=PLAIN AUTH=CRAM-MD5 AUTH=SCRAM-SHA-256 SASL-IR"),
		"a1 OK [CAPABILITY IMAP4rev1] in\r\n", NULL
	};
	struct imap_conn	*c;
	struct error		 err;
	int			 rc;

	cfg_reset(CONFIG_SEC_IMPLICIT);
	c = run(script, &err, &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(err.code, ERR_AUTH);
	ck_assert_ptr_nonnull(strstr(err.msg, "without proving"));
	ck_assert_int_eq(strncmp(buf_str(&mock.sent),
	    "a1 AUTHENTICATE SCRAM-SHA-256 biws", 34), 0);
	imap_conn_free(c);
}
END_TEST

START_TEST(test_scram_cancel)
{
	/* A server-first message that is not SCRAM: cancelled with "*". */
	static const char *const script[] = {
		TLSGREET("AUTH=SCRAM-SHA-1"),
		"+ \r\n", "+ Z2FyYmFnZQ==\r\n", "a1 BAD cancelled\r\n", NULL
	};
	struct imap_conn	*c;
	struct error		 err;
	int			 rc;
	const char		*s;

	cfg_reset(CONFIG_SEC_IMPLICIT);
	c = run(script, &err, &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "SCRAM-SHA-1"));
	s = buf_str(&mock.sent);
	ck_assert_int_eq(strncmp(s, "a1 AUTHENTICATE SCRAM-SHA-1\r\nbiws", 33),
	    0);
	ck_assert_str_eq(s + strlen(s) - 3, "*\r\n");
	ck_assert(mock_done());
	ck_assert(!imap_conn_broken(c));	/* the exchange ended cleanly */
	imap_conn_free(c);
}
END_TEST

START_TEST(test_plaintext_refused)
{
	static const char *const plain[] = {
		"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n", NULL
	};
	static const char *const login[] = {
		"* OK [CAPABILITY IMAP4rev1] hi\r\n", NULL
	};
	const char *const	*scripts[] = { plain, login };
	struct imap_conn	*c;
	struct error		 err;
	int			 rc;

	for (size_t i = 0; i < 2; i++) {
		cfg_reset(CONFIG_SEC_NONE);
		c = run(scripts[i], &err, &rc);
		ck_assert_int_eq(rc, -1);
		ck_assert_int_eq(err.code, ERR_AUTH);
		ck_assert_str_eq(err.msg, "mock.example: refusing to send a "
		    "password in plain text; set allow_plaintext_auth = yes");
		sent_is("");		/* the password never left */
		imap_conn_free(c);
	}
}
END_TEST

START_TEST(test_login_fallback)
{
	static const char *const tls[] = {
		TLSGREET(""), "a1 OK [CAPABILITY IMAP4rev1] in\r\n", NULL
	};
	static const char *const allowed[] = {
		"* OK [CAPABILITY IMAP4rev1] hi\r\n",
		"a1 OK [CAPABILITY IMAP4rev1] in\r\n", NULL
	};
	struct imap_conn	*c;
	struct error		 err;
	int			 rc;

	cfg_reset(CONFIG_SEC_IMPLICIT);		/* no SASL, encrypted */
	c = run(tls, &err, &rc);
	ck_assert_msg(rc == 0, "%s", err.msg);
	sent_is("a1 LOGIN \"user\" \"pass\"\r\n");
	imap_conn_free(c);

	cfg_reset(CONFIG_SEC_NONE);
	cfg.allow_plaintext_auth = true;
	c = run(allowed, &err, &rc);
	ck_assert_msg(rc == 0, "%s", err.msg);
	sent_is("a1 LOGIN \"user\" \"pass\"\r\n");
	imap_conn_free(c);

	/* auth = ... set: no LOGIN command behind its back. */
	cfg_reset(CONFIG_SEC_IMPLICIT);
	cfg.auth = (char *)"cram-md5";
	c = run(tls, &err, &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(err.code, ERR_AUTH);
	ck_assert_ptr_nonnull(strstr(err.msg, "none of the mechanisms"));
	sent_is("");
	imap_conn_free(c);
}
END_TEST

START_TEST(test_wrong_password_once)
{
	static const char *const script[] = {
		TLSGREET("AUTH=PLAIN AUTH=LOGIN SASL-IR"),
		"a1 NO [AUTHENTICATIONFAILED] bad \033[31mred\r\n", NULL
	};
	struct imap_conn	*c;
	struct error		 err;
	int			 rc;

	cfg_reset(CONFIG_SEC_IMPLICIT);
	c = run(script, &err, &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(err.code, ERR_AUTH);
	ck_assert_ptr_null(strchr(err.msg, '\033'));	/* sanitised */
	ck_assert_int_eq(strncmp(err.msg, "authentication failed (server "
	    "said: bad ", 36), 0);
	sent_is("a1 AUTHENTICATE PLAIN AHVzZXIAcGFzcw==\r\n");	/* once */
	ck_assert(mock_done());
	imap_conn_free(c);
}
END_TEST

START_TEST(test_starttls_hostile)
{
	static const char *const inject[] = {
		"* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n",
		"a1 OK Begin TLS\r\na2 OK\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n",
		MOCK_TLS, NULL
	};
	static const char *const preauth[] = {
		"* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n", NULL
	};
	static const char *const refused[] = {
		"* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n",
		"a1 NO \033]0;evil\007no TLS today\r\n", NULL
	};
	static const char *const nocap[] = {
		"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n", NULL
	};
	static const char *const bad[] = {
		"* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n",
		"+ go ahead\r\n", NULL
	};
	const char *const	*scripts[] = { inject, preauth, refused, nocap,
	    bad };
	const char		*want[] = { "STARTTLS injection", "PREAUTH",
	    "refused STARTTLS", "does not offer STARTTLS",
	    "unexpected answer to STARTTLS" };
	struct imap_conn	*c;
	struct error		 err;
	int			 rc;

	for (size_t i = 0; i < 5; i++) {
		cfg_reset(CONFIG_SEC_STARTTLS);
		c = run(scripts[i], &err, &rc);
		ck_assert_int_eq(rc, -1);
		ck_assert_ptr_null(c);
		ck_assert_int_eq(err.code, ERR_TLS);
		ck_assert_msg(strstr(err.msg, want[i]) != NULL, "%s", err.msg);
		ck_assert_ptr_null(strchr(err.msg, '\033'));
		ck_assert_ptr_null(strchr(err.msg, '\007'));
		ck_assert(!mock.tls);
		ck_assert_ptr_null(strstr(buf_str(&mock.sent), "AUTH"));
		ck_assert_int_eq(mock.freed, 1);
	}
}
END_TEST

START_TEST(test_starttls_forgets)
{
	/* Pre-TLS: PLAIN and SASL-IR; over TLS only CRAM-MD5. */
	static const char *const script[] = {
		"* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN SASL-IR] hi\r\n",
		"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\na1 OK Begin TLS\r\n",
		MOCK_TLS,
		"* CAPABILITY IMAP4rev1 AUTH=CRAM-MD5\r\na2 OK\r\n",
		"+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n",
		"a3 OK [CAPABILITY IMAP4rev1] in\r\n", NULL
	};
	struct imap_conn	*c;
	struct error		 err;
	int			 rc;

	cfg_reset(CONFIG_SEC_STARTTLS);
	cfg.user = (char *)"tim";
	cfg.password = (char *)"tanstaaftanstaaf";
	c = run(script, &err, &rc);
	ck_assert_msg(rc == 0, "%s", err.msg);
	sent_is("a1 STARTTLS\r\na2 CAPABILITY\r\na3 AUTHENTICATE CRAM-MD5\r\n"
	    "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw\r\n");
	ck_assert_str_eq(imap_conn_mode(c), "STARTTLS");
	imap_conn_free(c);
}
END_TEST

START_TEST(test_auto_falls_back)
{
	/* Port 993 speaks plain text: implicit TLS fails, STARTTLS wins. */
	static const char *const script[] = {
		"* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n",
		"a1 OK Begin TLS\r\n", MOCK_TLS,
		"* CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR\r\na2 OK\r\n",
		"a3 OK [CAPABILITY IMAP4rev1] in\r\n", NULL
	};
	static const char *const tls[] = {
		TLSGREET("AUTH=PLAIN SASL-IR"),
		"a1 OK [CAPABILITY IMAP4rev1] in\r\n", NULL
	};
	struct imap_conn	*c;
	struct error		 err;
	int			 rc;

	cfg_reset(CONFIG_SEC_AUTO);
	c = run(script, &err, &rc);
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_str_eq(imap_conn_mode(c), "STARTTLS");
	sent_is("a1 STARTTLS\r\na2 CAPABILITY\r\n"
	    "a3 AUTHENTICATE PLAIN AHVzZXIAcGFzcw==\r\n");
	imap_conn_free(c);

	cfg_reset(CONFIG_SEC_AUTO);
	c = run(tls, &err, &rc);
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_str_eq(imap_conn_mode(c), "implicit TLS");
	imap_conn_free(c);
}
END_TEST

/*
 * Connect to a server that never speaks (greeting_timeout 200 ms, timeout
 * 5 s); returns how long the failure took, in milliseconds.
 */
static int64_t
connect_silent(const char *const *script, enum config_security sec,
    struct error *err, int *rc)
{
	struct imap_conn	*c = NULL;
	int64_t			 t0;

	cfg_reset(sec);
	cfg.greeting_timeout_ms = 200;
	cfg.timeout_ms = 5000;
	mock_start(script, 0);
	mock.sleep_ms = 5000;
	t0 = imap_conn_now();
	*rc = imap_conn_connect(&cfg, -1, &c, err);
	if (c != NULL)
		imap_conn_free(c);
	return imap_conn_now() - t0;
}

START_TEST(test_auto_silent_bounded)
{
	/* Accepts, never speaks: two attempts, each greeting_timeout. */
	static const char *const script[] = {
		MOCK_TLS, MOCK_SLEEP, NULL
	};
	struct error		 err;
	int64_t			 t0;
	int			 rc;

	t0 = connect_silent(script, CONFIG_SEC_AUTO, &err, &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(err.code, ERR_TIMEOUT);
	ck_assert_msg(t0 >= 350 && t0 < 700, "took %lld ms", (long long)t0);
	ck_assert_ptr_nonnull(strstr(err.msg, "security = auto"));
	ck_assert_ptr_nonnull(strstr(err.msg, "STARTTLS on port 143"));
}
END_TEST

START_TEST(test_greeting_timeout)
{
	/* Every mode: the greeting waits greeting_timeout, not timeout. */
	static const char *const script[] = { MOCK_SLEEP, NULL };
	struct error		 err;
	int64_t			 t0;
	int			 rc;

	t0 = connect_silent(script, CONFIG_SEC_STARTTLS, &err, &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(err.code, ERR_TIMEOUT);
	ck_assert_msg(t0 >= 150 && t0 < 450, "took %lld ms", (long long)t0);
	ck_assert_ptr_nonnull(strstr(err.msg, "greeting"));
}
END_TEST

static Suite *
login_suite(void)
{
	Suite	*s = suite_create("imap_login");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_cram_md5_plaintext_ok);
	tcase_add_test(tc, test_login_mech_and_order);
	tcase_add_test(tc, test_default_strongest);
	tcase_add_test(tc, test_scram_cancel);
	tcase_add_test(tc, test_plaintext_refused);
	tcase_add_test(tc, test_login_fallback);
	tcase_add_test(tc, test_wrong_password_once);
	tcase_add_test(tc, test_starttls_hostile);
	tcase_add_test(tc, test_starttls_forgets);
	tcase_add_test(tc, test_auto_falls_back);
	tcase_add_test(tc, test_auto_silent_bounded);
	tcase_add_test(tc, test_greeting_timeout);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(login_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * test_pop3_login.c - connecting and logging in to POP3, against a
 * scripted server: USER/PASS, APOP (RFC 1939's own example), each SASL
 * mechanism's exchange and the initial-response rule of RFC 5034, the
 * choice of mechanism, the plain-text refusal, wrong passwords and the
 * other refusals, STLS and its hostile variants, security = auto, the
 * greeting timeout, sanitised server text and a trace without secrets.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/pop3_conn.h"
#include "test_pop3_mock.h"
#include "util/log.h"
#include "util/xmalloc.h"

static struct config_account cfg;

/* An account "user"/"pass" with the given security. */
static void
cfg_reset(enum config_security sec)
{
	memset(&cfg, 0, sizeof cfg);
	cfg.name = (char *)"test";
	cfg.driver = (char *)"pop3";
	cfg.host = (char *)"mock.example";
	cfg.user = (char *)"user";
	cfg.password = (char *)"pass";
	cfg.security = sec;
	cfg.timeout_ms = 2000;
	cfg.connect_timeout_ms = 2000;
	cfg.greeting_timeout_ms = 2000;
	cfg.leave_days = -1;
}

/* Connect and log in: 0 or -1 (err); the connection is freed. */
static int
run(const char *const *script, struct error *err)
{
	struct pop3_conn	*c = NULL;
	int			 rc;

	mock_start(script, 0);
	error_clear(err);
	rc = pop3_conn_connect(&cfg, -1, &c, err);
	if (rc == 0)
		rc = pop3_conn_login(c, cfg.user, cfg.password, err);
	pop3_conn_free(c);
	return rc;
}

/* Assert the client sent exactly want and the script was all read. */
static void
sent_is(const char *want)
{
	ck_assert_str_eq(mock_sent(), want);
}

#define GREET		"+OK POP3 ready\r\n"
#define CAPA_USER	"+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nUSER\r\n.\r\n"
#define CAPA_AFTER	"+OK\r\nTOP\r\nUIDL\r\nPIPELINING\r\n.\r\n"

START_TEST(test_user_pass_tls)
{
	static const char *const script[] = {
		MOCK_TLS, GREET, CAPA_USER, "+OK\r\n", "+OK in\r\n",
		CAPA_AFTER, NULL
	};
	struct error	 err;

	cfg_reset(CONFIG_SEC_IMPLICIT);
	ck_assert_msg(run(script, &err) == 0, "%s", err.msg);
	sent_is("CAPA\r\nUSER user\r\nPASS pass\r\nCAPA\r\n");
	ck_assert(mock_done());
	ck_assert_str_eq(mock.port, "995");
}
END_TEST

START_TEST(test_plaintext_refused)
{
	static const char *const script[] = {
		GREET, "+OK\r\nUSER\r\nSASL PLAIN LOGIN\r\n.\r\n", NULL
	};
	struct error	 err;

	cfg_reset(CONFIG_SEC_NONE);
	ck_assert_int_eq(run(script, &err), -1);
	ck_assert_int_eq(err.code, ERR_AUTH);
	ck_assert_ptr_nonnull(strstr(err.msg, "plain text"));
	sent_is("CAPA\r\n");

	/* allow_plaintext_auth: PLAIN then. */
	static const char *const ok[] = {
		GREET, "+OK\r\nUSER\r\nSASL PLAIN LOGIN\r\n.\r\n", "+OK\r\n",
		CAPA_AFTER, NULL
	};
	cfg_reset(CONFIG_SEC_NONE);
	cfg.allow_plaintext_auth = true;
	ck_assert_msg(run(ok, &err) == 0, "%s", err.msg);
	sent_is("CAPA\r\nAUTH PLAIN AHVzZXIAcGFzcw==\r\nCAPA\r\n");
}
END_TEST

START_TEST(test_apop)
{
	/* RFC 1939 7's example; the server knows no CAPA. */
	static const char *const script[] = {
		"+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n",
		"-ERR unknown command\r\n",
		"+OK mrose's maildrop has 2 messages (320 octets)\r\n", NULL
	};
	struct error	 err;

	cfg_reset(CONFIG_SEC_NONE);
	cfg.user = (char *)"mrose";
	cfg.password = (char *)"tanstaaf";
	ck_assert_msg(run(script, &err) == 0, "%s", err.msg);
	sent_is("CAPA\r\nAPOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n");
	ck_assert(mock_done());
}
END_TEST

START_TEST(test_sasl_mechanisms)
{
	static const char *const cram[] = {
		GREET, "+OK\r\nSASL CRAM-MD5 PLAIN\r\n.\r\n",
		"+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n",
		"+OK\r\n", CAPA_AFTER, NULL
	};
	static const char *const login[] = {
		MOCK_TLS, GREET, "+OK\r\nSASL PLAIN LOGIN\r\n.\r\n",
		"+ VXNlcm5hbWU6\r\n", "+ UGFzc3dvcmQ6\r\n", "+OK\r\n",
		CAPA_AFTER, NULL
	};
	static const char *const order[] = {
		MOCK_TLS, GREET, "+OK\r\nSASL PLAIN CRAM-MD5\r\n.\r\n",
		"+OK\r\n", CAPA_AFTER, NULL
	};
	struct error	 err;

	/* CRAM-MD5 over plain text: it does not reveal the password. */
	cfg_reset(CONFIG_SEC_NONE);
	cfg.user = (char *)"tim";
	cfg.password = (char *)"tanstaaftanstaaf";
	ck_assert_msg(run(cram, &err) == 0, "%s", err.msg);
	sent_is("CAPA\r\nAUTH CRAM-MD5\r\n"
	    "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw\r\nCAPA\r\n");

	cfg_reset(CONFIG_SEC_IMPLICIT);
	cfg.auth = (char *)"login";
	ck_assert_msg(run(login, &err) == 0, "%s", err.msg);
	sent_is("CAPA\r\nAUTH LOGIN\r\ndXNlcg==\r\ncGFzcw==\r\nCAPA\r\n");

	/* auth = plain, cram-md5: PLAIN first although CRAM is stronger. */
	cfg_reset(CONFIG_SEC_IMPLICIT);
	cfg.auth = (char *)"plain,cram-md5";
	ck_assert_msg(run(order, &err) == 0, "%s", err.msg);
	sent_is("CAPA\r\nAUTH PLAIN AHVzZXIAcGFzcw==\r\nCAPA\r\n");
}
END_TEST

START_TEST(test_scram_unproven)
{
	/* SCRAM-SHA-256 is the default when offered; +OK without proof. */
	static const char *const script[] = {
		MOCK_TLS, GREET,
		"+OK\r\nSASL PLAIN CRAM-MD5 SCRAM-SHA-256\r\n.\r\n",
		"+OK\r\n", NULL
	};
	struct error	 err;

	cfg_reset(CONFIG_SEC_IMPLICIT);
	ck_assert_int_eq(run(script, &err), -1);
	ck_assert_int_eq(err.code, ERR_AUTH);
	ck_assert_ptr_nonnull(strstr(err.msg, "without proving"));
	ck_assert_int_eq(strncmp(mock_sent(),
	    "CAPA\r\nAUTH SCRAM-SHA-256 biws", 29), 0);
}
END_TEST

START_TEST(test_long_initial_response)
{
	/* Over 255 octets with it: AUTH alone, the response after "+ ". */
	static const char *const script[] = {
		MOCK_TLS, GREET, "+OK\r\nSASL PLAIN\r\n.\r\n", "+ \r\n",
		"+OK\r\n", CAPA_AFTER, NULL
	};
	char		 pass[301];
	struct error	 err;

	memset(pass, 'p', 300);
	pass[300] = '\0';
	cfg_reset(CONFIG_SEC_IMPLICIT);
	cfg.password = pass;
	ck_assert_msg(run(script, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(strncmp(mock_sent(), "CAPA\r\nAUTH PLAIN\r\nAHVzZXIA",
	    25), 0);
	ck_assert(mock_done());
}
END_TEST

START_TEST(test_wrong_password_once)
{
	static const char *const script[] = {
		MOCK_TLS, GREET, CAPA_USER, "+OK\r\n",
		"-ERR [AUTH] Authentication failed.\r\n", NULL
	};
	static const char *const sasl[] = {
		MOCK_TLS, GREET, "+OK\r\nSASL PLAIN\r\n.\r\n",
		"-ERR [AUTH] Authentication failed.\r\n", NULL
	};
	struct error	 err;

	cfg_reset(CONFIG_SEC_IMPLICIT);
	ck_assert_int_eq(run(script, &err), -1);
	ck_assert_int_eq(err.code, ERR_AUTH);
	ck_assert_str_eq(err.msg, "authentication failed (server said: "
	    "[AUTH] Authentication failed.)");
	sent_is("CAPA\r\nUSER user\r\nPASS pass\r\n");
	ck_assert(mock_done());

	cfg_reset(CONFIG_SEC_IMPLICIT);
	ck_assert_int_eq(run(sasl, &err), -1);
	ck_assert_int_eq(err.code, ERR_AUTH);
	sent_is("CAPA\r\nAUTH PLAIN AHVzZXIAcGFzcw==\r\n");
}
END_TEST

START_TEST(test_other_refusals)
{
	static const char *const inuse[] = {
		MOCK_TLS, GREET, CAPA_USER, "+OK\r\n",
		"-ERR [IN-USE] \x1b[31mmaildrop locked\r\n", NULL
	};
	static const char *const none[] = {
		MOCK_TLS, GREET, "+OK\r\nSASL PLAIN\r\n.\r\n", NULL
	};
	static const char *const nologin[] = {
		MOCK_TLS, GREET, "+OK\r\nTOP\r\n.\r\n", NULL
	};
	struct error	 err;

	cfg_reset(CONFIG_SEC_IMPLICIT);
	ck_assert_int_eq(run(inuse, &err), -1);
	ck_assert_int_eq(err.code, ERR_SERVER);
	ck_assert_ptr_nonnull(strstr(err.msg, "in use"));
	ck_assert_ptr_nonnull(strstr(err.msg, "maildrop locked"));
	ck_assert_ptr_null(strchr(err.msg, '\x1b'));

	cfg_reset(CONFIG_SEC_IMPLICIT);
	cfg.auth = (char *)"cram-md5";
	ck_assert_int_eq(run(none, &err), -1);
	ck_assert_int_eq(err.code, ERR_AUTH);
	ck_assert_ptr_nonnull(strstr(err.msg, "none of the mechanisms"));
	sent_is("CAPA\r\n");

	cfg_reset(CONFIG_SEC_IMPLICIT);
	ck_assert_int_eq(run(nologin, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "no login method"));
	sent_is("CAPA\r\n");
}
END_TEST

START_TEST(test_stls)
{
	/* The timestamp of the plain greeting is forgotten: no APOP. */
	static const char *const script[] = {
		"+OK ready <1.2@host>\r\n",
		"+OK\r\nSTLS\r\nUSER\r\nSASL CRAM-MD5\r\n.\r\n",
		"+OK Begin TLS\r\n", MOCK_TLS, CAPA_USER,
		"+OK\r\n", "+OK\r\n", CAPA_AFTER, NULL
	};
	struct error	 err;

	cfg_reset(CONFIG_SEC_STARTTLS);
	ck_assert_msg(run(script, &err) == 0, "%s", err.msg);
	sent_is("CAPA\r\nSTLS\r\nCAPA\r\nUSER user\r\nPASS pass\r\nCAPA\r\n");
	ck_assert(mock_done());
	ck_assert_str_eq(mock.port, "110");
}
END_TEST

START_TEST(test_stls_hostile)
{
	static const char *const absent[] = {
		GREET, CAPA_USER, NULL
	};
	static const char *const refused[] = {
		GREET, "+OK\r\nSTLS\r\n.\r\n", "-ERR \x1b]0;x\x07no TLS\r\n", NULL
	};
	static const char *const injected[] = {
		GREET, "+OK\r\nSTLS\r\n.\r\n",
		"+OK Begin TLS\r\n+OK injected\r\n", MOCK_TLS, NULL
	};
	static const char *const nocapa[] = {
		GREET, "-ERR what\r\n", NULL
	};
	struct error	 err;

	cfg_reset(CONFIG_SEC_STARTTLS);
	ck_assert_int_eq(run(absent, &err), -1);
	ck_assert_int_eq(err.code, ERR_TLS);
	ck_assert_ptr_nonnull(strstr(err.msg, "does not offer STLS"));
	sent_is("CAPA\r\n");

	ck_assert_int_eq(run(refused, &err), -1);
	ck_assert_int_eq(err.code, ERR_TLS);
	ck_assert_ptr_nonnull(strstr(err.msg, "refused STLS"));
	ck_assert_ptr_null(strchr(err.msg, '\x1b'));
	sent_is("CAPA\r\nSTLS\r\n");

	ck_assert_int_eq(run(injected, &err), -1);
	ck_assert_int_eq(err.code, ERR_TLS);
	ck_assert_ptr_nonnull(strstr(err.msg, "injection"));
	ck_assert(!mock.tls);

	ck_assert_int_eq(run(nocapa, &err), -1);
	ck_assert_int_eq(err.code, ERR_TLS);
	sent_is("CAPA\r\n");
}
END_TEST

START_TEST(test_greeting)
{
	static const char *const refused[] = {
		"-ERR [SYS/TEMP] too busy\r\n", NULL
	};
	static const char *const junk[] = {
		"* OK [CAPABILITY IMAP4rev1] an IMAP server\r\n", NULL
	};
	static const char *const silent[] = {
		MOCK_SLEEP, GREET, NULL
	};
	struct error	 err;

	cfg_reset(CONFIG_SEC_NONE);
	ck_assert_int_eq(run(refused, &err), -1);
	ck_assert_int_eq(err.code, ERR_SERVER);
	ck_assert_ptr_nonnull(strstr(err.msg, "refused the connection"));
	ck_assert_ptr_nonnull(strstr(err.msg, "too busy"));
	sent_is("");

	ck_assert_int_eq(run(junk, &err), -1);
	ck_assert_int_eq(err.code, ERR_PROTOCOL);
	ck_assert_int_eq(err.scope, ERR_SCOPE_ACCOUNT);

	cfg_reset(CONFIG_SEC_NONE);
	cfg.greeting_timeout_ms = 100;
	mock.sleep_ms = 0;
	ck_assert_int_eq(run(silent, &err), -1);
	ck_assert_int_eq(err.code, ERR_TIMEOUT);
}
END_TEST

START_TEST(test_auto)
{
	/* No TLS on 995 (the greeting comes in plain text): STLS on 110. */
	static const char *const script[] = {
		MOCK_CONNECT, GREET, "+OK\r\nSTLS\r\nUSER\r\n.\r\n",
		"+OK\r\n", MOCK_TLS, CAPA_USER, "+OK\r\n", "+OK\r\n",
		CAPA_AFTER, NULL
	};
	struct error	 err;

	cfg_reset(CONFIG_SEC_AUTO);
	ck_assert_msg(run(script, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(mock.connects, 2);
	ck_assert_str_eq(mock.port, "110");
	sent_is("CAPA\r\nSTLS\r\nCAPA\r\nUSER user\r\nPASS pass\r\nCAPA\r\n");
}
END_TEST

/* The whole of a file, as a string. */
static char *
slurp(const char *path)
{
	FILE		*f = fopen(path, "r");
	struct buf	 b;
	char		 chunk[4096];
	size_t		 n;

	ck_assert_ptr_nonnull(f);
	buf_init(&b, 0);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_take(&b);
}

START_TEST(test_trace_redacted)
{
	static const char *const user[] = {
		MOCK_TLS, GREET, CAPA_USER, "+OK\r\n", "+OK in\r\n",
		CAPA_AFTER, NULL
	};
	static const char *const plain[] = {
		MOCK_TLS, GREET, "+OK\r\nSASL PLAIN LOGIN\r\n.\r\n", "+OK\r\n",
		CAPA_AFTER, NULL
	};
	static const char *const login[] = {
		MOCK_TLS, GREET, "+OK\r\nSASL LOGIN\r\n.\r\n",
		"+ VXNlcm5hbWU6\r\n", "+ UGFzc3dvcmQ6\r\n", "+OK\r\n",
		CAPA_AFTER, NULL
	};
	static const char *const apop[] = {
		"+OK hi <1.2@h>\r\n", "-ERR\r\n", "+OK\r\n", NULL
	};
	char		 path[] = "/tmp/test_pop3_trace.XXXXXX";
	struct error	 err;
	char		*log;
	int		 fd;

	ck_assert_int_ne(fd = mkstemp(path), -1);
	close(fd);
	ck_assert_int_eq(log_open(path, LOG_TRACE, "pop3"), 0);
	cfg_reset(CONFIG_SEC_IMPLICIT);
	cfg.password = (char *)"s3cr3t-Pa55";
	ck_assert_msg(run(user, &err) == 0, "%s", err.msg);
	ck_assert_msg(run(plain, &err) == 0, "%s", err.msg);
	ck_assert_msg(run(login, &err) == 0, "%s", err.msg);
	cfg_reset(CONFIG_SEC_NONE);
	cfg.password = (char *)"s3cr3t-Pa55";
	ck_assert_msg(run(apop, &err) == 0, "%s", err.msg);
	log_close();
	log = slurp(path);
	unlink(path);
	ck_assert_ptr_nonnull(strstr(log, "PASS <redacted>"));
	ck_assert_ptr_nonnull(strstr(log, "AUTH PLAIN <redacted>"));
	ck_assert_ptr_nonnull(strstr(log, "APOP user <redacted>"));
	ck_assert_ptr_nonnull(strstr(log, "USER user"));
	ck_assert_ptr_null(strstr(log, "s3cr3t-Pa55"));
	/* base64 of the password (LOGIN), of user+password (PLAIN). */
	ck_assert_ptr_null(strstr(log, "czNjcjN0LVBhNTU"));
	ck_assert_ptr_null(strstr(log, "AHVzZXIAczNjcjN0"));
	free(log);
}
END_TEST

static Suite *
login_suite(void)
{
	Suite	*s = suite_create("pop3_login");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_user_pass_tls);
	tcase_add_test(tc, test_plaintext_refused);
	tcase_add_test(tc, test_apop);
	tcase_add_test(tc, test_sasl_mechanisms);
	tcase_add_test(tc, test_scram_unproven);
	tcase_add_test(tc, test_long_initial_response);
	tcase_add_test(tc, test_wrong_password_once);
	tcase_add_test(tc, test_other_refusals);
	tcase_add_test(tc, test_stls);
	tcase_add_test(tc, test_stls_hostile);
	tcase_add_test(tc, test_greeting);
	tcase_add_test(tc, test_auto);
	tcase_add_test(tc, test_trace_redacted);
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

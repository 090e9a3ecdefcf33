/*
 * test_smtp_session.c - transcripts of the session around the
 * transaction against the scripted server (test_smtp_server.c): the EHLO
 * name, the greeting (refused, silent, hostile), STARTTLS required but
 * not offered or refused or followed by injected bytes (nothing else
 * sent, no AUTH), AUTH (PLAIN inline, the 512-octet limit, LOGIN,
 * CRAM-MD5 without TLS, plain-text refusal, 535 with hostile text, a
 * mechanism the account names that the server lacks), hostile replies
 * (10 MB line, endless multi-line reply, inconsistent codes, bare LF),
 * cancellation through the wake fd, and the trace's redaction.
 */
#include <check.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net/smtp.h"
#include "test_smtp_server.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define GREETING	"220 mx.test ESMTP\r\n"
#define MSG		"Subject: t\n\nhello\n"
#define MSG_DATA	"Subject: t\r\n\r\nhello\r\n.\r\n"

static const char *const one[] = { "b@x.test" };
static const struct sasl_creds alice = { "alice", "secret", NULL, NULL,
    NULL, NULL };

/* What a run gives. */
struct run {
	struct srv		 sv;
	struct smtp_settings	 set;
	struct smtp_result	 res;
	struct error		 err;
	int			 rc;
	int64_t			 ms;		/* how long smtp_send took */
};

/* Milliseconds now. */
static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Default settings (r->set) for the server's port. */
static void
setup(struct run *r, const struct srv_step *script)
{
	memset(r, 0, sizeof *r);
	srv_start(&r->sv, script);
	r->set.ep.host = "127.0.0.1";
	r->set.ep.port = r->sv.port;
	r->set.ep.timeout_ms = r->set.ep.connect_timeout_ms = 5000;
	r->set.ep.wake_fd = -1;
	r->set.ep.tls.verify = true;
	r->set.helo_name = "client.example";
}

/* Send MSG to one recipient with r->set; then the server must be done. */
static void
go(struct run *r, bool server_ok)
{
	struct smtp_envelope	 env = { "a@x.test", one, 1, NULL, NULL,
	    NULL };
	int64_t			 t0 = now_ms();

	r->rc = smtp_send(&r->set, &env, MSG, strlen(MSG), &r->res, &r->err);
	r->ms = now_ms() - t0;
	srv_finish(&r->sv);
	if (server_ok)
		ck_assert_msg(r->sv.fail[0] == '\0', "server: %s (client: %s)",
		    r->sv.fail, r->rc == 0 ? "ok" : r->err.msg);
}

/* Free a run. */
static void
done(struct run *r)
{
	smtp_result_fini(&r->res);
	srv_free(&r->sv);
}

/* Fail unless the client sent exactly want. */
static void
sent_is(struct run *r, const char *want)
{
	ck_assert_msg(strcmp(buf_str(&r->sv.got), want) == 0,
	    "client sent:\n%s\nwanted:\n%s", buf_str(&r->sv.got), want);
}

/* Fail unless the error has code and contains what. */
static void
err_is(struct run *r, enum error_code code, const char *what)
{
	ck_assert_int_eq(r->rc, -1);
	ck_assert_msg(r->err.code == code && strstr(r->err.msg, what) != NULL,
	    "error %d \"%s\", wanted %d with \"%s\"", r->err.code, r->err.msg,
	    code, what);
}

START_TEST(test_ehlo_name)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, "550 no\r\n" }, { SRV_LINE, NULL },
		{ SRV_SEND, "221 Bye\r\n" }, { SRV_END, NULL }
	};
	char		 host[256], want[300];
	struct run	 r;

	setup(&r, script);
	r.set.helo_name = NULL;
	go(&r, true);
	/* The host's name if it is qualified, else our address literal. */
	if (gethostname(host, sizeof host) == 0 && strchr(host, '.') != NULL)
		snprintf(want, sizeof want, "EHLO %s\r\nQUIT\r\n", host);
	else
		snprintf(want, sizeof want, "EHLO [127.0.0.1]\r\nQUIT\r\n");
	sent_is(&r, want);
	done(&r);
	/* A configured name that would break the line is refused. */
	setup(&r, script);
	r.set.helo_name = "x\r\nMAIL FROM:<evil>";
	go(&r, false);
	err_is(&r, ERR_CONFIG, "helo name");
	done(&r);
}
END_TEST

START_TEST(test_greeting)
{
	static const struct srv_step refused[] = {
		{ SRV_SEND, "554-no\r\n554 \x1b]0;owned\x07go away\r\n" },
		{ SRV_END, NULL }
	};
	static const struct srv_step silent[] = {
		{ SRV_SLEEP, "1000" }, { SRV_END, NULL }
	};
	static const struct srv_step odd[] = {
		{ SRV_SEND, "250 hello?\r\n" }, { SRV_END, NULL }
	};
	struct run	 r;

	setup(&r, refused);
	go(&r, true);
	err_is(&r, ERR_SERVER, "refused the connection: 554 no / ");
	ck_assert_ptr_null(strchr(r.err.msg, '\x1b'));
	ck_assert_ptr_null(strchr(r.err.msg, '\x07'));
	sent_is(&r, "");
	done(&r);
	/* The greeting timeout bounds a silent server. */
	setup(&r, silent);
	r.set.greeting_timeout_ms = 300;
	go(&r, true);
	err_is(&r, ERR_TIMEOUT, "no greeting within 1 s");
	ck_assert_int_lt(r.ms, 2000);
	sent_is(&r, "");
	done(&r);
	setup(&r, odd);
	go(&r, true);
	err_is(&r, ERR_PROTOCOL, "unexpected greeting");
	done(&r);
}
END_TEST

/* STARTTLS required on a plain connection, with a password. */
static void
starttls(struct run *r)
{
	r->set.starttls = true;
	r->set.creds = &alice;
	r->set.allow_plaintext_auth = true;
}

START_TEST(test_starttls_required)
{
	static const struct srv_step not_offered[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, "250-mx.test\r\n250-AUTH PLAIN LOGIN\r\n"
		    "250 STARTTLSX\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "221 Bye\r\n" },
		{ SRV_END, NULL }
	};
	static const struct srv_step refused[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, "250-mx.test\r\n250-AUTH PLAIN\r\n250 STARTTLS\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "454 4.7.0 TLS not available\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "221 Bye\r\n" },
		{ SRV_END, NULL }
	};
	static const struct srv_step injected[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, "250-mx.test\r\n250 STARTTLS\r\n" },
		{ SRV_LINE, NULL },
		{ SRV_SEND, "220 go ahead\r\n250-mx.test\r\n250 AUTH PLAIN\r\n" },
		{ SRV_END, NULL }
	};
	struct run	 r;

	setup(&r, not_offered);
	starttls(&r);
	go(&r, true);
	err_is(&r, ERR_TLS, "does not offer STARTTLS");
	sent_is(&r, "EHLO client.example\r\nQUIT\r\n");
	done(&r);
	setup(&r, refused);
	starttls(&r);
	go(&r, true);
	err_is(&r, ERR_TLS, "refused STARTTLS, so nothing was sent: 454 4.7.0");
	sent_is(&r, "EHLO client.example\r\nSTARTTLS\r\nQUIT\r\n");
	done(&r);
	setup(&r, injected);
	starttls(&r);
	go(&r, true);
	err_is(&r, ERR_TLS, "STARTTLS injection");
	sent_is(&r, "EHLO client.example\r\nSTARTTLS\r\n");
	done(&r);
}
END_TEST

/* The rest of a transaction after AUTH, serial. */
#define AFTER_AUTH \
	{ SRV_LINE, NULL }, { SRV_SEND, "250 ok\r\n" }, \
	{ SRV_LINE, NULL }, { SRV_SEND, "250 ok\r\n" }, \
	{ SRV_LINE, NULL }, { SRV_SEND, "354 go\r\n" }, \
	{ SRV_DATA, NULL }, { SRV_SEND, "250 queued\r\n" }, \
	{ SRV_LINE, NULL }, { SRV_SEND, "221 Bye\r\n" }, \
	{ SRV_END, NULL }
#define AFTER_AUTH_SENT "MAIL FROM:<a@x.test>\r\nRCPT TO:<b@x.test>\r\n" \
	"DATA\r\n" MSG_DATA "QUIT\r\n"

START_TEST(test_auth_plain)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, "250-mx.test\r\n250 AUTH LOGIN PLAIN\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "235 2.7.0 ok\r\n" },
		AFTER_AUTH
	};
	static const struct srv_step plaintext[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, "250-mx.test\r\n250 AUTH LOGIN PLAIN\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "221 Bye\r\n" },
		{ SRV_END, NULL }
	};
	struct run	 r;

	setup(&r, script);
	r.set.creds = &alice;
	r.set.auth = "plain";
	r.set.allow_plaintext_auth = true;
	go(&r, true);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	/* base64("\0alice\0secret") */
	sent_is(&r, "EHLO client.example\r\nAUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n"
	    AFTER_AUTH_SENT);
	done(&r);
	/* Without TLS and without allow_plaintext_auth: nothing sent. */
	setup(&r, plaintext);
	r.set.creds = &alice;
	go(&r, true);
	err_is(&r, ERR_AUTH, "refusing to send a password in plain text");
	sent_is(&r, "EHLO client.example\r\nQUIT\r\n");
	done(&r);
}
END_TEST

START_TEST(test_auth_long_initial_response)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, "250-mx.test\r\n250 AUTH PLAIN\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "334 \r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "235 ok\r\n" },
		AFTER_AUTH
	};
	struct sasl_creds	 cr = alice;
	char			 user[501];
	struct run		 r;
	const char		*got, *nl;

	memset(user, 'u', sizeof user - 1);
	user[sizeof user - 1] = '\0';
	cr.user = user;
	setup(&r, script);
	r.set.creds = &cr;
	r.set.allow_plaintext_auth = true;
	go(&r, true);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	got = buf_str(&r.sv.got);
	/* The initial response answers the empty challenge instead. */
	ck_assert_msg(strncmp(got, "EHLO client.example\r\nAUTH PLAIN\r\n",
	    33) == 0, "%s", got);
	nl = strchr(got + 33, '\n');
	ck_assert_ptr_nonnull(nl);
	ck_assert_int_gt(nl - (got + 33), 512);
	ck_assert_str_eq(nl + 1, AFTER_AUTH_SENT);
	done(&r);
}
END_TEST

START_TEST(test_auth_login_and_cram)
{
	static const struct srv_step login[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, "250-mx.test\r\n250 AUTH LOGIN\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "334 VXNlcm5hbWU6\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "334 UGFzc3dvcmQ6\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "235 ok\r\n" },
		AFTER_AUTH
	};
	static const struct srv_step cram[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, "250-mx.test\r\n250 AUTH PLAIN LOGIN CRAM-MD5\r\n" },
		{ SRV_LINE, NULL },
		{ SRV_SEND, "334 PDEyMzQ1QG14LnRlc3Q+\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "235 ok\r\n" },
		AFTER_AUTH
	};
	struct run	 r;

	setup(&r, login);
	r.set.creds = &alice;
	r.set.allow_plaintext_auth = true;
	go(&r, true);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	sent_is(&r, "EHLO client.example\r\nAUTH LOGIN\r\nYWxpY2U=\r\n"
	    "c2VjcmV0\r\n" AFTER_AUTH_SENT);
	done(&r);
	/* No TLS, no allow_plaintext_auth: CRAM-MD5 is still fine. */
	setup(&r, cram);
	r.set.creds = &alice;
	go(&r, true);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	/* HMAC-MD5("secret", "<12345@mx.test>") */
	ck_assert_msg(strncmp(buf_str(&r.sv.got), "EHLO client.example\r\n"
	    "AUTH CRAM-MD5\r\nYWxpY2Ug", 44) == 0, "%s", buf_str(&r.sv.got));
	done(&r);
}
END_TEST

START_TEST(test_auth_refused)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, "250-mx.test\r\n250 AUTH PLAIN\r\n" },
		{ SRV_LINE, NULL },
		{ SRV_SEND, "535 5.7.8 \x1b[2Jbad \x9b" "31mcredentials\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "221 Bye\r\n" },
		{ SRV_END, NULL }
	};
	static const struct srv_step no_mech[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, "250-mx.test\r\n250 AUTH PLAIN\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "221 Bye\r\n" },
		{ SRV_END, NULL }
	};
	static const struct srv_step no_auth[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, "250-mx.test\r\n250 8BITMIME\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "221 Bye\r\n" },
		{ SRV_END, NULL }
	};
	struct run	 r;

	setup(&r, script);
	r.set.creds = &alice;
	r.set.allow_plaintext_auth = true;
	go(&r, true);
	err_is(&r, ERR_AUTH, "authentication failed (server said: 535 5.7.8 ");
	ck_assert_ptr_nonnull(strstr(r.err.msg, "credentials"));
	ck_assert_ptr_null(strchr(r.err.msg, '\x1b'));
	ck_assert_ptr_null(strstr(r.err.msg, "secret"));
	ck_assert_int_eq(r.res.code, 221);
	sent_is(&r, "EHLO client.example\r\nAUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n"
	    "QUIT\r\n");
	done(&r);
	setup(&r, no_mech);
	r.set.creds = &alice;
	r.set.auth = "scram-sha-256";
	go(&r, true);
	err_is(&r, ERR_AUTH, "offers none of the mechanisms scram-sha-256");
	done(&r);
	setup(&r, no_auth);
	r.set.creds = &alice;
	go(&r, true);
	err_is(&r, ERR_AUTH, "does not offer AUTH");
	done(&r);
}
END_TEST

/* A hostile server's reply after EHLO: a clean error, bounded. */
static void
hostile(const struct srv_step *script, enum error_code code,
    const char *what)
{
	struct run	 r;

	setup(&r, script);
	go(&r, false);
	err_is(&r, code, what);
	ck_assert_int_lt(r.ms, 4000);
	done(&r);
}

START_TEST(test_hostile)
{
	static const struct srv_step long_line[] = {
		{ SRV_SEND, "220 " }, { SRV_FLOOD, "AAAAAAAAAAAAAAAA" },
		{ SRV_END, NULL }
	};
	static const struct srv_step endless[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_FLOOD, "250-AUTH PLAIN\r\n" }, { SRV_END, NULL }
	};
	static const struct srv_step mixed[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, "250-mx.test\r\n550 PIPELINING\r\n" },
		{ SRV_END, NULL }
	};
	static const struct srv_step bare_lf[] = {
		{ SRV_SEND, "220 mx.test\n" }, { SRV_END, NULL }
	};
	static const struct srv_step garbage[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, "\x1b[31m\xff\xfe garbage\r\n" }, { SRV_END, NULL }
	};
	static const struct srv_step drip[] = {
		{ SRV_SEND, "220-a\r\n" }, { SRV_SLEEP, "400" },
		{ SRV_SEND, "220-b\r\n" }, { SRV_SLEEP, "400" },
		{ SRV_SEND, "220-c\r\n" }, { SRV_SLEEP, "400" },
		{ SRV_SEND, "220-d\r\n" }, { SRV_SLEEP, "400" },
		{ SRV_SEND, "220 e\r\n" }, { SRV_END, NULL }
	};
	struct run	 r;

	hostile(long_line, ERR_TOOBIG, "longer than 20 KiB");
	hostile(endless, ERR_TOOBIG, "more than 100 lines");
	hostile(mixed, ERR_PROTOCOL, "different codes (250, then 550)");
	hostile(bare_lf, ERR_PROTOCOL, "bare LF");
	hostile(garbage, ERR_PROTOCOL, "not an SMTP reply");
	/* A reply that drips in must still come whole within the wait. */
	setup(&r, drip);
	r.set.greeting_timeout_ms = 1000;
	go(&r, false);
	err_is(&r, ERR_TIMEOUT, "no greeting");
	ck_assert_int_lt(r.ms, 1800);
	done(&r);
}
END_TEST

/* The wake fd's writer. */
static void *
waker(void *arg)
{
	int		*fd = arg;
	struct timespec	 ts = { 0, 300 * 1000000L };

	nanosleep(&ts, NULL);
	if (write(*fd, "x", 1) != 1)
		abort();
	return NULL;
}

START_TEST(test_cancel)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL }, { SRV_SLEEP, "1000" },
		{ SRV_END, NULL }
	};
	pthread_t	 tid;
	int		 p[2];
	struct run	 r;

	ck_assert_int_eq(pipe(p), 0);
	setup(&r, script);
	r.set.ep.wake_fd = p[0];
	r.set.ep.timeout_ms = 20000;
	pthread_create(&tid, NULL, waker, &p[1]);
	go(&r, false);
	pthread_join(tid, NULL);
	err_is(&r, ERR_CANCELLED, "interrupted");
	ck_assert_int_lt(r.ms, 2000);
	/* Cancelled: nothing more sent, not even QUIT. */
	sent_is(&r, "EHLO client.example\r\n");
	done(&r);
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(test_trace_redacted)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, "250-mx.test\r\n250 AUTH LOGIN PLAIN\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "334 UGFzc3dvcmQ6\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "235 ok\r\n" },
		AFTER_AUTH
	};
	char		 path[] = "/tmp/test_smtp_trace.XXXXXX";
	struct run	 r;
	struct buf	 log;
	char		 chunk[4096];
	FILE		*f;
	size_t		 n;
	int		 fd;

	ck_assert_int_ge(fd = mkstemp(path), 0);
	close(fd);
	ck_assert_int_eq(log_open(path, LOG_TRACE, "smtp"), 0);
	setup(&r, script);
	r.set.creds = &alice;
	r.set.auth = "login";
	r.set.allow_plaintext_auth = true;
	go(&r, true);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	log_close();
	buf_init(&log, 0);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&log, chunk, n);
	fclose(f);
	unlink(path);
	ck_assert_ptr_nonnull(strstr(buf_str(&log), "> AUTH LOGIN"));
	ck_assert_ptr_nonnull(strstr(buf_str(&log), "<redacted>"));
	ck_assert_ptr_nonnull(strstr(buf_str(&log), "bytes of message data"));
	ck_assert_ptr_null(strstr(buf_str(&log), "YWxpY2U="));
	ck_assert_ptr_null(strstr(buf_str(&log), "c2VjcmV0"));
	ck_assert_ptr_null(strstr(buf_str(&log), "secret"));
	ck_assert_ptr_null(strstr(buf_str(&log), "hello"));
	buf_fini(&log);
	done(&r);
}
END_TEST

static Suite *
session_suite(void)
{
	Suite	*s = suite_create("smtp_session");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ehlo_name);
	tcase_add_test(tc, test_greeting);
	tcase_add_test(tc, test_starttls_required);
	tcase_add_test(tc, test_auth_plain);
	tcase_add_test(tc, test_auth_long_initial_response);
	tcase_add_test(tc, test_auth_login_and_cram);
	tcase_add_test(tc, test_auth_refused);
	tcase_add_test(tc, test_hostile);
	tcase_add_test(tc, test_cancel);
	tcase_add_test(tc, test_trace_redacted);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(session_suite());
	int	 failed;

	signal(SIGPIPE, SIG_IGN);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

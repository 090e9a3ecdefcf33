/*
 * test_smtp_send.c - transcripts of the mail transaction against the
 * scripted server (test_smtp_server.c): the exact bytes smtp_send writes
 * with and without PIPELINING (a pipelining client must send MAIL, the
 * RCPTs and DATA before any reply, or the script times out), refused
 * senders and recipients (RSET, nothing of the message sent, the
 * addresses named; a 354 after a refusal closes the connection), SIZE,
 * 8BITMIME, SMTPUTF8, DSN, HELO fallback, 421, the final reply's long
 * wait, a connection cut in the middle of the data.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/smtp.h"
#include "test_smtp_server.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define GREETING	"220 mx.test ESMTP\r\n"
#define EHLO_ALL	"250-mx.test\r\n250-PIPELINING\r\n250-SIZE 1000000\r\n" \
	"250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250-DSN\r\n" \
	"250 SMTPUTF8\r\n"
#define EHLO_SERIAL	"250-mx.test\r\n250-SIZE\r\n250 8BITMIME\r\n"
#define MSG		"Subject: t\n\nhello\n.dot\n"
#define MSG_DATA	"Subject: t\r\n\r\nhello\r\n..dot\r\n.\r\n"

static const char *const two[] = { "b@x.test", "c@x.test" };

/* Settings for the scripted server on port. */
static void
settings(struct smtp_settings *set, const char *port)
{
	memset(set, 0, sizeof *set);
	set->ep.host = "127.0.0.1";
	set->ep.port = port;
	set->ep.timeout_ms = set->ep.connect_timeout_ms = 5000;
	set->ep.wake_fd = -1;
	set->ep.tls.verify = true;
	set->helo_name = "client.example";
}

/* What a run gives. */
struct run {
	struct srv		 sv;
	struct smtp_result	 res;
	struct error		 err;
	int			 rc;
};

/* Run smtp_send against script with env and msg; set may be NULL. */
static void
run(struct run *r, const struct srv_step *script,
    const struct smtp_envelope *env, const char *msg,
    void (*adjust)(struct smtp_settings *))
{
	struct smtp_settings	 set;

	srv_start(&r->sv, script);
	settings(&set, r->sv.port);
	if (adjust != NULL)
		adjust(&set);
	r->rc = smtp_send(&set, env, msg, strlen(msg), &r->res, &r->err);
	srv_finish(&r->sv);
	ck_assert_msg(r->sv.fail[0] == '\0', "server: %s (client: %s)",
	    r->sv.fail, r->rc == 0 ? "ok" : r->err.msg);
}

/* Free a run. */
static void
run_free(struct run *r)
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

START_TEST(test_pipelined)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, EHLO_ALL },
		/* all four before any reply: pipelined */
		{ SRV_LINE, NULL }, { SRV_LINE, NULL }, { SRV_LINE, NULL },
		{ SRV_LINE, NULL }, { SRV_QUIET, NULL },
		{ SRV_SEND, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n"
		    "250 2.1.5 Ok c\r\n354 go\r\n" },
		{ SRV_DATA, NULL }, { SRV_SEND, "250 2.0.0 Ok: queued\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "221 2.0.0 Bye\r\n" },
		{ SRV_END, NULL }
	};
	struct smtp_envelope	 env = { "a@x.test", two, 2, NULL, NULL,
	    NULL };
	struct run		 r;

	run(&r, script, &env, MSG, NULL);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	sent_is(&r, "EHLO client.example\r\n"
	    "MAIL FROM:<a@x.test> SIZE=27\r\nRCPT TO:<b@x.test>\r\n"
	    "RCPT TO:<c@x.test>\r\nDATA\r\n" MSG_DATA "QUIT\r\n");
	ck_assert(r.res.accepted);
	ck_assert_int_eq(r.res.eightbitmime, 1);
	ck_assert(r.res.data_started);
	ck_assert_int_eq(r.res.code, 250);
	ck_assert_str_eq(r.res.text, "2.0.0 Ok: queued");
	ck_assert_uint_eq(r.res.nrcpt, 2);
	ck_assert_str_eq(r.res.rcpt[0].addr, "b@x.test");
	ck_assert_int_eq(r.res.rcpt[0].code, 250);
	ck_assert_str_eq(r.res.rcpt[1].text, "2.1.5 Ok c");
	ck_assert(r.sv.saw_eof);
	run_free(&r);
}
END_TEST

START_TEST(test_serial)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, EHLO_SERIAL },
		{ SRV_LINE, NULL }, { SRV_SEND, "250 ok\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "250 ok\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "251 will forward\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "354 go\r\n" },
		{ SRV_DATA, NULL }, { SRV_SEND, "250 queued\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "221 Bye\r\n" },
		{ SRV_END, NULL }
	};
	struct smtp_envelope	 env = { "", two, 2, NULL, NULL, NULL };
	struct run		 r;

	run(&r, script, &env, MSG, NULL);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	/* SIZE without a number: SIZE= is still given. */
	sent_is(&r, "EHLO client.example\r\nMAIL FROM:<> SIZE=27\r\n"
	    "RCPT TO:<b@x.test>\r\nRCPT TO:<c@x.test>\r\nDATA\r\n" MSG_DATA
	    "QUIT\r\n");
	ck_assert_int_eq(r.res.rcpt[1].code, 251);
	run_free(&r);
}
END_TEST

START_TEST(test_serial_refused)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, EHLO_SERIAL },
		{ SRV_LINE, NULL }, { SRV_SEND, "250 ok\r\n" },
		{ SRV_LINE, NULL },
		{ SRV_SEND, "550 5.1.1 <b@x.test>: no \x1b[31msuch user\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "250 ok\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "250 reset\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "221 Bye\r\n" },
		{ SRV_END, NULL }
	};
	struct smtp_envelope	 env = { "a@x.test", two, 2, NULL, NULL,
	    NULL };
	struct run		 r;

	run(&r, script, &env, MSG, NULL);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_int_eq(r.err.code, ERR_SERVER);
	sent_is(&r, "EHLO client.example\r\nMAIL FROM:<a@x.test> SIZE=27\r\n"
	    "RCPT TO:<b@x.test>\r\nRCPT TO:<c@x.test>\r\nRSET\r\nQUIT\r\n");
	ck_assert_msg(strstr(r.err.msg, "refused 1 of 2 recipients") != NULL &&
	    strstr(r.err.msg, "<b@x.test> (550 5.1.1") != NULL &&
	    strstr(r.err.msg, "c@x.test") == NULL, "%s", r.err.msg);
	ck_assert_ptr_null(strchr(r.err.msg, '\x1b'));
	ck_assert_ptr_null(strchr(r.res.rcpt[0].text, '\x1b'));
	ck_assert_int_eq(r.res.rcpt[0].code, 550);
	ck_assert_int_eq(r.res.rcpt[1].code, 250);
	ck_assert(!r.res.accepted);
	ck_assert(!r.res.data_started);
	run_free(&r);
}
END_TEST

START_TEST(test_pipelined_refused_554)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, EHLO_ALL },
		{ SRV_LINE, NULL }, { SRV_LINE, NULL }, { SRV_LINE, NULL },
		{ SRV_LINE, NULL },
		{ SRV_SEND, "250 ok\r\n550 5.1.1 no b\r\n550 5.1.1 no c\r\n"
		    "554 5.5.1 Error: no valid recipients\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "250 reset\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "221 Bye\r\n" },
		{ SRV_END, NULL }
	};
	struct smtp_envelope	 env = { "a@x.test", two, 2, NULL, NULL,
	    NULL };
	struct run		 r;

	run(&r, script, &env, MSG, NULL);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_int_eq(r.err.code, ERR_SERVER);
	sent_is(&r, "EHLO client.example\r\nMAIL FROM:<a@x.test> SIZE=27\r\n"
	    "RCPT TO:<b@x.test>\r\nRCPT TO:<c@x.test>\r\nDATA\r\n"
	    "RSET\r\nQUIT\r\n");
	ck_assert_msg(strstr(r.err.msg, "refused 2 of 2") != NULL &&
	    strstr(r.err.msg, "<b@x.test> (550 5.1.1 no b), <c@x.test> "
	    "(550 5.1.1 no c)") != NULL, "%s", r.err.msg);
	run_free(&r);
}
END_TEST

START_TEST(test_pipelined_refused_354)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, EHLO_ALL },
		{ SRV_LINE, NULL }, { SRV_LINE, NULL }, { SRV_LINE, NULL },
		{ SRV_LINE, NULL },
		{ SRV_SEND, "250 ok\r\n250 ok\r\n554 5.7.1 refused\r\n"
		    "354 go ahead\r\n" },
		{ SRV_END, NULL }
	};
	struct smtp_envelope	 env = { "a@x.test", two, 2, NULL, NULL,
	    NULL };
	struct run		 r;

	run(&r, script, &env, MSG, NULL);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_int_eq(r.err.code, ERR_SERVER);
	/* In data mode: not one more byte, the connection closed. */
	sent_is(&r, "EHLO client.example\r\nMAIL FROM:<a@x.test> SIZE=27\r\n"
	    "RCPT TO:<b@x.test>\r\nRCPT TO:<c@x.test>\r\nDATA\r\n");
	ck_assert(r.sv.saw_eof);
	ck_assert_msg(strstr(r.err.msg, "<c@x.test> (554 5.7.1 refused)") !=
	    NULL, "%s", r.err.msg);
	ck_assert(!r.res.data_started);
	run_free(&r);
}
END_TEST

START_TEST(test_sender_refused)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, EHLO_ALL },
		{ SRV_LINE, NULL }, { SRV_LINE, NULL }, { SRV_LINE, NULL },
		{ SRV_LINE, NULL },
		{ SRV_SEND, "553 5.7.1 not yours\r\n503 5.5.1 need MAIL\r\n"
		    "503 5.5.1 need MAIL\r\n554 5.5.1 no valid recipients\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "250 reset\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "221 Bye\r\n" },
		{ SRV_END, NULL }
	};
	struct smtp_envelope	 env = { "a@x.test", two, 2, NULL, NULL,
	    NULL };
	struct run		 r;

	run(&r, script, &env, MSG, NULL);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_int_eq(r.err.code, ERR_SERVER);
	ck_assert_msg(strstr(r.err.msg, "refused the sender <a@x.test>") !=
	    NULL && strstr(r.err.msg, "553 5.7.1 not yours") != NULL, "%s",
	    r.err.msg);
	run_free(&r);
}
END_TEST

START_TEST(test_size_refused)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, "250-mx.test\r\n250-PIPELINING\r\n250 SIZE 20\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "221 Bye\r\n" },
		{ SRV_END, NULL }
	};
	struct smtp_envelope	 env = { "a@x.test", two, 1, NULL, NULL,
	    NULL };
	struct run		 r;

	run(&r, script, &env, MSG, NULL);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_int_eq(r.err.code, ERR_TOOBIG);
	ck_assert_msg(strstr(r.err.msg, "27 bytes") != NULL &&
	    strstr(r.err.msg, "20") != NULL, "%s", r.err.msg);
	sent_is(&r, "EHLO client.example\r\nQUIT\r\n");
	run_free(&r);
}
END_TEST

/* A server that says EHLO and nothing else matters: expect QUIT. */
static const struct srv_step quit_after_ehlo_all[] = {
	{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
	{ SRV_SEND, "250-mx.test\r\n250 PIPELINING\r\n" },
	{ SRV_LINE, NULL }, { SRV_SEND, "221 Bye\r\n" },
	{ SRV_END, NULL }
};

START_TEST(test_unsupported)
{
	const char		*utf8[] = { "j\xc3\xb6rg@x.test" };
	struct smtp_envelope	 env = { "a@x.test", two, 1, NULL, NULL,
	    NULL };
	struct run		 r;

	/* 8-bit body without 8BITMIME. */
	run(&r, quit_after_ehlo_all, &env, "Subject: caf\xc3\xa9\n\nx\n",
	    NULL);
	ck_assert_int_eq(r.err.code, ERR_UNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(r.err.msg, "8BITMIME"));
	ck_assert_int_eq(r.res.eightbitmime, 0);	/* remembered */
	sent_is(&r, "EHLO client.example\r\nQUIT\r\n");
	run_free(&r);
	/* A non-ASCII address without SMTPUTF8. */
	env.rcpt = utf8;
	run(&r, quit_after_ehlo_all, &env, MSG, NULL);
	ck_assert_int_eq(r.err.code, ERR_UNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(r.err.msg, "SMTPUTF8"));
	run_free(&r);
	/* DSN without DSN. */
	env.rcpt = two;
	env.dsn_notify = "SUCCESS";
	run(&r, quit_after_ehlo_all, &env, MSG, NULL);
	ck_assert_int_eq(r.err.code, ERR_UNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(r.err.msg, "DSN"));
	sent_is(&r, "EHLO client.example\r\nQUIT\r\n");
	run_free(&r);
}
END_TEST

START_TEST(test_extensions_used)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, EHLO_ALL },
		{ SRV_LINE, NULL }, { SRV_LINE, NULL }, { SRV_LINE, NULL },
		{ SRV_SEND, "250 ok\r\n250 ok\r\n354 go\r\n" },
		{ SRV_DATA, NULL }, { SRV_SEND, "250 queued\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "221 Bye\r\n" },
		{ SRV_END, NULL }
	};
	const char		*utf8[] = { "j\xc3\xb6rg@b\xc3\xbcro.test" };
	struct smtp_envelope	 env = { "a@x.test", utf8, 1,
	    "success,failure", "hdrs", "id=1 x" };
	struct run		 r;

	run(&r, script, &env, "Subject: caf\xc3\xa9\n\nx\n", NULL);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	sent_is(&r, "EHLO client.example\r\n"
	    "MAIL FROM:<a@x.test> SIZE=21 BODY=8BITMIME SMTPUTF8 RET=HDRS "
	    "ENVID=id+3D1+20x\r\n"
	    "RCPT TO:<j\xc3\xb6rg@b\xc3\xbcro.test> NOTIFY=SUCCESS,FAILURE\r\n"
	    "DATA\r\nSubject: caf\xc3\xa9\r\n\r\nx\r\n.\r\nQUIT\r\n");
	run_free(&r);
}
END_TEST

START_TEST(test_helo_fallback)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, "502 5.5.2 EHLO? never heard of it\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "250 hello\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "250 ok\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "250 ok\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "354 go\r\n" },
		{ SRV_DATA, NULL }, { SRV_SEND, "250 queued\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "221 Bye\r\n" },
		{ SRV_END, NULL }
	};
	struct smtp_envelope	 env = { "a@x.test", two, 1, NULL, NULL,
	    NULL };
	struct run		 r;

	run(&r, script, &env, MSG, NULL);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	sent_is(&r, "EHLO client.example\r\nHELO client.example\r\n"
	    "MAIL FROM:<a@x.test>\r\nRCPT TO:<b@x.test>\r\nDATA\r\n" MSG_DATA
	    "QUIT\r\n");
	run_free(&r);
}
END_TEST

START_TEST(test_ehlo_refused)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, "550 go away\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "221 Bye\r\n" },
		{ SRV_END, NULL }
	};
	struct smtp_envelope	 env = { "a@x.test", two, 1, NULL, NULL,
	    NULL };
	struct run		 r;

	run(&r, script, &env, MSG, NULL);
	ck_assert_int_eq(r.err.code, ERR_SERVER);
	ck_assert_ptr_nonnull(strstr(r.err.msg, "550 go away"));
	ck_assert_int_eq(r.res.eightbitmime, -1);	/* nothing learnt */
	sent_is(&r, "EHLO client.example\r\nQUIT\r\n");
	run_free(&r);
}
END_TEST

START_TEST(test_421_midway)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, EHLO_SERIAL },
		{ SRV_LINE, NULL }, { SRV_SEND, "250 ok\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "421 4.3.2 shutting down\r\n" },
		{ SRV_END, NULL }
	};
	struct smtp_envelope	 env = { "a@x.test", two, 2, NULL, NULL,
	    NULL };
	struct run		 r;

	run(&r, script, &env, MSG, NULL);
	ck_assert_int_eq(r.err.code, ERR_SERVER);
	/* After 421 nothing more: no RSET, no QUIT. */
	sent_is(&r, "EHLO client.example\r\nMAIL FROM:<a@x.test> SIZE=27\r\n"
	    "RCPT TO:<b@x.test>\r\n");
	ck_assert_int_eq(r.res.rcpt[0].code, 421);
	ck_assert_int_eq(r.res.rcpt[1].code, 0);
	ck_assert_ptr_nonnull(strstr(r.err.msg, "closed the connection"));
	run_free(&r);
}
END_TEST

START_TEST(test_421_pipelined)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, EHLO_ALL },
		{ SRV_LINE, NULL }, { SRV_LINE, NULL }, { SRV_LINE, NULL },
		{ SRV_LINE, NULL },
		{ SRV_SEND, "250 ok\r\n421 4.3.2 shutting down\r\n" },
		{ SRV_CLOSE, NULL }
	};
	struct smtp_envelope	 env = { "a@x.test", two, 2, NULL, NULL,
	    NULL };
	struct run		 r;

	run(&r, script, &env, MSG, NULL);
	ck_assert_int_eq(r.err.code, ERR_SERVER);
	sent_is(&r, "EHLO client.example\r\nMAIL FROM:<a@x.test> SIZE=27\r\n"
	    "RCPT TO:<b@x.test>\r\nRCPT TO:<c@x.test>\r\nDATA\r\n");
	ck_assert_msg(strstr(r.err.msg, "<b@x.test> (421 4.3.2 shutting "
	    "down); then it closed the connection") != NULL, "%s", r.err.msg);
	ck_assert_int_eq(r.res.rcpt[1].code, 0);
	run_free(&r);
}
END_TEST

/* A timeout shorter than the final dot's wait. */
static void
short_timeout(struct smtp_settings *set)
{
	set->ep.timeout_ms = 300;
}

START_TEST(test_final_dot_waits_longer)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, EHLO_SERIAL },
		{ SRV_LINE, NULL }, { SRV_SEND, "250 ok\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "250 ok\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "354 go\r\n" },
		{ SRV_DATA, NULL }, { SRV_SLEEP, "1200" },
		{ SRV_SEND, "250 queued at last\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "221 Bye\r\n" },
		{ SRV_END, NULL }
	};
	static const struct srv_step slow_mail[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, EHLO_SERIAL },
		{ SRV_LINE, NULL }, { SRV_SLEEP, "1200" },
		{ SRV_SEND, "250 too late\r\n" },
		{ SRV_END, NULL }
	};
	struct smtp_envelope	 env = { "a@x.test", two, 1, NULL, NULL,
	    NULL };
	struct run		 r;

	run(&r, script, &env, MSG, short_timeout);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	ck_assert(r.res.accepted);
	run_free(&r);
	run(&r, slow_mail, &env, MSG, short_timeout);
	ck_assert_int_eq(r.err.code, ERR_TIMEOUT);
	ck_assert_ptr_nonnull(strstr(r.err.msg, "MAIL"));
	run_free(&r);
}
END_TEST

START_TEST(test_cut_in_data)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, EHLO_SERIAL },
		{ SRV_LINE, NULL }, { SRV_SEND, "250 ok\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "250 ok\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "354 go\r\n" },
		{ SRV_CLOSE, NULL }
	};
	static const struct srv_step no_final[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, EHLO_SERIAL },
		{ SRV_LINE, NULL }, { SRV_SEND, "250 ok\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "250 ok\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "354 go\r\n" },
		{ SRV_DATA, NULL }, { SRV_CLOSE, NULL }
	};
	struct smtp_envelope	 env = { "a@x.test", two, 1, NULL, NULL,
	    NULL };
	struct buf		 big;
	struct run		 r;

	/* 8 MB: far more than the socket buffers; the server is gone. */
	buf_init(&big, 0);
	while (big.len < 8 * 1024 * 1024)
		buf_adds(&big, "0123456789012345678901234567890123456789\n");
	run(&r, script, &env, buf_str(&big), NULL);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_int_eq(r.err.code, ERR_NET);
	ck_assert(r.res.data_started);
	ck_assert(!r.res.accepted);
	ck_assert_msg(strstr(r.err.msg, "was not delivered") != NULL, "%s",
	    r.err.msg);
	run_free(&r);
	buf_fini(&big);
	/* Everything sent, then no answer: it may have been delivered. */
	run(&r, no_final, &env, MSG, NULL);
	ck_assert_int_eq(r.err.code, ERR_NET);
	ck_assert(r.res.data_started);
	ck_assert_msg(strstr(r.err.msg, "may or may not") != NULL, "%s",
	    r.err.msg);
	run_free(&r);
}
END_TEST

START_TEST(test_final_refused)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, EHLO_SERIAL },
		{ SRV_LINE, NULL }, { SRV_SEND, "250 ok\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "250 ok\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "354 go\r\n" },
		{ SRV_DATA, NULL },
		{ SRV_SEND, "554 5.7.1 spam\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "221 Bye\r\n" },
		{ SRV_END, NULL }
	};
	struct smtp_envelope	 env = { "a@x.test", two, 1, NULL, NULL,
	    NULL };
	struct run		 r;

	run(&r, script, &env, MSG, NULL);
	ck_assert_int_eq(r.err.code, ERR_SERVER);
	ck_assert(r.res.data_started);
	ck_assert(!r.res.accepted);
	ck_assert_int_eq(r.res.code, 554);
	ck_assert_ptr_nonnull(strstr(r.err.msg, "refused the message: 554"));
	run_free(&r);
}
END_TEST

START_TEST(test_bad_envelope_sends_nothing)
{
	static const struct srv_step script[] = {
		{ SRV_END, NULL }
	};
	const char		*bad[] = { "b@x.test>\r\nRCPT TO:<c@x.test" };
	struct smtp_envelope	 env = { "a@x.test", bad, 1, NULL, NULL,
	    NULL };
	struct smtp_settings	 set;
	struct smtp_result	 res;
	struct error		 err;

	(void)script;
	settings(&set, "1");
	ck_assert_int_eq(smtp_send(&set, &env, MSG, strlen(MSG), &res, &err),
	    -1);
	ck_assert_int_eq(err.code, ERR_PARSE);
	ck_assert_uint_eq(res.nrcpt, 1);
	ck_assert_int_eq(res.rcpt[0].code, 0);
	smtp_result_fini(&res);
	smtp_result_fini(&res);		/* zeroed: fine twice */
}
END_TEST

START_TEST(test_quit_unanswered)
{
	static const struct srv_step script[] = {
		{ SRV_SEND, GREETING }, { SRV_LINE, NULL },
		{ SRV_SEND, EHLO_SERIAL },
		{ SRV_LINE, NULL }, { SRV_SEND, "250 ok\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "250 ok\r\n" },
		{ SRV_LINE, NULL }, { SRV_SEND, "354 go\r\n" },
		{ SRV_DATA, NULL }, { SRV_SEND, "250 queued\r\n" },
		{ SRV_LINE, NULL }, { SRV_CLOSE, NULL }
	};
	struct smtp_envelope	 env = { "a@x.test", two, 1, NULL, NULL,
	    NULL };
	struct run		 r;

	run(&r, script, &env, MSG, NULL);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	ck_assert(r.res.accepted);
	ck_assert_int_eq(r.res.code, 250);
	ck_assert_str_eq(r.res.text, "queued");
	run_free(&r);
}
END_TEST

/* Append n copies of step to the script at *k. */
static void
steps(struct srv_step *sc, size_t *k, enum srv_op op, const char *arg,
    size_t n)
{
	while (n-- > 0) {
		sc[*k].op = op;
		sc[(*k)++].arg = arg;
	}
}

START_TEST(test_pipeline_window)
{
	enum { NR = 120 };
	static char		*rcpt[NR];
	struct srv_step		 sc[2 * NR + 40];
	struct smtp_envelope	 env = { "a@x.test", NULL, NR, NULL, NULL,
	    NULL };
	struct buf		 want, ok50, ok20;
	size_t			 k = 0, i;
	struct run		 r;

	buf_init(&want, 0);
	buf_init(&ok50, 0);
	buf_init(&ok20, 0);
	buf_adds(&want, "EHLO client.example\r\nMAIL FROM:<a@x.test> SIZE=27\r\n");
	for (i = 0; i < NR; i++) {
		rcpt[i] = xasprintf("r%zu@x.test", i);
		buf_printf(&want, "RCPT TO:<%s>\r\n", rcpt[i]);
	}
	buf_adds(&want, "DATA\r\n" MSG_DATA "QUIT\r\n");
	for (i = 0; i < 50; i++)
		buf_adds(&ok50, "250 ok\r\n");
	for (i = 0; i < 21; i++)
		buf_adds(&ok20, "250 ok\r\n");
	buf_adds(&ok20, "354 go\r\n");
	env.rcpt = (const char *const *)rcpt;
	/* 122 commands: windows of 50, 50 and 22, each answered first. */
	steps(sc, &k, SRV_SEND, GREETING, 1);
	steps(sc, &k, SRV_LINE, NULL, 1);
	steps(sc, &k, SRV_SEND, EHLO_ALL, 1);
	for (i = 0; i < 2; i++) {
		steps(sc, &k, SRV_LINE, NULL, 50);
		steps(sc, &k, SRV_QUIET, NULL, 1);
		steps(sc, &k, SRV_SEND, buf_str(&ok50), 1);
	}
	steps(sc, &k, SRV_LINE, NULL, 22);
	steps(sc, &k, SRV_QUIET, NULL, 1);
	steps(sc, &k, SRV_SEND, buf_str(&ok20), 1);
	steps(sc, &k, SRV_DATA, NULL, 1);
	steps(sc, &k, SRV_SEND, "250 queued\r\n", 1);
	steps(sc, &k, SRV_LINE, NULL, 1);
	steps(sc, &k, SRV_SEND, "221 Bye\r\n", 1);
	steps(sc, &k, SRV_END, NULL, 1);
	run(&r, sc, &env, MSG, NULL);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	sent_is(&r, buf_str(&want));
	ck_assert_int_eq(r.res.rcpt[NR - 1].code, 250);
	run_free(&r);
	for (i = 0; i < NR; i++)
		free(rcpt[i]);
	buf_fini(&want);
	buf_fini(&ok50);
	buf_fini(&ok20);
}
END_TEST

static Suite *
send_suite(void)
{
	Suite	*s = suite_create("smtp_send");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_pipelined);
	tcase_add_test(tc, test_serial);
	tcase_add_test(tc, test_serial_refused);
	tcase_add_test(tc, test_pipelined_refused_554);
	tcase_add_test(tc, test_pipelined_refused_354);
	tcase_add_test(tc, test_sender_refused);
	tcase_add_test(tc, test_size_refused);
	tcase_add_test(tc, test_unsupported);
	tcase_add_test(tc, test_extensions_used);
	tcase_add_test(tc, test_helo_fallback);
	tcase_add_test(tc, test_ehlo_refused);
	tcase_add_test(tc, test_421_midway);
	tcase_add_test(tc, test_421_pipelined);
	tcase_add_test(tc, test_final_dot_waits_longer);
	tcase_add_test(tc, test_cut_in_data);
	tcase_add_test(tc, test_final_refused);
	tcase_add_test(tc, test_bad_envelope_sends_nothing);
	tcase_add_test(tc, test_quit_unanswered);
	tcase_add_test(tc, test_pipeline_window);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(send_suite());
	int	 failed;

	signal(SIGPIPE, SIG_IGN);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

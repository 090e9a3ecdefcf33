/*
 * test_imap_conn.c - the IMAP connection against a scripted server:
 * greeting, STARTTLS, login choices, redaction, errors; and its input
 * side: literals judged as announced (big ones dropped unless a body),
 * unreadable FETCHes salvaged, the buffer given back after a big one.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/imap_conn.h"
#include "test_imap_mock.h"
#include "util/log.h"
#include "util/xmalloc.h"

static struct config_account cfg;

/* A plain-text account "user"/"pass" on the mock. */
static void
cfg_reset(enum config_security sec)
{
	memset(&cfg, 0, sizeof cfg);
	cfg.name = (char *)"test";
	cfg.driver = (char *)"imap";
	cfg.host = (char *)"mock.example";
	cfg.port = (char *)"143";
	cfg.user = (char *)"user";
	cfg.password = (char *)"pass";
	cfg.security = sec;
	/* The mock is a plain-text peer: allow passwords over it. */
	cfg.allow_plaintext_auth = true;
	cfg.timeout_ms = 1000;
	cfg.connect_timeout_ms = 1000;
}

/* Assert the client sent exactly want. */
static void
sent_is(const char *want)
{
	ck_assert_str_eq(buf_str(&mock.sent), want);
}

/* Connect and log in as the account says; returns the connection. */
static struct imap_conn *
connect_login(struct error *err, int *rc)
{
	struct imap_conn	*c = NULL;

	error_clear(err);
	*rc = imap_conn_connect(&cfg, -1, &c, err);
	if (*rc == 0)
		*rc = imap_conn_login(c, cfg.user, cfg.password, err);
	return c;
}

START_TEST(test_redact)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "a1 LOGIN user \"pass word\"\r\n", "a1 LOGIN <redacted>" },
		{ "a1 login {4+}\r\n", "a1 login <redacted>" },
		{ "a2 AUTHENTICATE PLAIN AHVzZXIAcGFzcw==\r\n",
		    "a2 AUTHENTICATE PLAIN <redacted>" },
		{ "a2 AUTHENTICATE PLAIN\r\n", "a2 AUTHENTICATE PLAIN" },
		{ "a3 SELECT INBOX\r\n", "a3 SELECT INBOX\r\n" },
		{ "a4 LOGINX y\r\n", "a4 LOGINX y\r\n" },
	};
	struct buf	 b;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_init(&b, 0);
		imap_redact(cases[i].in, strlen(cases[i].in), &b);
		ck_assert_str_eq(buf_str(&b), cases[i].out);
		ck_assert_ptr_null(strstr(buf_str(&b), "pass"));
		ck_assert_ptr_null(strstr(buf_str(&b), "AHVz"));
		buf_fini(&b);
	}
}
END_TEST

START_TEST(test_plain_sasl_ir)
{
	static const char *const script[] = {
		"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n",
		"a1 OK [CAPABILITY IMAP4rev1 IDLE] Logged in\r\n",
		NULL
	};
	struct imap_conn	*c;
	struct error		 err;
	int			 rc;

	cfg_reset(CONFIG_SEC_NONE);
	mock_start(script, 0);
	c = connect_login(&err, &rc);
	ck_assert_msg(rc == 0, "%s", err.msg);
	sent_is("a1 AUTHENTICATE PLAIN AHVzZXIAcGFzcw==\r\n");
	ck_assert_uint_eq(c->caps, IMAP_CAP_IMAP4REV1 | IMAP_CAP_IDLE);
	ck_assert(mock_done());
	ck_assert(!mock.tls);
	imap_conn_free(c);
	ck_assert_int_eq(mock.freed, 1);
}
END_TEST

START_TEST(test_plain_continuation_drip)
{
	static const char *const script[] = {
		"* OK hi\r\n",
		"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\na1 OK\r\n",
		"+ \r\n",
		"a2 OK done\r\n",
		"* CAPABILITY IMAP4rev1 AUTH=PLAIN IDLE\r\na3 OK\r\n",
		NULL
	};
	struct imap_conn	*c;
	struct error		 err;
	int			 rc;

	cfg_reset(CONFIG_SEC_NONE);
	mock_start(script, 1);		/* one byte per read */
	c = connect_login(&err, &rc);
	ck_assert_msg(rc == 0, "%s", err.msg);
	sent_is("a1 CAPABILITY\r\n"
	    "a2 AUTHENTICATE PLAIN\r\n"
	    "AHVzZXIAcGFzcw==\r\n"
	    "a3 CAPABILITY\r\n");
	ck_assert(c->caps & IMAP_CAP_IDLE);
	ck_assert(mock_done());
	imap_conn_free(c);
}
END_TEST

START_TEST(test_login_quoted)
{
	static const char *const script[] = {
		"* OK [CAPABILITY IMAP4rev1] hi\r\n",
		"a1 OK [CAPABILITY IMAP4rev1] ok\r\n",
		NULL
	};
	struct imap_conn	*c;
	struct error		 err;
	int			 rc;

	cfg_reset(CONFIG_SEC_NONE);
	cfg.password = (char *)"p\"a\\ss";
	mock_start(script, 0);
	c = connect_login(&err, &rc);
	ck_assert_msg(rc == 0, "%s", err.msg);
	sent_is("a1 LOGIN \"user\" \"p\\\"a\\\\ss\"\r\n");
	imap_conn_free(c);
}
END_TEST

START_TEST(test_login_disabled)
{
	static const char *const script[] = {
		"* OK hi\r\n",
		"* CAPABILITY IMAP4rev1 LOGINDISABLED\r\na1 OK\r\n",
		NULL
	};
	struct imap_conn	*c;
	struct error		 err;
	int			 rc;

	cfg_reset(CONFIG_SEC_NONE);
	mock_start(script, 0);
	c = connect_login(&err, &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(err.code, ERR_AUTH);
	ck_assert_ptr_nonnull(strstr(err.msg, "LOGINDISABLED"));
	sent_is("a1 CAPABILITY\r\n");	/* the password never left */
	imap_conn_free(c);
}
END_TEST

START_TEST(test_auth_failed)
{
	static const char *const script[] = {
		"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n",
		"a1 NO [AUTHENTICATIONFAILED] Invalid credentials\r\n",
		NULL
	};
	struct imap_conn	*c;
	struct error		 err;
	int			 rc;

	cfg_reset(CONFIG_SEC_NONE);
	mock_start(script, 0);
	c = connect_login(&err, &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(err.code, ERR_AUTH);
	ck_assert_int_eq(err.scope, ERR_SCOPE_ACCOUNT);
	ck_assert_str_eq(err.msg, "authentication failed (server said: Invalid credentials)");
	imap_conn_free(c);
}
END_TEST

/* Read a whole file into a new string. */
static char *
slurp(const char *path)
{
	FILE	*f = fopen(path, "r");
	char	*p = xcalloc(1, 65536);

	ck_assert_ptr_nonnull(f);
	fread(p, 1, 65535, f);
	fclose(f);
	return p;
}

START_TEST(test_trace_redacted)
{
	static const char *const plain[] = {
		"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n",
		"+ \r\n",
		"a1 OK [CAPABILITY IMAP4rev1] done\r\n",
		NULL
	};
	static const char *const ir[] = {
		"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n",
		"a1 OK [CAPABILITY IMAP4rev1] done\r\n",
		NULL
	};
	static const char *const login[] = {
		"* OK [CAPABILITY IMAP4rev1] hi\r\n",
		"a1 OK [CAPABILITY IMAP4rev1] done\r\n",
		NULL
	};
	const char *const	*scripts[] = { plain, ir, login };
	char			 path[] = "/tmp/test_imap_trace.XXXXXX";
	struct imap_conn	*c;
	struct error		 err;
	char			*log;
	int			 fd, rc;

	ck_assert_int_ne(fd = mkstemp(path), -1);
	close(fd);
	ck_assert_int_eq(log_open(path, LOG_TRACE, "imap"), 0);
	for (size_t i = 0; i < 3; i++) {
		cfg_reset(CONFIG_SEC_NONE);
		cfg.password = (char *)"s3cr3t-PW";
		mock_start(scripts[i], 0);
		c = connect_login(&err, &rc);
		ck_assert_msg(rc == 0, "%s", err.msg);
		/* The secret did go to the server... */
		ck_assert(strstr(buf_str(&mock.sent), "s3cr3t-PW") != NULL ||
		    strstr(buf_str(&mock.sent), "AHVzZXIAczNjcjN0LVBX") != NULL);
		imap_conn_free(c);
	}
	log_close();
	log = slurp(path);
	unlink(path);
	/* ...but not to the log, in any form. */
	ck_assert_ptr_nonnull(strstr(log, "<redacted>"));
	ck_assert_ptr_nonnull(strstr(log, "AUTHENTICATE PLAIN"));
	ck_assert_ptr_nonnull(strstr(log, "LOGIN"));
	ck_assert_ptr_nonnull(strstr(log, "* OK"));	/* the trace works */
	ck_assert_ptr_null(strstr(log, "s3cr3t"));
	ck_assert_ptr_null(strstr(log, "AHVzZXIAczNjcjN0LVBX"));
	ck_assert_ptr_null(strstr(log, "czNjcjN0"));
	free(log);
}
END_TEST

START_TEST(test_starttls_discards)
{
	static const char *const script[] = {
		"* OK hi\r\n",
		"* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\na1 OK\r\n",
		/*
		 * Injected behind the OK, before the handshake (the "NO
		 * STARTTLS" attack): the session ends, nothing is parsed.
		 */
		"a2 OK Begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n",
		MOCK_TLS,
		NULL
	};
	struct imap_conn	*c;
	struct error		 err;
	int			 rc;

	cfg_reset(CONFIG_SEC_STARTTLS);
	mock_start(script, 0);
	c = connect_login(&err, &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_null(c);
	ck_assert_int_eq(err.code, ERR_TLS);
	ck_assert_msg(strstr(err.msg, "STARTTLS injection") != NULL, "%s",
	    err.msg);
	ck_assert(!mock.tls);
	sent_is("a1 CAPABILITY\r\n"
	    "a2 STARTTLS\r\n");
}
END_TEST

START_TEST(test_starttls_required)
{
	static const char *const nocap[] = {
		"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n",
		NULL
	};
	static const char *const preauth[] = {
		"* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n",
		NULL
	};
	static const char *const refused[] = {
		"* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n",
		"a1 NO not now\r\n",
		NULL
	};
	const char *const	*scripts[] = { nocap, preauth, refused };
	const char		*sent[] = { "", "", "a1 STARTTLS\r\n" };
	struct imap_conn	*c;
	struct error		 err;
	int			 rc;

	for (size_t i = 0; i < 3; i++) {
		cfg_reset(CONFIG_SEC_STARTTLS);
		mock_start(scripts[i], 0);
		c = connect_login(&err, &rc);
		ck_assert_int_eq(rc, -1);
		ck_assert_ptr_null(c);
		ck_assert_int_eq(err.code, ERR_TLS);
		ck_assert_int_eq(err.scope, ERR_SCOPE_ACCOUNT);
		ck_assert(!mock.tls);
		sent_is(sent[i]);		/* never a password */
		ck_assert_int_eq(mock.freed, 1);
	}
}
END_TEST

START_TEST(test_implicit_preauth)
{
	static const char *const script[] = {
		MOCK_TLS,
		"* PREAUTH [CAPABILITY IMAP4rev1] welcome back\r\n",
		NULL
	};
	struct imap_conn	*c;
	struct error		 err;
	int			 rc;

	cfg_reset(CONFIG_SEC_IMPLICIT);
	mock_start(script, 0);
	c = connect_login(&err, &rc);
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert(mock.tls);
	ck_assert(c->preauth);
	sent_is("");
	imap_conn_free(c);
}
END_TEST

/* Count untagged responses. */
static int
count_untagged(void *arg, const struct imap_response *r, struct error *err)
{
	(void)r;
	(void)err;
	(*(int *)arg)++;
	return 0;
}

START_TEST(test_untagged_anytime)
{
	static const char *const script[] = {
		"* OK [CAPABILITY IMAP4rev1] hi\r\n",
		"* 5 EXISTS\r\n* 2 EXPUNGE\r\n* OK [UIDVALIDITY 7] x\r\n"
		"* FLAGS (\\Seen)\r\na1 OK\r\n",
		"* BYE bored\r\n",
		NULL
	};
	struct imap_conn	*c = NULL;
	struct error		 err;
	int			 n = 0;

	cfg_reset(CONFIG_SEC_NONE);
	mock_start(script, 3);
	ck_assert_int_eq(imap_conn_connect(&cfg, -1, &c, &err), 0);
	ck_assert_int_eq(imap_conn_run(c, count_untagged, &n, &err, "NOOP"),
	    0);
	ck_assert_int_eq(n, 4);
	ck_assert_uint_eq(c->exists, 4);
	ck_assert_uint_eq(c->uidvalidity, 7);
	/* BYE then the end of the stream: the error says why. */
	ck_assert_int_eq(imap_conn_run(c, NULL, NULL, &err, "NOOP"), -1);
	ck_assert_int_eq(err.code, ERR_NET);
	ck_assert_int_eq(err.scope, ERR_SCOPE_ACCOUNT);
	ck_assert_ptr_nonnull(strstr(err.msg, "bored"));
	ck_assert(imap_conn_broken(c));
	imap_conn_free(c);
}
END_TEST

START_TEST(test_errors)
{
	static const char *const cancel[] = {
		"* OK [CAPABILITY IMAP4rev1] hi\r\n", "* 1 EXI", MOCK_CANCEL,
		NULL
	};
	static const char *const badtag[] = {
		"* OK [CAPABILITY IMAP4rev1] hi\r\n", "zz OK\r\n", NULL
	};
	static const char *const toobig[] = {
		"* OK [CAPABILITY IMAP4rev1] hi\r\n",
		"* 1 FETCH (BODY[] {99999999999}\r\n", NULL
	};
	static const char *const garbage[] = {
		"* OK [CAPABILITY IMAP4rev1] hi\r\n", "\"\r\n", NULL
	};
	static const char *const no[] = {
		"* OK [CAPABILITY IMAP4rev1] hi\r\n", "a1 NO [TRYCREATE] no\r\n",
		NULL
	};
	static const char *const bye[] = {
		"* BYE [UNAVAILABLE] try later\r\n", NULL
	};
	const char *const	*scripts[] = { cancel, badtag, toobig, garbage,
	    no, bye };
	enum error_code		 codes[] = { ERR_CANCELLED, ERR_PROTOCOL,
	    ERR_TOOBIG, ERR_PROTOCOL, ERR_SERVER, ERR_SERVER };
	struct imap_conn	*c;
	struct error		 err;

	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		cfg_reset(CONFIG_SEC_NONE);
		mock_start(scripts[i], 0);
		c = NULL;
		if (i == 5) {
			ck_assert_int_eq(imap_conn_connect(&cfg, -1, &c, &err),
			    -1);
			ck_assert_ptr_nonnull(strstr(err.msg, "try later"));
		} else {
			ck_assert_int_eq(imap_conn_connect(&cfg, -1, &c, &err),
			    0);
			ck_assert_int_eq(imap_conn_run(c, NULL, NULL, &err,
			    "CHECK"), -1);
		}
		ck_assert_msg(err.code == codes[i], "case %zu: %d %s", i,
		    err.code, err.msg);
		if (codes[i] == ERR_SERVER && i == 4) {
			/* A NO leaves the connection usable. */
			ck_assert_int_eq(err.scope, ERR_SCOPE_OP);
			ck_assert(!imap_conn_broken(c));
			ck_assert_str_eq(err.msg, "mock.example: CHECK: no");
		} else {
			ck_assert_int_eq(err.scope, ERR_SCOPE_ACCOUNT);
			ck_assert(c == NULL || imap_conn_broken(c));
		}
		imap_conn_free(c);
	}
}
END_TEST

START_TEST(test_quote)
{
	struct buf	 b;

	buf_init(&b, 0);
	ck_assert_int_eq(imap_quote(&b, "a \"b\" \\c"), 0);
	ck_assert_str_eq(buf_str(&b), "\"a \\\"b\\\" \\\\c\"");
	buf_reset(&b);
	ck_assert_int_eq(imap_quote(&b, "a\r\nb"), -1);
	ck_assert_int_eq(imap_quote(&b, "caf\xc3\xa9"), -1);
	buf_fini(&b);
}
END_TEST

START_TEST(test_frame_body_literals)
{
	static const struct {
		const char	*head;
		bool		 body;
	} cases[] = {
		{ "* 1 FETCH (UID 1 BODY[] {2000000}\r\n", true },
		{ "* 1 FETCH (BODY[HEADER.FIELDS (A B)]<0> {2000000}\r\n",
		    true },
		{ "* 1 FETCH (BINARY[1] {2000000}\r\n", true },
		{ "* 1 FETCH (RFC822.TEXT {2000000}\r\n", true },
		{ "* 1 FETCH (rfc822 {2000000+}\r\n", true },
		{ "* 1 FETCH (UID 1 ENVELOPE (\"d\" {2000000}\r\n", false },
		{ "* 1 FETCH (X-BODY[] {2000000}\r\n", false },
		{ "* LIST () \"/\" {2000000}\r\n", false },
		{ "* 1 FETCH (RFC822X {2000000}\r\n", false },
	};
	struct imap_frame	 fr;
	struct error		 err;
	size_t			 n, len;
	int			 r;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		len = strlen(cases[i].head);
		imap_frame_init(&fr);
		r = imap_frame_next(&fr, cases[i].head, len, &n, &err);
		if (cases[i].body) {
			/* Held: the caller reads on. */
			ck_assert_msg(r == 0 && fr.drop_left == 0, "%s",
			    cases[i].head);
			continue;
		}
		/* Not a body: dropped as announced, never buffered. */
		ck_assert_msg(r == 0 && fr.drop_left == 2000000 &&
		    fr.drop_at == len, "%s", cases[i].head);
	}
}
END_TEST

START_TEST(test_frame_drops_big_literal)
{
	static const char head[] =
	    "* 7 FETCH (UID 9 ENVELOPE (NIL {3000000}\r\n";
	static const char tail[] = " NIL NIL NIL NIL NIL NIL NIL NIL))\r\n"
	    "a1 OK\r\n";
	struct imap_frame	 fr;
	struct imap_response	 r;
	struct error		 err;
	char			 buf[256];
	size_t			 len, n, fed = 0;
	int			 rc;

	/* The literal arrives in 64 KiB pieces, each cut out at once. */
	imap_frame_init(&fr);
	len = strlen(head);
	memcpy(buf, head, len);
	ck_assert_int_eq(imap_frame_next(&fr, buf, len, &n, &err), 0);
	while (fed < 3000000) {
		size_t	 k = 3000000 - fed > 65536 ? 65536 : 3000000 - fed;

		ck_assert_uint_eq(len, fr.drop_at);
		/* (The bytes themselves do not matter: only how many.) */
		ck_assert_int_eq(imap_frame_next(&fr, buf, len + k, &n, &err),
		    2);
		imap_frame_dropped(&fr, k);
		fed += k;
	}
	memcpy(buf + len, tail, sizeof tail - 1);
	len += sizeof tail - 1;
	rc = imap_frame_next(&fr, buf, len, &n, &err);
	ck_assert_int_eq(rc, 1);
	ck_assert(fr.truncated);
	ck_assert_uint_eq(n, len - strlen("a1 OK\r\n"));
	/* What is left is a FETCH that cannot be read: seq and UID kept. */
	ck_assert_int_eq(imap_parse_salvage(buf, n, &r), 0);
	ck_assert(r.bad);
	ck_assert_uint_eq(r.number, 7);
	ck_assert_uint_eq(r.bad_uid, 9);
	imap_response_fini(&r);
	ck_assert_int_eq(imap_frame_next(&fr, buf + n, len - n, &n, &err), 1);
	ck_assert(!fr.truncated);
	/* Dropping is bounded too: not more than a body's worth. */
	imap_frame_init(&fr);
	fr.dropped = IMAP_BODY_MAX - 1999999;
	len = strlen(head);
	ck_assert_int_eq(imap_frame_next(&fr, head, len, &n, &err), -1);
	ck_assert_int_eq(err.code, ERR_TOOBIG);
}
END_TEST

START_TEST(test_salvage)
{
	static const struct {
		const char	*in;
		int		 rc;
		uint32_t	 seq;
		uint32_t	 uid;
	} cases[] = {
		{ "* 3 FETCH (UID 12 ENVELOPE (\"((\"\r\n", 0, 3, 12 },
		{ "* 3 FETCH (FLAGS (UID 5) UID 6 X\r\n", 0, 3, 6 },
		{ "* 3 FETCH (ENVELOPE (\"a UID 5\" (\r\n", 0, 3, 0 },
		{ "* 3 FETCH (XUID 5 UID 0 uid 8)\r\n", 0, 3, 8 },
		{ "* 3 FETCH (UID 99999999999)\r\n", 0, 3, 0 },
		{ "* 3 EXISTS\r\n", -1, 0, 0 },
		{ "a1 OK (\r\n", -1, 0, 0 },
		{ "* FETCH (UID 1)\r\n", -1, 0, 0 },
	};
	struct imap_response	 r;
	struct imap_fetch	 f;
	struct error		 err;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char	*in = cases[i].in;

		ck_assert_int_eq(imap_parse_salvage(in, strlen(in), &r),
		    cases[i].rc);
		if (cases[i].rc == 0) {
			ck_assert_uint_eq(r.number, cases[i].seq);
			ck_assert_uint_eq(r.bad_uid, cases[i].uid);
			ck_assert_int_eq(imap_fetch_parse(&r, &f, &err), -1);
			ck_assert_int_eq(err.scope, ERR_SCOPE_MESSAGE);
			ck_assert_uint_eq(f.uid, cases[i].uid);
		}
		imap_response_fini(&r);
	}
}
END_TEST

/* A FETCH response with a literal of n bytes after head; caller frees. */
static char *
big_fetch(const char *head, size_t n, const char *tail)
{
	struct buf	 b;
	char		*fill = xmalloc(n);

	memset(fill, 'q', n);
	buf_init(&b, 0);
	buf_printf(&b, "%s{%zu}\r\n", head, n);
	buf_add(&b, fill, n);
	buf_adds(&b, tail);
	free(fill);
	return buf_take(&b);
}

struct big_seen {
	struct imap_conn	*c;
	size_t			 cap;
	uint32_t		 uid;
	bool			 bad;
};

/* Note what a FETCH handler sees of an oversized envelope literal. */
static int
big_one(void *arg, const struct imap_response *r, struct error *err)
{
	struct big_seen	*bs = arg;

	(void)err;
	bs->cap = bs->c->in.cap;
	bs->bad = r->bad;
	bs->uid = r->bad_uid;
	return 1;
}

START_TEST(test_buffer_shrinks)
{
	const char		*script[] = {
		"* OK [CAPABILITY IMAP4rev1] hi\r\n", NULL,
		"a2 OK\r\n", NULL
	};
	struct imap_conn	*c = NULL;
	struct big_seen		 bs;
	struct error		 err;
	char			*big;

	big = big_fetch("* 1 FETCH (UID 1 BODY[] ", 10 * 1024 * 1024,
	    ")\r\na1 OK\r\n");
	script[1] = big;
	cfg_reset(CONFIG_SEC_NONE);
	mock_start(script, 0);
	ck_assert_int_eq(imap_conn_connect(&cfg, -1, &c, &err), 0);
	memset(&bs, 0, sizeof bs);
	bs.c = c;
	ck_assert_int_eq(imap_conn_run(c, big_one, &bs, &err, "FETCH 1 "
	    "BODY[]"), 0);
	ck_assert_uint_ge(bs.cap, 10 * 1024 * 1024);
	ck_assert(!bs.bad);
	/* Once it is used, the next response gives the memory back. */
	ck_assert_uint_lt(c->in.cap, 1024 * 1024);
	ck_assert_int_eq(imap_conn_run(c, NULL, NULL, &err, "NOOP"), 0);
	ck_assert_uint_lt(c->in.cap, 1024 * 1024);
	imap_conn_free(c);
	free(big);
}
END_TEST

START_TEST(test_big_envelope_literal_not_held)
{
	const char		*script[] = {
		"* OK [CAPABILITY IMAP4rev1] hi\r\n", NULL,
		"a2 OK\r\n", NULL
	};
	struct imap_conn	*c = NULL;
	struct big_seen		 bs;
	struct error		 err;
	char			*big;

	big = big_fetch("* 4 FETCH (UID 3 ENVELOPE (NIL ", 8 * 1024 * 1024,
	    " NIL NIL NIL NIL NIL NIL NIL NIL))\r\na1 OK\r\n");
	script[1] = big;
	cfg_reset(CONFIG_SEC_NONE);
	mock_start(script, 64 * 1024);
	ck_assert_int_eq(imap_conn_connect(&cfg, -1, &c, &err), 0);
	memset(&bs, 0, sizeof bs);
	bs.c = c;
	ck_assert_int_eq(imap_conn_run(c, big_one, &bs, &err, "FETCH 4 "
	    "ENVELOPE"), 0);
	/* Handed out as a bad FETCH; the 8 MiB never sat in the buffer. */
	ck_assert(bs.bad);
	ck_assert_uint_eq(bs.uid, 3);
	ck_assert_uint_lt(bs.cap, 1024 * 1024);
	/* And the stream is still in step. */
	ck_assert_int_eq(imap_conn_run(c, NULL, NULL, &err, "NOOP"), 0);
	ck_assert(!imap_conn_broken(c));
	imap_conn_free(c);
	free(big);
}
END_TEST

/* The suite. */
static Suite *
imap_conn_suite(void)
{
	Suite	*s = suite_create("imap_conn");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_redact);
	tcase_add_test(tc, test_plain_sasl_ir);
	tcase_add_test(tc, test_plain_continuation_drip);
	tcase_add_test(tc, test_login_quoted);
	tcase_add_test(tc, test_login_disabled);
	tcase_add_test(tc, test_auth_failed);
	tcase_add_test(tc, test_trace_redacted);
	tcase_add_test(tc, test_starttls_discards);
	tcase_add_test(tc, test_starttls_required);
	tcase_add_test(tc, test_implicit_preauth);
	tcase_add_test(tc, test_untagged_anytime);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_quote);
	tcase_add_test(tc, test_buffer_shrinks);
	tcase_add_test(tc, test_big_envelope_literal_not_held);
	tcase_add_test(tc, test_frame_body_literals);
	tcase_add_test(tc, test_frame_drops_big_literal);
	tcase_add_test(tc, test_salvage);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(imap_conn_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

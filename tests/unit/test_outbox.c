/*
 * test_outbox.c - unit tests of the outbox's sending side without a
 * server: `petrel send`'s message preparation, the back-off, and sending
 * through sendmail_command with small scripts as the command (accepted,
 * a temporary and a permanent refusal, a command that hangs).
 */
#include <sys/stat.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/cache.h"
#include "core/config.h"
#include "send/outbox.h"
#include "test_tmpdir.h"
#include "util/xmalloc.h"

static char	 test_dir[64];

static void
setup(void)
{
	test_tmpdir_make(test_dir, sizeof test_dir, "petrel-outbox");
}

static void
teardown(void)
{
	test_tmpdir_remove(test_dir);
}

/* A config with one account (extra: more [account] lines). */
static struct config *
test_config(const char *extra)
{
	struct config	*cfg;
	struct error	 err;
	char		*text;

	text = xasprintf("[account a]\ndriver = maildir\npath = %s\n"
	    "from = Me Example <me@example.org>\ntimeout = 2\n%s", test_dir,
	    extra);
	cfg = config_parse("t.conf", text, &err);
	free(text);
	ck_assert_msg(cfg != NULL, "%s", err.msg);
	return cfg;
}

/* Write an executable script. */
static char *
test_script(const char *name, const char *body)
{
	char	*path = xasprintf("%s/%s", test_dir, name);
	FILE	*f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fprintf(f, "#!/bin/sh\n%s", body);
	fclose(f);
	chmod(path, 0700);
	return path;
}

/* Read the whole file SCRIPT.SUFFIX. */
static char *
test_read(const char *script, const char *suffix)
{
	char	*path = xasprintf("%s.%s", script, suffix);
	FILE	*f = fopen(path, "rb");
	char	*s = xmalloc(1 << 16);
	size_t	 n;

	ck_assert_msg(f != NULL, "%s", path);
	n = fread(s, 1, (1 << 16) - 1, f);
	s[n] = '\0';
	fclose(f);
	free(path);
	return s;
}

START_TEST(test_prepare)
{
	static const char in[] =
	    "To: Ann <ann@example.org>, bob@example.org\n"
	    "Cc: ann@EXAMPLE.org,\n carol@example.org\n"
	    "Bcc: secret@example.org\n"
	    "Subject: =?UTF-8?B?R3LDvMOfZQ==?=\n"
	    "\n"
	    "Body line\r\n"
	    "second line\n"
	    ".\n"
	    "no final newline";
	const char		*args[] = { "dave@example.org" };
	struct config		*cfg = test_config("");
	struct outbox_prepared	 p;
	struct error		 err;
	const char		*m;

	ck_assert_int_eq(outbox_prepare(in, sizeof in - 1, &cfg->accounts[0],
	    true, args, 1, NULL, &p, &err), 0);
	/* Arguments first, then To, Cc, Bcc, no duplicates. */
	ck_assert_uint_eq(p.nrcpt, 5);
	ck_assert_str_eq(p.rcpt[0], "dave@example.org");
	ck_assert_str_eq(p.rcpt[1], "ann@example.org");
	ck_assert_str_eq(p.rcpt[2], "bob@example.org");
	ck_assert_str_eq(p.rcpt[3], "carol@example.org");
	ck_assert_str_eq(p.rcpt[4], "secret@example.org");
	ck_assert_str_eq(p.env_from, "me@example.org");
	ck_assert_str_eq(p.subject, "Gr\xc3\xbc\xc3\x9f" "e");
	m = p.msg.data;
	/* Bcc is gone, From/Date/Message-ID added, everything CRLF. */
	ck_assert_ptr_null(strstr(m, "secret@"));
	ck_assert_ptr_nonnull(strstr(m, "\r\nFrom: Me Example "
	    "<me@example.org>\r\n"));
	ck_assert_ptr_nonnull(strstr(m, "\r\nDate: "));
	ck_assert_ptr_nonnull(strstr(m, "\r\nMessage-ID: <"));
	ck_assert_ptr_nonnull(strstr(m, "@example.org>\r\n\r\nBody line\r\n"
	    "second line\r\n.\r\nno final newline\r\n"));
	ck_assert_ptr_nonnull(strstr(m, "Cc: ann@EXAMPLE.org,\r\n "
	    "carol@example.org\r\n"));
	for (size_t i = 0; i < p.msg.len; i++) {
		if (m[i] == '\n')
			ck_assert_int_eq(m[i - 1], '\r');
	}
	outbox_prepared_fini(&p);

	/* Without -t only the arguments; -f is the envelope sender; the
	 * message's own From, Date and Message-ID are kept. */
	m = "From: x@y.example\nDate: Mon, 1 Feb 2021 10:00:00 +0000\n"
	    "Message-ID: <k@y>\nTo: t@example.org\n\nhi\n";
	ck_assert_int_eq(outbox_prepare(m, strlen(m), &cfg->accounts[0], false,
	    args, 1, "bounce@y.example", &p, &err), 0);
	ck_assert_uint_eq(p.nrcpt, 1);
	ck_assert_str_eq(p.env_from, "bounce@y.example");
	ck_assert_ptr_null(strstr(p.msg.data, "Me Example"));
	ck_assert_ptr_null(strstr(strstr(p.msg.data, "Date:") + 1, "Date:"));
	outbox_prepared_fini(&p);

	/* No recipient at all. */
	ck_assert_int_eq(outbox_prepare("Subject: x\n\nhi\n", 16,
	    &cfg->accounts[0], true, NULL, 0, NULL, &p, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "no recipients"));
	config_free(cfg);
}
END_TEST

START_TEST(test_backoff)
{
	ck_assert_int_eq(outbox_next_try(1, 1000), 1060);
	ck_assert_int_eq(outbox_next_try(2, 1000), 1120);
	ck_assert_int_eq(outbox_next_try(4, 1000), 1480);
	ck_assert_int_eq(outbox_next_try(7, 1000), 4600);
	ck_assert_int_eq(outbox_next_try(50, 1000), 4600);
}
END_TEST

/* Queue a small message for account a of cfg. */
static int64_t
test_queue(struct cache *c, const struct config_account *a)
{
	static const char	 raw[] = "From: me@example.org\r\nSubject: s\r\n"
	    "\r\nhello\r\n";
	const char		*rcpt[] = { "ann@example.org", "bob@example.org" };
	struct outbox_item	 it;
	struct error		 err;
	int64_t			 id;

	memset(&it, 0, sizeof it);
	it.raw = raw;
	it.len = sizeof raw - 1;
	it.env_from = "me@example.org";
	it.rcpt = rcpt;
	it.nrcpt = 2;
	ck_assert_msg(outbox_queue(c, a, &it, &id, &err) == 0, "%s", err.msg);
	return id;
}

START_TEST(test_sendmail)
{
	struct config		*cfg;
	struct cache		*c;
	struct cache_outbox	 m;
	struct error		 err;
	char			*ok, *tmp, *perm, *hang, *extra, *db, *s;
	int64_t			 id;

	ok = test_script("ok", "printf '%s\\n' \"$@\" >\"$0.args\"\n"
	    "cat >\"$0.in\"\n");
	tmp = test_script("tmp", "cat >/dev/null; echo 'queue full' >&2; "
	    "exit 75\n");
	perm = test_script("perm", "cat >/dev/null; printf 'no such user: "
	    "\\033[31mbob\\n' >&2; exit 67\n");
	hang = test_script("hang", "sleep 30\n");
	extra = xasprintf("sendmail_command = %s -oi\n[account t]\ndriver = "
	    "maildir\npath = /\ntimeout = 2\nsendmail_command = %s\n"
	    "[account p]\ndriver = maildir\npath = /\nsendmail_command = %s\n"
	    "[account h]\ndriver = maildir\npath = /\ntimeout = 1\n"
	    "sendmail_command = %s\n", ok, tmp, perm, hang);
	cfg = test_config(extra);
	db = xasprintf("%s/cache.db", test_dir);
	c = cache_open(db, &err);
	ck_assert_ptr_nonnull(c);

	/* Accepted: the command got the recipients and the bytes; the row
	 * waits for its Sent copy. */
	id = test_queue(c, &cfg->accounts[0]);
	ck_assert_msg(outbox_send(c, &cfg->accounts[0], id, NULL, -1, &err)
	    == 0, "%s", err.msg);
	s = test_read(ok, "args");
	ck_assert_str_eq(s, "-oi\nann@example.org\nbob@example.org\n");
	free(s);
	s = test_read(ok, "in");
	ck_assert_str_eq(s, "From: me@example.org\r\nSubject: s\r\n\r\n"
	    "hello\r\n");
	free(s);
	ck_assert_int_eq(cache_outbox_get(c, id, &m, &err), 0);
	ck_assert_int_eq(m.state, CACHE_OUTBOX_ACCEPTED);
	cache_outbox_fini(&m);

	/* A temporary failure (EX_TEMPFAIL) is tried again later. */
	id = test_queue(c, &cfg->accounts[1]);
	ck_assert_int_eq(outbox_send(c, &cfg->accounts[1], id, NULL, -1, &err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "queue full"));
	ck_assert_int_eq(cache_outbox_get(c, id, &m, &err), 0);
	ck_assert_int_eq(m.state, CACHE_OUTBOX_QUEUED);
	ck_assert_int_eq(m.attempts, 1);
	ck_assert_int_gt(m.next_try, 0);
	cache_outbox_fini(&m);

	/* A refusal waits for the user; the error is sanitised. */
	id = test_queue(c, &cfg->accounts[2]);
	ck_assert_int_eq(outbox_send(c, &cfg->accounts[2], id, NULL, -1, &err),
	    -1);
	ck_assert_ptr_null(strchr(err.msg, '\033'));
	ck_assert_int_eq(cache_outbox_get(c, id, &m, &err), 0);
	ck_assert_int_eq(m.next_try, -1);
	ck_assert_ptr_nonnull(strstr(m.last_error, "status 67"));
	ck_assert_ptr_nonnull(strstr(m.last_error, "no such user"));
	cache_outbox_fini(&m);

	/* A command that hangs is killed at the timeout. */
	id = test_queue(c, &cfg->accounts[3]);
	ck_assert_int_eq(outbox_send(c, &cfg->accounts[3], id, NULL, -1, &err),
	    -1);
	ck_assert_int_eq(err.code, ERR_TIMEOUT);
	cache_close(c);
	config_free(cfg);
	free(db);
	free(extra);
	free(ok);
	free(tmp);
	free(perm);
	free(hang);
}
END_TEST

/*
 * A message written in petrel, built and queued in one call: the
 * envelope from From, the recipients from To, Cc and Bcc, no Bcc line in
 * a message to send but one in a draft (which needs no recipient), and a
 * From with two mailboxes refused with nothing queued.
 */
START_TEST(test_queue_built)
{
	struct config		*cfg;
	struct cache		*c;
	struct cache_outbox	 m;
	struct mime_build_msg	 msg;
	struct mime_build_part	 part;
	struct outbox_build	 b;
	struct cache_outbox	*list;
	struct error		 err;
	char			*db;
	int64_t			 id;
	size_t			 n;

	cfg = test_config("");
	db = xasprintf("%s/cache.db", test_dir);
	c = cache_open(db, &err);
	ck_assert_ptr_nonnull(c);
	memset(&msg, 0, sizeof msg);
	msg.from = "Me Example <me@example.org>";
	msg.to = "Ann <ann@example.org>";
	msg.cc = "bob@example.org";
	msg.bcc = "Hidden <hid@example.org>";
	msg.subject = "Report";
	msg.body = "see attached\n";
	msg.body_len = strlen(msg.body);
	memset(&part, 0, sizeof part);
	part.data = "a,b\n1,2\n";
	part.len = strlen(part.data);
	part.filename = "r.csv";
	part.content_type = "text/csv";
	msg.parts = &part;
	msg.nparts = 1;
	memset(&b, 0, sizeof b);
	b.msg = &msg;
	b.dsn_notify = "FAILURE";

	ck_assert_msg(outbox_queue_built(c, &cfg->accounts[0], &b, &id,
	    &err) == 0, "%s", err.msg);
	ck_assert_int_eq(cache_outbox_get(c, id, &m, &err), 0);
	ck_assert_int_eq(m.state, CACHE_OUTBOX_QUEUED);
	ck_assert_str_eq(m.env_from, "me@example.org");
	ck_assert_str_eq(m.env_rcpt,
	    "ann@example.org\nbob@example.org\nhid@example.org");
	ck_assert_str_eq(m.dsn_notify, "FAILURE");
	ck_assert_str_eq(m.subject, "Report");
	ck_assert_ptr_null(strstr(m.raw, "Bcc:"));
	ck_assert_ptr_nonnull(strstr(m.raw, "r.csv"));
	cache_outbox_fini(&m);

	/* A draft keeps its Bcc and needs no recipient. */
	msg.to = msg.cc = NULL;
	msg.keep_bcc = true;
	b.draft = true;
	ck_assert_msg(outbox_queue_built(c, &cfg->accounts[0], &b, &id,
	    &err) == 0, "%s", err.msg);
	ck_assert_int_eq(cache_outbox_get(c, id, &m, &err), 0);
	ck_assert_int_eq(m.state, CACHE_OUTBOX_DRAFT);
	ck_assert_ptr_nonnull(strstr(m.raw, "Bcc: Hidden <hid@example.org>"));
	cache_outbox_fini(&m);

	/* Two mailboxes in From: no envelope sender, nothing queued. */
	msg.from = "me@example.org, you@example.org";
	ck_assert_int_eq(outbox_queue_built(c, &cfg->accounts[0], &b, &id,
	    &err), -1);
	ck_assert_int_eq(err.code, ERR_PARSE);
	ck_assert_int_eq(cache_outbox_list(c, NULL, &list, &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	cache_outbox_list_free(list, n);
	cache_close(c);
	config_free(cfg);
	free(db);
}
END_TEST

static Suite *
outbox_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("outbox");
	tc = tcase_create("outbox");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_prepare);
	tcase_add_test(tc, test_backoff);
	tcase_add_test(tc, test_sendmail);
	tcase_add_test(tc, test_queue_built);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(outbox_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

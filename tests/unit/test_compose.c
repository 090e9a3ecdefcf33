/*
 * test_compose.c - unit tests of reply and forward subjects and of the
 * draft itself (new, detach, lending to the builder), and the main
 * program of test_compose.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "compose/compose.h"
#include "compose/compose_int.h"
#include "mime/build.h"
#include "util/buf.h"
#include "util/xmalloc.h"
#include "test_compose.h"

static const char *const test_me_alternates[] = {
	"me@work.example.com", "Me.Alias@Example.NET", NULL
};

const struct compose_identity test_compose_me = {
	"Me Myself <me@example.org>", test_me_alternates
};

/* Start a draft from a raw message; the test fails if it cannot. */
void
test_compose_start(struct compose_draft *d, enum compose_kind kind,
    const char *msg)
{
	struct error	err;
	int		rc;

	memset(d, 0, sizeof *d);
	rc = compose_start(d, kind, &test_compose_me, msg,
	    msg != NULL ? strlen(msg) : 0, &err);
	ck_assert_msg(rc == 0, "compose_start: %s", err.msg);
}

/* One subject case: the raw Subject: value (NULL: none), the kind, the
 * result. */
struct subject_case {
	const char		*raw;
	enum compose_kind	 kind;
	const char		*want;
};

static const struct subject_case subject_cases[] = {
	{ "hello", COMPOSE_REPLY, "Re: hello" },
	{ "Re: hello", COMPOSE_REPLY, "Re: hello" },
	{ "RE: hello", COMPOSE_REPLY_ALL, "Re: hello" },
	{ "re:hello", COMPOSE_REPLY, "Re: hello" },
	{ "Re[2]: hello", COMPOSE_REPLY, "Re: hello" },
	{ "Re(3): hello", COMPOSE_REPLY, "Re: hello" },
	{ "Aw: hello", COMPOSE_REPLY, "Re: hello" },
	{ "AW: Re: RE[12]: hello", COMPOSE_REPLY, "Re: hello" },
	{ "Re : hello", COMPOSE_REPLY, "Re: hello" },
	{ "SV: hello", COMPOSE_REPLY, "Re: hello" },
	{ "Fwd: hello", COMPOSE_REPLY, "Re: Fwd: hello" },
	{ "Re: Fwd: Re: hello", COMPOSE_REPLY, "Re: Fwd: Re: hello" },
	{ "Regarding: hello", COMPOSE_REPLY, "Re: Regarding: hello" },
	{ "Re[2]x: hello", COMPOSE_REPLY, "Re: Re[2]x: hello" },
	{ "Re[]: hello", COMPOSE_REPLY, "Re: Re[]: hello" },
	{ "Are you there?", COMPOSE_REPLY, "Re: Are you there?" },
	{ "  Re:   spaced out  ", COMPOSE_REPLY, "Re: spaced out" },
	{ "Re:", COMPOSE_REPLY, "Re:" },
	{ "", COMPOSE_REPLY, "Re:" },
	{ NULL, COMPOSE_REPLY, "Re:" },
	{ "Re: folded\r\n over lines", COMPOSE_REPLY, "Re: folded over lines" },
	{ "=?utf-8?q?Re=3A_caf=C3=A9?=", COMPOSE_REPLY, "Re: caf\xc3\xa9" },
	{ "=?UTF-8?B?UmU6IMOcYmVyc2ljaHQ=?=", COMPOSE_REPLY,
	    "Re: \xc3\x9c" "bersicht" },
	{ "Re: =?iso-8859-1?q?Gr=FC=DFe?=", COMPOSE_REPLY,
	    "Re: Gr\xc3\xbc\xc3\x9f" "e" },
	{ "Re: \x1b[31mred\x1b[0m\ttab\x07", COMPOSE_REPLY, "Re: red tab" },
	{ "caf\xe9", COMPOSE_REPLY, "Re: caf\xc3\xa9" },	/* latin-1 */
	{ "hello", COMPOSE_FORWARD_INLINE, "Fwd: hello" },
	{ "Fwd: hello", COMPOSE_FORWARD_INLINE, "Fwd: hello" },
	{ "Fw: hello", COMPOSE_FORWARD_ATTACH, "Fwd: hello" },
	{ "FWD: fw: hello", COMPOSE_FORWARD_INLINE, "Fwd: hello" },
	{ "Re: hello", COMPOSE_FORWARD_INLINE, "Fwd: Re: hello" },
	{ "Fwdx: hello", COMPOSE_FORWARD_INLINE, "Fwd: Fwdx: hello" },
	{ NULL, COMPOSE_FORWARD_INLINE, "Fwd:" },
	{ "hello", COMPOSE_NEW, NULL },
};

START_TEST(test_subject_table)
{
	const struct subject_case	*c = &subject_cases[_i];
	char				*got;

	got = compose_subject_make(c->raw, c->kind);
	ck_assert_msg(c->want == NULL ? got == NULL : got != NULL &&
	    strcmp(got, c->want) == 0, "case %d \"%s\": got \"%s\", want "
	    "\"%s\"", _i, c->raw != NULL ? c->raw : "(null)",
	    got != NULL ? got : "(null)", c->want != NULL ? c->want : "(null)");
	free(got);
}
END_TEST

/* The subject through compose_start, from a folded, encoded header. */
START_TEST(test_subject_in_start)
{
	struct compose_draft	d;

	test_compose_start(&d, COMPOSE_REPLY, "From: a@example.com\r\n"
	    "Subject: =?utf-8?q?AW=3A?= =?utf-8?q?_Sitzung_am?=\r\n"
	    " =?utf-8?q?_Montag?=\r\n\r\nbody\r\n");
	ck_assert_field(d.subject, "Re: Sitzung am Montag");
	compose_draft_fini(&d);
	test_compose_start(&d, COMPOSE_FORWARD_INLINE, "From: a@example.com\r\n"
	    "Subject: Fw: Re: x\r\n\r\nbody\r\n");
	ck_assert_field(d.subject, "Fwd: Re: x");
	compose_draft_fini(&d);
}
END_TEST

START_TEST(test_new)
{
	struct compose_draft	d;

	test_compose_start(&d, COMPOSE_NEW, "From: x@example.com\r\n\r\nx");
	ck_assert_field(d.from, "Me Myself <me@example.org>");
	ck_assert_field(d.to, NULL);
	ck_assert_field(d.subject, NULL);
	ck_assert_field(d.body, "");
	ck_assert_uint_eq(d.nattach, 0);
	compose_draft_fini(&d);
	ck_assert_ptr_null(d.from);
	ck_assert_ptr_null(d.body);
}
END_TEST

START_TEST(test_bad_kind)
{
	struct compose_draft	d;
	struct error		err;

	memset(&d, 0, sizeof d);
	ck_assert_int_eq(compose_start(&d, (enum compose_kind)42,
	    &test_compose_me, "", 0, &err), -1);
	ck_assert_int_eq(err.code, ERR_UNSUPPORTED);
	ck_assert_ptr_null(d.from);
}
END_TEST

/* Give d n attachments named "0".."n-1". */
static void
add_attachments(struct compose_draft *d, size_t n)
{
	size_t	i;

	d->attach = xcalloc(n, sizeof *d->attach);
	for (i = 0; i < n; i++) {
		d->attach[i].filename = xasprintf("%zu", i);
		d->attach[i].content_type = xstrdup("text/plain");
		d->attach[i].charset = xstrdup("utf-8");
		d->attach[i].data = xstrdup("data");
		d->attach[i].len = 4;
	}
	d->nattach = n;
}

START_TEST(test_detach)
{
	struct compose_draft	d;

	memset(&d, 0, sizeof d);
	add_attachments(&d, 3);
	compose_detach(&d, 1);
	ck_assert_uint_eq(d.nattach, 2);
	ck_assert_str_eq(d.attach[0].filename, "0");
	ck_assert_str_eq(d.attach[1].filename, "2");
	compose_detach(&d, 2);		/* no such one */
	ck_assert_uint_eq(d.nattach, 2);
	compose_detach(&d, 0);
	compose_detach(&d, 0);
	ck_assert_uint_eq(d.nattach, 0);
	ck_assert_ptr_null(d.attach);
	compose_detach(&d, 0);
	compose_draft_fini(&d);
}
END_TEST

START_TEST(test_to_build)
{
	struct compose_draft	d;
	struct mime_build_msg	m;
	struct mime_build_part	parts[2];

	memset(&d, 0, sizeof d);
	d.from = xstrdup("Me <me@example.org>");
	d.to = xstrdup("a@example.com");
	d.cc = xstrdup("");
	d.bcc = xstrdup("hidden@example.com");
	d.subject = xstrdup("Re: x");
	d.in_reply_to = xstrdup("<1@x>");
	d.references = xstrdup("<0@x> <1@x>");
	d.body = xstrdup("text\n");
	add_attachments(&d, 2);
	d.attach[1].is_message = true;
	compose_to_build(&d, &m, parts);
	ck_assert_ptr_eq(m.from, d.from);
	ck_assert_ptr_eq(m.to, d.to);
	ck_assert_ptr_null(m.cc);		/* empty: none */
	ck_assert_ptr_eq(m.bcc, d.bcc);
	ck_assert_ptr_null(m.reply_to);
	ck_assert_ptr_eq(m.subject, d.subject);
	ck_assert_ptr_eq(m.in_reply_to, d.in_reply_to);
	ck_assert_ptr_eq(m.references, d.references);
	ck_assert_ptr_null(m.message_id);
	ck_assert_int_eq(m.date, 0);
	ck_assert_ptr_eq(m.body, d.body);
	ck_assert_uint_eq(m.body_len, 5);
	ck_assert_ptr_eq(m.parts, parts);
	ck_assert_uint_eq(m.nparts, 2);
	ck_assert_ptr_eq(parts[0].data, d.attach[0].data);
	ck_assert_uint_eq(parts[0].len, 4);
	ck_assert_str_eq(parts[0].filename, "0");
	ck_assert_str_eq(parts[0].content_type, "text/plain");
	ck_assert_str_eq(parts[0].charset, "utf-8");
	ck_assert(!parts[0].is_message);
	ck_assert(parts[1].is_message);
	compose_draft_fini(&d);

	/* An empty draft: no parts, an empty body. */
	memset(&d, 0, sizeof d);
	compose_to_build(&d, &m, parts);
	ck_assert_str_eq(m.body, "");
	ck_assert_ptr_null(m.parts);
	ck_assert_uint_eq(m.nparts, 0);
}
END_TEST

/* A reply made here is accepted by the builder, which finds every
 * recipient (Bcc too) and writes no Bcc: header. */
START_TEST(test_to_build_mime_build)
{
	struct compose_draft	 d;
	struct mime_build_msg	 m;
	struct mime_build_part	 parts[1];
	struct buf		 out = BUF_INITIALIZER(0);
	struct error		 err;
	char			**rcpts;

	test_compose_start(&d, COMPOSE_REPLY_ALL,
	    "From: \"Doe, J.\" <j@example.com>\r\n"
	    "To: me@example.org, =?utf-8?q?Zo=C3=AB?= <zoe@example.com>\r\n"
	    "Subject: =?utf-8?q?caf=C3=A9?=\r\n"
	    "Message-ID: <x@example.com>\r\n\r\nhello\r\n");
	d.bcc = xstrdup("hidden@example.com");
	compose_to_build(&d, &m, parts);
	m.date = 1800000000;
	ck_assert_msg(mime_build(&m, &out, &err) == 0, "mime_build: %s",
	    err.msg);
	ck_assert_ptr_null(strstr(buf_str(&out), "hidden@"));
	ck_assert_ptr_nonnull(strstr(buf_str(&out),
	    "In-Reply-To: <x@example.com>\r\n"));
	ck_assert_ptr_nonnull(rcpts = mime_build_rcpts(&m, &err));
	ck_assert_str_eq(rcpts[0], "j@example.com");
	ck_assert_str_eq(rcpts[1], "zoe@example.com");
	ck_assert_str_eq(rcpts[2], "hidden@example.com");
	ck_assert_ptr_null(rcpts[3]);
	mime_build_addrs_free(rcpts);
	buf_fini(&out);
	compose_draft_fini(&d);
}
END_TEST

/* The suite of this file. */
static Suite *
test_compose_suite(void)
{
	Suite	*s = suite_create("compose");
	TCase	*tc = tcase_create("draft");

	tcase_add_loop_test(tc, test_subject_table, 0,
	    sizeof subject_cases / sizeof subject_cases[0]);
	tcase_add_test(tc, test_subject_in_start);
	tcase_add_test(tc, test_new);
	tcase_add_test(tc, test_bad_kind);
	tcase_add_test(tc, test_detach);
	tcase_add_test(tc, test_to_build);
	tcase_add_test(tc, test_to_build_mime_build);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(test_compose_suite());
	srunner_add_suite(sr, test_compose_reply_suite());
	srunner_add_suite(sr, test_compose_quote_suite());
	srunner_add_suite(sr, test_compose_edit_suite());
	srunner_add_suite(sr, test_compose_attach_suite());
	srunner_add_suite(sr, test_compose_resume_suite());
	srunner_add_suite(sr, test_compose_addrbook_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

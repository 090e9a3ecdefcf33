/*
 * test_compose_quote.c - unit tests of the attribution line, quoting
 * (nested quotes, signatures, control characters) and forwarding inline
 * and as an attachment (src/compose/compose_quote.c).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "compose/compose.h"
#include "compose/compose_int.h"
#include "util/xmalloc.h"
#include "test_compose.h"

/* Run in time zone tz (a POSIX TZ value, no tzdata needed). */
static void
set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* The attribution line of msg (a C string). */
static char *
attribution(const char *msg)
{
	return compose_attribution(msg, strlen(msg));
}

/* Reply to msg and compare the whole body. */
static void
check_reply_body(const char *msg, const char *want)
{
	struct compose_draft	d;

	test_compose_start(&d, COMPOSE_REPLY, msg);
	ck_assert_field(d.body, want);
	compose_draft_fini(&d);
}

START_TEST(test_quote_reply)
{
	set_tz("UTC0");
	check_reply_body(
	    "From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <joerg@example.de>\r\n"
	    "Date: Mon, 30 Nov 2026 09:14:00 +0100\r\n"
	    "Subject: test\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n"
	    "\r\n"
	    "Hello,\r\n"
	    "> earlier quote\r\n"
	    ">> deeper\r\n"
	    "\r\n"
	    "third line=20\r\n"
	    "\tindented\r\n"
	    "-- not a signature\r\n"
	    "--\r\n"
	    "\r\n"
	    "--=20\r\n"
	    "J=C3=B6rg\r\n"
	    "Phone: 123\r\n",
	    "On Mon, 30 Nov 2026 at 08:14, J\xc3\xb6rg M\xc3\xbcller wrote:\n"
	    "> Hello,\n"
	    ">> earlier quote\n"
	    ">>> deeper\n"
	    ">\n"
	    "> third line \n"
	    "> \tindented\n"
	    "> -- not a signature\n"
	    "> --\n"
	    "\n");
}
END_TEST

START_TEST(test_quote_last_signature)
{
	/* Only the last "-- " line starts the signature. */
	set_tz("UTC0");
	check_reply_body(
	    "From: Alice Example <alice@example.com>\r\n"
	    "\r\n"
	    "top\r\n-- \r\nmiddle\r\n-- \r\nsig\r\n",
	    "Alice Example wrote:\n"
	    "> top\n"
	    "> -- \n"
	    "> middle\n"
	    "\n");
	/* A message that is all signature. */
	check_reply_body("From: a@example.com\r\n\r\n-- \r\nsig\r\n",
	    "a@example.com wrote:\n\n");
}
END_TEST

START_TEST(test_attribution)
{
	char	*s;

	/* The brief's example: the original date in the local zone. */
	set_tz("CET-1");
	s = attribution("From: Alice Example <alice@example.com>\r\n"
	    "Date: Mon, 30 Nov 2026 09:14:00 +0100\r\n\r\n");
	ck_assert_str_eq(s, "On Mon, 30 Nov 2026 at 09:14, Alice Example "
	    "wrote:");
	free(s);
	set_tz("XST-05:30");
	s = attribution("From: Alice Example <alice@example.com>\r\n"
	    "Date: Mon, 30 Nov 2026 23:14:00 +0000\r\n\r\n");
	ck_assert_str_eq(s, "On Tue, 1 Dec 2026 at 04:44, Alice Example "
	    "wrote:");
	free(s);
	/* No date, a date that cannot be read. */
	s = attribution("From: Alice <a@example.com>\r\n\r\n");
	ck_assert_str_eq(s, "Alice wrote:");
	free(s);
	s = attribution("From: Alice <a@example.com>\r\n"
	    "Date: yesterday\r\n\r\n");
	ck_assert_str_eq(s, "Alice wrote:");
	free(s);
	/* No name: the address; no From: someone. */
	s = attribution("From: a@example.com\r\n\r\n");
	ck_assert_str_eq(s, "a@example.com wrote:");
	free(s);
	s = attribution("Subject: x\r\n\r\n");
	ck_assert_str_eq(s, "someone wrote:");
	free(s);
	/* A name with escapes and line breaks is one clean line. */
	s = attribution("From: =?utf-8?q?Eve=1B=5D0=3Bpwned=07=0AX?= "
	    "<e@example.com>\r\n\r\n");
	ck_assert_str_eq(s, "Eve X wrote:");
	free(s);
}
END_TEST

START_TEST(test_quote_alternative)
{
	/* The text/plain part of an alternative, base64 in latin-1;
	 * controls dropped, tabs kept. */
	check_reply_body(
	    "From: Bob <bob@example.com>\r\n"
	    "Content-Type: multipart/alternative; boundary=XX\r\n"
	    "\r\n"
	    "--XX\r\n"
	    "Content-Type: text/html\r\n"
	    "\r\n"
	    "<p>html version</p>\r\n"
	    "--XX\r\n"
	    "Content-Type: text/plain; charset=iso-8859-1\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "\r\n"
	    "Q2Fm6SAbWzJKb2sNCmJlbGwHCXRhYg0K\r\n"
	    "--XX--\r\n",
	    "Bob wrote:\n"
	    "> Caf\xc3\xa9 ok\n"
	    "> bell\ttab\n"
	    "\n");
}
END_TEST

START_TEST(test_quote_no_text)
{
	/* No text part: the pager's note is quoted. */
	check_reply_body(
	    "From: Bob <bob@example.com>\r\n"
	    "Content-Type: image/png\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "\r\n"
	    "iVBORw0KGgo=\r\n",
	    "Bob wrote:\n"
	    "> [no text part: image/png]\n"
	    "\n");
	check_reply_body("From: Bob <bob@example.com>\r\n\r\n",
	    "Bob wrote:\n\n");
}
END_TEST

static const char fwd_msg[] =
	"From: Alice Example <alice@example.com>\r\n"
	"To: Bob <bob@example.com>\r\n"
	"Cc: carol@example.com,\r\n"
	" =?utf-8?q?Zo=C3=AB?= <zoe@example.com>\r\n"
	"Date: Mon, 30 Nov 2026 09:14:00 +0100\r\n"
	"Subject: =?utf-8?q?Plans_/_caf=C3=A9?=\r\n"
	"Message-ID: <plans@example.com>\r\n"
	"\r\n"
	"Line one\r\n"
	"> quoted\r\n"
	"-- \r\n"
	"Alice\r\n";

START_TEST(test_forward_inline)
{
	struct compose_draft	d;

	test_compose_start(&d, COMPOSE_FORWARD_INLINE, fwd_msg);
	ck_assert_field(d.from, "Me Myself <me@example.org>");
	ck_assert_field(d.to, NULL);
	ck_assert_field(d.cc, NULL);
	ck_assert_field(d.subject, "Fwd: Plans / caf\xc3\xa9");
	ck_assert_field(d.body,
	    "\n"
	    "---------- Forwarded message ----------\n"
	    "From: Alice Example <alice@example.com>\n"
	    "Date: Mon, 30 Nov 2026 09:14:00 +0100\n"
	    "Subject: Plans / caf\xc3\xa9\n"
	    "To: Bob <bob@example.com>\n"
	    "Cc: carol@example.com, Zo\xc3\xab <zoe@example.com>\n"
	    "\n"
	    "Line one\n"
	    "> quoted\n"
	    "-- \n"
	    "Alice\n");
	ck_assert_uint_eq(d.nattach, 0);
	compose_draft_fini(&d);

	/* Missing headers are left out; a body without a final newline
	 * gets one. */
	test_compose_start(&d, COMPOSE_FORWARD_INLINE,
	    "Subject: bare\r\n\r\nno newline");
	ck_assert_field(d.body,
	    "\n"
	    "---------- Forwarded message ----------\n"
	    "Subject: bare\n"
	    "\n"
	    "no newline\n");
	compose_draft_fini(&d);
}
END_TEST

START_TEST(test_forward_attach)
{
	struct compose_draft	 d;
	struct mime_build_msg	 m;
	struct mime_build_part	 parts[1];
	struct compose_attach	*a;

	test_compose_start(&d, COMPOSE_FORWARD_ATTACH, fwd_msg);
	ck_assert_field(d.subject, "Fwd: Plans / caf\xc3\xa9");
	ck_assert_field(d.to, NULL);
	ck_assert_field(d.body, "");
	ck_assert_uint_eq(d.nattach, 1);
	a = &d.attach[0];
	ck_assert(a->is_message);
	ck_assert_str_eq(a->content_type, "message/rfc822");
	ck_assert_ptr_null(a->charset);
	ck_assert_ptr_null(a->path);
	ck_assert_str_eq(a->filename, "Plans _ caf\xc3\xa9.eml");
	ck_assert_uint_eq(a->len, sizeof fwd_msg - 1);
	ck_assert(memcmp(a->data, fwd_msg, a->len) == 0);
	ck_assert_ptr_ne(a->data, fwd_msg);
	compose_to_build(&d, &m, parts);
	ck_assert_uint_eq(m.nparts, 1);
	ck_assert(parts[0].is_message);
	ck_assert_ptr_eq(parts[0].data, a->data);
	ck_assert_uint_eq(parts[0].len, a->len);
	compose_draft_fini(&d);

	/* No subject: a fixed name. */
	test_compose_start(&d, COMPOSE_FORWARD_ATTACH, "From: a@b\r\n\r\nx");
	ck_assert_str_eq(d.attach[0].filename, "forwarded-message.eml");
	compose_draft_fini(&d);
}
END_TEST

START_TEST(test_forward_attach_too_big)
{
	struct compose_draft	d;
	struct error		err;

	/* The size is checked before the bytes are looked at. */
	memset(&d, 0, sizeof d);
	ck_assert_int_eq(compose_forward_attach(&d, "x",
	    (size_t)COMPOSE_ATTACH_MAX + 1, &err), -1);
	ck_assert_int_eq(err.code, ERR_TOOBIG);
	ck_assert_uint_eq(d.nattach, 0);
}
END_TEST

/* The suite of this file. */
Suite *
test_compose_quote_suite(void)
{
	Suite	*s = suite_create("compose_quote");
	TCase	*tc = tcase_create("quote");

	tcase_add_test(tc, test_quote_reply);
	tcase_add_test(tc, test_quote_last_signature);
	tcase_add_test(tc, test_attribution);
	tcase_add_test(tc, test_quote_alternative);
	tcase_add_test(tc, test_quote_no_text);
	tcase_add_test(tc, test_forward_inline);
	tcase_add_test(tc, test_forward_attach);
	tcase_add_test(tc, test_forward_attach_too_big);
	suite_add_tcase(s, tc);
	return s;
}

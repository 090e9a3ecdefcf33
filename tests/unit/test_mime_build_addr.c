/*
 * test_mime_build_addr.c - unit tests of the message builder's address
 * lists (src/mime/build_addr.c): display names as atoms, quoted strings
 * or encoded words, groups, long lists folded, addresses longer than a
 * line, Bcc kept out of the message, the envelope recipients, and the
 * errors of mime_build (nothing appended on failure).  Every list is
 * read back with mime_address_list_parse.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "mime/address.h"
#include "mime/build.h"
#include "mime/mime.h"
#include "test_mime_build.h"
#include "util/xmalloc.h"

START_TEST(test_addresses)
{
	struct mime_build_msg	m;

	tb_msg(&m);
	m.from = "Jöhn Dœ <john@example.org>";
	m.to = "\"Doe, John\" <d@x.org>, John Q. Public <p@x.org>, "
	    "plain@x.org, Ann Other <ann@x.org>";
	m.cc = "Team: a@x.org, =?utf-8?q?Caf=C3=A9?= <c@x.org>;, "
	    "Empty:;, e@x.org (Eve)";
	m.reply_to = "日本語の名前 <jp@x.org>";
	m.subject = "s";
	tb_headers_eq(&m,
	    "Date: Tue, 1 Jul 2025 12:05:09 +0000\r\n"
	    "From: =?UTF-8?B?SsO2aG4gRMWT?= <john@example.org>\r\n"
	    "To: \"Doe, John\" <d@x.org>, \"John Q. Public\" <p@x.org>, "
	    "plain@x.org, Ann Other\r\n <ann@x.org>\r\n"
	    "Cc: Team: a@x.org, =?UTF-8?B?Q2Fmw6k=?= <c@x.org>;, Empty:;, "
	    "Eve <e@x.org>\r\n"
	    "Reply-To: =?UTF-8?B?5pel5pys6Kqe44Gu5ZCN5YmN?= <jp@x.org>\r\n"
	    "Subject: s\r\n"
	    "Message-ID: <1@example.org>\r\n");
}
END_TEST

/* Build with To: to, parse the field back, compare names and addresses
 * (name NULL: none). */
static void
tb_to_roundtrip(const char *to, const char *const *names,
    const char *const *addrs, size_t n)
{
	struct mime_build_msg		 m;
	struct mime_address_list	 l;
	char				*msg, *v;
	size_t				 len, i;

	tb_msg(&m);
	m.to = to;
	msg = tb_build(&m, &len);
	v = tb_field(msg, len, "To");
	mime_address_list_parse(v, strlen(v), &l);
	ck_assert_uint_eq(l.n, n);
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(l.v[i].addr, addrs[i]);
		if (names[i] == NULL)
			ck_assert_ptr_null(l.v[i].name);
		else
			ck_assert_str_eq(l.v[i].name, names[i]);
	}
	mime_address_list_fini(&l);
	free(v);
	free(msg);
}

START_TEST(test_address_names)
{
	static const char *const names[] = {
		"日本語の名前日本語の名前日本語の名前日本語の名前日本語の名前",
		"Jöhn \"The Man\" Dœ, Jr.", "a\\b \"c\"", NULL,
		"Dr. No (Bond)",
		"Lorem ipsum dolor sit amet consectetur adipiscing elit sed do "
		"eiusmod tempor"
	};
	static const char *const addrs[] = {
		"jp@x.org", "j@x.org", "ab@x.org", "\"odd local\"@x.org",
		"n@x.org", "l@x.org"
	};

	tb_to_roundtrip("=?utf-8?b?5pel5pys6Kqe44Gu5ZCN5YmN5pel5pys6Kqe44Gu5"
	    "ZCN5YmN5pel5pys6Kqe44Gu5ZCN5YmN5pel5pys6Kqe44Gu5ZCN5YmN5pel5pys6Kq"
	    "e44Gu5ZCN5YmN?= <jp@x.org>, "
	    "\"Jöhn \\\"The Man\\\" Dœ, Jr.\" <j@x.org>, "
	    "\"a\\\\b \\\"c\\\"\" <ab@x.org>, \"odd local\"@x.org, "
	    "\"Dr. No (Bond)\" <n@x.org>, "
	    "Lorem ipsum dolor sit amet consectetur adipiscing elit sed do "
	    "eiusmod tempor <l@x.org>", names, addrs, 6);
}
END_TEST

START_TEST(test_address_long)
{
	struct mime_build_msg	 m;
	struct buf		 to = BUF_INITIALIZER(0);
	char			*msg, *v;
	size_t			 len, i;

	/* A 300-octet address: a line of its own, longer than 78. */
	buf_adds(&to, "a@b.org, ");
	for (i = 0; i < 300; i++)
		buf_addc(&to, 'x');
	buf_adds(&to, "@x.org, c@d.org");
	tb_msg(&m);
	m.to = buf_str(&to);
	msg = tb_build(&m, &len);
	v = tb_field(msg, len, "To");
	ck_assert_str_eq(v, buf_str(&to));
	ck_assert_ptr_nonnull(strstr(msg, "To: a@b.org,\r\n xxx"));
	ck_assert_ptr_nonnull(strstr(msg, "@x.org,\r\n c@d.org\r\n"));
	free(v);
	free(msg);
	/* 1000 members fold into lines of at most 78. */
	buf_reset(&to);
	for (i = 0; i < 1000; i++)
		buf_printf(&to, "%sU%zu <u%zu@example.org>", i ? ", " : "", i,
		    i);
	m.to = buf_str(&to);
	msg = tb_build(&m, &len);
	v = tb_field(msg, len, "To");
	ck_assert_str_eq(v, buf_str(&to));
	free(v);
	free(msg);
	buf_fini(&to);
}
END_TEST

START_TEST(test_bcc_hidden)
{
	struct mime_build_msg	 m;
	char			*msg;
	size_t			 len;

	tb_msg(&m);
	m.cc = "c@x.org";
	m.bcc = "Secret Person <secret@x.org>";
	msg = tb_build(&m, &len);
	ck_assert_ptr_null(strstr(msg, "ecret"));
	ck_assert_ptr_null(strstr(msg, "Bcc"));
	free(msg);
	/* Only Bcc: the message says it was addressed. */
	m.to = NULL;
	m.cc = "";
	msg = tb_build(&m, &len);
	ck_assert_ptr_null(strstr(msg, "ecret"));
	ck_assert_ptr_nonnull(strstr(msg,
	    "\r\nTo: undisclosed-recipients:;\r\n"));
	ck_assert_ptr_null(strstr(msg, "Cc:"));
	free(msg);
}
END_TEST

START_TEST(test_rcpts)
{
	struct mime_build_msg	  m;
	struct error		  err;
	char			**v;

	tb_msg(&m);
	m.to = "a@x.org, B <b@x.org>, Team: t1@x.org, t2@x.org;";
	m.cc = "A@X.ORG, c@x.org, Empty:;";
	m.bcc = "d@x.org, b@x.org, \"q r\"@x.org";
	v = mime_build_rcpts(&m, &err);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v[0], "a@x.org");
	ck_assert_str_eq(v[1], "b@x.org");
	ck_assert_str_eq(v[2], "t1@x.org");
	ck_assert_str_eq(v[3], "t2@x.org");
	ck_assert_str_eq(v[4], "c@x.org");
	ck_assert_str_eq(v[5], "d@x.org");
	ck_assert_str_eq(v[6], "\"q r\"@x.org");
	ck_assert_ptr_null(v[7]);
	mime_build_addrs_free(v);
	/* None at all: an empty vector. */
	m.to = m.cc = m.bcc = NULL;
	v = mime_build_rcpts(&m, &err);
	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_null(v[0]);
	mime_build_addrs_free(v);
	/* A name without an address, in Bcc. */
	m.bcc = "ok@x.org, Joe";
	v = mime_build_rcpts(&m, &err);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(err.code, ERR_PARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "Bcc: \"Joe\""));
	mime_build_addrs_free(NULL);
}
END_TEST

/* Build m, expect failure with code and a message containing what, and
 * the output untouched. */
static void
tb_fails(const struct mime_build_msg *m, enum error_code code,
    const char *what, size_t max)
{
	struct buf	out = BUF_INITIALIZER(max);
	struct error	err;

	buf_adds(&out, "kept");
	ck_assert_int_eq(mime_build(m, &out, &err), -1);
	ck_assert_int_eq(err.code, code);
	ck_assert_msg(strstr(err.msg, what) != NULL, "error \"%s\", want "
	    "\"%s\"", err.msg, what);
	ck_assert_uint_eq(out.len, 4);
	ck_assert_str_eq(buf_str(&out), "kept");
	buf_fini(&out);
}

START_TEST(test_errors_addresses)
{
	struct mime_build_msg	m;

	tb_msg(&m);
	m.from = NULL;
	tb_fails(&m, ERR_PARSE, "From: no sender", 0);
	m.from = "Team: a@x.org;";
	tb_fails(&m, ERR_PARSE, "From: a group", 0);
	tb_msg(&m);
	m.to = "bob@example.net, Joe";
	tb_fails(&m, ERR_PARSE, "To: \"Joe\" is not an address", 0);
	m.to = "<root>";
	tb_fails(&m, ERR_PARSE, "To: \"root\" is not a valid address", 0);
	m.to = "=?x@y.org";
	tb_fails(&m, ERR_PARSE, "To: \"=?x@y.org\" is not a valid address",
	    0);
	tb_msg(&m);
	m.cc = "x@y.org, <a,b@c.org>";
	tb_fails(&m, ERR_PARSE, "Cc:", 0);
	tb_msg(&m);
	m.reply_to = "Nobody";
	tb_fails(&m, ERR_PARSE, "Reply-To:", 0);
}
END_TEST

START_TEST(test_errors_fields)
{
	struct mime_build_msg		m;
	struct mime_build_header	h = { "Bad Name", "x" };
	struct mime_build_part		p;

	tb_msg(&m);
	m.message_id = "no-brackets@x";
	tb_fails(&m, ERR_PARSE, "Message-ID:", 0);
	m.message_id = "<a b@x>";
	tb_fails(&m, ERR_PARSE, "Message-ID:", 0);
	tb_msg(&m);
	m.headers = &h;
	m.nheaders = 1;
	tb_fails(&m, ERR_PARSE, "\"Bad Name\" is not a header field name", 0);
	h.name = "subject";
	tb_fails(&m, ERR_PARSE, "subject: the message builder", 0);
	h.name = "Content-Type";
	tb_fails(&m, ERR_PARSE, "Content-Type: the message builder", 0);
	h.name = "";
	tb_fails(&m, ERR_PARSE, "not a header field name", 0);
	h.name = "Mail-Followup-To";
	h.value = "Joe";
	tb_fails(&m, ERR_PARSE, "Mail-Followup-To: \"Joe\"", 0);
	tb_msg(&m);
	memset(&p, 0, sizeof p);
	p.data = "x";
	p.len = 1;
	p.content_type = "text";
	m.parts = &p;
	m.nparts = 1;
	tb_fails(&m, ERR_PARSE, "bad content type", 0);
	p.content_type = "text/plain; charset=x";
	tb_fails(&m, ERR_PARSE, "bad content type", 0);
	p.content_type = "text/plain";
	p.charset = "utf 8";
	tb_fails(&m, ERR_PARSE, "bad charset", 0);
	/* Too big: ERR_TOOBIG, out as it was. */
	tb_msg(&m);
	tb_fails(&m, ERR_TOOBIG, "larger than", 100);
	p.charset = NULL;
	m.parts = &p;
	m.nparts = 1;
	tb_fails(&m, ERR_TOOBIG, "larger than", 200);
}
END_TEST


/* The address suite. */
Suite *
test_mime_build_addr_suite(void)
{
	Suite	*s = suite_create("mime_build_addr");
	TCase	*tc;

	tc = tcase_create("address");
	tcase_add_test(tc, test_addresses);
	tcase_add_test(tc, test_address_names);
	tcase_add_test(tc, test_address_long);
	tcase_add_test(tc, test_bcc_hidden);
	tcase_add_test(tc, test_rcpts);
	tcase_add_test(tc, test_errors_addresses);
	tcase_add_test(tc, test_errors_fields);
	suite_add_tcase(s, tc);
	return s;
}

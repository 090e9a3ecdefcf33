/*
 * test_mime_address.c - unit tests of RFC 5322 address lists, message ids
 * and envelopes (src/mime/address.c, src/mime/envelope.c).
 *
 * The table of hard cases was checked against Python's email package
 * (policy.default, headerregistry); where the results differ on purpose
 * (missing commas, comments as names, bare names, whitespace between
 * encoded words) address.c's header comment says why.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "mime/address.h"
#include "mime/mime.h"
#include "mime/mime_int.h"
#include "util/buf.h"

/* One hard case: the members as "{group}\"name\"<addr>; ...", and the
 * one-line form (NULL: none). */
struct addr_case {
	const char	*in;
	size_t		 len;
	const char	*members;
	const char	*line;
};

#define AC(in, members, line)	{ (in), sizeof(in) - 1, (members), (line) }

static const struct addr_case addr_cases[] = {
	/* Groups (RFC 5322 3.4), empty, unterminated, "nested". */
	AC("undisclosed-recipients:;",
	    "{undisclosed-recipients}",
	    "undisclosed-recipients:;"),
	AC("undisclosed-recipients: ;",
	    "{undisclosed-recipients}",
	    "undisclosed-recipients:;"),
	AC("undisclosed recipients:",
	    "{undisclosed recipients}",
	    "undisclosed recipients:;"),
	AC("Team: a@b.c, \"Bob X\" <bob@x.y>;, c@d",
	    "{Team}<a@b.c>; {Team}\"Bob X\"<bob@x.y>; <c@d>",
	    "Team: a@b.c, Bob X <bob@x.y>;, c@d"),
	AC("A Group:Ed Jones <c@a.test>,joe@where.test,"
	    "John <jdoe@one.test>;",
	    "{A Group}\"Ed Jones\"<c@a.test>; {A Group}<joe@where.test>; "
	    "{A Group}\"John\"<jdoe@one.test>",
	    "A Group: Ed Jones <c@a.test>, joe@where.test, "
	    "John <jdoe@one.test>;"),
	AC("G1: a@b; G2:;",
	    "{G1}<a@b>; {G2}",
	    "G1: a@b;, G2:;"),
	AC("G1: a@b, G2: c@d;;",
	    "{G1}<a@b>; {G2}<c@d>",
	    "G1: a@b;, G2: c@d;"),
	AC("=?utf-8?q?Team?=: a@b;",
	    "{Team}<a@b>",
	    "Team: a@b;"),
	AC("Re: foo <a@b>",
	    "{Re}\"foo\"<a@b>",
	    "Re: foo <a@b>;"),
	AC("Team: Joe;",
	    "{Team}\"Joe\"",
	    "Team: Joe;"),
	/* Comments and quoted strings with escapes. */
	AC("a@b (Comment (nested \\) x) Name)",
	    "\"Comment (nested ) x) Name\"<a@b>",
	    "\"Comment (nested ) x) Name\" <a@b>"),
	AC("Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>",
	    "\"Pete\"<pete@silly.test>",
	    "Pete <pete@silly.test>"),
	AC("\"Smith, John \\\"JJ\\\"\" <john@x.org>",
	    "\"Smith, John \"JJ\"\"<john@x.org>",
	    "\"Smith, John \\\"JJ\\\"\" <john@x.org>"),
	AC("\"\\x\" <a@b>",
	    "\"x\"<a@b>",
	    "x <a@b>"),
	/* Encoded words (RFC 2047 section 5), also inside quotes. */
	AC("=?utf-8?q?Andr=C3=A9?= Pirard <a@b.c>",
	    "\"Andr\xc3\xa9 Pirard\"<a@b.c>",
	    "Andr\xc3\xa9 Pirard <a@b.c>"),
	AC("\"=?utf-8?q?Andr=C3=A9?=\" <a@b.c>",
	    "\"Andr\xc3\xa9\"<a@b.c>",
	    "Andr\xc3\xa9 <a@b.c>"),
	AC("\"=?utf-8?q?Andr=C3=A9?= P\" <a@b.c>",
	    "\"Andr\xc3\xa9 P\"<a@b.c>",
	    "Andr\xc3\xa9 P <a@b.c>"),
	AC("=?utf-8?b?w6lsw6h2ZQ==?= =?utf-8?b?IGTDqQ==?= <e@x.y>",
	    "\"\xc3\xa9l\xc3\xa8ve d\xc3\xa9\"<e@x.y>",
	    "\xc3\xa9l\xc3\xa8ve d\xc3\xa9 <e@x.y>"),
	AC("=?utf-8?q?caf=C3?= =?utf-8?q?=A9?= <c@x.y>",
	    "\"caf\xc3\xa9\"<c@x.y>",
	    "caf\xc3\xa9 <c@x.y>"),
	AC("=?utf-8?q?a?= \"b\" <x@y>",
	    "\"a b\"<x@y>",
	    "a b <x@y>"),
	AC("\"=?utf-8?q?a?=\" \"=?utf-8?q?b?=\" <x@y>",
	    "\"ab\"<x@y>",
	    "ab <x@y>"),
	AC("=?utf-8?q?a?= x =?utf-8?q?b?= <x@y>",
	    "\"a x b\"<x@y>",
	    "a x b <x@y>"),
	AC("=?utf-8?q?Doe,_John?= <x@y>",
	    "\"Doe, John\"<x@y>",
	    "\"Doe, John\" <x@y>"),
	AC("=?utf-8?q?Doe=2C_John?= <x@y>",
	    "\"Doe, John\"<x@y>",
	    "\"Doe, John\" <x@y>"),
	AC("=?iso-8859-1?q?Andr=E9?= <a@b>",
	    "\"Andr\xc3\xa9\"<a@b>",
	    "Andr\xc3\xa9 <a@b>"),
	/* Obsolete routes; a comment as the name; bare names. */
	AC("<@a.com,@b.com:x@y.z>",
	    "<x@y.z>",
	    "x@y.z"),
	AC("Joe <@a.com,@b.com:x@y.z>",
	    "\"Joe\"<x@y.z>",
	    "Joe <x@y.z>"),
	AC("x@y.z (Comment Name)",
	    "\"Comment Name\"<x@y.z>",
	    "Comment Name <x@y.z>"),
	AC("<a@b> (Joe)",
	    "\"Joe\"<a@b>",
	    "Joe <a@b>"),
	AC("(Joe) <a@b>",
	    "\"Joe\"<a@b>",
	    "Joe <a@b>"),
	AC("a@b (c1) (c2)",
	    "\"c1\"<a@b>",
	    "c1 <a@b>"),
	AC("(just a comment)",
	    "",
	    NULL),
	AC("unlisted-recipients:; (no To-header on input)",
	    "{unlisted-recipients}",
	    "unlisted-recipients:;"),
	AC("Name",
	    "\"Name\"",
	    "Name"),
	AC("<x@y>",
	    "<x@y>",
	    "x@y"),
	/* Missing commas and other common junk. */
	AC("a@b c@d",
	    "<a@b>; <c@d>",
	    "a@b, c@d"),
	AC("Joe <a@b> Ann <c@d>",
	    "\"Joe\"<a@b>; \"Ann\"<c@d>",
	    "Joe <a@b>, Ann <c@d>"),
	AC("Joe <a@b> <c@d>",
	    "\"Joe\"<a@b>; <c@d>",
	    "Joe <a@b>, c@d"),
	AC("John Doe john@x.y",
	    "\"John Doe\"<john@x.y>",
	    "John Doe <john@x.y>"),
	AC("foo@bar.com <foo@bar.com>",
	    "\"foo@bar.com\"<foo@bar.com>",
	    "\"foo@bar.com\" <foo@bar.com>"),
	AC("\"foo@bar.com\" <foo@bar.com>",
	    "\"foo@bar.com\"<foo@bar.com>",
	    "\"foo@bar.com\" <foo@bar.com>"),
	AC("Foo Bar <foo@bar>; baz@qux",
	    "\"Foo Bar\"<foo@bar>; <baz@qux>",
	    "Foo Bar <foo@bar>, baz@qux"),
	AC("Doe, John <jd@x.y>",
	    "\"Doe\"; \"John\"<jd@x.y>",
	    "Doe, John <jd@x.y>"),
	/* Unbalanced quotes, brackets, parentheses; folding. */
	AC("\"Unbalanced <a@b>",
	    "\"Unbalanced <a@b>\"",
	    "\"Unbalanced <a@b>\""),
	AC("Joe <a@b",
	    "\"Joe\"<a@b>",
	    "Joe <a@b>"),
	AC("Joe <a@b, Ann <c@d>",
	    "\"Joe\"<a@b>; \"Ann\"<c@d>",
	    "Joe <a@b>, Ann <c@d>"),
	AC("a@b (unclosed",
	    "\"unclosed\"<a@b>",
	    "unclosed <a@b>"),
	AC("<<a@b>>",
	    "<a@b>",
	    "a@b"),
	AC("Joe\r\n Smith <a@b>\r\n, c@d",
	    "\"Joe Smith\"<a@b>; <c@d>",
	    "Joe Smith <a@b>, c@d"),
	AC("\"a\r\n b\" <a@b>",
	    "\"a b\"<a@b>",
	    "a b <a@b>"),
	AC("Joe <a@\r\n b.c>",
	    "\"Joe\"<a@b.c>",
	    "Joe <a@b.c>"),
	/* Local parts, obsolete CFWS, literals, empty members. */
	AC("\"local part\"@x.y",
	    "<\"local part\"@x.y>",
	    "\"local part\"@x.y"),
	AC("\"a.b\"@x.y",
	    "<a.b@x.y>",
	    "a.b@x.y"),
	AC("Joe <\"j oe\"@x.y>",
	    "\"Joe\"<\"j oe\"@x.y>",
	    "Joe <\"j oe\"@x.y>"),
	AC("Joe <\"j\\\"oe\"@x.y>",
	    "\"Joe\"<\"j\\\"oe\"@x.y>",
	    "Joe <\"j\\\"oe\"@x.y>"),
	AC("John.Q.Public@example.com",
	    "<John.Q.Public@example.com>",
	    "John.Q.Public@example.com"),
	AC("Joe Q. Public <jqp@x.y>",
	    "\"Joe Q. Public\"<jqp@x.y>",
	    "Joe Q. Public <jqp@x.y>"),
	AC("John Doe <jdoe@machine(comment).  example>",
	    "\"John Doe\"<jdoe@machine.example>",
	    "John Doe <jdoe@machine.example>"),
	AC("jdoe@[192.0.2.1]",
	    "<jdoe@[192.0.2.1]>",
	    "jdoe@[192.0.2.1]"),
	AC("a@b,,c@d",
	    "<a@b>; <c@d>",
	    "a@b, c@d"),
	AC(", a@b ,",
	    "<a@b>",
	    "a@b"),
	AC("<>",
	    "",
	    NULL),
	AC("Joe <>",
	    "\"Joe\"",
	    "Joe"),
	AC("a@",
	    "<a@>",
	    "a@"),
	AC("@b",
	    "<@b>",
	    "@b"),
	/* Raw 8-bit (RFC 6532) and more phrases. */
	AC("Jo\xc3\xabl <j@x.y>",
	    "\"Jo\xc3\xabl\"<j@x.y>",
	    "Jo\xc3\xabl <j@x.y>"),
	AC("Jo\xebl <j@x.y>",
	    "\"Jo\xc3\xabl\"<j@x.y>",
	    "Jo\xc3\xabl <j@x.y>"),
	AC("\"J\xc3\xb6rg \\\"x\\\"\" <j@x.y>",
	    "\"J\xc3\xb6rg \"x\"\"<j@x.y>",
	    "\"J\xc3\xb6rg \\\"x\\\"\" <j@x.y>"),
	AC("J\xc3\xb6rg <j\xc3\xb6rg@b\xc3\xbc" "cher.de>",
	    "\"J\xc3\xb6rg\"<j\xc3\xb6rg@b\xc3\xbc" "cher.de>",
	    "J\xc3\xb6rg <j\xc3\xb6rg@b\xc3\xbc" "cher.de>"),
	AC("\"Joe\" \"Smith\" <a@b>",
	    "\"Joe Smith\"<a@b>",
	    "Joe Smith <a@b>"),
	AC("\"Joe\"Smith<a@b>",
	    "\"JoeSmith\"<a@b>",
	    "JoeSmith <a@b>"),
	AC("Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>",
	    "\"Mary Smith\"<mary@x.test>; <jdoe@example.org>; "
	    "\"Who?\"<one@y.test>",
	    "Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>"),
	AC("<boss@nil.test>, "
	    "\"Giant; \\\"Big\\\" Box\" <sysservices@example.net>",
	    "<boss@nil.test>; \"Giant; \"Big\" Box\"<sysservices@example.net>",
	    "boss@nil.test, "
	    "\"Giant; \\\"Big\\\" Box\" <sysservices@example.net>"),
	AC("[External] Joe <a@b>",
	    "\"[External] Joe\"<a@b>",
	    "\"[External] Joe\" <a@b>"),
	AC("DOMAIN\\user <a@b>",
	    "\"DOMAIN\\user\"<a@b>",
	    "\"DOMAIN\\\\user\" <a@b>"),
	AC("Joe <postmaster>",
	    "\"Joe\"<postmaster>",
	    "Joe <postmaster>"),
	AC("a\x00" "b <c@d>",
	    "\"a b\"<c@d>",
	    "a b <c@d>"),
	AC("\"\" <a@b>",
	    "<a@b>",
	    "a@b"),
	AC(": a@b;",
	    "<a@b>",
	    "a@b"),
	/* Leftovers. */
	AC("Joe <a@b> , Ann <c@d>;",
	    "\"Joe\"<a@b>; \"Ann\"<c@d>",
	    "Joe <a@b>, Ann <c@d>"),
	AC("=?utf-8?q?J=C3=B6rg?= <j@x>, =?utf-8?q?=22Quoted=22?= <q@x>",
	    "\"J\xc3\xb6rg\"<j@x>; \"\"Quoted\"\"<q@x>",
	    "J\xc3\xb6rg <j@x>, \"\\\"Quoted\\\"\" <q@x>"),
	AC("\"=?utf-8?b?w6k=?=\\\"\" <e@x>",
	    "\"\xc3\xa9\"\"<e@x>",
	    "\"\xc3\xa9\\\"\" <e@x>"),
	AC("Joe <mailto:joe@x.y>",
	    "\"Joe\"<mailto:joe@x.y>",
	    "Joe <mailto:joe@x.y>"),
	AC("a@b(x).c",
	    "<a@b.c>",
	    "a@b.c"),
	AC("a@b <c@d> e@f",
	    "\"a@b\"<c@d>; <e@f>",
	    "\"a@b\" <c@d>, e@f"),
	AC("x@y\r\n\t(Joe\r\n Smith)",
	    "\"Joe Smith\"<x@y>",
	    "Joe Smith <x@y>"),
	AC("Undisclosed:;, a@b",
	    "{Undisclosed}; <a@b>",
	    "Undisclosed:;, a@b"),
	AC("G: (nobody);",
	    "{G}",
	    "G:;"),
	AC("=?x-unknown-cs?q?abc?= <a@b>",
	    "\"=?x-unknown-cs?q?abc?=\"<a@b>",
	    "=?x-unknown-cs?q?abc?= <a@b>"),
	AC("\"Joe",
	    "\"Joe\"",
	    "Joe"),
	AC("Joe (",
	    "\"Joe\"",
	    "Joe"),
	AC("<",
	    "",
	    NULL),
	AC("Joe) <a@b)>, c@d",
	    "\"Joe\"<a@b>; <c@d>",
	    "Joe <a@b>, c@d"),
	AC(";;;,,,:::",
	    "",
	    NULL),
};

/* Render a list's members the way the table writes them. */
static void
render(const struct mime_address_list *l, struct buf *b)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		if (i > 0)
			buf_adds(b, "; ");
		if (l->v[i].group != NULL)
			buf_printf(b, "{%s}", l->v[i].group);
		if (l->v[i].name != NULL)
			buf_printf(b, "\"%s\"", l->v[i].name);
		if (l->v[i].addr != NULL)
			buf_printf(b, "<%s>", l->v[i].addr);
	}
}

START_TEST(test_address_table)
{
	const struct addr_case		*c = &addr_cases[_i];
	struct mime_address_list	 l;
	struct buf			 b = BUF_INITIALIZER(0);
	char				*line;

	mime_address_list_parse(c->in, c->len, &l);
	render(&l, &b);
	ck_assert_msg(strcmp(buf_str(&b), c->members) == 0,
	    "\"%s\": got %s, want %s", c->in, buf_str(&b), c->members);
	line = mime_address_list_line(&l);
	if (c->line == NULL)
		ck_assert_msg(line == NULL, "\"%s\": line \"%s\"", c->in, line);
	else
		ck_assert_msg(line != NULL && strcmp(line, c->line) == 0,
		    "\"%s\": line \"%s\", want \"%s\"", c->in, line, c->line);
	free(line);
	mime_address_list_fini(&l);
	ck_assert_ptr_null(l.v);
	ck_assert_uint_eq(l.n, 0);
	buf_fini(&b);
}
END_TEST

START_TEST(test_address_empty)
{
	struct mime_address_list	l;

	mime_address_list_parse(NULL, 0, &l);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_ptr_null(mime_address_list_line(&l));
	mime_address_list_fini(&l);
	mime_address_list_parse("", 0, &l);
	ck_assert_uint_eq(l.n, 0);
	mime_address_list_fini(&l);
	mime_address_list_parse(" \r\n\t ", 5, &l);
	ck_assert_uint_eq(l.n, 0);
	mime_address_list_fini(&l);
}
END_TEST

/* Members past MIME_ADDRESS_MAX are dropped; the first ones are kept in
 * order, and a group shares one string among its members. */
START_TEST(test_address_members_cap)
{
	struct mime_address_list	 l;
	struct buf			 in = BUF_INITIALIZER(0);
	size_t				 i;

	buf_adds(&in, "Big: ");
	for (i = 0; i < 1500; i++)
		buf_printf(&in, "x%zu@b, ", i);
	buf_adds(&in, "; Empty:;");
	mime_address_list_parse(buf_str(&in), in.len, &l);
	ck_assert_uint_eq(l.n, MIME_ADDRESS_MAX);
	ck_assert_str_eq(l.v[0].addr, "x0@b");
	ck_assert_str_eq(l.v[999].addr, "x999@b");
	ck_assert_str_eq(l.v[999].group, "Big");
	ck_assert_ptr_eq(l.v[0].group, l.v[999].group);
	mime_address_list_fini(&l);
	buf_fini(&in);
}
END_TEST

START_TEST(test_address_groups_shared)
{
	static const char		 in[] = "G: a@b, c@d; G: e@f;";
	struct mime_address_list	 l;
	char				*line;

	mime_address_list_parse(in, sizeof in - 1, &l);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_ptr_eq(l.v[0].group, l.v[1].group);
	ck_assert_ptr_ne(l.v[1].group, l.v[2].group);
	ck_assert_str_eq(l.v[2].group, "G");
	line = mime_address_list_line(&l);
	ck_assert_str_eq(line, "G: a@b, c@d;, G: e@f;");
	free(line);
	mime_address_list_fini(&l);
}
END_TEST

/* Names are capped at MIME_HEADER_MAX bytes, cut between characters. */
START_TEST(test_address_name_cap)
{
	struct mime_address_list	 l;
	struct buf			 in = BUF_INITIALIZER(0);
	size_t				 i, n;

	for (i = 0; i < 60000; i++)
		buf_adds(&in, "ab ");
	buf_adds(&in, "<x@y>");
	mime_address_list_parse(buf_str(&in), in.len, &l);
	ck_assert_uint_eq(l.n, 1);
	n = strlen(l.v[0].name);
	ck_assert_uint_le(n, MIME_HEADER_MAX);
	ck_assert_uint_ge(n, MIME_HEADER_MAX - 3);
	ck_assert_str_eq(l.v[0].addr, "x@y");
	mime_address_list_fini(&l);

	/* Two-byte characters in quotes: the cut keeps whole ones. */
	buf_reset(&in);
	buf_addc(&in, 'z');
	buf_addc(&in, '"');
	for (i = 0; i < 40000; i++)
		buf_adds(&in, "\xc3\xa9");
	buf_adds(&in, "\" <x@y>");
	mime_address_list_parse(buf_str(&in), in.len, &l);
	ck_assert_uint_eq(l.n, 1);
	n = strlen(l.v[0].name);
	ck_assert_uint_le(n, MIME_HEADER_MAX);
	ck_assert_uint_ge(n, MIME_HEADER_MAX - 3);
	ck_assert(mime_utf8_valid(l.v[0].name, n));
	mime_address_list_fini(&l);

	/* windows-1252 bytes grow when converted; still capped. */
	buf_reset(&in);
	for (i = 0; i < 100000; i++)
		buf_addc(&in, '\xe9');
	mime_address_list_parse(buf_str(&in), in.len, &l);
	ck_assert_uint_eq(l.n, 1);
	n = strlen(l.v[0].name);
	ck_assert_uint_le(n, MIME_HEADER_MAX);
	ck_assert_uint_gt(n, MIME_HEADER_MAX / 2);
	ck_assert(mime_utf8_valid(l.v[0].name, n));
	ck_assert_ptr_null(l.v[0].addr);
	mime_address_list_fini(&l);
	buf_fini(&in);
}
END_TEST

/* The line stops at MIME_ADDRESS_LINE_MAX, between characters, wherever
 * the limit falls inside a three-byte character. */
START_TEST(test_address_line_cap)
{
	struct mime_address_list	 l;
	struct buf			 in = BUF_INITIALIZER(0);
	size_t				 i, k, n;
	char				*line;

	for (k = 0; k < 3; k++) {
		buf_reset(&in);
		buf_printf(&in, "%.*s <a@b>", (int)k + 1, "xyz");
		for (i = 0; i < 400; i++)
			buf_adds(&in, ", \xe2\x82\xac\xe2\x82\xac <e@x>");
		mime_address_list_parse(buf_str(&in), in.len, &l);
		line = mime_address_list_line(&l);
		n = strlen(line);
		ck_assert_uint_le(n, MIME_ADDRESS_LINE_MAX);
		ck_assert_uint_ge(n, MIME_ADDRESS_LINE_MAX - 3);
		ck_assert(mime_utf8_valid(line, n));
		free(line);
		mime_address_list_fini(&l);
	}
	buf_fini(&in);
}
END_TEST

START_TEST(test_address_8bit)
{
	struct mime_address_list	l;
	static const char		in[] = "\"a\x81" "b\" <j\xe9@x>, "
					    "(Jo\xebl) <j@x>";

	mime_address_list_parse(in, sizeof in - 1, &l);
	ck_assert_uint_eq(l.n, 2);
	/* 0x81 has no windows-1252 meaning: U+FFFD. */
	ck_assert_str_eq(l.v[0].name, "a\xef\xbf\xbd" "b");
	ck_assert_str_eq(l.v[0].addr, "j\xc3\xa9@x");
	ck_assert_str_eq(l.v[1].name, "Jo\xc3\xabl");
	mime_address_list_fini(&l);
}
END_TEST

/* Unbalanced and repetitive junk is read to the end in linear time. */
START_TEST(test_address_junk_bounded)
{
	static const char	*units[] = {
		"(", "\"", "[", "<", "@", ":", ";", ",", ")", ">", "\\",
		"=?a?q?", "=?", "a ", "a.", "<@a,", "(\\", "\r\n ",
	};
	struct mime_address_list l;
	struct buf		 in = BUF_INITIALIZER(0);
	clock_t			 start = clock();
	size_t			 u, i, j;

	for (u = 0; u < sizeof units / sizeof units[0]; u++) {
		buf_reset(&in);
		while (in.len < 1000000)
			buf_adds(&in, units[u]);
		mime_address_list_parse(buf_str(&in), in.len, &l);
		ck_assert_uint_le(l.n, MIME_ADDRESS_MAX);
		for (i = 0; i < l.n; i++) {
			for (j = 0; j < 3; j++) {
				const char *s = j == 0 ? l.v[i].name :
				    j == 1 ? l.v[i].addr : l.v[i].group;

				if (s != NULL) {
					ck_assert_uint_le(strlen(s),
					    MIME_HEADER_MAX);
					ck_assert(mime_utf8_valid(s,
					    strlen(s)));
				}
			}
		}
		mime_address_list_fini(&l);
	}
	/* Linear: about 0.2 s here unsanitised; quadratic would be
	 * minutes. */
	ck_assert_msg(clock() - start < 20 * CLOCKS_PER_SEC, "too slow");
	buf_fini(&in);
}
END_TEST

/* Compare mime_msgids with want (NULL: none). */
static void
check_msgids(const char *in, size_t len, const char *want)
{
	char	*got = mime_msgids(in, len);

	if (want == NULL)
		ck_assert_msg(got == NULL, "\"%s\": got \"%s\"", in, got);
	else
		ck_assert_msg(got != NULL && strcmp(got, want) == 0,
		    "\"%s\": got \"%s\", want \"%s\"", in, got, want);
	free(got);
}

#define CHECK_MSGIDS(in, want)	check_msgids((in), sizeof(in) - 1, (want))

START_TEST(test_msgids)
{
	CHECK_MSGIDS("<a@b> <c@d>", "<a@b> <c@d>");
	CHECK_MSGIDS("  <a@b>\r\n\t<c@d>  ", "<a@b> <c@d>");
	CHECK_MSGIDS("<a@b><c@d>", "<a@b> <c@d>");
	CHECK_MSGIDS("Your message of Tue <a@b> (Joe's) \"x\" <c@d> end",
	    "<a@b> <c@d>");
	CHECK_MSGIDS("<<a@b>>", "<a@b>");
	CHECK_MSGIDS("<a b@c> <d@e>", "<d@e>");
	CHECK_MSGIDS("<> <a@b>", "<a@b>");
	CHECK_MSGIDS("<a@b> <a@b>", "<a@b> <a@b>");
	CHECK_MSGIDS("<a\0b@c> <d@e>", "<d@e>");
	CHECK_MSGIDS("<\xc3\xa9@x> <\xe9@x> <a@b>", "<\xc3\xa9@x> <a@b>");
	CHECK_MSGIDS("<a@b", NULL);
	CHECK_MSGIDS("a@b>", NULL);
	CHECK_MSGIDS("no ids here", NULL);
	CHECK_MSGIDS("", NULL);
	ck_assert_ptr_null(mime_msgids(NULL, 0));
}
END_TEST

/* Too many ids: the last ones, the nearest ancestors, are kept. */
START_TEST(test_msgids_cap)
{
	struct buf	 in = BUF_INITIALIZER(0);
	char		*got;
	size_t		 i;

	for (i = 0; i < 1000; i++)
		buf_printf(&in, "<id%05zu@example.com>\r\n ", i);
	got = mime_msgids(buf_str(&in), in.len);
	/* 21-byte ids with a blank between: 372 fit in 8192 bytes. */
	ck_assert_uint_eq(strlen(got), 372 * 22 - 1);
	ck_assert(strncmp(got, "<id00628@example.com> ", 22) == 0);
	ck_assert_str_eq(got + strlen(got) - 20, "id00999@example.com>");
	free(got);

	/* One id longer than the cap cannot be kept. */
	buf_reset(&in);
	buf_addc(&in, '<');
	for (i = 0; i < MIME_REFERENCES_MAX; i++)
		buf_addc(&in, 'x');
	buf_addc(&in, '>');
	ck_assert_ptr_null(mime_msgids(buf_str(&in), in.len));
	/* ... but one that fits exactly can, after a too long one. */
	buf_adds(&in, " <");
	for (i = 0; i < MIME_REFERENCES_MAX - 2; i++)
		buf_addc(&in, 'y');
	buf_addc(&in, '>');
	got = mime_msgids(buf_str(&in), in.len);
	ck_assert_uint_eq(strlen(got), MIME_REFERENCES_MAX);
	ck_assert(got[1] == 'y');
	free(got);
	buf_fini(&in);
}
END_TEST

/* Parse a header block given as a string literal (which may hold NUL). */
#define ENV_PARSE(s, e)	mime_envelope_parse((s), sizeof(s) - 1, (e))

/* A typical block; the LF-only copy must read the same. */
static const char env_crlf[] =
    "Received: from x (x [192.0.2.1])\r\n"
    "\tby y; Tue, 14 May 2024 09:12:44 +0000\r\n"
    "Date: Tue, 14 May 2024 11:12:40 +0200\r\n"
    "From: =?utf-8?q?J=C3=B6rg?= <j@example.de>\r\n"
    "To: Ann <ann@x.se>,\r\n"
    " bob@x.com\r\n"
    "Cc: \"The Team\": c@d;\r\n"
    "Subject: =?utf-8?q?caf=C3=A9?=\r\n"
    "  au lait\r\n"
    "Message-ID: <id1@x>\r\n"
    "In-Reply-To: <p@x> (Joe's message)\r\n"
    "References: <r1@x>\r\n"
    "\t<p@x>\r\n"
    "\r\n"
    "To: body@x\r\n";

/* Check the envelope of env_crlf (or its LF copy). */
static void
check_env_typical(const char *s, size_t len)
{
	struct mime_envelope	e;

	mime_envelope_parse(s, len, &e);
	ck_assert_int_eq(e.date, 1715677960);
	ck_assert_str_eq(e.from_name, "J\xc3\xb6rg");
	ck_assert_str_eq(e.from_addr, "j@example.de");
	ck_assert_str_eq(e.to, "Ann <ann@x.se>, bob@x.com");
	ck_assert_str_eq(e.cc, "The Team: c@d;");
	ck_assert_str_eq(e.subject, "caf\xc3\xa9  au lait");
	ck_assert_str_eq(e.message_id, "<id1@x>");
	ck_assert_str_eq(e.in_reply_to, "<p@x>");
	ck_assert_str_eq(e.references, "<r1@x> <p@x>");
	mime_envelope_fini(&e);
	ck_assert_ptr_null(e.subject);
	ck_assert_int_eq(e.date, -1);
}

START_TEST(test_envelope_typical)
{
	struct buf	lf = BUF_INITIALIZER(0);
	size_t		i;

	check_env_typical(env_crlf, sizeof env_crlf - 1);
	for (i = 0; i < sizeof env_crlf - 1; i++) {
		if (env_crlf[i] != '\r')
			buf_addc(&lf, env_crlf[i]);
	}
	check_env_typical(buf_str(&lf), lf.len);
	buf_fini(&lf);
}
END_TEST

START_TEST(test_envelope_duplicates)
{
	struct mime_envelope	e;

	/* The first wins, even when it cannot be read. */
	ENV_PARSE("Subject: first\n"
	    "Date: not a date\n"
	    "From: a@b\n"
	    "subject: second\n"
	    "FROM: c@d\n"
	    "Date: Tue, 14 May 2024 11:12:40 +0200\n"
	    "Message-ID: <1@x>\n"
	    "Message-Id: <2@x>\n", &e);
	ck_assert_str_eq(e.subject, "first");
	ck_assert_int_eq(e.date, -1);
	ck_assert_ptr_null(e.from_name);
	ck_assert_str_eq(e.from_addr, "a@b");
	ck_assert_str_eq(e.message_id, "<1@x>");
	mime_envelope_fini(&e);
}
END_TEST

START_TEST(test_envelope_missing)
{
	struct mime_envelope	e;

	ENV_PARSE("X-Foo: bar\r\nContent-Type: text/plain\r\n\r\n", &e);
	ck_assert_int_eq(e.date, -1);
	ck_assert_ptr_null(e.from_name);
	ck_assert_ptr_null(e.from_addr);
	ck_assert_ptr_null(e.to);
	ck_assert_ptr_null(e.cc);
	ck_assert_ptr_null(e.subject);
	ck_assert_ptr_null(e.message_id);
	ck_assert_ptr_null(e.in_reply_to);
	ck_assert_ptr_null(e.references);
	mime_envelope_fini(&e);
	mime_envelope_parse(NULL, 0, &e);
	ck_assert_int_eq(e.date, -1);
	ck_assert_ptr_null(e.subject);
	mime_envelope_fini(&e);
	ENV_PARSE("", &e);
	ck_assert_ptr_null(e.subject);
	mime_envelope_fini(&e);
	/* Present but empty. */
	ENV_PARSE("Subject:\r\nTo:\r\nMessage-ID: \r\nReferences: x\r\n", &e);
	ck_assert_str_eq(e.subject, "");
	ck_assert_ptr_null(e.to);
	ck_assert_ptr_null(e.message_id);
	ck_assert_ptr_null(e.references);
	mime_envelope_fini(&e);
}
END_TEST

START_TEST(test_envelope_nul)
{
	struct mime_envelope	e;

	ENV_PARSE("Subject: a\0b\r\n"
	    "From: x\0y <a@b>\r\n"
	    "References: <a\0b@c> <d@e>\r\n"
	    "Message-ID: <i\0d@x>\r\n"
	    "X-\0: stops the block\r\n"
	    "To: never@read\r\n", &e);
	ck_assert_str_eq(e.subject, "a b");
	ck_assert_str_eq(e.from_name, "x y");
	ck_assert_str_eq(e.references, "<d@e>");
	ck_assert_str_eq(e.message_id, "<i d@x>");
	ck_assert_ptr_null(e.to);
	mime_envelope_fini(&e);
}
END_TEST

START_TEST(test_envelope_block_end)
{
	struct mime_envelope	e;

	/* No final blank line, no final line break. */
	ENV_PARSE("Subject: hi\r\nTo: a@b", &e);
	ck_assert_str_eq(e.subject, "hi");
	ck_assert_str_eq(e.to, "a@b");
	mime_envelope_fini(&e);
	/* A line that is not a field starts the body. */
	ENV_PARSE("Subject: x\r\nthis is body\r\nTo: a@b\r\n", &e);
	ck_assert_str_eq(e.subject, "x");
	ck_assert_ptr_null(e.to);
	mime_envelope_fini(&e);
	/* An mbox "From " line is skipped. */
	ENV_PARSE("From a@b Mon Jan  1 00:00:00 2024\nSubject: s\n\n", &e);
	ck_assert_str_eq(e.subject, "s");
	ck_assert_ptr_null(e.from_addr);
	mime_envelope_fini(&e);
	/* A folded value runs to the block's end. */
	ENV_PARSE("To: a@b,\r\n c@d", &e);
	ck_assert_str_eq(e.to, "a@b, c@d");
	mime_envelope_fini(&e);
	/* A field with no name is broken, not the body (bugmail1). */
	ENV_PARSE("Subject: x\r\n: nameless\r\nReferences: <a@b>\r\n", &e);
	ck_assert_str_eq(e.subject, "x");
	ck_assert_str_eq(e.references, "<a@b>");
	mime_envelope_fini(&e);
	/* Obsolete blanks before the colon; any case; no blank after. */
	ENV_PARSE("SUBJECT : spaced\r\ncc:x@y\r\n", &e);
	ck_assert_str_eq(e.subject, "spaced");
	ck_assert_str_eq(e.cc, "x@y");
	mime_envelope_fini(&e);
}
END_TEST

START_TEST(test_envelope_8bit)
{
	struct mime_envelope	e;

	ENV_PARSE("Subject: caf\xc3\xa9 \xe2\x82\xac\r\n"
	    "From: J\xc3\xb6rg <j@x>\r\n\r\n", &e);
	ck_assert_str_eq(e.subject, "caf\xc3\xa9 \xe2\x82\xac");
	ck_assert_str_eq(e.from_name, "J\xc3\xb6rg");
	mime_envelope_fini(&e);
	ENV_PARSE("Subject: caf\xe9 \x80\r\nFrom: J\xf6rg <j@x>\r\n\r\n", &e);
	ck_assert_str_eq(e.subject, "caf\xc3\xa9 \xe2\x82\xac");
	ck_assert_str_eq(e.from_name, "J\xc3\xb6rg");
	mime_envelope_fini(&e);
}
END_TEST

START_TEST(test_envelope_from)
{
	struct mime_envelope	e;

	ENV_PARSE("From: Team: ;, Ann <a@b>\r\n", &e);
	ck_assert_str_eq(e.from_name, "Ann");
	ck_assert_str_eq(e.from_addr, "a@b");
	mime_envelope_fini(&e);
	ENV_PARSE("From: Team: Bob <b@c>, d@e;\r\n", &e);
	ck_assert_str_eq(e.from_name, "Bob");
	ck_assert_str_eq(e.from_addr, "b@c");
	mime_envelope_fini(&e);
	ENV_PARSE("From: Name Only\r\n", &e);
	ck_assert_str_eq(e.from_name, "Name Only");
	ck_assert_ptr_null(e.from_addr);
	mime_envelope_fini(&e);
	ENV_PARSE("From: joe@x (Joe Bloggs)\r\n", &e);
	ck_assert_str_eq(e.from_name, "Joe Bloggs");
	ck_assert_str_eq(e.from_addr, "joe@x");
	mime_envelope_fini(&e);
	ENV_PARSE("From: undisclosed:;\r\n", &e);
	ck_assert_ptr_null(e.from_name);
	ck_assert_ptr_null(e.from_addr);
	mime_envelope_fini(&e);
}
END_TEST

START_TEST(test_envelope_message_id)
{
	struct mime_envelope	 e;
	struct buf		 in = BUF_INITIALIZER(0);
	size_t			 i;

	ENV_PARSE("Message-ID: junk <a@b> <c@d>\r\n", &e);
	ck_assert_str_eq(e.message_id, "<a@b>");
	mime_envelope_fini(&e);
	ENV_PARSE("Message-ID:\r\n  id-without-brackets@x  \r\n", &e);
	ck_assert_str_eq(e.message_id, "id-without-brackets@x");
	mime_envelope_fini(&e);
	ENV_PARSE("Message-ID: <\xe9@x>\r\n", &e);
	ck_assert_str_eq(e.message_id, "<\xc3\xa9@x>");
	mime_envelope_fini(&e);
	buf_adds(&in, "Message-ID: ");
	for (i = 0; i < 2000; i++)
		buf_addc(&in, i == 997 ? '\xe9' : 'x');
	buf_adds(&in, "\r\n");
	mime_envelope_parse(buf_str(&in), in.len, &e);
	/* Capped at 998 bytes: the two-byte character at 997 would end
	 * past it, so the cut comes before it. */
	ck_assert_uint_eq(strlen(e.message_id), 997);
	mime_envelope_fini(&e);
	/* References: keep the last ids. */
	buf_reset(&in);
	buf_adds(&in, "References:");
	for (i = 0; i < 1000; i++)
		buf_printf(&in, " <id%05zu@example.com>\r\n", i);
	mime_envelope_parse(buf_str(&in), in.len, &e);
	ck_assert_uint_le(strlen(e.references), MIME_REFERENCES_MAX);
	ck_assert_str_eq(e.references + strlen(e.references) - 21,
	    "<id00999@example.com>");
	mime_envelope_fini(&e);
	buf_fini(&in);
}
END_TEST

static Suite *
test_mime_address_suite(void)
{
	Suite	*s = suite_create("mime_address");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_address_table, 0,
	    sizeof addr_cases / sizeof addr_cases[0]);
	tcase_add_test(tc, test_address_empty);
	tcase_add_test(tc, test_address_members_cap);
	tcase_add_test(tc, test_address_groups_shared);
	tcase_add_test(tc, test_address_name_cap);
	tcase_add_test(tc, test_address_line_cap);
	tcase_add_test(tc, test_address_8bit);
	tcase_add_test(tc, test_address_junk_bounded);
	tcase_add_test(tc, test_msgids);
	tcase_add_test(tc, test_msgids_cap);
	tcase_add_test(tc, test_envelope_typical);
	tcase_add_test(tc, test_envelope_duplicates);
	tcase_add_test(tc, test_envelope_missing);
	tcase_add_test(tc, test_envelope_nul);
	tcase_add_test(tc, test_envelope_block_end);
	tcase_add_test(tc, test_envelope_8bit);
	tcase_add_test(tc, test_envelope_from);
	tcase_add_test(tc, test_envelope_message_id);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(test_mime_address_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

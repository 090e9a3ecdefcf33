/*
 * test_mime_codec.c - unit tests of the MIME building blocks: base64,
 * quoted-printable, header lookup and unfolding, dates, Content-Type
 * parameters.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "mime/mime.h"
#include "mime/mime_int.h"
#include "test_mime.h"

/* Decode with fn and compare with want (which may hold NULs). */
static void
check_dec(int (*fn)(const char *, size_t, struct buf *), const char *in,
    const char *want, size_t wlen)
{
	struct buf	b = BUF_INITIALIZER(0);

	ck_assert_int_eq(fn(in, strlen(in), &b), 0);
	ck_assert_msg(b.len == wlen && memcmp(buf_str(&b), want, wlen) == 0,
	    "\"%s\": got \"%s\"", in, buf_str(&b));
	buf_fini(&b);
}

#define CHECK_B64(in, want) \
	check_dec(mime_base64_decode, (in), (want), sizeof(want) - 1)
#define CHECK_QP(in, want) \
	check_dec(mime_qp_decode, (in), (want), sizeof(want) - 1)

START_TEST(test_base64)
{
	CHECK_B64("aGVsbG8=", "hello");
	CHECK_B64("aGVsbG8", "hello");			/* no padding */
	CHECK_B64("aGVs\r\nbG8g\r\nd29y bGQ=\r\n", "hello world");
	CHECK_B64("aG!V*s~bG8=", "hello");		/* junk ignored */
	CHECK_B64("aGk=aGk=", "hihi");			/* concatenated */
	CHECK_B64("aGk=a", "hi");			/* lone sextet */
	CHECK_B64("AAEC/w==", "\x00\x01\x02\xff");
	CHECK_B64("", "");
	CHECK_B64("====", "");
}
END_TEST

START_TEST(test_base64_long_and_bounded)
{
	struct buf	in = BUF_INITIALIZER(0), out = BUF_INITIALIZER(0);
	struct buf	small = BUF_INITIALIZER(10);
	size_t		i;

	for (i = 0; i < 10000; i++)
		buf_adds(&in, "QUJD");	/* "ABC" */
	ck_assert_int_eq(mime_base64_decode(buf_str(&in), in.len, &out), 0);
	ck_assert_uint_eq(out.len, 30000);
	ck_assert(memcmp(out.data + 29997, "ABC", 3) == 0);
	ck_assert_int_eq(mime_base64_decode(buf_str(&in), in.len, &small),
	    -1);
	ck_assert(small.too_big);
	buf_fini(&in);
	buf_fini(&out);
	buf_fini(&small);
}
END_TEST

START_TEST(test_qp)
{
	CHECK_QP("a=3Db", "a=b");
	CHECK_QP("caf=C3=a9", "caf\xc3\xa9");		/* either case */
	CHECK_QP("abc=\r\ndef", "abcdef");		/* soft break */
	CHECK_QP("abc=\ndef", "abcdef");
	CHECK_QP("abc=  \r\ndef", "abcdef");		/* padded soft break */
	CHECK_QP("abc   \r\nx", "abc\r\nx");		/* trailing blanks */
	CHECK_QP("abc\t\nx", "abc\nx");
	CHECK_QP("a=20\r\n", "a \r\n");			/* encoded blank */
	CHECK_QP("a=ZZb", "a=ZZb");			/* kept as written */
	CHECK_QP("a=4", "a=4");
	CHECK_QP("end=", "end");
	CHECK_QP("=00", "\0");
	CHECK_QP("", "");
}
END_TEST

static const char hdr_msg[] =
    "From nobody Mon Jan  1 00:00:00 2024\n"
    "Received: from a\r\n"
    "\tby b\r\n"
    "subject: first\r\n"
    " second  \r\n"
    "Subject: later\r\n"
    "X-Empty:\r\n"
    "X-Nul: a\0b\r\n"
    ": a broken field, not the body\r\n"
    "Content-Type : text/plain\r\n"
    "\r\n"
    "To: not a header\r\n";

START_TEST(test_header_get)
{
	size_t	 len = sizeof hdr_msg - 1;
	char	*v;

	v = mime_header_get(hdr_msg, len, "SUBJECT");
	ck_assert_str_eq(v, "first second");
	free(v);
	v = mime_header_get(hdr_msg, len, "received");
	ck_assert_str_eq(v, "from a\tby b");
	free(v);
	v = mime_header_get(hdr_msg, len, "X-Empty");
	ck_assert_str_eq(v, "");
	free(v);
	v = mime_header_get(hdr_msg, len, "X-Nul");
	ck_assert_str_eq(v, "a b");
	free(v);
	v = mime_header_get(hdr_msg, len, "Content-Type");
	ck_assert_str_eq(v, "text/plain");
	free(v);
	ck_assert_ptr_null(mime_header_get(hdr_msg, len, "To"));
	ck_assert_ptr_null(mime_header_get(hdr_msg, len, "Subj"));
	ck_assert_ptr_null(mime_header_get(hdr_msg, len, "From"));
	ck_assert_ptr_null(mime_header_get("", 0, "From"));
	/* Cut in the middle of a value: no read past len. */
	v = mime_header_get(hdr_msg, (size_t)(strstr(hdr_msg, "subject:") -
	    hdr_msg) + 12, "Subject");
	ck_assert_str_eq(v, "fir");
	free(v);
}
END_TEST

START_TEST(test_header_end)
{
	static const char	nobreak[] = "From: a\nSubject: b\nHello there\n";
	static const char	nohdr[] = "Just text\n\nMore\n";
	size_t			body, h;

	h = mime_header_end(nobreak, sizeof nobreak - 1, &body);
	ck_assert_uint_eq(h, 19);
	ck_assert_uint_eq(body, 19);		/* body starts at "Hello" */
	h = mime_header_end(nohdr, sizeof nohdr - 1, &body);
	ck_assert_uint_eq(h, 0);
	ck_assert_uint_eq(body, 0);
	h = mime_header_end("A: b\r\n\r\nx", 9, &body);
	ck_assert_uint_eq(h, 6);
	ck_assert_uint_eq(body, 8);
	h = mime_header_end("A: b", 4, &body);
	ck_assert_uint_eq(h, 4);
	ck_assert_uint_eq(body, 4);
}
END_TEST

/* Parse a date and compare. */
static void
check_date(const char *s, int64_t want)
{
	int64_t	got = mime_parse_date(s, strlen(s));

	ck_assert_msg(got == want, "\"%s\": got %lld, want %lld", s,
	    (long long)got, (long long)want);
}

START_TEST(test_date)
{
	check_date("Thu, 1 Jan 1970 00:00:00 +0000", 0);
	check_date("Fri, 21 Nov 1997 09:55:06 -0600", 880127706);
	check_date("Tue, 1 Jul 2003 10:52:37 +0200", 1057049557);
	/* RFC 5322 appendix A.5: comments and folding. */
	check_date("Thu,\r\n 13\r\n  Feb\r\n    1969\r\n 23:32\r\n"
	    "   -0330 (Newfoundland Time)", -27723480);
	check_date("Thu, 13 Feb 1969 23:32:54 -0330", -27723426);
	/* Obsolete forms (section 4.3). */
	check_date("21 Nov 97 09:55:06 GMT", 880106106);
	check_date("21 Nov 03 09:55:06 UT", 1069408506);
	check_date("21 Nov 097 09:55:06 UT", 880106106);
	check_date("Fri, 21 Nov 1997 09:55:06 EST", 880124106);
	check_date("Fri, 21 Nov 1997 09:55:06 PDT", 880131306);
	check_date("Fri, 21 Nov 1997 09:55:06 Z", 880106106);
	check_date("Fri, 21 Nov 1997 09:55:06 A", 880106106);
	check_date("Fri, 21 Nov 1997 09:55 +0000", 880106100);
	check_date("Fri, 21 Nov 1997 09:55:06", 880106106);
	check_date("Fri 21 November 1997 09:55:06 +05:30", 880086306);
	check_date("Friday, 21-Nov-1997 09:55:06 +0000", 880106106);
	check_date("Mon Jan  2 15:04:05 2006", 1136214245);
	check_date("Sat, 29 Feb 2020 12:00:00 +0000", 1582977600);
	check_date("Sun, 31 Dec 2034 23:59:60 +0000", 2051222400);
	check_date("1 Jan 2100 00:00:00 +0000", 4102444800);
}
END_TEST

START_TEST(test_date_invalid)
{
	check_date("", -1);
	check_date("garbage", -1);
	check_date("Fri, 30 Feb 2001 10:00:00 +0000", -1);
	check_date("Fri, 29 Feb 1900 10:00:00 +0000", -1);
	check_date("Fri, 21 Foo 1997 09:55:06 +0000", -1);
	check_date("Fri, 21 Nov 1997 24:00:00 +0000", -1);
	check_date("Fri, 21 Nov 1997 09:60:00 +0000", -1);
	check_date("Fri, 21 Nov 1997 09:55:06 +0075", -1);
	check_date("Fri, 21 Nov 1997 09:55:06 +12345", -1);
	check_date("Fri, 21 Nov 1997", -1);
	check_date("Fri, 21 Nov", -1);
	check_date("Fri, (unclosed comment", -1);
	check_date("Fri, 21 Nov 99999999999 09:55:06 +0000", -1);
	ck_assert_int_eq(mime_parse_date(NULL, 0), -1);
	/* Length is respected: the zone past len is not read. */
	ck_assert_int_eq(mime_parse_date("1 Jan 1970 00:00:00 -0100", 19), 0);
}
END_TEST

/* Look up a parameter and compare (want NULL: absent). */
static void
check_param(const char *v, const char *name, const char *want)
{
	char	*got = mime_param_get(v, strlen(v), name);

	if (want == NULL)
		ck_assert_msg(got == NULL, "%s in \"%s\": got \"%s\"", name, v,
		    got);
	else
		ck_assert_msg(got != NULL && strcmp(got, want) == 0,
		    "%s in \"%s\": got \"%s\", want \"%s\"", name, v,
		    got ? got : "(null)", want);
	free(got);
}

START_TEST(test_ctype)
{
	struct mime_ctype	ct;

	ck_assert(mime_ctype_parse("Text/HTML; charset=x", 20, &ct));
	ck_assert_str_eq(ct.type, "text");
	ck_assert_str_eq(ct.subtype, "html");
	ck_assert(mime_ctype_parse(" (c) multipart / mixed ;b=1", 27, &ct));
	ck_assert_str_eq(ct.type, "multipart");
	ck_assert_str_eq(ct.subtype, "mixed");
	ck_assert(!mime_ctype_parse("garbage", 7, &ct));
	ck_assert_str_eq(ct.type, "text");
	ck_assert_str_eq(ct.subtype, "plain");
	ck_assert(!mime_ctype_parse("text/", 5, &ct));
	ck_assert(!mime_ctype_parse("", 0, &ct));
}
END_TEST

START_TEST(test_params)
{
	check_param("text/plain; charset=utf-8", "charset", "utf-8");
	check_param("text/plain; CHARSET=\"UTF-8\"", "charset", "UTF-8");
	check_param("text/plain;charset = koi8-r (comment)", "charset",
	    "koi8-r");
	check_param("multipart/mixed; boundary=\"a b;c\\\"d\"; x=y",
	    "boundary", "a b;c\"d");
	check_param("multipart/mixed; x=y; boundary==_Part_1=", "boundary",
	    "=_Part_1=");
	check_param("text/plain; format=flowed", "charset", NULL);
	check_param("text/plain; charsetx=a", "charset", NULL);
	check_param("text/plain; junk; ;=; charset=a", "charset", "a");
	check_param("text/plain; charset=\"unterminated", "charset",
	    "unterminated");
	check_param("text/plain; charset=", "charset", "");
}
END_TEST

START_TEST(test_params_rfc2231)
{
	check_param("application/x; title*=us-ascii'en-us'This%20is%20%2A",
	    "title", "This is *");
	check_param("application/x; name*=utf-8''caf%C3%A9; name=cafe",
	    "name", "caf\xc3\xa9");
	check_param("application/x; name*=iso-8859-1'fr'caf%E9", "name",
	    "caf\xc3\xa9");
	/* Continuations, out of order, mixing encoded and plain parts. */
	check_param("message/external-body; "
	    "URL*1=\"cool.cs.wisc.edu\"; URL*0=\"ftp://\"", "url",
	    "ftp://cool.cs.wisc.edu");
	check_param("application/x; title*2=\"isn't it!\"; "
	    "title*1*=%2A%2A%2Afun%2A%2A%2A%20; "
	    "title*0*=us-ascii'en'This%20is%20even%20more%20",
	    "title", "This is even more ***fun*** isn't it!");
	/* A gap ends the value. */
	check_param("application/x; n*0=a; n*2=c", "n", "a");
	check_param("application/x; n*=x-klingon''a%E9", "n", "a\xc3\xa9");
}
END_TEST

/* The suite of the building blocks. */
Suite *
test_mime_codec_suite(void)
{
	Suite	*s = suite_create("mime-codec");
	TCase	*tc;

	tc = tcase_create("transfer-encodings");
	tcase_add_test(tc, test_base64);
	tcase_add_test(tc, test_base64_long_and_bounded);
	tcase_add_test(tc, test_qp);
	suite_add_tcase(s, tc);

	tc = tcase_create("header");
	tcase_add_test(tc, test_header_get);
	tcase_add_test(tc, test_header_end);
	suite_add_tcase(s, tc);

	tc = tcase_create("date");
	tcase_add_test(tc, test_date);
	tcase_add_test(tc, test_date_invalid);
	suite_add_tcase(s, tc);

	tc = tcase_create("param");
	tcase_add_test(tc, test_ctype);
	tcase_add_test(tc, test_params);
	tcase_add_test(tc, test_params_rfc2231);
	suite_add_tcase(s, tc);
	return s;
}

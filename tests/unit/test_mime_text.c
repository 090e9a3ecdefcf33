/*
 * test_mime_text.c - unit tests of mime_text_extract: part choice,
 * multipart walking, transfer encodings and charsets, HTML rendering, the
 * caps on depth and part count, malformed messages.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "mime/mime.h"
#include "mime/mime_int.h"
#include "test_mime.h"

/* Extract and compare the body with want. */
static void
check_body(const char *msg, size_t len, const char *want)
{
	struct mime_text	mt;

	mime_text_extract(msg, len, &mt);
	ck_assert_ptr_nonnull(mt.body);
	ck_assert_msg(mt.body_len == strlen(want) &&
	    memcmp(mt.body, want, mt.body_len) == 0,
	    "got \"%s\", want \"%s\"", mt.body, want);
	mime_text_fini(&mt);
}

#define CHECK_BODY(msg, want) check_body((msg), sizeof(msg) - 1, (want))

START_TEST(test_text_headers)
{
	static const char	msg[] =
	    "From: =?utf-8?q?Ren=C3=A9?= <r@example.org>\r\n"
	    "To: a@example.org,\r\n b@example.org\r\n"
	    "Subject: =?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n"
	    "  =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=\r\n"
	    "Date: Fri, 21 Nov 1997 09:55:06 -0600\r\n"
	    "\r\n"
	    "Body\r\n";
	struct mime_text	mt;

	mime_text_extract(msg, sizeof msg - 1, &mt);
	ck_assert_str_eq(mt.from, "Ren\xc3\xa9 <r@example.org>");
	ck_assert_str_eq(mt.to, "a@example.org, b@example.org");
	ck_assert_ptr_null(mt.cc);
	ck_assert_str_eq(mt.subject,
	    "If you can read this you understand the example.");
	ck_assert_str_eq(mt.date, "Fri, 21 Nov 1997 09:55:06 -0600");
	ck_assert_str_eq(mt.body, "Body\n");		/* CRLF -> LF */
	mime_text_fini(&mt);
	ck_assert_ptr_null(mt.body);
}
END_TEST

START_TEST(test_text_no_content_type)
{
	CHECK_BODY("Subject: x\n\nplain ascii\n", "plain ascii\n");
	CHECK_BODY("Subject: x\n\nd\xc3\xa9j\xc3\xa0 vu\n",
	    "d\xc3\xa9j\xc3\xa0 vu\n");			/* valid UTF-8 */
	CHECK_BODY("Subject: x\n\nd\xe9j\xe0 vu\n",
	    "d\xc3\xa9j\xc3\xa0 vu\n");			/* windows-1252 */
	CHECK_BODY("", "");
	CHECK_BODY("Subject: only a header", "");
	CHECK_BODY("no header at all\n", "no header at all\n");
	check_body(NULL, 10, "");
}
END_TEST

START_TEST(test_text_encodings)
{
	CHECK_BODY("Content-Type: text/plain; charset=\"ISO-8859-1\"\n"
	    "Content-Transfer-Encoding: Quoted-Printable\n\n"
	    "caf=E9 cr=\n=E8me\n", "caf\xc3\xa9 cr\xc3\xa8me\n");
	CHECK_BODY("Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: BASE64\n\n"
	    "R3LDvMOfZSBhdXMgS8O2bG4=\n", "Gr\xc3\xbc\xc3\x9f" "e aus "
	    "K\xc3\xb6ln");
	CHECK_BODY("Content-Type: text/plain; charset=koi8-r\n\n"
	    "\xf0\xd2\xc9\xd7\xc5\xd4", "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2"
	    "\xd0\xb5\xd1\x82");
	/* An unknown transfer encoding is left as it is. */
	CHECK_BODY("Content-Transfer-Encoding: chunked\n\n5\nhello\n0\n",
	    "5\nhello\n0\n");
	/* 7bit (with a comment) is nothing to undo. */
	CHECK_BODY("Content-Transfer-Encoding: 7bit (plain)\n\na=3Db\n",
	    "a=3Db\n");
	/* Invalid UTF-8 in a UTF-8 part: U+FFFD and the rest. */
	CHECK_BODY("Content-Type: text/plain; charset=utf-8\n\na\xff" "b",
	    "a\xef\xbf\xbd" "b");
}
END_TEST

static const char alt_msg[] =
    "Content-Type: multipart/alternative; boundary=\"=_b 1\"\r\n"
    "\r\n"
    "preamble, not shown\r\n"
    "--=_b 1\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<p>HTML version</p>\r\n"
    "--=_b 1  \r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Plain version\r\n"
    "\r\n"
    "--=_b 1--\r\n"
    "epilogue, not shown\r\n";

START_TEST(test_text_multipart)
{
	/* text/plain wins over an earlier text/html; the CRLF before the
	 * delimiter belongs to the delimiter. */
	CHECK_BODY(alt_msg, "Plain version\n");
	CHECK_BODY("Content-Type: multipart/mixed; boundary=abc\n\n"
	    "--abcdef\nnot a delimiter\n--abc\n\nfirst\n--abc--\n",
	    "first");
	/* No close delimiter: the last part runs to the end. */
	CHECK_BODY("Content-Type: multipart/mixed; boundary=x\n\n--x\n"
	    "Content-Type: text/plain\n\ncut off here", "cut off here");
	/* Part headers without the blank line after them. */
	CHECK_BODY("Content-Type: multipart/mixed; boundary=x\n\n--x\n"
	    "Content-Type: text/plain\nbody at once\n--x--\n",
	    "body at once");
}
END_TEST

START_TEST(test_text_multipart_fallbacks)
{
	/* No boundary parameter, or no delimiter: shown as text. */
	CHECK_BODY("Content-Type: multipart/alternative\n\nBlah\n", "Blah\n");
	CHECK_BODY("Content-Type: multipart/mixed; boundary=\"BOUNDARY_\"\n\n"
	    "--BOUNDARY\nContent-Type: text/plain\n\nm1\n--BOUNDARY--\n",
	    "--BOUNDARY\nContent-Type: text/plain\n\nm1\n--BOUNDARY--\n");
	/* An inline HTML part beats a text/plain attachment. */
	CHECK_BODY("Content-Type: multipart/mixed; boundary=b\n\n--b\n"
	    "Content-Type: text/html\n\n<b>bold</b> text\n--b\n"
	    "Content-Type: text/plain\n"
	    "Content-Disposition: attachment; filename=a.txt\n\n"
	    "attached\n--b--\n", "bold text");
	/* Only an attachment: it is shown. */
	CHECK_BODY("Content-Type: multipart/mixed; boundary=b\n\n--b\n"
	    "Content-Type: text/plain\n"
	    "Content-Disposition: ATTACHMENT\n\nattached\n--b--\n",
	    "attached");
	/* A blank text/plain loses to a real HTML alternative. */
	CHECK_BODY("Content-Type: multipart/alternative; boundary=b\n\n--b\n"
	    "Content-Type: text/plain\n\n \n\n--b\n"
	    "Content-Type: text/html\n\n<div>Hi</div>\n--b--\n", "Hi\n");
	/* Another text subtype as a last resort. */
	CHECK_BODY("Content-Type: text/enriched\n\n<bold>x</bold>\n",
	    "<bold>x</bold>\n");
}
END_TEST

START_TEST(test_text_no_text_part)
{
	CHECK_BODY("Content-Type: multipart/mixed; boundary=b\n\n--b\n"
	    "Content-Type: image/png\n\nPNG\n--b\n"
	    "Content-Type: application/pdf\n\n%PDF\n--b--\n",
	    "[no text part: multipart/mixed with 2 parts]");
	CHECK_BODY("Content-Type: Image/PNG; name=x.png\n\n\x89PNG\r\n",
	    "[no text part: image/png]");
	CHECK_BODY("Content-Type: multipart/mixed; boundary=b\n\n--b\n"
	    "Content-Type: image/png\n\nPNG\n--b--\n",
	    "[no text part: multipart/mixed with 1 part]");
}
END_TEST

START_TEST(test_text_message_rfc822)
{
	CHECK_BODY("Content-Type: message/rfc822\n\n"
	    "Subject: inner\nContent-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: base64\n\naW5uZXI=\n", "inner");
	/* multipart/digest parts default to message/rfc822. */
	CHECK_BODY("Content-Type: multipart/digest; boundary=d\n\n--d\n\n"
	    "Subject: one\n\nfirst message\n--d--\n", "first message");
	/* Same boundary inside and outside: deterministic, no loop. */
	CHECK_BODY("Content-Type: multipart/mixed; boundary=s\n\n--s\n"
	    "Content-Type: multipart/alternative; boundary=s\n\n\n--s\n"
	    "Content-Type: text/plain\n\nreal text\n--s--\n", "real text");
}
END_TEST

START_TEST(test_text_depth_cap)
{
	struct buf		b = BUF_INITIALIZER(0);
	struct mime_text	mt;
	int			i;

	/* 200 nested multiparts with the text at the bottom: the walk stops
	 * at the cap and shows the innermost part it reached as text. */
	for (i = 0; i < 200; i++)
		buf_printf(&b, "Content-Type: multipart/mixed; boundary=b%d\n"
		    "\n--b%d\n", i, i);
	buf_adds(&b, "Content-Type: text/plain\n\ndeep\n");
	mime_text_extract(buf_str(&b), b.len, &mt);
	ck_assert_ptr_nonnull(mt.body);
	ck_assert(strstr(mt.body, "deep") != NULL);
	ck_assert(strncmp(mt.body, "--b32\n", 6) == 0);
	ck_assert(strstr(mt.body, "boundary=b32") == NULL);
	mime_text_fini(&mt);

	/* Nested message/rfc822 likewise. */
	buf_reset(&b);
	for (i = 0; i < 200; i++)
		buf_adds(&b, "Content-Type: message/rfc822\n\n");
	buf_adds(&b, "\nend\n");
	mime_text_extract(buf_str(&b), b.len, &mt);
	ck_assert_ptr_nonnull(mt.body);
	mime_text_fini(&mt);
	buf_fini(&b);
}
END_TEST

START_TEST(test_text_part_cap)
{
	struct buf		b = BUF_INITIALIZER(0);
	struct mime_text	mt;
	int			i;

	buf_adds(&b, "Content-Type: multipart/mixed; boundary=b\n\n");
	for (i = 0; i < 5000; i++)
		buf_adds(&b, "--b\nContent-Type: image/gif\n\nGIF\n");
	buf_adds(&b, "--b\nContent-Type: text/plain\n\nlate text\n--b--\n");
	mime_text_extract(buf_str(&b), b.len, &mt);
	ck_assert_ptr_nonnull(mt.body);
	ck_assert_msg(strncmp(mt.body, "[no text part: multipart/mixed", 30)
	    == 0, "got %s", mt.body);
	mime_text_fini(&mt);
	buf_fini(&b);
}
END_TEST

START_TEST(test_text_html)
{
	CHECK_BODY("Content-Type: text/html; charset=iso-8859-1\n\n"
	    "<html><head><title>T</title><style>p {color: red}</style>"
	    "<script>if (a < b) alert(1)</script></head><body>"
	    "<p>Fish &amp; chips &lt;3&gt; &quot;caf&eacute;&quot;</p>"
	    "<p>caf\xe9&nbsp;&#233;&#x20AC;&#128512;</p>"
	    "<!-- a <b>comment</b> -->Line<br>break"
	    "<a href=\"x>y\">link</a> &unknown; &amp &#0; &#xD800;"
	    "</body></html>",
	    "Fish & chips <3> \"caf\xc3\xa9\"\n\n"
	    "caf\xc3\xa9\xc2\xa0\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\n\n"
	    "Line\nbreaklink &unknown; &amp \xef\xbf\xbd \xef\xbf\xbd");
	CHECK_BODY("Content-Type: text/html\n\n"
	    "  lots   of\n\n   blanks <pre>a  b\n c</pre> 1 < 2\n",
	    "lots of blanks\na  b\n c\n1 < 2");
	/* Unclosed tag and script: dropped to the end, no over-read. */
	CHECK_BODY("Content-Type: text/html\n\nkeep<a href=\"x", "keep");
	CHECK_BODY("Content-Type: text/html\n\nkeep<script>evil", "keep");
	CHECK_BODY("Content-Type: text/html\n\nkeep<!-- open", "keep");
	CHECK_BODY("Content-Type: text/html\n\n&#", "&#");
	CHECK_BODY("Content-Type: text/html\n\n<", "<");
}
END_TEST

START_TEST(test_text_nul_and_controls)
{
	struct mime_text	mt;
	static const char	msg[] = "Content-Type: text/plain\n\n"
	    "a\0b\x1b]52;c;ZXZpbA==\x07";

	/* NUL does not cut the body; escapes are left for the sanitiser
	 * (the body is not sanitised), but body_len covers them all. */
	mime_text_extract(msg, sizeof msg - 1, &mt);
	ck_assert_uint_eq(mt.body_len, 19);
	ck_assert(memcmp(mt.body, "a\0b\x1b]52", 7) == 0);
	mime_text_fini(&mt);
}
END_TEST

START_TEST(test_text_garbage)
{
	static const char	*msgs[] = {
		"Content-Type: multipart/mixed; boundary=\n\n--\n--\n",
		"Content-Type: multipart/mixed; boundary=\"\"\n\n--\n",
		"Content-Type: multipart/mixed; boundary=x\n\n--x",
		"Content-Type: multipart/mixed; boundary=x\n\n--x--",
		"Content-Type: multipart/mixed; boundary=x\n\n--x\r",
		"Content-Type: ;;;\n\n",
		"Content-Type: text/plain; charset*0*=''\n\nx",
		"Content-Type: text/plain; charset=utf-16\n\n\xff",
		"Content-Transfer-Encoding: base64\n\n=",
		"Content-Transfer-Encoding: quoted-printable\n\n=",
		"\n",
		"\r\n\r\n",
		":\n",
		" folded\n",
	};
	struct mime_text	mt;
	size_t			i;

	for (i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
		mime_text_extract(msgs[i], strlen(msgs[i]), &mt);
		ck_assert_ptr_nonnull(mt.body);
		ck_assert(mime_utf8_valid(mt.body, mt.body_len));
		mime_text_fini(&mt);
	}
}
END_TEST

START_TEST(test_html_direct)
{
	struct buf	b = BUF_INITIALIZER(0);

	ck_assert_int_eq(mime_html_to_text("<ul><li>one<li>two</ul>x", 24,
	    &b), 0);
	ck_assert_buf_eq(&b, "one\ntwo\nx");
	buf_fini(&b);
}
END_TEST

/* The suite of text extraction. */
Suite *
test_mime_text_suite(void)
{
	Suite	*s = suite_create("mime-text");
	TCase	*tc;

	tc = tcase_create("extract");
	tcase_add_test(tc, test_text_headers);
	tcase_add_test(tc, test_text_no_content_type);
	tcase_add_test(tc, test_text_encodings);
	tcase_add_test(tc, test_text_multipart);
	tcase_add_test(tc, test_text_multipart_fallbacks);
	tcase_add_test(tc, test_text_no_text_part);
	tcase_add_test(tc, test_text_message_rfc822);
	tcase_add_test(tc, test_text_depth_cap);
	tcase_add_test(tc, test_text_part_cap);
	tcase_add_test(tc, test_text_nul_and_controls);
	tcase_add_test(tc, test_text_garbage);
	suite_add_tcase(s, tc);

	tc = tcase_create("html");
	tcase_add_test(tc, test_text_html);
	tcase_add_test(tc, test_html_direct);
	suite_add_tcase(s, tc);
	return s;
}

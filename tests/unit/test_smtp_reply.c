/*
 * test_smtp_reply.c - the SMTP reply parser: single and multi-line
 * replies, bare codes, enhanced status codes, the sanitised text, every
 * framing error (bare LF, stray CR, bad or inconsistent codes), the
 * limits (line, reply, lines), input split at every byte, replies back
 * to back, and the EHLO capabilities.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/sasl.h"
#include "net/smtp_reply.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/*
 * Feed in, step bytes at a time (0: all at once), until a reply is
 * complete: 1 then (*used: its bytes), 0 when the input ran out, -1 on
 * error.
 */
static int
feed(struct smtp_parser *pp, const char *in, size_t len, size_t step,
    size_t *used, struct error *err)
{
	size_t	 pos = 0, chunk, u;
	int	 rc;

	while (pos < len) {
		chunk = step == 0 || len - pos < step ? len - pos : step;
		rc = smtp_parser_feed(pp, in + pos, chunk, &u, err);
		ck_assert_uint_le(u, chunk);
		pos += u;
		if (rc != 0) {
			*used = pos;
			return rc;
		}
		ck_assert_uint_eq(u, chunk);
	}
	*used = pos;
	return 0;
}

/* Parse one whole reply at every split; check code, lines, text, enh. */
static void
check_reply(const char *in, int code, size_t nlines, const char *text,
    const char *enh)
{
	struct smtp_parser	 pp;
	struct error		 err;
	size_t			 used, len = strlen(in);

	for (size_t step = 0; step <= len; step++) {
		smtp_parser_init(&pp);
		ck_assert_msg(feed(&pp, in, len, step, &used, &err) == 1,
		    "step %zu of \"%s\": %s", step, in, err.msg);
		ck_assert_uint_eq(used, len);
		ck_assert_int_eq(pp.reply.code, code);
		ck_assert_uint_eq(pp.reply.nlines, nlines);
		ck_assert_str_eq(buf_str(&pp.reply.text), text);
		ck_assert_str_eq(pp.reply.enh, enh);
		ck_assert(!smtp_parser_partial(&pp));
		smtp_parser_fini(&pp);
	}
}

/* Parse in whole; it must fail with code and a message containing what. */
static void
check_error(const char *in, size_t len, enum error_code code,
    const char *what)
{
	struct smtp_parser	 pp;
	struct error		 err;
	size_t			 used;

	smtp_parser_init(&pp);
	ck_assert_int_eq(feed(&pp, in, len, 0, &used, &err), -1);
	ck_assert_int_eq(err.code, code);
	ck_assert_msg(strstr(err.msg, what) != NULL, "\"%s\" lacks \"%s\"",
	    err.msg, what);
	/* The parser stays failed. */
	ck_assert_int_eq(smtp_parser_feed(&pp, "250 ok\r\n", 8, &used, &err),
	    -1);
	smtp_parser_fini(&pp);
}

START_TEST(test_single_and_multi)
{
	check_reply("220 mx.example ESMTP\r\n", 220, 1, "mx.example ESMTP",
	    "");
	check_reply("250\r\n", 250, 1, "", "");
	check_reply("250 \r\n", 250, 1, "", "");
	check_reply("250-mx.example\r\n250-PIPELINING\r\n250 8BITMIME\r\n",
	    250, 3, "mx.example\nPIPELINING\n8BITMIME", "");
	check_reply("250-\r\n250 \r\n", 250, 2, "\n", "");
	check_reply("334 \r\n", 334, 1, "", "");
	check_reply("354 End data with <CR><LF>.<CR><LF>\r\n", 354, 1,
	    "End data with <CR><LF>.<CR><LF>", "");
	/* 8-bit and NUL bytes in text are kept (sanitised when shown). */
	check_reply("550 caf\xc3\xa9\r\n", 550, 1, "caf\xc3\xa9", "");
}
END_TEST

START_TEST(test_enhanced)
{
	check_reply("550 5.1.1 <x@y>: unknown\r\n", 550, 1,
	    "5.1.1 <x@y>: unknown", "5.1.1");
	check_reply("250 2.0.0\r\n", 250, 1, "2.0.0", "2.0.0");
	check_reply("452 4.5.3 Too many\r\n", 452, 1, "4.5.3 Too many",
	    "4.5.3");
	check_reply("250 2.123.456 ok\r\n", 250, 1, "2.123.456 ok",
	    "2.123.456");
	/* class must match the code's first digit; 3 digits at most */
	check_reply("550 4.1.1 x\r\n", 550, 1, "4.1.1 x", "");
	check_reply("250 2.1234.0 x\r\n", 250, 1, "2.1234.0 x", "");
	check_reply("250 2.0.0x\r\n", 250, 1, "2.0.0x", "");
	check_reply("250 2.0 x\r\n", 250, 1, "2.0 x", "");
	check_reply("354 3.0.0 go\r\n", 354, 1, "3.0.0 go", "");
	ck_assert_uint_eq(smtp_enh_len("5.7.1", 5, '5'), 5);
	ck_assert_uint_eq(smtp_enh_len("5.7.1 x", 7, '5'), 5);
	ck_assert_uint_eq(smtp_enh_len("5..1", 4, '5'), 0);
	ck_assert_uint_eq(smtp_enh_len("1.0.0", 5, '1'), 0);
}
END_TEST

/* The displayed text of a reply. */
static char *
shown(const char *in, size_t max)
{
	struct smtp_parser	 pp;
	struct error		 err;
	struct buf		 b;
	size_t			 used;

	smtp_parser_init(&pp);
	ck_assert_int_eq(feed(&pp, in, strlen(in), 0, &used, &err), 1);
	buf_init(&b, 0);
	smtp_reply_append(&pp.reply, &b, max);
	smtp_parser_fini(&pp);
	if (b.data == NULL)
		buf_adds(&b, "");
	return buf_take(&b);
}

START_TEST(test_append)
{
	char	*s;

	s = shown("550-5.1.1 first\r\n550 5.1.1 second\r\n", 300);
	ck_assert_str_eq(s, "5.1.1 first / second");
	free(s);
	s = shown("550-5.1.1 first\r\n550 5.2.2 second\r\n", 300);
	ck_assert_str_eq(s, "5.1.1 first / 5.2.2 second");
	free(s);
	s = shown("250-a\r\n250-\r\n250 b\r\n", 300);
	ck_assert_str_eq(s, "a / b");
	free(s);
	/* Escape sequences and controls never get through. */
	s = shown("535 \x1b]0;title\x07\x1b[31mred\x9b" "1m\r\n", 300);
	ck_assert_ptr_null(strchr(s, '\x1b'));
	ck_assert_ptr_null(strchr(s, '\x07'));
	ck_assert_ptr_nonnull(strstr(s, "red"));
	free(s);
	s = shown("550 0123456789abcdef\r\n", 10);
	ck_assert_str_eq(s, "0123456789...");
	free(s);
	s = shown("250\r\n", 10);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(test_framing_errors)
{
	check_error("250 ok\n", 7, ERR_PROTOCOL, "bare LF");
	check_error("250-a\r\n250 b\n", 13, ERR_PROTOCOL, "bare LF");
	check_error("250 o\rk\r\n", 9, ERR_PROTOCOL, "CR");
	check_error("250 ok\r\r\n", 9, ERR_PROTOCOL, "CR");
	check_error("250-a\r\n251 b\r\n", 14, ERR_PROTOCOL,
	    "different codes");
	check_error("hello\r\n", 7, ERR_PROTOCOL, "not an SMTP reply");
	check_error("25\r\n", 4, ERR_PROTOCOL, "not an SMTP reply");
	check_error("199 x\r\n", 7, ERR_PROTOCOL, "not an SMTP reply");
	check_error("600 x\r\n", 7, ERR_PROTOCOL, "not an SMTP reply");
	check_error("260 x\r\n", 7, ERR_PROTOCOL, "not an SMTP reply");
	check_error("2500 x\r\n", 8, ERR_PROTOCOL, "not an SMTP reply");
	check_error("250_x\r\n", 7, ERR_PROTOCOL, "not an SMTP reply");
	check_error("\r\n", 2, ERR_PROTOCOL, "not an SMTP reply");
	check_error("\x1b[2J\r\n", 6, ERR_PROTOCOL, "not an SMTP reply");
}
END_TEST

START_TEST(test_split_cr)
{
	struct smtp_parser	 pp;
	struct error		 err;
	size_t			 used;

	/* A CR at the end of one read and its LF in the next. */
	smtp_parser_init(&pp);
	ck_assert_int_eq(smtp_parser_feed(&pp, "250 ok\r", 7, &used, &err), 0);
	ck_assert(smtp_parser_partial(&pp));
	ck_assert_int_eq(smtp_parser_feed(&pp, "\n", 1, &used, &err), 1);
	ck_assert_str_eq(buf_str(&pp.reply.text), "ok");
	/* ... but not a CR followed by anything else. */
	ck_assert_int_eq(smtp_parser_feed(&pp, "250 ok\r", 7, &used, &err), 0);
	ck_assert_int_eq(smtp_parser_feed(&pp, "x\r\n", 3, &used, &err), -1);
	smtp_parser_fini(&pp);
}
END_TEST

START_TEST(test_limits)
{
	struct buf	 b, text;
	size_t		 i;

	/* A line of exactly SMTP_LINE_MAX is fine, one more is not. */
	buf_init(&b, 0);
	buf_adds(&b, "250 ");
	for (i = 4; i < SMTP_LINE_MAX; i++)
		buf_addc(&b, 'x');
	buf_adds(&b, "\r\n");
	{
		struct smtp_parser	 pp;
		struct error		 err;
		size_t			 used;

		smtp_parser_init(&pp);
		ck_assert_int_eq(feed(&pp, b.data, b.len, 0, &used, &err), 1);
		ck_assert_uint_eq(pp.reply.text.len, SMTP_LINE_MAX - 4);
		smtp_parser_fini(&pp);
	}
	buf_reset(&b);
	buf_adds(&b, "250 ");
	for (i = 4; i < SMTP_LINE_MAX + 1; i++)
		buf_addc(&b, 'x');
	buf_adds(&b, "\r\n");
	check_error(b.data, b.len, ERR_TOOBIG, "longer than 20 KiB");
	/* 10 MB without a line end: refused after 20 KiB. */
	buf_reset(&b);
	buf_adds(&b, "220 ");
	for (i = 0; i < 30 * 1024; i++)
		buf_addc(&b, 'y');
	check_error(b.data, b.len, ERR_TOOBIG, "longer than 20 KiB");
	/* 101 lines. */
	buf_reset(&b);
	for (i = 0; i < SMTP_REPLY_LINES; i++)
		buf_adds(&b, "250-x\r\n");
	buf_adds(&b, "250 x\r\n");
	check_error(b.data, b.len, ERR_TOOBIG, "more than 100 lines");
	/* 100 lines are fine. */
	buf_reset(&b);
	buf_init(&text, 0);
	for (i = 0; i + 1 < SMTP_REPLY_LINES; i++) {
		buf_adds(&b, "250-x\r\n");
		buf_adds(&text, "x\n");
	}
	buf_adds(&b, "250 x\r\n");
	buf_adds(&text, "x");
	check_reply(b.data, 250, SMTP_REPLY_LINES, buf_str(&text), "");
	buf_fini(&text);
	buf_fini(&b);
}
END_TEST

START_TEST(test_reply_size)
{
	struct buf	 b, line;
	size_t		 i;

	buf_init(&line, 0);
	for (i = 0; i < 1000; i++)
		buf_addc(&line, 'z');
	buf_init(&b, 0);
	for (i = 0; i < 70; i++)
		buf_printf(&b, "250-%s\r\n", buf_str(&line));
	buf_adds(&b, "250 end\r\n");
	check_error(b.data, b.len, ERR_TOOBIG, "longer than 64 KiB");
	buf_fini(&b);
	buf_fini(&line);
}
END_TEST

START_TEST(test_back_to_back)
{
	static const char in[] = "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n"
	    "554-5.7.1 no\r\n554 5.7.1 really\r\n354 go\r\n";
	struct smtp_parser	 pp;
	struct error		 err;
	size_t			 used, off = 0;
	int			 codes[4], n = 0;

	smtp_parser_init(&pp);
	while (off < sizeof in - 1) {
		ck_assert_int_eq(smtp_parser_feed(&pp, in + off,
		    sizeof in - 1 - off, &used, &err), 1);
		codes[n++] = pp.reply.code;
		off += used;
	}
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(codes[0], 250);
	ck_assert_int_eq(codes[2], 554);
	ck_assert_int_eq(codes[3], 354);
	ck_assert_str_eq(buf_str(&pp.reply.text), "go");
	/* After a reset, nothing of before is left. */
	ck_assert_int_eq(smtp_parser_feed(&pp, "250-a", 5, &used, &err), 0);
	ck_assert(smtp_parser_partial(&pp));
	smtp_parser_reset(&pp);
	ck_assert(!smtp_parser_partial(&pp));
	ck_assert_int_eq(smtp_parser_feed(&pp, "220 b\r\n", 7, &used, &err),
	    1);
	ck_assert_int_eq(pp.reply.code, 220);
	ck_assert_uint_eq(pp.reply.nlines, 1);
	smtp_parser_fini(&pp);
}
END_TEST

/* The capabilities of an EHLO reply. */
static struct smtp_caps
caps_of(const char *in)
{
	struct smtp_parser	 pp;
	struct smtp_caps	 caps;
	struct error		 err;
	size_t			 used;

	smtp_parser_init(&pp);
	ck_assert_int_eq(feed(&pp, in, strlen(in), 0, &used, &err), 1);
	smtp_caps_parse(&pp.reply, &caps);
	smtp_parser_fini(&pp);
	return caps;
}

START_TEST(test_caps)
{
	struct smtp_caps	 c;

	c = caps_of("250-mx.example STARTTLS\r\n250-PIPELINING\r\n"
	    "250-SIZE 10240000\r\n250-ETRN\r\n250-starttls\r\n"
	    "250-AUTH PLAIN LOGIN X-UNKNOWN\r\n250-AUTH=CRAM-MD5\r\n"
	    "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n"
	    "250-SMTPUTF8\r\n250 CHUNKING\r\n");
	ck_assert_uint_eq(c.flags, SMTP_CAP_STARTTLS | SMTP_CAP_AUTH |
	    SMTP_CAP_PIPELINING | SMTP_CAP_SIZE | SMTP_CAP_8BITMIME |
	    SMTP_CAP_SMTPUTF8 | SMTP_CAP_DSN | SMTP_CAP_ENHANCED);
	ck_assert_uint_eq(c.mechs, SASL_BIT(SASL_PLAIN) | SASL_BIT(SASL_LOGIN) |
	    SASL_BIT(SASL_CRAM_MD5));
	ck_assert_uint_eq(c.size, 10240000);
	/* The first line is the server's name, not a keyword. */
	c = caps_of("250 STARTTLS\r\n");
	ck_assert_uint_eq(c.flags, 0);
	c = caps_of("250-x\r\n250 SIZE\r\n");
	ck_assert_uint_eq(c.flags, SMTP_CAP_SIZE);
	ck_assert_uint_eq(c.size, 0);
	c = caps_of("250-x\r\n250 SIZE 99999999999999999999999\r\n");
	ck_assert_uint_eq(c.size, 0);
	c = caps_of("250-x\r\n250 SIZE 12ab\r\n");
	ck_assert_uint_eq(c.size, 0);
	c = caps_of("250-x\r\n250 SIZE 18446744073709551610\r\n");
	ck_assert_uint_eq(c.size, 18446744073709551610ULL);
	c = caps_of("250-x\r\n250-STARTTLSX\r\n250 AUTH\r\n");
	ck_assert_uint_eq(c.flags, SMTP_CAP_AUTH);
	ck_assert_uint_eq(c.mechs, 0);
	c = caps_of("250-x\r\n250 auth  scram-sha-256   plain\r\n");
	ck_assert_uint_eq(c.mechs, SASL_BIT(SASL_SCRAM_SHA_256) |
	    SASL_BIT(SASL_PLAIN));
}
END_TEST

static Suite *
reply_suite(void)
{
	Suite	*s = suite_create("smtp_reply");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_single_and_multi);
	tcase_add_test(tc, test_enhanced);
	tcase_add_test(tc, test_append);
	tcase_add_test(tc, test_framing_errors);
	tcase_add_test(tc, test_split_cr);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_reply_size);
	tcase_add_test(tc, test_back_to_back);
	tcase_add_test(tc, test_caps);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(reply_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

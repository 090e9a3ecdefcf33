/*
 * test_pop3_parse.c - the POP3 reply parser: status lines and response
 * codes, multi-line data with dot-stuffing, AUTH continuations, the
 * limits (status line, listing line, data per reply), input split at
 * every byte, and the readers of UIDL, LIST, CAPA lines and the APOP
 * timestamp.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/pop3_parse.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* Append an event to a transcript: data pieces joined, "\n" at eol. */
static void
record(struct buf *out, const struct pop3_event *ev)
{
	switch (ev->type) {
	case POP3_EV_OK:
	case POP3_EV_ERR:
		buf_adds(out, ev->type == POP3_EV_OK ? "+OK" : "-ERR");
		if (ev->code.len > 0)
			buf_printf(out, "[%.*s]", (int)ev->code.len,
			    ev->code.p);
		buf_printf(out, "{%.*s}\n", (int)ev->text.len, ev->text.p);
		break;
	case POP3_EV_CONT:
		buf_printf(out, "+{%.*s}\n", (int)ev->text.len, ev->text.p);
		break;
	case POP3_EV_DATA:
		buf_add(out, ev->text.p, ev->text.len);
		if (ev->eol)
			buf_addc(out, '\n');
		break;
	case POP3_EV_END:
		buf_adds(out, ".\n");
		break;
	default:
		buf_adds(out, "?\n");
	}
}

/*
 * Parse one reply from in, fed step bytes at a time (0: all at once).
 * 0 when it ended (*used: its bytes), 1 when the input ran out first,
 * -1 on error.
 */
static int
run(struct pop3_parser *pp, enum pop3_expect e, size_t max, const char *in,
    size_t len, size_t step, struct buf *out, size_t *used,
    struct error *err)
{
	struct pop3_event	 ev;
	size_t			 pos = 0, chunk, off, u;
	int			 rc;

	pop3_parser_expect(pp, e, max);
	while (pos < len) {
		chunk = step == 0 || step > len - pos ? len - pos : step;
		for (off = 0; off < chunk;) {
			rc = pop3_parser_feed(pp, in + pos + off, chunk - off,
			    &u, &ev, err);
			if (rc == -1)
				return -1;
			off += u;
			if (rc == 0)
				continue;
			record(out, &ev);
			if (ev.last) {
				*used = pos + off;
				return 0;
			}
		}
		pos += chunk;
	}
	return 1;
}

/* Parse a whole reply at once and at every split; all must agree. */
static void
check_reply(enum pop3_expect e, const char *in, const char *want)
{
	struct pop3_parser	 pp;
	struct error		 err;
	struct buf		 out;
	size_t			 used, len = strlen(in);
	size_t			 steps[] = { 0, 1, 2, 3, 5, 7, 64 };

	for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
		pop3_parser_init(&pp);
		buf_init(&out, 0);
		ck_assert_msg(run(&pp, e, 1 << 20, in, len, steps[s], &out,
		    &used, &err) == 0, "step %zu: %s", steps[s], err.msg);
		ck_assert_msg(strcmp(buf_str(&out), want) == 0,
		    "step %zu: got\n%s\nwant\n%s", steps[s], buf_str(&out),
		    want);
		ck_assert_uint_eq(used, len);
		ck_assert(pop3_parser_between(&pp));
		buf_fini(&out);
		pop3_parser_fini(&pp);
	}
}

START_TEST(test_status_lines)
{
	check_reply(POP3_EXPECT_SINGLE, "+OK hello there\r\n",
	    "+OK{hello there}\n");
	check_reply(POP3_EXPECT_SINGLE, "+OK\r\n", "+OK{}\n");
	check_reply(POP3_EXPECT_SINGLE, "+ok lower\n", "+OK{lower}\n");
	check_reply(POP3_EXPECT_SINGLE, "-ERR [IN-USE] locked\r\n",
	    "-ERR[IN-USE]{locked}\n");
	check_reply(POP3_EXPECT_SINGLE, "-ERR [SYS/TEMP] later\r\n",
	    "-ERR[SYS/TEMP]{later}\n");
	check_reply(POP3_EXPECT_SINGLE, "-ERR [AUTH] Authentication failed."
	    "\r\n", "-ERR[AUTH]{Authentication failed.}\n");
	/* Not response codes: kept as text. */
	check_reply(POP3_EXPECT_SINGLE, "-ERR [bad code!] x\r\n",
	    "-ERR{[bad code!] x}\n");
	check_reply(POP3_EXPECT_SINGLE, "-ERR [] x\r\n", "-ERR{[] x}\n");
	check_reply(POP3_EXPECT_SINGLE, "-ERR [/X] x\r\n", "-ERR{[/X] x}\n");
	check_reply(POP3_EXPECT_SINGLE, "-ERR [X/] x\r\n", "-ERR{[X/] x}\n");
	check_reply(POP3_EXPECT_SINGLE, "-ERR [unterminated\r\n",
	    "-ERR{[unterminated}\n");
	/* -ERR ends a multi-line command's reply at once. */
	check_reply(POP3_EXPECT_LINES, "-ERR no\r\n", "-ERR{no}\n");
	check_reply(POP3_EXPECT_BLOB, "-ERR no such message\r\n",
	    "-ERR{no such message}\n");
}
END_TEST

START_TEST(test_listing_lines)
{
	check_reply(POP3_EXPECT_LINES,
	    "+OK\r\n1 abc\r\n2 def\r\n.\r\n", "+OK{}\n1 abc\n2 def\n.\n");
	/* Dot-stuffing: the first dot goes when anything but CRLF follows. */
	check_reply(POP3_EXPECT_LINES,
	    "+OK\r\n..x\r\n.y\r\n..\r\n.\r\n", "+OK{}\n.x\ny\n.\n.\n");
	/* Bare LF line ends, and ".\n" as the end. */
	check_reply(POP3_EXPECT_LINES, "+OK\na\n\nb\n.\n", "+OK{}\na\n\nb\n.\n");
	/* ".\r" then more: the dot goes, the CR stays. */
	check_reply(POP3_EXPECT_LINES, "+OK\r\n.\rz\r\n.\r\n",
	    "+OK{}\n\rz\n.\n");
}
END_TEST

START_TEST(test_message_data)
{
	/* Pieces joined; an inner CR kept; dot rules as for listings. */
	check_reply(POP3_EXPECT_BLOB,
	    "+OK 120 octets\r\n"
	    "Subject: hi\r\n"
	    "\r\n"
	    "a\rb\r\n"
	    "...three\r\n"
	    "..\r\n"
	    ".x lone dot\r\n"
	    ".\rcr after dot\r\n"
	    "trailing cr\r\r\n"
	    ".\r\n",
	    "+OK{120 octets}\n"
	    "Subject: hi\n"
	    "\n"
	    "a\rb\n"
	    "..three\n"
	    ".\n"
	    "x lone dot\n"
	    "\rcr after dot\n"
	    "trailing cr\r\n"
	    ".\n");
	/* An empty message. */
	check_reply(POP3_EXPECT_BLOB, "+OK\r\n.\r\n", "+OK{}\n.\n");
}
END_TEST

START_TEST(test_auth_continuations)
{
	check_reply(POP3_EXPECT_AUTH, "+ VXNlcm5hbWU6\r\n+ \r\n+\r\n+OK in\r\n",
	    "+{VXNlcm5hbWU6}\n+{}\n+{}\n+OK{in}\n");
	check_reply(POP3_EXPECT_AUTH, "-ERR [AUTH] no\r\n",
	    "-ERR[AUTH]{no}\n");
}
END_TEST

/* Feed in to a fresh parser; the error it gives (code), or ERR_NONE. */
static enum error_code
parse_error(enum pop3_expect e, size_t max, const char *in, size_t len,
    size_t step, char *msg, size_t msgsize)
{
	struct pop3_parser	 pp;
	struct error		 err, e2;
	struct buf		 out;
	size_t			 used;
	int			 rc;

	pop3_parser_init(&pp);
	buf_init(&out, 0);
	error_clear(&err);
	rc = run(&pp, e, max, in, len, step, &out, &used, &err);
	if (msg != NULL)
		snprintf(msg, msgsize, "%s", err.msg);
	if (rc == -1) {
		/* The failure sticks. */
		ck_assert_int_eq(pop3_parser_feed(&pp, "+OK\r\n", 5, &used,
		    &(struct pop3_event){ 0 }, &e2), -1);
	}
	buf_fini(&out);
	pop3_parser_fini(&pp);
	return rc == -1 ? err.code : ERR_NONE;
}

START_TEST(test_junk)
{
	char	 msg[ERROR_MSG_MAX];

	ck_assert_int_eq(parse_error(POP3_EXPECT_SINGLE, 0, "* OK imap\r\n",
	    11, 0, msg, sizeof msg), ERR_PROTOCOL);
	ck_assert_ptr_nonnull(strstr(msg, "not a POP3 reply"));
	/* Control characters of the junk never reach the message. */
	ck_assert_int_eq(parse_error(POP3_EXPECT_SINGLE, 0,
	    "\x1b]0;pwn\x07\r\n", 10, 0, msg, sizeof msg), ERR_PROTOCOL);
	ck_assert_ptr_null(strchr(msg, '\x1b'));
	ck_assert_ptr_null(strchr(msg, '\x07'));
	ck_assert_int_eq(parse_error(POP3_EXPECT_SINGLE, 0, "+OKAY\r\n", 7, 0,
	    NULL, 0), ERR_PROTOCOL);
	ck_assert_int_eq(parse_error(POP3_EXPECT_SINGLE, 0, "\r\n", 2, 0,
	    NULL, 0), ERR_PROTOCOL);
	/* A continuation outside AUTH. */
	ck_assert_int_eq(parse_error(POP3_EXPECT_SINGLE, 0, "+ abc\r\n", 7, 0,
	    NULL, 0), ERR_PROTOCOL);
	ck_assert_int_eq(parse_error(POP3_EXPECT_LINES, 10, "+ abc\r\n", 7, 0,
	    NULL, 0), ERR_PROTOCOL);
}
END_TEST

/* A buffer of n bytes of c. */
static char *
fill(size_t n, char c)
{
	char	*p = xmalloc(n + 1);

	memset(p, c, n);
	p[n] = '\0';
	return p;
}

START_TEST(test_limits)
{
	size_t		 big = 10 * 1024 * 1024;
	char		*line = fill(big, 'x'), *in;
	struct buf	 b;

	/* A 10 MB status line without a line end: refused early. */
	ck_assert_int_eq(parse_error(POP3_EXPECT_SINGLE, 0, line, big,
	    65536, NULL, 0), ERR_TOOBIG);
	/* The longest status line passes, one more byte does not. */
	memcpy(line, "+OK ", 4);
	memcpy(line + POP3_STATUS_MAX, "\r\n", 2);
	ck_assert_int_eq(parse_error(POP3_EXPECT_SINGLE, 0, line,
	    POP3_STATUS_MAX + 2, 4096, NULL, 0), ERR_NONE);
	memcpy(line + POP3_STATUS_MAX, "x\r\n", 3);
	ck_assert_int_eq(parse_error(POP3_EXPECT_SINGLE, 0, line,
	    POP3_STATUS_MAX + 3, 4096, NULL, 0), ERR_TOOBIG);
	/* A 10 MB listing line. */
	memcpy(line, "+OK\r\n", 5);
	ck_assert_int_eq(parse_error(POP3_EXPECT_LINES, big * 2, line, big,
	    65536, NULL, 0), ERR_TOOBIG);
	/* A 10 MB message line is data; the reply's limit still holds. */
	memset(line, 'y', big);
	memcpy(line, "+OK\r\n", 5);
	ck_assert_int_eq(parse_error(POP3_EXPECT_BLOB, big * 2, line, big,
	    65536, NULL, 0), ERR_NONE);
	ck_assert_int_eq(parse_error(POP3_EXPECT_BLOB, big / 2, line, big,
	    65536, NULL, 0), ERR_TOOBIG);
	free(line);

	/* Data that never ends: the per-reply limit ends it. */
	buf_init(&b, 0);
	buf_adds(&b, "+OK\r\n");
	for (int i = 0; i < 20000; i++)
		buf_adds(&b, "1 abcdefghij\r\n");
	in = buf_take(&b);
	ck_assert_int_eq(parse_error(POP3_EXPECT_LINES, 100000, in,
	    strlen(in), 1000, NULL, 0), ERR_TOOBIG);
	ck_assert_int_eq(parse_error(POP3_EXPECT_LINES, 1 << 20, in,
	    strlen(in), 1000, NULL, 0), ERR_NONE);	/* just incomplete */
	free(in);
}
END_TEST

START_TEST(test_replies_back_to_back)
{
	static const char	 in[] = "+OK\r\n1 a\r\n.\r\n-ERR x\r\n+OK 1 2\r\n";
	struct pop3_parser	 pp;
	struct error		 err;
	struct buf		 out;
	size_t			 used, off = 0;

	pop3_parser_init(&pp);
	buf_init(&out, 0);
	ck_assert_int_eq(run(&pp, POP3_EXPECT_LINES, 100, in, strlen(in), 0,
	    &out, &used, &err), 0);
	off += used;
	ck_assert_uint_eq(off, 13);
	ck_assert_int_eq(run(&pp, POP3_EXPECT_BLOB, 100, in + off,
	    strlen(in) - off, 0, &out, &used, &err), 0);
	off += used;
	ck_assert_int_eq(run(&pp, POP3_EXPECT_SINGLE, 0, in + off,
	    strlen(in) - off, 0, &out, &used, &err), 0);
	off += used;
	ck_assert_uint_eq(off, strlen(in));
	ck_assert_str_eq(buf_str(&out), "+OK{}\n1 a\n.\n-ERR{x}\n+OK{1 2}\n");
	/* A reset (STLS) forgets a partial line. */
	ck_assert_int_eq(pop3_parser_feed(&pp, "+OK par", 7, &used,
	    &(struct pop3_event){ 0 }, &err), 0);
	ck_assert(!pop3_parser_between(&pp));
	pop3_parser_reset(&pp);
	ck_assert(pop3_parser_between(&pp));
	buf_fini(&out);
	pop3_parser_fini(&pp);
}
END_TEST

/* The timestamp of a greeting text, or NULL. */
static char *
ts(const char *text)
{
	struct pop3_slice	 s = { text, strlen(text) };

	return pop3_parse_timestamp(s);
}

START_TEST(test_timestamp)
{
	char	*t;

	t = ts("POP3 server ready <1896.697170952@dbc.mtview.ca.us>");
	ck_assert_str_eq(t, "<1896.697170952@dbc.mtview.ca.us>");
	free(t);
	ck_assert_ptr_null(ts("Dovecot ready."));
	ck_assert_ptr_null(ts("ready <no-at-sign>"));
	ck_assert_ptr_null(ts("ready <a b@c>"));
	ck_assert_ptr_null(ts("ready <a\x1b@c>"));
	ck_assert_ptr_null(ts("ready <unterminated@x"));
	ck_assert_ptr_null(ts("ready <@>"));
}
END_TEST

START_TEST(test_uidl_list_capa)
{
	struct pop3_slice	 u, kw, args;
	uint32_t		 num;
	uint64_t		 size;
	char			 l70[80], l71[80];

#define SL(s)	((struct pop3_slice){ s, strlen(s) })
	ck_assert_int_eq(pop3_parse_uidl(SL("1 whqtswO00WBw418f9t5JxYwZ"), &num,
	    &u), 0);
	ck_assert_uint_eq(num, 1);
	ck_assert_int_eq((int)u.len, 24);
	ck_assert_int_eq(pop3_parse_uidl(SL("4294967295 x  "), &num, &u), 0);
	ck_assert_uint_eq(num, 4294967295u);
	ck_assert_int_eq(pop3_parse_uidl(SL("4294967296 x"), &num, &u), -1);
	ck_assert_int_eq(pop3_parse_uidl(SL("0 x"), &num, &u), -1);
	ck_assert_int_eq(pop3_parse_uidl(SL("1"), &num, &u), -1);
	ck_assert_int_eq(pop3_parse_uidl(SL("1 "), &num, &u), -1);
	ck_assert_int_eq(pop3_parse_uidl(SL("1 a b"), &num, &u), -1);
	ck_assert_int_eq(pop3_parse_uidl(SL("1 a\x80"), &num, &u), -1);
	ck_assert_int_eq(pop3_parse_uidl(SL("x 1"), &num, &u), -1);
	memset(l70, 'a', sizeof l70);
	memcpy(l70, "7 ", 2);
	l70[72] = '\0';
	ck_assert_int_eq(pop3_parse_uidl(SL(l70), &num, &u), 0);
	memcpy(l71, l70, sizeof l71);
	l71[72] = 'a';
	l71[73] = '\0';
	ck_assert_int_eq(pop3_parse_uidl(SL(l71), &num, &u), -1);

	ck_assert_int_eq(pop3_parse_list(SL("2 200"), &num, &size), 0);
	ck_assert_uint_eq(num, 2);
	ck_assert_uint_eq(size, 200);
	ck_assert_int_eq(pop3_parse_list(SL("3 12 extra"), &num, &size), 0);
	ck_assert_int_eq(pop3_parse_list(SL("3 12x"), &num, &size), -1);
	ck_assert_int_eq(pop3_parse_list(SL("3"), &num, &size), -1);
	ck_assert_int_eq(pop3_parse_list(SL("3 9999999999999999999"), &num,
	    &size), -1);

	ck_assert_int_eq(pop3_parse_capa(SL("SASL PLAIN  LOGIN"), &kw, &args),
	    0);
	ck_assert(pop3_slice_is(kw, "sasl"));
	ck_assert_int_eq((int)args.len, 12);
	ck_assert_int_eq(pop3_parse_capa(SL("TOP"), &kw, &args), 0);
	ck_assert(pop3_slice_is(kw, "TOP"));
	ck_assert_int_eq((int)args.len, 0);
	ck_assert_int_eq(pop3_parse_capa(SL("   "), &kw, &args), -1);
#undef SL
}
END_TEST

static Suite *
parse_suite(void)
{
	Suite	*s = suite_create("pop3_parse");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_status_lines);
	tcase_add_test(tc, test_listing_lines);
	tcase_add_test(tc, test_message_data);
	tcase_add_test(tc, test_auth_continuations);
	tcase_add_test(tc, test_junk);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_replies_back_to_back);
	tcase_add_test(tc, test_timestamp);
	tcase_add_test(tc, test_uidl_list_capa);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(parse_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

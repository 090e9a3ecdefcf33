/*
 * test_smtp_data.c - the message as DATA content (CRLF, bare LF and CR,
 * dot-stuffing, the final dot; every output chunk size and input split;
 * a 5 MB message round trip) and its scan (SIZE, 8-bit); the envelope
 * (address checks, SMTPUTF8, DSN values, xtext, the MAIL and RCPT lines
 * for what the server offers).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/smtp_conn.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* One encoding case: input, DATA content, SIZE. */
static const struct {
	const char	*in;
	const char	*out;
	unsigned	 size;
} stuff_cases[] = {
	{ "", ".\r\n", 0 },
	{ "a", "a\r\n.\r\n", 3 },
	{ "a\n", "a\r\n.\r\n", 3 },
	{ "a\r\n", "a\r\n.\r\n", 3 },
	{ ".\n", "..\r\n.\r\n", 3 },
	{ ".", "..\r\n.\r\n", 3 },
	{ "a\n.b\n..c\n", "a\r\n..b\r\n...c\r\n.\r\n", 12 },
	{ "x.y\n", "x.y\r\n.\r\n", 5 },
	{ "a\rb", "a\r\nb\r\n.\r\n", 6 },
	{ "a\r.\r\n", "a\r\n..\r\n.\r\n", 6 },
	{ "\r\n.\r\n", "\r\n..\r\n.\r\n", 5 },
	{ "a\r", "a\r\n.\r\n", 3 },
	{ "a\r\r\n", "a\r\n\r\n.\r\n", 5 },
	{ "\n\n", "\r\n\r\n.\r\n", 4 },
	{ "\r\r", "\r\n\r\n.\r\n", 4 },
	{ "a\n.\n", "a\r\n..\r\n.\r\n", 6 },
	{ "a\r\n.\r\nb", "a\r\n..\r\nb\r\n.\r\n", 9 },
	{ "\xc3\xa9\n", "\xc3\xa9\r\n.\r\n", 4 },
};

/* Encode in with out chunks of cap bytes and inputs split every step. */
static char *
encode(const char *in, size_t len, size_t cap, size_t step)
{
	struct smtp_stuffer	 st;
	struct buf		 b;
	char			 out[64], end[8];
	size_t			 off = 0, chunk, used, n, sub;

	buf_init(&b, 0);
	smtp_stuffer_init(&st);
	while (off < len) {
		chunk = step == 0 || len - off < step ? len - off : step;
		sub = 0;
		while (sub < chunk) {
			n = smtp_stuff(&st, in + off + sub, chunk - sub, &used,
			    out, cap);
			ck_assert_uint_ge(used, 1);
			ck_assert_uint_le(n, cap);
			buf_add(&b, out, n);
			sub += used;
		}
		off += chunk;
	}
	n = smtp_stuff_end(&st, end);
	buf_add(&b, end, n);
	return buf_take(&b);
}

START_TEST(test_stuffing)
{
	struct smtp_data_info	 info;
	const char		*in;
	size_t			 len;
	char			*got;

	for (size_t i = 0; i < sizeof stuff_cases / sizeof *stuff_cases;
	    i++) {
		in = stuff_cases[i].in;
		len = strlen(in);
		for (size_t cap = 4; cap <= 16; cap++) {
			for (size_t step = 0; step <= len; step++) {
				got = encode(in, len, cap, step);
				ck_assert_msg(strcmp(got, stuff_cases[i].out) ==
				    0, "case %zu cap %zu step %zu", i, cap,
				    step);
				free(got);
			}
		}
		smtp_data_scan(in, len, &info);
		ck_assert_msg(info.size == stuff_cases[i].size,
		    "case %zu: size %llu", i, (unsigned long long)info.size);
	}
	smtp_data_scan("abc\n", 4, &info);
	ck_assert(!info.eightbit);
	smtp_data_scan("ab\x80", 3, &info);
	ck_assert(info.eightbit);
	smtp_data_scan(NULL, 0, &info);
	ck_assert_uint_eq(info.size, 0);
}
END_TEST

/* Undo the DATA encoding: unstuff, drop the final ".\r\n". */
static char *
decode(const char *p, size_t len, size_t *outlen)
{
	struct buf	 b;
	size_t		 i = 0;
	bool		 bol = true;

	ck_assert_uint_ge(len, 3);
	ck_assert(memcmp(p + len - 3, ".\r\n", 3) == 0);
	len -= 3;
	buf_init(&b, 0);
	for (i = 0; i < len; i++) {
		if (bol && p[i] == '.') {
			ck_assert_msg(i + 1 < len && p[i + 1] == '.',
			    "unstuffed dot at %zu", i);
			i++;
		}
		/* Every LF has its CR, every CR its LF. */
		if (p[i] == '\n')
			ck_assert(i > 0 && p[i - 1] == '\r');
		if (p[i] == '\r')
			ck_assert(i + 1 < len && p[i + 1] == '\n');
		buf_addc(&b, p[i]);
		bol = p[i] == '\n';
	}
	ck_assert(bol || len == 0);
	*outlen = b.len;
	return buf_take(&b);
}

START_TEST(test_big_message)
{
	struct smtp_data_info	 info;
	struct buf		 msg, want;
	size_t			 n, i;
	char			*enc, *dec;
	unsigned		 x = 12345;

	/* 5 MB of lines of every kind, LF ends, with "." lines. */
	buf_init(&msg, 0);
	buf_init(&want, 0);
	while (msg.len < 5 * 1024 * 1024) {
		x = x * 1103515245u + 12345u;
		n = (x >> 16) % 90;
		for (i = 0; i < n; i++) {
			char c = (char)(32 + (x + i * 7) % 95);

			if (i == 0 && (x & 3) == 0)
				c = '.';
			buf_addc(&msg, c);
			buf_addc(&want, c);
		}
		buf_addc(&msg, '\n');
		buf_adds(&want, "\r\n");
	}
	smtp_data_scan(msg.data, msg.len, &info);
	ck_assert_uint_eq(info.size, want.len);
	enc = encode(msg.data, msg.len, 64, 65536);
	dec = decode(enc, strlen(enc), &n);
	ck_assert_uint_eq(n, want.len);
	ck_assert(memcmp(dec, want.data, n) == 0);
	free(enc);
	free(dec);
	buf_fini(&msg);
	buf_fini(&want);
}
END_TEST

/* Check an envelope of one recipient; the error message, or NULL. */
static const char *
env_err(const char *from, const char *rcpt, const char *notify,
    const char *ret, const char *envid, struct smtp_env_info *info)
{
	static struct error	 err;
	const char		*rcpts[1] = { rcpt };
	struct smtp_envelope	 env = { from, rcpts, 1, notify, ret, envid };

	if (smtp_env_check(&env, info, &err) == 0)
		return NULL;
	ck_assert(err.code == ERR_PARSE || err.code == ERR_CONFIG);
	return err.msg;
}

START_TEST(test_addresses)
{
	struct smtp_env_info	 info;
	char			 longaddr[300];
	const char		*m;

	ck_assert_ptr_null(env_err("a@b.example", "c@d", NULL, NULL, NULL,
	    &info));
	ck_assert(!info.utf8 && !info.dsn);
	ck_assert_ptr_null(env_err("", "postmaster", NULL, NULL, NULL, &info));
	ck_assert_ptr_null(env_err("\"a b\"@c", "\"x\\\"y\"@z", NULL, NULL,
	    NULL, &info));
	ck_assert_ptr_null(env_err("a@b", "j\xc3\xb6rg@b\xc3\xbc" "ro.example",
	    NULL, NULL, NULL, &info));
	ck_assert(info.utf8);
	m = env_err("a@b", "a b@c", NULL, NULL, NULL, &info);
	ck_assert_ptr_nonnull(strstr(m, "space"));
	m = env_err("a@b", "a>b@c", NULL, NULL, NULL, &info);
	ck_assert_ptr_nonnull(strstr(m, "\"<\" or \">\""));
	m = env_err("a@b\r\nRCPT TO:<x@y>", "c@d", NULL, NULL, NULL, &info);
	ck_assert_ptr_nonnull(strstr(m, "control"));
	ck_assert_ptr_null(strchr(m, '\r'));
	m = env_err("a@b", "\xff@c", NULL, NULL, NULL, &info);
	ck_assert_ptr_nonnull(strstr(m, "UTF-8"));
	m = env_err("a@b", "\xed\xa0\x80@c", NULL, NULL, NULL, &info);
	ck_assert_ptr_nonnull(strstr(m, "UTF-8"));
	m = env_err("a@b", "\"ab@c", NULL, NULL, NULL, &info);
	ck_assert_ptr_nonnull(strstr(m, "quote"));
	m = env_err("a@b", "", NULL, NULL, NULL, &info);
	ck_assert_ptr_nonnull(strstr(m, "empty"));
	memset(longaddr, 'x', sizeof longaddr - 1);
	longaddr[sizeof longaddr - 1] = '\0';
	m = env_err("a@b", longaddr, NULL, NULL, NULL, &info);
	ck_assert_ptr_nonnull(strstr(m, "254"));
	longaddr[254] = '\0';
	ck_assert_ptr_null(env_err("a@b", longaddr, NULL, NULL, NULL, &info));
}
END_TEST

START_TEST(test_dsn_values)
{
	struct smtp_env_info	 info;
	char			 envid[120];

	ck_assert_ptr_null(env_err("a@b", "c@d", "never", NULL, NULL, &info));
	ck_assert(info.dsn);
	ck_assert_ptr_null(env_err("a@b", "c@d", "SUCCESS,failure,Delay",
	    "hdrs", "id+1=x y", &info));
	ck_assert_ptr_nonnull(env_err("a@b", "c@d", "SUCCESS,SUCCESS", NULL,
	    NULL, &info));
	ck_assert_ptr_nonnull(env_err("a@b", "c@d", "NEVER,SUCCESS", NULL,
	    NULL, &info));
	ck_assert_ptr_nonnull(env_err("a@b", "c@d", "", NULL, NULL, &info));
	ck_assert_ptr_nonnull(env_err("a@b", "c@d", "SUCCESS,", NULL, NULL,
	    &info));
	ck_assert_ptr_nonnull(env_err("a@b", "c@d", NULL, "ALL", NULL, &info));
	ck_assert_ptr_nonnull(env_err("a@b", "c@d", NULL, NULL, "caf\xc3\xa9",
	    &info));
	ck_assert_ptr_nonnull(env_err("a@b", "c@d", NULL, NULL, "a\r\nb",
	    &info));
	ck_assert_ptr_nonnull(env_err("a@b", "c@d", NULL, NULL, "", &info));
	memset(envid, 'e', 100);
	envid[100] = '\0';
	ck_assert_ptr_null(env_err("a@b", "c@d", NULL, NULL, envid, &info));
	envid[99] = '+';		/* +2B: 102 as xtext */
	ck_assert_ptr_nonnull(env_err("a@b", "c@d", NULL, NULL, envid, &info));
}
END_TEST

START_TEST(test_xtext)
{
	struct buf	 b;

	buf_init(&b, 0);
	smtp_xtext(&b, "a+b=c d~!\x7f");
	ck_assert_str_eq(buf_str(&b), "a+2Bb+3Dc+20d~!+7F");
	buf_fini(&b);
}
END_TEST

/* The MAIL and RCPT lines for caps. */
static void
check_lines(unsigned flags, bool eightbit, const char *mail,
    const char *rcpt)
{
	const char		*rcpts[] = { "b@c" };
	struct smtp_envelope	 env = { "a@b", rcpts, 1, "success,Failure",
	    "hdrs", "q+1" };
	struct smtp_env_info	 info;
	struct smtp_caps	 caps = { flags, 0, 5000 };
	struct error		 err;
	struct buf		 b;

	ck_assert_int_eq(smtp_env_check(&env, &info, &err), 0);
	buf_init(&b, 0);
	smtp_env_mail(&env, &info, &caps, 1234, eightbit, &b);
	ck_assert_str_eq(buf_str(&b), mail);
	buf_reset(&b);
	smtp_env_rcpt(&env, 0, &caps, &b);
	ck_assert_str_eq(buf_str(&b), rcpt);
	buf_fini(&b);
}

START_TEST(test_mail_rcpt_lines)
{
	check_lines(SMTP_CAP_SIZE | SMTP_CAP_8BITMIME | SMTP_CAP_DSN, true,
	    "MAIL FROM:<a@b> SIZE=1234 BODY=8BITMIME RET=HDRS ENVID=q+2B1",
	    "RCPT TO:<b@c> NOTIFY=SUCCESS,FAILURE");
	check_lines(SMTP_CAP_SIZE | SMTP_CAP_8BITMIME | SMTP_CAP_DSN, false,
	    "MAIL FROM:<a@b> SIZE=1234 RET=HDRS ENVID=q+2B1",
	    "RCPT TO:<b@c> NOTIFY=SUCCESS,FAILURE");
	check_lines(0, true, "MAIL FROM:<a@b>", "RCPT TO:<b@c>");
}
END_TEST

START_TEST(test_utf8_mail_line)
{
	const char		*rcpts[] = { "j\xc3\xb6rg@example.org" };
	struct smtp_envelope	 env = { "", rcpts, 1, NULL, NULL, NULL };
	struct smtp_env_info	 info;
	struct smtp_caps	 caps = { SMTP_CAP_SMTPUTF8 | SMTP_CAP_DSN, 0,
	    0 };
	struct error		 err;
	struct buf		 b;

	ck_assert_int_eq(smtp_env_check(&env, &info, &err), 0);
	buf_init(&b, 0);
	smtp_env_mail(&env, &info, &caps, 10, false, &b);
	ck_assert_str_eq(buf_str(&b), "MAIL FROM:<> SMTPUTF8");
	buf_reset(&b);
	smtp_env_rcpt(&env, 0, &caps, &b);
	ck_assert_str_eq(buf_str(&b), "RCPT TO:<j\xc3\xb6rg@example.org>");
	buf_fini(&b);
	env.nrcpt = 0;
	ck_assert_int_eq(smtp_env_check(&env, &info, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "no recipients"));
}
END_TEST

static Suite *
data_suite(void)
{
	Suite	*s = suite_create("smtp_data");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_stuffing);
	tcase_add_test(tc, test_big_message);
	tcase_add_test(tc, test_addresses);
	tcase_add_test(tc, test_dsn_values);
	tcase_add_test(tc, test_xtext);
	tcase_add_test(tc, test_mail_rcpt_lines);
	tcase_add_test(tc, test_utf8_mail_line);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(data_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

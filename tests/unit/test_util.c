/*
 * test_util.c - bounded buffers, errors and the log.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/log.h"
#include "util/xmalloc.h"

START_TEST(test_buf_bounded)
{
	struct buf	b;

	buf_init(&b, 8);
	ck_assert_int_eq(buf_adds(&b, "1234"), 0);
	ck_assert_int_eq(buf_adds(&b, "5678"), 0);
	ck_assert_str_eq(buf_str(&b), "12345678");
	/* One byte past the maximum fails, sets the sticky flag, keeps data. */
	ck_assert_int_eq(buf_addc(&b, 'x'), -1);
	ck_assert(b.too_big);
	ck_assert_uint_eq(b.len, 8);
	ck_assert_str_eq(buf_str(&b), "12345678");
	buf_consume(&b, 8);
	/* Sticky until reset, even when there would be room. */
	ck_assert_int_eq(buf_addc(&b, 'y'), -1);
	buf_reset(&b);
	ck_assert(!b.too_big);
	ck_assert_int_eq(buf_printf(&b, "%d-%s", 42, "ab"), 0);
	ck_assert_str_eq(buf_str(&b), "42-ab");
	ck_assert_int_eq(buf_printf(&b, "%s", "toolong"), -1);
	buf_fini(&b);
}
END_TEST

START_TEST(test_buf_binary_take_consume)
{
	struct buf	 b;
	char		*s;

	buf_init(&b, 0);
	ck_assert_str_eq(buf_str(&b), "");
	ck_assert_int_eq(buf_add(&b, "a\0b", 3), 0);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_int_eq(memcmp(b.data, "a\0b", 4), 0);
	buf_consume(&b, 2);
	ck_assert_str_eq(buf_str(&b), "b");
	s = buf_take(&b);
	ck_assert_str_eq(s, "b");
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
	free(s);
	s = buf_take(&b);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(test_error_chain)
{
	struct error	e;

	error_clear(&e);
	ck_assert_int_eq(e.code, ERR_NONE);
	ck_assert_int_eq(error_set(&e, ERR_NET, ERR_SCOPE_OP, "refused %d", 7),
	    -1);
	error_prefix(&e, "connect to %s", "h:1");
	ck_assert_str_eq(e.msg, "connect to h:1: refused 7");
	error_widen(&e, ERR_SCOPE_ACCOUNT);
	ck_assert_int_eq(e.scope, ERR_SCOPE_ACCOUNT);
	error_widen(&e, ERR_SCOPE_OP);
	ck_assert_int_eq(e.scope, ERR_SCOPE_ACCOUNT);
	error_sys(&e, ERR_SCOPE_OP, 2, "open %s", "f");
	ck_assert_str_eq(e.msg, "open f: No such file or directory");
	ck_assert_int_eq(e.sys_errno, 2);
	ck_assert_str_eq(error_code_name(ERR_TIMEOUT), "timeout");
}
END_TEST

START_TEST(test_log_levels_and_escapes)
{
	char		 path[] = "/tmp/petrel-log-XXXXXX", line[8192];
	enum log_level	 level;
	char		*areas;
	FILE		*f;
	int		 fd, n = 0;
	bool		 saw_escaped = false, saw_debug = false, saw_cut = false;
	char		 longline[3000];
	const char	*p;

	ck_assert_int_eq(log_parse_spec("trace,imap", &level, &areas), 0);
	ck_assert_int_eq(level, LOG_TRACE);
	ck_assert_str_eq(areas, "imap");
	free(areas);
	ck_assert_int_eq(log_parse_spec("2", &level, &areas), 0);
	ck_assert_int_eq(level, LOG_INFO);
	ck_assert_ptr_null(areas);
	ck_assert_int_eq(log_parse_spec("loud", &level, &areas), -1);
	ck_assert_int_eq(log_parse_spec("9", &level, &areas), -1);

	fd = mkstemp(path);
	ck_assert_int_ne(fd, -1);
	close(fd);
	ck_assert_int_eq(log_open(path, LOG_TRACE, "imap"), 0);
	ck_assert(log_enabled(LOG_TRACE, "imap"));
	ck_assert(!log_enabled(LOG_TRACE, "tls"));
	ck_assert(log_enabled(LOG_ERROR, "tls"));
	log_proto("imap", '<', "* OK \x1b[31mred\r\n", 15);
	log_proto("tls", '<', "hidden", 6);
	/* A long line: its first LOG_PROTO_MAX bytes and its length. */
	memset(longline, 'x', sizeof longline);
	log_proto("imap", '>', longline, sizeof longline);
	log_debug("imap", "debug %d", 1);
	log_error("imap", "server said %s", "\x1b]0;owned\x07");
	log_close();
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof line, f) != NULL) {
		n++;
		ck_assert_ptr_null(strchr(line, '\x1b'));
		ck_assert_ptr_null(strstr(line, "hidden"));
		if (strstr(line, "< * OK \\x1b[31mred") != NULL)
			saw_escaped = true;
		if (strstr(line, "debug 1") != NULL)
			saw_debug = true;
		if ((p = strstr(line, "> x")) != NULL) {
			saw_cut = true;
			ck_assert_uint_eq(strspn(p + 2, "x"), LOG_PROTO_MAX);
			ck_assert_ptr_nonnull(strstr(line, " ... [3000 bytes]"));
		}
	}
	fclose(f);
	unlink(path);
	ck_assert_int_eq(n, 4);
	ck_assert(saw_cut);
	ck_assert(saw_escaped);
	ck_assert(saw_debug);
}
END_TEST

START_TEST(test_xmalloc_helpers)
{
	char	*s;

	s = xasprintf("%s=%d", "n", 5);
	ck_assert_str_eq(s, "n=5");
	free(s);
	s = xstrndup("abcdef", 3);
	ck_assert_str_eq(s, "abc");
	xfree_secret(s);
	xfree_secret(NULL);
}
END_TEST

static Suite *
util_suite(void)
{
	Suite	*s = suite_create("util");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_buf_bounded);
	tcase_add_test(tc, test_buf_binary_take_consume);
	tcase_add_test(tc, test_error_chain);
	tcase_add_test(tc, test_log_levels_and_escapes);
	tcase_add_test(tc, test_xmalloc_helpers);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(util_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

/*
 * test_sanitize.c - unit tests of the terminal sanitiser: every class of
 * control and escape sequence it must remove, the ones a hostile message
 * would use (OSC 52 clipboard writes, title setting and title reports),
 * sequences cut at the end of input or split between calls, bidi
 * controls, invalid UTF-8, and a property check over pseudo-random input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "util/buf.h"
#include "util/sanitize.h"

#define FFFD "\xef\xbf\xbd"

/* Sanitise (in, len) with flags and compare with want. */
static void
check_san(const char *in, size_t len, unsigned flags, const char *want,
    size_t wlen)
{
	struct buf	b = BUF_INITIALIZER(0);

	ck_assert_int_eq(sanitize_append(&b, in, len, flags), 0);
	ck_assert_msg(b.len == wlen && memcmp(buf_str(&b), want, wlen) == 0,
	    "got \"%s\" (%zu bytes), want \"%s\"", buf_str(&b), b.len, want);
	buf_fini(&b);
}

#define CHECK(in, want) \
	check_san((in), sizeof(in) - 1, 0, (want), sizeof(want) - 1)
#define CHECKF(in, flags, want) \
	check_san((in), sizeof(in) - 1, (flags), (want), sizeof(want) - 1)

START_TEST(test_plain)
{
	CHECK("hello, world", "hello, world");
	CHECK("h\xc3\xa9llo \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8e\x89",
	    "h\xc3\xa9llo \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8e\x89");
	CHECK("", "");
	/* Hebrew and Arabic letters themselves stay. */
	CHECK("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xd8\xb3", "\xd7\xa9\xd7\x9c"
	    "\xd7\x95\xd7\x9d \xd8\xb3");
}
END_TEST

START_TEST(test_csi)
{
	CHECK("\x1b[31mred\x1b[0m", "red");
	CHECK("a\x1b[1;2;3;4;5;6;7;8;9;10Hb", "ab");
	CHECK("a\x1b[?1049hb", "ab");			/* alternate screen */
	CHECK("a\x1b[2Jb", "ab");			/* clear screen */
	CHECK("a\x1b[ qb", "ab");			/* intermediate */
	/* Window title: report (CSI 21 t, answers with the title as input)
	 * and push/pop title stack. */
	CHECK("a\x1b[21tb", "ab");
	CHECK("a\x1b[22;0tb\x1b[23;0t", "ab");
	/* A control inside a CSI ends it; the rest is text. */
	CHECK("a\x1b[3\n1mb", "a 1mb");
}
END_TEST

START_TEST(test_osc_and_strings)
{
	/* OSC 52: write the clipboard.  BEL- and ST-terminated. */
	CHECK("x\x1b]52;c;cm0gLXJmIH4K\x07y", "xy");
	CHECK("x\x1b]52;c;cm0gLXJmIH4K\x1b\\y", "xy");
	/* OSC 0/2: set the window title. */
	CHECK("x\x1b]0;pwned\x07y", "xy");
	CHECK("x\x1b]2;pwned\x1b\\y", "xy");
	/* OSC 8 hyperlink: the link goes, the text stays. */
	CHECK("\x1b]8;;http://evil/\x1b\\click\x1b]8;;\x1b\\", "click");
	/* DCS, SOS, PM, APC. */
	CHECK("a\x1bP1$r0m\x1b\\b", "ab");
	CHECK("a\x1bXsos\x1b\\b", "ab");
	CHECK("a\x1b^pm\x1b\\b", "ab");
	CHECK("a\x1b_apc\x07" "b", "ab");
	/* CAN aborts a string; a new ESC ends it and starts another. */
	CHECK("a\x1b]0;t\x18" "b", "ab");
	CHECK("a\x1b]0;t\x1b[31mb", "ab");
}
END_TEST

START_TEST(test_other_escapes)
{
	CHECK("a\x1b" "cb", "ab");			/* RIS: full reset */
	CHECK("a\x1b" "7b\x1b" "8", "ab");		/* save/restore */
	CHECK("a\x1b(0b", "ab");			/* line drawing set */
	CHECK("a\x1b#8b", "ab");			/* screen alignment */
	CHECK("a\x1b%Gb", "ab");
	CHECK("a\x1b\x1b[mb", "ab");
	CHECK("a\x1b\xc3\xa9", "a\xc3\xa9");		/* lone ESC */
}
END_TEST

START_TEST(test_c1_8bit)
{
	/* C1 introducers written as UTF-8, obeyed by some terminals. */
	CHECK("a\xc2\x9b" "31mb", "ab");		/* CSI */
	CHECK("a\xc2\x9d" "0;title\x07" "b", "ab");	/* OSC */
	CHECK("a\xc2\x9d" "52;c;eA==\xc2\x9c" "b", "ab");
	CHECK("a\xc2\x90q\xc2\x9c" "b", "ab");		/* DCS */
	CHECK("a\xc2\x9f" "x\xc2\x9c" "b", "ab");	/* APC */
	CHECK("a\xc2\x85" "b\xc2\x80\xc2\x9c", "ab");	/* other C1 */
	/* Raw 8-bit C1 bytes are invalid UTF-8: U+FFFD, nothing obeyed. */
	CHECK("a\x9b" "31mb", "a" FFFD "31mb");
	CHECK("a\x9d" "0;t\x07" "b", "a" FFFD "0;tb");
}
END_TEST

START_TEST(test_truncated)
{
	CHECK("abc\x1b", "abc");
	CHECK("abc\x1b[", "abc");
	CHECK("abc\x1b[31", "abc");
	CHECK("abc\x1b]52;c;AAAA", "abc");
	CHECK("abc\x1b]0;title\x1b", "abc");
	CHECK("abc\x1bP", "abc");
	CHECK("abc\x1b(", "abc");
	CHECK("abc\xc2\x9b", "abc");
	CHECK("abc\xc2", "abc" FFFD);
}
END_TEST

START_TEST(test_split_between_calls)
{
	struct buf	b = BUF_INITIALIZER(0);

	/* A sequence cut in two by the caller: the first half is dropped
	 * whole, the second is harmless text with no ESC to revive it. */
	ck_assert_int_eq(sanitize_append(&b, "x\x1b[3", 4, 0), 0);
	ck_assert_int_eq(sanitize_append(&b, "1my", 3, 0), 0);
	ck_assert_str_eq(buf_str(&b), "x1my");
	buf_reset(&b);
	ck_assert_int_eq(sanitize_append(&b, "x\x1b", 2, 0), 0);
	ck_assert_int_eq(sanitize_append(&b, "]52;c;AA\x07y", 10, 0), 0);
	ck_assert_str_eq(buf_str(&b), "x]52;c;AAy");
	ck_assert_ptr_null(memchr(b.data, 0x1b, b.len));
	/* A UTF-8 C1 CSI split in the middle: neither half survives. */
	buf_reset(&b);
	ck_assert_int_eq(sanitize_append(&b, "x\xc2", 2, 0), 0);
	ck_assert_int_eq(sanitize_append(&b, "\x9b" "2J", 3, 0), 0);
	ck_assert_str_eq(buf_str(&b), "x" FFFD FFFD "2J");
	buf_fini(&b);
}
END_TEST

START_TEST(test_c0_del)
{
	CHECK("a\x00" "b\x07" "c\x08" "d\x0e" "e\x0f" "f\x7f" "g\x0b\x0c" "h",
	    "abcdefgh");
	CHECK("a\x1a" "b\x18" "c\x05" "d", "abcd");
}
END_TEST

START_TEST(test_newlines_tabs)
{
	CHECK("a\nb\r\nc\rd", "a b cd");
	CHECKF("a\nb\r\nc\rd", SANITIZE_KEEP_NEWLINE, "a\nb\nc" "d");
	CHECKF("a\r\n\r\nb", SANITIZE_KEEP_NEWLINE, "a\n\nb");
	CHECK("a\tb", "a b");
	CHECKF("a\tb", SANITIZE_KEEP_TAB, "a\tb");
	CHECKF("a\tb\nc", SANITIZE_KEEP_TAB, "a\tb c");
	CHECKF("a\tb\nc", SANITIZE_KEEP_TAB | SANITIZE_KEEP_NEWLINE,
	    "a\tb\nc");
	/* U+2028 LINE SEPARATOR and U+2029 count as newlines. */
	CHECK("a\xe2\x80\xa8" "b\xe2\x80\xa9" "c", "a b c");
	CHECKF("a\xe2\x80\xa8" "b", SANITIZE_KEEP_NEWLINE, "a\nb");
}
END_TEST

START_TEST(test_bidi)
{
	static const char	*bidi[] = {
		"\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad",
		"\xe2\x80\xae",				/* U+202A-U+202E */
		"\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8",
		"\xe2\x81\xa9",				/* U+2066-U+2069 */
		"\xe2\x80\x8e", "\xe2\x80\x8f",		/* LRM, RLM */
		"\xd8\x9c",				/* U+061C ALM */
		"\xef\xbb\xbf",				/* U+FEFF */
	};
	struct buf	b = BUF_INITIALIZER(0);
	size_t		i;

	for (i = 0; i < sizeof bidi / sizeof bidi[0]; i++) {
		buf_reset(&b);
		buf_printf(&b, "a%sb", bidi[i]);
		check_san(buf_str(&b), b.len, 0, "ab", 2);
	}
	/* The "evil.exe" trick: RLO makes "gnp.exe" look like "exe.png". */
	CHECK("invoice\xe2\x80\xaegnp.exe", "invoicegnp.exe");
	/* Neighbours of the ranges stay. */
	CHECK("\xe2\x80\xa9", " ");
	CHECK("\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa\xe2\x80\x8d",
	    "\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa\xe2\x80\x8d");
	buf_fini(&b);
}
END_TEST

START_TEST(test_invalid_utf8)
{
	CHECK("a\xff" "b", "a" FFFD "b");
	CHECK("\xc0\xaf", FFFD FFFD);			/* overlong */
	CHECK("\xe0\x80\xaf", FFFD FFFD FFFD);
	CHECK("\xed\xa0\x80", FFFD FFFD FFFD);		/* surrogate */
	CHECK("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD);	/* > U+10FFFF */
	CHECK("\xe2\x82" "x", FFFD "x");		/* truncated */
	CHECK("\x80", FFFD);
	CHECK("\xf0\x9f\x8e", FFFD);
	CHECK("\xef\xbf\xbd", FFFD);			/* U+FFFD itself */
}
END_TEST

/* Check that (s, len) is valid UTF-8 with nothing a terminal obeys. */
static void
check_clean(const unsigned char *s, size_t len, unsigned flags)
{
	size_t		i = 0, n;
	uint32_t	c;

	while (i < len) {
		c = s[i];
		if (c < 0x80) {
			ck_assert_msg(c >= 0x20 || (c == '\n' &&
			    (flags & SANITIZE_KEEP_NEWLINE)) || (c == '\t' &&
			    (flags & SANITIZE_KEEP_TAB)), "control %#x", c);
			ck_assert(c != 0x7f);
			i++;
			continue;
		}
		ck_assert(c >= 0xc2 && c <= 0xf4);
		n = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		ck_assert(i + n <= len);
		c &= 0xff >> (n + 1);
		for (size_t k = 1; k < n; k++) {
			ck_assert((s[i + k] & 0xc0) == 0x80);
			c = c << 6 | (s[i + k] & 0x3f);
		}
		ck_assert(n != 3 || c >= 0x800);
		ck_assert(n != 4 || (c >= 0x10000 && c <= 0x10ffff));
		ck_assert(c < 0xd800 || c > 0xdfff);
		ck_assert(c > 0x9f);
		ck_assert(!(c >= 0x202a && c <= 0x202e));
		ck_assert(!(c >= 0x2066 && c <= 0x2069));
		ck_assert(c != 0x200e && c != 0x200f && c != 0x61c &&
		    c != 0xfeff);
		i += n;
	}
}

START_TEST(test_random_property)
{
	static const char	 alphabet[] = "\x1b[]P_^X\\;0123m\x07\x9b\x9c"
	    "\x9d\xc2\xe2\x80\xae\xed\xa0\xf4\x90\xff\n\r\t a\x00\x7f";
	struct buf		 in = BUF_INITIALIZER(0);
	struct buf		 out = BUF_INITIALIZER(0);
	uint32_t		 seed = 12345;
	int			 iter, i, len;
	unsigned		 flags;

	for (iter = 0; iter < 20000; iter++) {
		buf_reset(&in);
		buf_reset(&out);
		seed = seed * 1103515245 + 12345;
		len = (int)(seed >> 16) % 40;
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245 + 12345;
			buf_addc(&in, alphabet[(seed >> 16) %
			    (sizeof alphabet - 1)]);
		}
		flags = (unsigned)iter & 3;
		ck_assert_int_eq(sanitize_append(&out, buf_str(&in), in.len,
		    flags), 0);
		check_clean((const unsigned char *)buf_str(&out), out.len,
		    flags);
	}
	buf_fini(&in);
	buf_fini(&out);
}
END_TEST

START_TEST(test_too_big)
{
	struct buf	b = BUF_INITIALIZER(4);

	ck_assert_int_eq(sanitize_append(&b, "abc", 3, 0), 0);
	ck_assert_int_eq(sanitize_append(&b, "def", 3, 0), -1);
	ck_assert(b.too_big);
	ck_assert_str_eq(buf_str(&b), "abc");
	buf_fini(&b);
}
END_TEST

START_TEST(test_line_dup)
{
	char	*s;

	s = sanitize_line_dup("Subject:\x1b]0;x\x07 hi\r\nthere\tyou");
	ck_assert_str_eq(s, "Subject: hi there you");
	free(s);
	s = sanitize_line_dup(NULL);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

/* The sanitiser suite. */
static Suite *
test_sanitize_suite(void)
{
	Suite	*s = suite_create("sanitize");
	TCase	*tc = tcase_create("sanitize");

	tcase_add_test(tc, test_plain);
	tcase_add_test(tc, test_csi);
	tcase_add_test(tc, test_osc_and_strings);
	tcase_add_test(tc, test_other_escapes);
	tcase_add_test(tc, test_c1_8bit);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_split_between_calls);
	tcase_add_test(tc, test_c0_del);
	tcase_add_test(tc, test_newlines_tabs);
	tcase_add_test(tc, test_bidi);
	tcase_add_test(tc, test_invalid_utf8);
	tcase_add_test(tc, test_random_property);
	tcase_add_test(tc, test_too_big);
	tcase_add_test(tc, test_line_dup);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the sanitiser suite. */
int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(test_sanitize_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

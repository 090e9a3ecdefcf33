/*
 * test_mime.c - unit tests of RFC 2047 decoding and charset conversion,
 * and the main program of test_mime.
 *
 * Every fixture is written here.  When the shared corpus exists
 * ($PETREL_SHARED/corpus, or ../shared/corpus next to the source tree) an
 * extra test also runs the decoders over it and says so on stderr; without
 * it that test says it was skipped.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <check.h>

#include "mime/mime.h"
#include "mime/mime_int.h"
#include "util/xmalloc.h"
#include "test_mime.h"

/* Decode an encoded header value and compare. */
static void
check_2047(const char *in, const char *want)
{
	char	*got = mime_rfc2047_decode(in, strlen(in));

	ck_assert_msg(strcmp(got, want) == 0, "decode \"%s\": got \"%s\", "
	    "want \"%s\"", in, got, want);
	free(got);
}

START_TEST(test_2047_basic)
{
	check_2047("=?ISO-8859-1?Q?Andr=E9?= Pirard", "Andr\xc3\xa9 Pirard");
	check_2047("=?UTF-8?B?w6lsw6h2ZQ==?=", "\xc3\xa9l\xc3\xa8ve");
	check_2047("=?utf-8?b?w6lsw6h2ZQ?=", "\xc3\xa9l\xc3\xa8ve");
	check_2047("Re: =?utf-8?q?caf=C3=A9_noir?= today",
	    "Re: caf\xc3\xa9 noir today");
	check_2047("plain text", "plain text");
	check_2047("", "");
}
END_TEST

/* The examples of RFC 2047 section 8. */
START_TEST(test_2047_rfc_examples)
{
	check_2047("(=?ISO-8859-1?Q?a?=)", "(a)");
	check_2047("(=?ISO-8859-1?Q?a?= b)", "(a b)");
	check_2047("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)");
	check_2047("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)");
	check_2047("(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)", "(ab)");
	check_2047("(=?ISO-8859-1?Q?a_b?=)", "(a b)");
	check_2047("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)");
}
END_TEST

START_TEST(test_2047_split_multibyte)
{
	/* U+00E9 split between two Q words, with and without a blank. */
	check_2047("=?utf-8?q?caf=C3?= =?utf-8?q?=A9?=", "caf\xc3\xa9");
	check_2047("=?utf-8?q?caf=C3?==?UTF-8?q?=A9?=", "caf\xc3\xa9");
	/* U+20AC split between two B words, charset case differing. */
	check_2047("=?utf-8?B?4oI=?=\r\n =?UTF-8?B?rA==?=", "\xe2\x82\xac");
	/* A different charset in between ends the run. */
	check_2047("=?utf-8?q?=C3?= =?iso-8859-1?q?x?= =?utf-8?q?=A9?=",
	    "\xef\xbf\xbdx\xef\xbf\xbd");
}
END_TEST

START_TEST(test_2047_whitespace)
{
	check_2047("=?utf-8?q?a?=   b", "a   b");
	check_2047("a   =?utf-8?q?b?=", "a   b");
	check_2047("=?utf-8?q?a____b?=", "a    b");
	check_2047("=?utf-8?q?a?=\t=?utf-8?q?b?=", "ab");
	check_2047("Hello\r\n World", "Hello World");
	check_2047("  padded  ", "padded");
	/* Blanks inside encoded text are accepted (NeoMutt issue 1189). */
	check_2047("=?utf-8?Q?Gr=C3=BC=C3=9Fe aus K=C3=B6ln?=",
	    "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln");
}
END_TEST

START_TEST(test_2047_language)
{
	check_2047("=?utf-8*en?Q?hello?=", "hello");
	check_2047("=?ISO-8859-1*fr-CA?q?caf=E9?=", "caf\xc3\xa9");
}
END_TEST

START_TEST(test_2047_malformed)
{
	check_2047("=?utf-8?X?abc?=", "=?utf-8?X?abc?=");
	check_2047("=?utf-8?Q?abc", "=?utf-8?Q?abc");
	check_2047("=??Q?abc?=", "=??Q?abc?=");
	check_2047("=?utf-8?Q", "=?utf-8?Q");
	check_2047("=?", "=?");
	check_2047("a=?b", "a=?b");
	check_2047("=?*en?Q?x?=", "=?*en?Q?x?=");
	/* Unknown charset: kept literally, joined neighbours too. */
	check_2047("=?x-klingon?Q?abc?= x", "=?x-klingon?Q?abc?= x");
	check_2047("=?utf-8//TRANSLIT?Q?abc?=", "=?utf-8//TRANSLIT?Q?abc?=");
	/* Bad bytes inside a known charset: U+FFFD, the rest kept. */
	check_2047("=?utf-8?q?a=FFb?=", "a\xef\xbf\xbd" "b");
	check_2047("=?utf-8?q?a=C0=AFb?=", "a\xef\xbf\xbd\xef\xbf\xbd" "b");
	/* A decoded NUL does not cut the string. */
	check_2047("=?utf-8?q?a=00b?=", "a\xef\xbf\xbd" "b");
	/* "=" without hex digits stays. */
	check_2047("=?utf-8?q?a=ZZb=?=", "a=ZZb=");
}
END_TEST

START_TEST(test_2047_aliases)
{
	check_2047("=?ks_c_5601-1987?B?x9GxuQ==?=", "\xed\x95\x9c\xea\xb5\xad");
	check_2047("=?gb2312?B?xOO6ww==?=", "\xe4\xbd\xa0\xe5\xa5\xbd");
	check_2047("=?iso-8859-8-i?Q?=F9=EC=E5=ED?=",
	    "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d");
	check_2047("=?latin1?q?=E9?=", "\xc3\xa9");
	check_2047("=?unknown-8bit?q?=93hi=94?=",
	    "\xe2\x80\x9chi\xe2\x80\x9d");
}
END_TEST

START_TEST(test_2047_raw_8bit)
{
	/* Raw header bytes: UTF-8 if valid, else windows-1252. */
	check_2047("caf\xc3\xa9", "caf\xc3\xa9");
	check_2047("caf\xe9", "caf\xc3\xa9");
	check_2047("\xe9 =?utf-8?q?=C3=A9?=", "\xc3\xa9 \xc3\xa9");
}
END_TEST

START_TEST(test_2047_bounded)
{
	struct buf	 b = BUF_INITIALIZER(0);
	char		*got;
	size_t		 i;

	for (i = 0; i < 20000; i++)
		buf_adds(&b, "=?utf-8?B?4oKs?= ");
	got = mime_rfc2047_decode(buf_str(&b), b.len);
	ck_assert_uint_le(strlen(got), MIME_HEADER_MAX);
	ck_assert_uint_gt(strlen(got), 10000);
	ck_assert(mime_utf8_valid(got, strlen(got)));
	free(got);
	/* Raw windows-1252 that doubles in UTF-8: cut at the maximum. */
	buf_reset(&b);
	for (i = 0; i < 40000; i++)
		buf_addc(&b, '\xe9');
	got = mime_rfc2047_decode(buf_str(&b), b.len);
	ck_assert_uint_le(strlen(got), MIME_HEADER_MAX);
	ck_assert_uint_gt(strlen(got), MIME_HEADER_MAX - 8192);
	ck_assert(mime_utf8_valid(got, strlen(got)));
	free(got);
	/* Many "=?" that never close stay linear and literal. */
	buf_reset(&b);
	for (i = 0; i < 10000; i++)
		buf_adds(&b, "=?a?q?");
	got = mime_rfc2047_decode(buf_str(&b), b.len);
	ck_assert_str_eq(got, buf_str(&b));
	free(got);
	buf_fini(&b);
}
END_TEST

/* Convert and compare. */
static void
check_cs(const char *cs, const char *in, size_t len, const char *want,
    size_t wlen)
{
	struct buf	b = BUF_INITIALIZER(0);

	ck_assert_int_eq(mime_charset_to_utf8(cs, in, len, &b), 0);
	ck_assert_msg(b.len == wlen && memcmp(buf_str(&b), want, wlen) == 0, "%s: got \"%s\", want \"%s\"", cs ? cs : "(null)",
	    buf_str(&b), want);
	buf_fini(&b);
}

#define CHECK_CS(cs, in, want) \
	check_cs((cs), (in), sizeof(in) - 1, (want), sizeof(want) - 1)
#define FFFD "\xef\xbf\xbd"

START_TEST(test_charset_utf8)
{
	CHECK_CS("UTF-8", "h\xc3\xa9llo \xf0\x9f\x8e\x89", "h\xc3\xa9llo "
	    "\xf0\x9f\x8e\x89");
	CHECK_CS("utf8", "\xc0\xaf", FFFD FFFD);		/* overlong '/' */
	CHECK_CS("utf-8", "\xe0\x80\xaf", FFFD FFFD FFFD);	/* overlong */
	CHECK_CS("utf-8", "\xed\xa0\x80x", FFFD FFFD FFFD "x"); /* surrogate */
	CHECK_CS("utf-8", "\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD);
	CHECK_CS("utf-8", "a\xe2\x82", "a" FFFD);	/* truncated: one */
	CHECK_CS("utf-8", "\x80\xbf", FFFD FFFD);	/* lone continuation */
	CHECK_CS("utf-8", "\xfe\xff", FFFD FFFD);
	CHECK_CS("UTF-8", "a\0b", "a\0b");
}
END_TEST

START_TEST(test_charset_ascii_and_western)
{
	CHECK_CS("us-ascii", "plain", "plain");
	CHECK_CS("US-ASCII", "caf\xc3\xa9", "caf\xc3\xa9");	/* UTF-8 */
	CHECK_CS("us-ascii", "caf\xe9", "caf\xc3\xa9");	/* mislabel */
	CHECK_CS(NULL, "caf\xe9", "caf\xc3\xa9");
	CHECK_CS("latin1", "\x93hi\x94", "\xe2\x80\x9chi\xe2\x80\x9d");
	CHECK_CS("ISO-8859-1", "\xa3\x31", "\xc2\xa3" "1");
	/* Bytes windows-1252 leaves undefined: EILSEQ, U+FFFD, go on. */
	CHECK_CS("windows-1252", "a\x81" "b\x8d" "c", "a" FFFD "b" FFFD "c");
	CHECK_CS("x-unknown", "\xe9t\xe9", "\xc3\xa9t\xc3\xa9");
}
END_TEST

START_TEST(test_charset_iconv)
{
	CHECK_CS("ISO-8859-2", "\xb1", "\xc4\x85");
	CHECK_CS("koi8-r", "\xf0\xd2\xc9\xd7\xc5\xd4",
	    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82");
	CHECK_CS("Shift_JIS", "\x82\xa0", "\xe3\x81\x82");
	CHECK_CS("shift_jis", "a\xff" "b", "a" FFFD "b");
	CHECK_CS("ISO-2022-JP", "\x1b$B$\"\x1b(B!", "\xe3\x81\x82!");
	CHECK_CS("UTF-16LE", "a\0b", "a" FFFD);		/* truncated */
	/* A lone surrogate: U+FFFD, and UTF-16 stays aligned. */
	CHECK_CS("UTF-16BE", "\xd8\x00\x00x", FFFD "x");
	CHECK_CS("UTF-16LE", "\x00\xdc" "a\x00", FFFD "a");
	CHECK_CS("GB2312", "\xc4\xe3", "\xe4\xbd\xa0");
	CHECK_CS("ks_c_5601-1987", "\xc7\xd1", "\xed\x95\x9c");
	CHECK_CS("iso-8859-8-i", "\xf9", "\xd7\xa9");
	CHECK_CS("\"utf-8\"", "x", "x");
	/* glibc turns UCS-4 past U+10FFFF into 6-byte "UTF-8": refused. */
	CHECK_CS("UCS-4", "\x7f\xff\xff\xff\x00\x00\x00x",
	    FFFD FFFD FFFD FFFD FFFD FFFD "x");
}
END_TEST

START_TEST(test_charset_unknown)
{
	CHECK_CS("x-klingon", "a\xe9" "b", "a" FFFD "b");
	CHECK_CS("utf-8//TRANSLIT", "a\xc3\xa9", "a" FFFD FFFD);
	CHECK_CS("", "ok\x80", "ok" FFFD);
}
END_TEST

START_TEST(test_charset_too_big)
{
	struct buf	b = BUF_INITIALIZER(4);

	ck_assert_int_eq(mime_charset_to_utf8("koi8-r", "\xf0\xd2\xc9",
	    3, &b), -1);
	ck_assert(b.too_big);
	buf_fini(&b);
}
END_TEST

/* The shared corpus directory, or NULL. */
static char *
corpus_dir(void)
{
	const char	*e;
	char		*p;
	struct stat	 sb;

	if ((e = getenv("PETREL_SHARED")) != NULL)
		p = xasprintf("%s/corpus", e);
	else if ((e = getenv("PETREL_SRCDIR")) != NULL)
		p = xasprintf("%s/../shared/corpus", e);
	else
		p = xasprintf("../shared/corpus");
	if (stat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
		return p;
	free(p);
	return NULL;
}

/* Read a whole file (at most 64 MB), NUL-terminated; NULL if it cannot
 * be read. */
static char *
corpus_read(const char *path, size_t *len)
{
	FILE		*f;
	char		*s;
	struct stat	 sb;
	size_t		 size;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		fclose(f);
		return NULL;
	}
	size = (size_t)sb.st_size < (64u << 20) ? (size_t)sb.st_size : 64u << 20;
	s = xmalloc(size + 1);
	*len = fread(s, 1, size, f);
	s[*len] = '\0';
	fclose(f);
	return s;
}

/* Run mime_text_extract over every file under dir; returns the count. */
static size_t
corpus_walk(const char *dir, int depth)
{
	DIR			*d;
	struct dirent		*de;
	struct stat		 sb;
	struct mime_text	 mt;
	char			*p, *msg;
	size_t			 n = 0, len;

	if (depth > 4 || (d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		if (stat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
			n += corpus_walk(p, depth + 1);
		else if ((msg = corpus_read(p, &len)) != NULL) {
			mime_text_extract(msg, len, &mt);
			ck_assert_ptr_nonnull(mt.body);
			ck_assert_msg(mime_utf8_valid(mt.body, mt.body_len),
			    "%s: body not UTF-8", p);
			ck_assert_msg(mt.subject == NULL || mime_utf8_valid(
			    mt.subject, strlen(mt.subject)), "%s: subject", p);
			mime_text_fini(&mt);
			free(msg);
			n++;
		}
		free(p);
	}
	closedir(d);
	return n;
}

/* Read the JSON string starting after the quote at *p (the corpus file
 * only uses \n, \t, \" and \\ escapes); advances *p past it. */
static char *
corpus_json_string(const char **p)
{
	struct buf	 b = BUF_INITIALIZER(0);
	const char	*s = *p;

	for (; *s != '\0' && *s != '"'; s++) {
		if (*s == '\\' && s[1] != '\0') {
			s++;
			buf_addc(&b, *s == 'n' ? '\n' : *s == 't' ? '\t' : *s);
		} else
			buf_addc(&b, *s);
	}
	*p = *s == '"' ? s + 1 : s;
	return buf_take(&b);
}

/* Check the RFC 2047 vectors of the corpus; returns how many. */
static size_t
corpus_2047(const char *dir)
{
	char		*path, *json, *enc, *dec, *got;
	const char	*p, *q;
	size_t		 len, n = 0;

	path = xasprintf("%s/rfc2047/neomutt-rfc2047-vectors.json", dir);
	json = corpus_read(path, &len);
	free(path);
	if (json == NULL)
		return 0;
	p = json;
	while ((q = strstr(p, "\"encoded\": \"")) != NULL) {
		p = q + 12;
		enc = corpus_json_string(&p);
		if ((q = strstr(p, "\"decoded\": \"")) == NULL) {
			free(enc);
			break;
		}
		p = q + 12;
		dec = corpus_json_string(&p);
		got = mime_rfc2047_decode(enc, strlen(enc));
		ck_assert_msg(strcmp(got, dec) == 0, "corpus 2047 \"%s\": got "
		    "\"%s\", want \"%s\"", enc, got, dec);
		free(got);
		free(enc);
		free(dec);
		n++;
	}
	free(json);
	return n;
}

/* Check charset samples against their UTF-8 references; how many. */
static size_t
corpus_charsets(const char *dir)
{
	static const char	*pairs[][3] = {
		{ "windows-1251", "cyrillic.cp1251.txt", "cyrillic.utf-8.txt" },
		{ "iso-8859-5", "cyrillic.iso-8859-5.txt", "cyrillic.utf-8.txt" },
		{ "koi8-r", "cyrillic.koi8-r.txt", "cyrillic.utf-8.txt" },
		{ "iso-2022-jp", "japanese.iso-2022-jp.txt",
		    "japanese.utf-8.txt" },
		{ "shift_jis", "japanese.shift-jis.txt", "japanese.utf-8.txt" },
	};
	struct buf	 b = BUF_INITIALIZER(0);
	char		*p, *in, *ref;
	size_t		 i, ilen, rlen, n = 0;

	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		p = xasprintf("%s/charset/gmime-filters/%s", dir, pairs[i][1]);
		in = corpus_read(p, &ilen);
		free(p);
		p = xasprintf("%s/charset/gmime-filters/%s", dir, pairs[i][2]);
		ref = corpus_read(p, &rlen);
		free(p);
		if (in != NULL && ref != NULL) {
			buf_reset(&b);
			mime_charset_to_utf8(pairs[i][0], in, ilen, &b);
			ck_assert_msg(b.len == rlen && memcmp(buf_str(&b), ref,
			    rlen) == 0, "corpus charset %s differs",
			    pairs[i][1]);
			n++;
		}
		free(in);
		free(ref);
	}
	buf_fini(&b);
	return n;
}

START_TEST(test_shared_corpus)
{
	char	*dir, *mime;
	size_t	 msgs, vecs, cs;

	if ((dir = corpus_dir()) == NULL) {
		fprintf(stderr, "test_mime: shared corpus not found "
		    "(set PETREL_SHARED): corpus test SKIPPED\n");
		return;
	}
	mime = xasprintf("%s/mime", dir);
	msgs = corpus_walk(mime, 0);
	vecs = corpus_2047(dir);
	cs = corpus_charsets(dir);
	fprintf(stderr, "test_mime: shared corpus test RAN over %s: %zu "
	    "messages, %zu RFC 2047 vectors, %zu charset samples\n", dir,
	    msgs, vecs, cs);
	ck_assert_uint_gt(msgs, 0);
	free(mime);
	free(dir);
}
END_TEST

/* The RFC 2047 and charset suite. */
static Suite *
test_mime_suite(void)
{
	Suite	*s = suite_create("mime");
	TCase	*tc;

	tc = tcase_create("rfc2047");
	tcase_add_test(tc, test_2047_basic);
	tcase_add_test(tc, test_2047_rfc_examples);
	tcase_add_test(tc, test_2047_split_multibyte);
	tcase_add_test(tc, test_2047_whitespace);
	tcase_add_test(tc, test_2047_language);
	tcase_add_test(tc, test_2047_malformed);
	tcase_add_test(tc, test_2047_aliases);
	tcase_add_test(tc, test_2047_raw_8bit);
	tcase_add_test(tc, test_2047_bounded);
	suite_add_tcase(s, tc);

	tc = tcase_create("charset");
	tcase_add_test(tc, test_charset_utf8);
	tcase_add_test(tc, test_charset_ascii_and_western);
	tcase_add_test(tc, test_charset_iconv);
	tcase_add_test(tc, test_charset_unknown);
	tcase_add_test(tc, test_charset_too_big);
	suite_add_tcase(s, tc);

	tc = tcase_create("shared-corpus");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_shared_corpus);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the three MIME suites. */
int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(test_mime_suite());
	srunner_add_suite(sr, test_mime_codec_suite());
	srunner_add_suite(sr, test_mime_text_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

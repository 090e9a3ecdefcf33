/*
 * test_mime_part.c - unit tests of the MIME part tree (src/mime/part.c,
 * part_fields.c): delimiters (RFC 2046 5.1.1), nesting, encapsulated
 * messages, defaults, fields, decoding, the caps, and the part the pager
 * picks.  Every fixture is written here.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "mime/mime.h"
#include "mime/mime_int.h"
#include "mime/part.h"

/* Parse a string literal. */
#define PARSE(t, msg) mime_tree_parse((msg), sizeof(msg) - 1, (t))

/* Check a part's type, and its body bytes unless body is NULL. */
static void
check_part(const struct mime_tree *t, size_t i, const char *type,
    const char *body)
{
	const struct mime_part	*p;
	char			 got[100];

	ck_assert_msg(i < t->n, "part %zu of %zu", i, t->n);
	p = &t->v[i];
	snprintf(got, sizeof got, "%s/%s", p->type, p->subtype);
	ck_assert_str_eq(got, type);
	if (body == NULL)
		return;
	ck_assert_msg(p->blen == strlen(body) &&
	    memcmp(p->body, body, p->blen) == 0, "part %zu: body \"%.*s\", "
	    "want \"%s\"", i, (int)p->blen, p->body, body);
}

/* Check the path of part i. */
static void
check_path(const struct mime_tree *t, size_t i, const char *want)
{
	char	path[MIME_PART_PATH_MAX];

	mime_part_path(t, i, path, sizeof path);
	ck_assert_str_eq(path, want);
}

/* The decoded body of part i, as a new string. */
static char *
decoded(const struct mime_tree *t, size_t i)
{
	struct buf	b = BUF_INITIALIZER(0);

	ck_assert_int_eq(mime_part_decode(&t->v[i], &b), 0);
	ck_assert_uint_le(b.len, t->v[i].blen);
	if (b.data == NULL)
		buf_adds(&b, "");
	return buf_take(&b);
}

START_TEST(test_part_simple)
{
	static const char	msg[] =
	    "Subject: x\r\n"
	    "Content-Type: multipart/mixed; boundary=\"=_b 1\"\r\n"
	    "\r\n"
	    "preamble\r\n"
	    "--=_b 1\r\n"
	    "Content-Type: text/plain\r\n"
	    "\r\n"
	    "one\r\n"
	    "\r\n"
	    "--=_b 1 \t\r\n"
	    "\r\n"
	    "two\r\n"
	    "--=_b 1--  \r\n"
	    "epilogue\r\n";
	struct mime_tree	t;

	PARSE(&t, msg);
	ck_assert_uint_eq(t.n, 3);
	check_part(&t, 0, "multipart/mixed", NULL);
	ck_assert_int_eq(t.v[0].kind, MIME_PART_MULTIPART);
	ck_assert_uint_eq(t.v[0].nchild, 2);
	ck_assert_uint_eq(t.v[0].defects, 0);
	ck_assert_uint_eq(t.v[0].parent, MIME_PART_NONE);
	/* The CRLF before a delimiter belongs to the delimiter. */
	check_part(&t, 1, "text/plain", "one\r\n");
	check_part(&t, 2, "text/plain", "two");
	ck_assert_uint_eq(t.v[1].next, 2);
	ck_assert_uint_eq(t.v[2].next, MIME_PART_NONE);
	ck_assert_uint_eq(t.v[2].parent, 0);
	ck_assert_int_eq(t.v[2].depth, 1);
	ck_assert_uint_eq(t.v[2].hlen, 0);
	check_path(&t, 0, "1");
	check_path(&t, 2, "1.2");
	mime_tree_fini(&t);
	ck_assert_ptr_null(t.v);
}
END_TEST

START_TEST(test_part_not_delimiters)
{
	struct mime_tree	t;

	/* Longer boundaries, text after it, a single dash: not delimiters. */
	PARSE(&t, "Content-Type: multipart/mixed; boundary=abc\n\n"
	    "--abc\n\n--abcdef\n--abc x\n-abc\n --abc\n--abc--x\n--abc--\n");
	ck_assert_uint_eq(t.n, 2);
	check_part(&t, 1, "text/plain",
	    "--abcdef\n--abc x\n-abc\n --abc\n--abc--x");
	mime_tree_fini(&t);
}
END_TEST

START_TEST(test_part_missing_close)
{
	struct mime_tree	t;

	PARSE(&t, "Content-Type: multipart/mixed; boundary=x\n\n--x\n\none\n"
	    "--x\n\ncut off\n");
	ck_assert_uint_eq(t.n, 3);
	ck_assert_uint_eq(t.v[0].defects, MIME_DEFECT_NO_CLOSE);
	check_part(&t, 2, "text/plain", "cut off");
	mime_tree_fini(&t);

	/* An inner multipart that never closes ends at the outer delimiter,
	 * and the line break before it is dropped once, not per level. */
	PARSE(&t, "Content-Type: multipart/mixed; boundary=o\n\n--o\n"
	    "Content-Type: multipart/mixed; boundary=i\n\n--i\n"
	    "Content-Type: multipart/mixed; boundary=j\n\n--j\n\n"
	    "deep\n\n--o\n\nlast\n--o--\n");
	ck_assert_uint_eq(t.n, 5);
	check_part(&t, 3, "text/plain", "deep\n");
	ck_assert_int_eq(t.v[3].depth, 3);
	ck_assert(t.v[1].defects & MIME_DEFECT_NO_CLOSE);
	ck_assert(t.v[2].defects & MIME_DEFECT_NO_CLOSE);
	ck_assert_uint_eq(t.v[0].defects, 0);
	check_part(&t, 4, "text/plain", "last");
	check_path(&t, 3, "1.1.1.1");
	check_path(&t, 4, "1.2");
	mime_tree_fini(&t);
}
END_TEST

START_TEST(test_part_prefix_boundaries)
{
	struct mime_tree	t;

	PARSE(&t, "Content-Type: multipart/mixed; boundary=abc\n\n"
	    "--abc\nContent-Type: multipart/alternative; boundary=abc-1\n\n"
	    "--abc-1\n\nin one\n--abc-1\n\nin two\n--abc-1--\n"
	    "--abc\n\nout two\n--abc--\n");
	ck_assert_uint_eq(t.n, 5);
	check_part(&t, 1, "multipart/alternative", NULL);
	ck_assert_uint_eq(t.v[1].nchild, 2);
	check_part(&t, 2, "text/plain", "in one");
	check_part(&t, 3, "text/plain", "in two");
	check_part(&t, 4, "text/plain", "out two");
	mime_tree_fini(&t);

	/* The same boundary inside: only the outer split counts. */
	PARSE(&t, "Content-Type: multipart/mixed; boundary=s\n\n--s\n"
	    "Content-Type: multipart/alternative; boundary=s\n\n\n--s\n"
	    "Content-Type: text/plain\n\nreal text\n--s--\n");
	ck_assert_uint_eq(t.n, 3);
	ck_assert_int_eq(t.v[1].kind, MIME_PART_LEAF);
	ck_assert(t.v[1].defects & MIME_DEFECT_NO_DELIMITER);
	check_part(&t, 2, "text/plain", "real text");
	mime_tree_fini(&t);
}
END_TEST

START_TEST(test_part_empty_parts)
{
	struct mime_tree	t;

	/* Consecutive delimiters enclose nothing; a blank line is an empty
	 * part; a close right after a delimiter ends an empty part. */
	PARSE(&t, "Content-Type: multipart/mixed; boundary=e\n\n"
	    "--e\n--e\n\nA\n--e\n\n--e\n--e--\n");
	ck_assert_uint_eq(t.n, 4);
	check_part(&t, 1, "text/plain", "A");
	check_part(&t, 2, "text/plain", "");
	check_part(&t, 3, "text/plain", "");
	mime_tree_fini(&t);

	/* A body that ends right after a delimiter: one empty part. */
	PARSE(&t, "Content-Type: multipart/mixed; boundary=x\n\n--x");
	ck_assert_uint_eq(t.n, 2);
	check_part(&t, 1, "text/plain", "");
	mime_tree_fini(&t);
}
END_TEST

START_TEST(test_part_unsplittable)
{
	struct mime_tree	t;

	PARSE(&t, "Content-Type: multipart/alternative\n\nBlah\n");
	ck_assert_uint_eq(t.n, 1);
	ck_assert_int_eq(t.v[0].kind, MIME_PART_LEAF);
	ck_assert_uint_eq(t.v[0].defects, MIME_DEFECT_NO_BOUNDARY);
	mime_tree_fini(&t);

	PARSE(&t, "Content-Type: multipart/mixed; boundary=\"\"\n\n--\n--\n");
	ck_assert_uint_eq(t.n, 1);
	ck_assert_uint_eq(t.v[0].defects, MIME_DEFECT_NO_BOUNDARY);
	mime_tree_fini(&t);
	PARSE(&t, "Content-Type: multipart/mixed; boundary=\"  \"\n\n--\n--\n");
	ck_assert_uint_eq(t.n, 1);
	ck_assert_uint_eq(t.v[0].defects, MIME_DEFECT_NO_BOUNDARY);
	mime_tree_fini(&t);

	PARSE(&t, "Content-Type: multipart/mixed; boundary=\"B_\"\n\n"
	    "--B\n\nx\n--B--\n");
	ck_assert_uint_eq(t.n, 1);
	ck_assert_uint_eq(t.v[0].defects, MIME_DEFECT_NO_DELIMITER);
	check_part(&t, 0, "multipart/mixed", "--B\n\nx\n--B--\n");
	mime_tree_fini(&t);

	/* A close delimiter before any delimiter: no parts either. */
	PARSE(&t, "Content-Type: multipart/mixed; boundary=b\n\nx\n--b--\n"
	    "--b\n\ny\n");
	ck_assert_uint_eq(t.n, 1);
	ck_assert_uint_eq(t.v[0].defects, MIME_DEFECT_NO_DELIMITER);
	mime_tree_fini(&t);

	/* Padding after the boundary parameter is not part of it. */
	PARSE(&t, "Content-Type: multipart/mixed; boundary=\"pad \"\n\n"
	    "--pad\n\nin\n--pad--\n");
	ck_assert_uint_eq(t.n, 2);
	check_part(&t, 1, "text/plain", "in");
	mime_tree_fini(&t);
}
END_TEST

START_TEST(test_part_defaults)
{
	struct mime_tree	t;

	PARSE(&t, "Subject: no type\n\nbody\n");
	ck_assert_uint_eq(t.n, 1);
	check_part(&t, 0, "text/plain", "body\n");
	ck_assert_str_eq(t.v[0].charset, "");
	ck_assert_int_eq(t.v[0].cte, MIME_CTE_NONE);
	mime_tree_fini(&t);

	PARSE(&t, "Content-Type: text\n\nx");
	check_part(&t, 0, "text/plain", "x");
	ck_assert(t.v[0].defects & MIME_DEFECT_BAD_TYPE);
	mime_tree_fini(&t);

	PARSE(&t, "Content-Type: IMAGE/PNG (a comment) ; name=a.png\n\nx");
	check_part(&t, 0, "image/png", "x");
	ck_assert_str_eq(t.v[0].filename, "a.png");
	mime_tree_fini(&t);

	/* multipart/digest: parts without a type are message/rfc822. */
	PARSE(&t, "Content-Type: multipart/digest; boundary=d\n\n--d\n\n"
	    "Subject: one\n\nfirst\n--d\nContent-Type: text/plain\n\nplain\n"
	    "--d--\n");
	ck_assert_uint_eq(t.n, 4);
	check_part(&t, 1, "message/rfc822", NULL);
	ck_assert_int_eq(t.v[1].kind, MIME_PART_MESSAGE);
	check_part(&t, 2, "text/plain", "first");
	check_path(&t, 2, "1.1.1");
	check_part(&t, 3, "text/plain", "plain");
	mime_tree_fini(&t);
}
END_TEST

START_TEST(test_part_message)
{
	struct mime_tree	 t;
	char			*s;

	PARSE(&t, "Content-Type: multipart/mixed; boundary=m\n\n--m\n"
	    "Content-Type: message/rfc822\n\nSubject: inner\n"
	    "Content-Type: multipart/alternative; boundary=i\n\n--i\n\n"
	    "inner text\n--i--\n--m--\n");
	ck_assert_uint_eq(t.n, 4);
	check_part(&t, 1, "message/rfc822", NULL);
	ck_assert_uint_eq(t.v[1].nchild, 1);
	check_part(&t, 2, "multipart/alternative", NULL);
	ck_assert_int_eq(t.v[2].depth, 2);
	check_part(&t, 3, "text/plain", "inner text");
	check_path(&t, 3, "1.1.1.1");
	ck_assert(!t.v[3].in_owned);
	mime_tree_fini(&t);

	/* Sent base64 (RFC 2046 5.2.1 forbids it): decoded and parsed. */
	PARSE(&t, "Content-Type: message/rfc822\n"
	    "Content-Transfer-Encoding: base64\n\n"
	    "U3ViamVjdDogaW5uZXIKQ29udGVudC1UeXBlOiB0ZXh0L2h0bWwKCjxiPmhp"
	    "PC9iPgo=\n");
	ck_assert_uint_eq(t.n, 2);
	ck_assert_uint_eq(t.v[0].defects, MIME_DEFECT_ENCODED);
	ck_assert(!t.v[0].in_owned);
	check_part(&t, 1, "text/html", "<b>hi</b>\n");
	ck_assert(t.v[1].in_owned);
	ck_assert_uint_eq(t.nowned, 1);
	s = decoded(&t, 0);
	ck_assert_str_eq(s, "Subject: inner\nContent-Type: text/html\n\n"
	    "<b>hi</b>\n");
	free(s);
	mime_tree_fini(&t);

	/* message/global and message/news too, message/partial not. */
	PARSE(&t, "Content-Type: message/global\n\nSubject: g\n\nx");
	ck_assert_uint_eq(t.n, 2);
	mime_tree_fini(&t);
	PARSE(&t, "Content-Type: message/partial; id=x; number=1\n\n"
	    "Subject: p\n\nx");
	ck_assert_uint_eq(t.n, 1);
	ck_assert_int_eq(t.v[0].kind, MIME_PART_LEAF);
	mime_tree_fini(&t);
}
END_TEST

START_TEST(test_part_fields)
{
	static const char	msg[] =
	    "Content-Type: multipart/mixed; boundary=b\n\n"
	    "--b\nContent-Type: text/plain; charset=\"ISO-8859-1\"\n"
	    "Content-Transfer-Encoding: Quoted-Printable (qp)\n"
	    "Content-Disposition: INLINE\n\ncaf=E9\n"
	    "--b\nContent-Type: application/pdf; name=\"=?utf-8?q?"
	    "R=C3=A9sum=C3=A9.pdf?=\"\nContent-Transfer-Encoding: BASE64\n"
	    "Content-Disposition: attachment\n\nJVBERg==\n"
	    "--b\nContent-Type: application/octet-stream; name=wrong.bin\n"
	    "Content-Disposition: attachment;\n"
	    " filename*0*=utf-8''%E6%97%A5%E6%9C%AC;\n"
	    " filename*1=\".txt\"\nContent-Transfer-Encoding: x-gzip64\n\nzz\n"
	    "--b\nContent-Type: text/plain; charset*=us-ascii'en'UTF-8\n"
	    "Content-Disposition: attachment; filename=\"  ../../.bashrc \"\n"
	    "Content-Transfer-Encoding: 8bit\n\nx\n"
	    "--b--\n";
	struct mime_tree	 t;
	char			*s;

	PARSE(&t, msg);
	ck_assert_uint_eq(t.n, 5);
	ck_assert_str_eq(t.v[1].charset, "iso-8859-1");
	ck_assert_int_eq(t.v[1].cte, MIME_CTE_QP);
	ck_assert_str_eq(t.v[1].cte_name, "quoted-printable");
	ck_assert_str_eq(t.v[1].disposition, "inline");
	ck_assert_ptr_null(t.v[1].filename);
	s = decoded(&t, 1);
	ck_assert_str_eq(s, "caf\xe9");
	free(s);

	ck_assert_str_eq(t.v[2].filename, "R\xc3\xa9sum\xc3\xa9.pdf");
	ck_assert_str_eq(t.v[2].disposition, "attachment");
	ck_assert_int_eq(t.v[2].cte, MIME_CTE_BASE64);
	s = decoded(&t, 2);
	ck_assert_str_eq(s, "%PDF");
	free(s);

	/* filename= beats name=; RFC 2231 sections reassembled. */
	ck_assert_str_eq(t.v[3].filename,
	    "\xe6\x97\xa5\xe6\x9c\xac.txt");
	ck_assert_int_eq(t.v[3].cte, MIME_CTE_OTHER);
	ck_assert_str_eq(t.v[3].cte_name, "x-gzip64");
	s = decoded(&t, 3);
	ck_assert_str_eq(s, "zz");
	free(s);

	ck_assert_str_eq(t.v[4].charset, "utf-8");
	ck_assert_int_eq(t.v[4].cte, MIME_CTE_8BIT);
	/* Trimmed, but not made safe: that is the saver's job. */
	ck_assert_str_eq(t.v[4].filename, "../../.bashrc");
	mime_tree_fini(&t);
}
END_TEST

START_TEST(test_part_filename_cap)
{
	struct buf		b = BUF_INITIALIZER(0);
	struct mime_tree	t;
	int			i;

	buf_adds(&b, "Content-Disposition: attachment; filename=\"");
	for (i = 0; i < 3000; i++)
		buf_adds(&b, "\xc3\xa9");		/* 2 bytes each */
	buf_adds(&b, "\"\n\nx");
	mime_tree_parse(buf_str(&b), b.len, &t);
	ck_assert_ptr_nonnull(t.v[0].filename);
	ck_assert_uint_le(strlen(t.v[0].filename), MIME_PART_FILENAME_MAX);
	ck_assert_uint_ge(strlen(t.v[0].filename), MIME_PART_FILENAME_MAX - 1);
	ck_assert(mime_utf8_valid(t.v[0].filename, strlen(t.v[0].filename)));
	mime_tree_fini(&t);
	buf_fini(&b);
}
END_TEST

START_TEST(test_part_depth_cap)
{
	struct buf		b = BUF_INITIALIZER(0);
	struct mime_tree	t;
	char			path[MIME_PART_PATH_MAX];
	int			i;

	for (i = 0; i < 200; i++)
		buf_printf(&b, "Content-Type: multipart/mixed; boundary=b%d\n"
		    "\n--b%d\n", i, i);
	buf_adds(&b, "Content-Type: text/plain\n\ndeep\n");
	mime_tree_parse(buf_str(&b), b.len, &t);
	ck_assert_uint_eq(t.n, MIME_DEPTH_MAX + 1);
	ck_assert_int_eq(t.v[t.n - 1].depth, MIME_DEPTH_MAX);
	ck_assert_int_eq(t.v[t.n - 1].kind, MIME_PART_LEAF);
	ck_assert_uint_eq(t.v[t.n - 1].defects, MIME_DEFECT_DEPTH);
	mime_part_path(&t, t.n - 1, path, sizeof path);
	ck_assert_uint_eq(strlen(path), 1 + 2 * MIME_DEPTH_MAX);
	/* A short buffer gets a cut, terminated path. */
	mime_part_path(&t, t.n - 1, path, 6);
	ck_assert_str_eq(path, "1.1.1");
	mime_tree_fini(&t);

	buf_reset(&b);
	for (i = 0; i < 200; i++)
		buf_adds(&b, "Content-Type: message/rfc822\n\n");
	buf_adds(&b, "\nend\n");
	mime_tree_parse(buf_str(&b), b.len, &t);
	ck_assert_uint_eq(t.n, MIME_DEPTH_MAX + 1);
	ck_assert_uint_eq(t.v[t.n - 1].defects, MIME_DEFECT_DEPTH);
	mime_tree_fini(&t);
	buf_fini(&b);
}
END_TEST

START_TEST(test_part_count_cap)
{
	struct buf		b = BUF_INITIALIZER(0);
	struct mime_tree	t;
	int			i;

	buf_adds(&b, "Content-Type: multipart/mixed; boundary=b\n\n");
	for (i = 0; i < 5000; i++)
		buf_adds(&b, "--b\nContent-Type: image/gif\n\nGIF\n");
	buf_adds(&b, "--b--\n");
	mime_tree_parse(buf_str(&b), b.len, &t);
	ck_assert_uint_eq(t.n, MIME_PARTS_MAX);
	ck_assert_uint_eq(t.v[0].nchild, MIME_PARTS_MAX - 1);
	ck_assert(t.v[0].defects & MIME_DEFECT_PARTS);
	check_part(&t, t.n - 1, "image/gif", "GIF");
	mime_tree_fini(&t);
	buf_fini(&b);
}
END_TEST

START_TEST(test_part_text_choice)
{
	struct mime_tree	t;
	bool			html;

	PARSE(&t, "Content-Type: multipart/alternative; boundary=a\n\n--a\n"
	    "Content-Type: text/html\n\n<p>x</p>\n--a\n"
	    "Content-Type: text/plain\n\nx\n--a--\n");
	ck_assert_uint_eq(mime_tree_text_part(&t, &html), 2);
	ck_assert(!html);
	mime_tree_fini(&t);

	PARSE(&t, "Content-Type: multipart/mixed; boundary=a\n\n--a\n"
	    "Content-Type: text/plain\nContent-Disposition: attachment\n\n"
	    "att\n--a\nContent-Type: text/html\n\n<p>x</p>\n--a--\n");
	ck_assert_uint_eq(mime_tree_text_part(&t, &html), 2);
	ck_assert(html);
	mime_tree_fini(&t);

	PARSE(&t, "Content-Type: image/png\n\nPNG");
	ck_assert_uint_eq(mime_tree_text_part(&t, &html), MIME_PART_NONE);
	mime_tree_fini(&t);
}
END_TEST

START_TEST(test_part_text_extract)
{
	static const char	msg[] =
	    "Content-Type: multipart/mixed; boundary=m\n\n--m\n"
	    "Content-Type: image/png\n\nPNG\n--m\n"
	    "Content-Type: message/rfc822\n"
	    "Content-Transfer-Encoding: base64\n\n"
	    "Q29udGVudC1UeXBlOiB0ZXh0L3BsYWluOyBjaGFyc2V0PWlzby04ODU5LTEK"
	    "CmlubmVy6SB0ZXh0Cg==\n--m--\n";
	struct mime_text	mt;

	/* The pager finds the text inside a base64 message/rfc822 (the
	 * tree decodes it), converts the charset, and says nothing when
	 * there is no text at all. */
	mime_text_extract(msg, sizeof msg - 1, &mt);
	ck_assert_str_eq(mt.body, "inner\xc3\xa9 text\n");
	mime_text_fini(&mt);
}
END_TEST

START_TEST(test_part_garbage)
{
	static const char	*msgs[] = {
		"",
		"\n",
		"\r\n\r\n",
		":\n",
		" folded\n",
		"Content-Type: multipart/mixed; boundary=x\n\n--x",
		"Content-Type: multipart/mixed; boundary=x\n\n--x--",
		"Content-Type: multipart/mixed; boundary=x\n\n--x\r",
		"Content-Type: multipart/mixed; boundary=x\n\n--x\n--x\n--x",
		"Content-Type: message/rfc822\nContent-Transfer-Encoding: "
		    "base64\n\n====",
		"Content-Type: message/rfc822\nContent-Transfer-Encoding: "
		    "quoted-printable\n\n=\n=",
		"Content-Type: ;;;\nContent-Disposition: ;filename\n\n",
		"Content-Disposition: attachment; filename*0*=''\n\nx",
		"Content-Type: text/plain; name=\"=?x?q?\"\n\nx",
		"From \n",
	};
	struct mime_tree	t;
	size_t			i, j;

	for (i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
		mime_tree_parse(msgs[i], strlen(msgs[i]), &t);
		ck_assert_uint_ge(t.n, 1);
		for (j = 0; j < t.n; j++)
			free(decoded(&t, j));
		mime_tree_fini(&t);
	}
	mime_tree_parse(NULL, 10, &t);
	ck_assert_uint_eq(t.n, 1);
	check_part(&t, 0, "text/plain", "");
	mime_tree_fini(&t);
}
END_TEST

/* The suite of the part tree. */
static Suite *
test_mime_part_suite(void)
{
	Suite	*s = suite_create("mime-part");
	TCase	*tc;

	tc = tcase_create("tree");
	tcase_add_test(tc, test_part_simple);
	tcase_add_test(tc, test_part_not_delimiters);
	tcase_add_test(tc, test_part_missing_close);
	tcase_add_test(tc, test_part_prefix_boundaries);
	tcase_add_test(tc, test_part_empty_parts);
	tcase_add_test(tc, test_part_unsplittable);
	tcase_add_test(tc, test_part_defaults);
	tcase_add_test(tc, test_part_message);
	suite_add_tcase(s, tc);

	tc = tcase_create("fields");
	tcase_add_test(tc, test_part_fields);
	tcase_add_test(tc, test_part_filename_cap);
	tcase_add_test(tc, test_part_text_choice);
	tcase_add_test(tc, test_part_text_extract);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_test(tc, test_part_depth_cap);
	tcase_add_test(tc, test_part_count_cap);
	tcase_add_test(tc, test_part_garbage);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the suite. */
int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(test_mime_part_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

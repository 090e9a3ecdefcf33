/*
 * test_mime_build_parts.c - unit tests of the message builder's bodies:
 * the text part (7bit, quoted-printable, 8bit, what forces
 * quoted-printable), format=flowed (RFC 3676), attachments (base64,
 * filenames by RFC 2231, message/rfc822), multipart/mixed and a large
 * message.  Small cases are compared byte for byte; every message is also
 * parsed back with petrel's own part tree (src/mime/part.h) and its
 * decoded bodies and filenames compared with what went in.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "mime/build.h"
#include "mime/build_int.h"
#include "mime/mime.h"
#include "mime/part.h"
#include "test_mime_build.h"
#include "util/xmalloc.h"

/* Build a one-part message with body b (n bytes) and return what follows
 * its MIME-Version line. */
static char *
tb_body(const char *b, size_t n, bool flowed, bool allow_8bit, char **whole,
    size_t *len)
{
	struct mime_build_msg	 m;
	char			*msg, *p;

	tb_msg(&m);
	m.body = b;
	m.body_len = n;
	m.flowed = flowed;
	m.allow_8bit = allow_8bit;
	msg = tb_build(&m, len);
	p = strstr(msg, "MIME-Version: 1.0\r\n");
	ck_assert_ptr_nonnull(p);
	*whole = msg;
	return p + 19;
}

/* The decoded body of part i of a message. */
static char *
tb_part_body(const char *msg, size_t len, size_t i, size_t *blen)
{
	struct mime_tree	t;
	struct buf		b = BUF_INITIALIZER(0);

	mime_tree_parse(msg, len, &t);
	ck_assert_msg(i < t.n, "part %zu of %zu", i, t.n);
	ck_assert_int_eq(mime_part_decode(&t.v[i], &b), 0);
	mime_tree_fini(&t);
	*blen = b.len;
	return buf_take(&b);
}

/* Check a one-part text body: the part after MIME-Version is want, and
 * it decodes to dec. */
static void
tb_text_eq(const char *b, size_t n, bool flowed, bool allow_8bit,
    const char *want, const char *dec, size_t declen)
{
	char	*msg, *got, *body;
	size_t	 len, blen;

	got = tb_body(b, n, flowed, allow_8bit, &msg, &len);
	ck_assert_msg(strcmp(got, want) == 0, "got:\n%s\nwant:\n%s", got, want);
	body = tb_part_body(msg, len, 0, &blen);
	ck_assert_msg(blen == declen && memcmp(body, dec, blen) == 0,
	    "decoded:\n%s\nwant:\n%s", body, dec);
	free(body);
	free(msg);
}

#define TB_TEXT(b, want, dec) tb_text_eq((b), sizeof(b) - 1, false, \
	false, (want), (dec), sizeof(dec) - 1)
#define TB_8BIT(b, want, dec) tb_text_eq((b), sizeof(b) - 1, false, \
	true, (want), (dec), sizeof(dec) - 1)
#define TB_CT	"Content-Type: text/plain; charset=utf-8\r\n"
#define TB_CTF	"Content-Type: text/plain; charset=utf-8; format=flowed; " \
		"delsp=no\r\n"
#define TB_7	"Content-Transfer-Encoding: 7bit\r\n\r\n"
#define TB_8	"Content-Transfer-Encoding: 8bit\r\n\r\n"
#define TB_QP	"Content-Transfer-Encoding: quoted-printable\r\n\r\n"

START_TEST(test_text_encodings)
{
	TB_TEXT("a\nb\r\nc", TB_CT TB_7 "a\r\nb\r\nc\r\n", "a\r\nb\r\nc\r\n");
	TB_TEXT("", TB_CT TB_7, "");
	TB_TEXT("Grüße, Jürgen\n", TB_CT TB_QP
	    "Gr=C3=BC=C3=9Fe, J=C3=BCrgen\r\n", "Grüße, Jürgen\r\n");
	/* Blanks before a line end are encoded (rule 3), "=" always. */
	TB_TEXT("über \ntab\t\na=b\n", TB_CT TB_QP
	    "=C3=BCber=20\r\ntab=09\r\na=3Db\r\n", "über \r\ntab\t\r\na=b\r\n");
	TB_8BIT("Grüße\n", TB_CT TB_8 "Grüße\r\n", "Grüße\r\n");
	TB_8BIT("plain\n", TB_CT TB_7 "plain\r\n", "plain\r\n");
	/* NUL and a CR alone cannot go 7bit or 8bit. */
	TB_8BIT("a\0b\rc\n", TB_CT TB_QP "a=00b=0Dc\r\n", "a\0b\rc\r\n");
	/* Invalid UTF-8 becomes U+FFFD. */
	TB_8BIT("\xff\xc3(\n", TB_CT TB_8 "\xef\xbf\xbd\xef\xbf\xbd(\r\n",
	    "\xef\xbf\xbd\xef\xbf\xbd(\r\n");
}
END_TEST

START_TEST(test_text_qp_lines)
{
	struct buf	 in = BUF_INITIALIZER(0), want = BUF_INITIALIZER(0);
	struct buf	 dec = BUF_INITIALIZER(0);
	size_t		 i;

	/* A character is never split by a soft break: 12 "é" a line. */
	for (i = 0; i < 60; i++)
		buf_adds(&in, "é");
	buf_addc(&in, '\n');
	buf_adds(&want, TB_CT TB_QP);
	for (i = 0; i < 60; i++)
		buf_adds(&want, i % 12 == 11 && i < 59 ? "=C3=A9=\r\n" :
		    "=C3=A9");
	buf_adds(&want, "\r\n");
	buf_add(&dec, in.data, in.len - 1);
	buf_adds(&dec, "\r\n");
	tb_text_eq(in.data, in.len, false, false, buf_str(&want),
	    buf_str(&dec), dec.len);
	/* A line over 998 octets forces QP even in ASCII with 8bit. */
	buf_reset(&in);
	buf_reset(&want);
	buf_reset(&dec);
	for (i = 0; i < 2000; i++)
		buf_addc(&in, 'a');
	buf_adds(&want, TB_CT TB_QP);
	for (i = 0; i < 2000; i++)
		buf_adds(&want, i % 75 == 74 ? "a=\r\n" : "a");
	buf_adds(&want, "\r\n");
	buf_add(&dec, in.data, in.len);
	buf_adds(&dec, "\r\n");
	tb_text_eq(in.data, in.len, false, true, buf_str(&want),
	    buf_str(&dec), dec.len);
	/* 998 octets exactly still go 7bit. */
	buf_reset(&in);
	for (i = 0; i < 998; i++)
		buf_addc(&in, 'b');
	buf_reset(&want);
	buf_adds(&want, TB_CT TB_7);
	buf_add(&want, in.data, in.len);
	buf_adds(&want, "\r\n");
	buf_reset(&dec);
	buf_add(&dec, in.data, in.len);
	buf_adds(&dec, "\r\n");
	tb_text_eq(in.data, in.len, false, false, buf_str(&want),
	    buf_str(&dec), dec.len);
	buf_fini(&in);
	buf_fini(&want);
	buf_fini(&dec);
}
END_TEST

/* Undo format=flowed (RFC 3676 section 4, delsp=no): logical lines with
 * their quote marks written "> " (">" per level, a space before text). */
static void
tb_unflow(const char *s, size_t len, struct buf *out)
{
	const char	*l, *nl, *c;
	size_t		 n, depth, cn, i, open = SIZE_MAX;
	bool		 soft;

	for (l = s; l < s + len; l = nl + 1) {
		nl = memchr(l, '\n', (size_t)(s + len - l));
		n = (size_t)(nl - l);
		if (n > 0 && l[n - 1] == '\r')
			n--;
		for (depth = 0; depth < n && l[depth] == '>'; depth++)
			;
		c = l + depth;
		cn = n - depth;
		if (cn > 0 && c[0] == ' ') {	/* stuffing */
			c++;
			cn--;
		}
		soft = cn > 0 && c[cn - 1] == ' ' &&
		    !(cn == 3 && memcmp(c, "-- ", 3) == 0);
		if (open != SIZE_MAX && open != depth) {
			buf_addc(out, '\n');
			open = SIZE_MAX;
		}
		if (open == SIZE_MAX) {
			for (i = 0; i < depth; i++)
				buf_addc(out, '>');
			if (depth > 0 && cn > 0)
				buf_addc(out, ' ');
		}
		buf_add(out, c, cn);
		open = soft ? depth : SIZE_MAX;
		if (!soft)
			buf_addc(out, '\n');
	}
	if (open != SIZE_MAX)
		buf_addc(out, '\n');
}

/* Build body as flowed text; check the part is want, every line at most
 * 72 characters unless one word fills it, and that unflowing it gives
 * logical (LF line ends). */
static void
tb_flowed_eq(const char *body, const char *want, const char *logical)
{
	struct buf	 u = BUF_INITIALIZER(0);
	char		*msg, *got, *dec;
	size_t		 len, dlen;

	got = tb_body(body, strlen(body), true, true, &msg, &len);
	if (want != NULL)
		ck_assert_msg(strcmp(got, want) == 0, "got:\n%s\nwant:\n%s",
		    got, want);
	dec = tb_part_body(msg, len, 0, &dlen);
	tb_unflow(dec, dlen, &u);
	ck_assert_msg(strcmp(buf_str(&u), logical) == 0,
	    "unflowed:\n%s\nwant:\n%s", buf_str(&u), logical);
	buf_fini(&u);
	free(dec);
	free(msg);
}

START_TEST(test_flowed)
{
	static const char body[] =
	    "Short line.\n"
	    "This is a long paragraph that goes on and on and on well beyond "
	    "the seventy-two column limit of flowed text.\n"
	    "> Quoted text that is also rather long and needs to be wrapped "
	    "at the limit of seventy-two.\n"
	    ">> deeper\n"
	    " leading space\n"
	    "From me\n"
	    "trailing spaces   \n"
	    "\n"
	    "-- \n"
	    "Alice\n";

	tb_flowed_eq(body, TB_CTF TB_7
	    "Short line.\r\n"
	    "This is a long paragraph that goes on and on and on well beyond "
	    "the \r\n"
	    "seventy-two column limit of flowed text.\r\n"
	    "> Quoted text that is also rather long and needs to be wrapped "
	    "at the \r\n"
	    "> limit of seventy-two.\r\n"
	    ">> deeper\r\n"
	    "  leading space\r\n"
	    " From me\r\n"
	    "trailing spaces\r\n"
	    "\r\n"
	    "-- \r\n"
	    "Alice\r\n",
	    "Short line.\n"
	    "This is a long paragraph that goes on and on and on well beyond "
	    "the seventy-two column limit of flowed text.\n"
	    "> Quoted text that is also rather long and needs to be wrapped "
	    "at the limit of seventy-two.\n"
	    ">> deeper\n"
	    " leading space\n"
	    "From me\n"
	    "trailing spaces\n"
	    "\n"
	    "-- \n"
	    "Alice\n");
}
END_TEST

START_TEST(test_flowed_edges)
{
	/* A word longer than the width stays whole; a piece that starts
	 * with ">" or "From " is stuffed; "-- " is never a piece. */
	tb_flowed_eq("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxx y\n", TB_CTF TB_7
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxx \r\ny\r\n",
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxx y\n");
	tb_flowed_eq("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaa >bbb From ccc\n", TB_CTF TB_7
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaa \r\n >bbb From ccc\r\n",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaa >bbb From ccc\n");
	tb_flowed_eq("-- x\n", TB_CTF TB_7 "-- x\r\n", "-- x\n");
	tb_flowed_eq("-- xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", NULL,
	    "-- xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n");
	/* Characters, not octets, count: 24 "жж " (120 octets) fill 72. */
	tb_flowed_eq("жж жж жж жж жж жж жж жж жж жж жж жж жж жж жж жж жж жж жж "
	    "жж жж жж жж жж жж жж\n", TB_CTF TB_8
	    "жж жж жж жж жж жж жж жж жж жж жж жж жж жж жж жж жж жж жж жж жж жж "
	    "жж жж \r\nжж жж\r\n",
	    "жж жж жж жж жж жж жж жж жж жж жж жж жж жж жж жж жж жж жж "
	    "жж жж жж жж жж жж жж\n");
}
END_TEST

START_TEST(test_flowed_long_word)
{
	struct buf	 in = BUF_INITIALIZER(0), want = BUF_INITIALIZER(0);
	char		*msg, *got;
	size_t		 i, len;

	/* An unbreakable 1500-octet word: flowed cannot cut it, so QP. */
	buf_adds(&in, "see ");
	for (i = 0; i < 1500; i++)
		buf_addc(&in, 'w');
	buf_adds(&in, " end\n");
	got = tb_body(in.data, in.len, true, true, &msg, &len);
	ck_assert_ptr_nonnull(strstr(got, TB_QP));
	buf_add(&want, in.data, in.len);
	tb_flowed_eq(in.data, NULL, buf_str(&want));
	free(msg);
	buf_fini(&in);
	buf_fini(&want);
}
END_TEST

/* Build with the given parts (and body b unless NULL); returns the
 * message, its part tree in t. */
static char *
tb_multi(const char *b, const struct mime_build_part *parts, size_t n,
    bool allow_8bit, struct mime_tree *t, size_t *len)
{
	struct mime_build_msg	 m;
	char			*msg;

	tb_msg(&m);
	m.body = b;
	m.body_len = b != NULL ? strlen(b) : 0;
	m.parts = parts;
	m.nparts = n;
	m.allow_8bit = allow_8bit;
	msg = tb_build(&m, len);
	mime_tree_parse(msg, *len, t);
	return msg;
}

/* The boundary of a built multipart message. */
static char *
tb_boundary(const char *msg)
{
	const char	*p, *q;

	p = strstr(msg, "boundary=\"");
	ck_assert_ptr_nonnull(p);
	p += 10;
	q = strchr(p, '"');
	ck_assert_ptr_nonnull(q);
	ck_assert_uint_eq((size_t)(q - p), 9 + 24);
	ck_assert(strncmp(p, "=_petrel_", 9) == 0);
	return xstrndup(p, (size_t)(q - p));
}

START_TEST(test_multipart_exact)
{
	struct mime_build_part	 p = { "hello world", 11, "a.bin", NULL, NULL,
	    false, false };
	struct mime_tree	 t;
	char			*msg, *b, *want;
	size_t			 len;

	msg = tb_multi("Hi\n", &p, 1, false, &t, &len);
	b = tb_boundary(msg);
	want = xasprintf(
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n\r\n"
	    "--%s\r\n" TB_CT TB_7 "Hi\r\n\r\n"
	    "--%s\r\n"
	    "Content-Type: application/octet-stream; name=\"a.bin\"\r\n"
	    "Content-Disposition: attachment; filename=\"a.bin\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n"
	    "aGVsbG8gd29ybGQ=\r\n"
	    "--%s--\r\n", b, b, b, b);
	ck_assert_str_eq(strstr(msg, "MIME-Version"), want);
	/* Read back: the text keeps its line end, the bytes are exact. */
	ck_assert_uint_eq(t.n, 3);
	ck_assert_int_eq(t.v[0].kind, MIME_PART_MULTIPART);
	ck_assert(t.v[1].blen == 4 && memcmp(t.v[1].body, "Hi\r\n", 4) == 0);
	ck_assert_str_eq(t.v[2].filename, "a.bin");
	ck_assert_int_eq(t.v[0].defects, 0);
	mime_tree_fini(&t);
	free(want);
	free(b);
	free(msg);
}
END_TEST

/* Build one attachment named name; check the filename petrel reads back
 * is want (unless TB_ANY) and the Content-Disposition field is disp
 * (unless NULL). */
static const char tb_any[] = "";
#define TB_ANY	tb_any
static void
tb_fname_eq(const char *name, const char *want, const char *disp)
{
	struct mime_build_part	 p = { "x", 1, name, "text/plain", "utf-8",
	    false, false };
	struct mime_tree	 t;
	char			*msg, *v;
	size_t			 len;

	msg = tb_multi(NULL, &p, 1, false, &t, &len);
	ck_assert_uint_eq(t.n, 2);
	if (want == NULL)
		ck_assert_ptr_null(t.v[1].filename);
	else if (want != TB_ANY)
		ck_assert_msg(t.v[1].filename != NULL &&
		    strcmp(t.v[1].filename, want) == 0, "filename \"%s\", "
		    "want \"%s\"", t.v[1].filename, want);
	if (disp != NULL) {
		v = tb_field(t.v[1].hdr, t.v[1].hlen, "Content-Disposition");
		ck_assert_str_eq(v, disp);
		free(v);
	}
	mime_tree_fini(&t);
	free(msg);
}

START_TEST(test_filenames)
{
	struct buf	 name = BUF_INITIALIZER(0);
	size_t		 i;

	tb_fname_eq("report.pdf", "report.pdf",
	    "attachment; filename=\"report.pdf\"");
	tb_fname_eq("/home/u/dir/Grüße.txt", "Grüße.txt",
	    "attachment; filename*=utf-8''Gr%C3%BC%C3%9Fe.txt");
	tb_fname_eq("a \"quoted\" name", "a \"quoted\" name",
	    "attachment; filename*=utf-8''a%20%22quoted%22%20name");
	tb_fname_eq("tab\there\x1b[31m", "tab_here_[31m", NULL);
	tb_fname_eq("  spaced  name.txt  ", "spaced  name.txt",
	    "attachment; filename=\"spaced  name.txt\"");
	tb_fname_eq("   ", NULL, "attachment");
	/* Text that looks like an encoded word goes by RFC 2231 (petrel's
	 * reader then decodes it anyway: readers are lenient there). */
	tb_fname_eq("=?utf-8?q?x?=.txt", TB_ANY,
	    "attachment; filename*=utf-8''%3D%3Futf-8%3Fq%3Fx%3F%3D.txt");
	tb_fname_eq("dir/", NULL, "attachment");
	tb_fname_eq(NULL, NULL, "attachment");
	tb_fname_eq("Bericht für März 2025 — ein sehr langer Dateiname mit "
	    "Umlauten äöü.pdf", "Bericht für März 2025 — ein sehr langer "
	    "Dateiname mit Umlauten äöü.pdf",
	    "attachment; filename*0*=utf-8''Bericht%20f%C3%BCr%20M%C3%A4rz"
	    "%202025%20%E2%80%94%20e; filename*1*=in%20sehr%20langer%20Date"
	    "iname%20mit%20Umlauten%20%C3%A4; filename*2*=%C3%B6%C3%BC.pdf");
	/* The longest name: 1024 octets of CJK and emoji, read back. */
	for (i = 0; name.len + 4 <= MIME_BUILD_FILENAME_MAX; i++)
		buf_adds(&name, i % 5 == 4 ? "🎉" : "語");
	while (name.len < MIME_BUILD_FILENAME_MAX)
		buf_addc(&name, 'x');
	tb_fname_eq(buf_str(&name), buf_str(&name), NULL);
	buf_fini(&name);
}
END_TEST

START_TEST(test_filename_too_long)
{
	struct mime_build_msg	 m;
	struct mime_build_part	 p = { "x", 1, NULL, NULL, NULL, false, false };
	struct buf		 name = BUF_INITIALIZER(0);
	struct buf		 out = BUF_INITIALIZER(0);
	struct error		 err;

	while (name.len <= MIME_BUILD_FILENAME_MAX)
		buf_addc(&name, 'n');
	p.filename = buf_str(&name);
	tb_msg(&m);
	m.parts = &p;
	m.nparts = 1;
	ck_assert_int_eq(mime_build(&m, &out, &err), -1);
	ck_assert_int_eq(err.code, ERR_PARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "filename longer"));
	ck_assert_uint_eq(out.len, 0);
	buf_fini(&out);
	buf_fini(&name);
}
END_TEST

START_TEST(test_part_headers)
{
	struct mime_build_part	 p[] = {
		{ "x", 1, "Grüße.txt", "text/plain", "utf-8", false, true },
		{ "y", 1, "日本語の長いファイル名日本語の長いファイル名.png",
		    "image/png", "utf-8", false, false },
	};
	struct mime_tree	 t;
	char			*msg, *v;
	size_t			 len;

	msg = tb_multi(NULL, p, 2, false, &t, &len);
	ck_assert_uint_eq(t.n, 3);
	v = tb_field(t.v[1].hdr, t.v[1].hlen, "Content-Type");
	ck_assert_str_eq(v, "text/plain; charset=utf-8; "
	    "name=\"=?UTF-8?B?R3LDvMOfZS50eHQ=?=\"");
	free(v);
	ck_assert_str_eq(t.v[1].disposition, "inline");
	ck_assert_str_eq(t.v[1].charset, "utf-8");
	/* No charset on a type that is not text/; name= as encoded words. */
	ck_assert_str_eq(t.v[2].charset, "");
	v = tb_field(t.v[2].hdr, t.v[2].hlen, "Content-Type");
	ck_assert_ptr_null(strstr(v, "charset"));
	ck_assert_ptr_nonnull(strstr(v, "image/png; name=\"=?UTF-8?B?"));
	free(v);
	ck_assert_str_eq(t.v[2].filename,
	    "日本語の長いファイル名日本語の長いファイル名.png");
	ck_assert_str_eq(t.v[2].disposition, "attachment");
	mime_tree_fini(&t);
	free(msg);
}
END_TEST

/* Build a forwarded message inner; check the part's type, encoding and
 * filename, and that its bytes read back as back. */
static void
tb_message_eq(const char *inner, bool allow_8bit, const char *type,
    const char *cte, const char *fname, const char *back)
{
	struct mime_build_part	 p = { inner, strlen(inner), NULL, "text/x",
	    NULL, true, false };
	struct mime_tree	 t;
	struct buf		 b = BUF_INITIALIZER(0);
	char			*msg, got[100];
	size_t			 len;

	msg = tb_multi(NULL, &p, 1, allow_8bit, &t, &len);
	ck_assert_uint_ge(t.n, 2);
	snprintf(got, sizeof got, "%s/%s", t.v[1].type, t.v[1].subtype);
	ck_assert_str_eq(got, type);
	ck_assert_str_eq(t.v[1].cte_name, cte);
	if (fname == NULL)
		ck_assert_ptr_null(t.v[1].filename);
	else
		ck_assert_str_eq(t.v[1].filename, fname);
	ck_assert_int_eq(mime_part_decode(&t.v[1], &b), 0);
	ck_assert_msg(b.len == strlen(back) && memcmp(b.data, back, b.len) ==
	    0, "read back \"%s\", want \"%s\"", buf_str(&b), back);
	if (strcmp(type, "message/rfc822") == 0) {
		ck_assert_int_eq(t.v[1].kind, MIME_PART_MESSAGE);
		ck_assert_ptr_null(strstr(msg, "base64"));
	}
	/* The multipart says 8bit when a part is 8bit (RFC 2045 6.4). */
	ck_assert_str_eq(t.v[0].cte_name, strcmp(cte, "8bit") == 0 ? "8bit" :
	    "");
	buf_fini(&b);
	mime_tree_fini(&t);
	free(msg);
}

START_TEST(test_message_part)
{
	struct buf	long_line = BUF_INITIALIZER(0);
	size_t		i;

	tb_message_eq("From: a@b.org\nSubject: inner\n\nhello\n", false,
	    "message/rfc822", "7bit", NULL,
	    "From: a@b.org\r\nSubject: inner\r\n\r\nhello\r\n");
	tb_message_eq("Subject: caf\xc3\xa9\r\n\r\nx\r\n", true,
	    "message/rfc822", "8bit", NULL,
	    "Subject: caf\xc3\xa9\r\n\r\nx\r\n");
	/* What cannot go unencoded arrives intact as octets. */
	tb_message_eq("Subject: caf\xc3\xa9\n\nx\n", false,
	    "application/octet-stream", "base64", "message.eml",
	    "Subject: caf\xc3\xa9\n\nx\n");
	tb_message_eq("Subject: x\n\na\rb\n", true,
	    "application/octet-stream", "base64", "message.eml",
	    "Subject: x\n\na\rb\n");
	buf_adds(&long_line, "Subject: x\n\n");
	for (i = 0; i < 999; i++)
		buf_addc(&long_line, 'l');
	tb_message_eq(buf_str(&long_line), true, "application/octet-stream",
	    "base64", "message.eml", buf_str(&long_line));
	buf_fini(&long_line);
}
END_TEST

/* Fill b with n pseudo-random bytes. */
static void
tb_random_bytes(struct buf *b, size_t n, uint32_t seed)
{
	char	*w;
	size_t	 i;

	w = buf_reserve(b, n);
	ck_assert_ptr_nonnull(w);
	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		w[i] = (char)(seed >> 23);
	}
	buf_commit(b, n);
}

/* Length of line k (0-based, CRLF-separated) of a part's body. */
static size_t
tb_line_len(const struct mime_part *p, size_t k)
{
	const char	*l = p->body, *end = p->body + p->blen, *nl;

	for (;; k--) {
		nl = memchr(l, '\r', (size_t)(end - l));
		if (k == 0)
			return (size_t)((nl != NULL ? nl : end) - l);
		ck_assert_ptr_nonnull(nl);
		l = nl + 2;
	}
}

/* The longest line of a part's body; *n is the number of lines. */
static size_t
tb_line_max(const struct mime_part *p, size_t *n)
{
	const char	*l, *end = p->body + p->blen, *nl;
	size_t		 max = 0;

	*n = 0;
	for (l = p->body; l < end; l = nl + 2) {
		nl = memchr(l, '\r', (size_t)(end - l));
		if (nl == NULL)
			nl = end;
		if ((size_t)(nl - l) > max)
			max = (size_t)(nl - l);
		(*n)++;
	}
	return max;
}

/* Check that a part decodes to the n bytes at want. */
static void
tb_decoded_eq(const struct mime_part *p, const char *want, size_t n)
{
	struct buf	dec = BUF_INITIALIZER(0);

	ck_assert_int_eq(mime_part_decode(p, &dec), 0);
	ck_assert_uint_eq(dec.len, n);
	ck_assert(n == 0 || memcmp(dec.data, want, n) == 0);
	buf_fini(&dec);
}

START_TEST(test_large)
{
	struct mime_build_part	 p[2];
	struct mime_tree	 t;
	struct buf		 bin = BUF_INITIALIZER(0);
	struct buf		 text = BUF_INITIALIZER(0);
	struct buf		 want = BUF_INITIALIZER(0);
	char			*msg, *b;
	size_t			 len, i, j, nlines;

	tb_random_bytes(&bin, 5 * 1024 * 1024 + 7, 7);
	for (i = 0; i < 3000; i++) {
		buf_printf(&text, "line %zu: Grüße ", i);
		for (j = 0; i % 100 == 0 && j < 1500; j++)
			buf_adds(&text, "ab");	/* a line over 998 */
		buf_addc(&text, '\n');
	}
	memset(p, 0, sizeof p);
	p[0].data = bin.data;
	p[0].len = bin.len;
	p[0].filename = "random.bin";
	p[1].data = text.data;
	p[1].len = text.len;
	p[1].filename = "copy.txt";
	p[1].content_type = "text/plain";
	msg = tb_multi(buf_str(&text), p, 2, true, &t, &len);
	b = tb_boundary(msg);
	ck_assert_uint_eq(t.n, 4);
	for (i = 1; i < t.n; i++)
		ck_assert_ptr_null(memmem(t.v[i].body, t.v[i].blen, b,
		    strlen(b)));
	/* The text: quoted-printable (long lines) in lines of at most 76,
	 * exact once decoded. */
	ck_assert_str_eq(t.v[1].cte_name, "quoted-printable");
	ck_assert_uint_le(tb_line_max(&t.v[1], &nlines), 76);
	for (i = 0; i < text.len; i++) {
		if (text.data[i] == '\n')
			buf_addc(&want, '\r');
		buf_addc(&want, text.data[i]);
	}
	tb_decoded_eq(&t.v[1], want.data, want.len);
	/* The binary: base64 lines of 76 but the last, exact. */
	ck_assert_uint_eq(tb_line_max(&t.v[2], &nlines), 76);
	ck_assert_uint_eq(nlines, (bin.len + 56) / 57);
	ck_assert_uint_eq(tb_line_len(&t.v[2], 0), 76);
	ck_assert_uint_eq(tb_line_len(&t.v[2], nlines - 2), 76);
	ck_assert_uint_eq(tb_line_len(&t.v[2], nlines - 1),
	    (bin.len % 57 + 2) / 3 * 4);
	tb_decoded_eq(&t.v[2], bin.data, bin.len);
	tb_decoded_eq(&t.v[3], text.data, text.len);
	mime_tree_fini(&t);
	free(b);
	free(msg);
	buf_fini(&bin);
	buf_fini(&text);
	buf_fini(&want);
}
END_TEST

START_TEST(test_base64_lines)
{
	struct buf	out = BUF_INITIALIZER(0);
	struct buf	dec = BUF_INITIALIZER(0);
	struct buf	in = BUF_INITIALIZER(0);
	size_t		n;

	/* Every length near a line and a quantum boundary. */
	for (n = 0; n < 200; n++) {
		buf_reset(&in);
		buf_reset(&out);
		buf_reset(&dec);
		tb_random_bytes(&in, n, (uint32_t)n);
		mime_build_base64(in.data, n, &out);
		ck_assert_uint_eq(out.len, (n + 2) / 3 * 4 +
		    (n > 0 ? (n - 1) / 57 * 2 : 0));
		ck_assert_int_eq(mime_base64_decode(buf_str(&out), out.len,
		    &dec), 0);
		ck_assert(dec.len == n && (n == 0 || memcmp(dec.data, in.data,
		    n) == 0));
	}
	buf_reset(&out);
	mime_build_base64("hello world", 11, &out);
	ck_assert_str_eq(buf_str(&out), "aGVsbG8gd29ybGQ=");
	buf_fini(&in);
	buf_fini(&out);
	buf_fini(&dec);
}
END_TEST

START_TEST(test_no_text)
{
	struct mime_build_part	 p = { "", 0, "empty", NULL, NULL, false,
	    false };
	struct mime_tree	 t;
	char			*msg;
	size_t			 len;

	/* Attachments alone: no empty text part. */
	msg = tb_multi(NULL, &p, 1, false, &t, &len);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_str_eq(t.v[1].filename, "empty");
	ck_assert_uint_eq(t.v[1].blen, 0);
	mime_tree_fini(&t);
	free(msg);
}
END_TEST

/* The suite of bodies and attachments. */
Suite *
test_mime_build_parts_suite(void)
{
	Suite	*s = suite_create("mime_build_parts");
	TCase	*tc;

	tc = tcase_create("text");
	tcase_add_test(tc, test_text_encodings);
	tcase_add_test(tc, test_text_qp_lines);
	tcase_add_test(tc, test_flowed);
	tcase_add_test(tc, test_flowed_edges);
	tcase_add_test(tc, test_flowed_long_word);
	suite_add_tcase(s, tc);
	tc = tcase_create("parts");
	tcase_add_test(tc, test_multipart_exact);
	tcase_add_test(tc, test_filenames);
	tcase_add_test(tc, test_filename_too_long);
	tcase_add_test(tc, test_part_headers);
	tcase_add_test(tc, test_message_part);
	tcase_add_test(tc, test_base64_lines);
	tcase_add_test(tc, test_no_text);
	tcase_add_test(tc, test_large);
	suite_add_tcase(s, tc);
	return s;
}

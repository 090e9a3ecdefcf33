/*
 * test_mime_build.c - unit tests of the message builder (src/mime/build*.c):
 * the header fields, exactly for small cases (Date in several zones,
 * RFC 2047 words B and Q, folding, msg-ids, extra fields), and properties
 * of the header encoder over many random UTF-8 strings: every result
 * read back with petrel's own parsers (mime_rfc2047_decode,
 * mime_address_list_parse, mime_envelope_parse) gives the text that went
 * in.  Also the helpers the other files share and the main program.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "mime/address.h"
#include "mime/build.h"
#include "mime/build_int.h"
#include "mime/mime.h"
#include "mime/mime_int.h"
#include "test_mime_build.h"
#include "util/xmalloc.h"

/* 2025-07-01 12:05:09 UTC, a Tuesday. */
#define TB_DATE	1751371509

/* A message with the fields every test needs. */
void
tb_msg(struct mime_build_msg *m)
{
	memset(m, 0, sizeof *m);
	m->from = "Alice <alice@example.org>";
	m->to = "bob@example.net";
	m->message_id = "<1@example.org>";
	m->date = TB_DATE;
}

/*
 * Check the encoded words of header line l (n octets): each "=?" that
 * starts a token outside quotes (or inside name="...") must be
 * "=?UTF-8?B|Q?...?=" of at most 75 octets.  "=?" elsewhere is part of
 * an addr-spec or a quoted string, no encoded word.  Returns how many.
 */
static size_t
tb_ews(const char *l, size_t n)
{
	const char	*q;
	size_t		 i, count = 0;
	bool		 quoted = false, qname = false;

	for (i = 0; i < n; i++) {
		if (quoted && l[i] == '\\') {
			i++;
			continue;
		}
		if (l[i] == '"') {
			qname = !quoted && i >= 5 &&
			    memcmp(l + i - 5, "name=", 5) == 0;
			quoted = !quoted;
			continue;
		}
		if (l[i] != '=' || i + 1 == n || l[i + 1] != '?' ||
		    (quoted && !qname) ||
		    (i > 0 && l[i - 1] != ' ' && l[i - 1] != '"'))
			continue;
		ck_assert_msg(n - i >= 12 &&
		    (strncmp(l + i, "=?UTF-8?B?", 10) == 0 ||
		    strncmp(l + i, "=?UTF-8?Q?", 10) == 0) &&
		    (q = memmem(l + i + 10, n - i - 10, "?=", 2)) != NULL &&
		    q + 2 - (l + i) <= 75, "bad encoded word: %.*s", (int)n, l);
		count++;
		i = (size_t)(q + 1 - l);
	}
	return count;
}

/* Whether l (n octets) is one token: no blank outside double quotes. */
static bool
tb_one_token(const char *l, size_t n)
{
	size_t	i;
	bool	q = false;

	for (i = 0; i < n; i++) {
		if (q && l[i] == '\\')
			i++;
		else if (l[i] == '"')
			q = !q;
		else if (!q && l[i] == ' ')
			return false;
	}
	return true;
}

/* Whether the header line l (n octets, no CRLF) keeps the folding rules. */
static void
tb_header_line(const char *l, size_t n)
{
	size_t	i, limit;

	ck_assert_msg(n > 0 && !(n == 1 && l[0] == ' '),
	    "blank header line");
	for (i = 0; i < n; i++)
		ck_assert_msg(l[i] != '\r', "CR in a header line");
	limit = tb_ews(l, n) > 0 ? 76 : 78;
	if (n > limit)
		ck_assert_msg(l[0] == ' ' && tb_one_token(l + 1, n - 1),
		    "header line of %zu octets (limit %zu): %.*s", n, limit,
		    (int)n, l);
}

/* Check the line rules of a built message (see test_mime_build.h); the
 * header rules apply to the message's and each body part's header. */
void
tb_lines(const char *msg, size_t len)
{
	char	*ct, *bnd = NULL;
	size_t	 i, start = 0, bl = 0;
	bool	 header = true;

	/* The body parts' headers follow the delimiter lines. */
	if ((ct = mime_header_get(msg, len, "Content-Type")) != NULL &&
	    (bnd = mime_param_get(ct, strlen(ct), "boundary")) != NULL)
		bl = strlen(bnd);
	free(ct);

	for (i = 0; i < len; i++) {
		if (msg[i] == '\r')
			ck_assert_msg(i + 1 < len && msg[i + 1] == '\n',
			    "CR without LF at %zu", i);
		if (msg[i] != '\n')
			continue;
		ck_assert_msg(i > 0 && msg[i - 1] == '\r',
		    "LF without CR at %zu", i);
		ck_assert_msg(i - 1 - start <= 998, "line of %zu octets at %zu",
		    i - 1 - start, start);
		if (header && i - 1 == start)
			header = false;
		else if (header)
			tb_header_line(msg + start, i - 1 - start);
		else if (bl > 0 && i - 1 - start == bl + 2 &&
		    msg[start] == '-' && msg[start + 1] == '-' &&
		    memcmp(msg + start + 2, bnd, bl) == 0)
			header = true;	/* a delimiter: a part's header */
		start = i + 1;
	}
	ck_assert_msg(len >= 2 && msg[len - 2] == '\r' && msg[len - 1] == '\n',
	    "the message does not end in CRLF");
	free(bnd);
}

/* Build m, check its lines, return it. */
char *
tb_build(const struct mime_build_msg *m, size_t *len)
{
	struct buf	 out = BUF_INITIALIZER(0);
	struct error	 err;

	ck_assert_msg(mime_build(m, &out, &err) == 0, "mime_build: %s",
	    err.msg);
	tb_lines(buf_str(&out), out.len);
	*len = out.len;
	return buf_take(&out);
}

/* The unfolded raw value of a field, or NULL. */
char *
tb_field(const char *msg, size_t len, const char *name)
{
	char	*v;
	size_t	 n;

	if ((v = mime_header_get(msg, len, name)) == NULL)
		return NULL;
	/* mime_header_get keeps the blank after the colon. */
	for (n = 0; v[n] == ' '; n++)
		;
	memmove(v, v + n, strlen(v + n) + 1);
	return v;
}

/* The RFC 2047-decoded value of a field, or NULL. */
char *
tb_decoded(const char *msg, size_t len, const char *name)
{
	char	*v, *d;

	if ((v = tb_field(msg, len, name)) == NULL)
		return NULL;
	d = mime_rfc2047_decode(v, strlen(v));
	free(v);
	return d;
}

/* Build m and compare its header block with want (up to MIME-Version). */
void
tb_headers_eq(const struct mime_build_msg *m, const char *want)
{
	char	*msg, *end;
	size_t	 len;

	msg = tb_build(m, &len);
	end = strstr(msg, "MIME-Version: 1.0\r\n");
	ck_assert_ptr_nonnull(end);
	ck_assert_msg((size_t)(end - msg) == strlen(want) &&
	    memcmp(msg, want, strlen(want)) == 0,
	    "got:\n%.*s\nwant:\n%s", (int)(end - msg), msg, want);
	free(msg);
}

/* Build a message with the given subject and compare the field. */
static void
tb_subject_eq(const char *subject, const char *want)
{
	struct mime_build_msg	 m;
	char			*msg, *v, *d, *line, *p, *q;
	size_t			 len;

	tb_msg(&m);
	m.subject = subject;
	msg = tb_build(&m, &len);
	line = strstr(msg, "\r\nSubject:");
	ck_assert_ptr_nonnull(line);
	ck_assert_msg(strncmp(line + 2, want, strlen(want)) == 0 &&
	    strncmp(line + 2 + strlen(want), "\r\nMessage-ID:", 13) == 0,
	    "subject \"%s\": got\n%.200s\nwant\n%s", subject, line + 2, want);
	v = tb_field(msg, len, "Subject");
	for (p = v; (p = strstr(p, "=?")) != NULL; p = q + 2) {
		ck_assert_msg(strncmp(p, "=?UTF-8?", 8) == 0, "stray \"=?\"");
		ck_assert_ptr_nonnull(q = strstr(p + 10, "?="));
	}
	d = mime_rfc2047_decode(v, strlen(v));
	free(v);
	v = mime_build_clean(subject, strlen(subject));
	ck_assert_str_eq(d, v);
	free(v);
	free(d);
	free(msg);
}

START_TEST(test_minimal)
{
	struct mime_build_msg	 m;
	char			*msg;
	size_t			 len;
	const char		*want =
	    "Date: Tue, 1 Jul 2025 12:05:09 +0000\r\n"
	    "From: Alice <alice@example.org>\r\n"
	    "To: bob@example.net\r\n"
	    "Subject: Hello\r\n"
	    "Message-ID: <1@example.org>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n"
	    "\r\n"
	    "Hi Bob.\r\n"
	    "\r\n"
	    "Alice\r\n";

	tb_msg(&m);
	m.subject = "Hello";
	m.body = "Hi Bob.\n\nAlice";	/* the last line gets its end */
	m.body_len = strlen(m.body);
	msg = tb_build(&m, &len);
	ck_assert_str_eq(msg, want);
	free(msg);
}
END_TEST

/* Bcc is never written, but a postponed draft (keep_bcc) keeps it. */
START_TEST(test_keep_bcc)
{
	struct mime_build_msg	 m;
	char			*msg, *v;
	size_t			 len;

	tb_msg(&m);
	m.bcc = "J\xc3\xb6rg <joerg@example.org>, c@example.net";
	msg = tb_build(&m, &len);
	ck_assert_ptr_null(strstr(msg, "Bcc:"));
	ck_assert_ptr_null(strstr(msg, "joerg@"));
	free(msg);
	m.keep_bcc = true;
	msg = tb_build(&m, &len);
	v = tb_field(msg, len, "Bcc");
	ck_assert_str_eq(v, "=?UTF-8?B?SsO2cmc=?= <joerg@example.org>, "
	    "c@example.net");
	free(v);
	free(msg);
}
END_TEST

/* The Date field of a message built at TB_DATE (+ dt) in zone tz. */
static void
tb_date_eq(const char *tz, time_t dt, const char *want)
{
	struct mime_build_msg	 m;
	char			*msg, *d;
	size_t			 len;

	setenv("TZ", tz, 1);
	tzset();
	tb_msg(&m);
	m.date = TB_DATE + dt;
	msg = tb_build(&m, &len);
	d = tb_field(msg, len, "Date");
	ck_assert_str_eq(d, want);
	ck_assert_int_eq(mime_parse_date(d, strlen(d)), TB_DATE + dt);
	free(d);
	free(msg);
	setenv("TZ", "UTC0", 1);
	tzset();
}

START_TEST(test_date_zones)
{
	/* POSIX TZ strings: no tzdata needed. */
	tb_date_eq("UTC0", 0, "Tue, 1 Jul 2025 12:05:09 +0000");
	tb_date_eq("CET-1CEST,M3.5.0,M10.5.0/3", 0,
	    "Tue, 1 Jul 2025 14:05:09 +0200");
	tb_date_eq("CET-1CEST,M3.5.0,M10.5.0/3", 183 * 86400,
	    "Wed, 31 Dec 2025 13:05:09 +0100");
	tb_date_eq("EST5EDT,M3.2.0,M11.1.0", 183 * 86400,
	    "Wed, 31 Dec 2025 07:05:09 -0500");
	tb_date_eq("IST-5:30", 0, "Tue, 1 Jul 2025 17:35:09 +0530");
	tb_date_eq("NST3:30", 0, "Tue, 1 Jul 2025 08:35:09 -0330");
	/* The zone moves the day: 12:05 UTC is tomorrow in Kiribati. */
	tb_date_eq("LINT-14", 0, "Wed, 2 Jul 2025 02:05:09 +1400");
}
END_TEST

START_TEST(test_date_range)
{
	struct buf	out = BUF_INITIALIZER(0);
	struct error	err;

	ck_assert_int_eq(mime_build_date(-2208988800, &out, &err), 0);
	ck_assert_str_eq(buf_str(&out), "Date: Mon, 1 Jan 1900 00:00:00 "
	    "+0000\r\n");
	buf_reset(&out);
	ck_assert_int_eq(mime_build_date(253402300799, &out, &err), 0);
	ck_assert_str_eq(buf_str(&out), "Date: Fri, 31 Dec 9999 23:59:59 "
	    "+0000\r\n");
	buf_reset(&out);
	ck_assert_int_eq(mime_build_date(253402300800, &out, &err), -1);
	ck_assert_int_eq(err.code, ERR_PARSE);
	ck_assert_int_eq(mime_build_date(-2208988801, &out, &err), -1);
	ck_assert_uint_eq(out.len, 0);
	buf_fini(&out);
}
END_TEST

START_TEST(test_date_now)
{
	struct mime_build_msg	 m;
	char			*msg, *d;
	size_t			 len;
	time_t			 before, after;
	int64_t			 t;

	tb_msg(&m);
	m.date = 0;
	before = time(NULL);
	msg = tb_build(&m, &len);
	after = time(NULL);
	d = tb_field(msg, len, "Date");
	t = mime_parse_date(d, strlen(d));
	ck_assert_msg(t >= before && t <= after, "Date: %s", d);
	free(d);
	free(msg);
}
END_TEST

START_TEST(test_subject_words)
{
	tb_subject_eq("Hello  world\t\n again ",
	    "Subject: Hello world again");
	/* B is shorter for short words, Q for mostly-ASCII ones. */
	tb_subject_eq("Grüße", "Subject: =?UTF-8?B?R3LDvMOfZQ==?=");
	tb_subject_eq("Überraschungsparty",
	    "Subject: =?UTF-8?Q?=C3=9Cberraschungsparty?=");
	tb_subject_eq("Re: Café au lait",
	    "Subject: Re: =?UTF-8?B?Q2Fmw6k=?= au lait");
	/* Neighbours that need encoding share a run, spaces inside it. */
	tb_subject_eq("a ü ö b", "Subject: a =?UTF-8?B?w7wgw7Y=?= b");
	/* Text that looks like an encoded word is encoded. */
	tb_subject_eq("see =?utf-8?q?x?= here",
	    "Subject: see =?UTF-8?B?PT91dGYtOD9xP3g/PQ==?= here");
	tb_subject_eq("a=?b", "Subject: =?UTF-8?Q?a=3D=3Fb?=");
	/* Controls are encoded, never written raw. */
	tb_subject_eq("bell\x07", "Subject: =?UTF-8?Q?bell=07?=");
	/* Invalid UTF-8 becomes U+FFFD. */
	tb_subject_eq("bad\xff", "Subject: =?UTF-8?B?YmFk77+9?=");
	tb_subject_eq("", "Subject:");
	tb_subject_eq("🎉", "Subject: =?UTF-8?B?8J+OiQ==?=");
}
END_TEST

START_TEST(test_subject_fold)
{
	/* Plain words fold at 78; a word too long for a line is encoded. */
	tb_subject_eq("Lorem ipsum dolor sit amet, consectetur adipiscing "
	    "elit, sed do eiusmod tempor incididunt",
	    "Subject: Lorem ipsum dolor sit amet, consectetur adipiscing "
	    "elit, sed do\r\n eiusmod tempor incididunt");
	tb_subject_eq("x https://example.org/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/b",
	    "Subject: x =?UTF-8?Q?https=3A//example=2Eorg/aaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaa?=\r\n =?UTF-8?Q?aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/b?=");
	/* A run one word can hold moves to the next line whole. */
	tb_subject_eq("Lorem ipsum dolor sit amet, consectetur adipiscing "
	    "Übermut",
	    "Subject: Lorem ipsum dolor sit amet, consectetur adipiscing\r\n"
	    " =?UTF-8?Q?=C3=9Cbermut?=");
	/* A long run fills the line and goes on, whole characters each. */
	tb_subject_eq("日本語の件名日本語の件名日本語の件名日本語の件名",
	    "Subject: =?UTF-8?B?5pel5pys6Kqe44Gu5Lu25ZCN5pel5pys6Kqe44Gu5Lu2"
	    "5ZCN5pel?=\r\n =?UTF-8?B?5pys6Kqe44Gu5Lu25ZCN5pel5pys6Kqe44Gu5Lu2"
	    "5ZCN?=");
}
END_TEST

START_TEST(test_msgid)
{
	struct mime_build_msg	 m;
	char			*a, *b, *msg, *v;
	size_t			 len, i;

	a = mime_build_msgid("Alice <alice@Mail.Example.org>");
	b = mime_build_msgid("alice@Mail.Example.org");
	ck_assert_uint_eq(strlen(a), 1 + 24 + 1 + 16 + 1);
	ck_assert_str_eq(a + 25, "@Mail.Example.org>");
	for (i = 1; i < 25; i++)
		ck_assert(strchr("abcdefghijklmnopqrstuvwxyz234567", a[i]));
	ck_assert_str_ne(a, b);
	free(a);
	free(b);
	a = mime_build_msgid(NULL);
	ck_assert_str_eq(a + 25, "@localhost>");
	free(a);
	a = mime_build_msgid("ü@exämple.org");
	ck_assert_str_eq(a + 25, "@localhost>");
	free(a);
	a = mime_build_msgid("x@[10.0.0.1]");
	ck_assert_str_eq(a + 25, "@localhost>");
	free(a);
	/* Made from From when not given. */
	tb_msg(&m);
	m.message_id = NULL;
	msg = tb_build(&m, &len);
	v = tb_field(msg, len, "Message-ID");
	ck_assert_uint_eq(strlen(v), 1 + 24 + 13);
	ck_assert_str_eq(v + 25, "@example.org>");
	free(v);
	free(msg);
}
END_TEST

START_TEST(test_references)
{
	struct mime_build_msg	 m;
	struct buf		 refs = BUF_INITIALIZER(0);
	char			*msg, *v;
	size_t			 len, i;

	tb_msg(&m);
	m.in_reply_to = "junk <parent@x.org> (comment)";
	m.references = "<a@x.org> junk <b@x.org>\r\n\t<no-at> <c@x.org>";
	tb_headers_eq(&m,
	    "Date: Tue, 1 Jul 2025 12:05:09 +0000\r\n"
	    "From: Alice <alice@example.org>\r\n"
	    "To: bob@example.net\r\n"
	    "Message-ID: <1@example.org>\r\n"
	    "In-Reply-To: <parent@x.org>\r\n"
	    "References: <a@x.org> <b@x.org> <c@x.org>\r\n");
	/* A long thread folds between ids. */
	for (i = 0; i < 40; i++)
		buf_printf(&refs, "%s<message-%zu@host.example.org>",
		    i ? " " : "", i);
	m.in_reply_to = NULL;
	m.references = buf_str(&refs);
	msg = tb_build(&m, &len);
	v = tb_field(msg, len, "References");
	ck_assert_str_eq(v, buf_str(&refs));
	free(v);
	free(msg);
	/* Nothing usable: no field. */
	m.references = "junk only";
	msg = tb_build(&m, &len);
	ck_assert_ptr_null(strstr(msg, "References"));
	free(msg);
	buf_fini(&refs);
}
END_TEST

START_TEST(test_extra_headers)
{
	struct mime_build_msg		m;
	struct mime_build_header	h[] = {
		{ "X-Mailer", "petrel 0.1" },
		{ "Organization", "Fröhliche Grüße GmbH" },
		{ "Mail-Followup-To", "Jöhn <j@x.org>, list@x.org" },
		{ "X-Empty", NULL }
	};

	tb_msg(&m);
	m.headers = h;
	m.nheaders = 4;
	tb_headers_eq(&m,
	    "Date: Tue, 1 Jul 2025 12:05:09 +0000\r\n"
	    "From: Alice <alice@example.org>\r\n"
	    "To: bob@example.net\r\n"
	    "Message-ID: <1@example.org>\r\n"
	    "X-Mailer: petrel 0.1\r\n"
	    "Organization: =?UTF-8?B?RnLDtmhsaWNoZSBHcsO8w59l?= GmbH\r\n"
	    "Mail-Followup-To: =?UTF-8?B?SsO2aG4=?= <j@x.org>, list@x.org\r\n"
	    "X-Empty:\r\n");
}
END_TEST

START_TEST(test_envelope)
{
	struct mime_build_msg	 m;
	struct mime_envelope	 e;
	char			*msg;
	size_t			 len;

	tb_msg(&m);
	m.from = "Jöhn Dœ <john@example.org>";
	m.to = "山田太郎 <taro@example.jp>, Team: a@x.org, b@x.org;";
	m.cc = "\"Doe, John\" <d@x.org>";
	m.subject = "Re: Grüße aus München 🎉 — 日本語の件名日本語の件名日本語の件名";
	m.in_reply_to = "<parent@x.org>";
	m.references = "<root@x.org> <parent@x.org>";
	msg = tb_build(&m, &len);
	mime_envelope_parse(msg, len, &e);
	ck_assert_int_eq(e.date, TB_DATE);
	ck_assert_str_eq(e.from_name, "Jöhn Dœ");
	ck_assert_str_eq(e.from_addr, "john@example.org");
	ck_assert_str_eq(e.to,
	    "山田太郎 <taro@example.jp>, Team: a@x.org, b@x.org;");
	ck_assert_str_eq(e.cc, "\"Doe, John\" <d@x.org>");
	ck_assert_str_eq(e.subject, m.subject);
	ck_assert_str_eq(e.message_id, "<1@example.org>");
	ck_assert_str_eq(e.in_reply_to, "<parent@x.org>");
	ck_assert_str_eq(e.references, "<root@x.org> <parent@x.org>");
	mime_envelope_fini(&e);
	free(msg);
}
END_TEST

/* A small deterministic generator (xorshift64*). */
static uint64_t
tb_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717u;
}

/* Random text from a mix of ASCII words, blanks, specials, Latin,
 * CJK and emoji, sometimes a control or an invalid byte. */
static void
tb_random_text(uint64_t *seed, struct buf *b, size_t n)
{
	static const char *const bits[] = {
		"a", "word", " ", "  ", "\t", ",", "\"", "\\", "(", ")", "<",
		"=?", "?=", "_", "=", ":", ";", "@", ".", "é", "ß", "Ж", "日本",
		"語", "🎉", "👩‍💻", "\x01", "\x7f", "\xff", "\xc3", "\r\n",
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		"xxxxxxxxxxxxxxxxxxxx"
	};
	size_t	i;

	for (i = 0; i < n; i++)
		buf_adds(b, bits[tb_rand(seed) % (sizeof bits / sizeof *bits)]);
}

START_TEST(test_random_headers)
{
	struct mime_build_msg		 m;
	struct mime_address_list	 l;
	struct buf			 subj = BUF_INITIALIZER(0);
	struct buf			 name = BUF_INITIALIZER(0);
	struct buf			 to = BUF_INITIALIZER(0);
	uint64_t			 seed = 0x9e3779b97f4a7c15u;
	char				*msg, *v, *want, *d;
	size_t				 len, k;

	for (k = 0; k < 400; k++) {
		buf_reset(&subj);
		buf_reset(&name);
		buf_reset(&to);
		tb_random_text(&seed, &subj, tb_rand(&seed) % 60);
		tb_random_text(&seed, &name, 1 + tb_rand(&seed) % 20);
		/* The name goes in as an encoded word, so that any bytes
		 * reach the phrase encoder unparsed. */
		buf_adds(&to, "=?utf-8?b?");
		mime_build_base64(buf_str(&name), name.len, &to);
		buf_adds(&to, "?= <n@x.org>");
		tb_msg(&m);
		m.subject = buf_str(&subj);
		m.to = buf_str(&to);
		msg = tb_build(&m, &len);
		/* The subject reads back as it went in, made clean. */
		d = tb_decoded(msg, len, "Subject");
		want = mime_build_clean(subj.data != NULL ? subj.data : "",
		    subj.len);
		ck_assert_msg(strcmp(d, want) == 0, "subject \"%s\" read back "
		    "as \"%s\"", want, d);
		free(d);
		free(want);
		/* The name as petrel's address parser reads the built To. */
		v = tb_field(msg, len, "To");
		mime_address_list_parse(v, strlen(v), &l);
		ck_assert_uint_eq(l.n, 1);
		ck_assert_str_eq(l.v[0].addr, "n@x.org");
		want = mime_build_clean(name.data, name.len);
		if (*want == '\0')
			ck_assert_ptr_null(l.v[0].name);
		else
			ck_assert_msg(l.v[0].name != NULL &&
			    strcmp(l.v[0].name, want) == 0, "name \"%s\" read "
			    "back as \"%s\" from %s", want, l.v[0].name, v);
		mime_address_list_fini(&l);
		free(want);
		free(v);
		free(msg);
	}
	buf_fini(&subj);
	buf_fini(&name);
	buf_fini(&to);
}
END_TEST

/* The message suite. */
static Suite *
test_mime_build_suite(void)
{
	Suite	*s = suite_create("mime_build");
	TCase	*tc;

	tc = tcase_create("header");
	tcase_add_test(tc, test_minimal);
	tcase_add_test(tc, test_keep_bcc);
	tcase_add_test(tc, test_date_zones);
	tcase_add_test(tc, test_date_range);
	tcase_add_test(tc, test_date_now);
	tcase_add_test(tc, test_subject_words);
	tcase_add_test(tc, test_subject_fold);
	tcase_add_test(tc, test_msgid);
	tcase_add_test(tc, test_references);
	tcase_add_test(tc, test_extra_headers);
	tcase_add_test(tc, test_envelope);
	tcase_add_test(tc, test_random_headers);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the builder's suites in UTC. */
int
main(void)
{
	SRunner	*sr;
	int	 failed;

	setenv("TZ", "UTC0", 1);
	tzset();
	sr = srunner_create(test_mime_build_suite());
	srunner_add_suite(sr, test_mime_build_addr_suite());
	srunner_add_suite(sr, test_mime_build_parts_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

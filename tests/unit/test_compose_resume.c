/*
 * test_compose_resume.c - unit tests of resuming a postponed draft: a
 * draft petrel built (compose_to_build + mime_build) read back whole,
 * drafts as mutt and Thunderbird save them, un-flowing, attachment
 * names, and hostile or broken drafts (src/compose/compose_resume.c).
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "compose/compose.h"
#include "compose/compose_int.h"
#include "mime/build.h"
#include "util/buf.h"
#include "util/xmalloc.h"
#include "test_compose.h"

/* Who resumes: the draft's own From must win over this one. */
static const struct compose_identity resume_other = {
	"Other <other@example.org>", NULL
};

/* A forwarded message with a text part of its own, which must not be
 * taken for the draft's body. */
static const char inner_msg[] =
    "From: inner@example.com\r\n"
    "Subject: inner\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=in\r\n"
    "\r\n"
    "--in\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "inner text\r\n"
    "--in--\r\n";

/* Resume from raw bytes as the test's identity sees them; must work. */
static void
resume(struct compose_draft *d, const char *msg, size_t len)
{
	struct error	err;
	int		rc;

	memset(d, 0, sizeof *d);
	rc = compose_start(d, COMPOSE_RESUME, &resume_other, msg, len, &err);
	ck_assert_msg(rc == 0, "resume: %s", err.msg);
}

/* Resume from a C string. */
static void
resume_str(struct compose_draft *d, const char *msg)
{
	resume(d, msg, strlen(msg));
}

/* Resuming must fail with code. */
static void
resume_fails(const char *msg, size_t len, enum error_code code)
{
	struct compose_draft	d;
	struct error		err;

	memset(&d, 0, sizeof d);
	ck_assert_int_eq(compose_start(&d, COMPOSE_RESUME, &resume_other, msg,
	    len, &err), -1);
	ck_assert_int_eq(err.code, code);
	ck_assert_ptr_null(d.from);
	ck_assert_ptr_null(d.attach);
}

/* Add an attachment to d. */
static void
add_attach(struct compose_draft *d, const char *name, const char *type,
    const char *charset, const void *data, size_t len, bool is_message)
{
	struct compose_attach	*a;

	d->attach = xreallocarray(d->attach, d->nattach + 1, sizeof *d->attach);
	a = &d->attach[d->nattach++];
	memset(a, 0, sizeof *a);
	a->filename = name != NULL ? xstrdup(name) : NULL;
	a->content_type = xstrdup(type);
	a->charset = charset != NULL ? xstrdup(charset) : NULL;
	a->data = xmalloc(len + 1);
	memcpy(a->data, data, len);
	a->len = len;
	a->is_message = is_message;
}

/* The draft as petrel postpones it: mime_build's message with a Bcc:
 * field put in front (mime_build never writes Bcc). */
static void
build_draft(const struct compose_draft *d, const char *bcc_field,
    bool flowed, struct buf *out)
{
	struct mime_build_msg	 m;
	struct mime_build_part	 parts[8];
	struct error		 err;

	ck_assert_uint_le(d->nattach, 8);
	compose_to_build(d, &m, parts);
	m.date = 1800000000;
	m.flowed = flowed;
	if (bcc_field != NULL)
		buf_adds(out, bcc_field);
	ck_assert_msg(mime_build(&m, out, &err) == 0, "mime_build: %s",
	    err.msg);
}

/* A draft with every field set, non-ASCII everywhere, 3 attachments. */
static void
full_draft(struct compose_draft *d)
{
	unsigned char	bin[256];
	size_t		i;

	for (i = 0; i < sizeof bin; i++)
		bin[i] = (unsigned char)(255 - i);
	memset(d, 0, sizeof *d);
	d->from = xstrdup("Zo\xc3\xab M\xc3\xbcller <zoe@example.org>");
	d->to = xstrdup("\"Doe, John\" <john@example.com>, "
	    "\xc3\x9cnal <unal@example.net>");
	d->cc = xstrdup("cc@example.com");
	d->bcc = xstrdup("J\xc3\xbcrgen <hidden@example.com>");
	d->reply_to = xstrdup("replies@example.org");
	d->subject = xstrdup("Caf\xc3\xa9 \xc3\xbc" "ber alles \xe2\x98\x95 "
	    "and a subject long enough to be folded over more than one line");
	d->in_reply_to = xstrdup("<parent@example.com>");
	d->references = xstrdup("<root@example.com> <parent@example.com>");
	d->body = xstrdup("Hello Zo\xc3\xab,\n\nA line with\ta tab.\n"
	    "> a quoted line\n\n-- \nZo\xc3\xab\n");
	add_attach(d, "r\xc3\xa9sum\xc3\xa9 caf\xc3\xa9.txt", "text/plain",
	    "utf-8", "na\xc3\xafve text\r\nline 2\n", 20, false);
	add_attach(d, "blob.bin", "application/octet-stream", NULL, bin,
	    sizeof bin, false);
	add_attach(d, "Fwd inner.eml", "message/rfc822", NULL, inner_msg,
	    sizeof inner_msg - 1, true);
}

/* Attachment i of got must be attachment i of want. */
static void
check_attach(const struct compose_draft *got, const struct compose_draft *want,
    size_t i)
{
	const struct compose_attach	*g = &got->attach[i], *w = &want->attach[i];

	ck_assert_field(g->filename, w->filename);
	ck_assert_field(g->content_type, w->content_type);
	ck_assert_field(g->charset, w->charset);
	ck_assert_uint_eq(g->len, w->len);
	ck_assert(memcmp(g->data, w->data, w->len) == 0);
	ck_assert_int_eq(g->is_message, w->is_message);
	ck_assert_ptr_null(g->path);
}

/* Every field of got must be that of want. */
static void
check_same(const struct compose_draft *got, const struct compose_draft *want)
{
	size_t	i;

	ck_assert_field(got->from, want->from);
	ck_assert_field(got->to, want->to);
	ck_assert_field(got->cc, want->cc);
	ck_assert_field(got->bcc, want->bcc);
	ck_assert_field(got->reply_to, want->reply_to);
	ck_assert_field(got->subject, want->subject);
	ck_assert_field(got->in_reply_to, want->in_reply_to);
	ck_assert_field(got->references, want->references);
	ck_assert_field(got->body, want->body);
	ck_assert_uint_eq(got->nattach, want->nattach);
	for (i = 0; i < want->nattach; i++)
		check_attach(got, want, i);
}

START_TEST(test_resume_round_trip)
{
	static const char	 bcc[] =
	    "Bcc: =?utf-8?q?J=C3=BCrgen?= <hidden@example.com>\r\n";
	struct compose_draft	 d, back, again;
	struct buf		 out = BUF_INITIALIZER(0);
	bool			 flowed = _i == 1;

	full_draft(&d);
	build_draft(&d, bcc, flowed, &out);
	/* The forwarded message's text must not become the body. */
	ck_assert_ptr_nonnull(strstr(buf_str(&out), "inner text"));
	resume(&back, out.data, out.len);
	check_same(&back, &d);

	/* Postponed and resumed once more: still the same. */
	buf_reset(&out);
	build_draft(&back, bcc, flowed, &out);
	resume(&again, out.data, out.len);
	check_same(&again, &d);
	compose_draft_fini(&again);

	/* No Bcc field: no Bcc. */
	buf_reset(&out);
	build_draft(&back, NULL, flowed, &out);
	resume(&again, out.data, out.len);
	free(d.bcc);
	d.bcc = NULL;
	check_same(&again, &d);
	compose_draft_fini(&again);
	compose_draft_fini(&back);
	compose_draft_fini(&d);
	buf_fini(&out);
}
END_TEST

/* format=flowed: long lines cut by the builder are joined again. */
START_TEST(test_resume_flowed_round_trip)
{
	struct compose_draft	d, back;
	struct buf		out = BUF_INITIALIZER(0);
	const char		*body =
	    "A paragraph long enough that format=flowed must cut it into "
	    "several lines, each with a trailing space, and which the reader "
	    "joins again into the one line it was.\n"
	    "> A quoted line that is also too long to fit on one line of "
	    "seventy-two characters.\n"
	    ">> Deeper.\n"
	    " starts with a space\n"
	    "From here, a line that would be stuffed.\n"
	    "\n-- \nsig\n";

	memset(&d, 0, sizeof d);
	d.from = xstrdup("me@example.org");
	d.to = xstrdup("you@example.com");
	d.body = xstrdup(body);
	build_draft(&d, NULL, true, &out);
	ck_assert_ptr_nonnull(strstr(buf_str(&out), "format=flowed"));
	ck_assert_ptr_nonnull(strstr(buf_str(&out), " \r\n"));	/* cut */
	resume(&back, out.data, out.len);
	ck_assert_field(back.body, body);
	ck_assert_uint_eq(back.nattach, 0);
	compose_draft_fini(&back);
	compose_draft_fini(&d);
	buf_fini(&out);
}
END_TEST

/* A draft with attachments and no text: the builder leaves the text
 * part out, and a text attachment must not become the body. */
START_TEST(test_resume_no_text)
{
	struct compose_draft	d, back;
	struct buf		out = BUF_INITIALIZER(0);

	memset(&d, 0, sizeof d);
	d.from = xstrdup("me@example.org");
	d.body = xstrdup("");
	add_attach(&d, "notes.txt", "text/plain", "us-ascii", "notes\n", 6,
	    false);
	add_attach(&d, NULL, "message/rfc822", NULL, inner_msg,
	    sizeof inner_msg - 1, true);
	build_draft(&d, NULL, false, &out);
	resume(&back, out.data, out.len);
	ck_assert_field(back.to, NULL);
	ck_assert_field(back.subject, NULL);
	check_same(&back, &d);
	compose_draft_fini(&back);
	compose_draft_fini(&d);
	buf_fini(&out);
}
END_TEST

/* Only Bcc: mime_build writes "To: undisclosed-recipients:;", which
 * must not come back as a To. */
START_TEST(test_resume_undisclosed)
{
	struct compose_draft	d, back;
	struct buf		out = BUF_INITIALIZER(0);

	memset(&d, 0, sizeof d);
	d.from = xstrdup("me@example.org");
	d.bcc = xstrdup("a@example.com, b@example.com");
	d.body = xstrdup("x\n");
	build_draft(&d, "Bcc: a@example.com, b@example.com\r\n", false, &out);
	ck_assert_ptr_nonnull(strstr(buf_str(&out), "undisclosed"));
	resume(&back, out.data, out.len);
	check_same(&back, &d);
	compose_draft_fini(&back);
	compose_draft_fini(&d);
	buf_fini(&out);
}
END_TEST

/* A draft as mutt postpones it: latin-1 flowed text, attachments with
 * RFC 2231 names, mutt's own X-Mutt- fields ignored. */
START_TEST(test_resume_mutt)
{
	struct compose_draft	d;

	resume_str(&d,
	    "Date: Tue, 2 Jan 2024 10:00:00 +0100\r\n"
	    "From: Me Myself <me@example.org>\r\n"
	    "To: bob@example.com\r\n"
	    "Cc: \r\n"
	    "Bcc: secret@example.com\r\n"
	    "Subject: =?iso-8859-1?Q?R=E9union?= de\r\n"
	    " =?iso-8859-1?Q?l'=E9quipe?=\r\n"
	    "In-Reply-To: <a@example.com>\r\n"
	    "References: <x@example.com>\r\n <a@example.com>\r\n"
	    "X-Mutt-References: <a@example.com>\r\n"
	    "X-Mutt-Fcc: =sent\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"mutt-bnd\"\r\n"
	    "Content-Disposition: inline\r\n"
	    "\r\n"
	    "--mutt-bnd\r\n"
	    "Content-Type: text/plain; charset=iso-8859-1; format=flowed\r\n"
	    "Content-Disposition: inline\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n"
	    "\r\n"
	    "Bonjour \xe0 tous,\r\n"
	    "\r\n"
	    "voici un paragraphe \r\n"
	    "coup\xe9 en deux.\r\n"
	    "\r\n"
	    "--mutt-bnd\r\n"
	    "Content-Type: application/pdf\r\n"
	    "Content-Disposition: attachment; filename=\"report.pdf\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "\r\n"
	    "JVBERi0xLjQK\r\n"
	    "--mutt-bnd\r\n"
	    "Content-Type: text/x-csrc; charset=us-ascii\r\n"
	    "Content-Disposition: attachment;\r\n"
	    " filename*=UTF-8''%C3%BC" "ber%2Fprog.c\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n"
	    "\r\n"
	    "int main(void) { return 0; }\r\n"
	    "\r\n"
	    "--mutt-bnd--\r\n");
	ck_assert_field(d.from, "Me Myself <me@example.org>");
	ck_assert_field(d.to, "bob@example.com");
	ck_assert_field(d.cc, NULL);
	ck_assert_field(d.bcc, "secret@example.com");
	ck_assert_field(d.subject,
	    "R\xc3\xa9union de l'\xc3\xa9quipe");
	ck_assert_field(d.in_reply_to, "<a@example.com>");
	ck_assert_field(d.references, "<x@example.com> <a@example.com>");
	ck_assert_field(d.body, "Bonjour \xc3\xa0 tous,\n\nvoici un "
	    "paragraphe coup\xc3\xa9 en deux.\n");
	ck_assert_uint_eq(d.nattach, 2);
	ck_assert_field(d.attach[0].filename, "report.pdf");
	ck_assert_field(d.attach[0].content_type, "application/pdf");
	ck_assert_field(d.attach[0].charset, NULL);
	ck_assert_uint_eq(d.attach[0].len, 9);
	ck_assert(memcmp(d.attach[0].data, "%PDF-1.4\n", 9) == 0);
	ck_assert(!d.attach[0].is_message);
	ck_assert_field(d.attach[1].filename, "prog.c");	/* dir dropped */
	ck_assert_field(d.attach[1].content_type, "text/x-csrc");
	ck_assert_field(d.attach[1].charset, "us-ascii");
	ck_assert_uint_eq(d.attach[1].len, 30);
	ck_assert(memcmp(d.attach[1].data, "int main(void) { return 0; }\r\n",
	    30) == 0);
	compose_draft_fini(&d);
}
END_TEST

/* Thunderbird: multipart/mixed holding a multipart/alternative (text
 * and HTML) and an attachment; no From falls back to the identity. */
START_TEST(test_resume_thunderbird)
{
	struct compose_draft	d;

	resume_str(&d,
	    "X-Mozilla-Draft-Info: internal/draft; vcard=0; receipt=0; "
	    "DSN=0; uuencode=0;\r\n attachmentreminder=0; deliveryformat=4\r\n"
	    "X-Identity-Key: id1\r\n"
	    "Message-ID: <tb@example.org>\r\n"
	    "Date: Mon, 1 Jan 2024 10:00:00 +0100\r\n"
	    "MIME-Version: 1.0\r\n"
	    "User-Agent: Mozilla Thunderbird\r\n"
	    "To: \"Smith, Anna\" <anna@example.com>\r\n"
	    "Subject: Draft with HTML\r\n"
	    "Content-Type: multipart/mixed;\r\n"
	    " boundary=\"------------tb1\"\r\n"
	    "\r\n"
	    "This is a multi-part message in MIME format.\r\n"
	    "--------------tb1\r\n"
	    "Content-Type: multipart/alternative;\r\n"
	    " boundary=\"------------tb2\"\r\n"
	    "\r\n"
	    "--------------tb2\r\n"
	    "Content-Type: text/plain; charset=UTF-8; format=flowed\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n"
	    "\r\n"
	    "Hi Anna,\r\n"
	    "\r\n"
	    "see attached.\r\n"
	    "\r\n"
	    "--------------tb2\r\n"
	    "Content-Type: text/html; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n"
	    "\r\n"
	    "<html><body><p>Hi Anna,</p><p>see <b>attached</b>.</p>"
	    "</body></html>\r\n"
	    "\r\n"
	    "--------------tb2--\r\n"
	    "--------------tb1\r\n"
	    "Content-Type: image/png; name=\"dot.png\"\r\n"
	    "Content-Disposition: attachment; filename=\"dot.png\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "\r\n"
	    "iVBORw0KGgo=\r\n"
	    "\r\n"
	    "--------------tb1--\r\n");
	ck_assert_field(d.from, "Other <other@example.org>");
	ck_assert_field(d.to, "\"Smith, Anna\" <anna@example.com>");
	ck_assert_field(d.subject, "Draft with HTML");
	ck_assert_field(d.in_reply_to, NULL);
	ck_assert_field(d.body, "Hi Anna,\n\nsee attached.\n");
	ck_assert_uint_eq(d.nattach, 1);
	ck_assert_field(d.attach[0].filename, "dot.png");
	ck_assert_field(d.attach[0].content_type, "image/png");
	ck_assert_uint_eq(d.attach[0].len, 8);
	ck_assert(memcmp(d.attach[0].data, "\x89PNG\r\n\x1a\n", 8) == 0);
	compose_draft_fini(&d);
}
END_TEST

/* An HTML-only draft: the text is what the pager shows of it. */
START_TEST(test_resume_html_only)
{
	struct compose_draft	d;

	resume_str(&d,
	    "From: me@example.org\r\n"
	    "Content-Type: multipart/alternative; boundary=b\r\n"
	    "\r\n"
	    "--b\r\n"
	    "Content-Type: multipart/related; boundary=r\r\n"
	    "\r\n"
	    "--r\r\n"
	    "Content-Type: text/html; charset=iso-8859-1\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n"
	    "\r\n"
	    "<p>Ol=E1 <b>mundo</b></p><img src=3D\"cid:x\">\r\n"
	    "--r\r\n"
	    "Content-Type: image/gif\r\n"
	    "Content-ID: <x>\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "\r\n"
	    "R0lGODlh\r\n"
	    "--r--\r\n"
	    "--b--\r\n");
	ck_assert_ptr_nonnull(strstr(d.body, "Ol\xc3\xa1 mundo"));
	ck_assert_ptr_null(strchr(d.body, '<'));
	ck_assert_uint_eq(d.nattach, 0);	/* the inline image goes */
	compose_draft_fini(&d);

	resume_str(&d, "From: me@example.org\r\n"
	    "Content-Type: text/html\r\n\r\n<div>Just <i>HTML</i></div>\r\n");
	ck_assert_ptr_nonnull(strstr(d.body, "Just HTML"));
	ck_assert_uint_eq(d.nattach, 0);
	compose_draft_fini(&d);
}
END_TEST

/* A single non-text part is an attachment and the body is empty. */
START_TEST(test_resume_single_attachment)
{
	struct compose_draft	d;

	resume_str(&d, "From: me@example.org\r\n"
	    "Content-Type: application/zip; name=\"a.zip\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\nUEsDBA==\r\n");
	ck_assert_field(d.body, "");
	ck_assert_uint_eq(d.nattach, 1);
	ck_assert_field(d.attach[0].filename, "a.zip");
	ck_assert_field(d.attach[0].content_type, "application/zip");
	ck_assert_uint_eq(d.attach[0].len, 4);
	ck_assert(memcmp(d.attach[0].data, "PK\x03\x04", 4) == 0);
	compose_draft_fini(&d);

	/* A whole message: one attachment, not its parts. */
	resume_str(&d, "From: me@example.org\r\n"
	    "Content-Type: message/rfc822\r\n\r\n"
	    "From: x@example.com\r\nContent-Type: multipart/mixed; "
	    "boundary=i\r\n\r\n--i\r\n\r\ninner\r\n--i\r\n"
	    "Content-Type: image/gif\r\n\r\nGIF\r\n--i--\r\n");
	ck_assert_field(d.body, "");
	ck_assert_uint_eq(d.nattach, 1);
	ck_assert(d.attach[0].is_message);
	ck_assert_field(d.attach[0].content_type, "message/rfc822");
	ck_assert_uint_eq(d.attach[0].len, 124);
	compose_draft_fini(&d);
}
END_TEST

/* Names from the draft are made safe, as attaching a file makes them. */
START_TEST(test_resume_names)
{
	struct compose_draft	d;

	resume_str(&d, "From: me@example.org\r\n"
	    "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
	    "--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n"
	    "--b\r\nContent-Disposition: attachment; "
	    "filename=\"../../etc/passwd\"\r\n\r\nx\r\n"
	    "--b\r\nContent-Disposition: attachment; "
	    "filename=\"evil\x1b[31m\x07.txt\"\r\n\r\nx\r\n"
	    "--b\r\nContent-Disposition: attachment; "
	    "filename*=utf-8''a%01b%C2%9Bc\r\n\r\nx\r\n"
	    "--b\r\nContent-Disposition: attachment; filename=\"..\"\r\n"
	    "Content-Type: bad type/\"x\"; charset=\"a b\"\r\n\r\nx\r\n"
	    "--b\r\nContent-Type: text/plain; charset=\"utf-8\"\r\n"
	    "Content-Disposition: attachment; filename="
	    "\"=?utf-8?q?caf=C3=A9?=.txt\"\r\n\r\nx\r\n"
	    "--b--\r\n");
	ck_assert_field(d.body, "body");	/* the CRLF is the delimiter's */
	ck_assert_uint_eq(d.nattach, 5);
	ck_assert_field(d.attach[0].filename, "passwd");
	ck_assert_field(d.attach[0].content_type, "text/plain");
	ck_assert_field(d.attach[1].filename, "evil_[31m_.txt");
	ck_assert_field(d.attach[2].filename, "a_b_c");
	ck_assert_field(d.attach[3].filename, NULL);
	ck_assert_field(d.attach[3].charset, NULL);
	ck_assert_field(d.attach[4].filename, "caf\xc3\xa9.txt");
	ck_assert_field(d.attach[4].charset, "utf-8");
	compose_draft_fini(&d);
}
END_TEST

/* Control characters and bad bytes never reach a field. */
START_TEST(test_resume_hostile)
{
	struct compose_draft	d;

	resume_str(&d, "From: \"Ev\x1b[2Jil\" <e@example.com>\r\n"
	    "To: a@example.com\x07, =?utf-8?q?b=0D=0A?= <b@example.com>\r\n"
	    "Subject: =?utf-8?q?x=1B]0;title=07y?= \xff\r\n"
	    "In-Reply-To: junk <ok@x> \x01\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n\r\n"
	    "line\x1b[31m red\r\n\x7f\x08tab\there\r\n\xc3");
	ck_assert_field(d.from, "Evil <e@example.com>");
	ck_assert_field(d.to, "a@example.com, b <b@example.com>");
	ck_assert_field(d.subject, "xy \xc3\xbf");	/* OSC gone */
	ck_assert_field(d.in_reply_to, "<ok@x>");
	ck_assert_field(d.body, "line red\ntab\there\n\xef\xbf\xbd");
	compose_draft_fini(&d);
}
END_TEST

/* Garbage gives a draft (best effort) or an error, never a crash. */
START_TEST(test_resume_garbage)
{
	static const char *const junk[] = {
		"",
		"\r\n\r\n",
		"no header at all",
		"Content-Type: multipart/mixed\r\n\r\n--x\r\nno boundary\r\n",
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
		    "Content-Type: message/rfc822\r\n"
		    "Content-Transfer-Encoding: base64\r\n\r\n!!!!\r\n--b",
		"From: <>\r\nTo: ,,,;\r\nBcc: undisclosed:;\r\n\r\n",
		"To: ,,,;:<@>\r\nCc: <<<>\r\nReferences: <<<\r\n\r\n",
		"Content-Type: text/plain; format=flowed; delsp=yes\r\n\r\n"
		    "a \r\nb \r\n>c \r\n",
	};
	struct compose_draft	d;
	size_t			i;

	for (i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		resume_str(&d, junk[i]);
		ck_assert_ptr_nonnull(d.body);
		ck_assert_field(d.from, "Other <other@example.org>");
		compose_draft_fini(&d);
	}
	resume(&d, NULL, 0);
	ck_assert_field(d.body, "");
	ck_assert_uint_eq(d.nattach, 0);
	compose_draft_fini(&d);
	resume_str(&d, junk[4]);		/* an unreadable message */
	ck_assert_uint_eq(d.nattach, 1);
	ck_assert(d.attach[0].is_message);
	compose_draft_fini(&d);
	resume_str(&d, junk[5]);
	ck_assert_field(d.to, NULL);
	ck_assert_field(d.bcc, NULL);
	compose_draft_fini(&d);
	resume_str(&d, junk[7]);
	ck_assert_field(d.body, "ab\n> c\n");
	compose_draft_fini(&d);
}
END_TEST

/* A multipart draft with n attachments (a C string, new). */
static char *
many_parts(size_t n)
{
	struct buf	b = BUF_INITIALIZER(0);
	size_t		i;

	buf_adds(&b, "From: me@example.org\r\n"
	    "Content-Type: multipart/mixed; boundary=b\r\n\r\n");
	for (i = 0; i < n; i++)
		buf_printf(&b, "--b\r\nContent-Type: application/x-n\r\n"
		    "Content-Disposition: attachment; filename=%zu\r\n\r\n"
		    "%zu\r\n", i, i);
	buf_adds(&b, "--b--\r\n");
	return buf_take(&b);
}

/* The bounds: size, attachment count, parts the tree could not hold. */
START_TEST(test_resume_bounds)
{
	struct compose_draft	 d;
	char			*msg, *big;

	msg = many_parts(COMPOSE_RESUME_ATTACH_MAX);
	resume_str(&d, msg);
	ck_assert_uint_eq(d.nattach, COMPOSE_RESUME_ATTACH_MAX);
	ck_assert_field(d.attach[255].filename, "255");
	ck_assert_uint_eq(d.attach[255].len, 3);
	compose_draft_fini(&d);
	free(msg);
	msg = many_parts(COMPOSE_RESUME_ATTACH_MAX + 1);
	resume_fails(msg, strlen(msg), ERR_TOOBIG);
	free(msg);
	msg = many_parts(600);			/* past the part tree's cap */
	resume_fails(msg, strlen(msg), ERR_TOOBIG);
	free(msg);

	/* Never read: the size is refused first. */
	big = xcalloc(1, (size_t)COMPOSE_EDIT_MAX + 1);
	resume_fails(big, (size_t)COMPOSE_EDIT_MAX + 1, ERR_TOOBIG);
	free(big);
}
END_TEST

/* An attachment over COMPOSE_ATTACH_MAX once decoded is refused. */
START_TEST(test_resume_attach_too_big)
{
	struct buf	 b = BUF_INITIALIZER(0);
	char		*w;
	size_t		 n = COMPOSE_ATTACH_MAX + 16;

	buf_adds(&b, "From: me@example.org\r\n"
	    "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
	    "Content-Disposition: attachment; filename=big\r\n\r\n");
	ck_assert_ptr_nonnull(w = buf_reserve(&b, n));
	memset(w, 'x', n);
	buf_commit(&b, n);
	buf_adds(&b, "\r\n--b--\r\n");
	resume_fails(b.data, b.len, ERR_TOOBIG);
	buf_fini(&b);
}
END_TEST

/* One un-flowing case: input, delsp, output. */
struct unflow_case {
	const char	*in;
	bool		 delsp;
	const char	*want;
};

static const struct unflow_case unflow_cases[] = {
	{ "a \nb\n", false, "a b\n" },
	{ "a \nb\n", true, "ab\n" },
	{ "a \nb \nc\nd\n", false, "a b c\nd\n" },
	{ "> a \n> b\n", false, "> a b\n" },
	{ ">a \n>b\n", false, "> a b\n" },
	{ ">> a \n> b\n", false, ">> a \n> b\n" },	/* depth changed */
	{ "> > a\n", false, "> > a\n" },
	{ ">\n", false, ">\n" },
	{ " From x\n  two\n", false, "From x\n two\n" },
	{ "-- \nsig\n", false, "-- \nsig\n" },
	{ "a \n-- \nsig\n", false, "a -- \nsig\n" },
	{ "last \n", false, "last \n" },
	{ "no newline", false, "no newline" },
	{ "a \n\nb\n", false, "a \nb\n" },
	{ "", false, "" },
};

START_TEST(test_unflow_table)
{
	const struct unflow_case	*c = &unflow_cases[_i];
	struct buf			 out = BUF_INITIALIZER(0);

	compose_unflow(c->in, strlen(c->in), c->delsp, &out);
	ck_assert_msg(strcmp(buf_str(&out), c->want) == 0,
	    "case %d: got \"%s\", want \"%s\"", _i, buf_str(&out), c->want);
	buf_fini(&out);
}
END_TEST

/* The suite of this file. */
Suite *
test_compose_resume_suite(void)
{
	Suite	*s = suite_create("compose_resume");
	TCase	*tc = tcase_create("resume");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_resume_round_trip, 0, 2);
	tcase_add_test(tc, test_resume_flowed_round_trip);
	tcase_add_test(tc, test_resume_no_text);
	tcase_add_test(tc, test_resume_undisclosed);
	tcase_add_test(tc, test_resume_mutt);
	tcase_add_test(tc, test_resume_thunderbird);
	tcase_add_test(tc, test_resume_html_only);
	tcase_add_test(tc, test_resume_single_attachment);
	tcase_add_test(tc, test_resume_names);
	tcase_add_test(tc, test_resume_hostile);
	tcase_add_test(tc, test_resume_garbage);
	tcase_add_test(tc, test_resume_bounds);
	tcase_add_test(tc, test_resume_attach_too_big);
	tcase_add_loop_test(tc, test_unflow_table, 0,
	    sizeof unflow_cases / sizeof unflow_cases[0]);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * test_imap_bodystructure.c - the BODYSTRUCTURE parser on responses in
 * the shapes Gmail, Exchange/Outlook.com and Dovecot send, on the quirks
 * other clients' bug trackers recorded, and on malformed input.
 *
 * The samples are written for petrel in the shapes those servers use
 * (uppercase atoms and three extension fields from Gmail, four and
 * CREATION-DATE disposition parameters from Exchange, lowercase and
 * literals for 8-bit strings from Dovecot); none is copied from a
 * third-party corpus.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "net/imap_bodystructure.h"
#include "util/xmalloc.h"

/* Parse a FETCH response and build its tree, asserting success. */
static struct imap_bs_part *
bs_ok(const char *s)
{
	struct imap_response	 r;
	struct imap_bs_part	*root;
	struct error		 err;

	error_clear(&err);
	ck_assert_msg(imap_parse_response(s, strlen(s), &r, &err) == 0,
	    "response parse failed: %s", err.msg);
	ck_assert_msg(imap_bs_from_fetch(&r, &root, &err) == 0,
	    "BODYSTRUCTURE failed: %s", err.msg);
	ck_assert_ptr_nonnull(root);
	imap_response_fini(&r);
	return root;
}

/* Build a tree from a response, asserting failure with the given code. */
static void
bs_bad(const char *s, enum error_code code)
{
	struct imap_response	 r;
	struct imap_bs_part	*root = (struct imap_bs_part *)&r;
	struct error		 err;

	error_clear(&err);
	ck_assert_msg(imap_parse_response(s, strlen(s), &r, &err) == 0,
	    "response parse failed: %s", err.msg);
	ck_assert_msg(imap_bs_from_fetch(&r, &root, &err) == -1,
	    "accepted: %s", s);
	ck_assert_ptr_null(root);
	ck_assert_int_eq(err.code, code);
	ck_assert_int_eq(err.scope, ERR_SCOPE_MESSAGE);
	imap_response_fini(&r);
}

/* Compare a possibly-NULL string. */
static void
str_eq(const char *got, const char *want)
{
	if (want == NULL) {
		ck_assert_ptr_null(got);
		return;
	}
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, want);
}

/* Find a section, asserting its kind and media type. */
static const struct imap_bs_part *
part_at(const struct imap_bs_part *root, const char *section,
    enum imap_bs_kind kind, const char *type, const char *subtype)
{
	const struct imap_bs_part	*p;

	p = imap_bs_find_section(root, section);
	ck_assert_msg(p != NULL, "no section %s", section);
	ck_assert_str_eq(p->section, section);
	ck_assert_int_eq(p->kind, kind);
	str_eq(p->type, type);
	str_eq(p->subtype, subtype);
	return p;
}

/* Gmail: mixed > alternative > plain + html, PDF attachment, 3 ext. */
static const char gmail[] =
    "* 12 FETCH (UID 4711 BODYSTRUCTURE (((\"TEXT\" \"PLAIN\" (\"CHARSET\" "
    "\"UTF-8\") NIL NIL \"QUOTED-PRINTABLE\" 1234 30 NIL NIL NIL)(\"TEXT\" "
    "\"HTML\" (\"CHARSET\" \"UTF-8\") NIL NIL \"QUOTED-PRINTABLE\" 5678 80 "
    "NIL NIL NIL) \"ALTERNATIVE\" (\"BOUNDARY\" \"000000000000a1b2c3d4e5f6"
    "0718\") NIL NIL)(\"APPLICATION\" \"PDF\" (\"NAME\" \"invoice 2024-03."
    "pdf\") \"<f_lq2x9k0a0>\" NIL \"BASE64\" 53422 NIL (\"ATTACHMENT\" "
    "(\"FILENAME\" \"invoice 2024-03.pdf\")) NIL) \"MIXED\" (\"BOUNDARY\" "
    "\"000000000000b2c3d4e5f6071829\") NIL NIL) FLAGS (\\Seen))\r\n";

START_TEST(test_gmail)
{
	struct imap_bs_part		*root = bs_ok(gmail);
	const struct imap_bs_part	*p;

	ck_assert_int_eq(root->kind, IMAP_BS_MULTIPART);
	str_eq(root->subtype, "mixed");
	str_eq(root->section, "");
	ck_assert_ptr_null(root->parent);
	ck_assert_uint_eq(root->nparts, 2);
	str_eq(imap_bs_param_get(&root->params, "boundary"),
	    "000000000000b2c3d4e5f6071829");
	ck_assert_ptr_null(root->disposition);
	ck_assert_uint_eq(imap_bs_count(root), 5);

	p = part_at(root, "1", IMAP_BS_MULTIPART, "multipart", "alternative");
	ck_assert_ptr_eq(p->parent, root);
	str_eq(imap_bs_param_get(&p->params, "BOUNDARY"),
	    "000000000000a1b2c3d4e5f60718");

	p = part_at(root, "1.1", IMAP_BS_TEXT, "text", "plain");
	str_eq(imap_bs_param_get(&p->params, "charset"), "UTF-8");
	str_eq(p->params.v[0].name, "charset");
	str_eq(p->encoding, "quoted-printable");
	ck_assert_uint_eq(p->size, 1234);
	ck_assert(p->has_lines);
	ck_assert_uint_eq(p->lines, 30);
	ck_assert_ptr_null(p->id);
	ck_assert_ptr_null(p->md5);
	ck_assert_ptr_null(p->location);
	ck_assert_ptr_eq(imap_bs_find_text(root, "plain"), p);

	p = part_at(root, "1.2", IMAP_BS_TEXT, "text", "html");
	ck_assert_uint_eq(p->lines, 80);
	ck_assert_ptr_eq(imap_bs_find_text(root, "html"), p);

	p = part_at(root, "2", IMAP_BS_BASIC, "application", "pdf");
	str_eq(p->id, "<f_lq2x9k0a0>");
	str_eq(p->encoding, "base64");
	ck_assert_uint_eq(p->size, 53422);
	ck_assert(!p->has_lines);
	str_eq(p->disposition, "attachment");
	str_eq(imap_bs_param_get(&p->dsp_params, "filename"),
	    "invoice 2024-03.pdf");
	str_eq(imap_bs_param_get(&p->params, "name"), "invoice 2024-03.pdf");
	ck_assert_uint_eq(p->nlanguage, 0);

	ck_assert_ptr_null(imap_bs_find_section(root, "3"));
	ck_assert_ptr_null(imap_bs_find_section(root, ""));
	ck_assert_ptr_null(imap_bs_find_text(root, "calendar"));
	imap_bs_free(root);
}
END_TEST

/*
 * Exchange / Outlook.com: mixed > (related > (alternative > plain + html)
 * + inline image) + docx + an attached message sent without envelope,
 * four extension fields, a description sent as a literal.
 */
static const char exchange[] =
    "* 3 FETCH (BODYSTRUCTURE ((((\"TEXT\" \"PLAIN\" (\"CHARSET\" "
    "\"us-ascii\") NIL NIL \"QUOTED-PRINTABLE\" 2210 52 NIL NIL NIL NIL)"
    "(\"TEXT\" \"HTML\" (\"CHARSET\" \"us-ascii\") NIL NIL \"QUOTED-"
    "PRINTABLE\" 9874 176 NIL NIL NIL NIL) \"ALTERNATIVE\" (\"BOUNDARY\" "
    "\"_000_DB9PR08MB1234ABCDEFDB9PR08MB1234eurp_\") NIL NIL NIL)(\"IMAGE\" "
    "\"PNG\" (\"NAME\" \"image001.png\") \"<image001.png@01DA1234.56789AB0>\""
    " \"image001.png\" \"BASE64\" 13588 NIL (\"INLINE\" (\"FILENAME\" "
    "\"image001.png\" \"SIZE\" \"9928\" \"CREATION-DATE\" \"Tue, 05 Mar 2024"
    " 10:11:12 GMT\" \"MODIFICATION-DATE\" \"Tue, 05 Mar 2024 10:11:12 GMT\""
    ")) NIL NIL) \"RELATED\" (\"BOUNDARY\" \"_006_DB9PR08MB1234_\" \"TYPE\" "
    "\"multipart/alternative\") NIL NIL NIL)(\"APPLICATION\" \"VND.OPENXML"
    "FORMATS-OFFICEDOCUMENT.WORDPROCESSINGML.DOCUMENT\" (\"NAME\" "
    "\"Quarterly report.docx\") NIL {20}\r\nQuarterly \"report\".x \"BASE64\""
    " 40122 NIL (\"ATTACHMENT\" (\"FILENAME\" \"Quarterly report.docx\" "
    "\"SIZE\" \"29317\")) NIL NIL)(\"MESSAGE\" \"RFC822\" (\"NAME\" "
    "\"Fwd: hello.eml\") NIL NIL \"7BIT\" 4079755 NIL (\"ATTACHMENT\" "
    "(\"FILENAME\" \"Fwd: hello.eml\")) NIL NIL) \"MIXED\" (\"BOUNDARY\" "
    "\"_004_DB9PR08MB1234_\") NIL NIL NIL) UID 1234)\r\n";

START_TEST(test_exchange)
{
	struct imap_bs_part		*root = bs_ok(exchange);
	const struct imap_bs_part	*p;

	ck_assert_uint_eq(root->nparts, 3);
	ck_assert_uint_eq(imap_bs_count(root), 8);
	p = part_at(root, "1", IMAP_BS_MULTIPART, "multipart", "related");
	str_eq(imap_bs_param_get(&p->params, "type"),
	    "multipart/alternative");
	part_at(root, "1.1", IMAP_BS_MULTIPART, "multipart", "alternative");
	p = part_at(root, "1.1.1", IMAP_BS_TEXT, "text", "plain");
	ck_assert_ptr_eq(imap_bs_find_text(root, "plain"), p);
	str_eq(imap_bs_param_get(&p->params, "charset"), "us-ascii");
	part_at(root, "1.1.2", IMAP_BS_TEXT, "text", "html");

	p = part_at(root, "1.2", IMAP_BS_BASIC, "image", "png");
	str_eq(p->id, "<image001.png@01DA1234.56789AB0>");
	str_eq(p->description, "image001.png");
	str_eq(p->disposition, "inline");
	ck_assert_uint_eq(p->dsp_params.n, 4);
	str_eq(imap_bs_param_get(&p->dsp_params, "size"), "9928");
	str_eq(p->dsp_params.v[2].name, "creation-date");

	p = part_at(root, "2", IMAP_BS_BASIC, "application",
	    "vnd.openxmlformats-officedocument.wordprocessingml.document");
	str_eq(p->description, "Quarterly \"report\".x");
	ck_assert_uint_eq(p->size, 40122);

	/* Exchange sends attached messages without envelope and body. */
	p = part_at(root, "3", IMAP_BS_BASIC, "message", "rfc822");
	ck_assert_ptr_null(p->env);
	ck_assert_uint_eq(p->nparts, 0);
	ck_assert_uint_eq(p->size, 4079755);
	str_eq(p->disposition, "attachment");
	str_eq(imap_bs_param_get(&p->dsp_params, "filename"),
	    "Fwd: hello.eml");
	ck_assert_ptr_null(imap_bs_find_section(root, "3.1"));
	imap_bs_free(root);
}
END_TEST

/*
 * Dovecot: lowercase, four extension fields, an attached message with
 * envelope (8-bit display name as a literal), RFC 2231 file names joined
 * ("filename*") and as continuations, an odd charset.
 */
static const char dovecot[] =
    "* 7 FETCH (UID 7 BODYSTRUCTURE (((\"text\" \"plain\" (\"charset\" "
    "\"iso-8859-1\" \"format\" \"flowed\") NIL NIL \"quoted-printable\" 412 "
    "12 NIL NIL NIL NIL)(\"text\" \"html\" (\"charset\" \"iso-8859-1\") NIL "
    "NIL \"quoted-printable\" 1201 30 NIL NIL NIL NIL) \"alternative\" "
    "(\"boundary\" \"b2\") NIL NIL NIL)(\"message\" \"rfc822\" NIL NIL NIL "
    "\"7bit\" 812 (\"Tue, 5 Mar 2024 09:00:00 +0100\" \"Re: =?utf-8?q?Gr=C3"
    "=BC=C3=9Fe?=\" (({5}\r\nJ\xc3\xb6rg NIL \"joerg\" \"example.de\")) "
    "((NIL NIL \"joerg\" \"example.de\")) ((NIL NIL \"joerg\" \"example.de\""
    ")) ((NIL NIL \"team\" NIL)(\"Ann\" NIL \"ann\" \"example.org\")(NIL NIL"
    " NIL NIL)) NIL NIL \"<orig@example.de>\" \"<fwd@example.de>\") (\"text"
    "\" \"plain\" (\"charset\" \"x-unknown-8bit\") NIL NIL \"8bit\" 120 4 NIL"
    " NIL NIL NIL) 22 NIL (\"attachment\" NIL) NIL NIL)(\"application\" "
    "\"octet-stream\" (\"name\" {10}\r\nna\xc3\xafve.bin) NIL NIL \"base64\" "
    "1024 NIL (\"attachment\" (\"filename*\" \"utf-8''%E2%82%AC%20rates.txt"
    "\" \"size\" \"740\")) (\"de\" \"en-GB\") \"http://example.org/x\")"
    "(\"text\" \"plain\" (\"charset\" \"ks_c_5601-1987\") NIL NIL \"base64\""
    " 96 2 NIL (\"attachment\" (\"filename*0*\" \"utf-8''%E6%97%A5%E6%9C%AC"
    "\" \"filename*1*\" \"%E8%AA%9E.txt\")) \"ko\" NIL) \"mixed\" "
    "(\"boundary\" \"b1\") NIL NIL NIL))\r\n";

START_TEST(test_dovecot)
{
	struct imap_bs_part		*root = bs_ok(dovecot);
	const struct imap_bs_part	*p, *m;
	const struct imap_bs_envelope	*e;

	ck_assert_uint_eq(root->nparts, 4);
	p = part_at(root, "1.1", IMAP_BS_TEXT, "text", "plain");
	str_eq(imap_bs_param_get(&p->params, "format"), "flowed");
	ck_assert_ptr_eq(imap_bs_find_text(root, "plain"), p);

	m = part_at(root, "2", IMAP_BS_MESSAGE, "message", "rfc822");
	ck_assert_uint_eq(m->lines, 22);
	ck_assert(m->has_lines);
	str_eq(m->disposition, "attachment");
	ck_assert_uint_eq(m->dsp_params.n, 0);
	ck_assert_uint_eq(m->nparts, 1);
	e = m->env;
	ck_assert_ptr_nonnull(e);
	str_eq(e->date, "Tue, 5 Mar 2024 09:00:00 +0100");
	str_eq(e->subject, "Re: =?utf-8?q?Gr=C3=BC=C3=9Fe?=");
	ck_assert_uint_eq(e->from.n, 1);
	str_eq(e->from.v[0].name, "J\xc3\xb6rg");
	str_eq(e->from.v[0].mailbox, "joerg");
	ck_assert_ptr_null(e->from.v[0].adl);
	ck_assert_uint_eq(e->to.n, 3);
	str_eq(e->to.v[0].mailbox, "team");		/* group start */
	ck_assert_ptr_null(e->to.v[0].host);
	ck_assert_ptr_null(e->to.v[2].mailbox);		/* group end */
	ck_assert_uint_eq(e->cc.n, 0);
	str_eq(e->in_reply_to, "<orig@example.de>");
	str_eq(e->message_id, "<fwd@example.de>");

	/* The single body of an attached message is N.1. */
	p = part_at(root, "2.1", IMAP_BS_TEXT, "text", "plain");
	ck_assert_ptr_eq(p->parent, m);
	str_eq(imap_bs_param_get(&p->params, "charset"), "x-unknown-8bit");
	str_eq(p->encoding, "8bit");

	p = part_at(root, "3", IMAP_BS_BASIC, "application", "octet-stream");
	str_eq(imap_bs_param_get(&p->params, "name"), "na\xc3\xafve.bin");
	str_eq(imap_bs_param_get(&p->dsp_params, "filename*"),
	    "utf-8''%E2%82%AC%20rates.txt");
	ck_assert_ptr_null(imap_bs_param_get(&p->dsp_params, "filename"));
	ck_assert_uint_eq(p->nlanguage, 2);
	str_eq(p->language[0], "de");
	str_eq(p->language[1], "en-GB");
	str_eq(p->location, "http://example.org/x");

	p = part_at(root, "4", IMAP_BS_TEXT, "text", "plain");
	str_eq(imap_bs_param_get(&p->params, "charset"), "ks_c_5601-1987");
	str_eq(p->dsp_params.v[0].name, "filename*0*");
	str_eq(p->dsp_params.v[1].value, "%E8%AA%9E.txt");
	ck_assert_uint_eq(p->nlanguage, 1);
	str_eq(p->language[0], "ko");
	ck_assert_ptr_null(p->location);
	imap_bs_free(root);
}
END_TEST

/* A single-part message is part 1; BODY (no extension data) works. */
START_TEST(test_single_part)
{
	struct imap_bs_part	*root;

	root = bs_ok("* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" "
	    "\"utf-8\") NIL NIL \"7BIT\" 27 1))\r\n");
	ck_assert_int_eq(root->kind, IMAP_BS_TEXT);
	str_eq(root->section, "1");
	ck_assert_uint_eq(root->lines, 1);
	ck_assert_ptr_null(root->md5);
	ck_assert_ptr_null(root->disposition);
	ck_assert_ptr_eq(imap_bs_find_text(root, "plain"), root);
	ck_assert_ptr_eq(imap_bs_find_section(root, "1"), root);
	imap_bs_free(root);

	/* BODYSTRUCTURE wins over BODY, whatever the order. */
	root = bs_ok("* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\""
	    " 1 1) BODY[] {2}\r\nab BODYSTRUCTURE (\"IMAGE\" \"GIF\" NIL NIL "
	    "NIL \"BASE64\" 10 \"Q2hlY2sgSW50ZWdyaXR5IQ==\"))\r\n");
	ck_assert_int_eq(root->kind, IMAP_BS_BASIC);
	str_eq(root->subtype, "gif");
	str_eq(root->md5, "Q2hlY2sgSW50ZWdyaXR5IQ==");
	ck_assert_ptr_null(imap_bs_find_text(root, "plain"));
	imap_bs_free(root);
}
END_TEST

/* The numbering example of RFC 3501 section 6.4.5, rebuilt. */
#define T_PLAIN	"(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1)"
#define T_OCTET	"(\"APPLICATION\" \"OCTET-STREAM\" NIL NIL NIL \"BASE64\" 1)"
#define T_ENV	"(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)"

START_TEST(test_rfc3501_numbering)
{
	static const char resp[] = "* 1 FETCH (BODYSTRUCTURE (" T_PLAIN
	    T_OCTET "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 1 " T_ENV
	    " (" T_PLAIN T_OCTET " \"MIXED\") 1)((\"IMAGE\" \"GIF\" NIL NIL NIL"
	    " \"BASE64\" 1)(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 1 "
	    T_ENV " (" T_PLAIN "(" T_PLAIN "(\"TEXT\" \"RICHTEXT\" NIL NIL NIL"
	    " \"7BIT\" 1 1) \"ALTERNATIVE\") \"MIXED\") 1) \"MIXED\") "
	    "\"MIXED\"))\r\n";
	struct imap_bs_part		*root = bs_ok(resp);
	const struct imap_bs_part	*p;

	part_at(root, "1", IMAP_BS_TEXT, "text", "plain");
	part_at(root, "2", IMAP_BS_BASIC, "application", "octet-stream");
	p = part_at(root, "3", IMAP_BS_MESSAGE, "message", "rfc822");
	/* The multipart body of 3 shares its number. */
	str_eq(p->parts[0].section, "3");
	str_eq(p->parts[0].subtype, "mixed");
	part_at(root, "3.1", IMAP_BS_TEXT, "text", "plain");
	part_at(root, "3.2", IMAP_BS_BASIC, "application", "octet-stream");
	part_at(root, "4", IMAP_BS_MULTIPART, "multipart", "mixed");
	part_at(root, "4.1", IMAP_BS_BASIC, "image", "gif");
	part_at(root, "4.2", IMAP_BS_MESSAGE, "message", "rfc822");
	part_at(root, "4.2.1", IMAP_BS_TEXT, "text", "plain");
	part_at(root, "4.2.2", IMAP_BS_MULTIPART, "multipart", "alternative");
	part_at(root, "4.2.2.1", IMAP_BS_TEXT, "text", "plain");
	part_at(root, "4.2.2.2", IMAP_BS_TEXT, "text", "richtext");
	ck_assert_ptr_null(imap_bs_find_section(root, "4.2.3"));
	ck_assert_uint_eq(imap_bs_count(root), 15);
	ck_assert_ptr_eq(imap_bs_find_text(root, "plain"),
	    imap_bs_find_section(root, "1"));
	/* Text inside attached messages is not the message's text. */
	ck_assert_ptr_null(imap_bs_find_text(root, "richtext"));
	imap_bs_free(root);
}
END_TEST

/* A message that is message/rfc822 at the top: 1, then 1.1, 1.2. */
START_TEST(test_top_message)
{
	static const char resp[] = "* 1 FETCH (BODYSTRUCTURE (\"message\" "
	    "\"rfc822\" NIL NIL NIL \"7bit\" 300 " T_ENV " ((\"text\" "
	    "\"html\" NIL NIL NIL \"7bit\" 10 1 NIL NIL NIL NIL)" T_PLAIN
	    " \"alternative\" (\"boundary\" \"x\") NIL NIL NIL) 12 NIL NIL NIL "
	    "NIL))\r\n";
	struct imap_bs_part		*root = bs_ok(resp);

	ck_assert_int_eq(root->kind, IMAP_BS_MESSAGE);
	str_eq(root->section, "1");
	str_eq(root->parts[0].section, "1");
	part_at(root, "1.1", IMAP_BS_TEXT, "text", "html");
	ck_assert_ptr_eq(imap_bs_find_text(root, "plain"),
	    part_at(root, "1.2", IMAP_BS_TEXT, "text", "plain"));
	ck_assert_ptr_eq(imap_bs_find_section(root, "1"), root);
	imap_bs_free(root);
}
END_TEST

/* Attachments are not "the text": skip text/plain with a disposition. */
START_TEST(test_find_text_skips_attachments)
{
	struct imap_bs_part	*root;

	root = bs_ok("* 1 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL "
	    "NIL \"7bit\" 5 1 NIL (\"attachment\" (\"filename\" \"a.txt\")))"
	    "(\"text\" \"plain\" NIL NIL NIL \"7bit\" 6 1 NIL (\"inline\" NIL))"
	    " \"mixed\"))\r\n");
	ck_assert_ptr_eq(imap_bs_find_text(root, "plain"),
	    imap_bs_find_section(root, "2"));
	ck_assert_ptr_nonnull(imap_bs_find_text(root, NULL));
	imap_bs_free(root);

	root = bs_ok("* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL"
	    " \"7BIT\" 5 1 NIL (\"ATTACHMENT\" NIL)))\r\n");
	ck_assert_ptr_null(imap_bs_find_text(root, "plain"));
	imap_bs_free(root);
}
END_TEST

/* Deviations real servers send, as recorded in other clients' trackers. */
START_TEST(test_quirks)
{
	struct imap_bs_part		*root;
	const struct imap_bs_part	*p;

	/* A multipart without parts. */
	root = bs_ok("* 1 FETCH (BODY (\"MIXED\"))\r\n");
	ck_assert_int_eq(root->kind, IMAP_BS_MULTIPART);
	str_eq(root->subtype, "mixed");
	ck_assert_uint_eq(root->nparts, 0);
	imap_bs_free(root);

	/*
	 * A report with message/delivery-status (no lines: not text) and an
	 * attached message whose body is a part-less multipart with its
	 * extension data.
	 */
	root = bs_ok("* 2 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET"
	    "\" \"iso-8859-1\") NIL NIL \"QUOTED-PRINTABLE\" 200 4 NIL NIL NIL)"
	    "(\"MESSAGE\" \"DELIVERY-STATUS\" NIL NIL NIL \"7BIT\" 318 NIL NIL "
	    "NIL)(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 2177 " T_ENV
	    " (\"MIXED\" (\"BOUNDARY\" \"0e0c\") NIL NIL) 37 NIL NIL NIL) "
	    "\"REPORT\" (\"BOUNDARY\" \"16Du\" \"REPORT-TYPE\" \"delivery-status"
	    "\") NIL NIL))\r\n");
	p = part_at(root, "2", IMAP_BS_BASIC, "message", "delivery-status");
	ck_assert(!p->has_lines);
	p = part_at(root, "3", IMAP_BS_MESSAGE, "message", "rfc822");
	ck_assert_int_eq(p->parts[0].kind, IMAP_BS_MULTIPART);
	ck_assert_uint_eq(p->parts[0].nparts, 0);
	str_eq(imap_bs_param_get(&p->parts[0].params, "boundary"), "0e0c");
	ck_assert_uint_eq(p->lines, 37);
	str_eq(imap_bs_param_get(&root->params, "report-type"),
	    "delivery-status");
	imap_bs_free(root);

	/*
	 * Atoms for strings, () for no parameters, NIL size, a text part
	 * without lines, a bare-string disposition, NiL in odd case, and
	 * body-extension values of any shape after the location.
	 */
	root = bs_ok("* 3 FETCH (BODYSTRUCTURE ((TEXT PLAIN () NIL NIL 7BIT "
	    "NIL)(\"text\" \"plain\" NIL NIL NIL \"7bit\" 3 NiL \"inline\" "
	    "\"en\" NIL \"ext\" 1 (2 (3 ((((4)))))) {3}\r\nabc) \"mixed\" NIL "
	    "NIL NIL NIL (\"x\" 1 (\"y\")) \"z\"))\r\n");
	p = part_at(root, "1", IMAP_BS_TEXT, "text", "plain");
	ck_assert(!p->has_lines);
	ck_assert_uint_eq(p->size, 0);
	ck_assert_uint_eq(p->params.n, 0);
	str_eq(p->encoding, "7bit");
	p = part_at(root, "2", IMAP_BS_TEXT, "text", "plain");
	ck_assert(!p->has_lines);	/* NiL here is the MD5 */
	ck_assert_ptr_null(p->md5);
	str_eq(p->disposition, "inline");
	str_eq(p->language[0], "en");
	ck_assert_uint_eq(root->params.n, 0);
	imap_bs_free(root);

	/* An empty disposition parameter list, a string as a NIL value. */
	root = bs_ok("* 4 FETCH (BODYSTRUCTURE (\"APPLICATION\" \"ZIP\" "
	    "(\"NAME\" NIL) NIL NIL NIL 5 NIL (\"ATTACHMENT\" ()) NIL))\r\n");
	str_eq(imap_bs_param_get(&root->params, "name"), "");
	ck_assert_ptr_null(root->encoding);
	str_eq(root->disposition, "attachment");
	ck_assert_uint_eq(root->dsp_params.n, 0);
	imap_bs_free(root);
}
END_TEST

/* What is missing from a FETCH is not an error; what is not FETCH is. */
START_TEST(test_from_fetch)
{
	struct imap_response	 r;
	struct imap_bs_part	*root = (struct imap_bs_part *)&r;
	struct error		 err;
	static const char	 nobs[] =
	    "* 1 FETCH (UID 3 BODY[1] {2}\r\nab BODY.PEEK NIL)\r\n";
	static const char	 notfetch[] = "* 1 EXISTS\r\n";

	error_clear(&err);
	ck_assert_int_eq(imap_parse_response(nobs, strlen(nobs), &r, &err), 0);
	ck_assert_int_eq(imap_bs_from_fetch(&r, &root, &err), 0);
	ck_assert_ptr_null(root);
	imap_response_fini(&r);

	ck_assert_int_eq(imap_parse_response(notfetch, strlen(notfetch), &r,
	    &err), 0);
	ck_assert_int_eq(imap_bs_from_fetch(&r, &root, &err), -1);
	ck_assert_int_eq(err.code, ERR_PROTOCOL);
	imap_response_fini(&r);
}
END_TEST

/* Malformed structures are ERR_PROTOCOL, never a crash or a tree. */
START_TEST(test_malformed)
{
	static const char *const bad[] = {
		"* 1 FETCH (BODYSTRUCTURE NIL)\r\n",
		"* 1 FETCH (BODYSTRUCTURE \"TEXT\")\r\n",
		"* 1 FETCH (BODYSTRUCTURE ())\r\n",
		"* 1 FETCH (BODYSTRUCTURE (NIL \"PLAIN\" NIL NIL NIL \"7BIT\" "
		    "1 1))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL "
		    "\"7BIT\"))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\") "
		    "NIL NIL \"7BIT\" 1 1))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"A\" (\"B\")) "
		    "NIL NIL \"7BIT\" 1 1))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (NIL \"B\") "
		    "NIL NIL \"7BIT\" 1 1))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL "
		    "\"7BIT\" abc 1))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL "
		    "\"7BIT\" -1 1))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL "
		    "\"7BIT\" 99999999999999999999 1))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL (\"x\") NIL "
		    "\"7BIT\" 1 1))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL "
		    "\"7BIT\" 1 1 (\"md5\")))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL "
		    "\"7BIT\" 1 1 NIL (\"inline\" NIL NIL)))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL "
		    "\"7BIT\" 1 1 NIL ((\"inline\") NIL)))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL "
		    "\"7BIT\" 1 1 NIL NIL (\"en\" (\"x\"))))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL "
		    "\"7BIT\" 1 1 NIL NIL NIL (\"loc\")))\r\n",
		/* A multipart without a subtype, or with a list for one. */
		"* 1 FETCH (BODYSTRUCTURE (" T_PLAIN T_PLAIN "))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (" T_PLAIN " NIL))\r\n",
		"* 1 FETCH (BODYSTRUCTURE ((NIL) \"MIXED\"))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (" T_PLAIN " \"MIXED\" (\"A\")))\r\n",
		/* message/rfc822 with a short envelope or a bad address. */
		"* 1 FETCH (BODYSTRUCTURE (\"MESSAGE\" \"RFC822\" NIL NIL NIL "
		    "\"7BIT\" 1 (NIL NIL) " T_PLAIN " 1))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"MESSAGE\" \"RFC822\" NIL NIL NIL "
		    "\"7BIT\" 1 (NIL NIL ((NIL NIL \"a\")) NIL NIL NIL NIL NIL "
		    "NIL NIL) " T_PLAIN " 1))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"MESSAGE\" \"RFC822\" NIL NIL NIL "
		    "\"7BIT\" 1 " T_ENV " (\"TEXT\" \"PLAIN\" NIL) 1))\r\n",
		"* 1 FETCH (BODYSTRUCTURE (\"MESSAGE\" \"RFC822\" NIL NIL NIL "
		    "\"7BIT\" 1 " T_ENV " " T_PLAIN " x))\r\n",
		/* A bad part deep inside a good structure. */
		"* 1 FETCH (BODYSTRUCTURE ((" T_PLAIN "(\"TEXT\" \"PLAIN\" NIL "
		    "NIL NIL \"7BIT\" x 1) \"ALTERNATIVE\") \"MIXED\"))\r\n",
		NULL
	};

	for (size_t i = 0; bad[i] != NULL; i++)
		bs_bad(bad[i], ERR_PROTOCOL);
}
END_TEST

/* A value tree nested n bodies deep: n-1 multiparts around a text part. */
static struct imap_value *
nested_tree(size_t n)
{
	struct imap_value	*root, *v;
	static const char *const leaf[] = {
		"TEXT", "PLAIN", NULL, NULL, NULL, "7BIT", "1", "1"
	};

	root = v = xcalloc(1, sizeof *v);
	for (size_t i = 1; i < n; i++) {
		v->type = IMAP_V_LIST;
		v->n = v->cap = 2;
		v->items = xcalloc(2, sizeof *v->items);
		v->items[1].type = IMAP_V_STRING;
		v->items[1].s = "MIXED";
		v->items[1].len = 5;
		v = &v->items[0];
	}
	v->type = IMAP_V_LIST;
	v->n = v->cap = 8;
	v->items = xcalloc(8, sizeof *v->items);
	for (size_t i = 0; i < 8; i++) {
		v->items[i].type = leaf[i] == NULL ? IMAP_V_NIL :
		    i >= 6 ? IMAP_V_ATOM : IMAP_V_STRING;
		v->items[i].s = leaf[i];
		v->items[i].len = leaf[i] == NULL ? 0 : strlen(leaf[i]);
	}
	return root;
}

/* Free a nested_tree(): collect each level's items, then free them. */
static void
nested_free(struct imap_value *root)
{
	struct imap_value	*v = root;
	struct imap_value	**items = NULL;
	size_t			 n = 0, cap = 0;

	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			items = xreallocarray(items, cap, sizeof *items);
		}
		items[n++] = v->items;
		if (v->n != 2)
			break;
		v = &v->items[0];
	}
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
	free(root);
}

/* IMAP_BS_DEPTH_MAX bodies deep is refused; one fewer is fine. */
START_TEST(test_depth_limit)
{
	struct imap_value	*v;
	struct imap_bs_part	*root;
	struct error		 err;
	char			*want, *p;

	error_clear(&err);
	v = nested_tree(IMAP_BS_DEPTH_MAX);
	ck_assert_msg(imap_bs_parse(v, &root, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(imap_bs_count(root), IMAP_BS_DEPTH_MAX);
	ck_assert_ptr_nonnull(imap_bs_find_text(root, "plain"));
	want = p = xmalloc(2 * IMAP_BS_DEPTH_MAX);
	for (size_t i = 1; i < IMAP_BS_DEPTH_MAX; i++) {
		if (i > 1)
			*p++ = '.';
		*p++ = '1';
	}
	*p = '\0';
	ck_assert_uint_eq(strlen(want), 2 * (IMAP_BS_DEPTH_MAX - 1) - 1);
	ck_assert_str_eq(imap_bs_find_text(root, "plain")->section, want);
	free(want);
	imap_bs_free(root);
	nested_free(v);

	v = nested_tree(IMAP_BS_DEPTH_MAX + 1);
	ck_assert_int_eq(imap_bs_parse(v, &root, &err), -1);
	ck_assert_ptr_null(root);
	ck_assert_int_eq(err.code, ERR_TOOBIG);
	nested_free(v);

	v = nested_tree(100000);
	ck_assert_int_eq(imap_bs_parse(v, &root, &err), -1);
	ck_assert_int_eq(err.code, ERR_TOOBIG);
	nested_free(v);
}
END_TEST

/* A multipart of n text parts as a FETCH response. */
static char *
flat_response(size_t n)
{
	static const char head[] = "* 1 FETCH (BODYSTRUCTURE (";
	static const char tail[] = " \"MIXED\"))\r\n";
	size_t		 len = sizeof head + n * (sizeof T_PLAIN - 1) +
			    sizeof tail;
	char		*s = xmalloc(len), *p = s;

	memcpy(p, head, sizeof head - 1);
	p += sizeof head - 1;
	for (size_t i = 0; i < n; i++) {
		memcpy(p, T_PLAIN, sizeof T_PLAIN - 1);
		p += sizeof T_PLAIN - 1;
	}
	memcpy(p, tail, sizeof tail);
	return s;
}

/* IMAP_BS_PARTS_MAX parts (the root counts) pass; one more is refused. */
START_TEST(test_parts_limit)
{
	struct imap_bs_part	*root;
	char			*s;

	s = flat_response(IMAP_BS_PARTS_MAX - 1);
	root = bs_ok(s);
	ck_assert_uint_eq(root->nparts, IMAP_BS_PARTS_MAX - 1);
	ck_assert_str_eq(root->parts[IMAP_BS_PARTS_MAX - 2].section, "9999");
	ck_assert_ptr_nonnull(imap_bs_find_section(root, "9999"));
	imap_bs_free(root);
	free(s);

	s = flat_response(IMAP_BS_PARTS_MAX);
	bs_bad(s, ERR_TOOBIG);
	free(s);
}
END_TEST

/*
 * Every one-byte deletion from the samples: parsing gives a sound tree or an error, never a crash
 * (this runs under ASan/UBSan in the sanitizer build).
 */
START_TEST(test_mutations)
{
	static const char *const samples[] = { gmail, exchange, dovecot };
	struct imap_response	 r;
	struct imap_bs_part	*root;
	struct error		 err;
	size_t			 len, good = 0, bad = 0;
	char			*s;

	for (size_t k = 0; k < 3; k++) {
		len = strlen(samples[k]);
		s = xmalloc(len + 64);
		for (size_t cut = 0; cut + 2 < len; cut++) {
			memcpy(s, samples[k], cut);
			memcpy(s + cut, samples[k] + cut + 1, len - cut - 1);
			s[len - 1] = '\0';
			if (imap_parse_response(s, len - 1, &r, &err) == -1)
				continue;
			if (imap_bs_from_fetch(&r, &root, &err) == 0) {
				good++;
				if (root != NULL)
					ck_assert_uint_ge(imap_bs_count(root), 1);
				imap_bs_free(root);
			} else {
				bad++;
				ck_assert_ptr_null(root);
				ck_assert(err.code == ERR_PROTOCOL ||
				    err.code == ERR_TOOBIG);
			}
			imap_response_fini(&r);
		}
		free(s);
	}
	/* Both outcomes happen: the test exercises the error paths. */
	ck_assert_uint_gt(good, 10);
	ck_assert_uint_gt(bad, 10);
}
END_TEST

static Suite *
imap_bodystructure_suite(void)
{
	Suite	*s = suite_create("imap_bodystructure");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_gmail);
	tcase_add_test(tc, test_exchange);
	tcase_add_test(tc, test_dovecot);
	tcase_add_test(tc, test_single_part);
	tcase_add_test(tc, test_rfc3501_numbering);
	tcase_add_test(tc, test_top_message);
	tcase_add_test(tc, test_find_text_skips_attachments);
	tcase_add_test(tc, test_quirks);
	tcase_add_test(tc, test_from_fetch);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_depth_limit);
	tcase_add_test(tc, test_parts_limit);
	tcase_add_test(tc, test_mutations);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(imap_bodystructure_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

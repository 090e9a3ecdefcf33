/*
 * test_imap_parse.c - the IMAP framer, response parser and FETCH reader.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "net/imap_parse.h"
#include "util/xmalloc.h"

/* Parse a C string as one response, asserting success. */
static void
parse_ok(const char *s, struct imap_response *r)
{
	struct error	 err;

	error_clear(&err);
	ck_assert_msg(imap_parse_response(s, strlen(s), r, &err) == 0,
	    "parse failed: %s", err.msg);
}

/* Parse a C string, asserting failure with the given code. */
static void
parse_bad(const char *s, size_t len, enum error_code code)
{
	struct imap_response	 r;
	struct error		 err;

	error_clear(&err);
	ck_assert_int_eq(imap_parse_response(s, len, &r, &err), -1);
	ck_assert_int_eq(err.code, code);
	ck_assert_int_eq(r.args.n, 0);
	imap_response_fini(&r);
}

/* Compare a slice with a C string (NULL meaning NIL). */
static void
slice_eq(struct imap_slice s, const char *want)
{
	if (want == NULL) {
		ck_assert_ptr_null(s.p);
		return;
	}
	ck_assert_ptr_nonnull(s.p);
	ck_assert_uint_eq(s.len, strlen(want));
	ck_assert(memcmp(s.p, want, s.len) == 0);
}

/* A stream of responses of every shape, and where each one ends. */
static const char frame_stream[] =
    "* OK [CAPABILITY IMAP4rev1 LITERAL+] ready\r\n"
    "* 1 FETCH (UID 7 BODY[] {5}\r\nab\r\nc)\r\n"
    "* 2 FETCH (BODY[] {0}\r\n ENVELOPE (\"d\" {3+}\r\n}\r\n NIL NIL NIL "
    "NIL NIL NIL NIL NIL NIL))\r\n"
    "* 3 EXISTS\n"
    "a1 OK done\r\n";

START_TEST(test_frame_every_split)
{
	struct imap_frame	 fr;
	struct error		 err;
	size_t			 ends[8], nends = 0, want[8], nwant = 0;
	size_t			 total = sizeof frame_stream - 1, n, start;
	const char		*p;

	/* The expected boundaries, found by hand. */
	p = frame_stream;
	want[nwant++] = (size_t)(strstr(p, "* 1 FETCH") - p);
	want[nwant++] = (size_t)(strstr(p, "* 2 FETCH") - p);
	want[nwant++] = (size_t)(strstr(p, "* 3 EXISTS") - p);
	want[nwant++] = (size_t)(strstr(p, "a1 OK") - p);
	want[nwant++] = total;

	/* Feed the bytes one more at a time, as a slow peer would. */
	imap_frame_init(&fr);
	start = 0;
	for (size_t have = 0; have <= total; have++) {
		int	 r;

		while ((r = imap_frame_next(&fr, p + start, have - start, &n,
		    &err)) == 1) {
			start += n;
			ck_assert_uint_lt(nends, 8);
			ends[nends++] = start;
		}
		ck_assert_int_eq(r, 0);
	}
	ck_assert_uint_eq(nends, nwant);
	for (size_t i = 0; i < nwant; i++)
		ck_assert_uint_eq(ends[i], want[i]);

	/* And every two-piece split gives the same boundaries. */
	for (size_t cut = 0; cut <= total; cut++) {
		size_t	 k = 0, lens[2] = { cut, total };

		imap_frame_init(&fr);
		start = 0;
		for (int piece = 0; piece < 2; piece++) {
			while (imap_frame_next(&fr, p + start,
			    lens[piece] - start, &n, &err) == 1) {
				start += n;
				ck_assert_uint_lt(k, nwant);
				ck_assert_uint_eq(start, want[k]);
				k++;
			}
		}
		ck_assert_uint_eq(k, nwant);
	}
}
END_TEST

START_TEST(test_frame_state_kept_across_cut)
{
	struct imap_frame	 fr;
	struct error		 err;
	size_t			 n, total = sizeof frame_stream - 1;
	const char		*p = frame_stream;
	size_t			 off = (size_t)(strstr(p, "* 1 FETCH") - p);

	/* Cut inside the literal "ab\r\nc": the CRLF in it is not an end. */
	for (size_t cut = off + 1; cut < total; cut++) {
		imap_frame_init(&fr);
		ck_assert_int_eq(imap_frame_next(&fr, p + off, cut - off, &n,
		    &err), cut >= (size_t)(strstr(p, "* 2") - p) ? 1 : 0);
		if (cut >= (size_t)(strstr(p, "* 2") - p))
			break;
		ck_assert_int_eq(imap_frame_next(&fr, p + off, total - off,
		    &n, &err), 1);
		ck_assert_uint_eq(off + n, (size_t)(strstr(p, "* 2") - p));
	}
}
END_TEST

START_TEST(test_frame_limits)
{
	struct imap_frame	 fr;
	struct error		 err;
	size_t			 n;
	char			*big;
	const char		*huge = "* 1 FETCH (BODY[] {99999999999}\r\n";
	const char		*over = "* 1 FETCH (BODY[] {67108865}\r\n";
	const char		*ok = "* 1 FETCH (BODY[] {67108864}\r\n";

	imap_frame_init(&fr);
	ck_assert_int_eq(imap_frame_next(&fr, huge, strlen(huge), &n, &err),
	    -1);
	ck_assert_int_eq(err.code, ERR_TOOBIG);
	ck_assert_int_eq(err.scope, ERR_SCOPE_ACCOUNT);

	imap_frame_init(&fr);
	ck_assert_int_eq(imap_frame_next(&fr, over, strlen(over), &n, &err),
	    -1);
	ck_assert_int_eq(err.code, ERR_TOOBIG);

	/* Exactly the maximum is accepted: wait for the bytes. */
	imap_frame_init(&fr);
	ck_assert_int_eq(imap_frame_next(&fr, ok, strlen(ok), &n, &err), 0);

	/* A line without an end that grows past the maximum. */
	big = xmalloc(IMAP_LINE_MAX + 2);
	memset(big, 'a', IMAP_LINE_MAX + 2);
	imap_frame_init(&fr);
	ck_assert_int_eq(imap_frame_next(&fr, big, IMAP_LINE_MAX, &n, &err),
	    0);
	ck_assert_int_eq(imap_frame_next(&fr, big, IMAP_LINE_MAX + 2, &n,
	    &err), -1);
	ck_assert_int_eq(err.code, ERR_TOOBIG);
	free(big);

	/* "{}" is a malformed literal header. */
	imap_frame_init(&fr);
	ck_assert_int_eq(imap_frame_next(&fr, "* X {}\r\n", 8, &n, &err),
	    -1);
	ck_assert_int_eq(err.code, ERR_PROTOCOL);
}
END_TEST

START_TEST(test_parse_status)
{
	struct imap_response	 r;

	parse_ok("* OK [UIDVALIDITY 3857529045] UIDs valid\r\n", &r);
	ck_assert_int_eq(r.type, IMAP_RESP_UNTAGGED);
	ck_assert_int_eq(r.status, IMAP_STATUS_OK);
	slice_eq(r.code, "UIDVALIDITY");
	slice_eq(r.code_args, "3857529045");
	slice_eq(r.text, "UIDs valid");
	imap_response_fini(&r);

	parse_ok("a0001 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n",
	    &r);
	ck_assert_int_eq(r.type, IMAP_RESP_TAGGED);
	slice_eq(r.tag, "a0001");
	ck_assert_int_eq(r.status, IMAP_STATUS_NO);
	slice_eq(r.code, "AUTHENTICATIONFAILED");
	slice_eq(r.code_args, "");
	slice_eq(r.text, "Authentication failed.");
	imap_response_fini(&r);

	parse_ok("* OK [PERMANENTFLAGS (\\Seen \\*)] Limited\r\n", &r);
	slice_eq(r.code, "PERMANENTFLAGS");
	slice_eq(r.code_args, "(\\Seen \\*)");
	imap_response_fini(&r);

	parse_ok("* BYE shutting down\n", &r);
	ck_assert_int_eq(r.status, IMAP_STATUS_BYE);
	slice_eq(r.text, "shutting down");
	imap_response_fini(&r);

	parse_ok("* PREAUTH hello\r\n", &r);
	ck_assert_int_eq(r.status, IMAP_STATUS_PREAUTH);
	imap_response_fini(&r);

	parse_ok("+ \r\n", &r);
	ck_assert_int_eq(r.type, IMAP_RESP_CONTINUE);
	slice_eq(r.text, "");
	imap_response_fini(&r);

	parse_ok("+ YWJj\r\n", &r);
	slice_eq(r.text, "YWJj");
	imap_response_fini(&r);

	parse_ok("a2 bad x\r\n", &r);
	ck_assert_int_eq(r.status, IMAP_STATUS_BAD);
	imap_response_fini(&r);
}
END_TEST

START_TEST(test_parse_data)
{
	struct imap_response	 r;
	struct imap_list	 l;
	struct imap_status_data st;
	struct error		 err;

	parse_ok("* 23 EXISTS\r\n", &r);
	ck_assert(r.has_number);
	ck_assert_uint_eq(r.number, 23);
	slice_eq(r.name, "EXISTS");
	ck_assert_uint_eq(r.args.n, 0);
	imap_response_fini(&r);

	parse_ok("* CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR\r\n", &r);
	slice_eq(r.name, "CAPABILITY");
	ck_assert_uint_eq(r.args.n, 3);
	ck_assert(imap_value_is(&r.args.items[1], "auth=plain"));
	imap_response_fini(&r);

	parse_ok("* FLAGS (\\Answered \\Seen $Forwarded)\r\n", &r);
	ck_assert_uint_eq(r.args.n, 1);
	ck_assert_uint_eq(imap_flags_mask(&r.args.items[0]),
	    IMAP_FLAG_ANSWERED | IMAP_FLAG_SEEN);
	imap_response_fini(&r);

	parse_ok("* LIST (\\HasNoChildren \\Noselect) \"/\" "
	    "\"a \\\"q\\\" \\\\b\"\r\n", &r);
	ck_assert_int_eq(imap_list_parse(&r, &l, &err), 0);
	ck_assert_uint_eq(l.attrs, IMAP_LIST_NOSELECT);
	ck_assert_int_eq(l.delim, '/');
	slice_eq(l.name, "a \"q\" \\b");
	imap_response_fini(&r);

	parse_ok("* LIST () NIL {8}\r\nEntw&APw\r\n", &r);
	ck_assert_int_eq(imap_list_parse(&r, &l, &err), 0);
	ck_assert_int_eq(l.delim, '\0');
	ck_assert_uint_eq(l.attrs, 0);
	slice_eq(l.name, "Entw&APw");
	imap_response_fini(&r);

	parse_ok("* LIST (\\Noinferiors) \".\" INBOX\r\n", &r);
	ck_assert_int_eq(imap_list_parse(&r, &l, &err), 0);
	ck_assert_uint_eq(l.attrs, IMAP_LIST_NOINFERIORS);
	slice_eq(l.name, "INBOX");
	imap_response_fini(&r);

	parse_ok("* STATUS \"a b\" (MESSAGES 3 UIDNEXT 10 X-NEW (1 2) "
	    "UNSEEN 0 HIGHESTMODSEQ 18446744073709551615)\r\n", &r);
	ck_assert_int_eq(imap_status_parse(&r, &st, &err), 0);
	slice_eq(st.name, "a b");
	ck_assert_uint_eq(st.have, IMAP_STATUS_MESSAGES | IMAP_STATUS_UIDNEXT |
	    IMAP_STATUS_UNSEEN | IMAP_STATUS_MODSEQ);
	ck_assert_uint_eq(st.messages, 3);
	ck_assert_uint_eq(st.uidnext, 10);
	ck_assert_uint_eq(st.unseen, 0);
	ck_assert(st.highestmodseq == UINT64_MAX);
	imap_response_fini(&r);
	/* Malformed: an odd list, a number too big, no list, not STATUS. */
	for (size_t i = 0; i < 4; i++) {
		static const char *const bad[] = {
			"* STATUS x (MESSAGES)\r\n",
			"* STATUS x (UIDNEXT 4294967296)\r\n",
			"* STATUS x MESSAGES\r\n",
			"* LIST () \"/\" x\r\n",
		};

		parse_ok(bad[i], &r);
		ck_assert_int_eq(imap_status_parse(&r, &st, &err), -1);
		ck_assert_int_eq(err.code, ERR_PROTOCOL);
		imap_response_fini(&r);
	}

	/* An unknown extension with odd syntax is kept as text. */
	parse_ok("* XWEIRD [a \"b\r\n", &r);
	slice_eq(r.name, "XWEIRD");
	slice_eq(r.text, "[a \"b");
	imap_response_fini(&r);

	/* Nested lists and NIL. */
	parse_ok("* STATUS x ((a (b NIL)) \"\")\r\n", &r);
	ck_assert_uint_eq(r.args.n, 2);
	ck_assert_int_eq(r.args.items[1].type, IMAP_V_LIST);
	ck_assert_int_eq(r.args.items[1].items[0].items[1].items[1].type,
	    IMAP_V_NIL);
	ck_assert_int_eq(r.args.items[1].items[1].type, IMAP_V_STRING);
	ck_assert_uint_eq(r.args.items[1].items[1].len, 0);
	imap_response_fini(&r);
}
END_TEST

/* An envelope with odd addresses, a literal, 8-bit bytes and a group. */
static const char fetch_env[] =
    "* 12 FETCH (FLAGS (\\Seen \\Flagged) UID 4827313 "
    "INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 44827 "
    "ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" {12}\r\n"
    "IMAP4rev1 \"x" " "
    "((\"\" NIL \"alice\" \"example.org\")(NIL NIL \"bob\" NIL)) "
    "NIL "
    "((\"Caf\xc3\xa9 \\\"Q\\\"\" NIL NIL \"h.example\")) "
    "((NIL NIL \"undisclosed\" NIL)(\"M\" NIL \"m\" \"x.y\")"
    "(NIL NIL NIL NIL)(NIL NIL \"c\" \"d\")) "
    "NIL NIL {0}\r\n \"<B27397-0100000@cac.washington.edu>\"))\r\n";

START_TEST(test_fetch_envelope)
{
	struct imap_response	 r;
	struct imap_fetch	 f;
	struct error		 err;
	size_t			 len = sizeof fetch_env - 1;

	ck_assert_int_eq(imap_parse_response(fetch_env, len, &r, &err), 0);
	ck_assert_int_eq(imap_fetch_parse(&r, &f, &err), 0);
	ck_assert_uint_eq(f.seq, 12);
	ck_assert_uint_eq(f.have, IMAP_FETCH_UID | IMAP_FETCH_FLAGS |
	    IMAP_FETCH_INTERNALDATE | IMAP_FETCH_SIZE | IMAP_FETCH_ENVELOPE);
	ck_assert_uint_eq(f.uid, 4827313);
	ck_assert_uint_eq(f.flags, IMAP_FLAG_SEEN | IMAP_FLAG_FLAGGED);
	ck_assert_int_eq(f.internaldate, 837596665);
	ck_assert_uint_eq(f.size, 44827);
	slice_eq(f.env.date, "Wed, 17 Jul 1996 02:23:25 -0700 (PDT)");
	slice_eq(f.env.subject, "IMAP4rev1 \"x");

	/* From: an empty display name, then NIL host. */
	ck_assert_uint_eq(f.env.from.n, 2);
	slice_eq(f.env.from.v[0].name, "");
	slice_eq(f.env.from.v[0].mailbox, "alice");
	slice_eq(f.env.from.v[0].host, "example.org");
	slice_eq(f.env.from.v[1].name, NULL);
	slice_eq(f.env.from.v[1].host, NULL);
	ck_assert(imap_address_is_group_start(&f.env.from.v[1]));

	ck_assert_uint_eq(f.env.sender.n, 0);

	/* Reply-To: 8-bit name with escapes, NIL mailbox. */
	ck_assert_uint_eq(f.env.reply_to.n, 1);
	slice_eq(f.env.reply_to.v[0].name, "Caf\xc3\xa9 \"Q\"");
	slice_eq(f.env.reply_to.v[0].mailbox, NULL);
	slice_eq(f.env.reply_to.v[0].host, "h.example");
	ck_assert(!imap_address_is_group_start(&f.env.reply_to.v[0]));
	ck_assert(!imap_address_is_group_end(&f.env.reply_to.v[0]));

	/* To: a group "undisclosed" with one member, then one more. */
	ck_assert_uint_eq(f.env.to.n, 4);
	ck_assert(imap_address_is_group_start(&f.env.to.v[0]));
	slice_eq(f.env.to.v[0].mailbox, "undisclosed");
	slice_eq(f.env.to.v[1].name, "M");
	ck_assert(imap_address_is_group_end(&f.env.to.v[2]));
	slice_eq(f.env.to.v[3].host, "d");

	ck_assert_uint_eq(f.env.cc.n, 0);
	ck_assert_uint_eq(f.env.bcc.n, 0);
	/* In-Reply-To was a zero-length literal: present and empty. */
	slice_eq(f.env.in_reply_to, "");
	slice_eq(f.env.message_id, "<B27397-0100000@cac.washington.edu>");
	imap_fetch_fini(&f);
	imap_response_fini(&r);
}
END_TEST

START_TEST(test_fetch_zero_literal)
{
	struct imap_response	 r;
	struct imap_fetch	 f;
	struct error		 err;
	const char		*s =
	    "* 1 FETCH (ENVELOPE ({0}\r\n {0}\r\n NIL NIL NIL NIL NIL NIL "
	    "{0}\r\n NIL) UID 5)\r\n";

	ck_assert_int_eq(imap_parse_response(s, strlen(s), &r, &err), 0);
	ck_assert_int_eq(imap_fetch_parse(&r, &f, &err), 0);
	slice_eq(f.env.date, "");
	slice_eq(f.env.subject, "");
	slice_eq(f.env.in_reply_to, "");
	slice_eq(f.env.message_id, NULL);
	ck_assert_uint_eq(f.uid, 5);
	imap_fetch_fini(&f);
	imap_response_fini(&r);
}
END_TEST

START_TEST(test_fetch_body)
{
	struct imap_response	 r;
	struct imap_fetch	 f;
	struct error		 err;
	static const char	 s[] =
	    "* 3 FETCH (UID 9 BODY[] {11}\r\nA: b\r\n\r\nx\0y FLAGS ())\r\n";
	const char		*s2 =
	    "* 3 FETCH (BODY[HEADER.FIELDS (FROM TO)]<0> \"F\" UID 9)\r\n";
	size_t			 len = sizeof s - 1;

	ck_assert_int_eq(imap_parse_response(s, len, &r, &err), 0);
	ck_assert_int_eq(imap_fetch_parse(&r, &f, &err), 0);
	ck_assert(f.have & IMAP_FETCH_BODY);
	slice_eq(f.body_section, "");
	ck_assert_uint_eq(f.body.len, 11);
	ck_assert(memcmp(f.body.p, "A: b\r\n\r\nx\0y", 11) == 0);
	ck_assert(f.have & IMAP_FETCH_FLAGS);
	ck_assert_uint_eq(f.flags, 0);
	imap_fetch_fini(&f);
	imap_response_fini(&r);

	parse_ok(s2, &r);
	ck_assert_int_eq(imap_fetch_parse(&r, &f, &err), 0);
	slice_eq(f.body_section, "HEADER.FIELDS (FROM TO)");
	slice_eq(f.body, "F");
	imap_fetch_fini(&f);
	imap_response_fini(&r);
}
END_TEST

/* Build "<head>{n}\r\n" + n bytes of 'x' + "<tail>". */
static char *
with_literal(const char *head, size_t n, const char *tail, size_t *len)
{
	char	*hdr = xasprintf("%s{%zu}\r\n", head, n);
	size_t	 hl = strlen(hdr), tl = strlen(tail);
	char	*p = xmalloc(hl + n + tl + 1);

	memcpy(p, hdr, hl);
	memset(p + hl, 'x', n);
	memcpy(p + hl + n, tail, tl + 1);
	*len = hl + n + tl;
	free(hdr);
	return p;
}

START_TEST(test_literal_limits)
{
	struct imap_response	 r;
	struct error		 err;
	char			*p;
	size_t			 len;

	/* Outside a body section, literals are capped much lower. */
	p = with_literal("* 1 FETCH (ENVELOPE (", IMAP_LITERAL_MAX + 1,
	    " NIL NIL NIL NIL NIL NIL NIL NIL NIL))\r\n", &len);
	parse_bad(p, len, ERR_TOOBIG);
	free(p);

	p = with_literal("* LIST () \"/\" ", IMAP_LITERAL_MAX + 1, "\r\n",
	    &len);
	parse_bad(p, len, ERR_TOOBIG);
	free(p);

	/* The same size is fine as a body. */
	p = with_literal("* 1 FETCH (BODY[] ", IMAP_LITERAL_MAX + 1, ")\r\n",
	    &len);
	ck_assert_int_eq(imap_parse_response(p, len, &r, &err), 0);
	ck_assert_uint_eq(r.args.items[0].items[1].len, IMAP_LITERAL_MAX + 1);
	imap_response_fini(&r);
	free(p);
}
END_TEST

/* "* SEARCH 1 1 1 ...\r\n" with n numbers. */
static char *
search_of(size_t n, size_t *len)
{
	char	*p = xmalloc(9 + 2 * n + 3);

	memcpy(p, "* SEARCH ", 9);
	for (size_t i = 0; i < n; i++)
		memcpy(p + 9 + 2 * i, "1 ", 2);
	memcpy(p + 9 + 2 * n, "\r\n", 3);
	*len = 9 + 2 * n + 2;
	return p;
}

START_TEST(test_value_limit)
{
	struct imap_response	 r;
	struct error		 err;
	char			*p;
	size_t			 len;

	p = search_of(IMAP_NODES_MAX, &len);
	ck_assert_int_eq(imap_parse_response(p, len, &r, &err), 0);
	ck_assert_uint_eq(r.args.n, IMAP_NODES_MAX);
	imap_response_fini(&r);
	free(p);

	p = search_of(IMAP_NODES_MAX + 1, &len);
	parse_bad(p, len, ERR_TOOBIG);
	free(p);
}
END_TEST

START_TEST(test_bad_input)
{
	static const char *const bad[] = {
		"* LIST () \"/\" \"unterminated\r\n",
		"* FETCH\r\n* 1 FETCH (UID 1\r\n",
		"* 1 FETCH (UID 1\r\n",
		"* 1 FETCH (UID 1))\r\n",
		"* 1 FETCH (BODY[] {5}\r\nab)\r\n",
		"* 1 FETCH (BODY[] {5\r\n",
		"* 1 FETCH (BODY[ )\r\n",
		"*\r\n",
		"*x\r\n",
		"\r\n",
		"a1\r\n",
		"a1 FOO bar\r\n",
		"a1 OK [UNCLOSED code\r\n",
		"* 1\r\n",
		"* SEARCH 1 2 3",
		")))\r\n",
		"* OK fine\r\ntrailing\r\n",
		NULL
	};
	struct imap_response	 r;
	struct error		 err;
	char			 deep[IMAP_DEPTH_MAX * 2 + 32];
	size_t			 n;

	for (size_t i = 0; bad[i] != NULL; i++) {
		ck_assert_msg(imap_parse_response(bad[i], strlen(bad[i]), &r,
		    &err) == -1, "accepted input %zu", i);
		ck_assert_msg(err.code == ERR_PROTOCOL, "input %zu: code %d",
		    i, err.code);
	}
	/* "* CAPABILITY a\0b" must not parse: NUL is never in an atom. */
	parse_bad("* CAPABILITY a\0b\r\n", 18, ERR_PROTOCOL);
	parse_bad("* LIST () \"/\" \"a\r\n", 18, ERR_PROTOCOL);

	/* Nesting is capped. */
	n = 0;
	memcpy(deep, "* X ", 4);
	n = 4;
	for (int i = 0; i < IMAP_DEPTH_MAX + 1; i++)
		deep[n++] = '(';
	for (int i = 0; i < IMAP_DEPTH_MAX + 1; i++)
		deep[n++] = ')';
	deep[n++] = '\r';
	deep[n++] = '\n';
	ck_assert_int_eq(imap_parse_response(deep, n, &r, &err), 0);
	ck_assert_uint_eq(r.args.n, 0);		/* unknown: kept as text */
	imap_response_fini(&r);
	memcpy(deep, "* 1 FETCH ", 10);
	n = 10;
	for (int i = 0; i < IMAP_DEPTH_MAX + 1; i++)
		deep[n++] = '(';
	deep[n++] = '\r';
	deep[n++] = '\n';
	parse_bad(deep, n, ERR_TOOBIG);
}
END_TEST

START_TEST(test_fetch_bad_items)
{
	static const char *const bad[] = {
		"* 1 FETCH (UID)\r\n",
		"* 1 FETCH (UID x)\r\n",
		"* 1 FETCH (UID 0)\r\n",
		"* 1 FETCH (UID 99999999999)\r\n",
		"* 1 FETCH (FLAGS \\Seen)\r\n",
		"* 1 FETCH (ENVELOPE (NIL NIL))\r\n",
		"* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL))\r\n",
		"* 1 FETCH (ENVELOPE (NIL NIL x NIL NIL NIL NIL NIL NIL "
		    "NIL))\r\n",
		"* 1 FETCH (\"UID\" 1)\r\n",
		"* 1 FETCH (BODY[] (a))\r\n",
		"* 1 FETCH UID 1\r\n",
		NULL
	};
	struct imap_response	 r;
	struct imap_fetch	 f;
	struct error		 err;

	for (size_t i = 0; bad[i] != NULL; i++) {
		parse_ok(bad[i], &r);
		ck_assert_msg(imap_fetch_parse(&r, &f, &err) == -1,
		    "accepted %s", bad[i]);
		ck_assert_int_eq(err.code, ERR_PROTOCOL);
		ck_assert_int_eq(err.scope, ERR_SCOPE_MESSAGE);
		imap_response_fini(&r);
	}
	/* A failure keeps the UID it named, wherever it stood. */
	parse_ok("* 3 FETCH (FLAGS () ENVELOPE (NIL) UID 42)\r\n", &r);
	ck_assert_int_eq(imap_fetch_parse(&r, &f, &err), -1);
	ck_assert_uint_eq(f.have, IMAP_FETCH_UID);
	ck_assert_uint_eq(f.uid, 42);
	ck_assert_uint_eq(f.seq, 3);
	imap_response_fini(&r);
}
END_TEST

START_TEST(test_fetch_lenient)
{
	struct imap_response	 r;
	struct imap_fetch	 f;
	struct error		 err;

	/* Sloppy dates and sizes are dropped, not fatal. */
	parse_ok("* 1 FETCH (UID 5 INTERNALDATE \"yesterday\" RFC822.SIZE -1 "
	    "FLAGS ())\r\n", &r);
	ck_assert_int_eq(imap_fetch_parse(&r, &f, &err), 0);
	ck_assert_uint_eq(f.have, IMAP_FETCH_UID | IMAP_FETCH_FLAGS);
	imap_fetch_fini(&f);
	imap_response_fini(&r);
	/*
	 * Addresses: 3 fields (host NIL), 5 fields (extra ignored), an atom
	 * member (skipped), an atom where a string belongs; an envelope with
	 * an 11th member; a date that is a list (NIL).
	 */
	parse_ok("* 1 FETCH (ENVELOPE ((a) Subj ((\"A\" NIL \"a\")) "
	    "((NIL NIL \"b\" \"h\" \"x\") junk (NIL NIL c h2)) NIL NIL NIL "
	    "\"\" NIL \"<m>\" extra))\r\n", &r);
	ck_assert_msg(imap_fetch_parse(&r, &f, &err) == 0, "%s", err.msg);
	slice_eq(f.env.date, NULL);
	slice_eq(f.env.subject, "Subj");
	ck_assert_uint_eq(f.env.from.n, 1);
	slice_eq(f.env.from.v[0].name, "A");
	slice_eq(f.env.from.v[0].mailbox, "a");
	slice_eq(f.env.from.v[0].host, NULL);
	ck_assert_uint_eq(f.env.sender.n, 2);
	slice_eq(f.env.sender.v[0].host, "h");
	slice_eq(f.env.sender.v[1].mailbox, "c");
	slice_eq(f.env.sender.v[1].host, "h2");
	ck_assert_uint_eq(f.env.cc.n, 0);
	slice_eq(f.env.message_id, "<m>");
	imap_fetch_fini(&f);
	imap_response_fini(&r);
}
END_TEST

START_TEST(test_internaldate)
{
	int64_t	 t;

	ck_assert_int_eq(imap_parse_internaldate("01-Jan-1970 00:00:00 +0000",
	    26, &t), 0);
	ck_assert_int_eq(t, 0);
	ck_assert_int_eq(imap_parse_internaldate(" 1-Feb-2000 01:00:00 +0100",
	    26, &t), 0);
	ck_assert_int_eq(t, 949363200);
	ck_assert_int_eq(imap_parse_internaldate("1-Feb-2000 01:00:00 +0100",
	    25, &t), 0);
	ck_assert_int_eq(t, 949363200);
	ck_assert_int_eq(imap_parse_internaldate("29-feb-2024 23:59:59 -1200",
	    26, &t), 0);
	ck_assert_int_eq(t, 1709294399);
	ck_assert_int_eq(imap_parse_internaldate("01-Foo-1970 00:00:00 +0000",
	    26, &t), -1);
	ck_assert_int_eq(imap_parse_internaldate("01-Jan-1970 24:00:00 +0000",
	    26, &t), -1);
	ck_assert_int_eq(imap_parse_internaldate("01-Jan-1970", 11, &t), -1);
	/* What sloppy servers send. */
	ck_assert_int_eq(imap_parse_internaldate("1-Feb-2021  10:00 GMT",
	    21, &t), 0);
	ck_assert_int_eq(t, 1612173600);
	ck_assert_int_eq(imap_parse_internaldate("01-Feb-21 10:00:00", 18,
	    &t), 0);
	ck_assert_int_eq(t, 1612173600);
	ck_assert_int_eq(imap_parse_internaldate("01-Feb-2021 11:00:00 +0100 ",
	    27, &t), 0);
	ck_assert_int_eq(t, 1612173600);
	ck_assert_int_eq(imap_parse_internaldate("01-Feb-2021 10:00:00 +01",
	    24, &t), -1);
	ck_assert_int_eq(imap_parse_internaldate("01-Feb-2021 10:00:00 PST",
	    24, &t), -1);
	ck_assert_int_eq(imap_parse_internaldate("yesterday", 9, &t), -1);
	ck_assert_int_eq(imap_parse_internaldate("", 0, &t), -1);
}
END_TEST

/* The suite. */
static Suite *
imap_parse_suite(void)
{
	Suite	*s = suite_create("imap_parse");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_frame_every_split);
	tcase_add_test(tc, test_frame_state_kept_across_cut);
	tcase_add_test(tc, test_frame_limits);
	tcase_add_test(tc, test_parse_status);
	tcase_add_test(tc, test_parse_data);
	tcase_add_test(tc, test_fetch_envelope);
	tcase_add_test(tc, test_fetch_zero_literal);
	tcase_add_test(tc, test_fetch_body);
	tcase_add_test(tc, test_literal_limits);
	tcase_add_test(tc, test_value_limit);
	tcase_add_test(tc, test_bad_input);
	tcase_add_test(tc, test_fetch_bad_items);
	tcase_add_test(tc, test_internaldate);
	tcase_add_test(tc, test_fetch_lenient);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(imap_parse_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * test_compose_reply.c - unit tests of who a reply goes to (Reply-To,
 * reply to all, one's own addresses, Mail-Followup-To, one's own sent
 * message) and of In-Reply-To / References (src/compose/compose_reply.c).
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "compose/compose.h"
#include "compose/compose_int.h"
#include "util/buf.h"
#include "util/xmalloc.h"
#include "test_compose.h"

/* Start kind from msg and compare To and Cc. */
static void
check_rcpts(enum compose_kind kind, const char *msg, const char *to,
    const char *cc)
{
	struct compose_draft	d;

	test_compose_start(&d, kind, msg);
	ck_assert_field(d.to, to);
	ck_assert_field(d.cc, cc);
	ck_assert_field(d.from, "Me Myself <me@example.org>");
	ck_assert_field(d.bcc, NULL);
	compose_draft_fini(&d);
}

START_TEST(test_reply_from)
{
	check_rcpts(COMPOSE_REPLY,
	    "From: Alice Example <alice@example.com>\r\n"
	    "To: Me Myself <me@example.org>, bob@example.com\r\n"
	    "Cc: carol@example.com\r\n"
	    "Subject: hi\r\n\r\nbody\r\n",
	    "Alice Example <alice@example.com>", NULL);
}
END_TEST

START_TEST(test_reply_reply_to)
{
	const char	*msg =
	    "From: Alice Example <alice@example.com>\r\n"
	    "Reply-To: Team List <team@lists.example.com>\r\n"
	    "To: team@lists.example.com, me@example.org\r\n"
	    "Cc: bob@example.com\r\n"
	    "Subject: hi\r\n\r\nbody\r\n";

	check_rcpts(COMPOSE_REPLY, msg,
	    "Team List <team@lists.example.com>", NULL);
	/* To all: Reply-To instead of From, then the original To and Cc. */
	check_rcpts(COMPOSE_REPLY_ALL, msg,
	    "Team List <team@lists.example.com>", "bob@example.com");
}
END_TEST

START_TEST(test_reply_all_own_removed)
{
	check_rcpts(COMPOSE_REPLY_ALL,
	    "From: Alice Example <alice@example.com>\r\n"
	    "To: Me <ME@Example.ORG>, Bob <bob@example.com>,\r\n"
	    "\tme@work.example.com\r\n"
	    "Cc: carol@example.com, Alice Again <ALICE@example.com>,\r\n"
	    " me.alias@example.net, BOB@EXAMPLE.COM,\r\n"
	    " \"Dave, Jr.\" <dave@example.com>, Carol@Example.com\r\n"
	    "Subject: hi\r\n\r\nbody\r\n",
	    "Alice Example <alice@example.com>, Bob <bob@example.com>",
	    "carol@example.com, \"Dave, Jr.\" <dave@example.com>");
}
END_TEST

START_TEST(test_reply_all_only_cc)
{
	/* Reply-To is one's own: To empties, Cc moves up. */
	check_rcpts(COMPOSE_REPLY_ALL,
	    "From: Alice <alice@example.com>\r\n"
	    "Reply-To: me@example.org\r\n"
	    "To: me@example.org\r\n"
	    "Cc: carol@example.com\r\n"
	    "Subject: hi\r\n\r\nbody\r\n",
	    "carol@example.com", NULL);
}
END_TEST

START_TEST(test_reply_followup_to)
{
	const char	*msg =
	    "From: Alice <alice@example.com>\r\n"
	    "To: dev@lists.example.com\r\n"
	    "Cc: bob@example.com, carol@example.com\r\n"
	    "Mail-Followup-To: dev@lists.example.com, Me <me@example.org>,\r\n"
	    "  frank@example.com\r\n"
	    "Subject: hi\r\n\r\nbody\r\n";

	check_rcpts(COMPOSE_REPLY_ALL, msg,
	    "dev@lists.example.com, frank@example.com", NULL);
	/* A plain reply still goes to the author. */
	check_rcpts(COMPOSE_REPLY, msg, "Alice <alice@example.com>", NULL);
	/* An empty Mail-Followup-To is no Mail-Followup-To. */
	check_rcpts(COMPOSE_REPLY_ALL,
	    "From: Alice <alice@example.com>\r\n"
	    "To: dev@lists.example.com\r\n"
	    "Mail-Followup-To: \r\n"
	    "Subject: hi\r\n\r\nbody\r\n",
	    "Alice <alice@example.com>, dev@lists.example.com", NULL);
}
END_TEST

START_TEST(test_reply_own_message)
{
	const char	*msg =
	    "From: Me Myself <me@example.org>\r\n"
	    "Reply-To: me@example.org\r\n"
	    "To: Bob <bob@example.com>\r\n"
	    "Cc: carol@example.com, me@work.example.com\r\n"
	    "Subject: sent\r\n\r\nbody\r\n";

	check_rcpts(COMPOSE_REPLY, msg, "Bob <bob@example.com>", NULL);
	check_rcpts(COMPOSE_REPLY_ALL, msg, "Bob <bob@example.com>",
	    "carol@example.com");
	/* From an alternate, in another case. */
	check_rcpts(COMPOSE_REPLY,
	    "From: ME@WORK.example.com\r\n"
	    "To: dan@example.com\r\n\r\nbody\r\n",
	    "dan@example.com", NULL);
}
END_TEST

START_TEST(test_reply_note_to_self)
{
	/* Nothing but oneself: one own address stays, in To. */
	check_rcpts(COMPOSE_REPLY,
	    "From: Me Myself <me@example.org>\r\n"
	    "To: Me <me@example.org>\r\n\r\nnote\r\n",
	    "Me <me@example.org>", NULL);
	check_rcpts(COMPOSE_REPLY_ALL,
	    "From: Me Myself <me@example.org>\r\n"
	    "To: me@example.org\r\nCc: me@work.example.com\r\n\r\nnote\r\n",
	    "me@example.org", NULL);
}
END_TEST

START_TEST(test_reply_no_from)
{
	struct compose_draft	d;
	struct error		err;

	check_rcpts(COMPOSE_REPLY, "Subject: anonymous\r\n\r\nbody\r\n",
	    NULL, NULL);
	check_rcpts(COMPOSE_REPLY, "From: undisclosed\r\n\r\nbody\r\n",
	    NULL, NULL);
	check_rcpts(COMPOSE_REPLY_ALL, "From: \r\nTo: b@example.com\r\n\r\nx",
	    "b@example.com", NULL);
	/* Not a message at all. */
	test_compose_start(&d, COMPOSE_REPLY_ALL, "\x01\x02\xff garbage");
	ck_assert_field(d.to, NULL);
	ck_assert_field(d.subject, "Re:");
	compose_draft_fini(&d);
	memset(&d, 0, sizeof d);
	ck_assert_int_eq(compose_start(&d, COMPOSE_REPLY, &test_compose_me,
	    NULL, 0, &err), 0);
	ck_assert_field(d.to, NULL);
	compose_draft_fini(&d);
}
END_TEST

START_TEST(test_reply_names)
{
	/* Encoded names decoded, specials quoted, controls dropped,
	 * groups flattened, bare names dropped. */
	check_rcpts(COMPOSE_REPLY_ALL,
	    "From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <joerg@example.de>\r\n"
	    "To: Team: a@example.com, \"Q. Public\" <q@example.com>;,\r\n"
	    " undisclosed-recipients:;, Just A Name,\r\n"
	    " \"Evil\x1b[31m \\\"Name\\\"\" <evil@example.com>\r\n"
	    "\r\nbody\r\n",
	    "J\xc3\xb6rg M\xc3\xbcller <joerg@example.de>, a@example.com, "
	    "\"Q. Public\" <q@example.com>, "
	    "\"Evil \\\"Name\\\"\" <evil@example.com>", NULL);
}
END_TEST

START_TEST(test_addr_own)
{
	struct compose_identity	none = { NULL, NULL };

	ck_assert(compose_addr_own(&test_compose_me, "me@example.org"));
	ck_assert(compose_addr_own(&test_compose_me, "Me@EXAMPLE.org"));
	ck_assert(compose_addr_own(&test_compose_me, "me.alias@example.net"));
	ck_assert(!compose_addr_own(&test_compose_me, "me@example.org.evil"));
	ck_assert(!compose_addr_own(&test_compose_me, "xme@example.org"));
	ck_assert(!compose_addr_own(&test_compose_me, NULL));
	ck_assert(!compose_addr_own(&none, "me@example.org"));
	ck_assert(!compose_addr_own(NULL, "me@example.org"));
}
END_TEST

/* Reply to msg and compare In-Reply-To and References. */
static void
check_ids(const char *msg, const char *irt, const char *refs)
{
	struct compose_draft	d;

	test_compose_start(&d, COMPOSE_REPLY, msg);
	ck_assert_field(d.in_reply_to, irt);
	ck_assert_field(d.references, refs);
	compose_draft_fini(&d);
}

START_TEST(test_ids)
{
	check_ids("From: a@x\r\nMessage-ID: <c@x>\r\n"
	    "References: <a@x>\r\n <b@x>\r\nIn-Reply-To: <b@x>\r\n\r\nx",
	    "<c@x>", "<a@x> <b@x> <c@x>");
	/* No References: a single In-Reply-To id stands for them. */
	check_ids("From: a@x\r\nMessage-ID: <c@x>\r\nIn-Reply-To: <b@x> "
	    "(Bob's message)\r\n\r\nx", "<c@x>", "<b@x> <c@x>");
	/* ... but not two. */
	check_ids("From: a@x\r\nMessage-ID: <c@x>\r\n"
	    "In-Reply-To: <b@x> <z@x>\r\n\r\nx", "<c@x>", "<c@x>");
	/* No Message-ID: nothing to reply to, the thread kept. */
	check_ids("From: a@x\r\nReferences: <a@x> <b@x>\r\n\r\nx", NULL,
	    "<a@x> <b@x>");
	check_ids("From: a@x\r\n\r\nx", NULL, NULL);
	/* Junk around ids, and a Message-ID in odd case. */
	check_ids("From: a@x\r\nmessage-id:   junk <c@x> more\r\n"
	    "References: garbage <a@x>, <b@x>\r\n\r\nx", "<c@x>",
	    "<a@x> <b@x> <c@x>");
	/* Forwards thread nothing. */
	{
		struct compose_draft	d;

		test_compose_start(&d, COMPOSE_FORWARD_INLINE,
		    "From: a@x\r\nMessage-ID: <c@x>\r\n\r\nx");
		ck_assert_field(d.in_reply_to, NULL);
		ck_assert_field(d.references, NULL);
		compose_draft_fini(&d);
	}
}
END_TEST

/* A References: of n ids "<id-N@host.example.com>", folded. */
static char *
long_refs(size_t n)
{
	struct buf	b = BUF_INITIALIZER(0);
	size_t		i;

	buf_adds(&b, "From: a@example.com\r\nMessage-ID: <new@example.com>\r\n"
	    "References:");
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s<id-%zu@host.example.com>", i % 3 == 0 ?
		    "\r\n " : " ", i);
	buf_adds(&b, "\r\nSubject: long thread\r\n\r\nbody\r\n");
	return buf_take(&b);
}

START_TEST(test_ids_long)
{
	struct compose_draft	 d;
	struct buf		 want = BUF_INITIALIZER(0);
	char			*msg;
	size_t			 i;

	/* 200 ids (about 5 kB): all kept, in order. */
	msg = long_refs(200);
	for (i = 0; i < 200; i++)
		buf_printf(&want, "<id-%zu@host.example.com> ", i);
	buf_adds(&want, "<new@example.com>");
	test_compose_start(&d, COMPOSE_REPLY, msg);
	ck_assert_field(d.references, buf_str(&want));
	compose_draft_fini(&d);
	free(msg);
	buf_fini(&want);

	/* 1000 ids (27 kB): the root and the nearest ancestors kept. */
	msg = long_refs(1000);
	test_compose_start(&d, COMPOSE_REPLY, msg);
	ck_assert_ptr_nonnull(d.references);
	ck_assert_msg(strncmp(d.references, "<id-0@host.example.com> ",
	    24) == 0, "root lost: %.60s", d.references);
	ck_assert_ptr_nonnull(strstr(d.references,
	    " <id-999@host.example.com> <new@example.com>"));
	ck_assert_ptr_null(strstr(d.references, "<id-1@"));
	ck_assert_uint_le(strlen(d.references), MIME_REFERENCES_MAX + 64);
	ck_assert_uint_gt(strlen(d.references), MIME_REFERENCES_MAX - 64);
	compose_draft_fini(&d);
	free(msg);
}
END_TEST

/* The suite of this file. */
Suite *
test_compose_reply_suite(void)
{
	Suite	*s = suite_create("compose_reply");
	TCase	*tc = tcase_create("reply");

	tcase_add_test(tc, test_reply_from);
	tcase_add_test(tc, test_reply_reply_to);
	tcase_add_test(tc, test_reply_all_own_removed);
	tcase_add_test(tc, test_reply_all_only_cc);
	tcase_add_test(tc, test_reply_followup_to);
	tcase_add_test(tc, test_reply_own_message);
	tcase_add_test(tc, test_reply_note_to_self);
	tcase_add_test(tc, test_reply_no_from);
	tcase_add_test(tc, test_reply_names);
	tcase_add_test(tc, test_addr_own);
	tcase_add_test(tc, test_ids);
	tcase_add_test(tc, test_ids_long);
	suite_add_tcase(s, tc);
	return s;
}

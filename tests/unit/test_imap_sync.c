/*
 * test_imap_sync.c - the IMAP sync engine against a scripted server and
 * a real cache: cold download newest first in pipelined batches, the UID
 * diff without extensions, QRESYNC (VANISHED (EARLIER), changed flags,
 * new UIDs only), CONDSTORE with the count-check repair, UIDVALIDITY
 * change on a read-only account (EXAMINE with QRESYNC), and updates that
 * arrive in the middle of other commands.  Exact command transcripts.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/imap_conn.h"
#include "test_imap_fixture.h"
#include "test_imap_mock.h"
#include "util/xmalloc.h"

#define GREET(caps) \
	"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n", \
	"a1 OK [CAPABILITY " caps "] in\r\n"
#define LOGIN	"a1 AUTHENTICATE PLAIN AHVzZXIAcGFzcw==\r\n"
#define ITEMS	"(UID FLAGS INTERNALDATE RFC822.SIZE " \
		"BODY.PEEK[HEADER.FIELDS (" HFN ")])"
#define HFN	"DATE FROM TO CC SUBJECT MESSAGE-ID IN-REPLY-TO REFERENCES"
#define HF	"BODY[HEADER.FIELDS (" HFN ")]"
#define H(seq, uid, flags, subj) \
	"* " #seq " FETCH (UID " #uid " FLAGS (" flags ") RFC822.SIZE 10 " \
	HF " \"Subject: " subj "\")\r\n"
#define H3REF "* 3 FETCH (UID 9 FLAGS (\\Flagged) RFC822.SIZE 10 " HF \
	" {64}\r\nSubject: three\r\nMessage-ID: <c@z>\r\nReferences: <a@x>\r\n <b@y>\r\n\r\n)\r\n"
#define SEL(exists, uv, next, modseq) \
	"* " #exists " EXISTS\r\n* OK [UIDVALIDITY " #uv "] ok\r\n" \
	"* OK [UIDNEXT " #next "] ok\r\n* OK [HIGHESTMODSEQ " #modseq \
	"] ok\r\n"

/* One message's flags by UID. */
static unsigned
flags_of(int64_t folder_id, const char *uid)
{
	struct cache_msg	 m;
	struct error		 err;
	unsigned		 f;

	ck_assert_int_eq(cache_msg_find(fx_cache, folder_id, uid, &m, &err),
	    0);
	f = m.flags;
	cache_msg_fini(&m);
	return f;
}

START_TEST(test_cold_then_uid_diff)
{
	static const char *const s[] = {
		GREET("IMAP4rev1"),
		"* LIST () \"/\" INBOX\r\na2 OK\r\n",
		"* 3 EXISTS\r\n* OK [UIDVALIDITY 100] ok\r\n"
		"* OK [UIDNEXT 10] ok\r\na3 OK [READ-WRITE] sel\r\n",
		H(1, 4, "\\Seen", "one") H(2, 7, "", "two") H3REF
		"a4 OK\r\n",
		/* Second sync: 7 gone, 9 lost \Flagged, 12 is new. */
		"* 3 EXISTS\r\n* OK [UIDVALIDITY 100] ok\r\n"
		"* OK [UIDNEXT 13] ok\r\na5 OK\r\n",
		"* 1 FETCH (UID 4 FLAGS (\\Seen))\r\n"
		"* 2 FETCH (UID 9 FLAGS ())\r\n"
		"* 3 FETCH (UID 12 FLAGS (\\Seen))\r\na6 OK\r\n",
		H(3, 12, "\\Seen", "new") "a7 OK\r\n",
		"a8 OK bye\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 f;
	struct cache_msg	 m;
	struct error		 err;

	a = fx_open(s);
	ck_assert_uint_eq(a->caps & DRIVER_CAP_IDLE, 0);
	ck_assert_int_eq(imap_driver_ops.list_folders(a, fx_cache, &err), 0);
	fx_folder("INBOX", &f);
	ck_assert_int_eq(f.role, CACHE_ROLE_INBOX);
	ck_assert_msg(imap_driver_ops.sync_folder(a, &f, fx_cache, &err) == 0,
	    "%s", err.msg);
	ck_assert_str_eq(fx_uids(f.id), "4,7,9");
	ck_assert_str_eq(fx_state(f.id),
	    "v1 uidvalidity=100 highestmodseq=0 uidnext=10");
	ck_assert_int_eq(cache_msg_find(fx_cache, f.id, "9", &m, &err), 0);
	ck_assert_str_eq(m.references, "<a@x> <b@y>");
	ck_assert_str_eq(m.message_id, "<c@z>");
	cache_msg_fini(&m);

	ck_assert_msg(imap_driver_ops.sync_folder(a, &f, fx_cache, &err) == 0,
	    "%s", err.msg);
	ck_assert_str_eq(fx_uids(f.id), "4,9,12");
	ck_assert_uint_eq(flags_of(f.id, "9"), 0);
	ck_assert_uint_eq(flags_of(f.id, "12"), CACHE_FLAG_SEEN);
	ck_assert_str_eq(fx_state(f.id),
	    "v1 uidvalidity=100 highestmodseq=0 uidnext=13");
	ck_assert_str_eq(mock.status, "INBOX: headers 3/3");
	fx_close(a);
	cache_folder_fini(&f);
	/* Headers already cached (4, 9) are never fetched again. */
	ck_assert_str_eq(fx_sent(), LOGIN
	    "a2 LIST \"\" \"*\"\r\n"
	    "a3 SELECT \"INBOX\"\r\n"
	    "a4 FETCH 1:3 " ITEMS "\r\n"
	    "a5 SELECT \"INBOX\"\r\n"
	    "a6 UID FETCH 1:* (UID FLAGS)\r\n"
	    "a7 UID FETCH 12 " ITEMS "\r\n"
	    "a8 LOGOUT\r\n");
	ck_assert(mock_done());
}
END_TEST

START_TEST(test_qresync)
{
	static const char *const s[] = {
		GREET("IMAP4rev1 ENABLE QRESYNC CONDSTORE IDLE"),
		"* ENABLED QRESYNC\r\na2 OK\r\n"
		"* LIST () \"/\" INBOX\r\na3 OK\r\n",
		SEL(3, 100, 10, 50) "a4 OK\r\n",
		H(1, 4, "\\Seen", "one") H(2, 7, "", "two") H3REF
		"a5 OK\r\n",
		/* 7 expunged, 9 flags changed, 11 and 12 new. */
		"* OK [CLOSED] previous mailbox closed\r\n"
		SEL(4, 100, 13, 60)
		"* VANISHED (EARLIER) 5:8\r\n"
		"* 2 FETCH (UID 9 FLAGS (\\Seen \\Answered) MODSEQ (55))\r\n"
		"a6 OK [READ-WRITE] selected\r\n",
		/* Another client flags 4 while new headers stream in. */
		H(3, 11, "", "eleven")
		"* 1 FETCH (UID 4 FLAGS (\\Seen \\Flagged) MODSEQ (61))\r\n"
		H(4, 12, "", "twelve") "a7 OK\r\n",
		/* Nothing changed: one SELECT, nothing else. */
		SEL(4, 100, 13, 61) "a8 OK\r\n",
		"a9 OK bye\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 f;
	struct error		 err;

	a = fx_open(s);
	ck_assert_uint_eq(a->caps & DRIVER_CAP_IDLE, DRIVER_CAP_IDLE);
	ck_assert_int_eq(imap_driver_ops.list_folders(a, fx_cache, &err), 0);
	fx_folder("INBOX", &f);
	ck_assert_msg(imap_driver_ops.sync_folder(a, &f, fx_cache, &err) == 0,
	    "%s", err.msg);
	ck_assert_str_eq(fx_state(f.id),
	    "v1 uidvalidity=100 highestmodseq=50 uidnext=10");
	ck_assert_msg(imap_driver_ops.sync_folder(a, &f, fx_cache, &err) == 0,
	    "%s", err.msg);
	ck_assert_str_eq(fx_uids(f.id), "4,9,11,12");
	ck_assert_uint_eq(flags_of(f.id, "9"), CACHE_FLAG_SEEN |
	    CACHE_FLAG_ANSWERED);
	ck_assert_uint_eq(flags_of(f.id, "4"), CACHE_FLAG_SEEN |
	    CACHE_FLAG_FLAGGED);
	ck_assert_str_eq(fx_state(f.id),
	    "v1 uidvalidity=100 highestmodseq=60 uidnext=13");
	ck_assert_msg(imap_driver_ops.sync_folder(a, &f, fx_cache, &err) == 0,
	    "%s", err.msg);
	ck_assert_str_eq(fx_state(f.id),
	    "v1 uidvalidity=100 highestmodseq=61 uidnext=13");
	fx_close(a);
	cache_folder_fini(&f);
	ck_assert_str_eq(fx_sent(), LOGIN
	    "a2 ENABLE QRESYNC\r\n"
	    "a3 LIST \"\" \"*\"\r\n"
	    "a4 SELECT \"INBOX\"\r\n"
	    "a5 FETCH 1:3 " ITEMS "\r\n"
	    "a6 SELECT \"INBOX\" (QRESYNC (100 50))\r\n"
	    "a7 UID FETCH 10:* " ITEMS "\r\n"
	    "a8 SELECT \"INBOX\" (QRESYNC (100 60))\r\n"
	    "a9 LOGOUT\r\n");
	/* ENABLE was not waited for: LIST went out right behind it. */
	ck_assert_uint_eq(mock.sent_before[2], strlen(LOGIN
	    "a2 ENABLE QRESYNC\r\na3 LIST \"\" \"*\"\r\n"));
	ck_assert(mock_done());
}
END_TEST

START_TEST(test_condstore)
{
	static const char *const s[] = {
		GREET("IMAP4rev1 CONDSTORE"),
		"* LIST () \"/\" INBOX\r\na2 OK\r\n",
		SEL(3, 100, 10, 50) "a3 OK\r\n",
		H(1, 4, "\\Seen", "one") H(2, 7, "", "two") H3REF
		"a4 OK\r\n",
		/* 4 lost \Seen, 7 expunged (CONDSTORE cannot say), 10 new. */
		SEL(3, 100, 11, 60) "a5 OK\r\n",
		"* 1 FETCH (UID 4 FLAGS () MODSEQ (58))\r\na6 OK\r\n",
		H(3, 10, "", "ten") "a7 OK\r\n",
		"* 1 FETCH (UID 4 FLAGS ())\r\n"
		"* 2 FETCH (UID 9 FLAGS (\\Flagged))\r\n"
		"* 3 FETCH (UID 10 FLAGS ())\r\na8 OK\r\n",
		"a9 OK bye\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 f;
	struct error		 err;

	a = fx_open(s);
	ck_assert_int_eq(imap_driver_ops.list_folders(a, fx_cache, &err), 0);
	fx_folder("INBOX", &f);
	ck_assert_int_eq(imap_driver_ops.sync_folder(a, &f, fx_cache, &err),
	    0);
	ck_assert_msg(imap_driver_ops.sync_folder(a, &f, fx_cache, &err) == 0,
	    "%s", err.msg);
	ck_assert_str_eq(fx_uids(f.id), "4,9,10");
	ck_assert_uint_eq(flags_of(f.id, "4"), 0);
	ck_assert_str_eq(fx_state(f.id),
	    "v1 uidvalidity=100 highestmodseq=60 uidnext=11");
	fx_close(a);
	cache_folder_fini(&f);
	/* The count check (4 cached, 3 on the server) ran the UID diff. */
	ck_assert_str_eq(fx_sent(), LOGIN
	    "a2 LIST \"\" \"*\"\r\n"
	    "a3 SELECT \"INBOX\" (CONDSTORE)\r\n"
	    "a4 FETCH 1:3 " ITEMS "\r\n"
	    "a5 SELECT \"INBOX\" (CONDSTORE)\r\n"
	    "a6 UID FETCH 1:* (UID FLAGS) (CHANGEDSINCE 50)\r\n"
	    "a7 UID FETCH 10:* " ITEMS "\r\n"
	    "a8 UID FETCH 1:* (UID FLAGS)\r\n"
	    "a9 LOGOUT\r\n");
	ck_assert(mock_done());
}
END_TEST

/*
 * LIST-STATUS (RFC 5819) with CONDSTORE: a folder whose STATUS matches the
 * cached state is not selected; the selected one, a changed one, and one
 * synced again without a new LIST are.  STATUS is asked only once two
 * folders hold messages.
 */
START_TEST(test_list_status_skips_unchanged)
{
#define LS	"a%d LIST \"\" \"*\" RETURN (STATUS (MESSAGES UIDNEXT " \
		"UIDVALIDITY UNSEEN HIGHESTMODSEQ))\r\n"
#define STI(modseq) "* STATUS INBOX (MESSAGES 3 UIDNEXT 10 UIDVALIDITY " \
		"100 UNSEEN 2 HIGHESTMODSEQ " #modseq ")\r\n"
#define STO(modseq) "* STATUS \"Other\" (MESSAGES 1 UIDNEXT 5 " \
		"UIDVALIDITY 200 UNSEEN 0 HIGHESTMODSEQ " #modseq ")\r\n"
#define LISTS	"* LIST () \"/\" INBOX\r\n* LIST () \"/\" Other\r\n"
	static const char *const s[] = {
		GREET("IMAP4rev1 CONDSTORE LIST-STATUS LIST-EXTENDED"),
		LISTS "a2 OK\r\n",
		SEL(3, 100, 10, 50) "a3 OK\r\n",
		H(1, 4, "\\Seen", "one") H(2, 7, "", "two") H3REF "a4 OK\r\n",
		SEL(1, 200, 5, 7) "a5 OK\r\n",
		H(1, 4, "\\Seen", "o") "a6 OK\r\n",
		/* Both unchanged: INBOX skipped, Other (selected) not. */
		LISTS STI(50) STO(7) "a7 OK\r\n",
		SEL(1, 200, 5, 7) "a8 OK\r\n",
		/* INBOX again, its STATUS used up: selected. */
		SEL(3, 100, 10, 50) "a9 OK\r\n",
		/* Other changed (a flag): selected, the change fetched. */
		LISTS STI(50) STO(8) "a10 OK\r\n",
		SEL(1, 200, 5, 8) "a11 OK\r\n",
		"* 1 FETCH (UID 4 FLAGS () MODSEQ (8))\r\na12 OK\r\n",
		"a13 OK bye\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 in, other;
	struct error		 err;
	char			 want[2048];

	a = fx_open(s);
	for (int pass = 0; pass < 3; pass++) {
		ck_assert_int_eq(imap_driver_ops.list_folders(a, fx_cache,
		    &err), 0);
		fx_folder("INBOX", &in);
		fx_folder("Other", &other);
		if (pass != 2)
			ck_assert_msg(imap_driver_ops.sync_folder(a, &in,
			    fx_cache, &err) == 0, "%s", err.msg);
		ck_assert_msg(imap_driver_ops.sync_folder(a, &other, fx_cache,
		    &err) == 0, "%s", err.msg);
		if (pass == 1)
			ck_assert_msg(imap_driver_ops.sync_folder(a, &in,
			    fx_cache, &err) == 0, "%s", err.msg);
		if (pass < 2) {
			cache_folder_fini(&in);
			cache_folder_fini(&other);
		}
	}
	ck_assert_str_eq(fx_uids(in.id), "4,7,9");
	ck_assert_uint_eq(flags_of(other.id, "4"), 0);
	fx_close(a);
	cache_folder_fini(&in);
	cache_folder_fini(&other);
	/* The first LIST, with nothing cached, asks no STATUS. */
	snprintf(want, sizeof want, LOGIN "a2 LIST \"\" \"*\"\r\n"
	    "a3 SELECT \"INBOX\" (CONDSTORE)\r\n"
	    "a4 FETCH 1:3 " ITEMS "\r\n"
	    "a5 SELECT \"Other\" (CONDSTORE)\r\n"
	    "a6 FETCH 1:1 " ITEMS "\r\n"
	    LS
	    "a8 SELECT \"Other\" (CONDSTORE)\r\n"
	    "a9 SELECT \"INBOX\" (CONDSTORE)\r\n"
	    LS
	    "a11 SELECT \"Other\" (CONDSTORE)\r\n"
	    "a12 UID FETCH 1:* (UID FLAGS) (CHANGEDSINCE 7)\r\n"
	    "a13 LOGOUT\r\n", 7, 10);
	ck_assert_str_eq(fx_sent(), want);
	ck_assert(mock_done());
#undef LS
#undef STI
#undef STO
#undef LISTS
}
END_TEST

/* imap_disable: QRESYNC and CONDSTORE offered but never used. */
START_TEST(test_imap_disable)
{
	static const char *const s[] = {
		GREET("IMAP4rev1 ENABLE CONDSTORE QRESYNC"),
		"* LIST () \"/\" INBOX\r\na2 OK\r\n",
		SEL(3, 100, 10, 50) "a3 OK\r\n",
		H(1, 4, "\\Seen", "one") H(2, 7, "", "two") H3REF
		"a4 OK\r\n",
		"a5 OK bye\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 f;
	struct error		 err;

	fx_cfg.imap_disable = "QRESYNC, condstore";
	a = fx_open(s);
	ck_assert_int_eq(imap_driver_ops.list_folders(a, fx_cache, &err), 0);
	fx_folder("INBOX", &f);
	ck_assert_msg(imap_driver_ops.sync_folder(a, &f, fx_cache, &err) == 0,
	    "%s", err.msg);
	fx_close(a);
	fx_cfg.imap_disable = NULL;
	ck_assert_str_eq(fx_uids(f.id), "4,7,9");
	cache_folder_fini(&f);
	/* No ENABLE, no (CONDSTORE) on the SELECT. */
	ck_assert_str_eq(fx_sent(), LOGIN
	    "a2 LIST \"\" \"*\"\r\n"
	    "a3 SELECT \"INBOX\"\r\n"
	    "a4 FETCH 1:3 " ITEMS "\r\n"
	    "a5 LOGOUT\r\n");
	ck_assert(mock_done());
	ck_assert_uint_eq(imap_caps_names("compress,IDLE  move"),
	    IMAP_CAP_COMPRESS | IMAP_CAP_IDLE | IMAP_CAP_MOVE);
	ck_assert_uint_eq(imap_caps_names(NULL), 0);
}
END_TEST

START_TEST(test_uidvalidity_read_only)
{
	static const char *const s[] = {
		GREET("IMAP4rev1 ENABLE QRESYNC CONDSTORE"),
		"* ENABLED QRESYNC\r\na2 OK\r\n",
		/* UIDVALIDITY 200: the QRESYNC parameters are ignored. */
		SEL(1, 200, 6, 70) "a3 OK [READ-ONLY] examined\r\n",
		H(1, 4, "", "new four") "a4 OK\r\n",
		"a5 OK bye\r\n",
		NULL
	};
	struct account		*a;
	struct cache_msg	 m;
	struct cache_folder	 f;
	struct error		 err;
	int64_t			 id;

	fx_cfg.read_only = true;
	id = fx_add_folder("INBOX");
	ck_assert_int_eq(cache_folder_set_state(fx_cache, id,
	    "v1 uidvalidity=100 highestmodseq=50 uidnext=10", &err), 0);
	memset(&m, 0, sizeof m);
	m.folder_id = id;
	m.remote_id = (char *)"4";
	m.subject = (char *)"old four";
	ck_assert_int_eq(cache_msg_put(fx_cache, &m, &err), 0);
	m.remote_id = (char *)"5";
	ck_assert_int_eq(cache_msg_put(fx_cache, &m, &err), 0);

	a = fx_open(s);
	fx_folder("INBOX", &f);
	ck_assert_msg(imap_driver_ops.sync_folder(a, &f, fx_cache, &err) == 0,
	    "%s", err.msg);
	ck_assert_str_eq(fx_uids(f.id), "4");
	ck_assert_int_eq(cache_msg_find(fx_cache, f.id, "4", &m, &err), 0);
	ck_assert_str_eq(m.subject, "new four");
	cache_msg_fini(&m);
	ck_assert_str_eq(fx_state(f.id),
	    "v1 uidvalidity=200 highestmodseq=70 uidnext=6");
	fx_close(a);
	cache_folder_fini(&f);
	ck_assert_str_eq(fx_sent(), LOGIN
	    "a2 ENABLE QRESYNC\r\n"
	    "a3 EXAMINE \"INBOX\" (QRESYNC (100 50))\r\n"
	    "a4 FETCH 1:1 " ITEMS "\r\n"
	    "a5 LOGOUT\r\n");
}
END_TEST

START_TEST(test_newest_first_batches)
{
	const uint32_t		 total = 2500;
	struct buf		 b[3];
	const char		*script[10];
	const uint32_t		 lo[3] = { 2301, 301, 1 }, hi[3] = { 2500,
	    2300, 300 };
	struct account		*a;
	struct cache_folder	 f;
	struct error		 err;
	int64_t			 count, unread;

	for (size_t k = 0; k < 3; k++) {
		buf_init(&b[k], 0);
		for (uint32_t i = hi[k]; i >= lo[k]; i--)
			buf_printf(&b[k], "* %u FETCH (UID %u FLAGS (%s) "
			    "RFC822.SIZE %u " HF " \"Subject: s%u\")\r\n", i,
			    i * 2,
			    i % 2 ? "\\Seen" : "", i, i);
		buf_printf(&b[k], "a%zu OK\r\n", k + 4);
	}
	script[0] = "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n";
	script[1] = "a1 OK [CAPABILITY IMAP4rev1] in\r\n";
	script[2] = "* LIST () \".\" INBOX\r\na2 OK\r\n";
	script[3] = "* 2500 EXISTS\r\n* OK [UIDVALIDITY 1] ok\r\na3 OK\r\n";
	script[4] = b[0].data;
	script[5] = b[1].data;
	script[6] = b[2].data;
	script[7] = "a7 OK bye\r\n";
	script[8] = NULL;

	a = fx_open(script);
	mock.chunk = 777;		/* responses cut at odd places */
	ck_assert_int_eq(imap_driver_ops.list_folders(a, fx_cache, &err), 0);
	fx_folder("INBOX", &f);
	buf_reset(&mock.statuses);
	ck_assert_msg(imap_driver_ops.sync_folder(a, &f, fx_cache, &err) == 0,
	    "%s", err.msg);
	/* Progress after the first screenful, then after each batch. */
	ck_assert_str_eq(buf_str(&mock.statuses),
	    "INBOX: headers 200/2500\n"
	    "INBOX: headers 2200/2500\n"
	    "INBOX: headers 2500/2500\n"
	    "INBOX: headers 2500/2500\n");
	fx_close(a);
	/*
	 * Few transactions: the first window (the first screenful) at once,
	 * the rest in large groups, never one per dry read.
	 */
	ck_assert_int_ge(mock.rows_written, 2);
	ck_assert_int_le(mock.rows_written, 4);
	ck_assert_int_eq(cache_msg_count(fx_cache, f.id, &count, &unread,
	    &err), 0);
	ck_assert_int_eq(count, total);
	ck_assert_int_eq(unread, 1250);
	ck_assert_str_eq(fx_state(f.id),
	    "v1 uidvalidity=1 highestmodseq=0 uidnext=5001");
	cache_folder_fini(&f);
	/*
	 * The first window alone; the other two batches were both sent once
	 * it was answered, before their answers were read.
	 */
	ck_assert_str_eq(fx_sent(),
	    "a1 AUTHENTICATE PLAIN AHVzZXIAcGFzcw==\r\n"
	    "a2 LIST \"\" \"*\"\r\n"
	    "a3 SELECT \"INBOX\"\r\n"
	    "a4 FETCH 2301:2500 " ITEMS "\r\n"
	    "a5 FETCH 301:2300 " ITEMS "\r\n"
	    "a6 FETCH 1:300 " ITEMS "\r\n"
	    "a7 LOGOUT\r\n");
	ck_assert_uint_eq(mock.sent_before[4], strlen(fx_sent()) -
	    strlen("a5 FETCH 301:2300 " ITEMS "\r\n"
	    "a6 FETCH 1:300 " ITEMS "\r\na7 LOGOUT\r\n"));
	ck_assert_uint_eq(mock.sent_before[5], strlen(fx_sent()) -
	    strlen("a7 LOGOUT\r\n"));
	for (size_t k = 0; k < 3; k++)
		buf_fini(&b[k]);
}
END_TEST

START_TEST(test_untagged_anytime)
{
	static const char *const s[] = {
		GREET("IMAP4rev1"),
		"* 2 EXISTS\r\n* OK [UIDVALIDITY 5] ok\r\na2 OK\r\n",
		/* Odd updates in the middle of the download. */
		"* 1 FETCH (FLAGS (\\Seen))\r\n" H(1, 3, "", "a")
		"* 3 EXISTS\r\n* 9 RECENT\r\n* 1 EXPUNGE\r\n"
		"* OK [ALERT] hello\r\n* XUNKNOWN (1 2\r\n"
		"* NO odd\r\n" H(2, 4, "", "b") "a3 OK\r\n",
		/* Count check: 2 cached, EXISTS says 2 (3, then -1). */
		"a4 OK bye\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 f;
	struct error		 err;
	int64_t			 id;

	id = fx_add_folder("INBOX");
	a = fx_open(s);
	fx_folder("INBOX", &f);
	ck_assert_msg(imap_driver_ops.sync_folder(a, &f, fx_cache, &err) == 0,
	    "%s", err.msg);
	ck_assert_str_eq(fx_uids(id), "3,4");
	fx_close(a);
	cache_folder_fini(&f);
	ck_assert(mock_done());
}
END_TEST

/* The suite. */
static Suite *
imap_sync_suite(void)
{
	Suite	*s = suite_create("imap_sync");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, test_cold_then_uid_diff);
	tcase_add_test(tc, test_qresync);
	tcase_add_test(tc, test_condstore);
	tcase_add_test(tc, test_list_status_skips_unchanged);
	tcase_add_test(tc, test_imap_disable);
	tcase_add_test(tc, test_uidvalidity_read_only);
	tcase_add_test(tc, test_newest_first_batches);
	tcase_add_test(tc, test_untagged_anytime);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(imap_sync_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * test_imap_ops.c - IMAP mailbox operations against a scripted server
 * and a real cache: copy/move/expunge with COPYUID, the UIDPLUS move
 * fallback, read-only refusal, search (ESEARCH, literals), APPEND with a
 * synchronizing literal, folder create/rename/delete with roles, IDLE
 * left on cmd_fd, on EXISTS and on timeout, and a COMPRESS=DEFLATE
 * session checked with zlib.  Exact command transcripts.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

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

static int64_t	 inbox, archive;

/* INBOX with UIDs 4 and 9 (UIDVALIDITY 5), Archive (UIDVALIDITY 77). */
static void
seed(void)
{
	struct cache_msg	 m;
	struct error		 err;
	const char		*subj[] = { "four", "nine" }, *ids[] = { "4",
	    "9" };

	inbox = fx_add_folder("INBOX");
	archive = fx_add_folder("Archive");
	ck_assert_int_eq(cache_folder_set_state(fx_cache, inbox,
	    "v1 uidvalidity=5 highestmodseq=0 uidnext=10", &err), 0);
	ck_assert_int_eq(cache_folder_set_state(fx_cache, archive,
	    "v1 uidvalidity=77 highestmodseq=0 uidnext=100", &err), 0);
	for (size_t i = 0; i < 2; i++) {
		memset(&m, 0, sizeof m);
		m.folder_id = inbox;
		m.remote_id = (char *)ids[i];
		m.subject = (char *)subj[i];
		m.flags = CACHE_FLAG_SEEN;
		ck_assert_int_eq(cache_msg_put(fx_cache, &m, &err), 0);
	}
}

/* The subject of a cached message. */
static const char *
subject(int64_t folder_id, const char *uid)
{
	static char		 out[64];
	struct cache_msg	 m;
	struct error		 err;

	ck_assert_int_eq(cache_msg_find(fx_cache, folder_id, uid, &m, &err),
	    0);
	snprintf(out, sizeof out, "%s", m.subject ? m.subject : "");
	cache_msg_fini(&m);
	return out;
}

START_TEST(test_copy_move_expunge)
{
	static const char *const s[] = {
		GREET("IMAP4rev1 UIDPLUS MOVE"),
		"* 2 EXISTS\r\n* OK [UIDVALIDITY 5] ok\r\na2 OK\r\n",
		"a3 OK [COPYUID 77 4,9 100:101] copied\r\n",
		"* OK [COPYUID 77 4 102] moving\r\n* 1 EXPUNGE\r\n"
		"a4 OK moved\r\n",
		"* 1 EXPUNGE\r\na5 OK expunged\r\n",
		"a6 OK bye\r\n",
		NULL
	};
	const char		*both[] = { "9", "4" }, *four[] = { "4" },
	    *nine[] = { "9" };
	struct account		*a;
	struct cache_folder	 in, ar;
	struct error		 err;

	seed();
	a = fx_open(s);
	fx_folder("INBOX", &in);
	fx_folder("Archive", &ar);
	ck_assert_msg(imap_driver_ops.copy(a, &in, both, 2, &ar, fx_cache,
	    &err) == 0, "%s", err.msg);
	/* COPYUID: the rows are in Archive without a download. */
	ck_assert_str_eq(fx_uids(archive), "100,101");
	ck_assert_str_eq(subject(archive, "100"), "four");
	ck_assert_str_eq(subject(archive, "101"), "nine");
	ck_assert_msg(imap_driver_ops.move(a, &in, four, 1, &ar, fx_cache,
	    &err) == 0, "%s", err.msg);
	ck_assert_str_eq(fx_uids(inbox), "9");
	ck_assert_str_eq(fx_uids(archive), "100,101,102");
	ck_assert_str_eq(subject(archive, "102"), "four");
	ck_assert_msg(imap_driver_ops.expunge(a, &in, nine, 1, fx_cache,
	    &err) == 0, "%s", err.msg);
	ck_assert_str_eq(fx_uids(inbox), "");
	fx_close(a);
	ck_assert_str_eq(fx_sent(), LOGIN
	    "a2 SELECT \"INBOX\"\r\n"
	    "a3 UID COPY 4,9 \"Archive\"\r\n"
	    "a4 UID MOVE 4 \"Archive\"\r\n"
	    "a5 UID EXPUNGE 9\r\n"
	    "a6 LOGOUT\r\n");
	cache_folder_fini(&in);
	cache_folder_fini(&ar);
}
END_TEST

START_TEST(test_move_fallbacks)
{
	static const char *const s1[] = {
		GREET("IMAP4rev1 UIDPLUS"),
		"* 2 EXISTS\r\n* OK [UIDVALIDITY 5] ok\r\na2 OK\r\n",
		"a3 OK [COPYUID 77 4 103] copied\r\n",
		"a4 OK stored\r\n* 1 EXPUNGE\r\na5 OK expunged\r\n",
		"a6 OK bye\r\n",
		NULL
	};
	static const char *const s2[] = {
		GREET("IMAP4rev1"),
		"a2 OK bye\r\n",
		NULL
	};
	const char		*four[] = { "4" };
	struct account		*a;
	struct cache_folder	 in, ar;
	struct error		 err;

	seed();
	a = fx_open(s1);
	fx_folder("INBOX", &in);
	fx_folder("Archive", &ar);
	ck_assert_msg(imap_driver_ops.move(a, &in, four, 1, &ar, fx_cache,
	    &err) == 0, "%s", err.msg);
	ck_assert_str_eq(fx_uids(inbox), "9");
	ck_assert_str_eq(fx_uids(archive), "103");
	fx_close(a);
	ck_assert_str_eq(fx_sent(), LOGIN
	    "a2 SELECT \"INBOX\"\r\n"
	    "a3 UID COPY 4 \"Archive\"\r\n"
	    "a4 UID STORE 4 +FLAGS.SILENT (\\Deleted)\r\n"
	    "a5 UID EXPUNGE 4\r\n"
	    "a6 LOGOUT\r\n");
	/* STORE and EXPUNGE went out together, after the COPY's OK. */
	ck_assert_uint_eq(mock.sent_before[4], strlen(fx_sent()) -
	    strlen("a6 LOGOUT\r\n"));

	/* Neither MOVE nor UIDPLUS: the wrapper must emulate. */
	a = fx_open(s2);
	ck_assert_int_eq(imap_driver_ops.move(a, &in, four, 1, &ar, fx_cache,
	    &err), -1);
	ck_assert_int_eq(err.code, ERR_UNSUPPORTED);
	fx_close(a);
	ck_assert_str_eq(fx_sent(), LOGIN "a2 LOGOUT\r\n");
	cache_folder_fini(&in);
	cache_folder_fini(&ar);
}
END_TEST

START_TEST(test_read_only_refusals)
{
	static const char *const s[] = {
		GREET("IMAP4rev1 UIDPLUS MOVE LITERAL+"),
		"a2 OK bye\r\n",
		NULL
	};
	const char		*four[] = { "4" };
	struct account		*a;
	struct cache_folder	 in, ar;
	struct error		 err;

	seed();
	fx_cfg.read_only = true;
	a = fx_open(s);
	fx_folder("INBOX", &in);
	fx_folder("Archive", &ar);
#define REFUSED(call) do {						\
	error_clear(&err);						\
	ck_assert_int_eq((call), -1);					\
	ck_assert_int_eq(err.code, ERR_READONLY);			\
} while (0)
	REFUSED(imap_driver_ops.copy(a, &in, four, 1, &ar, fx_cache, &err));
	REFUSED(imap_driver_ops.move(a, &in, four, 1, &ar, fx_cache, &err));
	REFUSED(imap_driver_ops.expunge(a, &in, four, 1, fx_cache, &err));
	REFUSED(imap_driver_ops.append(a, &in, "x", 1, 0, 0, fx_cache,
	    &err));
	REFUSED(imap_driver_ops.create_folder(a, "New", fx_cache, &err));
	REFUSED(imap_driver_ops.rename_folder(a, &ar, "Old", fx_cache,
	    &err));
	REFUSED(imap_driver_ops.delete_folder(a, &ar, fx_cache, &err));
	REFUSED(imap_driver_ops.store_flags(a, &in, four, 1, CACHE_FLAG_SEEN,
	    0, fx_cache, &err));
	fx_close(a);
	/* Nothing at all was sent between login and logout. */
	ck_assert_str_eq(fx_sent(), LOGIN "a2 LOGOUT\r\n");
	ck_assert_str_eq(fx_uids(inbox), "4,9");
	cache_folder_fini(&in);
	cache_folder_fini(&ar);
}
END_TEST

START_TEST(test_search)
{
	static const char *const s1[] = {
		GREET("IMAP4rev1 ESEARCH LITERAL+"),
		"* 2 EXISTS\r\n* OK [UIDVALIDITY 5] ok\r\na2 OK\r\n",
		"* ESEARCH (TAG \"a3\") UID ALL 4,9:10\r\na3 OK\r\n",
		"* ESEARCH (TAG \"a4\") UID\r\na4 OK\r\n",
		"a5 OK bye\r\n",
		NULL
	};
	static const char *const s2[] = {
		GREET("IMAP4rev1"),
		"* 2 EXISTS\r\n* OK [UIDVALIDITY 5] ok\r\na2 OK\r\n",
		"+ go on\r\n",
		"* SEARCH 4 9\r\na3 OK\r\n",
		"a4 OK bye\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 in;
	struct error		 err;
	char			**ids;
	size_t			 n;

	seed();
	a = fx_open(s1);
	fx_folder("INBOX", &in);
	ck_assert_msg(imap_driver_ops.search(a, &in, "Gr\xc3\xbc\xc3\x9f" "e",
	    &ids, &n, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(ids[0], "4");
	ck_assert_str_eq(ids[2], "10");
	cache_strv_free(ids, n);
	ck_assert_int_eq(imap_driver_ops.search(a, &in, "say \"hi\"", &ids,
	    &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	fx_close(a);
	ck_assert_str_eq(fx_sent(), LOGIN
	    "a2 SELECT \"INBOX\"\r\n"
	    "a3 UID SEARCH RETURN (ALL) CHARSET UTF-8 TEXT {7+}\r\n"
	    "Gr\xc3\xbc\xc3\x9f" "e\r\n"
	    "a4 UID SEARCH RETURN (ALL) TEXT \"say \\\"hi\\\"\"\r\n"
	    "a5 LOGOUT\r\n");

	/* No LITERAL+: wait for "+" before the literal. */
	a = fx_open(s2);
	ck_assert_msg(imap_driver_ops.search(a, &in, "Gr\xc3\xbc\xc3\x9f" "e",
	    &ids, &n, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(n, 2);
	cache_strv_free(ids, n);
	fx_close(a);
	ck_assert_str_eq(fx_sent(), LOGIN
	    "a2 SELECT \"INBOX\"\r\n"
	    "a3 UID SEARCH CHARSET UTF-8 TEXT {7}\r\n"
	    "Gr\xc3\xbc\xc3\x9f" "e\r\n"
	    "a4 LOGOUT\r\n");
	ck_assert_uint_eq(mock.sent_before[3], strlen(LOGIN
	    "a2 SELECT \"INBOX\"\r\na3 UID SEARCH CHARSET UTF-8 TEXT {7}\r\n"));
	cache_folder_fini(&in);
}
END_TEST

START_TEST(test_append)
{
	static const char *const s1[] = {
		GREET("IMAP4rev1"),
		"+ Ready for literal data\r\n",
		"a2 OK [APPENDUID 5 3] done\r\n",
		"a3 NO [TRYCREATE] no such mailbox\r\n",
		"a4 OK bye\r\n",
		NULL
	};
	static const char *const s2[] = {
		GREET("IMAP4rev1 LITERAL+"),
		"a2 OK done\r\n",
		"a3 OK bye\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 dr;
	struct error		 err;

	fx_add_folder("Drafts");
	fx_folder("Drafts", &dr);
	a = fx_open(s1);
	ck_assert_msg(imap_driver_ops.append(a, &dr, "A: b\r\n\r\nx", 9,
	    CACHE_FLAG_SEEN | CACHE_FLAG_DRAFT | CACHE_FLAG_RECENT,
	    1609495200, fx_cache, &err) == 0, "%s", err.msg);
	/* A refusal instead of "+": the literal is never sent. */
	free(dr.remote_name);
	dr.remote_name = xstrdup("Nope");
	ck_assert_int_eq(imap_driver_ops.append(a, &dr, "A: b\r\n\r\nx", 9,
	    0, 0, fx_cache, &err), -1);
	ck_assert_int_eq(err.code, ERR_SERVER);
	fx_close(a);
	ck_assert_str_eq(fx_sent(), LOGIN
	    "a2 APPEND \"Drafts\" (\\Seen \\Draft) "
	    "\"01-Jan-2021 10:00:00 +0000\" {9}\r\n"
	    "A: b\r\n\r\nx\r\n"
	    "a3 APPEND \"Nope\" {9}\r\n"
	    "a4 LOGOUT\r\n");
	/* The literal followed the server's "+", not before it. */
	ck_assert_uint_eq(mock.sent_before[2], strlen(LOGIN
	    "a2 APPEND \"Drafts\" (\\Seen \\Draft) "
	    "\"01-Jan-2021 10:00:00 +0000\" {9}\r\n"));

	a = fx_open(s2);
	ck_assert_int_eq(imap_driver_ops.append(a, &dr, "A: b\r\n\r\nx", 9,
	    0, 0, fx_cache, &err), 0);
	fx_close(a);
	ck_assert_str_eq(fx_sent(), LOGIN
	    "a2 APPEND \"Nope\" {9+}\r\nA: b\r\n\r\nx\r\n"
	    "a3 LOGOUT\r\n");
	cache_folder_fini(&dr);
}
END_TEST

/* The role of a cached folder. */
static enum cache_role
role_of(const char *remote)
{
	struct cache_folder	 f;
	enum cache_role		 r;

	fx_folder(remote, &f);
	r = f.role;
	cache_folder_fini(&f);
	return r;
}

START_TEST(test_folders_and_roles)
{
	static const char *const s[] = {
		GREET("IMAP4rev1 SPECIAL-USE LIST-EXTENDED"),
		"* LIST (\\HasNoChildren) \"/\" INBOX\r\n"
		"* LIST (\\HasNoChildren \\Trash) \"/\" Bin\r\n"
		"* LIST () \"/\" Trash\r\n"
		"* LIST () \"/\" \"Sent Items\"\r\n"
		"* LIST (\\Noselect) \"/\" Junk\r\n"
		"* LIST () \"/\" \"Archive/Spam\"\r\n"
		"* LIST () \"/\" Archive\r\na2 OK\r\n",
		"a3 OK created\r\n"
		"* LIST () \"/\" INBOX\r\n"
		"* LIST () \"/\" \"Entw&APw-rfe\"\r\na4 OK\r\n",
		"a5 OK renamed\r\n"
		"* LIST () \"/\" INBOX\r\n"
		"* LIST (\\Drafts) \"/\" Drafts\r\na6 OK\r\n",
		"a7 OK deleted\r\n"
		"* LIST () \"/\" INBOX\r\na8 OK\r\n",
		"a9 OK bye\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 f;
	struct error		 err;

	a = fx_open(s);
	ck_assert_int_eq(imap_driver_ops.list_folders(a, fx_cache, &err), 0);
	ck_assert_int_eq(role_of("INBOX"), CACHE_ROLE_INBOX);
	ck_assert_int_eq(role_of("Bin"), CACHE_ROLE_TRASH);
	ck_assert_int_eq(role_of("Trash"), CACHE_ROLE_NONE);
	ck_assert_int_eq(role_of("Sent Items"), CACHE_ROLE_SENT);
	ck_assert_int_eq(role_of("Junk"), CACHE_ROLE_NONE);
	ck_assert_int_eq(role_of("Archive/Spam"), CACHE_ROLE_JUNK);
	ck_assert_int_eq(role_of("Archive"), CACHE_ROLE_ARCHIVE);

	ck_assert_msg(imap_driver_ops.create_folder(a, "Entw\xc3\xbcrfe",
	    fx_cache, &err) == 0, "%s", err.msg);
	fx_folder("Entw&APw-rfe", &f);
	ck_assert_str_eq(f.name, "Entw\xc3\xbcrfe");
	ck_assert_msg(imap_driver_ops.rename_folder(a, &f, "Drafts",
	    fx_cache, &err) == 0, "%s", err.msg);
	cache_folder_fini(&f);
	ck_assert_int_eq(role_of("Drafts"), CACHE_ROLE_DRAFTS);
	fx_folder("Drafts", &f);
	ck_assert_msg(imap_driver_ops.delete_folder(a, &f, fx_cache,
	    &err) == 0, "%s", err.msg);
	cache_folder_fini(&f);
	ck_assert_int_eq(cache_folder_find(fx_cache, a->cache_id, "Drafts",
	    &f, &err), 1);
	cache_folder_fini(&f);
	fx_close(a);
	ck_assert_str_eq(fx_sent(), LOGIN
	    "a2 LIST \"\" \"*\" RETURN (SPECIAL-USE)\r\n"
	    "a3 CREATE \"Entw&APw-rfe\"\r\n"
	    "a4 LIST \"\" \"*\" RETURN (SPECIAL-USE)\r\n"
	    "a5 RENAME \"Entw&APw-rfe\" \"Drafts\"\r\n"
	    "a6 LIST \"\" \"*\" RETURN (SPECIAL-USE)\r\n"
	    "a7 DELETE \"Drafts\"\r\n"
	    "a8 LIST \"\" \"*\" RETURN (SPECIAL-USE)\r\n"
	    "a9 LOGOUT\r\n");
	/* Each command and its LIST went out together. */
	ck_assert_uint_eq(mock.sent_before[3], strlen(LOGIN
	    "a2 LIST \"\" \"*\" RETURN (SPECIAL-USE)\r\n"
	    "a3 CREATE \"Entw&APw-rfe\"\r\n"
	    "a4 LIST \"\" \"*\" RETURN (SPECIAL-USE)\r\n"));
}
END_TEST

START_TEST(test_idle)
{
	static const char *const s[] = {
		GREET("IMAP4rev1 IDLE"),
		"* 0 EXISTS\r\n* OK [UIDVALIDITY 5] ok\r\na2 OK\r\n",
		/* 1: a command is waiting. */
		"+ idling\r\n",
		"a3 OK IDLE done\r\n",
		/* 2: a message arrives. */
		"+ idling\r\n",
		"* 1 EXISTS\r\n",
		"a4 OK IDLE done\r\n",
		"* 1 EXISTS\r\n* OK [UIDVALIDITY 5] ok\r\n"
		"* OK [UIDNEXT 8] ok\r\na5 OK\r\n",
		"* 1 FETCH (UID 7 FLAGS ())\r\na6 OK\r\n",
		"* 1 FETCH (UID 7 FLAGS () " HF " \"Subject: hi\")\r\n"
		"a7 OK\r\n",
		/* 3: nothing happens before the timeout. */
		"+ idling\r\n",
		"a8 OK IDLE done\r\n",
		"a9 OK bye\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 f;
	struct error		 err;
	int			 cmd[2], sock[2];
	char			 c;
	int64_t			 id;

	ck_assert_int_eq(pipe(cmd), 0);
	ck_assert_int_eq(pipe(sock), 0);
	id = fx_add_folder("INBOX");
	a = fx_open(s);
	fx_folder("INBOX", &f);
	ck_assert_int_eq(imap_driver_ops.sync_folder(a, &f, fx_cache, &err),
	    0);

	ck_assert_int_eq(write(cmd[1], "x", 1), 1);
	ck_assert_msg(imap_driver_ops.wait_changes(a, &f, fx_cache, cmd[0],
	    5000, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(read(cmd[0], &c, 1), 1);

	ck_assert_int_eq(write(sock[1], "x", 1), 1);
	mock_set_fd(sock[0]);		/* "the server sent something" */
	ck_assert_msg(imap_driver_ops.wait_changes(a, &f, fx_cache, cmd[0],
	    5000, &err) == 1, "%s", err.msg);
	ck_assert_str_eq(fx_uids(id), "7");

	mock_set_fd(-1);
	ck_assert_int_eq(imap_driver_ops.wait_changes(a, &f, fx_cache, cmd[0],
	    50, &err), 0);
	fx_close(a);
	ck_assert_str_eq(fx_sent(), LOGIN
	    "a2 SELECT \"INBOX\"\r\n"
	    "a3 IDLE\r\nDONE\r\n"
	    "a4 IDLE\r\nDONE\r\n"
	    "a5 SELECT \"INBOX\"\r\n"
	    "a6 UID FETCH 1:* (UID FLAGS)\r\n"
	    "a7 UID FETCH 7 " ITEMS "\r\n"
	    "a8 IDLE\r\nDONE\r\n"
	    "a9 LOGOUT\r\n");
	/* DONE only after the server's "+" (packet 3). */
	ck_assert_uint_eq(mock.sent_before[3], strlen(LOGIN
	    "a2 SELECT \"INBOX\"\r\na3 IDLE\r\n"));
	ck_assert_uint_eq(mock.sent_before[4], strlen(LOGIN
	    "a2 SELECT \"INBOX\"\r\na3 IDLE\r\nDONE\r\n"));
	cache_folder_fini(&f);
	close(cmd[0]);
	close(cmd[1]);
	close(sock[0]);
	close(sock[1]);
	mock_set_fd(-1);
}
END_TEST

/* Deflate one server packet (the stream continues across packets). */
static size_t
zpack(z_stream *z, const char *text, char *out, size_t cap)
{
	z->next_in = (Bytef *)(uintptr_t)text;
	z->avail_in = (uInt)strlen(text);
	z->next_out = (Bytef *)out;
	z->avail_out = (uInt)cap;
	ck_assert_int_eq(deflate(z, Z_SYNC_FLUSH), Z_OK);
	return cap - z->avail_out;
}

/* Inflate what the client sent after the first prefix bytes. */
static void
zsent(size_t prefix, char *plain, size_t cap)
{
	z_stream	 zi;

	memset(&zi, 0, sizeof zi);
	ck_assert_int_eq(inflateInit2(&zi, -15), Z_OK);
	zi.next_in = (Bytef *)mock.sent.data + prefix;
	zi.avail_in = (uInt)(mock.sent.len - prefix);
	zi.next_out = (Bytef *)plain;
	zi.avail_out = (uInt)cap - 1;
	ck_assert_int_eq(inflate(&zi, Z_SYNC_FLUSH), Z_OK);
	ck_assert_uint_eq(zi.avail_in, 0);
	plain[cap - 1 - zi.avail_out] = '\0';
	inflateEnd(&zi);
}

START_TEST(test_compress)
{
	static char	 p2[512], p3[512], p4[512];
	const char	*script[8];
	size_t		 lens[8] = { 0 }, n, prefix;
	z_stream	 zs;
	struct account	*a;
	struct error	 err;
	char		 plain[512];
	const char	*ok = "a2 OK DEFLATE active\r\n";

	memset(&zs, 0, sizeof zs);
	ck_assert_int_eq(deflateInit2(&zs, 6, Z_DEFLATED, -15, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	/* The OK and the first compressed bytes arrive in one packet. */
	memcpy(p2, ok, strlen(ok));
	n = zpack(&zs, "* OK [ALERT] compressed hello\r\n", p2 + strlen(ok),
	    sizeof p2 - strlen(ok));
	lens[2] = strlen(ok) + n;
	lens[3] = zpack(&zs, "* LIST () \"/\" INBOX\r\na3 OK\r\n", p3,
	    sizeof p3);
	lens[4] = zpack(&zs, "a4 OK bye\r\n", p4, sizeof p4);
	deflateEnd(&zs);
	script[0] = "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n";
	script[1] = "a1 OK [CAPABILITY IMAP4rev1 COMPRESS=DEFLATE] in\r\n";
	script[2] = p2;
	script[3] = p3;
	script[4] = p4;
	script[5] = NULL;

	mock_start(script, 0);
	mock.lens = lens;
	a = imap_driver_ops.new(&fx_cfg, &err);
	a->ops = &imap_driver_ops;
	a->cfg = &fx_cfg;
	ck_assert_int_eq(cache_account_id(fx_cache, "test", &a->cache_id,
	    &err), 0);
	ck_assert_msg(imap_driver_ops.open(a, &err) == 0, "%s", err.msg);
	ck_assert_msg(imap_driver_ops.list_folders(a, fx_cache, &err) == 0,
	    "%s", err.msg);
	fx_close(a);
	ck_assert(mock_done());
	ck_assert_int_eq(mock.freed, 1);
	/* Plain up to COMPRESS, then deflate that zlib reads back. */
	prefix = strlen(LOGIN "a2 COMPRESS DEFLATE\r\n");
	ck_assert(memcmp(mock.sent.data, LOGIN "a2 COMPRESS DEFLATE\r\n",
	    prefix) == 0);
	zsent(prefix, plain, sizeof plain);
	ck_assert_str_eq(plain, "a3 LIST \"\" \"*\"\r\na4 LOGOUT\r\n");
}
END_TEST

/*
 * COMPRESS rides behind the first command after login (no round trip of
 * its own), and its OK may come before that command's own completion,
 * which is then compressed (Dovecot does this): the layer goes on at the
 * OK wherever it is read.
 */
START_TEST(test_compress_behind_select)
{
	static char	 p2[512], p3[512], p4[512];
	const char	*script[8];
	size_t		 lens[8] = { 0 }, n, prefix;
	z_stream	 zs;
	struct account	*a;
	struct cache_folder in;
	struct error	 err;
	char		 plain[512];
	const char	*head = "* 2 EXISTS\r\n* OK [UIDVALIDITY 5] ok\r\n"
	    "a3 OK DEFLATE active\r\n";

	seed();
	memset(&zs, 0, sizeof zs);
	ck_assert_int_eq(deflateInit2(&zs, 6, Z_DEFLATED, -15, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	memcpy(p2, head, strlen(head));
	n = zpack(&zs, "a2 OK [READ-WRITE] selected\r\n", p2 + strlen(head),
	    sizeof p2 - strlen(head));
	lens[2] = strlen(head) + n;
	lens[3] = zpack(&zs, "* 1 FETCH (UID 4 FLAGS (\\Seen) RFC822.SIZE 9 "
	    "BODY[] {9}\r\nA: b\r\n\r\nx)\r\na4 OK\r\n", p3, sizeof p3);
	lens[4] = zpack(&zs, "a5 OK bye\r\n", p4, sizeof p4);
	deflateEnd(&zs);
	script[0] = "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n";
	script[1] = "a1 OK [CAPABILITY IMAP4rev1 COMPRESS=DEFLATE] in\r\n";
	script[2] = p2;
	script[3] = p3;
	script[4] = p4;
	script[5] = NULL;

	a = fx_open(script);
	mock.lens = lens;
	fx_folder("INBOX", &in);
	ck_assert_msg(imap_driver_ops.fetch_message(a, &in, "4", fx_cache,
	    &err) == 0, "%s", err.msg);
	cache_folder_fini(&in);
	fx_close(a);
	ck_assert(mock_done());
	/* Both went out before the SELECT's answer was read. */
	prefix = strlen(LOGIN "a2 SELECT \"INBOX\"\r\na3 COMPRESS DEFLATE\r\n");
	ck_assert(memcmp(mock.sent.data, LOGIN "a2 SELECT \"INBOX\"\r\n"
	    "a3 COMPRESS DEFLATE\r\n", prefix) == 0);
	ck_assert_uint_eq(mock.sent_before[2], prefix);
	zsent(prefix, plain, sizeof plain);
	ck_assert_str_eq(plain, "a4 UID FETCH 4 (UID FLAGS INTERNALDATE "
	    "RFC822.SIZE BODY.PEEK[])\r\na5 LOGOUT\r\n");
}
END_TEST

/* A refused COMPRESS behind the first command leaves the link plain. */
START_TEST(test_compress_refused)
{
	static const char *const s[] = {
		GREET("IMAP4rev1 COMPRESS=DEFLATE"),
		"* 2 EXISTS\r\n* OK [UIDVALIDITY 5] ok\r\na2 OK\r\n"
		"a3 NO not today\r\n",
		"* 1 FETCH (UID 4 FLAGS (\\Seen) RFC822.SIZE 9 "
		"BODY[] {9}\r\nA: b\r\n\r\nx)\r\na4 OK\r\n",
		"a5 OK bye\r\n",
		NULL
	};
	struct account		*a;
	struct cache_folder	 in;
	struct error		 err;

	seed();
	a = fx_open(s);
	fx_folder("INBOX", &in);
	ck_assert_msg(imap_driver_ops.fetch_message(a, &in, "4", fx_cache,
	    &err) == 0, "%s", err.msg);
	cache_folder_fini(&in);
	fx_close(a);
	ck_assert(mock_done());
	ck_assert_str_eq(fx_sent(), LOGIN "a2 SELECT \"INBOX\"\r\n"
	    "a3 COMPRESS DEFLATE\r\n"
	    "a4 UID FETCH 4 (UID FLAGS INTERNALDATE RFC822.SIZE "
	    "BODY.PEEK[])\r\na5 LOGOUT\r\n");
}
END_TEST

/* The suite. */
static Suite *
imap_ops_suite(void)
{
	Suite	*s = suite_create("imap_ops");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, test_copy_move_expunge);
	tcase_add_test(tc, test_move_fallbacks);
	tcase_add_test(tc, test_read_only_refusals);
	tcase_add_test(tc, test_search);
	tcase_add_test(tc, test_append);
	tcase_add_test(tc, test_folders_and_roles);
	tcase_add_test(tc, test_idle);
	tcase_add_test(tc, test_compress);
	tcase_add_test(tc, test_compress_behind_select);
	tcase_add_test(tc, test_compress_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(imap_ops_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

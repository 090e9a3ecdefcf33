/*
 * test_mbox.c - unit tests of the mbox splitter (mbox_split.c), in every
 * chunking, and of the read-only mbox driver on real files: ids that
 * survive an append, a rewrite rebuilding the folder, bodies unquoted,
 * the file never written, and waiting for an append (inotify).  Also
 * finding the local mailbox without a configuration (store_guess.c).
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache/cache.h"
#include "core/account.h"
#include "store/mbox.h"
#include "store/store.h"
#include "test_tmpdir.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define T_MAX_MSGS	16

/* What the splitter reported. */
struct t_split {
	struct mbox_msg	 m[T_MAX_MSGS];
	struct buf	 data[T_MAX_MSGS + 1];	/* per message */
	size_t		 n;
	uint64_t	 junk;
};

/* The drivers report progress here; the tests ignore it. */
void
account_status(struct account *a, const char *fmt, ...)
{
	(void)a;
	(void)fmt;
}

/* The UI is not told of written rows here. */
void
account_rows_written(struct account *a)
{
	(void)a;
}

/* Collect a message. */
static int
t_on_msg(void *arg, const struct mbox_msg *m)
{
	struct t_split	*t = arg;

	ck_assert_uint_lt(t->n, T_MAX_MSGS);
	t->m[t->n++] = *m;
	return 0;
}

/* Collect a message's bytes. */
static int
t_on_data(void *arg, const char *p, size_t n)
{
	struct t_split	*t = arg;

	buf_add(&t->data[t->n], p, n);
	return 0;
}

/* Split in chunks of size chunk (0: all at once). */
static void
t_split(const char *in, size_t len, size_t chunk, struct t_split *t)
{
	struct mbox_split	sp;
	size_t			off, k;

	memset(t, 0, sizeof *t);
	for (k = 0; k <= T_MAX_MSGS; k++)
		buf_init(&t->data[k], 0);
	mbox_split_init(&sp, 0, t_on_msg, t_on_data, t);
	if (chunk == 0)
		chunk = len ? len : 1;
	for (off = 0; off < len; off += k) {
		k = len - off < chunk ? len - off : chunk;
		ck_assert_int_eq(mbox_split_feed(&sp, in + off, k), 0);
	}
	ck_assert_int_eq(mbox_split_end(&sp), 0);
	t->junk = sp.junk;
}

/* Free what a split collected. */
static void
t_split_fini(struct t_split *t)
{
	for (size_t k = 0; k <= T_MAX_MSGS; k++)
		buf_fini(&t->data[k]);
}

/*
 * Split in = messages, in every chunking, and check each message's text
 * (bytes body..end) is want[i]; the separator hash matches its line.
 */
static void
t_check(const char *in, const char *const *want, size_t n, uint64_t junk)
{
	static const size_t	 chunks[] = { 0, 1, 2, 3, 5, 7, 64 };
	struct t_split		 t;
	size_t			 len = strlen(in), c, i, nl;

	for (c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
		t_split(in, len, chunks[c], &t);
		ck_assert_msg(t.n == n, "chunk %zu: %zu messages, want %zu",
		    chunks[c], t.n, n);
		ck_assert_uint_eq(t.junk, junk);
		for (i = 0; i < n; i++) {
			ck_assert(t.m[i].start < t.m[i].body);
			ck_assert(t.m[i].body <= t.m[i].end);
			ck_assert(t.m[i].end <= len);
			ck_assert_msg(strlen(want[i]) == t.m[i].end -
			    t.m[i].body && memcmp(in + t.m[i].body, want[i],
			    strlen(want[i])) == 0, "chunk %zu msg %zu: "
			    "got '%.*s', want '%s'", chunks[c], i,
			    (int)(t.m[i].end - t.m[i].body), in + t.m[i].body,
			    want[i]);
			/* The data callback saw the message (and its end). */
			ck_assert(t.data[i].len >= strlen(want[i]));
			ck_assert(*want[i] == '\0' || memcmp(t.data[i].data,
			    want[i], strlen(want[i])) == 0);
			nl = t.m[i].body - 1 - t.m[i].start;
			ck_assert(in[t.m[i].body - 1] == '\n');
			ck_assert(t.m[i].hash == mbox_fnv(MBOX_FNV_INIT,
			    in + t.m[i].start, nl));
			if (i > 0)
				ck_assert(t.m[i - 1].end <= t.m[i].start);
		}
		t_split_fini(&t);
	}
}

#define FROM1	"From alice@example.org Mon Jan  1 10:00:00 2024\n"
#define FROM2	"From bob@example.org Tue Jan  2 11:00:00 2024\n"

START_TEST(test_split_basic)
{
	const char	*two[] = { "Subject: 1\n\nbody1\n",
			    "Subject: 2\n\nbody2\n" };

	t_check(FROM1 "Subject: 1\n\nbody1\n\n" FROM2 "Subject: 2\n\nbody2\n",
	    two, 2, 0);
	/* The empty line ending the last message is not part of it. */
	t_check(FROM1 "Subject: 1\n\nbody1\n\n" FROM2 "Subject: 2\n\nbody2\n\n",
	    two, 2, 0);
	t_check("", NULL, 0, 0);
	t_check("no mbox at all\n", NULL, 0, 15);
}
END_TEST

START_TEST(test_split_quoting)
{
	const char	*one[] = { "Subject: q\n\nfirst\n>From the past\n"
			    ">>From deeper\nFrom no blank line before\n" };
	const char	*two[] = { "", "" };

	/* Quoted lines and an unquoted "From " after a non-empty line. */
	t_check(FROM1 "Subject: q\n\nfirst\n>From the past\n>>From deeper\n"
	    "From no blank line before\n", one, 1, 0);
	/* After an empty line, "From " always separates (RFC 4155). */
	t_check(FROM1 "\nFrom here on\n", two, 2, 0);
}
END_TEST

START_TEST(test_split_no_newline)
{
	const char	*two[] = { "Subject: 1\n\nbody1\n",
			    "Subject: 2\n\nlast" };
	const char	*one[] = { "Subject: 1\n\nbody1\n" };

	/* A last message without its newline is complete. */
	t_check(FROM1 "Subject: 1\n\nbody1\n\n" FROM2 "Subject: 2\n\nlast",
	    two, 2, 0);
	/* A separator cut by the end of the file starts nothing. */
	t_check(FROM1 "Subject: 1\n\nbody1\n\nFrom bob@exam", one, 1, 0);
	t_check(FROM1 "Subject: 1\n\nbody1\n\nFro", (const char *[]){
	    "Subject: 1\n\nbody1\n\nFro" }, 1, 0);
}
END_TEST

START_TEST(test_split_no_blank_line)
{
	const char	*two[] = { "Subject: 1\n\nbody1\n", "Subject: 2\n" };
	const char	*crlf[] = { "Subject: 1\r\n\r\nbody\r\n",
			    "Subject: 2\r\n" };
	struct buf	 b = BUF_INITIALIZER(0);
	const char	*one[1];

	/* A real From_ line right after text still separates. */
	t_check(FROM1 "Subject: 1\n\nbody1\n" FROM2 "Subject: 2\n\n", two, 2,
	    0);
	/* CRLF lines; the empty CRLF line is dropped. */
	t_check("From a Mon Jan  1 10:00:00 2024\r\nSubject: 1\r\n\r\n"
	    "body\r\n\r\nFrom b Mon Jan  1 10:00:00 2024\r\nSubject: 2\r\n",
	    crlf, 2, 0);
	/* A "From " line longer than MBOX_LINE_MAX is data. */
	buf_adds(&b, FROM1 "x\nFrom ");
	for (int i = 0; i < MBOX_LINE_MAX; i++)
		buf_addc(&b, 'a');
	buf_adds(&b, " 10:00 2024\n");
	one[0] = b.data + strlen(FROM1);
	t_check(b.data, one, 1, 0);
	buf_fini(&b);
}
END_TEST

START_TEST(test_unquote)
{
	char	s[] = ">From a\n>>From b\nx>From c\n>Fromage\n>From";
	size_t	n = mbox_unquote(s, strlen(s));

	s[n] = '\0';
	ck_assert_str_eq(s, "From a\n>From b\nx>From c\n>Fromage\n>From");
}
END_TEST

START_TEST(test_ids)
{
	struct mbox_msg	 m = { 1234, 1300, 1400, UINT64_C(0xdeadbeef01) };
	char		 id[MBOX_ID_MAX];
	uint64_t	 off, h;

	mbox_id_format(&m, id, sizeof id);
	ck_assert_str_eq(id, "1234-000000deadbeef01");
	ck_assert_int_eq(mbox_id_parse(id, &off, &h), 0);
	ck_assert_uint_eq(off, 1234);
	ck_assert_uint_eq(h, UINT64_C(0xdeadbeef01));
	ck_assert_int_eq(mbox_id_parse("x-000000deadbeef01", &off, &h), -1);
	ck_assert_int_eq(mbox_id_parse("12-00000deadbeef01", &off, &h), -1);
	ck_assert_int_eq(mbox_id_parse("12-000000DEADBEEF01", &off, &h), -1);
	ck_assert_int_eq(mbox_id_parse("-000000deadbeef01", &off, &h), -1);
	ck_assert_int_eq(mbox_id_parse("99999999999999999999-000000deadbeef01",
	    &off, &h), -1);
	ck_assert_int_eq(mbox_id_parse("1.a.h", &off, &h), -1);
}
END_TEST

START_TEST(test_status_flags)
{
	const char	*h1 = "Subject: x\nStatus: RO\nX-Status: AF\n\nStatus: "
			    "D\n";
	const char	*h2 = "Status: O\nX-Status: DT\n\n";

	ck_assert_uint_eq(mbox_status_flags(h1, strlen(h1)), CACHE_FLAG_SEEN |
	    CACHE_FLAG_ANSWERED | CACHE_FLAG_FLAGGED);
	ck_assert_uint_eq(mbox_status_flags(h2, strlen(h2)),
	    CACHE_FLAG_DELETED | CACHE_FLAG_DRAFT);
	ck_assert_uint_eq(mbox_status_flags("", 0), 0);
}
END_TEST

static char			 t_dir[64];
static char			*t_path;
static struct cache		*t_cache;
static struct config_account	 t_cfg;

/* A fresh directory and cache; the mbox is t_dir/mbox. */
static void
setup(void)
{
	struct error	 err;
	char		*p;

	test_tmpdir_make(t_dir, sizeof t_dir, "test_mbox");
	t_path = xasprintf("%s/mbox", t_dir);
	p = xasprintf("%s/cache.db", t_dir);
	t_cache = cache_open(p, &err);
	ck_assert_msg(t_cache != NULL, "%s", err.msg);
	free(p);
	memset(&t_cfg, 0, sizeof t_cfg);
	t_cfg.name = (char *)"mbox";
	t_cfg.driver = (char *)"mbox";
	t_cfg.path = t_path;
	t_cfg.read_only = true;
}

/* Remove everything. */
static void
teardown(void)
{
	cache_close(t_cache);
	test_tmpdir_remove(t_dir);
	free(t_path);
}

/* Write (mode "w") or append ("a") text to the mbox. */
static void
t_write(const char *mode, const char *text)
{
	FILE	*f = fopen(t_path, mode);

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* Replace the mbox with text, as a rewriting program does (rename). */
static void
t_replace(const char *text)
{
	char	*tmp = xasprintf("%s.new", t_path);
	FILE	*f = fopen(tmp, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(rename(tmp, t_path), 0);
	free(tmp);
}

/* The open account with INBOX listed; *f is INBOX. */
static struct account *
t_open(struct cache_folder *f)
{
	struct account	*a;
	struct error	 err;

	a = mbox_driver_ops.new(&t_cfg, &err);
	ck_assert_ptr_nonnull(a);
	a->ops = &mbox_driver_ops;
	a->cfg = &t_cfg;
	a->wake_fd = -1;
	ck_assert_int_eq(cache_account_id(t_cache, "mbox", &a->cache_id,
	    &err), 0);
	ck_assert_msg(a->ops->open(a, &err) == 0, "%s", err.msg);
	ck_assert_msg(a->ops->list_folders(a, t_cache, &err) == 0, "%s",
	    err.msg);
	ck_assert_int_eq(cache_folder_find(t_cache, a->cache_id, "INBOX", f,
	    &err), 0);
	return a;
}

/* Close and free. */
static void
t_close(struct account *a, struct cache_folder *f)
{
	cache_folder_fini(f);
	a->ops->close(a);
	a->ops->free(a);
}

/* Sync INBOX. */
static void
t_sync(struct account *a, struct cache_folder *f)
{
	struct error	err;

	ck_assert_msg(a->ops->sync_folder(a, f, t_cache, &err) == 0, "%s",
	    err.msg);
}

/* The folder's messages in file order, subjects joined by '|'. */
static char *
t_subjects(struct cache_folder *f, char ***ids, size_t *n)
{
	struct cache_msg	*m;
	struct buf		 b = BUF_INITIALIZER(0);
	struct error		 err;
	size_t			 i;

	ck_assert_int_eq(cache_msg_page(t_cache, f->id, 0, 100, &m, n, &err),
	    0);
	*ids = xcalloc(*n + 1, sizeof **ids);
	for (i = 0; i < *n; i++) {
		if (i > 0)
			buf_addc(&b, '|');
		buf_adds(&b, m[i].subject ? m[i].subject : "(none)");
		(*ids)[i] = xstrdup(m[i].remote_id);
	}
	cache_msg_list_free(m, *n);
	return b.len ? buf_take(&b) : xstrdup("");
}

#define MSG_A	"From alice@example.org Mon Jan  1 10:00:00 2024\n" \
		"From: Alice <alice@example.org>\n" \
		"Date: Mon, 01 Jan 2024 10:00:00 +0000\n" \
		"Subject: first\nStatus: RO\nX-Status: F\n\n" \
		"Hello.\n>From the quoted line\n>>From a deeper one\n\n"
#define MSG_B	"From bob@example.org Tue Jan  2 10:00:00 2024\n" \
		"From: bob@example.org\n" \
		"Date: Tue, 02 Jan 2024 10:00:00 +0000\n" \
		"Subject: second\nStatus: O\n\n" \
		"no trailing newline"
#define MSG_C	"From carol@example.org Wed Jan  3 10:00:00 2024\n" \
		"Date: Wed, 03 Jan 2024 10:00:00 +0000\n" \
		"Subject: third\n\nappended\n\n"

START_TEST(test_mbox_sync)
{
	struct account		*a;
	struct cache_folder	 f;
	struct cache_msg	 m;
	struct error		 err;
	struct stat		 before, after;
	char			*subj, **ids, **ids2;
	size_t			 n, n2;

	t_write("w", MSG_A MSG_B);
	ck_assert_int_eq(stat(t_path, &before), 0);
	a = t_open(&f);
	ck_assert_int_eq(f.role, CACHE_ROLE_INBOX);
	t_sync(a, &f);
	subj = t_subjects(&f, &ids, &n);
	ck_assert_str_eq(subj, "first|second");
	free(subj);
	ck_assert_int_eq(cache_msg_find(t_cache, f.id, ids[0], &m, &err), 0);
	ck_assert_uint_eq(m.flags, CACHE_FLAG_SEEN | CACHE_FLAG_FLAGGED);
	ck_assert_str_eq(m.from_name, "Alice");
	ck_assert_int_eq(m.date, 1704103200);
	cache_msg_fini(&m);
	/* Ids are "OFFSET-HASH": the first message is at offset 0. */
	ck_assert(strncmp(ids[0], "0-", 2) == 0);
	/*
	 * An append keeps the old ids (the writer ended the unfinished
	 * last line first: the From_ line must start a line).
	 */
	t_write("a", "\n" MSG_C);
	t_sync(a, &f);
	subj = t_subjects(&f, &ids2, &n2);
	ck_assert_str_eq(subj, "first|second|third");
	ck_assert_uint_eq(n2, 3);
	ck_assert_str_eq(ids2[0], ids[0]);
	ck_assert_str_eq(ids2[1], ids[1]);
	free(subj);
	cache_strv_free(ids, n);
	cache_strv_free(ids2, n2);
	/* Nothing was ever written: same size (and the bytes, below). */
	ck_assert_int_eq(stat(t_path, &after), 0);
	ck_assert_int_eq(after.st_size, (off_t)strlen(MSG_A MSG_B "\n"
	    MSG_C));
	ck_assert_int_eq(a->ops->store_flags(a, &f, NULL, 0, CACHE_FLAG_SEEN,
	    0, t_cache, &err), -1);
	ck_assert_int_eq(err.code, ERR_READONLY);
	ck_assert_int_eq(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
	t_close(a, &f);
}
END_TEST

START_TEST(test_mbox_fetch)
{
	struct account		*a;
	struct cache_folder	 f;
	struct cache_msg	 m;
	struct error		 err;
	char			*subj, **ids, *raw;
	size_t			 n, len;

	t_write("w", MSG_A MSG_B);
	a = t_open(&f);
	t_sync(a, &f);
	subj = t_subjects(&f, &ids, &n);
	free(subj);
	ck_assert_msg(a->ops->fetch_message(a, &f, ids[0], t_cache, &err) ==
	    0, "%s", err.msg);
	ck_assert_int_eq(cache_msg_find(t_cache, f.id, ids[0], &m, &err), 0);
	ck_assert_int_eq(cache_body_get(t_cache, m.id, &raw, &len, &err), 0);
	/* Unquoted, without the separator and the ending empty line. */
	ck_assert_str_eq(raw, "From: Alice <alice@example.org>\n"
	    "Date: Mon, 01 Jan 2024 10:00:00 +0000\n"
	    "Subject: first\nStatus: RO\nX-Status: F\n\n"
	    "Hello.\nFrom the quoted line\n>From a deeper one\n");
	free(raw);
	cache_msg_fini(&m);
	ck_assert_msg(a->ops->fetch_message(a, &f, ids[1], t_cache, &err) ==
	    0, "%s", err.msg);
	ck_assert_int_eq(cache_msg_find(t_cache, f.id, ids[1], &m, &err), 0);
	ck_assert_int_eq(cache_body_get(t_cache, m.id, &raw, &len, &err), 0);
	ck_assert(len > 19 && strcmp(raw + len - 19, "no trailing newline") ==
	    0);
	free(raw);
	cache_msg_fini(&m);
	/* Not an id of this file: refused. */
	ck_assert_int_eq(a->ops->fetch_message(a, &f, "5-0000000000000001",
	    t_cache, &err), -1);
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	cache_strv_free(ids, n);
	t_close(a, &f);
}
END_TEST

START_TEST(test_mbox_rewrite)
{
	struct account		*a;
	struct cache_folder	 f;
	struct error		 err;
	char			*subj, **ids, **ids2;
	size_t			 n, n2;

	t_write("w", MSG_A MSG_B "\n\n" MSG_C);
	a = t_open(&f);
	t_sync(a, &f);
	subj = t_subjects(&f, &ids, &n);
	ck_assert_str_eq(subj, "first|second|third");
	free(subj);
	/* Another program deletes the first message: a new file. */
	t_replace(MSG_B "\n\n" MSG_C);
	/* A fetch by an old id notices, and the folder is rebuilt. */
	ck_assert_int_eq(a->ops->fetch_message(a, &f, ids[2], t_cache, &err),
	    -1);
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	subj = t_subjects(&f, &ids2, &n2);
	ck_assert_str_eq(subj, "second|third");
	ck_assert_str_ne(ids2[1], ids[2]);
	ck_assert_msg(a->ops->fetch_message(a, &f, ids2[1], t_cache, &err) ==
	    0, "%s", err.msg);
	free(subj);
	cache_strv_free(ids, n);
	cache_strv_free(ids2, n2);
	/* The file vanishes (emptied by a delivery agent): no messages. */
	ck_assert_int_eq(unlink(t_path), 0);
	t_sync(a, &f);
	subj = t_subjects(&f, &ids, &n);
	ck_assert_str_eq(subj, "");
	free(subj);
	cache_strv_free(ids, n);
	t_close(a, &f);
}
END_TEST

START_TEST(test_mbox_partial)
{
	struct account		*a;
	struct cache_folder	 f;
	struct cache_msg	 m;
	struct error		 err;
	char			*subj, **ids;
	size_t			 n;

	/* A delivery caught half-written, then completed. */
	t_write("w", MSG_A "From carol@example.org Wed Jan  3 10:00:00 2024\n"
	    "Subject: partial\n");
	a = t_open(&f);
	t_sync(a, &f);
	subj = t_subjects(&f, &ids, &n);
	ck_assert_str_eq(subj, "first|partial");
	free(subj);
	ck_assert_int_eq(cache_msg_find(t_cache, f.id, ids[1], &m, &err), 0);
	ck_assert_int_eq(m.size, 17);
	cache_msg_fini(&m);
	cache_strv_free(ids, n);
#define REST	"Date: Wed, 03 Jan 2024 10:00:00 +0000\n\nrest of it\n"
	t_write("a", REST);
	t_sync(a, &f);
	subj = t_subjects(&f, &ids, &n);
	ck_assert_str_eq(subj, "first|partial");
	ck_assert_int_eq(cache_msg_find(t_cache, f.id, ids[1], &m, &err), 0);
	ck_assert_int_eq(m.size, 17 + (int64_t)strlen(REST));
	ck_assert_int_eq(m.date, 1704276000);
	cache_msg_fini(&m);
	free(subj);
	cache_strv_free(ids, n);
	t_close(a, &f);
}
END_TEST

START_TEST(test_mbox_search)
{
	struct account		*a;
	struct cache_folder	 f;
	struct error		 err;
	char			*subj, **ids, **hits;
	size_t			 n, nh;

	t_write("w", MSG_A MSG_B "\n\n" MSG_C);
	a = t_open(&f);
	t_sync(a, &f);
	subj = t_subjects(&f, &ids, &n);
	free(subj);
	ck_assert_msg(a->ops->search(a, &f, "DEEPER one", &hits, &nh, &err) ==
	    0, "%s", err.msg);
	ck_assert_uint_eq(nh, 1);
	ck_assert_str_eq(hits[0], ids[0]);
	cache_strv_free(hits, nh);
	ck_assert_int_eq(a->ops->search(a, &f, "trailing newline", &hits, &nh,
	    &err), 0);
	ck_assert_uint_eq(nh, 1);
	ck_assert_str_eq(hits[0], ids[1]);
	cache_strv_free(hits, nh);
	ck_assert_int_eq(a->ops->search(a, &f, "example.org", &hits, &nh,
	    &err), 0);
	ck_assert_uint_eq(nh, 2);	/* C has no From: */
	cache_strv_free(hits, nh);
	cache_strv_free(ids, n);
	t_close(a, &f);
}
END_TEST

START_TEST(test_mbox_not_mbox)
{
	struct account		*a;
	struct cache_folder	 f;
	struct error		 err;

	t_write("w", "this is not a mailbox\n");
	a = t_open(&f);
	ck_assert_int_eq(a->ops->sync_folder(a, &f, t_cache, &err), -1);
	ck_assert_int_eq(err.code, ERR_PARSE);
	t_close(a, &f);
}
END_TEST

/* Append MSG_C from a child after ms milliseconds. */
static pid_t
t_append_later(int ms)
{
	struct timespec	 ts = { ms / 1000, (ms % 1000) * 1000000L };
	pid_t		 pid;
	FILE		*f;

	if ((pid = fork()) != 0)
		return pid;
	nanosleep(&ts, NULL);
	if ((f = fopen(t_path, "a")) == NULL)
		_exit(1);
	fputs(MSG_C, f);
	_exit(fclose(f) == 0 ? 0 : 1);
}

START_TEST(test_mbox_wait)
{
	struct account		*a;
	struct cache_folder	 f;
	struct error		 err;
	struct timespec		 t0, t1;
	char			*subj, **ids;
	size_t			 n;
	int			 st, rc;
	pid_t			 pid;

	t_write("w", MSG_A MSG_B "\n\n");
	a = t_open(&f);
	ck_assert(a->caps & DRIVER_CAP_IDLE);
	t_sync(a, &f);
	pid = t_append_later(200);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = a->ops->wait_changes(a, &f, t_cache, -1, 5000, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_msg(rc == 1, "rc %d: %s", rc, err.msg);
	ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 3);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	subj = t_subjects(&f, &ids, &n);
	ck_assert_str_eq(subj, "first|second|third");
	free(subj);
	cache_strv_free(ids, n);
	/* Nothing more: the timeout. */
	ck_assert_int_eq(a->ops->wait_changes(a, &f, t_cache, -1, 300, &err),
	    0);
	t_close(a, &f);
}
END_TEST

START_TEST(test_guess_local)
{
	const char	*driver;
	char		*path, *md, *cur, *home, *homemd;

	md = xasprintf("%s/md", t_dir);
	cur = xasprintf("%s/md/cur", t_dir);
	home = xasprintf("%s/home", t_dir);
	homemd = xasprintf("%s/home/Maildir", t_dir);
	/* $MAIL names an mbox file. */
	t_write("w", MSG_A);
	ck_assert_int_eq(store_guess_local(t_path, NULL, &driver, &path), 0);
	ck_assert_str_eq(driver, "mbox");
	ck_assert_str_eq(path, t_path);
	free(path);
	/* A directory without cur/ is no Maildir; nothing else: none. */
	ck_assert_int_eq(mkdir(md, 0700), 0);
	ck_assert_int_eq(store_guess_local(md, home, &driver, &path), 1);
	ck_assert_ptr_null(path);
	ck_assert_int_eq(mkdir(cur, 0700), 0);
	ck_assert_int_eq(store_guess_local(md, home, &driver, &path), 0);
	ck_assert_str_eq(driver, "maildir");
	ck_assert_str_eq(path, md);
	free(path);
	/* No $MAIL (or a missing one): ~/Maildir. */
	ck_assert_int_eq(mkdir(home, 0700), 0);
	ck_assert_int_eq(mkdir(homemd, 0700), 0);
	ck_assert_int_eq(store_guess_local("/nonexistent/mail", home, &driver,
	    &path), 0);
	ck_assert_str_eq(driver, "maildir");
	ck_assert_str_eq(path, homemd);
	free(path);
	ck_assert_int_eq(store_guess_local(NULL, NULL, &driver, &path), 1);
	free(md);
	free(cur);
	free(home);
	free(homemd);
}
END_TEST

/* The suite. */
static Suite *
mbox_suite(void)
{
	Suite	*s = suite_create("mbox");
	TCase	*tc;

	tc = tcase_create("split");
	tcase_add_test(tc, test_split_basic);
	tcase_add_test(tc, test_split_quoting);
	tcase_add_test(tc, test_split_no_newline);
	tcase_add_test(tc, test_split_no_blank_line);
	tcase_add_test(tc, test_unquote);
	tcase_add_test(tc, test_ids);
	tcase_add_test(tc, test_status_flags);
	suite_add_tcase(s, tc);
	tc = tcase_create("driver");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_mbox_sync);
	tcase_add_test(tc, test_mbox_fetch);
	tcase_add_test(tc, test_mbox_rewrite);
	tcase_add_test(tc, test_mbox_partial);
	tcase_add_test(tc, test_mbox_not_mbox);
	tcase_add_test(tc, test_mbox_search);
	tcase_add_test(tc, test_mbox_wait);
	tcase_add_test(tc, test_guess_local);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(mbox_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

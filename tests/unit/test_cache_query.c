/*
 * test_cache_query.c - unit tests of src/cache/cache_query.c and the sort
 * keys: every order in both directions, paging, positions, limits through
 * the trigram index, through LIKE and over rows not yet indexed, text that
 * looks like SQL or FTS5 syntax, and the rows threading reads.
 */
#include <sys/stat.h>

#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache/cache.h"
#include "test_tmpdir.h"
#include "util/xmalloc.h"

static char	 test_dir[64];
static char	*test_path;

/* Make a fresh temporary directory for one test. */
static void
setup(void)
{
	test_tmpdir_make(test_dir, sizeof test_dir, "petrel-cacheq");
	test_path = xasprintf("%s/cache.db", test_dir);
}

/* Remove the temporary directory. */
static void
teardown(void)
{
	test_tmpdir_remove(test_dir);
	free(test_path);
	test_path = NULL;
}

/* Open the test cache and make one folder; fails the test on error. */
static struct cache *
test_open(int64_t *folder)
{
	struct error	 e;
	struct cache	*c;
	int64_t		 acct;

	c = cache_open(test_path, &e);
	ck_assert_msg(c != NULL, "cache_open: %s", e.msg);
	ck_assert_int_eq(cache_account_id(c, "acct", &acct, &e), 0);
	ck_assert_int_eq(cache_folder_put(c, acct, "INBOX", NULL, '/', 0,
	    folder, &e), 0);
	return c;
}

/* One test message. */
struct test_msg {
	const char	*rid;
	int64_t		 date;
	const char	*from_name;
	const char	*from_addr;
	const char	*to;
	const char	*subject;
	int64_t		 size;
};

/* A folder of six messages whose orders all differ. */
static const struct test_msg test_msgs[] = {
	{ "1", 500, "Zoë Zed", "zoe@example.org", "list@example.org",
	  "Re: Budget 2024", 300 },
	{ "2", 100, NULL, "carl@example.org", "bob@example.org",
	  "budget 2024", 100 },
	{ "3", 300, "\"ann\"", "ann@example.org", "team@corp.example",
	  "AW: Re[2]: Lunch", 600 },
	{ "4", 200, "Bob Müller", "bob@example.org", "ann@example.org",
	  "Fwd: MÜLLER report 50%_done", 200 },
	{ "5", 400, "Ann Other", "other@example.org", NULL,
	  "quoted \"x\" OR y*", 500 },
	{ "6", 600, NULL, NULL, NULL, NULL, 400 },
};
#define TEST_NMSGS	(sizeof test_msgs / sizeof test_msgs[0])

/* Store the test messages (in one transaction if txn). */
static void
test_fill(struct cache *c, int64_t folder, int txn, int64_t *ids)
{
	struct cache_msg	m;
	struct error		e;
	size_t			i;

	if (txn)
		ck_assert_int_eq(cache_begin(c, &e), 0);
	for (i = 0; i < TEST_NMSGS; i++) {
		memset(&m, 0, sizeof m);
		m.folder_id = folder;
		m.remote_id = (char *)test_msgs[i].rid;
		m.date = test_msgs[i].date;
		m.from_name = (char *)test_msgs[i].from_name;
		m.from_addr = (char *)test_msgs[i].from_addr;
		m.to = (char *)test_msgs[i].to;
		m.subject = (char *)test_msgs[i].subject;
		m.size = test_msgs[i].size;
		ck_assert_msg(cache_msg_put(c, &m, &e) == 0, "%s", e.msg);
		if (ids != NULL)
			ids[i] = m.id;
	}
	if (txn) {
		ck_assert_msg(cache_commit(c, &e) == 0, "%s", e.msg);
		/* What a worker does after a sync. */
		ck_assert_msg(cache_search_index(c, &e) == 0, "%s", e.msg);
	}
}

/* The remote ids of a whole query, in order, as "a,b,c". */
static char *
test_order(struct cache *c, const struct cache_query *q)
{
	struct cache_msg	*page;
	struct error		 e;
	char			 out[256] = "";
	size_t			 n, i, len = 0;
	int64_t			 count, pos;

	ck_assert_msg(cache_query_page(c, q, 0, 100, &page, &n, &e) == 0,
	    "%s", e.msg);
	ck_assert_int_eq(cache_query_count(c, q, &count, &e), 0);
	ck_assert_int_eq(count, (int64_t)n);
	for (i = 0; i < n; i++) {
		/* Every message is found at its own position. */
		ck_assert_int_eq(cache_query_position(c, q, page[i].id, &pos,
		    &e), 0);
		ck_assert_int_eq(pos, (int64_t)i);
		len += (size_t)snprintf(out + len, sizeof out - len, "%s%s",
		    i == 0 ? "" : ",", page[i].remote_id);
	}
	cache_msg_list_free(page, n);
	return xstrdup(out);
}

/* A walk's output: the remote ids as "a,b,c", stopping after max. */
struct test_walk {
	char	 out[256];
	size_t	 n, max;
};

/* cache_query_each callback: append the remote id. */
static int
test_walk_one(void *arg, const struct cache_msg *m)
{
	struct test_walk	*w = arg;
	size_t			 len = strlen(w->out);

	snprintf(w->out + len, sizeof w->out - len, "%s%s", len ? "," : "",
	    m->remote_id);
	return ++w->n == w->max;
}

/* Assert the order of a query, paged and walked. */
static void
test_expect(struct cache *c, const struct cache_query *q, const char *want)
{
	struct test_walk	 w;
	struct error		 e;
	char			*got;

	got = test_order(c, q);
	ck_assert_msg(strcmp(got, want) == 0, "sort %d rev %d match %u "
	    "\"%s\": got %s, want %s", (int)q->sort, (int)q->reverse,
	    q->match_fields, q->match_text ? q->match_text : "", got, want);
	free(got);
	memset(&w, 0, sizeof w);
	ck_assert_msg(cache_query_each(c, q, test_walk_one, &w, &e) == 0,
	    "%s", e.msg);
	ck_assert_msg(strcmp(w.out, want) == 0, "walked: got %s, want %s",
	    w.out, want);
	/* Stopped after the first: that one only. */
	memset(&w, 0, sizeof w);
	w.max = 1;
	ck_assert_int_eq(cache_query_each(c, q, test_walk_one, &w, &e), 0);
	ck_assert_uint_eq(w.n, *want != '\0' ? 1 : 0);
	ck_assert_int_eq(strncmp(w.out, want, strlen(w.out)), 0);
}

START_TEST(test_sort_orders)
{
	struct cache		*c;
	struct cache_query	 q;
	int64_t			 folder;

	c = test_open(&folder);
	test_fill(c, folder, 1, NULL);
	memset(&q, 0, sizeof q);
	q.folder_id = folder;
	q.sort = CACHE_SORT_DATE;
	test_expect(c, &q, "2,4,3,5,1,6");
	q.reverse = true;
	test_expect(c, &q, "6,1,5,3,4,2");
	/*
	 * From: display name (quotes dropped), else address, lower case:
	 * "" (6), ann (3), ann other (5), bob müller (4), carl@ (2), zoë (1).
	 */
	q.sort = CACHE_SORT_FROM;
	q.reverse = false;
	test_expect(c, &q, "6,3,5,4,2,1");
	q.reverse = true;
	test_expect(c, &q, "1,2,4,5,3,6");
	/*
	 * Subject without prefixes: "" (6), budget 2024 (2 at 100, 1 at 500),
	 * lunch (3), müller report (4), quoted (5).
	 */
	q.sort = CACHE_SORT_SUBJECT;
	q.reverse = false;
	test_expect(c, &q, "6,2,1,3,4,5");
	q.reverse = true;
	test_expect(c, &q, "5,4,3,1,2,6");
	q.sort = CACHE_SORT_SIZE;
	q.reverse = false;
	test_expect(c, &q, "2,4,1,6,5,3");
	q.reverse = true;
	test_expect(c, &q, "3,5,6,1,4,2");
	cache_close(c);
}
END_TEST

START_TEST(test_paging)
{
	struct cache		*c;
	struct cache_query	 q;
	struct cache_msg	*page;
	struct error		 e;
	size_t			 n;
	int64_t			 folder, pos;

	c = test_open(&folder);
	test_fill(c, folder, 1, NULL);
	memset(&q, 0, sizeof q);
	q.folder_id = folder;
	q.sort = CACHE_SORT_SUBJECT;
	ck_assert_int_eq(cache_query_page(c, &q, 2, 2, &page, &n, &e), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(page[0].remote_id, "1");
	ck_assert_str_eq(page[1].remote_id, "3");
	ck_assert_str_eq(page[0].subject, "Re: Budget 2024");
	ck_assert_str_eq(page[0].to, "list@example.org");
	cache_msg_list_free(page, n);
	ck_assert_int_eq(cache_query_page(c, &q, 5, 10, &page, &n, &e), 0);
	ck_assert_uint_eq(n, 1);
	cache_msg_list_free(page, n);
	ck_assert_int_eq(cache_query_page(c, &q, 6, 10, &page, &n, &e), 0);
	ck_assert_uint_eq(n, 0);
	cache_msg_list_free(page, n);
	ck_assert_int_eq(cache_query_page(c, &q, -1, 10, &page, &n, &e), -1);
	/* Not in the folder, or no such message: 1. */
	ck_assert_int_eq(cache_query_position(c, &q, 9999, &pos, &e), 1);
	q.folder_id = folder + 1;
	ck_assert_int_eq(cache_query_position(c, &q, 1, &pos, &e), 1);
	q.folder_id = folder;
	q.sort = (enum cache_sort)42;
	ck_assert_int_eq(cache_query_page(c, &q, 0, 10, &page, &n, &e), -1);
	ck_assert_int_eq(e.code, ERR_CACHE);
	cache_close(c);
}
END_TEST

/* The remote ids of one page as "a,b"; count is the hint (0: none). */
static void
test_page_ids(struct cache *c, const struct cache_query *q, int64_t count,
    int64_t off, size_t lim, char *out, size_t size)
{
	struct cache_query	 h = *q;
	struct cache_msg	*page;
	struct error		 e;
	size_t			 n, len = 0;

	h.count = count;
	out[0] = '\0';
	ck_assert_msg(cache_query_page(c, &h, off, lim, &page, &n, &e) == 0,
	    "%s", e.msg);
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s",
		    i == 0 ? "" : ",", page[i].remote_id);
	cache_msg_list_free(page, n);
}

/*
 * A page in the second half is read from the other end when the count is
 * known: every offset and size, in every order, limited or not, must give
 * the rows the plain forward read gives.
 */
START_TEST(test_paging_from_the_end)
{
	static const char *const texts[] = { NULL, "budget", "o" };
	struct cache		*c;
	struct cache_query	 q;
	struct error		 e;
	char			 fwd[128], back[128];
	int64_t			 folder, count;

	c = test_open(&folder);
	test_fill(c, folder, 1, NULL);
	for (int sort = 0; sort < CACHE_SORT_SIZE + 1; sort++)
	for (int rev = 0; rev < 2; rev++)
	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
		memset(&q, 0, sizeof q);
		q.folder_id = folder;
		q.sort = (enum cache_sort)sort;
		q.reverse = rev;
		q.match_text = texts[t];
		q.match_fields = texts[t] != NULL ? CACHE_MATCH_SUBJECT |
		    CACHE_MATCH_FROM : 0;
		ck_assert_int_eq(cache_query_count(c, &q, &count, &e), 0);
		ck_assert_int_gt(count, 1);
		for (int64_t off = 0; off <= count; off++)
		for (size_t lim = 1; lim <= (size_t)count + 1; lim++) {
			test_page_ids(c, &q, 0, off, lim, fwd, sizeof fwd);
			test_page_ids(c, &q, count, off, lim, back,
			    sizeof back);
			ck_assert_msg(strcmp(fwd, back) == 0, "sort %d rev %d "
			    "text %s off %lld lim %zu: %s, from the end %s",
			    sort, rev, texts[t] ? texts[t] : "-",
			    (long long)off, lim, fwd, back);
		}
	}
	cache_close(c);
}
END_TEST

/* Assert the order of a date query limited to text in fields. */
static void
test_limit(struct cache *c, int64_t folder, unsigned fields,
    const char *text, const char *want)
{
	struct cache_query	q;

	memset(&q, 0, sizeof q);
	q.folder_id = folder;
	q.match_fields = fields;
	q.match_text = text;
	test_expect(c, &q, want);
}

/* The limits every way of storing the rows must answer alike. */
static void
test_limits(struct cache *c, int64_t folder)
{
	/* Trigram index: substring, any case, any field chosen. */
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "budget", "2,1");
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "BUDGET 20", "2,1");
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "udge", "2,1");
	test_limit(c, folder, CACHE_MATCH_FROM, "budget", "");
	test_limit(c, folder, CACHE_MATCH_FROM, "ann", "3,5");
	test_limit(c, folder, CACHE_MATCH_FROM, "carl@EXAMPLE", "2");
	test_limit(c, folder, CACHE_MATCH_FROM | CACHE_MATCH_SUBJECT, "lunch",
	    "3");
	/* Non-ASCII: the tokenizer folds case beyond ASCII. */
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "müller", "4");
	test_limit(c, folder, CACHE_MATCH_FROM, "MÜLLER", "4");
	test_limit(c, folder, CACHE_MATCH_FROM, "zoë", "1");
	/* FTS5 and LIKE syntax in the text is only text. */
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "\"x\" OR", "5");
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "y*", "5");
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "OR y", "5");
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "50%_", "4");
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "0%_d", "4");
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "' OR 1=1 --", "");
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "budget 2025", "");
	/* Short texts go through LIKE: % and _ are literal there too. */
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "%", "4");
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "_", "4");
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "LU", "3");
	/* LIKE folds ASCII only: ü finds Müller, not MÜLLER. */
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "Ü", "4");
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "ü", "");
	test_limit(c, folder, CACHE_MATCH_FROM, "ü", "4");
	test_limit(c, folder, CACHE_MATCH_FROM, "zo", "1");
	/* Recipients are not indexed: LIKE at any length. */
	test_limit(c, folder, CACHE_MATCH_TO, "bob@", "2");
	test_limit(c, folder, CACHE_MATCH_TO, "ann", "4");
	test_limit(c, folder, CACHE_MATCH_TO | CACHE_MATCH_FROM, "ann",
	    "4,3,5");
	/* No fields or no text: no limit. */
	test_limit(c, folder, 0, "budget", "2,4,3,5,1,6");
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "", "2,4,3,5,1,6");
	test_limit(c, folder, CACHE_MATCH_SUBJECT, NULL, "2,4,3,5,1,6");
}

START_TEST(test_limit_indexed)
{
	struct cache	*c;
	int64_t		 folder;

	c = test_open(&folder);
	test_fill(c, folder, 1, NULL);
	test_limits(c, folder);
	cache_close(c);
}
END_TEST

/* Run SQL through a plain connection on the test file. */
static int64_t
test_sql_int(const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	int64_t		 v;

	ck_assert_int_eq(sqlite3_open(test_path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/* Run SQL through a plain connection; SQLite's result code. */
static int
test_sql_exec(const char *sql)
{
	sqlite3	*db;
	int	 rc;

	ck_assert_int_eq(sqlite3_open(test_path, &db), SQLITE_OK);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

START_TEST(test_limit_unindexed_tail)
{
	struct cache	*c;
	struct error	 e;
	int64_t		 folder, ids[TEST_NMSGS];

	/*
	 * Rows put inside a transaction that is still open are not in the
	 * trigram index yet: they must be found all the same (LIKE over the
	 * tail, case folding beyond ASCII excepted).
	 */
	c = test_open(&folder);
	ck_assert_int_eq(cache_begin(c, &e), 0);
	test_fill(c, folder, 0, ids);
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "budget", "2,1");
	test_limit(c, folder, CACHE_MATCH_FROM, "ann", "3,5");
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "\"x\" OR", "5");
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "50%_", "4");
	ck_assert_int_eq(cache_commit(c, &e), 0);
	/* Committed but not indexed: still found (LIKE over the tail)... */
	ck_assert_int_eq(test_sql_int("SELECT fts_upto FROM search_state"), 0);
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "budget", "2,1");
	test_limit(c, folder, CACHE_MATCH_FROM, "ann", "3,5");
	/* ...and indexed in one batch when the worker asks. */
	ck_assert_int_eq(cache_search_index(c, &e), 0);
	ck_assert_int_eq(test_sql_int("SELECT fts_upto FROM search_state"),
	    ids[TEST_NMSGS - 1]);
	test_limits(c, folder);
	cache_close(c);
}
END_TEST

/* How many messages of the folder have text in their subject. */
static int64_t
test_count_subject(struct cache *c, int64_t folder, const char *text)
{
	struct cache_query	q;
	struct error		e;
	int64_t			n;

	memset(&q, 0, sizeof q);
	q.folder_id = folder;
	q.match_fields = CACHE_MATCH_SUBJECT;
	q.match_text = text;
	ck_assert_msg(cache_query_count(c, &q, &n, &e) == 0, "%s", e.msg);
	return n;
}

/*
 * A large folder is indexed CACHE_SEARCH_CHUNK rows a transaction (so a
 * UI write never waits for a whole folder's index), each row exactly
 * once, and searches are right before, between and after the chunks.
 */
START_TEST(test_index_in_chunks)
{
	struct cache		*c;
	struct cache_msg	 m;
	struct error		 e;
	int64_t			 folder, last = 0, tenth = 0;
	const int64_t		 n = CACHE_SEARCH_CHUNK + 5;
	char			 rid[16], subj[32];

	c = test_open(&folder);
	ck_assert_int_eq(cache_begin(c, &e), 0);
	for (int64_t i = 0; i < n; i++) {
		memset(&m, 0, sizeof m);
		snprintf(rid, sizeof rid, "%lld", (long long)i + 1);
		/* A needle every 1,000 rows and one among the last five. */
		snprintf(subj, sizeof subj, "%s %lld", i % 1000 == 999 ||
		    i == n - 2 ? "haystack needle" : "haystack",
		    (long long)i);
		m.folder_id = folder;
		m.remote_id = rid;
		m.subject = subj;
		m.date = i;
		ck_assert_msg(cache_msg_put(c, &m, &e) == 0, "%s", e.msg);
		if (i == CACHE_SEARCH_CHUNK - 1)
			tenth = m.id;
		last = m.id;
	}
	ck_assert_int_eq(cache_commit(c, &e), 0);
	ck_assert_int_eq(test_count_subject(c, folder, "needle"), 11);

	ck_assert_int_eq(cache_search_index_some(c, &e), 1);
	ck_assert_int_eq(test_sql_int("SELECT fts_upto FROM search_state"),
	    tenth);
	/* (External content: only MATCH reads the index itself.) */
	ck_assert_int_eq(test_sql_int("SELECT count(*) FROM messages_fts "
	    "WHERE messages_fts MATCH 'haystack'"), CACHE_SEARCH_CHUNK);
	ck_assert_int_eq(test_count_subject(c, folder, "needle"), 11);
	ck_assert_int_eq(test_count_subject(c, folder, "haystack"), n);

	ck_assert_int_eq(cache_search_index_some(c, &e), 0);
	ck_assert_int_eq(test_sql_int("SELECT fts_upto FROM search_state"),
	    last);
	ck_assert_int_eq(cache_search_index_some(c, &e), 0);
	ck_assert_int_eq(test_sql_int("SELECT count(*) FROM messages_fts "
	    "WHERE messages_fts MATCH 'haystack'"), n);
	ck_assert_int_eq(test_count_subject(c, folder, "needle"), 11);
	ck_assert_int_eq(test_count_subject(c, folder, "needle 9999"), 1);
	cache_close(c);
}
END_TEST

/* How many of the three sort indexes exist in the test cache. */
static int64_t
test_sort_indexes(void)
{
	return test_sql_int("SELECT count(*) FROM sqlite_master WHERE type = "
	    "'index' AND name IN ('messages_from', 'messages_subject', "
	    "'messages_size')");
}

/*
 * A bulk load drops the sort indexes and builds them again; the orders
 * stay right in between, and a cache left without them (a crash in the
 * middle of a load) gets them back when it is opened.
 */
START_TEST(test_bulk_load)
{
	struct cache		*c, *c2;
	char			*other;
	struct cache_query	 q;
	struct error		 e;
	int64_t			 folder;

	c = test_open(&folder);
	ck_assert_int_eq(test_sort_indexes(), 3);
	ck_assert_msg(cache_bulk_begin(c, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(test_sort_indexes(), 0);
	test_fill(c, folder, 1, NULL);
	memset(&q, 0, sizeof q);
	q.folder_id = folder;
	q.sort = CACHE_SORT_FROM;
	test_expect(c, &q, "6,3,5,4,2,1");
	ck_assert_msg(cache_bulk_end(c, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(test_sort_indexes(), 3);
	test_expect(c, &q, "6,3,5,4,2,1");
	q.sort = CACHE_SORT_SIZE;
	test_expect(c, &q, "2,4,1,6,5,3");
	/* Twice is harmless. */
	ck_assert_int_eq(cache_bulk_end(c, &e), 0);
	ck_assert_int_eq(cache_bulk_begin(c, &e), 0);
	/* A further connection (a job's) leaves a load's drop alone... */
	c2 = cache_open_more(test_path, &e);
	ck_assert_msg(c2 != NULL, "%s", e.msg);
	ck_assert_int_eq(test_sort_indexes(), 0);
	cache_close(c2);
	cache_close(c);
	ck_assert_int_eq(test_sort_indexes(), 0);
	/* ...and opening the cache proper repairs it. */
	c = cache_open(test_path, &e);
	ck_assert_msg(c != NULL, "%s", e.msg);
	ck_assert_int_eq(test_sort_indexes(), 3);
	cache_close(c);
	/* A further connection never creates or migrates a schema. */
	other = xasprintf("%s/other.db", test_dir);
	ck_assert_ptr_null(cache_open_more(other, &e));
	ck_assert_ptr_nonnull(strstr(e.msg, "schema 0, not"));
	free(other);
}
END_TEST

START_TEST(test_limit_autocommit)
{
	struct cache	*c;
	int64_t		 folder, ids[TEST_NMSGS];

	/* A put outside a transaction is indexed at once. */
	c = test_open(&folder);
	test_fill(c, folder, 0, ids);
	ck_assert_int_eq(test_sql_int("SELECT fts_upto FROM search_state"),
	    ids[TEST_NMSGS - 1]);
	ck_assert_int_eq(test_sql_int("SELECT count(*) FROM messages_fts "
	    "WHERE messages_fts MATCH 'budget'"), 2);
	test_limits(c, folder);
	cache_close(c);
}
END_TEST

START_TEST(test_limit_follows_changes)
{
	struct cache		*c;
	struct cache_msg	 m;
	struct error		 e;
	int64_t			 folder, other;

	c = test_open(&folder);
	test_fill(c, folder, 1, NULL);
	/* A new subject replaces the old one in the index. */
	ck_assert_int_eq(cache_msg_find(c, folder, "3", &m, &e), 0);
	free(m.subject);
	m.subject = xstrdup("dinner plans");
	ck_assert_int_eq(cache_msg_put(c, &m, &e), 0);
	cache_msg_fini(&m);
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "lunch", "");
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "dinner", "3");
	/* Flags do not touch the index; removal does. */
	ck_assert_int_eq(cache_msg_set_flags(c, folder, "2", CACHE_FLAG_SEEN,
	    &e), 0);
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "budget", "2,1");
	ck_assert_int_eq(cache_msg_remove(c, folder, "2", &e), 0);
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "budget", "1");
	/* Other folders' matches are not ours; a cleared folder has none. */
	ck_assert_int_eq(cache_folder_put(c, 1, "Other", NULL, '/', 0, &other,
	    &e), 0);
	test_limit(c, other, CACHE_MATCH_SUBJECT, "budget", "");
	ck_assert_int_eq(cache_folder_clear(c, folder, &e), 0);
	test_limit(c, folder, CACHE_MATCH_SUBJECT, "report", "");
	/* The index is consistent with its content table. */
	ck_assert_int_eq(test_sql_int("SELECT count(*) FROM messages_fts "
	    "WHERE messages_fts MATCH 'budget'"), 0);
	ck_assert_int_eq(test_sql_exec("INSERT INTO messages_fts "
	    "(messages_fts, rank) VALUES ('integrity-check', 1)"), SQLITE_OK);
	cache_close(c);
}
END_TEST

START_TEST(test_references_and_thread_rows)
{
	struct cache		*c;
	struct cache_msg	 m, got, *page;
	struct cache_thread_row	*rows;
	struct error		 e;
	size_t			 n;
	int64_t			 folder;

	c = test_open(&folder);
	memset(&m, 0, sizeof m);
	m.folder_id = folder;
	m.remote_id = (char *)"10";
	m.date = 20;
	m.subject = (char *)"Re: x";
	m.message_id = (char *)"<b@x>";
	m.in_reply_to = (char *)"<a@x>";
	m.references = (char *)"<root@x> <a@x>";
	ck_assert_int_eq(cache_msg_put(c, &m, &e), 0);
	ck_assert_int_eq(cache_msg_get(c, m.id, &got, &e), 0);
	ck_assert_str_eq(got.references, "<root@x> <a@x>");
	cache_msg_fini(&got);
	ck_assert_int_eq(cache_msg_page(c, folder, 0, 10, &page, &n, &e), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(page[0].references, "<root@x> <a@x>");
	cache_msg_list_free(page, n);
	memset(&m, 0, sizeof m);
	m.folder_id = folder;
	m.remote_id = (char *)"9";
	m.date = 10;
	ck_assert_int_eq(cache_msg_put(c, &m, &e), 0);

	ck_assert_int_eq(cache_thread_rows(c, folder, &rows, &n, &e), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(rows[0].id, m.id);
	ck_assert_ptr_null(rows[0].message_id);
	ck_assert_ptr_null(rows[0].references);
	ck_assert_ptr_null(rows[0].subject);
	ck_assert_int_eq(rows[1].date, 20);
	ck_assert_str_eq(rows[1].message_id, "<b@x>");
	ck_assert_str_eq(rows[1].in_reply_to, "<a@x>");
	ck_assert_str_eq(rows[1].references, "<root@x> <a@x>");
	ck_assert_str_eq(rows[1].subject, "Re: x");
	cache_thread_rows_free(rows, n);
	ck_assert_int_eq(cache_thread_rows(c, folder + 1, &rows, &n, &e), 0);
	ck_assert_uint_eq(n, 0);
	cache_thread_rows_free(rows, n);
	cache_close(c);
}
END_TEST

/* Create the cache suite. */
static Suite *
cache_query_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("cache_query");
	tc = tcase_create("query");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_sort_orders);
	tcase_add_test(tc, test_paging);
	tcase_add_test(tc, test_paging_from_the_end);
	tcase_add_test(tc, test_limit_indexed);
	tcase_add_test(tc, test_limit_unindexed_tail);
	tcase_add_test(tc, test_index_in_chunks);
	tcase_add_test(tc, test_limit_autocommit);
	tcase_add_test(tc, test_bulk_load);
	tcase_add_test(tc, test_limit_follows_changes);
	tcase_add_test(tc, test_references_and_thread_rows);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(cache_query_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

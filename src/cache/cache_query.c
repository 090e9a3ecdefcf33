/*
 * cache_query.c - what the message list shows: a folder in an order,
 * optionally limited to messages whose subject, sender or recipients
 * contain a text; and the rows threading needs.
 *
 * Every order walks an index that starts (folder_id, sort key, date) and
 * ends in the rowid (cache_schema.c, version 2), so a page costs the index
 * entries it skips plus the rows it returns, never a sort of the folder,
 * and a message's position is one counting range scan.
 *
 * A limit of three characters or more on subject and sender is answered by
 * the FTS5 trigram index (substring match, case folded by the tokenizer,
 * Unicode included), plus LIKE over the few rows stored since the index was
 * last brought up to date (cache_search_catch_up).  Shorter texts cannot be
 * split in trigrams, and recipients are not indexed: those limits fall back
 * to LIKE, which reads the folder's rows and folds ASCII only.  The user's
 * text is always a bound parameter, quoted for FTS5 or escaped for LIKE,
 * never SQL.
 *
 * There is one statement per order, direction, match method and purpose,
 * built from the fragments below and prepared on first use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/cache_impl.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* How a query is limited. */
enum cache_match {
	CACHE_MATCH_NONE = 0,
	CACHE_MATCH_FTS,
	CACHE_MATCH_LIKE
};

/* What a query statement is for. */
enum cache_query_kind {
	CACHE_QUERY_COUNT = 0,	/* count(*) */
	CACHE_QUERY_PAGE,	/* a page: ?4 limit, ?5 offset */
	CACHE_QUERY_KEY,	/* the sort key of message ?4, if it matches */
	CACHE_QUERY_POSITION	/* how many sort before key ?4, ?5, ?6 */
};

/* The fewest characters the trigram index can look up. */
#define CACHE_TRIGRAM_MIN	3

/* Bits of match_fields this build knows. */
#define CACHE_MATCH_ALL							\
	(CACHE_MATCH_SUBJECT | CACHE_MATCH_FROM | CACHE_MATCH_TO)

/* Per order: the key column before date and id (NULL: date alone). */
static const char *const cache_sort_key[CACHE_QUERY_SORTS] = {
	NULL, "m.from_sort", "m.subject_sort", "m.size"
};

/*
 * "Contains ?7 in the fields ?3" for the table alias t, by reading the rows
 * (caller frees).
 */
static char *
cache_like_sql(const char *t)
{
	return xasprintf("(((?3 & 1) != 0 AND %s.subject LIKE ?7 ESCAPE '\\')"
	    " OR ((?3 & 2) != 0 AND (%s.from_name LIKE ?7 ESCAPE '\\'"
	    " OR %s.from_addr LIKE ?7 ESCAPE '\\'))"
	    " OR ((?3 & 4) != 0 AND %s.to_addrs LIKE ?7 ESCAPE '\\'))",
	    t, t, t, t);
}

/*
 * The WHERE clause of a query (caller frees).  With the index, the
 * matching ids are what FTS5 finds plus the rows stored since the last
 * catch-up (above fts_upto) that LIKE finds.  Counting drives from that id
 * list (the unary + keeps SQLite from walking the folder's index and
 * probing the list 100,000 times); a page lets SQLite walk the order's
 * index and stop after a page.
 */
static char *
cache_where_sql(enum cache_query_kind kind, enum cache_match match)
{
	char	*like, *sql;
	int	 drive;

	drive = kind == CACHE_QUERY_COUNT || kind == CACHE_QUERY_POSITION;
	if (match == CACHE_MATCH_NONE)
		return xstrdup("m.folder_id = ?1");
	if (match == CACHE_MATCH_LIKE) {
		like = cache_like_sql("m");
		sql = xasprintf("m.folder_id = ?1 AND %s", like);
		free(like);
		return sql;
	}
	like = cache_like_sql("t");
	sql = xasprintf("%sm.folder_id = ?1 AND m.id IN ("
	    "SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?2 "
	    "UNION ALL SELECT t.id FROM messages t "
	    "WHERE t.id > (SELECT fts_upto FROM search_state) "
	    "AND +t.folder_id = ?1 AND %s)", drive ? "+" : "", like);
	free(like);
	return sql;
}

_Static_assert(CACHE_SORT_SIZE == CACHE_QUERY_SORTS - 1, "one key per order");

/* Build the SQL of one query statement (caller frees). */
static char *
cache_query_sql(enum cache_query_kind kind, enum cache_sort sort, int rev,
    enum cache_match match)
{
	const char	*key = cache_sort_key[sort], *dir = rev ? " DESC" : "";
	char		*where, *sql = NULL;

	where = cache_where_sql(kind, match);
	switch (kind) {
	case CACHE_QUERY_COUNT:
		sql = xasprintf("SELECT count(*) FROM messages m WHERE %s",
		    where);
		break;
	case CACHE_QUERY_PAGE:
		sql = xasprintf("SELECT " CACHE_MSG_COLUMNS "FROM messages m "
		    "WHERE %s ORDER BY %s%s%sm.date%s, m.id%s "
		    "LIMIT ?4 OFFSET ?5", where, key == NULL ? "" : key,
		    key == NULL ? "" : dir, key == NULL ? "" : ", ", dir, dir);
		break;
	case CACHE_QUERY_KEY:
		sql = xasprintf("SELECT %s, m.date, m.id FROM messages m "
		    "WHERE m.id = ?4 AND %s", key == NULL ? "NULL" : key,
		    where);
		break;
	case CACHE_QUERY_POSITION:
		sql = xasprintf("SELECT count(*) FROM messages m WHERE %s "
		    "AND (%s%sm.date, m.id) %s (%s?5, ?6)", where,
		    key == NULL ? "" : key, key == NULL ? "" : ", ",
		    rev ? ">" : "<", key == NULL ? "" : "?4, ");
		break;
	}
	free(where);
	return sql;
}

/* The statement for one combination, prepared on first use. */
static sqlite3_stmt *
cache_query_stmt(struct cache *c, enum cache_query_kind kind,
    enum cache_sort sort, int rev, enum cache_match match, struct error *e)
{
	sqlite3_stmt	**slot;
	char		 *sql;
	size_t		  i;

	i = (((size_t)kind * CACHE_QUERY_SORTS + (size_t)sort) * 2 +
	    (rev ? 1 : 0)) * CACHE_QUERY_MATCHES + (size_t)match;
	slot = &c->query[i];
	if (*slot != NULL)
		return *slot;
	sql = cache_query_sql(kind, sort, rev, match);
	if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot,
	    NULL) != SQLITE_OK) {
		cache_sqlerr(c, e, "prepare query \"%.60s\"", sql);
		sqlite3_finalize(*slot);
		*slot = NULL;
	}
	free(sql);
	return *slot;
}

/* Number of UTF-8 characters in s (bytes that do not continue one). */
static size_t
cache_utf8_chars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return n;
}

/* An FTS5 query: the fields as a column filter, the text as one phrase. */
static char *
cache_query_fts(unsigned fields, const char *text)
{
	struct buf	 b;
	const char	*p;
	char		*out;

	buf_init(&b, 0);
	buf_adds(&b, "{");
	if (fields & CACHE_MATCH_SUBJECT)
		buf_adds(&b, " subject");
	if (fields & CACHE_MATCH_FROM)
		buf_adds(&b, " from_name from_addr");
	if (fields & CACHE_MATCH_TO)
		buf_adds(&b, " to_addrs");
	buf_adds(&b, " } : \"");
	/* Inside an FTS5 string a double quote is written twice. */
	for (p = text; *p != '\0'; p++) {
		if (*p == '"')
			buf_addc(&b, '"');
		buf_addc(&b, *p);
	}
	buf_addc(&b, '"');
	out = buf_take(&b);
	return out;
}

/* A LIKE pattern for "contains text", its wildcards escaped with '\'. */
char *
cache_like_pattern(const char *text)
{
	struct buf	 b;
	const char	*p;
	char		*out;

	buf_init(&b, 0);
	buf_addc(&b, '%');
	for (p = text; *p != '\0'; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_addc(&b, '\\');
		buf_addc(&b, *p);
	}
	buf_addc(&b, '%');
	out = buf_take(&b);
	return out;
}

/* How a query is limited, and the texts its statement binds. */
struct cache_plan {
	enum cache_match match;
	unsigned	 fields;	/* ?3 */
	char		*fts;		/* ?2, FTS5 query */
	char		*like;		/* ?7, LIKE pattern */
};

/*
 * Check a query and work out how it is limited.  The index holds subject
 * and sender: a limit that includes recipients reads the rows.
 */
static int
cache_query_plan(const struct cache_query *q, struct cache_plan *p,
    struct error *e)
{
	memset(p, 0, sizeof *p);
	p->fields = q->match_fields & CACHE_MATCH_ALL;
	if ((int)q->sort < 0 || (int)q->sort >= CACHE_QUERY_SORTS)
		return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "unknown sort "
		    "order %d", (int)q->sort);
	if (p->fields == 0 || q->match_text == NULL ||
	    *q->match_text == '\0')
		return 0;
	p->like = cache_like_pattern(q->match_text);
	if (cache_utf8_chars(q->match_text) >= CACHE_TRIGRAM_MIN &&
	    (p->fields & CACHE_MATCH_TO) == 0) {
		p->match = CACHE_MATCH_FTS;
		p->fts = cache_query_fts(p->fields, q->match_text);
	} else
		p->match = CACHE_MATCH_LIKE;
	return 0;
}

/* Free the texts of a plan. */
static void
cache_plan_fini(struct cache_plan *p)
{
	free(p->fts);
	free(p->like);
}

/* Bind the folder and the limit (?1, ?2, ?3, ?7) of a query statement. */
static int
cache_query_bind(sqlite3_stmt *s, const struct cache_query *q,
    const struct cache_plan *p)
{
	if (sqlite3_bind_int64(s, 1, q->folder_id) != SQLITE_OK)
		return -1;
	if (p->match == CACHE_MATCH_NONE)
		return 0;
	if (sqlite3_bind_int(s, 3, (int)p->fields) != SQLITE_OK ||
	    sqlite3_bind_text(s, 7, p->like, -1, SQLITE_STATIC) != SQLITE_OK)
		return -1;
	if (p->match == CACHE_MATCH_FTS &&
	    sqlite3_bind_text(s, 2, p->fts, -1, SQLITE_STATIC) != SQLITE_OK)
		return -1;
	return 0;
}

/* Prepare and bind a query statement; NULL with the error filled. */
static sqlite3_stmt *
cache_query_start(struct cache *c, const struct cache_query *q,
    enum cache_query_kind kind, const struct cache_plan *p, struct error *e)
{
	sqlite3_stmt	*s;

	s = cache_query_stmt(c, kind, q->sort, q->reverse, p->match, e);
	if (s == NULL)
		return NULL;
	if (cache_query_bind(s, q, p) != 0) {
		cache_sqlerr(c, e, "bind query of folder %lld",
		    (long long)q->folder_id);
		cache_stmt_done(s);
		return NULL;
	}
	return s;
}

/* Count the messages of a query. */
int
cache_query_count(struct cache *c, const struct cache_query *q,
    int64_t *count, struct error *e)
{
	sqlite3_stmt	*s;
	struct cache_plan p;
	int		 rv = -1;

	if (cache_query_plan(q, &p, e) != 0)
		return -1;
	s = cache_query_start(c, q, CACHE_QUERY_COUNT, &p, e);
	if (s == NULL)
		goto out;
	if (sqlite3_step(s) != SQLITE_ROW) {
		cache_sqlerr(c, e, "count messages of folder %lld",
		    (long long)q->folder_id);
		goto out;
	}
	*count = sqlite3_column_int64(s, 0);
	rv = 0;
out:
	cache_stmt_done(s);
	cache_plan_fini(&p);
	return rv;
}

/* Reverse a page read from the other end, so it is in the query's order. */
static void
cache_page_reverse(struct cache_msg *msgs, size_t n)
{
	struct cache_msg	 t;

	for (size_t i = 0; i < n / 2; i++) {
		t = msgs[i];
		msgs[i] = msgs[n - 1 - i];
		msgs[n - 1 - i] = t;
	}
}

/*
 * Read a page of a query, in its order.  OFFSET makes SQLite step over
 * every row before the page: at the end of a 100,000-message folder, or of
 * a limit whose matches are spread over it, that is the whole index.  When
 * the caller knows the count and the page is in the second half, the
 * reversed order is read from its start instead, and the page turned back:
 * the order is total (key, date, id), so the two agree row for row.
 */
int
cache_query_page(struct cache *c, const struct cache_query *q, int64_t offset,
    size_t limit, struct cache_msg **msgs, size_t *n, struct error *e)
{
	sqlite3_stmt	*s;
	struct cache_plan p;
	struct cache_query back;
	char		 what[64];
	int		 rv = -1;
	bool		 flip = false;

	if (offset < 0)
		return error_set(e, ERR_CACHE, ERR_SCOPE_OP, "negative offset");
	if (q->count > 0 && limit <= (size_t)q->count && offset < q->count &&
	    offset > q->count / 2) {
		back = *q;
		back.reverse = !q->reverse;
		/* The page [offset, offset + limit) seen from the end. */
		if (offset + (int64_t)limit > q->count)
			limit = (size_t)(q->count - offset);
		offset = q->count - offset - (int64_t)limit;
		q = &back;
		flip = true;
	}
	if (cache_query_plan(q, &p, e) != 0)
		return -1;
	s = cache_query_start(c, q, CACHE_QUERY_PAGE, &p, e);
	if (s == NULL)
		goto out;
	snprintf(what, sizeof what, "read messages of folder %lld",
	    (long long)q->folder_id);
	/* LIMIT -1 is no limit. */
	if (sqlite3_bind_int64(s, 4, limit > INT64_MAX ? -1 :
	    (int64_t)limit) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 5, offset) != SQLITE_OK) {
		cache_sqlerr(c, e, "%s", what);
		cache_stmt_done(s);
		goto out;
	}
	rv = cache_msg_collect(c, s, msgs, n, what, e);
	if (rv == 0 && flip)
		cache_page_reverse(*msgs, *n);
out:
	cache_plan_fini(&p);
	return rv;
}

/* Walk the whole query with one statement (see cache.h). */
int
cache_query_each(struct cache *c, const struct cache_query *q,
    int (*fn)(void *, const struct cache_msg *), void *arg, struct error *e)
{
	sqlite3_stmt		*s;
	struct cache_plan	 p;
	struct cache_msg	 m;
	int			 rc = SQLITE_ERROR, rv = -1, stop = 0;

	if (cache_query_plan(q, &p, e) != 0)
		return -1;
	s = cache_query_start(c, q, CACHE_QUERY_PAGE, &p, e);
	if (s == NULL)
		goto out;
	/* LIMIT -1 OFFSET 0: all of it. */
	if (sqlite3_bind_int64(s, 4, -1) == SQLITE_OK &&
	    sqlite3_bind_int64(s, 5, 0) == SQLITE_OK) {
		while (stop == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
			cache_msg_row(s, &m);
			stop = fn(arg, &m);
			cache_msg_fini(&m);
		}
	}
	if (stop != 0 || rc == SQLITE_DONE)
		rv = 0;
	else
		cache_sqlerr(c, e, "read messages of folder %lld",
		    (long long)q->folder_id);
	cache_stmt_done(s);
out:
	cache_plan_fini(&p);
	return rv;
}

/*
 * Count what sorts before the message whose key row k has found: its key
 * values are copied into the position statement before k is reset.
 */
static int
cache_query_count_before(struct cache *c, const struct cache_query *q,
    const struct cache_plan *p, sqlite3_stmt *k, int64_t *pos,
    struct error *e)
{
	sqlite3_stmt	*s;
	int		 rv = -1;

	s = cache_query_start(c, q, CACHE_QUERY_POSITION, p, e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_value(s, 4, sqlite3_column_value(k, 0)) !=
	    SQLITE_OK ||
	    sqlite3_bind_int64(s, 5, sqlite3_column_int64(k, 1)) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 6, sqlite3_column_int64(k, 2)) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW) {
		cache_sqlerr(c, e, "find position in folder %lld",
		    (long long)q->folder_id);
		goto out;
	}
	*pos = sqlite3_column_int64(s, 0);
	rv = 0;
out:
	cache_stmt_done(s);
	return rv;
}

/* Find a message's 0-based position in a query; 1 if it is not in it. */
int
cache_query_position(struct cache *c, const struct cache_query *q,
    int64_t msg_id, int64_t *pos, struct error *e)
{
	sqlite3_stmt	*k;
	struct cache_plan p;
	int		 rc, rv = -1;

	if (cache_query_plan(q, &p, e) != 0)
		return -1;
	k = cache_query_start(c, q, CACHE_QUERY_KEY, &p, e);
	if (k == NULL)
		goto out;
	if (sqlite3_bind_int64(k, 4, msg_id) != SQLITE_OK)
		rc = SQLITE_ERROR;
	else
		rc = sqlite3_step(k);
	if (rc == SQLITE_DONE)
		rv = 1;
	else if (rc != SQLITE_ROW)
		cache_sqlerr(c, e, "look up message %lld", (long long)msg_id);
	else
		rv = cache_query_count_before(c, q, &p, k, pos, e);
out:
	cache_stmt_done(k);
	cache_plan_fini(&p);
	return rv;
}

/* Run one of the catch-up's statements with its LIMIT bound. */
static int
cache_search_step(struct cache *c, enum cache_stmt_id id, const char *sql,
    int64_t limit, struct error *e)
{
	sqlite3_stmt	*s;
	int		 rv = 0;

	if ((s = cache_stmt(c, id, sql, e)) == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, limit) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE)
		rv = cache_sqlerr(c, e, "update the search index");
	cache_stmt_done(s);
	return rv;
}

/*
 * Index up to max of the messages stored since the last catch-up (0: all)
 * in one statement (FTS5 writes one segment), oldest first, and move the
 * mark past them, in one savepoint: a row must never be indexed twice.
 * 1 when the limit was reached (more may remain), 0 when all are indexed.
 */
int
cache_search_catch_up(struct cache *c, int64_t max, struct error *e)
{
	int64_t		 limit = max > 0 ? max : -1;	/* -1: no limit */
	int		 n, rv = -1;

	if (cache_savepoint(c, e) != 0)
		return -1;
	if (cache_search_step(c, CACHE_STMT_SEARCH_INDEX, "INSERT INTO "
	    "messages_fts (rowid, subject, from_name, from_addr) "
	    "SELECT id, subject, from_name, from_addr FROM messages "
	    "WHERE id > (SELECT fts_upto FROM search_state) "
	    "ORDER BY id LIMIT ?1", limit, e) != 0)
		goto out;
	/* Nothing new: leave search_state alone (no page to write). */
	if ((n = sqlite3_changes(c->db)) == 0) {
		rv = 0;
		goto out;
	}
	if (cache_search_step(c, CACHE_STMT_SEARCH_MARK, "UPDATE search_state "
	    "SET fts_upto = (SELECT max(id) FROM (SELECT id FROM messages "
	    "WHERE id > (SELECT fts_upto FROM search_state) "
	    "ORDER BY id LIMIT ?1))", limit, e) != 0)
		goto out;
	rv = max > 0 && n >= max ? 1 : 0;
out:
	if (cache_savepoint_end(c, rv == -1 ? -1 : 0, e) != 0)
		return -1;
	return rv;
}

/* Read what threading needs of every message of a folder, oldest first. */
int
cache_thread_rows(struct cache *c, int64_t folder_id,
    struct cache_thread_row **rows, size_t *n, struct error *e)
{
	sqlite3_stmt		*s;
	struct cache_thread_row	*list = NULL, *r;
	size_t			 len = 0, cap = 0;
	int			 rc = SQLITE_ERROR, rv = -1;

	s = cache_stmt(c, CACHE_STMT_THREAD_ROWS, "SELECT id, date, "
	    "message_id, in_reply_to, refs, subject FROM messages "
	    "WHERE folder_id = ?1 ORDER BY date, id", e);
	if (s == NULL)
		return -1;
	if (sqlite3_bind_int64(s, 1, folder_id) == SQLITE_OK) {
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			if (len == cap) {
				cap = cap == 0 ? 256 : cap * 2;
				list = xreallocarray(list, cap, sizeof *list);
			}
			r = &list[len++];
			r->id = sqlite3_column_int64(s, 0);
			r->date = sqlite3_column_int64(s, 1);
			r->message_id = cache_column_dup(s, 2);
			r->in_reply_to = cache_column_dup(s, 3);
			r->references = cache_column_dup(s, 4);
			r->subject = cache_column_dup(s, 5);
		}
	}
	if (rc != SQLITE_DONE) {
		cache_sqlerr(c, e, "read thread rows of folder %lld",
		    (long long)folder_id);
		goto out;
	}
	*rows = list;
	*n = len;
	list = NULL;
	rv = 0;
out:
	cache_thread_rows_free(list, len);
	cache_stmt_done(s);
	return rv;
}

/* Free an array from cache_thread_rows. */
void
cache_thread_rows_free(struct cache_thread_row *rows, size_t n)
{
	size_t	i;

	if (rows == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(rows[i].message_id);
		free(rows[i].in_reply_to);
		free(rows[i].references);
		free(rows[i].subject);
	}
	free(rows);
}

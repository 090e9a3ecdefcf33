/*
 * cache_bulk.c - filling a large empty folder without the sort indexes.
 *
 * Every message row goes into six b-trees; three of them (the From,
 * Subject and size orders) receive the rows in random order, so each
 * short transaction of a 100,000-message download rewrote most of their
 * pages into the WAL: two thirds of petrel's CPU for the download.  While
 * a driver fills an empty folder in bulk they are dropped, and built again
 * at the end in one sorted pass each (0.1 s per 100,000 rows).  Meanwhile
 * sorting by those keys scans the folder: correct, only slower.  The
 * drop and the rebuild are idempotent, so accounts loading at once are
 * safe, and cache_open rebuilds whatever a crash left dropped.
 */
#include <sqlite3.h>

#include "cache/cache.h"
#include "cache/cache_impl.h"

/* The indexes dropped during a bulk load, with how to build them. */
static const struct {
	const char	*drop;
	const char	*create;
} cache_bulk_indexes[] = {
	{ "DROP INDEX IF EXISTS messages_from",
	  "CREATE INDEX IF NOT EXISTS messages_from ON messages "
	  "(folder_id, from_sort, date)" },
	{ "DROP INDEX IF EXISTS messages_subject",
	  "CREATE INDEX IF NOT EXISTS messages_subject ON messages "
	  "(folder_id, subject_sort, date)" },
	{ "DROP INDEX IF EXISTS messages_size",
	  "CREATE INDEX IF NOT EXISTS messages_size ON messages "
	  "(folder_id, size, date)" },
};
#define CACHE_BULK_N	(sizeof cache_bulk_indexes / sizeof cache_bulk_indexes[0])

/* Run the drops (begin) or the creates (end) in one transaction. */
static int
cache_bulk_run(struct cache *c, int create, struct error *e)
{
	const char	*sql;

	if (cache_begin(c, e) != 0)
		return -1;
	for (size_t i = 0; i < CACHE_BULK_N; i++) {
		sql = create ? cache_bulk_indexes[i].create :
		    cache_bulk_indexes[i].drop;
		if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
			cache_sqlerr(c, e, "%s sort indexes", create ?
			    "build" : "drop");
			cache_rollback(c);
			return -1;
		}
	}
	return cache_commit(c, e);
}

/* Drop the sort indexes before filling an empty folder. */
int
cache_bulk_begin(struct cache *c, struct error *e)
{
	return cache_bulk_run(c, 0, e);
}

/* How many of the sort indexes exist; -1 on error. */
static int
cache_bulk_present(struct cache *c, struct error *e)
{
	sqlite3_stmt	*s;
	int		 n = -1;

	if (sqlite3_prepare_v2(c->db, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'index' AND name IN ('messages_from', "
	    "'messages_subject', 'messages_size')", -1, &s, NULL) != SQLITE_OK) {
		cache_sqlerr(c, e, "look for the sort indexes");
		return -1;
	}
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	else
		cache_sqlerr(c, e, "look for the sort indexes");
	sqlite3_finalize(s);
	return n;
}

/* Build the sort indexes again (also at open, after a crash). */
int
cache_bulk_end(struct cache *c, struct error *e)
{
	int	n;

	/* No write lock when there is nothing to build (every open). */
	if ((n = cache_bulk_present(c, e)) == -1)
		return -1;
	if (n == (int)CACHE_BULK_N)
		return 0;
	return cache_bulk_run(c, 1, e);
}

/*
 * cache_impl.h - internals shared by the files of src/cache/ (not for use
 * outside it).
 *
 * A struct cache is one SQLite connection plus its table of prepared
 * statements.  Each statement is prepared the first time it is used and then
 * reused for the life of the connection (sync writes 100,000 rows at a time;
 * re-preparing per call would dominate).  A statement is always reset and its
 * bindings cleared before the function that used it returns, so no statement
 * keeps a WAL read snapshot open between calls.
 *
 * Thread rule: a struct cache and its statements belong to the thread that
 * opened it; nothing here locks.  Other threads open their own struct cache
 * on the same file (the connection is opened SQLITE_OPEN_NOMUTEX).
 */
#ifndef PETREL_CACHE_IMPL_H
#define PETREL_CACHE_IMPL_H

#include <sqlite3.h>

#include "cache/cache.h"

/* PRAGMA application_id of a petrel cache: "Ptrl". */
#define CACHE_APPLICATION_ID	0x5074726c

/* How long a connection waits for another one's write lock. */
#define CACHE_BUSY_TIMEOUT_MS	5000
/* How often opening retries what SQLite's busy handler does not cover. */
#define CACHE_RETRY_MS		10

/* Every statement petrel runs more than once, by the file that owns it. */
enum cache_stmt_id {
	/* cache.c */
	CACHE_STMT_BEGIN,
	CACHE_STMT_COMMIT,
	CACHE_STMT_ROLLBACK,
	CACHE_STMT_SAVEPOINT,
	CACHE_STMT_RELEASE,
	CACHE_STMT_ROLLBACK_TO,
	CACHE_STMT_USER_VERSION,
	/* cache_folder.c */
	CACHE_STMT_ACCOUNT_INSERT,
	CACHE_STMT_ACCOUNT_ID,
	CACHE_STMT_FOLDER_PUT,
	CACHE_STMT_FOLDER_ID,
	CACHE_STMT_FOLDER_NAMES,
	CACHE_STMT_FOLDER_DELETE,
	CACHE_STMT_FOLDER_LIST,
	CACHE_STMT_FOLDER_GET,
	CACHE_STMT_FOLDER_FIND,
	CACHE_STMT_FOLDER_GET_STATE,
	CACHE_STMT_FOLDER_SET_STATE,
	CACHE_STMT_FOLDER_CLEAR,
	CACHE_STMT_FOLDER_SET_ROLE,
	CACHE_STMT_FOLDER_FIND_ROLE,
	/* cache_msg.c */
	CACHE_STMT_MSG_PUT,
	CACHE_STMT_MSG_ID,
	CACHE_STMT_MSG_SET_FLAGS,
	CACHE_STMT_MSG_REMOVE,
	CACHE_STMT_MSG_REMOTE_IDS,
	CACHE_STMT_MSG_COUNT,
	CACHE_STMT_MSG_PAGE,
	CACHE_STMT_MSG_GET,
	CACHE_STMT_THREAD_ROWS,
	CACHE_STMT_SEARCH_INDEX,
	CACHE_STMT_SEARCH_MARK,
	/* cache_op.c */
	CACHE_STMT_OP_ADD,
	CACHE_STMT_OP_LIST,
	CACHE_STMT_OP_DONE,
	CACHE_STMT_OP_FAILED,
	CACHE_STMT_OP_MOVING,
	/* cache_body.c */
	CACHE_STMT_BODY_PUT,
	CACHE_STMT_BODY_GET,

	CACHE_STMT_OUTBOX_ADD,
	CACHE_STMT_OUTBOX_LIST,
	CACHE_STMT_OUTBOX_GET,
	CACHE_STMT_OUTBOX_STATE,
	CACHE_STMT_OUTBOX_REMOVE,
	CACHE_STMT_SMTP_8BIT_SET,
	CACHE_STMT_SMTP_8BIT_GET,

	CACHE_STMT_ADDR_CANDIDATES,

	CACHE_STMT_MAX
};

/*
 * Query statements (cache_query.c) are built from an order, a direction,
 * a match method and a purpose; each combination is prepared on first use
 * and kept in its own slot.
 */
#define CACHE_QUERY_SORTS	4	/* enum cache_sort */
#define CACHE_QUERY_MATCHES	3	/* none, FTS5 trigram, LIKE */
#define CACHE_QUERY_KINDS	4	/* count, page, key lookup, position */
#define CACHE_QUERY_STMTS						\
	(CACHE_QUERY_SORTS * 2 * CACHE_QUERY_MATCHES * CACHE_QUERY_KINDS)

struct cache {
	sqlite3		*db;
	char		*path;
	sqlite3_stmt	*stmt[CACHE_STMT_MAX];
	sqlite3_stmt	*query[CACHE_QUERY_STMTS];
	int		 search_ready;	/* schema migrated: index on commit */
};

/*
 * The columns every message query returns, in the order cache_msg_row
 * reads them; has_body costs one rowid lookup.
 */
#define CACHE_MSG_COLUMNS						\
	"m.id, m.folder_id, m.remote_id, m.date, m.from_name, "	\
	"m.from_addr, m.to_addrs, m.subject, m.message_id, "		\
	"m.in_reply_to, m.refs, m.size, m.flags, "			\
	"EXISTS (SELECT 1 FROM bodies b WHERE b.msg_id = m.id) "

/*
 * The statement id, prepared from sql on first use (sql must be the same
 * text on every call).  NULL with the error filled if preparing fails.
 */
sqlite3_stmt	*cache_stmt(struct cache *, enum cache_stmt_id,
		     const char *sql, struct error *);
/* Reset a statement after use and clear its bindings; NULL is allowed. */
void		 cache_stmt_done(sqlite3_stmt *);
/* Run a statement that returns no rows (BEGIN, DELETE...); resets it. */
int		 cache_stmt_exec(struct cache *, enum cache_stmt_id,
		     const char *sql, struct error *);

/* Fill the error as "<what>: <SQLite's last message>" (ERR_CACHE); -1. */
int		 cache_sqlerr(struct cache *, struct error *, const char *, ...)
		     __attribute__((format(printf, 3, 4)));

/* Bind a string, or SQL NULL if s is NULL; an SQLite result code. */
int		 cache_bind_text(sqlite3_stmt *, int, const char *s);
/* A LIKE pattern (ESCAPE '\\') for "contains text"; caller frees. */
char		*cache_like_pattern(const char *text);
/* A copy of a text column, or NULL if the column is NULL. */
char		*cache_column_dup(sqlite3_stmt *, int);

/*
 * Savepoints make one call atomic whether or not the caller has a
 * transaction open.  cache_savepoint_end takes the call's result so far: on
 * 0 it releases the savepoint (and returns -1 if that fails), otherwise it
 * rolls back to the savepoint, keeping the caller's transaction and error,
 * and returns rv unchanged.
 */
int		 cache_savepoint(struct cache *, struct error *);
int		 cache_savepoint_end(struct cache *, int rv, struct error *);

/* Fill a message from the current row of a CACHE_MSG_COLUMNS query. */
void		 cache_msg_row(sqlite3_stmt *, struct cache_msg *);
/*
 * Step a bound CACHE_MSG_COLUMNS query to the end into a new array; resets
 * the statement.  what names the query in an error.
 */
int		 cache_msg_collect(struct cache *, sqlite3_stmt *,
		     struct cache_msg **, size_t *, const char *what,
		     struct error *);

/*
 * cache_query.c: add up to max (0: all) of the messages stored since the
 * last call to the search index, atomically (a savepoint), in one
 * statement; 1 when the limit was reached.
 */
int		 cache_search_catch_up(struct cache *, int64_t max,
		    struct error *);

/*
 * cache_sortkey.c: the normalised sort keys stored beside each message
 * (caller frees), and the SQL functions that compute the same keys for
 * rows stored before they existed (registered on every connection).
 */
char		*cache_subject_key(const char *subject);
char		*cache_from_key(const char *name, const char *addr);
int		 cache_sortkey_register(struct cache *, struct error *);

/* cache_schema.c: refuse or migrate the file to CACHE_SCHEMA_VERSION. */
int		 cache_schema_check(struct cache *, struct error *);
int		 cache_schema_migrate(struct cache *, struct error *);

#endif

/*
 * cache.h - the local SQLite cache: the only thing the UI reads.
 *
 * Drivers write folders, message envelopes and bodies here; the UI reads
 * them a screenful at a time.  One struct cache is one SQLite connection and
 * belongs to one thread: the UI thread, every account worker and the
 * composer's job each open their own (WAL mode lets readers and one
 * writer run at once).  All SQL of
 * petrel lives under src/cache/.
 *
 * Strings stored here are UTF-8 as decoded from the wire (RFC 2047 done by
 * the driver), not yet sanitised for the terminal: the UI sanitises on
 * display.  No secret is ever stored here.
 *
 * Every function returns 0 on success and -1 with the error filled (code
 * ERR_CACHE), unless it says otherwise.  Returned structs and arrays are
 * owned by the caller and freed with the matching _free/_fini function;
 * when *n is 0 a returned array may be NULL.  _get/_find zero the struct
 * before looking, so _fini is safe after a "not found" (1) result.
 * Transactions do not nest; after a failed cache_commit the transaction is
 * still open: call cache_rollback.
 */
#ifndef PETREL_CACHE_H
#define PETREL_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* The schema version this build writes (PRAGMA user_version). */
#define CACHE_SCHEMA_VERSION	4

/* Message flags, stored as a bit set. */
#define CACHE_FLAG_SEEN		0x01u
#define CACHE_FLAG_ANSWERED	0x02u
#define CACHE_FLAG_FLAGGED	0x04u
#define CACHE_FLAG_DELETED	0x08u
#define CACHE_FLAG_DRAFT	0x10u
#define CACHE_FLAG_RECENT	0x20u

/* Folder attributes, stored as a bit set. */
#define CACHE_FOLDER_NOSELECT	0x01u
#define CACHE_FOLDER_NOINFERIORS 0x02u

struct cache;

/* What a folder is for (RFC 6154 SPECIAL-USE, or INBOX). */
enum cache_role {
	CACHE_ROLE_NONE = 0,
	CACHE_ROLE_INBOX,
	CACHE_ROLE_SENT,
	CACHE_ROLE_DRAFTS,
	CACHE_ROLE_TRASH,
	CACHE_ROLE_JUNK,
	CACHE_ROLE_ARCHIVE
};

struct cache_folder {
	int64_t	 id;
	int64_t	 account_id;
	char	*remote_name;	/* as the server names it (IMAP: modified UTF-7) */
	char	*name;		/* UTF-8 for display */
	char	 delim;		/* hierarchy delimiter, '\0' if none */
	unsigned attrs;		/* CACHE_FOLDER_* */
	enum cache_role role;
	int64_t	 total;		/* messages cached */
	int64_t	 unread;	/* cached messages without \Seen */
};

struct cache_msg {
	int64_t	 id;		/* cache row id (0 when not yet stored) */
	int64_t	 folder_id;
	char	*remote_id;	/* IMAP UID as decimal text, POP3 UIDL, ... */
	int64_t	 date;		/* seconds since the epoch (UTC) */
	char	*from_name;	/* display name or NULL */
	char	*from_addr;	/* mailbox@host or NULL */
	char	*to;		/* decoded To: list as one line, or NULL */
	char	*subject;	/* decoded, or NULL */
	char	*message_id;	/* or NULL */
	char	*in_reply_to;	/* or NULL */
	char	*references;	/* References: message ids, space-separated, or NULL */
	int64_t	 size;		/* octets on the server */
	unsigned flags;		/* CACHE_FLAG_* */
	bool	 has_body;	/* the full message is in the cache */
};

/*
 * Open (creating if needed, mode 0600, parent directories 0700) the cache
 * at path, switch to WAL and bring the schema to CACHE_SCHEMA_VERSION.  A
 * file with a newer schema than this build knows is refused.
 */
struct cache	*cache_open(const char *path, struct error *);
/*
 * One more connection (a short-lived thread's) to a cache this process
 * has opened with cache_open: the schema must be this build's, and
 * nothing is migrated or repaired: a repair would build again the sort
 * indexes another connection dropped for a bulk load.
 */
struct cache	*cache_open_more(const char *path, struct error *);
void		 cache_close(struct cache *);
/* The schema version of the open file. */
int		 cache_schema_version(struct cache *, int *version, struct error *);

/*
 * Bulk loading of a large empty folder: cache_bulk_begin drops the From,
 * Subject and size sort indexes, cache_bulk_end builds them again (call it
 * whatever the load's outcome; cache_open also does).  Sorting by those
 * keys in between is correct but scans the folder.
 */
int	 cache_bulk_begin(struct cache *, struct error *);
int	 cache_bulk_end(struct cache *, struct error *);

/* Transactions: batch writes (a sync wraps each few thousand rows). */
int	 cache_begin(struct cache *, struct error *);
int	 cache_commit(struct cache *, struct error *);
void	 cache_rollback(struct cache *);

/* Accounts: the row for a configured account name, created if missing. */
int	 cache_account_id(struct cache *, const char *name, int64_t *id,
	     struct error *);

/* Folders (name NULL: use the remote name). */
int	 cache_folder_put(struct cache *, int64_t account_id,
	     const char *remote_name, const char *name, char delim,
	     unsigned attrs, int64_t *folder_id, struct error *);
/* Remove the account's folders (and their messages) not named in keep. */
int	 cache_folder_prune(struct cache *, int64_t account_id,
	     const char *const *keep_remote_names, size_t n, struct error *);
/* All folders of an account, INBOX first then by name, with counts. */
int	 cache_folder_list(struct cache *, int64_t account_id,
	     struct cache_folder **folders, size_t *n, struct error *);
/* One folder by id or by remote name; 1 if not found. */
int	 cache_folder_get(struct cache *, int64_t folder_id,
	     struct cache_folder *, struct error *);
int	 cache_folder_find(struct cache *, int64_t account_id,
	     const char *remote_name, struct cache_folder *, struct error *);
void	 cache_folder_fini(struct cache_folder *);
void	 cache_folder_list_free(struct cache_folder *, size_t n);
/*
 * The driver's opaque sync state (NULL if none; caller frees).  -1 with
 * ERR_NOTFOUND if there is no such folder.
 */
int	 cache_folder_get_state(struct cache *, int64_t folder_id,
	     char **state, struct error *);
int	 cache_folder_set_state(struct cache *, int64_t folder_id,
	     const char *state, struct error *);
/*
 * The server renamed a folder: give its row the new remote and display
 * names (name NULL: the remote name), keeping its id, cached messages,
 * bodies, sync state and queued operations.  A stale row of the account
 * that already had the new remote name is removed first.  ERR_NOTFOUND if
 * there is no such folder.
 */
int	 cache_folder_rename(struct cache *, int64_t folder_id,
	     const char *remote_name, const char *name, struct error *);
/* Set a folder's role; find the account's folder with a role (1: none). */
int	 cache_folder_set_role(struct cache *, int64_t folder_id,
	     enum cache_role, struct error *);
int	 cache_folder_find_role(struct cache *, int64_t account_id,
	     enum cache_role, struct cache_folder *, struct error *);
/*
 * Drop every message of a folder and its sync state (e.g. IMAP UIDVALIDITY
 * changed): the next sync starts afresh.
 */
int	 cache_folder_clear(struct cache *, int64_t folder_id, struct error *);

/* Messages: insert or update by (folder_id, remote_id); sets m->id. */
int	 cache_msg_put(struct cache *, struct cache_msg *, struct error *);
/* One message by (folder, remote id); 1 if not found. */
int	 cache_msg_find(struct cache *, int64_t folder_id,
	     const char *remote_id, struct cache_msg *, struct error *);
/* Update flags only; 1 if no such message. */
int	 cache_msg_set_flags(struct cache *, int64_t folder_id,
	     const char *remote_id, unsigned flags, struct error *);
/* Delete one message (and its body); 1 if no such message. */
int	 cache_msg_remove(struct cache *, int64_t folder_id,
	     const char *remote_id, struct error *);
/* Every remote id of a folder, in no particular order (caller frees). */
int	 cache_msg_remote_ids(struct cache *, int64_t folder_id,
	     char ***ids, size_t *n, struct error *);
void	 cache_strv_free(char **, size_t n);
/*
 * Every remote id of a folder with its flags (CACHE_FLAG_*), in no
 * particular order: what a driver compares with the server's list (the
 * IMAP UID diff).  Caller frees *ids with cache_strv_free and *flags with
 * free.
 */
int	 cache_msg_flags(struct cache *, int64_t folder_id, char ***ids,
	     unsigned **flags, size_t *n, struct error *);
/* Count messages of a folder. */
int	 cache_msg_count(struct cache *, int64_t folder_id, int64_t *total,
	     int64_t *unread, struct error *);
/*
 * A page of a folder's messages in display order (date ascending, then id),
 * starting at offset: what the message list shows.  *n may be < limit.
 */
int	 cache_msg_page(struct cache *, int64_t folder_id, int64_t offset,
	     size_t limit, struct cache_msg **msgs, size_t *n, struct error *);
/* One message by row id; 1 if not found. */
int	 cache_msg_get(struct cache *, int64_t msg_id, struct cache_msg *,
	     struct error *);
void	 cache_msg_fini(struct cache_msg *);
void	 cache_msg_list_free(struct cache_msg *, size_t n);

/*
 * Queries: what the message list shows.  A query is a folder, an order and
 * an optional limit: messages whose chosen fields contain match_text
 * (case-insensitive, at least for ASCII).  Pages are read with
 * LIMIT/OFFSET over an index, so a screenful costs what a screenful costs
 * even in a folder of 1,000,000 messages.
 */
enum cache_sort {
	CACHE_SORT_DATE = 0,	/* then row id */
	CACHE_SORT_FROM,	/* display name, else address; then date */
	CACHE_SORT_SUBJECT,	/* without Re:/Fwd: prefixes; then date */
	CACHE_SORT_SIZE		/* then date */
};

#define CACHE_MATCH_SUBJECT	0x1u
#define CACHE_MATCH_FROM	0x2u	/* display name or address */
#define CACHE_MATCH_TO		0x4u

struct cache_query {
	int64_t		 folder_id;
	enum cache_sort	 sort;
	bool		 reverse;
	unsigned	 match_fields;	/* CACHE_MATCH_*; 0 = no limit */
	const char	*match_text;	/* UTF-8; NULL or "" = no limit */
	int64_t		 count;		/* rows the query has, if the caller
					   knows (0: unknown): a page in the
					   second half is then read from the
					   other end, not walked to */
};

int	 cache_query_count(struct cache *, const struct cache_query *,
	     int64_t *count, struct error *);
int	 cache_query_page(struct cache *, const struct cache_query *,
	     int64_t offset, size_t limit, struct cache_msg **msgs, size_t *n,
	     struct error *);
/*
 * Call fn on every message of the query in its order, one statement
 * stepped from start to end (linear, where pages of OFFSET are not), one
 * message held at a time; fn returns nonzero to stop, and must not use
 * the cache meanwhile.
 */
int	 cache_query_each(struct cache *, const struct cache_query *,
	     int (*fn)(void *, const struct cache_msg *), void *arg,
	     struct error *);
/* The 0-based position of msg_id in the query's order; 1 if not in it. */
int	 cache_query_position(struct cache *, const struct cache_query *,
	     int64_t msg_id, int64_t *pos, struct error *);

/*
 * Bring the search index up to date with the messages stored since the
 * last call (a worker calls it after a sync; until then limits still find
 * new messages, more slowly), in transactions of CACHE_SEARCH_CHUNK
 * messages; _some does one of them and returns 1 when more remain.
 */
#define CACHE_SEARCH_CHUNK	10000
int	 cache_search_index(struct cache *, struct error *);
int	 cache_search_index_some(struct cache *, struct error *);

/* What threading (core/thread.c, JWZ) needs of every message of a folder. */
struct cache_thread_row {
	int64_t	 id;
	int64_t	 date;
	char	*message_id;	/* or NULL */
	char	*in_reply_to;	/* or NULL */
	char	*references;	/* or NULL */
	char	*subject;	/* or NULL */
};

int	 cache_thread_rows(struct cache *, int64_t folder_id,
	     struct cache_thread_row **rows, size_t *n, struct error *);
void	 cache_thread_rows_free(struct cache_thread_row *, size_t n);

/*
 * Pending operations: a change the user made that the server has not
 * confirmed yet.  The UI applies it to the cache at once (flags set, a
 * moved message gone from its folder) and queues it here in the same
 * transaction; the account's worker replays the queue in order and drops
 * each operation once the server accepted it, so a change made offline or
 * cut off by a lost connection is never lost.
 */
enum cache_op_type {
	CACHE_OP_FLAGS = 1,	/* add/remove on remote_id */
	CACHE_OP_MOVE,		/* remote_id to target_folder_id */
	CACHE_OP_COPY,		/* remote_id to target_folder_id */
	CACHE_OP_EXPUNGE,	/* remove remote_id (it carries \Deleted) */
	/*
	 * Across accounts, queued on the TARGET account: append the cached
	 * body of (folder_id, remote_id), a message of another account, to
	 * target_folder_id; after a move the target's worker queues the
	 * removal on the source account (FLAGS \Deleted, EXPUNGE).
	 */
	CACHE_OP_XMOVE,
	CACHE_OP_XCOPY
};

struct cache_op {
	int64_t			 id;
	int64_t			 account_id;
	enum cache_op_type	 type;
	int64_t			 folder_id;
	char			*remote_id;
	unsigned		 add;
	unsigned		 remove;
	int64_t			 target_folder_id;	/* MOVE, COPY */
	int			 attempts;
	char			*last_error;		/* or NULL */
};

/* Queue an operation (sets op->id). */
int	 cache_op_add(struct cache *, struct cache_op *, struct error *);
/* An account's queued operations, oldest first. */
int	 cache_op_list(struct cache *, int64_t account_id,
	     struct cache_op **ops, size_t *n, struct error *);
/* The server accepted it: drop it. */
int	 cache_op_done(struct cache *, int64_t op_id, struct error *);
/* It failed: count the attempt and keep the error for the UI. */
int	 cache_op_failed(struct cache *, int64_t op_id, const char *reason,
	     struct error *);
void	 cache_op_list_free(struct cache_op *, size_t n);
/*
 * Whether a move of (folder_id, remote_id) to another account is queued:
 * 1 yes, 0 no.  The row stays in its folder until the target holds the
 * message, and a second move would append it twice.
 */
int	 cache_op_moving(struct cache *, int64_t folder_id,
	     const char *remote_id, struct error *);

/*
 * The outbox (schema version 3): messages to send, stored whole before
 * the first byte goes out, removed only once the server accepted them and
 * their Sent copy is made.  Keyed by account name, not row: a message is
 * never lost with a cache clean-up.
 */
enum cache_outbox_state {
	CACHE_OUTBOX_QUEUED = 0,	/* waiting (again) to be sent */
	CACHE_OUTBOX_SENDING,		/* handed to the server; a crash now
					   leaves it to be sent again */
	CACHE_OUTBOX_ACCEPTED,		/* the server took it; a Sent copy is
					   still to be made */
	CACHE_OUTBOX_DRAFT		/* postponed: to be put in the Drafts
					   folder, never sent */
};

/* The largest message the outbox takes (what it then sends). */
#define CACHE_OUTBOX_MAX	(96u * 1024 * 1024)

struct cache_outbox {
	int64_t			 id;
	char			*account;	/* config account name */
	int64_t			 created;	/* seconds since the epoch */
	char			*env_from;	/* envelope sender */
	char			*env_rcpt;	/* recipients, one a line */
	char			*dsn_notify;	/* or NULL */
	char			*dsn_ret;	/* or NULL */
	char			*subject;	/* decoded, for display */
	char			*to_line;	/* decoded To, for display */
	char			*raw;		/* NULL when listed */
	size_t			 len;		/* of raw (also when listed) */
	enum cache_outbox_state	 state;
	int			 attempts;
	int64_t			 next_try;	/* not before (epoch s) */
	char			*last_error;	/* or NULL */
};

/*
 * Store a message (sets m->id, created; no attempts) in state m->state:
 * QUEUED (it needs recipients) or DRAFT.
 */
int	 cache_outbox_add(struct cache *, struct cache_outbox *m,
	     struct error *);
/*
 * The outbox of one account (NULL: every account), oldest first, without
 * the raw messages (len is set).
 */
int	 cache_outbox_list(struct cache *, const char *account,
	     struct cache_outbox **v, size_t *n, struct error *);
/* One message with its raw bytes; 1 if there is no such row. */
int	 cache_outbox_get(struct cache *, int64_t id, struct cache_outbox *m,
	     struct error *);
/*
 * Record a state; with error (a failed attempt), count the attempt, keep
 * the error and the time of the next try.
 */
int	 cache_outbox_set_state(struct cache *, int64_t id,
	     enum cache_outbox_state, const char *error, int64_t next_try,
	     struct error *);
/* Drop a message (sent and saved, or cancelled by the user). */
int	 cache_outbox_remove(struct cache *, int64_t id, struct error *);
void	 cache_outbox_fini(struct cache_outbox *);
/*
 * Whether the account's submission server offered 8BITMIME when it was
 * last asked: set after each session that got an EHLO answer; *yes is
 * 1, 0, or -1 when never asked.
 */
int	 cache_smtp_8bit_set(struct cache *, const char *account, bool yes,
	     struct error *);
int	 cache_smtp_8bit_get(struct cache *, const char *account, int *yes,
	     struct error *);
void	 cache_outbox_list_free(struct cache_outbox *, size_t n);

/*
 * Address completion's raw material: the newest limit messages whose
 * sender or To: line contains text (any case), newest first.  fn gets
 * the sender's name and address (either may be NULL), the To: line (or
 * NULL), the date, and whether the message is in a Sent folder (its To:
 * line holds people the user wrote to).
 */
typedef void (*cache_addr_fn)(void *arg, const char *from_name,
	     const char *from_addr, const char *to_line, int64_t date,
	     bool sent);
int	 cache_addr_candidates(struct cache *, const char *text, int limit,
	     cache_addr_fn fn, void *arg, struct error *);

/* Bodies: the raw RFC 5322 message as the server sent it. */
int	 cache_body_put(struct cache *, int64_t msg_id, const char *raw,
	     size_t len, struct error *);
/* 1 if the body is not cached; else *raw (caller frees, NUL-terminated). */
int	 cache_body_get(struct cache *, int64_t msg_id, char **raw,
	     size_t *len, struct error *);

#endif

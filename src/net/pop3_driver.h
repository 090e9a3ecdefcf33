/*
 * pop3_driver.h - the POP3 account, shared by the files of the driver.
 *
 * struct pop3_account embeds struct account first.  Internal to
 * src/net/pop3_*.c: the rest of petrel reaches the driver only through
 * pop3_driver_ops (core/account.h).
 *
 * Who does what: pop3_driver.c (vtable, sessions, the one folder, local
 * flags), pop3_list.c (the UIDL/LIST listing of a session), pop3_sync.c
 * (the UIDL diff against the cache), pop3_fetch.c (TOP/RETR downloads,
 * pipelined), pop3_pend.c (cache writes in short transactions),
 * pop3_state.c (the folder's sync state string), pop3_policy.c
 * (leave_on_server, DELE and QUIT, expunge).
 *
 * Sessions: a POP3 session sees the maildrop as it was at login (RFC 1939
 * 4), so every sync starts a new one, except the one open() just made.  A
 * session is reused for bodies while it answered within POP3_REUSE_MS
 * (a new login per message would be slow, and servers may ask for a
 * LOGIN-DELAY); it stays open until the next call or close() ends it,
 * which on a server that locks the maildrop for a session (RFC 1939 8)
 * keeps other clients out meanwhile.  DELE is always followed by QUIT at
 * once (the deletions happen then).
 * Read-only accounts never send DELE, read messages with TOP rather than
 * RETR (servers mark RETRieved messages seen), and end a session without
 * QUIT if RETR had to be used.
 *
 * Messages are keyed by their unique-id (UIDL) as remote_id, so the
 * server renumbering them is harmless.  A message petrel itself deleted
 * from the server under leave_on_server stays in the cache as
 * POP3_KEPT_PREFIX + UIDL (a space never occurs in a UIDL), which no
 * server listing can match or remove.
 */
#ifndef PETREL_POP3_DRIVER_H
#define PETREL_POP3_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cache/cache.h"
#include "core/account.h"
#include "net/pop3_conn.h"

/* The one folder. */
#define POP3_INBOX		"INBOX"
/* remote_id of a message kept after petrel deleted it on the server. */
#define POP3_KEPT_PREFIX	"local "
/* A session is reused for a body if it answered this recently. */
#define POP3_REUSE_MS		60000
/* How long QUIT may take on a session idle for longer than that. */
#define POP3_QUIT_MS		2000
/* Most messages in a maildrop petrel lists. */
#define POP3_MSGS_MAX		1000000
/* Most bytes of one message (as IMAP's body limit). */
#define POP3_BODY_MAX		(64u * 1024 * 1024)
/* Most bytes of a header block kept from TOP. */
#define POP3_HEADER_MAX		(1024u * 1024)

/* One message of a listing. */
struct pop3_entry {
	uint32_t	 num;		/* its number in the session */
	uint32_t	 off;		/* its unique-id in names */
	uint64_t	 size;		/* LIST octets; 0 if unknown */
};

/* A session's UIDL (and LIST) answer. */
struct pop3_list {
	struct pop3_entry	*v;	/* by number */
	size_t			 n;
	size_t			 cap;
	struct buf		 names;	/* unique-ids, NUL-terminated */
	uint32_t		*order;	/* indexes of v by unique-id */
};

struct pop3_account {
	struct account		 base;		/* first: see account.h */
	struct pop3_conn	*conn;		/* NULL between sessions */
	struct pop3_list	 list;		/* the last listing */
	bool			 listed;	/* list is this session's */
	bool			 used;		/* it served an operation:
						   its snapshot is old */
	bool			 no_top;	/* TOP refused: RETR instead */
};

/* The first-download record and the deletions under way (pop3_state.c). */
struct pop3_seen {
	uint64_t	 hash;		/* pop3_state_hash of the UIDL */
	int32_t		 day;		/* days since 1970-01-01 (UTC) */
};

struct pop3_state {
	struct pop3_seen	*seen;	/* sorted by hash */
	size_t			 nseen;
	char			**del;	/* UIDLs DELEd, not yet known gone */
	size_t			 ndel;
};

/* Cache writes gathered while replies arrive (pop3_pend.c). */
struct pop3_pend_item {
	struct cache_msg	 m;	/* remote_id always set */
	bool			 row;	/* put the row (else: body only) */
	char			*body;	/* or NULL */
	size_t			 len;
};

struct pop3_pend {
	struct pop3_account	*pa;
	struct cache		*cache;
	int64_t			 folder_id;
	struct pop3_pend_item	*v;
	size_t			 n;
	size_t			 cap;
	size_t			 bytes;
	size_t			 stored;	/* items written so far */
};

/* What pop3_get downloads. */
enum pop3_get_what {
	POP3_GET_HEADERS,	/* TOP n 0: new rows */
	POP3_GET_WHOLE		/* RETR (TOP on read-only): rows and bodies */
};

/* pop3_driver.c */
struct pop3_account *pop3_account_get(struct account *);
/* Start a session (connect, log in); any old one is ended first. */
int	 pop3_session_open(struct pop3_account *, struct error *);
/* End the session: QUIT (bounded), or just close (see the file comment). */
void	 pop3_session_end(struct pop3_account *);
/* Close the session without a word (nothing it did is committed). */
void	 pop3_session_drop(struct pop3_account *);
/* A session for a sync: a new one unless open() just made this one. */
int	 pop3_session_fresh(struct pop3_account *, struct error *);
/* A session for a body: this one if it answered recently, else new. */
int	 pop3_session_get(struct pop3_account *, struct error *);
/* The folder must be INBOX. */
int	 pop3_folder_check(const struct cache_folder *, struct error *);
/* Whether a remote id is a kept message's. */
bool	 pop3_is_kept(const char *remote_id);

/* pop3_list.c */
void	 pop3_list_init(struct pop3_list *);
void	 pop3_list_fini(struct pop3_list *);
/* The unique-id of entry i. */
const char *pop3_list_uidl(const struct pop3_list *, size_t i);
/* The entry with this unique-id: 0 and *i, or -1. */
int	 pop3_list_find(const struct pop3_list *, const char *uidl, size_t *i);
/* UIDL and LIST (pipelined when offered) into pa->list. */
int	 pop3_list_load(struct pop3_account *, struct error *);
/*
 * The entry of a unique-id in this session: the listing, or a guess from
 * the last one checked with "UIDL n" (one round trip), else a new listing.
 * 1 if the server does not have it.
 */
int	 pop3_list_locate(struct pop3_account *, const char *uidl, size_t *i,
	     struct error *);

/* pop3_pend.c */
void	 pop3_pend_init(struct pop3_pend *, struct pop3_account *,
	     struct cache *, int64_t folder_id);
void	 pop3_pend_fini(struct pop3_pend *);
/* Keep a write: m's strings and body are taken over (m is zeroed). */
void	 pop3_pend_add(struct pop3_pend *, struct cache_msg *m, bool row,
	     char *body, size_t len);
/* Write now; or only when enough is gathered or the input ran dry. */
int	 pop3_pend_flush(struct pop3_pend *, struct error *);
int	 pop3_pend_maybe(struct pop3_pend *, struct error *);

/* pop3_fetch.c */
/*
 * Download the listing entries idx[0..n) (newest first is the caller's
 * order): rows from their headers (a new row for each when new_rows, else
 * bodies for the rows there), with POP3_GET_WHOLE the bodies too.  A
 * window of commands is in flight when the server offers PIPELINING.  A
 * message the server will not give is logged and skipped; *got counts
 * the others, and skip (may be NULL) gets the last refusal.
 */
int	 pop3_get(struct pop3_account *, struct cache *,
	     const struct cache_folder *, const uint32_t *idx, size_t n,
	     enum pop3_get_what, bool new_rows, size_t *got,
	     struct error *skip, struct error *);
/* A cache row from a message (or its header block); size: its octets. */
void	 pop3_msg_row(int64_t folder_id, const char *uidl, uint64_t size,
	     const char *raw, size_t len, struct cache_msg *);
int	 pop3_fetch_message(struct account *, const struct cache_folder *,
	     const char *remote_id, struct cache *, struct error *);

/* pop3_sync.c */
int	 pop3_sync_folder(struct account *, const struct cache_folder *,
	     struct cache *, struct error *);

/* pop3_state.c */
void	 pop3_state_init(struct pop3_state *);
void	 pop3_state_fini(struct pop3_state *);
/* Read a state string (NULL, or not ours: empty); never fails. */
void	 pop3_state_parse(const char *, struct pop3_state *);
/* The state as a string; NULL when there is nothing to keep. */
char	*pop3_state_format(const struct pop3_state *);
/* Load and store the folder's state (store: only if changed; these two
   are in pop3_policy.c, so that pop3_state.c stays pure). */
int	 pop3_state_load(struct cache *, int64_t folder_id,
	     struct pop3_state *, char **text, struct error *);
int	 pop3_state_store(struct cache *, int64_t folder_id,
	     const struct pop3_state *, char **text, struct error *);
/* The 64-bit FNV-1a hash of a unique-id. */
uint64_t pop3_state_hash(const char *uidl);
/* The day a unique-id was first seen; -1 if not recorded. */
int32_t	 pop3_state_day(const struct pop3_state *, uint64_t hash);
/* Replace the first-download record (takes seen, sorted or not). */
void	 pop3_state_set_seen(struct pop3_state *, struct pop3_seen *,
	     size_t n);
/* Set the deletions under way (copies the strings). */
void	 pop3_state_set_del(struct pop3_state *, const char *const *,
	     size_t n);
/* Today, in days since 1970-01-01 (UTC). */
int32_t	 pop3_today(void);

/* pop3_policy.c */
/*
 * Deletions a cut session left unconfirmed (st->del): a message the
 * server no longer lists was deleted (its row is kept), one it still
 * lists was not.  *text is the stored state (pop3_state_store).
 */
int	 pop3_policy_resolve(struct pop3_account *, struct cache *,
	     int64_t folder_id, struct pop3_state *, char **text,
	     struct error *);
/*
 * leave_on_server: record first downloads, download what is due and not
 * cached, DELE it, QUIT; then keep the rows as POP3_KEPT_PREFIX.
 */
int	 pop3_policy_run(struct pop3_account *, struct cache *,
	     const struct cache_folder *, struct pop3_state *, char **text,
	     struct error *);
/* Move a row to POP3_KEPT_PREFIX + its UIDL (in the caller's transaction). */
int	 pop3_policy_keep(struct cache *, int64_t folder_id, const char *uidl,
	     struct error *);
/* Delete messages on the server (DELE, QUIT) and from the cache. */
int	 pop3_expunge(struct account *, const struct cache_folder *,
	     const char *const *remote_ids, size_t n, struct cache *,
	     struct error *);

#endif

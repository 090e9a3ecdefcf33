/*
 * cache.h - the local SQLite cache: the only thing the UI reads.
 *
 * Drivers write folders, message envelopes and bodies here; the UI reads
 * them a screenful at a time.  One struct cache is one SQLite connection and
 * belongs to one thread: the UI thread and every account worker each open
 * their own (WAL mode lets readers and one writer run at once).  All SQL of
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
#define CACHE_SCHEMA_VERSION	1

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

struct cache_folder {
	int64_t	 id;
	int64_t	 account_id;
	char	*remote_name;	/* as the server names it (IMAP: modified UTF-7) */
	char	*name;		/* UTF-8 for display */
	char	 delim;		/* hierarchy delimiter, '\0' if none */
	unsigned attrs;		/* CACHE_FOLDER_* */
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
void		 cache_close(struct cache *);
/* The schema version of the open file. */
int		 cache_schema_version(struct cache *, int *version, struct error *);

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

/* Bodies: the raw RFC 5322 message as the server sent it. */
int	 cache_body_put(struct cache *, int64_t msg_id, const char *raw,
	     size_t len, struct error *);
/* 1 if the body is not cached; else *raw (caller frees, NUL-terminated). */
int	 cache_body_get(struct cache *, int64_t msg_id, char **raw,
	     size_t *len, struct error *);

#endif

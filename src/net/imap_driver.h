/*
 * imap_driver.h - the IMAP account, shared by the files of the driver.
 *
 * struct imap_account embeds struct account first, so the driver casts
 * between them.  Internal to src/net/imap_*.c: the rest of petrel reaches
 * the driver only through imap_driver_ops (core/account.h).
 *
 * Who does what: imap_driver.c (vtable, open/close, SELECT), imap_caps.c
 * (capabilities, ENABLE, COMPRESS), imap_cmd.c (commands with literals),
 * imap_mbox.c (untagged responses at any time, the sync state string),
 * imap_folders.c (LIST, roles), imap_folder_ops.c (CREATE/RENAME/DELETE),
 * imap_sync.c (QRESYNC/CONDSTORE resync), imap_uiddiff.c (the UID diff),
 * imap_fetch_batch.c (pipelined header download), imap_pend.c (cache
 * writes gathered in memory, written in short transactions: never one
 * held across a network wait), imap_message.c (one message, flags),
 * imap_ops.c (copy/move/expunge/append/search), imap_idle.c (IDLE).
 */
#ifndef PETREL_IMAP_DRIVER_H
#define PETREL_IMAP_DRIVER_H

#include "cache/cache.h"
#include "core/account.h"
#include "net/imap_conn.h"
#include "net/imap_parse.h"

struct imap_account {
	struct account		 base;		/* first: see account.h */
	struct imap_conn	*conn;		/* NULL when closed */
	struct cache		*cache;		/* borrowed for the running op */
	char			*selected;	/* remote name, or NULL */
	int64_t			 selected_id;	/* its cache folder id */
	/*
	 * The selected folder changed on the server in a way that untagged
	 * responses could not be applied to the cache (EXPUNGE by sequence
	 * number, new messages): it needs a resync.
	 */
	bool			 need_sync;
	bool			 changed;	/* cache updated by untagged data */
	uint32_t		 synced_exists;	/* EXISTS when the cache matched */
	size_t			 unreadable;	/* FETCHes skipped this sync */
	size_t			 skipped_new;	/* of which never cached */
	unsigned		 alerts;	/* [ALERT]s shown this operation */
	struct imap_listed	*listed;	/* LIST-STATUS answers, by name */
	size_t			 nlisted;
};

/*
 * Cache writes gathered while a command's answers arrive (imap_pend.c),
 * written in one short transaction at a time.
 */
struct imap_pend_flag {
	uint32_t	 uid;
	unsigned	 flags;		/* CACHE_FLAG_* */
};

struct imap_pend {
	struct imap_account	*ia;
	int64_t			 folder_id;
	struct cache_msg	*msgs;
	size_t			 nmsgs;
	size_t			 capmsgs;
	struct imap_pend_flag	*flags;
	size_t			 nflags;
	size_t			 capflags;
	size_t			 bytes;
	size_t			 stored;	/* messages written so far */
	size_t			 writes;	/* transactions so far */
	int64_t			 last_ms;	/* when the last one ended */
};

void	 imap_pend_init(struct imap_pend *, struct imap_account *,
	     int64_t folder_id);
void	 imap_pend_fini(struct imap_pend *);
/* Keep a message (its strings taken over, m zeroed) or a flag change. */
void	 imap_pend_msg(struct imap_pend *, struct cache_msg *);
void	 imap_pend_flags(struct imap_pend *, uint32_t uid, unsigned flags);
/* Write now; write if 1000 are gathered or no more data is buffered. */
int	 imap_pend_flush(struct imap_pend *, struct error *);
int	 imap_pend_maybe(struct imap_pend *, struct error *);
/*
 * A FETCH that could not be read (err says why): log it and count it in
 * ia->unreadable.  The message is skipped, never the folder.
 */
void	 imap_fetch_unreadable(struct imap_account *, const char *folder,
	     const struct imap_fetch *, const struct error *);

/* The per-folder sync state kept in the cache ("v1 uidvalidity=..."). */
struct imap_state {
	uint32_t	 uidvalidity;	/* 0: unknown (start afresh) */
	uint64_t	 highestmodseq;	/* 0: unknown */
	uint32_t	 uidnext;	/* 0: unknown */
};

/* The IMAP account behind a struct account. */
struct imap_account	*imap_account_get(struct account *);
/* Refuse a write on a read-only account, before any I/O. */
int	 imap_writable(struct imap_account *, const char *what,
	     struct error *);
/* Check the connection and lend it the cache for untagged updates. */
int	 imap_begin(struct imap_account *, struct cache *, struct error *);
/*
 * SELECT the folder (EXAMINE on read-only accounts) unless it is already
 * the selected one.  Errors are scoped to the folder.
 */
int	 imap_select(struct imap_account *, const struct cache_folder *,
	     struct error *);
/*
 * SELECT/EXAMINE unconditionally, with "(QRESYNC (uidvalidity modseq))"
 * when st has both and QRESYNC is enabled, or "(CONDSTORE)" when only
 * CONDSTORE is offered; fn sees the untagged responses.
 */
int	 imap_select_full(struct imap_account *, const struct cache_folder *,
	     const struct imap_state *, imap_untagged_fn, void *,
	     struct error *);
/* The folder name to send: quoted, or a literal when it must be. */
int	 imap_mailbox_arg(struct imap_account *, const char *remote_name,
	     struct buf *, struct error *);

/* imap_caps.c */
unsigned imap_caps_driver(unsigned imap_caps);
int	 imap_caps_after_login(struct imap_conn *, bool compress,
	     struct error *);
int	 imap_caps_settle(struct imap_conn *, struct error *);

/* imap_mbox.c: untagged responses while any command runs. */
int	 imap_mbox_unsolicited(void *ia, const struct imap_response *,
	     struct error *);
/* Apply a VANISHED response to the cache of folder_id (one transaction). */
int	 imap_mbox_vanished(struct imap_account *, int64_t folder_id,
	     const struct imap_response *, struct error *);
/* Apply a FETCH with UID and FLAGS to the cache; 0 if it has no UID. */
int	 imap_mbox_flags(struct imap_account *, int64_t folder_id,
	     const struct imap_fetch *, struct error *);
int	 imap_state_parse(const char *, struct imap_state *);
void	 imap_state_format(const struct imap_state *, char *, size_t);

/*
 * Fill a cache message from FETCH data: UID, flags, INTERNALDATE and size
 * from the FETCH, the rest from the header block (hdr, len), which is a
 * HEADER.FIELDS answer or the start of a whole message.
 */
void	 imap_msg_from_fetch(const struct imap_fetch *, int64_t folder_id,
	     const char *hdr, size_t len, struct cache_msg *);
/* IMAP system flags to CACHE_FLAG_*. */
unsigned imap_flags_to_cache(unsigned);
/* "(\Seen \Flagged)" for CACHE_FLAG_* bits; nothing if none. */
void	 imap_flag_list(struct buf *, unsigned flags);
/* A UID given as decimal text; -1 if it is not one. */
int	 imap_uid_parse(const char *, uint32_t *);
/*
 * Check every remote id is a UID; then the UID set "1:3,7" for them into
 * b (sorted, ranges merged).  ERR_NOTFOUND on a bad id.
 */
int	 imap_uid_set(const char *const *ids, size_t n, struct buf *,
	     struct error *);

/* imap_set.c: UID sets. */
struct imap_range {
	uint32_t	 lo;
	uint32_t	 hi;
};

int	 imap_set_parse(struct imap_slice, struct imap_range **, size_t *,
	     struct error *);
uint64_t imap_set_count(const struct imap_range *, size_t);
bool	 imap_set_contains(const struct imap_range *, size_t, uint32_t);
uint32_t imap_set_nth(const struct imap_range *, size_t, uint64_t);
/* Append sorted UIDs as a set "1:3,7" (duplicates merged). */
void	 imap_set_format(struct buf *, const uint32_t *, size_t);
int	 imap_uid_cmp(const void *, const void *);

/* imap_status.c: LIST-STATUS answers, to skip unchanged folders. */
struct imap_listed;
void	 imap_listed_clear(struct imap_account *);
void	 imap_listed_add(struct imap_account *, const struct imap_response *);
bool	 imap_listed_unchanged(struct imap_account *,
	     const struct cache_folder *, const struct imap_state *stored,
	     struct cache *);

/* imap_fetch_batch.c: the header download. */
struct imap_batch;
/* The FETCH items of a header download. */
/*
 * Header fields, not ENVELOPE: Dovecot serves these from its cache at a
 * third of the CPU an ENVELOPE costs it, and they carry References:, which
 * ENVELOPE lacks.  src/mime/envelope.c reads them (mime_envelope_parse).
 */
#define IMAP_HEADER_ITEMS "UID FLAGS INTERNALDATE RFC822.SIZE " \
	"BODY.PEEK[HEADER.FIELDS (DATE FROM TO CC SUBJECT MESSAGE-ID " \
	"IN-REPLY-TO REFERENCES)]"
/* An empty folder this big is loaded without the sort indexes. */
#define IMAP_BULK_MIN		10000
/* Newest first window shown before the rest arrives. */
#define IMAP_FIRST_WINDOW	200
/*
 * Messages a batch command fetches; batches in flight at once.  Dovecot
 * works on pipelined FETCHes side by side and completes them together:
 * with four in flight it sat idle a round trip after every four (0.6 s
 * of a 100,000-message download at 50 ms RTT); eight keep it busy.
 */
#define IMAP_BATCH_SIZE		2000
#define IMAP_BATCH_WINDOW	8

/*
 * Download headers of messages count sequence numbers [lo, hi], newest
 * first, or of the UIDs in uids (sorted ascending), newest first.  min_uid:
 * ignore answers for UIDs below it.  *max_uid gets the highest UID stored.
 */
int	 imap_batch_seq(struct imap_account *, const struct cache_folder *,
	     uint32_t lo, uint32_t hi, uint32_t *max_uid, struct error *);
int	 imap_batch_uids(struct imap_account *, const struct cache_folder *,
	     const uint32_t *uids, size_t n, uint32_t *max_uid,
	     struct error *);
int	 imap_batch_uid_range(struct imap_account *,
	     const struct cache_folder *, uint32_t lo, uint32_t hi,
	     uint32_t *max_uid, struct error *);

/* imap_uiddiff.c: the resync without CONDSTORE. */
int	 imap_uid_diff(struct imap_account *, const struct cache_folder *,
	     uint32_t *max_uid, struct error *);

/* imap_folders.c */
int	 imap_list_folders(struct account *, struct cache *, struct error *);
/*
 * The LIST of imap_list_folders in two halves, so that another command
 * can be pipelined in front of it: send it (tag into ctx), then read its
 * answers and store them.  Answers that arrive while another command is
 * awaited go to imap_list_one with the same ctx.
 */
struct imap_list_ctx;
struct imap_list_ctx *imap_list_submit(struct imap_account *, struct cache *,
	     struct error *);
int	 imap_list_one(void *ctx, const struct imap_response *,
	     struct error *);
int	 imap_list_finish(struct imap_list_ctx *, struct error *);
void	 imap_list_free(struct imap_list_ctx *);

int	 imap_sync_folder(struct account *, const struct cache_folder *,
	     struct cache *, struct error *);
int	 imap_fetch_message(struct account *, const struct cache_folder *,
	     const char *, struct cache *, struct error *);
int	 imap_store_flags(struct account *, const struct cache_folder *,
	     const char *const *, size_t, unsigned, unsigned, struct cache *,
	     struct error *);
int	 imap_copy(struct account *, const struct cache_folder *,
	     const char *const *, size_t, const struct cache_folder *,
	     struct cache *, struct error *);
int	 imap_move(struct account *, const struct cache_folder *,
	     const char *const *, size_t, const struct cache_folder *,
	     struct cache *, struct error *);
int	 imap_expunge(struct account *, const struct cache_folder *,
	     const char *const *, size_t, struct cache *, struct error *);
int	 imap_append(struct account *, const struct cache_folder *,
	     const char *, size_t, unsigned, int64_t, struct cache *,
	     struct error *);
int	 imap_search(struct account *, const struct cache_folder *,
	     const char *, char ***, size_t *, struct error *);
int	 imap_create_folder(struct account *, const char *, struct cache *,
	     struct error *);
int	 imap_rename_folder(struct account *, const struct cache_folder *,
	     const char *, struct cache *, struct error *);
int	 imap_delete_folder(struct account *, const struct cache_folder *,
	     struct cache *, struct error *);
int	 imap_wait_changes(struct account *, const struct cache_folder *,
	     struct cache *, int, int, struct error *);

#endif

/*
 * account.h - the account driver contract that every backend implements.
 *
 * A driver (imap; later pop3, maildir, ews, graph) knows its protocol and
 * nothing of the UI: it fills the cache and returns errors.  Its calls are
 * synchronous and blocking, each wait bounded by the account's timeout and
 * cut short when wake_fd becomes readable (ERR_CANCELLED).  All calls on
 * one account come from one thread (a worker, or `petrel sync`).
 *
 * Ownership: account_new() copies nothing from the config; the config must
 * outlive the account.  Driver-private state lives in a struct that embeds
 * struct account first; driver->free releases it.
 *
 * Read-only accounts: a driver whose account has cfg->read_only set never
 * changes anything on the server (IMAP: EXAMINE, BODY.PEEK, no STORE).
 * store_flags then fails with ERR_READONLY; the callers check first.
 */
#ifndef PETREL_ACCOUNT_H
#define PETREL_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cache/cache.h"
#include "core/config.h"
#include "util/error.h"

struct account;

/*
 * Capabilities a driver has (driver_ops.caps) and, once open, what its
 * server turned out to offer (account.caps, set by open()).
 */
#define DRIVER_CAP_FOLDERS	0x01u	/* more than one folder */
#define DRIVER_CAP_FLAGS	0x02u	/* server-side flags */
#define DRIVER_CAP_IDLE		0x04u	/* wait_changes without polling */
#define DRIVER_CAP_MOVE		0x08u	/* atomic server-side move */
#define DRIVER_CAP_SEARCH	0x10u	/* server-side text search */
#define DRIVER_CAP_APPEND	0x20u	/* append a message to a folder */
#define DRIVER_CAP_FOLDER_EDIT	0x40u	/* create/rename/delete folders */
#define DRIVER_CAP_INBOX	0x80u	/* INBOX exists before any listing:
					   a first sync does it first */

/*
 * Progress reports from inside a long call ("headers 1200/2000").  Called on
 * the driver's thread; the text is UTF-8 and may contain server data.
 */
typedef void (*account_status_fn)(void *arg, const char *text);

struct account {
	const struct driver_ops		*ops;
	const struct config_account	*cfg;
	int64_t				 cache_id;	/* accounts row */
	int				 wake_fd;	/* -1 if none */
	account_status_fn		 status;	/* may be NULL */
	/*
	 * Called (with status_arg) when rows of the folder being synced were
	 * written to the cache: the UI may show them now.  May be NULL.
	 */
	void				(*rows)(void *arg);
	void				*status_arg;
	bool				 connected;
	unsigned			 caps;		/* DRIVER_CAP_*, once open */
	/*
	 * A password typed by the user (the worker's prompt), used by open()
	 * instead of config_account_password when set.  Owned by the account:
	 * account_free wipes it (xfree_secret); replace it the same way.
	 */
	char				*password;
};

struct driver_ops {
	const char	*name;
	unsigned	 caps;		/* DRIVER_CAP_* */

	/* Allocate the driver's account (no I/O). */
	struct account	*(*new)(const struct config_account *, struct error *);
	void	 (*free)(struct account *);

	/* Connect and log in; on failure the account stays closed. */
	int	 (*open)(struct account *, struct error *);
	/* Log out (best effort, bounded) and drop the connection. */
	void	 (*close)(struct account *);

	/* Refresh the cache's folder list (and prune vanished folders). */
	int	 (*list_folders)(struct account *, struct cache *,
		     struct error *);
	/* Bring the cached headers and flags of one folder up to date. */
	int	 (*sync_folder)(struct account *, const struct cache_folder *,
		     struct cache *, struct error *);
	/* Download one whole message into the cache's bodies. */
	int	 (*fetch_message)(struct account *,
		     const struct cache_folder *, const char *remote_id,
		     struct cache *, struct error *);
	/*
	 * Add and remove flags (CACHE_FLAG_*) on messages on the server, then
	 * record the server-confirmed result in the cache.
	 */
	int	 (*store_flags)(struct account *, const struct cache_folder *,
		     const char *const *remote_ids, size_t n, unsigned add,
		     unsigned remove, struct cache *, struct error *);

	/*
	 * The operations below may be NULL when the driver cannot do them;
	 * the account_* wrappers then emulate (move = copy + delete) or
	 * refuse with ERR_UNSUPPORTED.  Each updates the cache with what the
	 * server confirmed (IMAP: COPYUID/VANISHED/EXPUNGE), so the UI sees
	 * the result without a full resync.
	 */
	/* Copy messages into another folder of the same account. */
	int	 (*copy)(struct account *, const struct cache_folder *from,
		     const char *const *remote_ids, size_t n,
		     const struct cache_folder *to, struct cache *,
		     struct error *);
	/* Move messages (atomically when the server can: IMAP MOVE). */
	int	 (*move)(struct account *, const struct cache_folder *from,
		     const char *const *remote_ids, size_t n,
		     const struct cache_folder *to, struct cache *,
		     struct error *);
	/*
	 * Permanently remove these messages (they carry \Deleted already);
	 * only these where the server allows it (IMAP UIDPLUS UID EXPUNGE),
	 * else every \Deleted message of the folder.
	 */
	int	 (*expunge)(struct account *, const struct cache_folder *,
		     const char *const *remote_ids, size_t n, struct cache *,
		     struct error *);
	/* Append a raw RFC 5322 message (Drafts, Sent, saving a copy). */
	int	 (*append)(struct account *, const struct cache_folder *,
		     const char *raw, size_t len, unsigned flags,
		     int64_t date, struct cache *, struct error *);
	/* Create, rename, delete folders; name is the UTF-8 display path. */
	int	 (*create_folder)(struct account *, const char *name,
		     struct cache *, struct error *);
	int	 (*rename_folder)(struct account *, const struct cache_folder *,
		     const char *new_name, struct cache *, struct error *);
	int	 (*delete_folder)(struct account *, const struct cache_folder *,
		     struct cache *, struct error *);
	/*
	 * Search message text on the server (bodies not yet cached): the
	 * remote ids of matches, caller frees with cache_strv_free.
	 */
	int	 (*search)(struct account *, const struct cache_folder *,
		     const char *text, char ***remote_ids, size_t *n,
		     struct error *);
	/*
	 * Wait for changes in folder (IMAP IDLE) and apply them to the cache.
	 * Returns 1 when the cache changed, 0 when timeout_ms passed or
	 * cmd_fd became readable (a command is waiting: leave IDLE cleanly and
	 * return so the worker can run it), -1 on error.  The account's
	 * wake_fd still cancels everything (ERR_CANCELLED).
	 */
	int	 (*wait_changes)(struct account *, const struct cache_folder *,
		     struct cache *, int cmd_fd, int timeout_ms,
		     struct error *);
};

/*
 * The driver for a config name ("imap"), or NULL.  Defined with the list of
 * drivers in the program's wiring (src/drivers.c), so core does not depend
 * on the drivers that depend on it.
 */
const struct driver_ops	*driver_find(const char *name);

/*
 * The sending side of the outbox (src/send/outbox.h), found like the
 * drivers through the program's wiring (src/drivers.c): core does not
 * depend on what depends on it.  NULL when the program sends nothing.
 */
struct sender_ops {
	/* Send outbox row id through a's SMTP or sendmail_command. */
	int	(*send)(struct cache *, const struct config_account *a,
		    int64_t id, const char *typed_password, int wake_fd,
		    struct error *);
	/* Copy an accepted row to acct's Sent folder and drop it. */
	int	(*save_sent)(struct cache *, struct account *acct, int64_t id,
		    struct error *);
	/* Put a postponed draft in acct's Drafts folder and drop it. */
	int	(*save_draft)(struct cache *, struct account *acct, int64_t id,
		    struct error *);
};
const struct sender_ops	*sender_find(void);

/*
 * Make the account for a config entry (driver_find + new) and link it to
 * its cache row.  wake_fd may be -1.
 */
struct account	*account_new(const struct config_account *, struct cache *,
		     int wake_fd, struct error *);
void		 account_free(struct account *);

/* Checking wrappers: open on demand, refuse writes on read-only accounts. */
int	 account_open(struct account *, struct error *);
void	 account_close(struct account *);
int	 account_list_folders(struct account *, struct cache *, struct error *);
int	 account_sync_folder(struct account *, const struct cache_folder *,
	     struct cache *, struct error *);
int	 account_fetch_message(struct account *, const struct cache_folder *,
	     const char *remote_id, struct cache *, struct error *);
int	 account_store_flags(struct account *, const struct cache_folder *,
	     const char *const *remote_ids, size_t n, unsigned add,
	     unsigned remove, struct cache *, struct error *);
int	 account_copy(struct account *, const struct cache_folder *from,
	     const char *const *remote_ids, size_t n,
	     const struct cache_folder *to, struct cache *, struct error *);
int	 account_move(struct account *, const struct cache_folder *from,
	     const char *const *remote_ids, size_t n,
	     const struct cache_folder *to, struct cache *, struct error *);
int	 account_expunge(struct account *, const struct cache_folder *,
	     const char *const *remote_ids, size_t n, struct cache *,
	     struct error *);
int	 account_append(struct account *, const struct cache_folder *,
	     const char *raw, size_t len, unsigned flags, int64_t date,
	     struct cache *, struct error *);
int	 account_create_folder(struct account *, const char *name,
	     struct cache *, struct error *);
int	 account_rename_folder(struct account *, const struct cache_folder *,
	     const char *new_name, struct cache *, struct error *);
int	 account_delete_folder(struct account *, const struct cache_folder *,
	     struct cache *, struct error *);
int	 account_search(struct account *, const struct cache_folder *,
	     const char *text, char ***remote_ids, size_t *n, struct error *);
/* 1 changed, 0 nothing (timeout or cmd_fd), -1 error; polls if no IDLE. */
int	 account_wait_changes(struct account *, const struct cache_folder *,
	     struct cache *, int cmd_fd, int timeout_ms, struct error *);

/* Report progress through the account's status hook, printf-style. */
void	 account_status(struct account *, const char *, ...)
	     __attribute__((format(printf, 2, 3)));
/* Tell the rows hook that the cache has new or changed rows. */
void	 account_rows_written(struct account *);

/* The drivers petrel is built with. */
extern const struct driver_ops imap_driver_ops;
extern const struct driver_ops pop3_driver_ops;		/* net/pop3_*.c */
extern const struct driver_ops maildir_driver_ops;	/* store/maildir_*.c */
extern const struct driver_ops mbox_driver_ops;		/* store/mbox_*.c */

#endif

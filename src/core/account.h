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

/* Capabilities a driver (or its server) has. */
#define DRIVER_CAP_FOLDERS	0x01u	/* more than one folder */
#define DRIVER_CAP_FLAGS	0x02u	/* server-side flags */

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
	void				*status_arg;
	bool				 connected;
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
};

/*
 * The driver for a config name ("imap"), or NULL.  Defined with the list of
 * drivers in the program's wiring (src/drivers.c), so core does not depend
 * on the drivers that depend on it.
 */
const struct driver_ops	*driver_find(const char *name);

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
/* Report progress through the account's status hook, printf-style. */
void	 account_status(struct account *, const char *, ...)
	     __attribute__((format(printf, 2, 3)));

/* The drivers petrel is built with. */
extern const struct driver_ops imap_driver_ops;

#endif

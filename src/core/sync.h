/*
 * sync.h - bringing an account's cache up to date: the folder list, then
 * every selectable folder's headers and flags.
 *
 * Runs on the caller's thread through the account wrappers; `petrel sync`
 * calls it directly, a worker calls it for WORKER_SYNC_ALL.
 */
#ifndef PETREL_SYNC_H
#define PETREL_SYNC_H

#include "cache/cache.h"
#include "core/account.h"
#include "util/error.h"

/* Told as the sync goes; every member may be NULL. */
struct sync_hooks {
	void	(*folders_listed)(void *arg);
	void	(*folder_begin)(void *arg, const struct cache_folder *);
	void	(*folder_done)(void *arg, const struct cache_folder *,
		    const struct error *);	/* error NULL on success */
	void	*arg;
};

/*
 * List folders, then sync each (a first sync of a DRIVER_CAP_INBOX
 * account: INBOX, then the list, then the others).  A folder that fails is reported through
 * the hook and the others still sync; an account-scope failure (connection
 * lost, login refused) stops the run.  Returns -1 if anything failed, with
 * err holding the first failure.
 */
int	 sync_account(struct account *, struct cache *,
	     const struct sync_hooks *, struct error *);

#endif

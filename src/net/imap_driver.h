/*
 * imap_driver.h - the IMAP account, shared by the files of the driver.
 *
 * struct imap_account embeds struct account first, so the driver casts
 * between them.  Internal to src/net/imap_*.c: the rest of petrel reaches
 * the driver only through imap_driver_ops (core/account.h).
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
	char			*selected;	/* remote name, or NULL */
};

/* The IMAP account behind a struct account. */
struct imap_account	*imap_account_get(struct account *);
/*
 * SELECT the folder (EXAMINE on read-only accounts) unless it is already
 * the selected one.  Errors are scoped to the folder.
 */
int	 imap_select(struct imap_account *, const char *remote_name,
	     struct error *);

/* Fill a cache message from FETCH data (envelope, dates, flags). */
void	 imap_msg_from_fetch(const struct imap_fetch *, int64_t folder_id,
	     struct cache_msg *);
/* A UID given as decimal text; -1 if it is not one. */
int	 imap_uid_parse(const char *, uint32_t *);

int	 imap_sync_folder(struct account *, const struct cache_folder *,
	     struct cache *, struct error *);
int	 imap_fetch_message(struct account *, const struct cache_folder *,
	     const char *, struct cache *, struct error *);
int	 imap_store_flags(struct account *, const struct cache_folder *,
	     const char *const *, size_t, unsigned, unsigned, struct cache *,
	     struct error *);

#endif

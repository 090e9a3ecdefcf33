/*
 * maildir.h - the Maildir driver's private interface (src/store/maildir_*.c).
 *
 * A Maildir (https://cr.yp.to/proto/maildir.html) is a directory holding
 * tmp/, new/ and cur/, one file per message.  A file is delivered into
 * tmp/ and then linked into new/; a reader moves it to cur/ and appends
 * the info part ":2,FLAGS" (flag letters in ASCII order: D draft, F
 * flagged, P passed, R replied, S seen, T trashed).  Maildir++ keeps the
 * subfolders beside them as directories ".Name", a "." separating the
 * levels (".Work.2024"); INBOX is the top.  Folder names on disk are
 * modified UTF-7 (RFC 3501 5.1.3), as Dovecot and Courier write them.
 *
 * petrel's remote id of a message is the unique part of its file name
 * (before ':'), so a flag change, which renames the file, keeps the id.
 * Each folder's index (maildir_index.c) maps ids to the current names;
 * it is rebuilt whenever a name is not where the index said, which is
 * how renames by another program (mbsync, a delivery agent, another
 * petrel) are followed.  Nothing here talks to the UI.
 */
#ifndef PETREL_MAILDIR_H
#define PETREL_MAILDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cache/cache.h"
#include "core/account.h"
#include "store/store_watch.h"
#include "util/error.h"

/* Most files one folder may hold (a bound on the index's memory). */
#define MAILDIR_FILES_MAX	2000000
/* Rows written per cache transaction during a sync. */
#define MAILDIR_BATCH		500

/* One message file of a folder. */
struct maildir_entry {
	char		*uniq;		/* the remote id: the name before ':' */
	char		*name;		/* the file name in new/ or cur/ */
	bool		 in_new;
	unsigned	 flags;		/* CACHE_FLAG_* of the info part */
};

/* The files of one folder, sorted by unique part. */
struct maildir_index {
	int64_t			 folder_id;
	char			*dir;		/* the folder's directory */
	struct maildir_entry	*v;
	size_t			 n;
};

struct maildir_account {
	struct account		 base;
	char			*host;		/* escaped, for unique names */
	unsigned		 counter;	/* unique names made so far */
	struct maildir_index	*idx;		/* one per folder used */
	size_t			 nidx;
	struct store_watch	 watch;		/* wait_changes */
};

/* maildir_name.c: pure functions over names. */
size_t		 maildir_uniq_len(const char *name);
unsigned	 maildir_name_flags(const char *name);
char		*maildir_name_with_flags(const char *name, unsigned flags);
char		*maildir_host_escape(const char *host);
char		*maildir_unique(int64_t sec, long pid, unsigned counter,
		     const char *host);
bool		 maildir_is_folder_dir(const char *d_name);
char		*maildir_folder_display(const char *remote);
char		*maildir_folder_remote(const char *display, struct error *);
enum cache_role	 maildir_folder_role(const char *display);

/* maildir_index.c: folders' files. */
char		*maildir_folder_dir(struct maildir_account *,
		     const char *remote, struct error *);
int		 maildir_index_scan(const char *dir, struct maildir_index *,
		     struct error *);
void		 maildir_index_fini(struct maildir_index *);
struct maildir_entry *maildir_index_find(const struct maildir_index *,
		     const char *uniq);
struct maildir_index *maildir_index_get(struct maildir_account *,
		     const struct cache_folder *, bool rescan, struct error *);
void		 maildir_index_drop(struct maildir_account *,
		     int64_t folder_id);
char		*maildir_entry_path(const struct maildir_index *,
		     const struct maildir_entry *);

/* maildir_sync.c: the cache from the files. */
int		 maildir_sync_run(struct maildir_account *,
		     const struct cache_folder *, struct cache *, bool *changed,
		     struct error *);
int		 maildir_sync_folder(struct account *,
		     const struct cache_folder *, struct cache *,
		     struct error *);
int		 maildir_fetch_message(struct account *,
		     const struct cache_folder *, const char *, struct cache *,
		     struct error *);
int		 maildir_search(struct account *, const struct cache_folder *,
		     const char *, char ***, size_t *, struct error *);
int		 maildir_put_file(struct cache *, int64_t folder_id,
		     const char *path, const char *uniq, unsigned flags,
		     struct error *);

/* maildir_ops.c: changing messages. */
int		 maildir_store_flags(struct account *,
		     const struct cache_folder *, const char *const *, size_t,
		     unsigned, unsigned, struct cache *, struct error *);
int		 maildir_expunge(struct account *, const struct cache_folder *,
		     const char *const *, size_t, struct cache *,
		     struct error *);
char		*maildir_new_unique(struct maildir_account *);
int		 maildir_deliver(struct maildir_account *, const char *dir,
		     int src_fd, const char *raw, size_t len, unsigned flags,
		     int64_t date, char **uniq, char **path, struct error *);

/* maildir_move.c: copy, move, append. */
int		 maildir_copy(struct account *, const struct cache_folder *,
		     const char *const *, size_t, const struct cache_folder *,
		     struct cache *, struct error *);
int		 maildir_move(struct account *, const struct cache_folder *,
		     const char *const *, size_t, const struct cache_folder *,
		     struct cache *, struct error *);
int		 maildir_append(struct account *, const struct cache_folder *,
		     const char *, size_t, unsigned, int64_t, struct cache *,
		     struct error *);

/* maildir_folders.c: the folder list and folder changes. */
int		 maildir_list_folders(struct account *, struct cache *,
		     struct error *);
int		 maildir_create_folder(struct account *, const char *,
		     struct cache *, struct error *);
int		 maildir_rename_folder(struct account *,
		     const struct cache_folder *, const char *, struct cache *,
		     struct error *);
int		 maildir_delete_folder(struct account *,
		     const struct cache_folder *, struct cache *,
		     struct error *);

/* maildir_driver.c */
struct maildir_account *maildir_account_get(struct account *);
int		 maildir_writable(struct maildir_account *, const char *what,
		     struct error *);

#endif

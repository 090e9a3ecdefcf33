/*
 * store_watch.h - waiting for another program to change a local store
 * (inotify), for the drivers' wait_changes.
 *
 * A watch follows a few directories of one folder (Maildir: new/ and
 * cur/; mbox: the directory of the file, filtered by the file's name).
 * store_watch_wait blocks until one of them changes, a command is waiting
 * on cmd_fd, the deadline passes or the account's wake fd cancels; a
 * change is reported once the burst of events it came with has settled
 * (a delivery is create + rename + ...), so one resync covers it.
 */
#ifndef PETREL_STORE_WATCH_H
#define PETREL_STORE_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

#define STORE_WATCH_DIRS	2

struct store_watch {
	int		 fd;		/* inotify; -1 when not watching */
	int64_t		 folder_id;	/* what is watched; 0 none */
	size_t		 ndirs;
	char		*name;		/* only events about this name */
	bool		 provisional;	/* a stand-in (a parent directory):
					   after a change, the caller sets
					   the watch again */
};

/* An idle watch (no file descriptor yet). */
void	 store_watch_init(struct store_watch *);
void	 store_watch_fini(struct store_watch *);
/* Whether inotify can be used here at all (caps at open). */
bool	 store_watch_available(void);
/*
 * Watch dirs (n <= STORE_WATCH_DIRS) for folder_id, replacing any earlier
 * watch; name, if not NULL, limits the events to that entry.  A missing
 * directory is skipped.  1 if the watch was (re)made, so the caller
 * resyncs once to cover the time before it; 0 if it was already in place
 * (same folder, same number of directories).
 */
int	 store_watch_set(struct store_watch *, int64_t folder_id,
	     const char *const *dirs, size_t n, const char *name,
	     struct error *);
/*
 * Wait until deadline_ms (CLOCK_MONOTONIC milliseconds; 0: forever): 1 a
 * change, 0 a command on cmd_fd (may be -1) or the deadline, -1 with
 * ERR_CANCELLED when wake_fd (may be -1) became readable.
 */
int	 store_watch_wait(struct store_watch *, int cmd_fd, int wake_fd,
	     int64_t deadline_ms, struct error *);
/* Milliseconds on the monotonic clock. */
int64_t	 store_watch_now(void);

/* Resync the watched folder; *changed if the cache changed. */
typedef int	(*store_watch_sync_fn)(void *arg, bool *changed,
		    struct error *);
/*
 * A driver's wait_changes, once store_watch_set returned set (1 a new
 * watch, 0 the same, -1 none could be made).  A new watch or none means a
 * sync first, to cover the time before; then each change is synced until
 * one changed the cache (1), or, for a provisional watch, after the first
 * change (0: the caller comes back and watches anew).  Without a watch
 * the wait is a plain bounded one, followed by a sync (as polling does).
 * 0: timeout or a command on cmd_fd; -1 an error, ERR_CANCELLED through
 * wake_fd.
 */
int	 store_watch_run(struct store_watch *, int set, store_watch_sync_fn,
	     void *arg, int cmd_fd, int wake_fd, int timeout_ms,
	     struct error *);

#endif

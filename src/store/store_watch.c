/*
 * store_watch.c - inotify(7) watches for the local stores.
 *
 * Maildir: IN_CREATE, IN_MOVED_TO, IN_MOVED_FROM and IN_DELETE on new/
 * and cur/ see deliveries, flag renames and removals by any program.
 * mbox: the same plus IN_MODIFY and IN_CLOSE_WRITE on the file's
 * directory, filtered by its name, so an append and a replacement (a
 * rewrite into a new file renamed over the old) are both seen.  An
 * overflowed queue (IN_Q_OVERFLOW) or a removed directory (IN_IGNORED)
 * count as a change: the resync that follows finds out what happened.
 * Events caused by petrel itself are reported too; the drivers' resync
 * then simply finds nothing new.
 */
#include <sys/inotify.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store_watch.h"
#include "util/xmalloc.h"

/* A burst of events is over after this long without another. */
#define STORE_WATCH_SETTLE_MS	60
/* ... or after this long in all. */
#define STORE_WATCH_BURST_MS	500

#define STORE_WATCH_MASK	(IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | \
				    IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | \
				    IN_DELETE_SELF | IN_MOVE_SELF)

/* Milliseconds on the monotonic clock. */
int64_t
store_watch_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* An idle watch. */
void
store_watch_init(struct store_watch *w)
{
	w->fd = -1;
	w->folder_id = 0;
	w->ndirs = 0;
	w->name = NULL;
	w->provisional = false;
}

/* Close the inotify descriptor. */
void
store_watch_fini(struct store_watch *w)
{
	if (w->fd != -1)
		close(w->fd);
	free(w->name);
	store_watch_init(w);
}

/* Whether this system has inotify. */
bool
store_watch_available(void)
{
	int	fd;

	if ((fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) == -1)
		return false;
	close(fd);
	return true;
}

/* Watch the directories of one folder. */
int
store_watch_set(struct store_watch *w, int64_t folder_id,
    const char *const *dirs, size_t n, const char *name, struct error *err)
{
	size_t	i, added = 0;

	if (w->fd != -1 && w->folder_id == folder_id && w->ndirs == n)
		return 0;
	store_watch_fini(w);
	if ((w->fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) == -1)
		return error_sys(err, ERR_SCOPE_OP, errno, "inotify");
	for (i = 0; i < n && i < STORE_WATCH_DIRS; i++) {
		if (inotify_add_watch(w->fd, dirs[i], STORE_WATCH_MASK |
		    IN_ONLYDIR) != -1)
			added++;
		else if (errno != ENOENT && errno != ENOTDIR) {
			error_sys(err, ERR_SCOPE_OP, errno, "watch %s",
			    dirs[i]);
			store_watch_fini(w);
			return -1;
		}
	}
	if (added == 0) {
		store_watch_fini(w);
		return error_set(err, ERR_NOTFOUND, ERR_SCOPE_FOLDER,
		    "nothing to watch: %s is missing", n > 0 ? dirs[0] : "?");
	}
	w->folder_id = folder_id;
	w->ndirs = n;
	w->name = name != NULL ? xstrdup(name) : NULL;
	return 1;
}

/* Read what is queued; true if any event concerns the watch. */
static bool
store_watch_drain(struct store_watch *w)
{
	char				 buf[4096]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event	*ev;
	ssize_t				 r;
	size_t				 off;
	bool				 hit = false;

	while ((r = read(w->fd, buf, sizeof buf)) > 0) {
		for (off = 0; off + sizeof *ev <= (size_t)r;
		    off += sizeof *ev + ev->len) {
			ev = (const struct inotify_event *)(buf + off);
			if (ev->mask & (IN_Q_OVERFLOW | IN_IGNORED |
			    IN_DELETE_SELF | IN_MOVE_SELF))
				hit = true;
			else if (w->name == NULL)
				hit = true;
			else if (ev->len > 0 && strcmp(ev->name, w->name) == 0)
				hit = true;	/* name is NUL-padded to len */
		}
	}
	return hit;
}

/* Let a burst of events settle, so one resync covers it. */
static void
store_watch_settle(struct store_watch *w)
{
	struct pollfd	 pfd = { w->fd, POLLIN, 0 };
	int64_t		 until = store_watch_now() + STORE_WATCH_BURST_MS;

	while (store_watch_now() < until) {
		pfd.revents = 0;
		if (poll(&pfd, 1, STORE_WATCH_SETTLE_MS) <= 0)
			return;
		(void)store_watch_drain(w);
	}
}

/* Milliseconds left until the deadline, for poll(). */
static int
store_watch_left(int64_t deadline)
{
	int64_t	left;

	if (deadline == 0)
		return -1;
	left = deadline - store_watch_now();
	if (left <= 0)
		return 0;
	return left > INT_MAX ? INT_MAX : (int)left;
}

/* Wait for a change, a command, the deadline or the wake fd. */
int
store_watch_wait(struct store_watch *w, int cmd_fd, int wake_fd,
    int64_t deadline_ms, struct error *err)
{
	struct pollfd	 pfd[3];
	int		 rc, left;

	pfd[0].fd = wake_fd;
	pfd[1].fd = cmd_fd;
	pfd[2].fd = w->fd;	/* negative descriptors are ignored */
	for (;;) {
		for (int i = 0; i < 3; i++) {
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
		}
		if ((left = store_watch_left(deadline_ms)) == 0)
			return 0;
		rc = poll(pfd, 3, left);
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc == -1)
			return error_sys(err, ERR_SCOPE_OP, errno, "poll");
		if (pfd[0].revents & (POLLIN | POLLHUP))
			return error_set(err, ERR_CANCELLED, ERR_SCOPE_OP,
			    "interrupted");
		if (pfd[1].revents & (POLLIN | POLLHUP))
			return 0;
		if ((pfd[2].revents & POLLIN) && store_watch_drain(w)) {
			store_watch_settle(w);
			return 1;
		}
	}
}

/* Wait and resync until the cache changed, a command, or the timeout. */
int
store_watch_run(struct store_watch *w, int set, store_watch_sync_fn sync,
    void *arg, int cmd_fd, int wake_fd, int timeout_ms, struct error *err)
{
	int64_t	 deadline = 0;
	bool	 changed = false;
	int	 rc;

	if (timeout_ms > 0)
		deadline = store_watch_now() + timeout_ms;
	if (set != 0 && sync(arg, &changed, err) == -1)
		return -1;
	while (!changed) {
		rc = store_watch_wait(w, cmd_fd, wake_fd, deadline, err);
		if (rc == -1 || (rc == 0 && set != -1))
			return rc;
		if (sync(arg, &changed, err) == -1)
			return -1;
		if (set == -1 || w->provisional)
			break;		/* polled once, or watch anew */
	}
	return changed ? 1 : 0;
}
